// Times the CoroutineGen generator over the stress test's 1,000 templates with a plain CSharpGeneratorDriver (no step
// tracking, as a build or an editor runs it): new drivers over new compilations (a command-line build), then edits of
// one template on the same driver (an editor's keystroke). Prints the CPU time of the driver's thread (Linux; the
// wall clock elsewhere), the memory allocated per run and the load average. docs/performance.md, "Generator".
//
//   dotnet run -c Release --project benchmarks/GeneratorSpeed [-- [--generator PATH.dll] [--runs N] [--edits N]]
//
// --generator loads another build of the generator (for a before/after comparison, alternate the two builds in the
// same minutes: this machine's noise is larger than most changes).
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CoroutineGen.Generators.Tests.Stress;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

var generatorPath = (string?)null;
var fullRuns = 10;
var edits = 6;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--generator": generatorPath = Path.GetFullPath(args[++i]); break;
        case "--runs": fullRuns = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--edits": edits = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown argument '{args[i]}'"); return 2;
    }
}

if (fullRuns < 2 || edits < 1)
{
    Console.Error.WriteLine("--runs must be at least 2 and --edits at least 1");
    return 2;
}

var generatorType = generatorPath is null
    ? typeof(CoroutineGen.Generators.CoroutineGenerator)
    : new System.Runtime.Loader.AssemblyLoadContext("other generator").LoadFromAssemblyPath(generatorPath) // its own context: the referenced build is loaded already
        .GetType("CoroutineGen.Generators.CoroutineGenerator", throwOnError: true)!;
IIncrementalGenerator NewGenerator() => (IIncrementalGenerator)Activator.CreateInstance(generatorType)!;

var sources = StressTemplates.Sources(1000, 20);
var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
var trees = sources.Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s.Text, System.Text.Encoding.UTF8), parseOptions, s.Path)).ToList();
MetadataReference[] references = [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(CoroutineGen.CoroutineAttribute).Assembly.Location)];
var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true);
CSharpCompilation Fresh() => CSharpCompilation.Create("Stress", trees, references, options);

(GeneratorDriver Driver, double Cpu, double Megabytes) Run(Compilation compilation, GeneratorDriver? driver)
{
    driver ??= CSharpGeneratorDriver.Create([NewGenerator().AsSourceGenerator()], parseOptions: parseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var cpu = ThreadCpu.Now();
    driver = driver.RunGenerators(compilation);
    return (driver, (ThreadCpu.Now() - cpu).TotalMilliseconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1048576.0);
}

string Ms(double ms) => ms.ToString("F0", CultureInfo.InvariantCulture);
string Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return Ms(sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2);
}

var first = Run(Fresh(), null);
var result = first.Driver.GetRunResult();
var failure = result.Results.Single().Exception;
Console.WriteLine($"generator: {generatorType.Assembly.Location}");
Console.WriteLine($"{result.GeneratedTrees.Length} files, {result.GeneratedTrees.Sum(t => t.Length) / 1024} KB generated, {(failure is null ? "no exception" : "EXCEPTION: " + failure.Message)}");
Console.WriteLine($"first run (the JIT compiles the generator and the Roslyn code it calls): {Ms(first.Cpu)} ms CPU");

var warm = new List<(double Cpu, double Megabytes)>();
var last = first.Driver;
var lastCompilation = Fresh();
for (int i = 0; i < fullRuns; i++)
{
    lastCompilation = Fresh();
    var run = Run(lastCompilation, null);
    last = run.Driver;
    warm.Add((run.Cpu, run.Megabytes));
}

// The edit the stress test makes: one condition in the first template of the first file, different every time.
var edited = new List<(double Cpu, double Megabytes)>();
var tree = trees[0];
var text = tree.GetText().ToString();
const string From = "else if (line.Length == 0) continue;";
var at = text.IndexOf(From, StringComparison.Ordinal);
for (int i = 0; i < edits; i++)
{
    var replacement = "else if (line.Length < " + (i + 2).ToString(CultureInfo.InvariantCulture) + ") continue;";
    var next = lastCompilation.ReplaceSyntaxTree(lastCompilation.SyntaxTrees.First(), tree.WithChangedText(SourceText.From(text[..at] + replacement + text[(at + From.Length)..], System.Text.Encoding.UTF8)));
    var run = Run(next, last);
    last = run.Driver;
    lastCompilation = next;
    edited.Add((run.Cpu, run.Megabytes));
}

// The JIT keeps tiering up over the first runs, so the medians are of the second half.
var settled = warm.Skip(warm.Count / 2).ToList();
var settledEdits = edited.Skip(edited.Count / 2).ToList();
Console.WriteLine($"new driver, new compilation: {string.Join(" ", warm.Select(r => Ms(r.Cpu)))} ms CPU; median of the last {settled.Count}: {Median(settled.Select(r => r.Cpu))} ms; {Median(warm.Select(r => r.Megabytes))} MB allocated per run");
Console.WriteLine($"one template edited:         {string.Join(" ", edited.Select(r => Ms(r.Cpu)))} ms CPU; median of the last {settledEdits.Count}: {Median(settledEdits.Select(r => r.Cpu))} ms; {Median(edited.Select(r => r.Megabytes))} MB allocated per edit");
Console.WriteLine($"load average: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}");
return failure is null ? 0 : 1;

/// <summary>CPU time of the calling thread (Linux: CLOCK_THREAD_CPUTIME_ID), which leaves out the time it waited for a core; elsewhere the wall clock.</summary>
internal static class ThreadCpu
{
    private static readonly Stopwatch Wall = Stopwatch.StartNew();

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec value);

    public static TimeSpan Now()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Wall.Elapsed;
        }

        ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t);
        return TimeSpan.FromTicks((t.Seconds * TimeSpan.TicksPerSecond) + (t.Nanoseconds / 100));
    }
}
