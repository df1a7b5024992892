using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Tests.Robustness;

/// <summary>
/// One source run through <see cref="NeverBreaksCheck"/>, with the verdicts a robustness test asks for: did anything
/// break (an exception, CS8785, AD0001, CORO0010, <c>#error</c>), which CORO errors the analyzer reported, was a
/// template dropped without a diagnostic, and does the output compile.
/// </summary>
internal sealed class RobustnessOutcome
{
    private RobustnessOutcome(string source, NeverBreaksOutcome outcome)
    {
        Source = source;
        Outcome = outcome;
    }

    public string Source { get; }

    public NeverBreaksOutcome Outcome { get; }

    public IReadOnlyList<Diagnostic> AnalyzerDiagnostics => Outcome.AnalyzerDiagnostics;

    /// <summary>The analyzer's CORO errors (CORO0010, the internal error, is a break, not a reason).</summary>
    public IReadOnlyList<Diagnostic> CoroErrors =>
        Outcome.AnalyzerDiagnostics.Where(d => d.Id.StartsWith("CORO", StringComparison.Ordinal) && d.Id != "CORO0010" && d.Severity == DiagnosticSeverity.Error).ToList();

    public static RobustnessOutcome Of(string source) =>
        new(source, NeverBreaksCheck.RunAsync(NeverBreaksCheck.Parse(source, GeneratorHarness.DefaultPath)).GetAwaiter().GetResult());

    /// <summary>Everything that must never happen, whatever the input.</summary>
    public IReadOnlyList<string> Breaks()
    {
        var problems = new List<string>(Outcome.Problems);
        problems.AddRange(Outcome.AnalyzerDiagnostics.Where(d => d.Id == "CORO0010").Select(d => "internal error: " + GeneratorHarness.Describe(d)));
        problems.AddRange(Outcome.GeneratedSources.Where(s => s.Text.Contains("#error", StringComparison.Ordinal)).Select(s => $"{s.HintName} contains #error"));
        return problems.Distinct().ToList();
    }

    public void AssertNeverBroke(string name)
    {
        var breaks = Breaks();
        Assert.True(breaks.Count == 0, name + ":" + Environment.NewLine + string.Join(Environment.NewLine, breaks));
    }

    /// <summary>The output compilation has no error (the input is valid C# that only lacks the generated factories).</summary>
    public void AssertCompiles(string name)
    {
        var errors = Outcome.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, name + ": the output does not compile:" + Environment.NewLine
            + string.Join(Environment.NewLine, errors.Take(10).Select(GeneratorHarness.Describe))
            + Environment.NewLine + string.Join(Environment.NewLine, Outcome.GeneratedSources.Select(s => s.HintName)));
        var templates = Outcome.Output.SyntaxTrees.First(t => t.FilePath == GeneratorHarness.DefaultPath).GetRoot()
            .DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Count(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Coroutine" or "CoroutineAttribute"));
        Assert.True(Outcome.GeneratedSources.Count == templates, $"{name}: {templates} templates, {Outcome.GeneratedSources.Count} generated files");
    }
}
