using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

/// <summary>
/// One implementation of the async workload A4 (docs/performance.md, "Async coroutines"): a four-stage pipeline,
/// three pass-through stages and a summing sink, fed by a <c>for</c> loop (the source). The method builds the
/// pipeline, pushes <c>n</c> ints through it, completes (closes) it, waits until the sink has seen everything and
/// returns the sink's totals; the caller checks them (<see cref="Checksums"/>, workload W1).
/// </summary>
public interface IAsyncPipelines
{
    /// <summary>A short name for messages and the send-path report.</summary>
    string Name { get; }

    /// <summary>Source, three pass-through stages, summing sink; <paramref name="n"/> messages, awaited to the end.</summary>
    ValueTask<Result> A4(int n);
}

/// <summary>Helpers of the async benchmarks.</summary>
public static class AsyncRun
{
    /// <summary>Stages in the async chains: three pass-through stages and the summing sink.</summary>
    public const int PassStages = 3;

    /// <summary>
    /// Waits for <paramref name="task"/> on the calling (benchmark) thread. A ValueTask that completed synchronously
    /// is read directly; one that did not is turned into a Task first (blocking on a pooled IValueTaskSource is not
    /// allowed).
    /// </summary>
    public static T Wait<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
