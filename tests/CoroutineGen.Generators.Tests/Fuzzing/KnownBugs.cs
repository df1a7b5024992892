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
    private static readonly System.Text.RegularExpressions.Regex ExceptionLine =
        new(@"^(send|throw|close)[^:]*: (ValueError|KeyError|TypeError): ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly System.Text.RegularExpressions.Regex Unassigned =
        new(@"Use of unassigned local variable '([^']+)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The variables of the CS0165 errors of a program that does not compile.</summary>
    private static IEnumerable<string> UnassignedLocals(FuzzOutcome outcome) =>
        outcome.Details is null ? [] : Unassigned.Matches(outcome.Details).Select(m => m.Groups[1].Value).Distinct();

    public static IReadOnlyList<Bug> All { get; } =
    [
        new(
            "using-declaration-in-suspending-finally",
            "a 'using var' declaration in a finally body that suspends, after its suspension point: the pending "
            + "exception (and pending branch) of that finally is not hoisted, so C# reports CS0165 on "
            + "'__pendingException<n>' in the generated code or, where it compiles, the exception that entered the "
            + "finally is lost when the finally ends",
            o => FuzzAstWalker.Any(o.Program.Body, n => n is Try { Finally: { } f }
                    && f.Any(s => FuzzAstWalker.Any(s, m => m is Recv)) && f.Any(s => FuzzAstWalker.Any(s, m => m is UsingVar)))
                && ((o.Failure == "the generated code does not compile: CS0165" && UnassignedLocals(o).Any(v => v.StartsWith("__pending", StringComparison.Ordinal)))
                    || (o.FirstDifference > 0 && ExceptionLine.IsMatch(o.PythonTrace[o.FirstDifference - 1])))),
        new(
            "unassigned-local-in-try",
            "a local that is not hoisted (not live across a suspension point) but is read inside a try statement that "
            + "suspends, before its suspension point: the lowered code declares it after the dispatch switch, whose "
            + "'goto' into the try skips the initialisation, so C# reports CS0165 in the generated code (the user's "
            + "locals, and the '__exception<n>' of a moved catch read by a 'throw;' in a nested try)",
            o => o.Failure == "the generated code does not compile: CS0165"
                && UnassignedLocals(o).All(v => !v.StartsWith("__", StringComparison.Ordinal) || v.StartsWith("__exception", StringComparison.Ordinal))),
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
        new(
            "goto-past-using-declaration",
            "a 'return' (or another jump the lowering turns into a goto) before a 'using var' declaration in a block "
            + "that does not suspend: the copied block gets 'goto __finish', which C# rejects with CS8648 (a goto "
            + "cannot jump to a location after a using declaration)",
            o => o.Failure == "the generated code does not compile: CS8648"),
        new(
            "compound-assignment-target-read-after-spill",
            "'x += e' where e assigns x (an assignment expression or ++/--) before a suspension point: C# reads x "
            + "before evaluating e, the lowering reads it after resuming ('__t1 = (x = 10); ... x += __t1 + value;'), "
            + "so the side effect is counted twice; the symptom is any trace difference in a program with that construct",
            o => o.Failure is { } f && f.StartsWith("the C# trace differs", StringComparison.Ordinal)
                && FuzzAstWalker.Any(o.Program.Body, n => n is Assign { Compound: true } a
                    && FuzzAstWalker.Any(a.Value, m => m is Recv)
                    && FuzzAstWalker.Any(a.Value, m => m is AssignExpr e && e.Variable == a.Variable || m is Increment i && i.Variable == a.Variable))),
    ];

    /// <summary>Whether known bugs fail the test (FUZZ_STRICT=1) instead of being reported.</summary>
    public static bool Strict => Environment.GetEnvironmentVariable("FUZZ_STRICT") == "1";

    /// <summary>The known bug <paramref name="outcome"/> hits, or null.</summary>
    public static Bug? Match(FuzzOutcome outcome) =>
        outcome.Failure is null ? null : All.FirstOrDefault(bug => bug.Matches(outcome));
}
