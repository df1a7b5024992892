using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Tests.Robustness;

/// <summary>What running the generator and the analyzer over one (possibly broken) source produced.</summary>
/// <param name="Problems">Everything that must never happen (an exception, CS8785, AD0001, garbage output); empty when all is well.</param>
/// <param name="GeneratedSources">The generated files (hint name, text).</param>
/// <param name="AnalyzerDiagnostics">The CoroutineAnalyzer's diagnostics for the source's file.</param>
/// <param name="Output">The compilation with the generated files.</param>
public sealed record NeverBreaksOutcome(
    IReadOnlyList<string> Problems,
    IReadOnlyList<GeneratedFile> GeneratedSources,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics,
    Compilation Output)
{
    /// <summary>The compilation the generator saw (the source and the implicit usings, no generated file).</summary>
    public required Compilation Input { get; init; }

    /// <summary>The syntax trees of the generated files in <see cref="Output"/>, in the order of <see cref="GeneratedSources"/>.</summary>
    public required ImmutableArray<SyntaxTree> GeneratedTrees { get; init; }

    /// <summary>The exception the generator threw (the driver reports it as CS8785), or null.</summary>
    public required Exception? GeneratorException { get; init; }

    /// <summary>The diagnostics the generator run reported (CS8785 when it threw; none by design otherwise).</summary>
    public required ImmutableArray<Diagnostic> GeneratorDiagnostics { get; init; }

    /// <summary>The exceptions the analyzer threw (each also gives an AD0001).</summary>
    public required IReadOnlyList<Exception> AnalyzerExceptions { get; init; }

    /// <summary>Wall-clock time of the generator driver's run (the generator's own binding of the templates included).</summary>
    public required TimeSpan GeneratorTime { get; init; }

    /// <summary>Time spent in the analyzer's callbacks (Roslyn's analyzer telemetry).</summary>
    public required TimeSpan AnalyzerTime { get; init; }
}

/// <summary>
/// Runs <see cref="CoroutineGenerator"/> and <see cref="CoroutineAnalyzer"/> over a source the way the IDE does while
/// someone types: the generator through a <see cref="CSharpGeneratorDriver"/>, the analyzer through
/// <see cref="CompilationWithAnalyzers"/> over the compilation that includes the generated files. It collects every
/// sign of breakage: the driver's <see cref="GeneratorRunResult.Exception"/>, CS8785 (generator failed), any other
/// diagnostic the generator reports (it reports none by design), AD0001 (analyzer threw) and analyzer exceptions,
/// and, when the source has no syntax errors, generated files that do not parse or contain <c>#error</c>.
/// </summary>
public static class NeverBreaksCheck
{
    /// <summary>
    /// The implicit usings of an SDK project (<c>ImplicitUsings</c>), because the repository's template files are
    /// written for one (tests/CoroutineGen.Tests). Added to every compilation as its own file.
    /// </summary>
    public const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    internal static readonly SyntaxTree ImplicitUsingsTree =
        CSharpSyntaxTree.ParseText(SourceText.From(ImplicitUsings, Encoding.UTF8), GeneratorHarness.ParseOptions, "/src/Generated/GlobalUsings.g.cs");

    /// <summary>An empty compilation with the harness's references and options; variants are added to it.</summary>
    internal static readonly CSharpCompilation Empty = GeneratorHarness.CreateCompilation();

    /// <summary>Parses <paramref name="text"/> as the file <paramref name="path"/> with the harness's parse options.</summary>
    public static SyntaxTree Parse(string text, string path) =>
        CSharpSyntaxTree.ParseText(SourceText.From(text, Encoding.UTF8), GeneratorHarness.ParseOptions, path);

    /// <summary>
    /// The garbage check: when <paramref name="input"/> has no syntax errors, every generated file must parse
    /// without errors and must not contain <c>#error</c> (the generator writes one only for an internal error).
    /// A source that does not parse may give templates whose copied statements do not parse either.
    /// </summary>
    public static List<string> CheckGenerated(SyntaxTree input, IEnumerable<(string HintName, string Text)> generated)
    {
        var problems = new List<string>();
        if (input.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return problems;
        }

        foreach (var (hintName, text) in generated)
        {
            if (text.Contains("#error", StringComparison.Ordinal))
            {
                problems.Add($"{hintName} contains #error: {text.Trim()}");
            }

            var syntaxErrors = Parse(text, hintName).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (syntaxErrors.Count > 0)
            {
                problems.Add($"{hintName} does not parse: {string.Join("; ", syntaxErrors.Take(3).Select(GeneratorHarness.Describe))}");
            }
        }

        return problems;
    }

    /// <summary>A new driver with the generator, as the IDE or a build creates one.</summary>
    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            [new CoroutineGenerator().AsSourceGenerator()],
            parseOptions: parseOptions ?? GeneratorHarness.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    /// <summary>
    /// Runs the generator and the analyzer over <paramref name="tree"/> (plus the implicit usings, parsed with the
    /// tree's own options).
    /// </summary>
    public static async Task<NeverBreaksOutcome> RunAsync(SyntaxTree tree)
    {
        var problems = new List<string>();
        var parseOptions = (CSharpParseOptions)tree.Options;
        var usings = parseOptions.LanguageVersion == GeneratorHarness.ParseOptions.LanguageVersion
            ? ImplicitUsingsTree
            : ImplicitUsingsTree.WithRootAndOptions(ImplicitUsingsTree.GetRoot(), parseOptions);
        var compilation = Empty.AddSyntaxTrees(usings, tree);

        var driver = CreateDriver(parseOptions);
        var generatorWatch = System.Diagnostics.Stopwatch.StartNew();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        generatorWatch.Stop();
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is { } exception)
        {
            problems.Add("the generator threw: " + exception);
        }

        foreach (var diagnostic in driverDiagnostics.Concat(result.Diagnostics).Distinct())
        {
            problems.Add("the generator reported " + GeneratorHarness.Describe(diagnostic));
        }

        var sources = result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();
        problems.AddRange(CheckGenerated(tree, sources.Select(s => (s.HintName, s.SourceText.ToString()))));

        var analyzerExceptions = new ConcurrentQueue<Exception>();
        var withAnalyzers = output.WithAnalyzers(
            [new CoroutineAnalyzer()],
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]),
                onAnalyzerException: (e, _, _) => analyzerExceptions.Enqueue(e),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: true));
        // The analyzer's diagnostics for the source's own file (the IDE's view of an open document): every action of
        // CoroutineAnalyzer is per syntax node or operation, and it does not analyze generated code.
        var analyzerDiagnostics = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(output.GetSemanticModel(tree), filterSpan: null, CancellationToken.None);
        foreach (var e in analyzerExceptions)
        {
            problems.Add("the analyzer threw: " + e);
        }

        foreach (var diagnostic in analyzerDiagnostics.Where(d => d.Id == "AD0001"))
        {
            problems.Add("the analyzer failed: " + GeneratorHarness.Describe(diagnostic));
        }

        var analyzer = withAnalyzers.Analyzers.Single();
        var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
        var generatedTrees = output.SyntaxTrees.Where(t => !compilation.SyntaxTrees.Contains(t)).ToImmutableArray();

        return new NeverBreaksOutcome(
            problems,
            sources.Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString())).ToList(),
            analyzerDiagnostics,
            output)
        {
            Input = compilation,
            GeneratedTrees = generatedTrees,
            GeneratorException = result.Exception,
            GeneratorDiagnostics = driverDiagnostics.Concat(result.Diagnostics).Distinct().ToImmutableArray(),
            AnalyzerExceptions = analyzerExceptions.ToList(),
            GeneratorTime = generatorWatch.Elapsed,
            AnalyzerTime = telemetry.ExecutionTime,
        };
    }
}
