using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;

namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>What happened to one program of a batch.</summary>
internal sealed class FuzzOutcome
{
    public FuzzOutcome(FuzzProgram program)
    {
        Program = program;
        CSharp = CSharpPrinter.Print(program);
        Python = PythonPrinter.Print(program);
    }

    public FuzzProgram Program { get; }

    /// <summary>The C# source of the program (template and driver).</summary>
    public string CSharp { get; init; }

    /// <summary>The Python twin (generator function and driver, without the prelude).</summary>
    public string Python { get; init; }

    public IReadOnlyList<string> CSharpTrace { get; set; } = [];

    public IReadOnlyList<string> PythonTrace { get; set; } = [];

    /// <summary>Why the program failed (null: both traces are equal).</summary>
    public string? Failure { get; set; }

    /// <summary>Extra text for the report: diagnostics, the generated code.</summary>
    public string? Details { get; set; }

    /// <summary>The line number (1-based) of the first difference of the traces, 0 when they do not differ.</summary>
    public int FirstDifference { get; set; }
}

/// <summary>The outcome of a batch, with timings.</summary>
internal sealed class FuzzBatch
{
    public required IReadOnlyList<FuzzOutcome> Outcomes { get; init; }

    public TimeSpan Compile { get; set; }

    public TimeSpan Run { get; set; }

    public TimeSpan Python { get; set; }

    public TimeSpan Total { get; set; }

    public IEnumerable<FuzzOutcome> Failures => Outcomes.Where(o => o.Failure is not null);
}

/// <summary>
/// Runs a batch of fuzzed programs: one in-memory compilation (with the generator) for every program of the batch,
/// loaded once, each program's driver run in turn; and one python3 process that runs every Python twin of the batch
/// (a separator line before each). Then compares the traces program by program.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>A program that logs more lines than this is stuck in a loop: its thread is parked and the batch fails.</summary>
    public const int MaxLogLines = 20_000;

    /// <summary>How long the C# drivers of one batch may take together.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    private const string Separator = "##### seed ";

    private static readonly Regex SeedInPath = new(@"(?:^|[/\\.])P(\d+)\.", RegexOptions.CultureInvariant);

    public static FuzzBatch RunBatch(IEnumerable<int> seeds) => RunBatch(seeds.Select(ProgramGenerator.Generate));

    public static FuzzBatch RunBatch(IEnumerable<FuzzProgram> programs) => RunBatch(programs.Select(p => new FuzzOutcome(p)));

    /// <summary>Runs outcomes whose <see cref="FuzzOutcome.CSharp"/> or <see cref="FuzzOutcome.Python"/> may have been edited.</summary>
    public static FuzzBatch RunBatch(IEnumerable<FuzzOutcome> programs)
    {
        var total = Stopwatch.StartNew();
        var outcomes = programs.ToList();
        var batch = new FuzzBatch { Outcomes = outcomes };

        // CPython runs while the C# side compiles.
        var python = Task.Run(() =>
        {
            var watch = Stopwatch.StartNew();
            var traces = RunPython(outcomes);
            batch.Python = watch.Elapsed;
            return traces;
        });

        var compile = Stopwatch.StartNew();
        var runnable = Compile(outcomes, out var loaded);
        batch.Compile = compile.Elapsed;

        var run = Stopwatch.StartNew();
        if (loaded is not null)
        {
            try
            {
                RunCSharp(loaded, runnable);
            }
            catch (FuzzHangException)
            {
                // The outcomes say which program hung and which were not run; the Python side is still compared.
            }
        }

        batch.Run = run.Elapsed;

        var pythonTraces = python.GetAwaiter().GetResult();
        foreach (var outcome in outcomes)
        {
            if (!pythonTraces.TryGetValue(outcome.Program.Seed, out var trace))
            {
                outcome.Failure ??= "the Python twin printed nothing (the batch script died before it)";
                continue;
            }

            outcome.PythonTrace = trace;
            if (trace.Any(line => line.StartsWith("##### twin error", StringComparison.Ordinal)))
            {
                outcome.Failure ??= "the Python twin failed (a bug in the fuzzer's Python printer)";
                continue;
            }

            if (outcome.Failure is null)
            {
                Compare(outcome);
            }
        }

        batch.Total = total.Elapsed;
        return batch;
    }

    /// <summary>
    /// Compiles the programs with the generator, emits the result once and loads it. A program whose template the
    /// generator did not lower, or whose code does not compile, fails and is left out (its trees are removed and the
    /// rest is emitted again). Returns the runnable programs and the loaded assembly (null when none is runnable).
    /// </summary>
    private static List<FuzzOutcome> Compile(List<FuzzOutcome> outcomes, out LoadedAssembly? loaded)
    {
        loaded = null;
        var sources = new List<(string Path, string Text)> { ("Fz.cs", FuzzSupport.CSharp) };
        sources.AddRange(outcomes.Select(o => (o.Program.FileName, o.CSharp)));
        var run = GeneratorHarness.Run([.. sources]);
        var candidates = outcomes.ToList();

        if (run.GeneratorException is not null || !run.GeneratorDiagnostics.IsEmpty)
        {
            // The generator is designed to report nothing and never to throw: find the culprit(s) one program at a time.
            foreach (var outcome in outcomes)
            {
                var single = GeneratorHarness.Run(("Fz.cs", FuzzSupport.CSharp), (outcome.Program.FileName, outcome.CSharp));
                if (single.GeneratorException is not null || !single.GeneratorDiagnostics.IsEmpty)
                {
                    outcome.Failure = "the generator reported diagnostics or threw";
                    outcome.Details = string.Join(Environment.NewLine, single.GeneratorDiagnostics.Select(GeneratorHarness.Describe))
                        + (single.GeneratorException is null ? string.Empty : Environment.NewLine + single.GeneratorException);
                }
            }

            if (outcomes.All(o => o.Failure is null))
            {
                throw new InvalidOperationException("The generator failed on the batch but on none of its programs alone:" + Environment.NewLine
                    + string.Join(Environment.NewLine, run.GeneratorDiagnostics.Select(GeneratorHarness.Describe)) + Environment.NewLine + run.GeneratorException);
            }

            candidates = outcomes.Where(o => o.Failure is null).ToList();
            sources = [("Fz.cs", FuzzSupport.CSharp), .. candidates.Select(o => (o.Program.FileName, o.CSharp))];
            run = GeneratorHarness.Run([.. sources]);
        }

        Compilation compilation = run.OutputCompilation;
        foreach (var outcome in candidates)
        {
            var prefix = $"Fuzz.{outcome.Program.ClassName}.";
            if (!run.GeneratedSources.Any(s => s.HintName.StartsWith(prefix, StringComparison.Ordinal)))
            {
                outcome.Failure = "the generator generated nothing for a valid template";
                outcome.Details = AnalyzerDiagnostics(run.InputCompilation, outcome.Program.FileName);
                compilation = compilation.RemoveSyntaxTrees(compilation.SyntaxTrees.Where(t => SeedOf(t.FilePath) == outcome.Program.Seed));
            }
        }

        candidates = candidates.Where(o => o.Failure is null).ToList();
        for (int round = 0; round < 3 && candidates.Count > 0; round++)
        {
            var pe = new MemoryStream();
            var pdb = new MemoryStream();
            var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
            if (result.Success)
            {
                pe.Position = 0;
                pdb.Position = 0;
                loaded = new LoadedAssembly(pe, pdb, "FuzzBatch");
                return candidates;
            }

            foreach (var group in result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).GroupBy(d => SeedOf(d.Location.SourceTree?.FilePath)))
            {
                if (group.Key is not { } seed)
                {
                    // An error in the helpers or somewhere unattributable: the fuzzer itself is broken.
                    throw new InvalidOperationException("The fuzz batch does not compile outside any program:" + Environment.NewLine
                        + string.Join(Environment.NewLine, group.Select(GeneratorHarness.Describe)));
                }

                var outcome = candidates.Single(o => o.Program.Seed == seed);
                // The generator copies the template's statements, so an error of the template shows up twice.
                var inTemplate = group.Any(d => d.Location.SourceTree?.FilePath == outcome.Program.FileName);
                outcome.Failure = inTemplate
                    ? "the program does not compile: its own file has errors (a bug in the fuzzer's C# printer, or a wrong factory)"
                    : "the generated code does not compile: " + string.Join(", ", group.Select(d => d.Id).Distinct());
                var details = new StringBuilder();
                foreach (var diagnostic in group)
                {
                    details.AppendLine("  " + GeneratorHarness.Describe(diagnostic));
                }

                foreach (var generated in run.GeneratedSources.Where(s => SeedOf(s.HintName) == seed))
                {
                    details.AppendLine().AppendLine($"---- generated {generated.HintName} ----").AppendLine(GeneratorHarness.Numbered(generated.Text));
                }

                outcome.Details = details.ToString();
                compilation = compilation.RemoveSyntaxTrees(compilation.SyntaxTrees.Where(t => SeedOf(t.FilePath) == seed));
            }

            candidates = candidates.Where(o => o.Failure is null).ToList();
        }

        return [];
    }

    /// <summary>The seed of a program's file (<c>P17.cs</c>) or generated file (<c>.../Fuzz.P17.Run.g.cs</c>).</summary>
    private static int? SeedOf(string? path)
    {
        if (path is null)
        {
            return null;
        }

        var match = SeedInPath.Match(path);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>What the analyzers say about one program (why the generator skipped it).</summary>
    private static string AnalyzerDiagnostics(Compilation compilation, string fileName)
    {
        var diagnostics = compilation.WithAnalyzers([new CoroutineAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .Where(d => d.Location.SourceTree?.FilePath == fileName);
        var text = string.Join(Environment.NewLine, diagnostics.Select(d => "  " + GeneratorHarness.Describe(d)));
        return text.Length == 0 ? "  (the analyzers report nothing either)" : text;
    }

    private static void RunCSharp(LoadedAssembly loaded, List<FuzzOutcome> runnable)
    {
        using var unload = loaded;
        FuzzOutcome? current = null;
        var worker = new Thread(() =>
        {
            foreach (var outcome in runnable)
            {
                Volatile.Write(ref current, outcome);
                var log = new BoundedLog();
                try
                {
                    loaded.Invoke($"Fuzz.{outcome.Program.ClassName}", "Drive", log);
                }
                catch (Exception e)
                {
                    log.Add("<<the driver threw " + e + ">>");
                }

                outcome.CSharpTrace = [.. log];
            }

            Volatile.Write(ref current, null);
        }, 16 * 1024 * 1024)
        {
            IsBackground = true,
            Name = "fuzz driver",
        };
        worker.Start();
        if (!worker.Join(RunTimeout))
        {
            var stuck = Volatile.Read(ref current);
            foreach (var outcome in runnable.Where(o => o.CSharpTrace.Count == 0 && o.Failure is null))
            {
                outcome.Failure = outcome == stuck
                    ? $"the C# driver did not finish within {RunTimeout.TotalSeconds:0} s (an endless loop, or more than {MaxLogLines} log lines)"
                    : "not run: an earlier program of the batch hung";
            }

            // The worker thread cannot be stopped; it is a background thread and keeps the context alive.
            throw new FuzzHangException(stuck);
        }
    }

    /// <summary>Runs every Python twin of the batch in one python3 process; returns each seed's output lines.</summary>
    private static Dictionary<int, List<string>> RunPython(List<FuzzOutcome> outcomes)
    {
        var script = new StringBuilder(FuzzSupport.PythonPrelude);
        script.AppendLine("import sys");
        script.AppendLine("PROGRAMS = [");
        foreach (var outcome in outcomes)
        {
            script.Append("    (").Append(outcome.Program.Seed.ToString(CultureInfo.InvariantCulture)).Append(", ")
                .Append(System.Text.Json.JsonSerializer.Serialize(outcome.Python)).AppendLine("),");
        }

        script.AppendLine("]");
        script.AppendLine("BASE = dict(globals())");
        script.AppendLine("for seed, source in PROGRAMS:");
        script.AppendLine($"    print('{Separator}' + str(seed))");
        script.AppendLine("    namespace = dict(BASE)");
        script.AppendLine("    try:");
        script.AppendLine("        exec(compile(source, f'seed{seed}.py', 'exec'), namespace)");
        script.AppendLine("        namespace['drive']()");
        script.AppendLine("    except BaseException as e:");
        script.AppendLine("        print(f'##### twin error: {type(e).__name__}: {e}')");
        script.AppendLine("finish()");

        var output = RunPythonScript(script.ToString());
        var traces = new Dictionary<int, List<string>>();
        List<string>? currentTrace = null;
        foreach (var line in output)
        {
            if (line.StartsWith(Separator, StringComparison.Ordinal))
            {
                currentTrace = [];
                traces[int.Parse(line.AsSpan(Separator.Length), CultureInfo.InvariantCulture)] = currentTrace;
            }
            else
            {
                currentTrace?.Add(line);
            }
        }

        return traces;
    }

    /// <summary>Runs a Python script with python3 and returns its output lines (failing when python3 does).</summary>
    public static List<string> RunPythonScript(string script)
    {
        var file = Path.Combine(Path.GetTempPath(), $"coroutinegen-fuzz-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script, new UTF8Encoding(false));
        try
        {
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            start.ArgumentList.Add("-X");
            start.ArgumentList.Add("utf8");
            start.ArgumentList.Add(file);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException(
                    "python3 (CPython 3.11, the oracle of the fuzzer) could not be started: " + e.Message, e);
            }

            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(300_000))
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("the Python twins did not finish within 300 s");
                }

                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"python3 failed on the fuzz script (exit code {process.ExitCode}):{Environment.NewLine}{error.Result}");
                }

                var lines = output.Result.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
                if (lines.Count > 0 && lines[^1].Length == 0)
                {
                    lines.RemoveAt(lines.Count - 1);
                }

                return lines;
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void Compare(FuzzOutcome outcome)
    {
        var python = outcome.PythonTrace;
        var csharp = outcome.CSharpTrace;
        var count = Math.Max(python.Count, csharp.Count);
        for (int i = 0; i < count; i++)
        {
            var p = i < python.Count ? python[i] : null;
            var c = i < csharp.Count ? csharp[i] : null;
            if (p != c)
            {
                outcome.FirstDifference = i + 1;
                outcome.Failure = $"the C# trace differs from CPython's at line {i + 1}:{Environment.NewLine}"
                    + $"    python: {p ?? "<end of output>"}{Environment.NewLine}"
                    + $"    c#:     {c ?? "<end of output>"}";
                return;
            }
        }
    }

    /// <summary>The full report of a failed program: the seed, both programs, both traces, the first difference.</summary>
    public static string Report(FuzzOutcome outcome)
    {
        var seed = outcome.Program.Seed.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.AppendLine($"==== seed {seed}: {outcome.Failure}");
        text.AppendLine($"Reproduce: FUZZ_START={seed} FUZZ_COUNT=1 FUZZ_DUMP=/tmp/fuzz dotnet test tests/CoroutineGen.Generators.Tests --filter \"FullyQualifiedName~FuzzTests.Range\"");
        if (outcome.Details is not null)
        {
            text.AppendLine(outcome.Details);
        }

        text.AppendLine($"---- C# ({outcome.Program.FileName}) ----");
        text.AppendLine(GeneratorHarness.Numbered(outcome.CSharp.TrimEnd()));
        text.AppendLine("---- Python ----");
        text.AppendLine(GeneratorHarness.Numbered(outcome.Python.TrimEnd()));
        if (outcome.PythonTrace.Count > 0 || outcome.CSharpTrace.Count > 0)
        {
            text.AppendLine("---- traces (>> marks the first difference) ----");
            text.AppendLine(SideBySide(outcome.PythonTrace, outcome.CSharpTrace, outcome.FirstDifference));
        }

        return text.ToString();
    }

    private static string SideBySide(IReadOnlyList<string> python, IReadOnlyList<string> csharp, int firstDifference)
    {
        const int Width = 48;
        var text = new StringBuilder();
        text.AppendLine("     " + "python".PadRight(Width) + " | c#");
        for (int i = 0; i < Math.Max(python.Count, csharp.Count); i++)
        {
            var p = i < python.Count ? python[i] : "";
            var c = i < csharp.Count ? csharp[i] : "";
            var mark = i + 1 == firstDifference ? ">>" : p == c ? "  " : " *";
            text.Append(mark).Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append(' ')
                .Append(p.PadRight(Width)).Append(" | ").AppendLine(c);
        }

        return text.ToString();
    }

    /// <summary>Writes a program as files to minimise it by hand (see docs/contributing/fuzzing.md).</summary>
    public static void Dump(string directory, FuzzOutcome outcome)
    {
        Directory.CreateDirectory(directory);
        var name = Path.Combine(directory, $"seed-{outcome.Program.Seed.ToString(CultureInfo.InvariantCulture)}");
        File.WriteAllText(name + ".cs", outcome.CSharp);
        File.WriteAllText(name + ".py", PythonPrinter.Standalone(outcome.Python));
        File.WriteAllLines(name + ".cs.trace", outcome.CSharpTrace);
        File.WriteAllLines(name + ".py.trace", outcome.PythonTrace);
        if (outcome.Failure is not null)
        {
            File.WriteAllText(name + ".report.txt", Report(outcome));
        }
    }

    /// <summary>
    /// Runs a hand-edited program pair (<c>X.cs</c> with a <c>Drive</c> method, <c>X.py</c> a standalone script) and
    /// returns the outcome, for minimising a failure.
    /// </summary>
    public static (IReadOnlyList<string> CSharp, IReadOnlyList<string> Python, string? Failure, string Generated) RunFiles(string csharpFile, string pythonFile)
    {
        var csharpSource = File.ReadAllText(csharpFile);
        var python = RunPythonScript(File.ReadAllText(pythonFile));
        var run = GeneratorHarness.Run(("Fz.cs", FuzzSupport.CSharp), (Path.GetFileName(csharpFile), csharpSource));
        var errors = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (run.GeneratorException is not null || !run.GeneratorDiagnostics.IsEmpty || errors.Count > 0 || run.GeneratedSources.Count == 0)
        {
            var why = new StringBuilder("does not compile, or the generator failed:").AppendLine();
            foreach (var d in run.GeneratorDiagnostics.Concat(errors))
            {
                why.AppendLine("  " + GeneratorHarness.Describe(d));
            }

            if (run.GeneratorException is not null)
            {
                why.AppendLine(run.GeneratorException.ToString());
            }

            if (run.GeneratedSources.Count == 0)
            {
                why.AppendLine("nothing was generated; analyzers:").AppendLine(AnalyzerDiagnostics(run.InputCompilation, Path.GetFileName(csharpFile)));
            }

            foreach (var generated in run.GeneratedSources)
            {
                why.AppendLine($"---- generated {generated.HintName} ----").AppendLine(GeneratorHarness.Numbered(generated.Text));
            }

            return ([], python, why.ToString(), "");
        }

        using var loaded = GeneratorHarness.Load(run.OutputCompilation);
        var type = loaded.Assembly.GetTypes().Single(t => t.GetMethod("Drive") is not null);
        var log = new BoundedLog();
        var worker = new Thread(() =>
        {
            try
            {
                loaded.Invoke(type.FullName!, "Drive", log);
            }
            catch (Exception e)
            {
                log.Add("<<the driver threw " + e + ">>");
            }
        }, 16 * 1024 * 1024)
        {
            IsBackground = true,
            Name = "fuzz repro driver",
        };
        worker.Start();
        if (!worker.Join(RunTimeout))
        {
            return ([.. log], python, $"the C# driver did not finish within {RunTimeout.TotalSeconds:0} s (an endless loop, or more than {MaxLogLines} log lines)", "");
        }

        var outcome = new FuzzOutcome(new FuzzProgram(0, false, false, [], [])) { CSharpTrace = [.. log], PythonTrace = python };
        Compare(outcome);
        var generatedText = string.Concat(run.GeneratedSources.Select(g => $"---- generated {g.HintName} ----{Environment.NewLine}{GeneratorHarness.Numbered(g.Text)}{Environment.NewLine}"));
        return (outcome.CSharpTrace, python, outcome.Failure, generatedText);
    }

    /// <summary>A log that parks its thread when a program runs away (so the watchdog reports it instead of running out of memory).</summary>
    private sealed class BoundedLog : Collection<string>
    {
        protected override void InsertItem(int index, string item)
        {
            if (Count >= MaxLogLines)
            {
                Thread.Sleep(Timeout.Infinite);
            }

            base.InsertItem(index, item);
        }
    }
}

/// <summary>A C# driver did not finish: the batch stops there.</summary>
internal sealed class FuzzHangException(FuzzOutcome? stuck)
    : Exception($"the C# driver of seed {stuck?.Program.Seed.ToString(CultureInfo.InvariantCulture) ?? "?"} did not finish within {FuzzRunner.RunTimeout.TotalSeconds:0} s")
{
    public FuzzOutcome? Stuck { get; } = stuck;
}
