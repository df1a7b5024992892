using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace CoroutineGen.Generators.Tests.Robustness;

/// <summary>
/// A generator that never breaks: the generator and the analyzer see every half-typed state of the repository's
/// templates (<see cref="TemplateCorpus"/>) and must never throw (no CS8785, no AD0001, no exception in the run
/// result), and for a source without syntax errors they must not produce garbage (every generated file parses, none
/// has <c>#error</c>). The broken variants of each sample are
/// <list type="bullet">
/// <item>prefix truncations: the file cut at a character offset (what the IDE sees while a file is typed top to bottom);</item>
/// <item>token deletions and token duplications inside the <c>[Coroutine]</c> methods (a missing or doubled
/// <c>;</c>, <c>)</c>, <c>}</c>, keyword, identifier...), at positions drawn from a fixed seed.</item>
/// </list>
/// By default the prefixes are sampled (<see cref="SampledPrefixes"/> per file, evenly spread, with a fixed phase)
/// and <see cref="SampledTokens"/> deletions and duplications are drawn per file, which keeps the whole class
/// under a minute. Set <c>COROUTINEGEN_ROBUSTNESS=exhaustive</c> to cut every file at every character and to delete
/// and duplicate every token of every template (minutes to hours).
/// </summary>
public sealed class BrokenTemplateTests(ITestOutputHelper output)
{
    /// <summary>The environment variable that selects the exhaustive mode (value <c>exhaustive</c>).</summary>
    public const string ModeVariable = "COROUTINEGEN_ROBUSTNESS";

    /// <summary>Prefixes per sample file in the default (sampled) mode.</summary>
    public const int SampledPrefixes = 60;

    /// <summary>Token deletions, and as many duplications, per sample file in the default (sampled) mode.</summary>
    public const int SampledTokens = 25;

    public static bool Exhaustive => string.Equals(Environment.GetEnvironmentVariable(ModeVariable), "exhaustive", StringComparison.OrdinalIgnoreCase);

    public static TheoryData<string> Samples => new(TemplateCorpus.All.Select(s => s.Name));

    [Fact]
    public async Task The_corpus_holds_the_repository_templates_and_each_generates_cleanly()
    {
        var names = TemplateCorpus.All.Select(s => s.Name).ToList();
        Assert.Contains("tests/CoroutineGen.Tests/Pipelines/LogPipelines.cs", names);
        Assert.Contains("GoldenTests.Grep", names);
        Assert.Contains("GoldenTests.NestedTryCatchFinally", names);
        Assert.True(names.Count(n => n.StartsWith("GoldenTests.", StringComparison.Ordinal)) >= 10, string.Join(", ", names));
        Assert.Equal(names.Count, names.Distinct().Count());

        // The unbroken samples are valid templates: the generator makes a source for each, without garbage.
        foreach (var sample in TemplateCorpus.All)
        {
            var outcome = await NeverBreaksCheck.RunAsync(NeverBreaksCheck.Parse(sample.Text, PathOf(sample)));
            Assert.True(outcome.Problems.Count == 0, sample.Name + ": " + string.Join(Environment.NewLine, outcome.Problems));
            // A file whose templates use types of other files of its project (a shared test driver, say) cannot be
            // generated alone; then the analyzer must say why (they agree), else the file must generate.
            Assert.True(
                outcome.GeneratedSources.Count > 0 || outcome.AnalyzerDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error),
                sample.Name + " generated nothing, and the analyzer reported no error");
            output.WriteLine($"{sample.Name}: {sample.Text.Length} chars, {outcome.GeneratedSources.Count} generated file(s)");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public Task Prefix_truncations_never_break_the_generator_or_the_analyzer(string sample) =>
        CheckAll(sample, "prefix", Prefixes);

    [Theory]
    [MemberData(nameof(Samples))]
    public Task Token_deletions_never_break_the_generator_or_the_analyzer(string sample) =>
        CheckAll(sample, "deletion", s => TokenMutations(s, duplicate: false));

    [Theory]
    [MemberData(nameof(Samples))]
    public Task Token_duplications_never_break_the_generator_or_the_analyzer(string sample) =>
        CheckAll(sample, "duplication", s => TokenMutations(s, duplicate: true));

    /// <summary>
    /// The check must be able to fail: a generated file with <c>#error</c> (what the generator writes for an internal
    /// error) is reported for a well-formed source, and a generator exception would be too (it surfaces as CS8785).
    /// </summary>
    [Fact]
    public async Task The_check_reports_an_error_directive_in_generated_code()
    {
        var outcome = await NeverBreaksCheck.RunAsync(NeverBreaksCheck.Parse("class C { }", "/src/C.cs"));
        Assert.Empty(outcome.Problems);

        var problems = NeverBreaksCheck.CheckGenerated(
            NeverBreaksCheck.Parse("class C { }", "/src/C.cs"),
            [("Demo.C.M.g.cs", "#error CoroutineGen could not compile the template C.M: boom\n"), ("Demo.C.N.g.cs", "class {")]);
        Assert.Contains(problems, p => p.StartsWith("Demo.C.M.g.cs contains #error", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Demo.C.N.g.cs does not parse", StringComparison.Ordinal));

        // A source with syntax errors may give generated files with syntax errors (its statements are copied).
        Assert.Empty(NeverBreaksCheck.CheckGenerated(NeverBreaksCheck.Parse("class C {", "/src/C.cs"), [("Demo.C.N.g.cs", "class {")]));
    }

    public static string PathOf(TemplateSample sample) =>
        "/src/Robustness/" + sample.Name.Replace('/', '_') + (sample.Name.EndsWith(".cs", StringComparison.Ordinal) ? string.Empty : ".cs");

    private async Task CheckAll(string sampleName, string kind, Func<TemplateSample, IEnumerable<(int Position, string Text)>> variants)
    {
        var sample = TemplateCorpus.All.Single(s => s.Name == sampleName);
        var path = PathOf(sample);
        var failures = new List<string>();
        var count = 0;
        var withSources = 0;
        var diagnosed = 0;
        var watch = Stopwatch.StartNew();
        // Both cores: each variant is independent (its own compilation, driver and analyzer run).
        var outcomes = new ConcurrentBag<(int Position, string Text, IReadOnlyList<string> Problems, bool Generated, bool Diagnosed)>();
        await Parallel.ForEachAsync(
            variants(sample),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (variant, _) =>
            {
                var outcome = await NeverBreaksCheck.RunAsync(NeverBreaksCheck.Parse(variant.Text, path));
                outcomes.Add((
                    variant.Position,
                    variant.Text,
                    outcome.Problems,
                    outcome.GeneratedSources.Count > 0,
                    outcome.AnalyzerDiagnostics.Any(d => d.Id.StartsWith("CORO", StringComparison.Ordinal))));
            });
        foreach (var (position, text, problems, generated, hasDiagnostic) in outcomes.OrderBy(o => o.Position))
        {
            count++;
            withSources += generated ? 1 : 0;
            diagnosed += hasDiagnostic ? 1 : 0;
            if (problems.Count > 0)
            {
                failures.Add($"{kind} at offset {position}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}{Environment.NewLine}  variant text:{Environment.NewLine}{text}");
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sampleName}: {count} {kind} variants ({(Exhaustive ? "exhaustive" : "sampled")}) in {watch.Elapsed.TotalSeconds:F1} s; {withSources} generated a source, {diagnosed} got a CORO diagnostic, {failures.Count} broke"));
        Assert.True(count > 0, $"{sampleName}: no {kind} variants");
        if (failures.Count > 0)
        {
            Assert.Fail($"{failures.Count} of {count} {kind} variants of {sampleName} broke the generator or the analyzer. The first:{Environment.NewLine}{failures[0]}");
        }
    }

    /// <summary>The sample cut at character offsets: all of them when exhaustive, else <see cref="SampledPrefixes"/> evenly spread.</summary>
    public static IEnumerable<(int Position, string Text)> Prefixes(TemplateSample sample)
    {
        var length = sample.Text.Length;
        if (Exhaustive || length <= SampledPrefixes)
        {
            for (int i = 0; i < length; i++)
            {
                yield return (i, sample.Text[..i]);
            }

            yield break;
        }

        // Evenly spread, starting at a phase drawn from a seed of the sample's name, so that different files are
        // not all cut at the same column.
        var stride = (double)length / SampledPrefixes;
        var phase = new Random(Seed(sample.Name)).NextDouble() * stride;
        for (int k = 0; k < SampledPrefixes; k++)
        {
            var i = Math.Min(length - 1, (int)(phase + (k * stride)));
            yield return (i, sample.Text[..i]);
        }
    }

    /// <summary>
    /// The sample with one token of a <c>[Coroutine]</c> method deleted, or written twice: every such token when
    /// exhaustive, else <see cref="SampledTokens"/> drawn from a seed of the sample's name (and the kind of mutation).
    /// </summary>
    public static IEnumerable<(int Position, string Text)> TokenMutations(TemplateSample sample, bool duplicate)
    {
        var root = CSharpSyntaxTree.ParseText(sample.Text, Infrastructure.GeneratorHarness.ParseOptions).GetRoot();
        var tokens = Harness.Mutations.CoroutineTokens(root);
        Assert.NotEmpty(tokens);

        IEnumerable<SyntaxToken> chosen = tokens;
        if (!Exhaustive && tokens.Count > SampledTokens)
        {
            var random = new Random(Seed(sample.Name) ^ (duplicate ? 0x5EED : 0));
            chosen = Enumerable.Range(0, tokens.Count).OrderBy(_ => random.Next()).Take(SampledTokens).Order().Select(i => tokens[i]);
        }

        foreach (var token in chosen)
        {
            var text = sample.Text;
            var mutated = duplicate
                ? text[..token.Span.End] + " " + token.Text + text[token.Span.End..]
                : text[..token.SpanStart] + text[token.Span.End..];
            yield return (token.SpanStart, mutated);
        }
    }

    /// <summary>A seed that depends only on the text (string.GetHashCode is randomized per process).</summary>
    private static int Seed(string text) => Harness.Mutations.Seed(text);
}
