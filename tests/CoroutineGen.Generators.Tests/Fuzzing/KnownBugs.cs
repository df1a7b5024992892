namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>
/// Generator bugs the fuzzer found that are not fixed yet. A failing program whose failure matches one of these
/// symptoms exactly is reported as that known bug instead of failing the test, so CI stays green while the bug is
/// open; FUZZ_STRICT=1 makes them fail like any other. When a bug is fixed, delete its entry: the fuzzer then
/// checks those programs again. Each entry names the minimal repro in docs/contributing/fuzzing.md.
/// </summary>
internal static class KnownBugs
{
    /// <summary>A known bug: its id, what it is, and how to recognise a program that hits it.</summary>
    internal sealed record Bug(string Id, string Summary, Func<FuzzOutcome, bool> Matches);

    public static IReadOnlyList<Bug> All { get; } =
    [
        new(
            "unassigned-local-in-try",
            "a local that is not hoisted (not live across a suspension point) but is read inside a try statement that "
            + "suspends, before its suspension point: the lowered code declares it after the dispatch switch, whose "
            + "'goto' into the try skips the initialisation, so C# reports CS0165 in the generated code",
            o => o.Failure == "the generated code does not compile: CS0165"),
        new(
            "nested-catch-all-exception-name",
            "a catch-all without a variable ('catch' or 'catch (Exception)') nested in the body of another one: both "
            + "get the GeneratorExit filter with the same variable name '__exception', so C# reports CS0136 in the "
            + "generated code",
            o => o.Failure == "the generated code does not compile: CS0136"
                && o.Details is { } d && d.Contains("named '__exception' cannot be declared", StringComparison.Ordinal)),
        new(
            "close-rethrow-in-generatorexit-handler",
            "Close() on a coroutine parked where a 'catch (GeneratorExitException)' handler without a variable "
            + "rethrows ('throw;'): Close takes the static path (no handler can observe the exception), the rethrow "
            + "raises a real GeneratorExitException, and Close lets it escape instead of returning normally",
            o => o.FirstDifference > 0
                && o.PythonTrace[o.FirstDifference - 1] == "close: ok"
                && o.FirstDifference <= o.CSharpTrace.Count
                && o.CSharpTrace[o.FirstDifference - 1] == "close: GeneratorExit"
                && FuzzAstWalker.Any(o.Program.Body, n => n is Try t && t.Catches.Any(c => c.Kind == CatchKind.GeneratorExit && FuzzAstWalker.Any(c.Body, m => m is Rethrow)))),
    ];

    /// <summary>Whether known bugs fail the test (FUZZ_STRICT=1) instead of being reported.</summary>
    public static bool Strict => Environment.GetEnvironmentVariable("FUZZ_STRICT") == "1";

    /// <summary>The known bug <paramref name="outcome"/> hits, or null.</summary>
    public static Bug? Match(FuzzOutcome outcome) =>
        outcome.Failure is null ? null : All.FirstOrDefault(bug => bug.Matches(outcome));
}
