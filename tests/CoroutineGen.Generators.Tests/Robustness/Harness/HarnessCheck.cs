using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Tests.Robustness.Harness;

/// <summary>One input of the harness: a whole source file.</summary>
/// <param name="Class">The input class for the summary, e.g. <c>mutation/token-swap</c>, <c>variant/identifiers</c>, <c>session/stmt-swap</c>.</param>
/// <param name="Description">Where it comes from and how to make it again (sample, edit, seed, index).</param>
/// <param name="Text">The source.</param>
/// <param name="Path">The file's path in the compilation.</param>
/// <param name="LanguageVersion">The language version to parse it with (Preview for C# 14 features).</param>
public sealed record HarnessInput(string Class, string Description, string Text, string Path = "/src/Harness/Input.cs", LanguageVersion LanguageVersion = LanguageVersion.Latest)
{
    public CSharpParseOptions ParseOptions => GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion);

    public override string ToString() => $"{Class}: {Description}";
}

/// <summary>
/// Something that must never happen. <see cref="Kind"/> is one of the constants of <see cref="FailureKinds"/>;
/// <see cref="Key"/> refines it (a compiler error id, an exception type) so that the summary counts distinct failure
/// classes; <see cref="Detail"/> says exactly what went wrong.
/// </summary>
public sealed record HarnessFailure(string Kind, string Key, string Detail)
{
    /// <summary>The failure class of the summary: the kind and its key.</summary>
    public string Class => Key.Length == 0 ? Kind : Kind + " " + Key;
}

/// <summary>The failure kinds of the harness.</summary>
public static class FailureKinds
{
    public const string GeneratorException = "generator-exception";
    public const string GeneratorDiagnostic = "generator-diagnostic";
    public const string AnalyzerException = "analyzer-exception";
    public const string InternalError = "internal-error";
    public const string ErrorDirective = "error-directive";
    public const string OutputDoesNotParse = "output-does-not-parse";
    public const string DoesNotCompile = "does-not-compile";
    public const string SilentDrop = "silent-drop";
    public const string TooSlow = "too-slow";
    public const string IncrementalMismatch = "incremental-mismatch";
}

/// <summary>What the harness found for one input.</summary>
public sealed record HarnessResult(HarnessInput Input, IReadOnlyList<HarnessFailure> Failures, bool Generated, bool CoroError, bool CompileChecked)
{
    /// <summary>The failures, each with the known failure it matches (null for an unknown one).</summary>
    public IReadOnlyList<(HarnessFailure Failure, KnownFailure? Known)> Classified { get; } =
        Failures.Select(f => (f, KnownFailures.Match(Input, f))).ToList();

    /// <summary>The failures that no entry of <see cref="KnownFailures"/> matches.</summary>
    public IEnumerable<HarnessFailure> Unknown => Classified.Where(c => c.Known is null).Select(c => c.Failure);

    /// <summary>The whole story, to paste into a test: the input in full and what went wrong.</summary>
    public string Report()
    {
        var builder = new StringBuilder();
        builder.AppendLine($"input class: {Input.Class}");
        builder.AppendLine($"input: {Input.Description} (file {Input.Path}, C# {Input.LanguageVersion})");
        foreach (var (failure, known) in Classified)
        {
            builder.AppendLine($"failure [{failure.Class}]{(known is null ? string.Empty : $" (known: {known.Id})")}: {failure.Detail}");
        }

        builder.AppendLine("---- input (verbatim, between the marker lines) ----");
        builder.AppendLine(Input.Text);
        builder.AppendLine("---- end of input ----");
        return builder.ToString();
    }
}

/// <summary>
/// The checks of the robustness harness, for one input (see docs/contributing/tests.md, "The robustness harness"):
/// <list type="number">
/// <item>no generator exception, CS8785 or other generator diagnostic; no analyzer exception or AD0001
/// (<see cref="NeverBreaksCheck"/>);</item>
/// <item>no CORO0010 (internal error) from <see cref="CoroutineAnalyzer"/>;</item>
/// <item>no <c>#error</c> in a generated file, whatever the input; for an input without syntax errors, every generated
/// file parses;</item>
/// <item>the generated code compiles: when the analyzer reports no CORO error and the user's code has no error of its
/// own, the output compilation has no error at all (an input with syntax errors always has errors of its own). "Of its own" is decided by compiling the input without the
/// generator: an error of the input that is still there, same id and place, in the output compilation is the
/// user's (the check is then skipped); an input error that the generated code makes disappear (a call to a factory)
/// is not. So any error of the output is either in a generated file or one the generated code caused;</item>
/// <item>no silent drop: every <c>[Coroutine]</c> method (bound to <c>CoroutineGen.CoroutineAttribute</c>) without a
/// CORO error in its span (or CORO0001 on a containing type) has a generated factory: a method of the same name
/// declared in a generated file, in the template's own type as the output compilation binds it, counted per name so
/// that overloads count;</item>
/// <item>time: the generator's run plus the analyzer's callbacks take at most <see cref="BudgetFactor"/> times the
/// time to compile the output (<c>GetDiagnostics</c> of the output compilation, binding every method body), or
/// <see cref="BudgetFloor"/>, whichever is more (so the output is compiled, for the time, only when the two took more
/// than the floor). Timings on a shared machine are noisy, so an input over budget is measured again and the smaller
/// times count.</item>
/// </list>
/// </summary>
public static class HarnessCheck
{
    /// <summary>The time every input may take whatever its size (JIT of the first inputs, a loaded machine).</summary>
    public static readonly TimeSpan BudgetFloor = TimeSpan.FromSeconds(2);

    /// <summary>Generator plus analyzer may take this many times the time to compile the output.</summary>
    public const int BudgetFactor = 3;

    /// <summary>The thread stack for inputs (Roslyn needs about 1 KB per nested statement; see DeepNestingTests).</summary>
    public const int StackSize = 16 * 1024 * 1024;

    /// <summary>Runs every check on <paramref name="input"/>.</summary>
    public static HarnessResult Run(HarnessInput input)
    {
        var tree = CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(input.Text, Encoding.UTF8), input.ParseOptions, input.Path);
        var outcome = NeverBreaksCheck.RunAsync(tree).GetAwaiter().GetResult();
        var failures = new List<HarnessFailure>();
        failures.AddRange(BreakageFailures(tree, outcome));

        // The output is compiled only when a check needs it: the compile check (which an input with syntax errors
        // never passes to: they are the user's own and stay in the output), or the budget once the generator and
        // the analyzer have taken more than the floor.
        var coroError = outcome.AnalyzerDiagnostics.Any(IsCoroError);
        var compileChecked = outcome.GeneratorException is null && !coroError && !HasSyntaxErrors(tree);
        TimeSpan? compileTime = null;
        IReadOnlyList<Diagnostic> outputErrors = [];
        if (compileChecked || outcome.GeneratorTime + outcome.AnalyzerTime > BudgetFloor)
        {
            (compileTime, outputErrors) = Compile(outcome.Output);
        }

        if (compileChecked)
        {
            failures.AddRange(CompileFailures(outcome.Input, outputErrors, outcome.GeneratedTrees));
        }

        if (outcome.GeneratorException is null)
        {
            failures.AddRange(SilentDrops(outcome.Output, tree, outcome.AnalyzerDiagnostics, outcome.GeneratedTrees));
        }

        if (compileTime is { } compile && OverBudget(outcome.GeneratorTime, outcome.AnalyzerTime, compile) is not null)
        {
            // Once more: the smaller of two measurements, so that a busy neighbour does not fail the input.
            var again = NeverBreaksCheck.RunAsync(tree).GetAwaiter().GetResult();
            var (compileAgain, _) = Compile(again.Output);
            var slow = OverBudget(Min(outcome.GeneratorTime, again.GeneratorTime), Min(outcome.AnalyzerTime, again.AnalyzerTime), Max(compile, compileAgain));
            if (slow is not null)
            {
                failures.Add(new HarnessFailure(FailureKinds.TooSlow, string.Empty, slow));
            }
        }

        return new HarnessResult(input, failures, outcome.GeneratedSources.Count > 0, coroError, compileChecked);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static bool HasSyntaxErrors(SyntaxTree tree) => tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);

    private static (TimeSpan CompileTime, IReadOnlyList<Diagnostic> Errors) Compile(Compilation output)
    {
        var watch = Stopwatch.StartNew();
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return (watch.Elapsed, errors);
    }

    /// <summary>An error-severity CORO diagnostic (CORO0010 included).</summary>
    public static bool IsCoroError(Diagnostic d) => d.Id.StartsWith("CORO", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error;

    /// <summary>Checks 1 to 3: exceptions, generator diagnostics, CORO0010, <c>#error</c>, generated files that do not parse.</summary>
    public static IEnumerable<HarnessFailure> BreakageFailures(SyntaxTree input, NeverBreaksOutcome outcome)
    {
        if (outcome.GeneratorException is { } exception)
        {
            yield return new HarnessFailure(FailureKinds.GeneratorException, exception.GetType().Name, "the generator threw: " + exception);
        }

        foreach (var diagnostic in outcome.GeneratorDiagnostics.Where(d => !(d.Id == "CS8785" && outcome.GeneratorException is not null)))
        {
            yield return new HarnessFailure(FailureKinds.GeneratorDiagnostic, diagnostic.Id, "the generator reported " + GeneratorHarness.Describe(diagnostic));
        }

        foreach (var e in outcome.AnalyzerExceptions)
        {
            yield return new HarnessFailure(FailureKinds.AnalyzerException, e.GetType().Name, "the analyzer threw: " + e);
        }

        foreach (var diagnostic in outcome.AnalyzerDiagnostics.Where(d => d.Id == "AD0001"))
        {
            yield return new HarnessFailure(FailureKinds.AnalyzerException, "AD0001", "the analyzer failed: " + GeneratorHarness.Describe(diagnostic));
        }

        foreach (var diagnostic in outcome.AnalyzerDiagnostics.Where(d => d.Id == "CORO0010"))
        {
            yield return new HarnessFailure(FailureKinds.InternalError, "CORO0010", GeneratorHarness.Describe(diagnostic));
        }

        foreach (var file in outcome.GeneratedSources.Where(s => s.Text.Contains("#error", StringComparison.Ordinal)))
        {
            yield return new HarnessFailure(FailureKinds.ErrorDirective, string.Empty, $"{file.HintName} contains #error: {Shorten(file.Text.Trim(), 2000)}");
        }

        if (!input.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            foreach (var tree in outcome.GeneratedTrees)
            {
                var errors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (errors.Count > 0)
                {
                    yield return new HarnessFailure(FailureKinds.OutputDoesNotParse, errors[0].Id, $"{tree.FilePath} does not parse: {string.Join("; ", errors.Take(3).Select(GeneratorHarness.Describe))}");
                }
            }
        }
    }

    /// <summary>
    /// Check 4: the errors of the output compilation (<paramref name="outputErrors"/>) against those of
    /// <paramref name="input"/> without the generator. None when the user's code has errors of its own.
    /// </summary>
    public static IEnumerable<HarnessFailure> CompileFailures(Compilation input, IReadOnlyList<Diagnostic> outputErrors, ImmutableArray<SyntaxTree> generatedTrees)
    {
        if (outputErrors.Count == 0)
        {
            return [];
        }

        var inputErrors = input.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(Identity)
            .ToHashSet();
        var usersOwn = outputErrors.Any(d => !IsIn(d, generatedTrees) && inputErrors.Contains(Identity(d)));
        if (usersOwn)
        {
            return [];
        }

        return outputErrors
            .GroupBy(d => d.Id)
            .Select(g => new HarnessFailure(
                FailureKinds.DoesNotCompile,
                g.Key,
                $"the output compilation has {g.Count()} {g.Key} error(s) that the input does not have, "
                + (g.Any(d => IsIn(d, generatedTrees)) ? "in generated code" : "in the user's code")
                + ": " + string.Join("; ", g.Take(3).Select(GeneratorHarness.Describe))
                + GeneratedExcerpts(g, generatedTrees)))
            .ToList();
    }

    private static bool IsIn(Diagnostic d, ImmutableArray<SyntaxTree> trees) => d.Location.SourceTree is { } tree && trees.Contains(tree);

    private static (string Id, string Path, int Start, int Length) Identity(Diagnostic d) =>
        (d.Id, d.Location.SourceTree?.FilePath ?? string.Empty, d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);

    private static string GeneratedExcerpts(IEnumerable<Diagnostic> diagnostics, ImmutableArray<SyntaxTree> generatedTrees)
    {
        var builder = new StringBuilder();
        foreach (var d in diagnostics.Where(d => IsIn(d, generatedTrees)).Take(2))
        {
            var text = d.Location.SourceTree!.GetText();
            var line = text.Lines.GetLineFromPosition(d.Location.SourceSpan.Start).LineNumber;
            builder.Append(Environment.NewLine).Append("    generated ").Append(d.Location.SourceTree.FilePath).Append(':');
            for (int i = Math.Max(0, line - 2); i <= Math.Min(text.Lines.Count - 1, line + 2); i++)
            {
                builder.Append(Environment.NewLine).Append(i == line ? "    > " : "      ").Append(Shorten(text.Lines[i].ToString(), 300));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Check 5: every <c>[Coroutine]</c> method of <paramref name="tree"/> without a CORO error has a generated
    /// factory: a method of the same name, declared in a generated file, in the template's own type, as
    /// <paramref name="output"/> (the compilation with the generated files) binds it (so a factory generated into
    /// another type of the same name does not count). Counted per type and name, so overloads count.
    /// </summary>
    public static IEnumerable<HarnessFailure> SilentDrops(Compilation output, SyntaxTree tree, IEnumerable<Diagnostic> analyzerDiagnostics, ImmutableArray<SyntaxTree> generatedTrees)
    {
        var errors = analyzerDiagnostics.Where(IsCoroError).Where(d => d.Location.SourceTree == tree).Select(d => (d.Id, d.Location.SourceSpan)).ToList();
        var model = output.GetSemanticModel(tree);
        var expected = new Dictionary<(INamedTypeSymbol Type, string Name), int>();
        foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (method.AttributeLists.Count == 0
                || model.GetDeclaredSymbol(method) is not { ContainingType: { } type } symbol
                || !symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "CoroutineGen.CoroutineAttribute"))
            {
                continue;
            }

            var types = method.Ancestors().OfType<BaseTypeDeclarationSyntax>().ToList();
            var diagnosed = errors.Any(e => method.Span.Contains(e.SourceSpan)
                || (e.Id == "CORO0001" && types.Any(t => t.Identifier.Span.IntersectsWith(e.SourceSpan))));
            if (!diagnosed)
            {
                var key = (type, symbol.Name);
                expected[key] = expected.GetValueOrDefault(key) + 1;
            }
        }

        foreach (var ((type, name), count) in expected.OrderBy(e => e.Key.Type.ToDisplayString() + "." + e.Key.Name, StringComparer.Ordinal))
        {
            var made = type.GetMembers(name).OfType<IMethodSymbol>()
                .Count(m => m.DeclaringSyntaxReferences.Any(r => generatedTrees.Contains(r.SyntaxTree)));
            if (made < count)
            {
                yield return new HarnessFailure(FailureKinds.SilentDrop, string.Empty,
                    $"{type.ToDisplayString()}.{name}: {count} [Coroutine] method(s) without a CORO error, {made} generated factor{(made == 1 ? "y" : "ies")} in that type (generated files: {string.Join(", ", generatedTrees.Select(t => t.FilePath))})");
            }
        }
    }

    /// <summary>Check 6: null when within budget, else what was measured.</summary>
    public static string? OverBudget(TimeSpan generator, TimeSpan analyzer, TimeSpan compile)
    {
        var budget = TimeSpan.FromTicks(Math.Max(BudgetFloor.Ticks, BudgetFactor * compile.Ticks));
        return generator + analyzer <= budget
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"the generator took {generator.TotalMilliseconds:F0} ms and the analyzer {analyzer.TotalMilliseconds:F0} ms; the budget is {budget.TotalMilliseconds:F0} ms (max({BudgetFloor.TotalSeconds:F0} s, {BudgetFactor} x {compile.TotalMilliseconds:F0} ms to compile the output))");
    }

    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + $"... ({text.Length - max} more chars)";
}
