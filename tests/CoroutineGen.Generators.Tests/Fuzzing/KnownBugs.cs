namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>
/// Generator bugs the fuzzer found that are not fixed yet. A failing program whose failure matches one of these
/// signatures (an exact compiler error, or the construct plus the kind of difference it causes) is reported as that
/// known bug instead of failing the test, so CI stays green while the bug is open; FUZZ_STRICT=1 makes them fail
/// like any other. When a bug is fixed, delete its entry: the fuzzer then checks those programs again. Each id is a
/// heading of docs/contributing/fuzzing.md, with the bug's minimal repro.
/// </summary>
internal static class KnownBugs
{
    /// <summary>A known bug: its id, what it is, and how to recognise a program that hits it.</summary>
    internal sealed record Bug(string Id, string Summary, Func<FuzzOutcome, bool> Matches);

    /// <summary>A driver line that reports an exception of the program's (not StopIteration, not a runtime error).</summary>
    internal static readonly System.Text.RegularExpressions.Regex ExceptionLine =
        new(@"^(send|throw|close)[^:]*: (ValueError|KeyError|TypeError): ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly System.Text.RegularExpressions.Regex Unassigned =
        new(@"Use of unassigned local variable '([^']+)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The variables of the CS0165 errors of a program that does not compile.</summary>
    internal static IEnumerable<string> UnassignedLocals(FuzzOutcome outcome) =>
        outcome.Details is null ? [] : Unassigned.Matches(outcome.Details).Select(m => m.Groups[1].Value).Distinct();

    // Empty: every bug the fuzzer found so far is fixed (each has a regression test in
    // tests/CoroutineGen.Tests/Constructs/FuzzRegressionTests.cs). An entry looks like
    //     new("goto-past-using-declaration", "what goes wrong, and where",
    //         o => o.Failure == "the generated code does not compile: CS8648"),
    // with the helpers above for the usual symptoms: a CS0165 on given variables (UnassignedLocals), a trace that
    // differs right after a driver line reporting a program exception (ExceptionLine), a construct in the program
    // (FuzzAstWalker.Any).
    public static IReadOnlyList<Bug> All { get; } = [];

    /// <summary>Whether known bugs fail the test (FUZZ_STRICT=1) instead of being reported.</summary>
    public static bool Strict => Environment.GetEnvironmentVariable("FUZZ_STRICT") == "1";

    /// <summary>The known bug <paramref name="outcome"/> hits, or null.</summary>
    public static Bug? Match(FuzzOutcome outcome) =>
        outcome.Failure is null ? null : All.FirstOrDefault(bug => bug.Matches(outcome));
}
