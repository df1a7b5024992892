using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>
/// The differential fuzzer: random coroutine programs, each printed as a C# template (lowered by the generator) and
/// as a Python generator (run by CPython, the oracle), driven by the same random script of Send/Throw/Close; the two
/// traces must be equal line for line. See docs/contributing/fuzzing.md.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>Programs per compilation (and per python3 process).</summary>
    public const int DefaultBatchSize = 100;

    /// <summary>How many failures a failing test prints in full (the others by seed and first difference).</summary>
    private const int FullReports = 3;

    /// <summary>
    /// The fixed range CI runs: seeds 0-399, four batches. When FUZZ_COUNT or FUZZ_SEEDS is set, <see cref="Range"/> runs the
    /// chosen range instead and these rows pass without running.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(300)]
    public void Ci(int start)
    {
        if (FuzzSettings.FromEnvironment() is not null)
        {
            output.WriteLine("FUZZ_COUNT or FUZZ_SEEDS is set: the fixed CI range steps aside for FuzzTests.Range.");
            return;
        }

        Check(Enumerable.Range(start, DefaultBatchSize).ToList(), DefaultBatchSize, dump: null);
    }

    /// <summary>
    /// The seeds FUZZ_START .. FUZZ_START + FUZZ_COUNT - 1 in batches of FUZZ_BATCH (default 100); FUZZ_DUMP=dir writes
    /// the failing programs (every program when FUZZ_COUNT is at most 20) there. Without FUZZ_COUNT it does nothing.
    /// </summary>
    [Fact]
    public void Range()
    {
        var settings = FuzzSettings.FromEnvironment();
        if (settings is null)
        {
            output.WriteLine("Set FUZZ_COUNT (and FUZZ_START, FUZZ_BATCH, FUZZ_DUMP) or FUZZ_SEEDS to run seeds; see docs/contributing/fuzzing.md.");
            return;
        }

        Check([.. settings.Seeds], settings.BatchSize, settings.Dump);
    }

    /// <summary>
    /// FUZZ_REPRO=/path/seed-N runs the hand-edited pair /path/seed-N.cs and /path/seed-N.py (as FUZZ_DUMP wrote them)
    /// and compares their traces: the loop for minimising a failure by hand. Without FUZZ_REPRO it does nothing.
    /// </summary>
    [Fact]
    public void Repro()
    {
        var prefix = Environment.GetEnvironmentVariable("FUZZ_REPRO");
        if (string.IsNullOrEmpty(prefix))
        {
            output.WriteLine("Set FUZZ_REPRO=/path/seed-N to run /path/seed-N.cs against /path/seed-N.py.");
            return;
        }

        var (csharp, python, failure, generated) = FuzzRunner.RunFiles(prefix + ".cs", prefix + ".py");
        if (Environment.GetEnvironmentVariable("FUZZ_SHOW_GENERATED") == "1")
        {
            output.WriteLine(generated);
        }

        output.WriteLine("---- python ----");
        output.WriteLine(string.Join(Environment.NewLine, python));
        output.WriteLine("---- c# ----");
        output.WriteLine(string.Join(Environment.NewLine, csharp));
        if (failure is not null)
        {
            Assert.Fail(failure);
        }
    }

    [Fact]
    public void A_seed_always_gives_the_same_program()
    {
        foreach (var seed in new[] { 0, 7, 12345 })
        {
            var first = new FuzzOutcome(ProgramGenerator.Generate(seed));
            var second = new FuzzOutcome(ProgramGenerator.Generate(seed));
            Assert.Equal(first.CSharp, second.CSharp);
            Assert.Equal(first.Python, second.Python);
        }
    }

    /// <summary>The CI range exercises every construct the generator can produce (so none silently drops out).</summary>
    [Fact]
    public void The_CI_range_covers_every_construct()
    {
        var programs = Enumerable.Range(0, 4 * DefaultBatchSize).Select(ProgramGenerator.Generate).ToList();
        var counts = Coverage(programs);
        output.WriteLine(string.Join(Environment.NewLine, counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key,-34} {c.Value,5}")));
        var missing = counts.Where(c => c.Value == 0).Select(c => c.Key).ToList();
        Assert.True(missing.Count == 0, "Constructs no CI program uses: " + string.Join(", ", missing));
    }

    /// <summary>
    /// The comparison can fail: a twin edited to print one line differently is reported at that line, with the seed,
    /// both programs and both traces.
    /// </summary>
    [Fact]
    public void A_divergence_is_reported_with_seed_programs_traces_and_first_difference()
    {
        var program = ProgramGenerator.Generate(3);
        var honest = new FuzzOutcome(program);
        var edited = new FuzzOutcome(program) { Python = honest.Python.Replace("print('state: ' + state(g))", "print('state: ' + state(g).upper())", StringComparison.Ordinal) };
        var batch = FuzzRunner.RunBatch([edited]);
        var outcome = Assert.Single(batch.Outcomes);
        Assert.NotNull(outcome.Failure);
        Assert.StartsWith("the C# trace differs from CPython's at line ", outcome.Failure, StringComparison.Ordinal);
        Assert.Equal("state: " + outcome.CSharpTrace[outcome.FirstDifference - 1].Substring("state: ".Length).ToUpperInvariant(), outcome.PythonTrace[outcome.FirstDifference - 1]);
        var report = FuzzRunner.Report(outcome);
        Assert.Contains("==== seed 3:", report, StringComparison.Ordinal);
        Assert.Contains("[Coroutine]", report, StringComparison.Ordinal);
        Assert.Contains("def coro(sink):", report, StringComparison.Ordinal);
        Assert.Contains(">>", report, StringComparison.Ordinal);
    }

    /// <summary>A program that does not compile fails alone: the rest of its batch still runs and is compared.</summary>
    [Fact]
    public void A_program_that_does_not_compile_fails_alone()
    {
        var broken = ProgramGenerator.Generate(5);
        var brokenOutcome = new FuzzOutcome(broken);
        brokenOutcome = new FuzzOutcome(broken)
        {
            CSharp = brokenOutcome.CSharp.Replace("int a = 0;", "int a = \"zero\";", StringComparison.Ordinal),
        };
        var batch = FuzzRunner.RunBatch([brokenOutcome, new FuzzOutcome(ProgramGenerator.Generate(6))]);
        Assert.StartsWith("the program does not compile", batch.Outcomes[0].Failure, StringComparison.Ordinal);
        Assert.Contains("CS0029", batch.Outcomes[0].Details, StringComparison.Ordinal);
        Assert.Null(batch.Outcomes[1].Failure);
        Assert.NotEmpty(batch.Outcomes[1].CSharpTrace);
    }

    private void Check(List<int> seeds, int batchSize, string? dump)
    {
        var failures = new List<FuzzOutcome>();
        var known = new List<(FuzzOutcome Outcome, KnownBugs.Bug Bug)>();
        var passed = 0;
        var (printed, total) = (0, 0);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < seeds.Count; i += batchSize)
        {
            var batch = FuzzRunner.RunBatch(seeds.Skip(i).Take(batchSize));
            var failed = batch.Failures.ToList();
            foreach (var outcome in failed)
            {
                if (!KnownBugs.Strict && KnownBugs.Match(outcome) is { } bug)
                {
                    known.Add((outcome, bug));
                }
                else
                {
                    failures.Add(outcome);
                }
            }

            passed += batch.Outcomes.Count - failed.Count;
            foreach (var outcome in batch.Outcomes)
            {
                var (p, t) = FuzzAstWalker.TagCoverage(outcome.Program, outcome.PythonTrace);
                printed += p;
                total += t;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeds {seeds[i]}..{seeds[Math.Min(i + batchSize, seeds.Count) - 1]}: {batch.Outcomes.Count - failed.Count} passed, {failed.Count} failed; generate+compile+emit {batch.Compile.TotalSeconds:0.0} s, run {batch.Run.TotalSeconds:0.0} s, python {batch.Python.TotalSeconds:0.0} s, total {batch.Total.TotalSeconds:0.0} s"));
            if (dump is not null)
            {
                foreach (var outcome in seeds.Count <= 20 ? batch.Outcomes : failed)
                {
                    FuzzRunner.Dump(dump, outcome);
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{passed} passed, {failures.Count} failed, {known.Count} hit a known bug, in {watch.Elapsed.TotalSeconds:0.0} s; the traces show {printed} of the programs' {total} print tags ({100.0 * printed / Math.Max(total, 1):0}%)"));
        foreach (var group in known.GroupBy(k => k.Bug))
        {
            output.WriteLine($"known bug '{group.Key.Id}' ({group.Key.Summary}): seeds {string.Join(", ", group.Select(k => k.Outcome.Program.Seed))}");
        }

        if (failures.Count == 0)
        {
            return;
        }

        var message = new StringBuilder();
        message.AppendLine($"{failures.Count} of {seeds.Count} fuzzed programs failed:");
        foreach (var failure in failures)
        {
            message.AppendLine($"  seed {failure.Program.Seed}: {failure.Failure!.Split('\n')[0].TrimEnd()}");
        }

        message.AppendLine();
        foreach (var failure in failures.Take(FullReports))
        {
            message.AppendLine(FuzzRunner.Report(failure));
        }

        if (failures.Count > FullReports)
        {
            message.AppendLine($"({failures.Count - FullReports} more; FUZZ_DUMP=dir writes every failing program and its report.)");
        }

        Assert.Fail(message.ToString());
    }

    /// <summary>How many of <paramref name="programs"/> use each construct.</summary>
    internal static Dictionary<string, int> Coverage(IReadOnlyList<FuzzProgram> programs)
    {
        var checks = new Dictionary<string, Func<FuzzProgram, bool>>
        {
            ["receive as a statement"] = p => Has(p, n => n is ExprStmt { Expression: Recv }),
            ["receive assigned"] = p => Has(p, n => n is Assign { Value: Recv or Mod { Operand: Recv } }),
            ["receive in a call argument"] = p => Has(p, n => n is Call1 { Arg: Recv } or Call2 { Right: Recv }),
            ["receive after an argument (order)"] = p => Has(p, n => n is Call2 { Left: not Recv and not Lit and not VarRef, Right: Recv }),
            ["receive in a + operand"] = p => Has(p, n => n is Plus { Right: Recv } or Plus { Left: Recv }),
            ["receive in a condition"] = p => Has(p, n => n is Compare c && (c.Left is Recv || c.Right is Recv)),
            ["receive right of && or ||"] = p => Has(p, n => n is AndAlso or OrElse && FuzzAstWalker.Any(n is AndAlso a ? a.Right : ((OrElse)n).Right, m => m is Recv)),
            ["receive in a ?: branch"] = p => Has(p, n => n is Ternary t && (FuzzAstWalker.Any(t.Then, m => m is Recv) || FuzzAstWalker.Any(t.Else, m => m is Recv))),
            ["receive in a loop condition"] = p => Has(p, n => n is Loop { Condition: { } c } && FuzzAstWalker.Any(c, m => m is Recv)),
            ["receive in an interpolated string"] = p => Has(p, n => n is Print pr && pr.Items.Any(i => FuzzAstWalker.Any(i, m => m is Recv))),
            ["receive in a switch selector"] = p => Has(p, n => n is Switch s && FuzzAstWalker.Any(s.Value, m => m is Recv)),
            ["receive in a return value"] = p => Has(p, n => n is Return { Value: { } v } && FuzzAstWalker.Any(v, m => m is Recv)),
            ["receive in a catch body"] = p => Has(p, n => n is Catch c && FuzzAstWalker.Any(c.Body, m => m is Recv)),
            ["receive in a GeneratorExit handler"] = p => Has(p, n => n is Catch { Kind: CatchKind.GeneratorExit } c && FuzzAstWalker.Any(c.Body, m => m is Recv)),
            ["receive in a finally body"] = p => Has(p, n => n is Try { Finally: { } f } && FuzzAstWalker.Any(f, m => m is Recv)),
            ["receive in a using body"] = p => Has(p, n => n is Using u && FuzzAstWalker.Any(u.Body, m => m is Recv)),
            ["nested receive (yield (yield))"] = p => Has(p, n => n is Recv { Yielded: { } y } && FuzzAstWalker.Any(y, m => m is Recv)),
            ["bidirectional"] = p => p.Bidirectional,
            ["returns int"] = p => p.ReturnsInt,
            ["for loop"] = p => Has(p, n => n is Loop { Kind: LoopKind.For }),
            ["while loop"] = p => Has(p, n => n is Loop { Kind: LoopKind.While }),
            ["do-while loop"] = p => Has(p, n => n is Loop { Kind: LoopKind.DoWhile }),
            ["while (true) loop"] = p => Has(p, n => n is Loop { Kind: LoopKind.WhileTrue }),
            ["foreach"] = p => Has(p, n => n is Foreach),
            ["receive in a foreach collection"] = p => Has(p, n => n is Foreach f && f.Items.Any(i => FuzzAstWalker.Any(i, m => m is Recv))),
            ["receive in a tuple assignment"] = p => Has(p, n => n is TupleAssign t && FuzzAstWalker.Any(t, m => m is Recv)),
            ["switch section with a when guard"] = p => Has(p, n => n is Switch s && s.Sections.Any(section => section.Guard is not null)),
            ["switch"] = p => Has(p, n => n is Switch),
            ["using"] = p => Has(p, n => n is Using),
            ["catch ValueError"] = p => Has(p, n => n is Catch { Kind: CatchKind.ValueError }),
            ["catch KeyError"] = p => Has(p, n => n is Catch { Kind: CatchKind.KeyError }),
            ["catch GeneratorExitException"] = p => Has(p, n => n is Catch { Kind: CatchKind.GeneratorExit }),
            ["catch (Exception)"] = p => Has(p, n => n is Catch { Kind: CatchKind.Exception }),
            ["bare catch"] = p => Has(p, n => n is Catch { Kind: CatchKind.Bare }),
            ["finally"] = p => Has(p, n => n is Try { Finally: not null }),
            ["throw"] = p => Has(p, n => n is Throw),
            ["rethrow"] = p => Has(p, n => n is Rethrow),
            ["break"] = p => Has(p, n => n is Break),
            ["continue"] = p => Has(p, n => n is Continue),
            ["return"] = p => Has(p, n => n is Return),
            ["return inside try with finally"] = p => Has(p, n => n is Try { Finally: not null } t && FuzzAstWalker.Any(t.Body, m => m is Return)),
            ["break out of a try with finally"] = p => Has(p, n => n is Try { Finally: not null } t && t.Body.Any(s => FuzzAstWalker.Any(s, m => m is Break))),
            ["caught exception printed after a receive"] = p => Has(p, n => n is Catch { Variable: { } v } c && ReceiveBefore(c.Body, v)),
            ["receive in a thrown exception's message"] = p => Has(p, n => n is Throw { Value: { } v } && FuzzAstWalker.Any(v, m => m is Recv)),
            ["using var"] = p => Has(p, n => n is UsingVar),
            ["receive after a using var"] = p => Has(p, n => n is Loop or If or Try or Using or Foreach && HasReceiveAfterUsingVar(n)),
            ["lambda called with a receive"] = p => Has(p, n => n is LambdaCall { Arg: var a } && FuzzAstWalker.Any(a, m => m is Recv)),
            ["assignment expression with a receive"] = p => Has(p, n => n is AssignExpr a && FuzzAstWalker.Any(a.Value, m => m is Recv)),
            ["increment in an expression"] = p => Has(p, n => n is Increment),
            ["string local assigned a receive"] = p => Has(p, n => n is SetText { Value: Recv }),
            ["string local read in a yielded value"] = p => Has(p, n => n is Recv { Yielded: { } y } && FuzzAstWalker.Any(y, m => m is TextLength)),
            ["string local read before a receive"] = p => Has(p, n => n is Print pr && pr.Items is [TextLength, Recv, ..]),
            ["closure stored outside the coroutine"] = p => Has(p, n => n is StoreClosure),
            ["YieldFrom to a sub-template"] = p => Has(p, n => n is YieldFromSub),
            ["YieldFrom in an expression"] = p => Has(p, n => n is Plus { Left: YieldFromSub } or Call2 { Right: YieldFromSub }),
            ["YieldFrom in a sub-template (two levels)"] = p => p.SubPrograms.Any(sub => FuzzAstWalker.Any(sub.Body, n => n is YieldFromSub)),
            ["YieldFrom to an unprimed sub"] = p => Has(p, n => n is YieldFromSub y && !p.SubPrograms[y.Sub].Primes),
            ["sub-template created and driven by hand"] = p => Has(p, n => n is PokeSub),
            ["unprimed program"] = p => !p.Primes,
            ["driver: early operation on a created coroutine"] = p => !p.Primes && p.Scripts.Any(ops => ops[0].Kind != OpKind.Start),
            ["driver: Throw(GeneratorExit)"] = p => p.Ops.Any(o => o is { Kind: OpKind.Throw, Exception: "GeneratorExit" }),
            ["driver: Throw(TypeError)"] = p => p.Ops.Any(o => o is { Kind: OpKind.Throw, Exception: "TypeError" }),
            ["async program"] = p => p.Async,
            ["async bidirectional program"] = p => p.Async && p.Bidirectional,
            ["async ValueTask template"] = p => p.AsyncValueTask,
            ["closures called while a send is in flight"] = p => p.Ops.Any(o => o.Kind == OpKind.Overlap) && Has(p, n => n is StoreClosure),
            ["async unprimed program"] = p => p.Async && !p.Primes,
            ["async program driving a sub by hand"] = p => p.Async && Has(p, n => n is PokeSub),
            ["await right before a receive (the end of an async fast path)"] = p => Has(p, n => AwaitBeforeReceive(n)),
            ["await Task.CompletedTask"] = p => Has(p, n => n is AwaitStmt { Kind: AwaitKind.Completed }),
            ["await Task.Yield()"] = p => Has(p, n => n is AwaitStmt { Kind: AwaitKind.Yielding, Tag: null }),
            ["await of a yielding task (statement)"] = p => Has(p, n => n is AwaitStmt { Kind: AwaitKind.Yielding, Tag: not null }),
            ["await Task.FromResult(x)"] = p => Has(p, n => n is AwaitValue { Kind: AwaitKind.Completed }),
            ["await of a completed task that prints"] = p => Has(p, n => n is AwaitValue { Kind: AwaitKind.Traced }),
            ["await of a yielding task (value)"] = p => Has(p, n => n is AwaitValue { Kind: AwaitKind.Yielding }),
            ["ConfigureAwait(false)"] = p => Has(p, n => n is AwaitValue { ConfigureAwait: true } or AwaitStmt { ConfigureAwait: true } or AwaitForeach { ConfigureAwait: true } or AwaitUsing { ConfigureAwait: true }),
            ["f(await a, receive, await b)"] = p => Has(p, n => n is Call3 { First: AwaitValue, Second: Recv, Third: AwaitValue }),
            ["await with a receive in its operand"] = p => Has(p, n => n is AwaitValue a && FuzzAstWalker.Any(a.Arg, m => m is Recv)),
            ["await in a try body with a receive"] = p => Has(p, n => n is Try t && FuzzAstWalker.Any(t.Body, m => m is AwaitValue or AwaitStmt) && FuzzAstWalker.Any(t.Body, m => m is Recv)),
            ["await in a catch body"] = p => Has(p, n => n is Catch c && FuzzAstWalker.Any(c.Body, m => m is AwaitValue or AwaitStmt)),
            ["await in a GeneratorExit handler"] = p => Has(p, n => n is Catch { Kind: CatchKind.GeneratorExit } c && FuzzAstWalker.Any(c.Body, m => m is AwaitValue or AwaitStmt)),
            ["await in a finally body"] = p => Has(p, n => n is Try { Finally: { } f } && FuzzAstWalker.Any(f, m => m is AwaitValue or AwaitStmt)),
            ["await in a loop condition"] = p => Has(p, n => n is Loop { Condition: { } c } && FuzzAstWalker.Any(c, m => m is AwaitValue)),
            ["await foreach with a receive in its body"] = p => Has(p, n => n is AwaitForeach f && FuzzAstWalker.Any(f.Body, m => m is Recv)),
            ["await foreach over a yielding sequence"] = p => Has(p, n => n is AwaitForeach { Yielding: true }),
            ["await using with a receive in its body"] = p => Has(p, n => n is AwaitUsing { Body: { } b } && FuzzAstWalker.Any(b, m => m is Recv)),
            ["await using var"] = p => Has(p, n => n is AwaitUsing { Body: null }),
            ["await using with a yielding DisposeAsync"] = p => Has(p, n => n is AwaitUsing { Yielding: true }),
            ["driver: a call while a send is in flight"] = p => p.Ops.Any(o => o.Kind == OpKind.Overlap),
        };
        return checks.ToDictionary(c => c.Key, c => programs.Count(c.Value));
    }

    private static bool ReceiveBefore(IReadOnlyList<Stmt> body, string variable)
    {
        var seen = false;
        foreach (var statement in body)
        {
            if (seen && FuzzAstWalker.Any(statement, n => n is PrintException p && p.Variable == variable))
            {
                return true;
            }

            seen |= FuzzAstWalker.Any(statement, n => n is Recv);
        }

        return false;
    }

    private static bool AwaitBeforeReceive(object node) =>
        FuzzAstWalker.Children(node).OfType<Stmt>().Zip(FuzzAstWalker.Children(node).OfType<Stmt>().Skip(1))
            .Any(pair => pair.First is AwaitStmt or If { Then: [AwaitStmt] } && pair.Second is ExprStmt { Expression: Recv } or Assign { Value: Mod { Operand: Recv } });

    private static bool HasReceiveAfterUsingVar(object node) =>
        FuzzAstWalker.Children(node).OfType<Stmt>().SkipWhile(s => s is not UsingVar).Skip(1).Any(s => FuzzAstWalker.Any(s, n => n is Recv));

    private static bool Has(FuzzProgram program, Func<object, bool> predicate) =>
        program.SubPrograms.Select(sub => sub.Body).Prepend(program.Body)
            .Any(body => FuzzAstWalker.Any(body, n => predicate(n) || (n is Try t && t.Catches.Any(c => predicate(c)))));
}

/// <summary>The environment variables of a local fuzzing run.</summary>
internal sealed record FuzzSettings(IReadOnlyList<int> Seeds, int BatchSize, string? Dump)
{
    /// <summary>
    /// The settings, or null when neither FUZZ_COUNT nor FUZZ_SEEDS is set. FUZZ_SEEDS (e.g. "12,40-45") wins over
    /// FUZZ_START/FUZZ_COUNT.
    /// </summary>
    public static FuzzSettings? FromEnvironment()
    {
        var count = Environment.GetEnvironmentVariable("FUZZ_COUNT");
        var list = Environment.GetEnvironmentVariable("FUZZ_SEEDS");
        if (string.IsNullOrEmpty(count) && string.IsNullOrEmpty(list))
        {
            return null;
        }

        static int Read(string name, int fallback)
        {
            var text = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrEmpty(text) ? fallback : int.Parse(text, CultureInfo.InvariantCulture);
        }

        List<int> seeds;
        if (!string.IsNullOrEmpty(list))
        {
            seeds = [];
            foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var range = part.Split('-');
                var first = int.Parse(range[0], CultureInfo.InvariantCulture);
                var last = range.Length > 1 ? int.Parse(range[1], CultureInfo.InvariantCulture) : first;
                seeds.AddRange(Enumerable.Range(first, last - first + 1));
            }
        }
        else
        {
            seeds = Enumerable.Range(Read("FUZZ_START", 0), int.Parse(count!, CultureInfo.InvariantCulture)).ToList();
        }

        var dump = Environment.GetEnvironmentVariable("FUZZ_DUMP");
        return new FuzzSettings(seeds, Math.Max(1, Read("FUZZ_BATCH", FuzzTests.DefaultBatchSize)), string.IsNullOrEmpty(dump) ? null : dump);
    }
}
