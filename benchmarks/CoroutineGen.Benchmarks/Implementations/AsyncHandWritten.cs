using System.Runtime.CompilerServices;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

/// <summary>
/// THE BASELINE of the async benchmarks: the A4 stages hand-written as sealed classes implementing
/// <see cref="IAsyncCoroutine{T}"/>, targets typed as the interface. <c>SendAsync</c> does the stage's work and returns
/// the target's <c>ValueTask</c> (no async state machine, no state check); <c>CloseAsync</c> is idempotent.
/// </summary>
public sealed class HandAsyncPass(IAsyncCoroutine<int> target) : IAsyncCoroutine<int>
{
    private bool _closed;

    public CoroutineState State => _closed ? CoroutineState.Closed : CoroutineState.Suspended;

    public ValueTask SendAsync(int value, CancellationToken cancellationToken = default) => target.SendAsync(value, cancellationToken);

    public ValueTask ThrowAsync(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _closed = true;
        return ValueTask.FromException(exception);
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_closed) return default;
        _closed = true;
        return target.CloseAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => CloseAsync();
}

/// <summary>
/// Hand-written pass-through stage that awaits <c>Task.Yield()</c> before every <c>every</c>-th message: the other
/// messages take the synchronous path; the awaiting one goes through a pooled async method (the builder the generated
/// code uses).
/// </summary>
public sealed class HandAsyncPassYielding(int every, IAsyncCoroutine<int> target) : IAsyncCoroutine<int>
{
    private int _i;
    private bool _closed;

    public CoroutineState State => _closed ? CoroutineState.Closed : CoroutineState.Suspended;

    public ValueTask SendAsync(int value, CancellationToken cancellationToken = default)
    {
        if (++_i != every) return target.SendAsync(value, cancellationToken);
        _i = 0;
        return YieldThenSend(value, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask YieldThenSend(int value, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await target.SendAsync(value, cancellationToken);
    }

    public ValueTask ThrowAsync(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _closed = true;
        return ValueTask.FromException(exception);
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_closed) return default;
        _closed = true;
        return target.CloseAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => CloseAsync();
}

/// <summary>Baseline summing sink: counts and sums synchronously, reports on close.</summary>
public sealed class HandAsyncSum(Result result) : IAsyncCoroutine<int>
{
    private long _count, _sum;
    private bool _closed;

    public CoroutineState State => _closed ? CoroutineState.Closed : CoroutineState.Suspended;

    public ValueTask SendAsync(int value, CancellationToken cancellationToken = default)
    {
        _count++;
        _sum += value;
        return default;
    }

    public ValueTask ThrowAsync(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _closed = true;
        return ValueTask.FromException(exception);
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_closed) return default;
        _closed = true;
        result.Add(_count, _sum);
        return default;
    }

    public ValueTask DisposeAsync() => CloseAsync();
}

/// <summary>A4 with hand-written async stages: the baseline (ratio 1.00) of the async benchmarks.</summary>
public sealed class HandWrittenAsyncPipelines(int yieldEvery = 0) : IAsyncPipelines
{
    public string Name => yieldEvery == 0 ? "hand-written async" : $"hand-written async, Task.Yield every {yieldEvery}";

    public async ValueTask<Result> A4(int n)
    {
        var r = new Result();
        IAsyncCoroutine<int> head = new HandAsyncSum(r);
        head = yieldEvery == 0 ? new HandAsyncPass(head) : new HandAsyncPassYielding(yieldEvery, head);
        for (int s = 1; s < AsyncRun.PassStages; s++) head = new HandAsyncPass(head);
        for (int i = 0; i < n; i++) await head.SendAsync(i);
        await head.CloseAsync();
        return r;
    }
}
