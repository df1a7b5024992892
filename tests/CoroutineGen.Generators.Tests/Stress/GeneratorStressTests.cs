using System.Diagnostics;
using System.Globalization;
using CoroutineGen.Generators.Emit;
using CoroutineGen.Generators.Lowering;
using CoroutineGen.Generators.Model;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace CoroutineGen.Generators.Tests.Stress;

/// <summary>
/// 1,000 templates of varied shapes (<see cref="StressTemplates"/>) in one compilation: the generator makes every
/// one of them, and its time (the driver's <see cref="GeneratorDriver.GetTimingInfo"/>) stays far below the
/// generous bound asserted here, <see cref="Bound"/>, so the test never flakes on a slow machine; the measured
/// numbers go to the test output and into docs/performance.md ("Generator"). The target is well under a second.
/// The class runs alone (<see cref="TimingCollection"/>), after the tests that run in parallel, so that they do not
/// share the cores with it while it is timed.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class GeneratorStressTests(ITestOutputHelper output)
{
    public const int Templates = 1000;

    public const int TemplatesPerFile = 20;

    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void Every_shape_compiles_clean_and_runs_through_the_lowering()
    {
        var sources = StressTemplates.Sources(StressTemplates.Shapes.Count, StressTemplates.Shapes.Count);
        var run = GeneratorHarness.Run(sources.ToArray());

        Assert.Equal(StressTemplates.Shapes.Count, run.GeneratedSources.Count);
        GeneratorHarness.AssertCompilesClean(run, tolerateScaffoldingWarnings: true);
    }

    [Fact]
    public void A_thousand_templates_generate_in_well_under_the_bound()
    {
        var sources = StressTemplates.Sources(Templates, TemplatesPerFile);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s.Text, System.Text.Encoding.UTF8), GeneratorHarness.ParseOptions, s.Path)).ToList();
        CSharpCompilation Fresh() => CSharpCompilation.Create("Stress", trees, GeneratorHarness.References, GeneratorHarness.CompilationOptions);

        // A new driver over a new compilation (nothing cached: what a command-line build does), three times: the
        // first one in this process may still run cold code.
        var (firstDriver, first) = Run(Fresh());
        var again = Enumerable.Range(0, 2).Select(_ => Run(Fresh()).Time).ToList();
        var all = again.Prepend(first).Order().ToList();

        // An IDE edit: one template changed, the same driver runs again. The parse (the Templates step) runs again
        // for the templates of the edited file only (the declarations are unchanged: ProjectDeclarations), and only
        // the edited one is lowered and emitted again.
        var edited = Fresh();
        var tree = edited.SyntaxTrees.First();
        var text = tree.GetText().ToString();
        var at = text.IndexOf("else if (line.Length == 0) continue;", StringComparison.Ordinal);
        edited = edited.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(text[..at] + "else if (line.Length < 2) continue;" + text[(at + "else if (line.Length == 0) continue;".Length)..], System.Text.Encoding.UTF8)));
        var (editedDriver, incremental) = Run(edited, firstDriver);
        var reasons = editedDriver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).GroupBy(o => o.Reason).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Templates - 1, reasons.GetValueOrDefault(IncrementalStepRunReason.Cached));
        Assert.Equal(1, reasons.GetValueOrDefault(IncrementalStepRunReason.Modified));

        // Only the edited file's templates were parsed again: the others' parse step is Cached (it did not run).
        var parses = editedDriver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Templates].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(Templates, parses.Count);
        Assert.Equal(Templates - TemplatesPerFile, parses.Count(o => o.Reason == IncrementalStepRunReason.Cached));

        // For scale: the compiler's own analysis of the same source (binding every template body, and everything else).
        var compilerWatch = Stopwatch.StartNew();
        var inputErrors = Fresh().GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
        var compilerTime = compilerWatch.Elapsed;
        Assert.Equal(0, inputErrors);

        var result = firstDriver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(Templates, result.GeneratedSources.Length);
        Assert.Equal(Templates, result.GeneratedSources.Select(s => s.HintName).Distinct().Count());
        Assert.All(result.GeneratedSources, s =>
        {
            Assert.DoesNotContain("#error", s.SourceText.ToString(), StringComparison.Ordinal);
            Assert.Empty(s.SyntaxTree.GetDiagnostics());
        });

        // Where the time goes: lowering and emitting the thousand models again, outside the driver (the rest of the
        // driver's time is finding the templates and parsing them with the semantic model).
        var models = result.TrackedSteps[TrackingNames.ValidTemplates].SelectMany(s => s.Outputs).Select(o => (TemplateModel)o.Value).ToList();
        Assert.Equal(Templates, models.Count);
        var watch = Stopwatch.StartNew();
        var characters = models.Sum(m => CoroutineEmitter.Emit(CoroutineLowerer.Lower(m).Coroutine!).Length);
        var lowerAndEmit = watch.Elapsed;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            {Templates} templates ({StressTemplates.Shapes.Count} shapes, {sources.Count} files, {sources.Sum(s => s.Text.Length) / 1024} KB of source), {characters / 1024} KB generated
            generator time (GeneratorDriver.GetTimingInfo):
              new driver, new compilation:        {Ms(first)} ms (first in this process), then {string.Join(" and ", again.Select(Ms))} ms
              same driver, one template edited:   {Ms(incremental)} ms ({reasons.GetValueOrDefault(IncrementalStepRunReason.Cached)} source outputs cached, {reasons.GetValueOrDefault(IncrementalStepRunReason.Modified)} regenerated)
            the same runs in CPU time of the driver's thread: {string.Join(", ", _runs.Select(r => r.Cpu is { } cpu ? Ms(cpu) + " ms" : "n/a"))}
            lowering + emitting all {Templates} models again (measured apart): {Ms(lowerAndEmit)} ms
            for scale, the compiler's GetDiagnostics() of the input (binds every template body): {Ms(compilerTime)} ms
            load average at the end: {LoadAverage()}
            machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {(IsOptimized ? "Release" : "Debug")} build of the generator
            """));

        Assert.True(all[1] < Bound, $"The generator took {string.Join(", ", all.Select(Ms))} ms over 1,000 templates (bound {Bound.TotalMilliseconds} ms for the median)");
        Assert.True(incremental < Bound, $"The incremental run took {Ms(incremental)} ms (bound {Bound.TotalMilliseconds} ms)");
    }

    private readonly List<(TimeSpan Wall, TimeSpan? Cpu)> _runs = new();

    private (GeneratorDriver Driver, TimeSpan Time) Run(CSharpCompilation compilation, GeneratorDriver? driver = null)
    {
        driver ??= CSharpGeneratorDriver.Create(
            [new CoroutineGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        var cpuBefore = ThreadCpuTime();
        driver = driver.RunGenerators(compilation);
        var cpuAfter = ThreadCpuTime();
        var time = driver.GetTimingInfo().GeneratorTimes.Single().ElapsedTime;
        _runs.Add((time, cpuAfter - cpuBefore));
        return (driver, time);
    }

    /// <summary>
    /// The CPU time of the calling thread (Linux: /proc/thread-self/stat, in 10 ms ticks), or null elsewhere. The
    /// driver runs the generator on the calling thread, so this is its work without the time it waited for a core
    /// on a busy machine (the wall-clock time of GetTimingInfo includes that wait).
    /// </summary>
    private static TimeSpan? ThreadCpuTime()
    {
        const string stat = "/proc/thread-self/stat";
        if (!File.Exists(stat))
        {
            return null;
        }

        var text = File.ReadAllText(stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: state is field 3, utime and stime are fields 14 and 15 (clock ticks of 10 ms).
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture);

    private static bool IsOptimized =>
        typeof(CoroutineGenerator).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().All(d => !d.IsJITOptimizerDisabled);
}

/// <summary>Tests that measure time: xunit runs this collection alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing (runs alone)";
}
