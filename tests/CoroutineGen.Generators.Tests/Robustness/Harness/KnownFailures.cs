namespace CoroutineGen.Generators.Tests.Robustness.Harness;

/// <summary>A generator bug the harness finds that is being fixed: its id, what goes wrong, and which inputs and failures it covers.</summary>
public sealed record KnownFailure(string Id, string Description, Func<HarnessInput, HarnessFailure, bool> Matches);

/// <summary>
/// THE list of known failures of the robustness harness: the one place that keeps the CI slice green while a generator
/// bug the harness found is open. Each entry matches a failure only for inputs
/// that contain the construct of the bug, and only the failure kinds that bug causes, so an unrelated failure of
/// the same kind still fails. Empty this list as the fixes are merged: the bug's inputs are then checked like any
/// other. <c>COROUTINEGEN_HARNESS_STRICT=1</c> ignores the list. The summary says which entry each failure matched.
/// </summary>
public static class KnownFailures
{
    /// <summary>
    /// Empty: every bug the harness found is fixed, and each has a regression test
    /// (<c>Robustness/RobustnessRegressionTests.cs</c>, <c>Robustness/SlowInputTests.cs</c>). An entry is a
    /// <see cref="KnownFailure"/> whose predicate matches only the bug's inputs and failure kinds.
    /// </summary>
    public static IReadOnlyList<KnownFailure> All { get; } = [];

    /// <summary>The entry that covers <paramref name="failure"/> of <paramref name="input"/>, or null.</summary>
    public static KnownFailure? Match(HarnessInput input, HarnessFailure failure) =>
        HarnessRunner.Strict ? null : All.FirstOrDefault(k => k.Matches(input, failure));
}
