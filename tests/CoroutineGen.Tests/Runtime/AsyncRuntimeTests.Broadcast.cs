namespace CoroutineGen.Tests.Runtime;

/// <summary>Coroutines.Broadcast and Coroutines.ToAsync.</summary>
public sealed partial class AsyncRuntimeTests
{
    // ------------------------------------------------------------------ Broadcast (async targets)

    [Fact]
    public async Task Broadcast_of_async_targets_sends_each_value_to_every_target_in_order_awaiting_each_with_the_token()
    {
        var gate = NewGate();
        var entered = NewGate();
        var first = new AsyncRecorder<int>(onSend: async (_, _) =>
        {
            entered.TrySetResult();
            await gate.Task;
        });
        var second = new AsyncRecorder<int>();
        var broadcast = Coroutines.Broadcast(first, second);
        using var cts = new CancellationTokenSource();

        var send = broadcast.SendAsync(5, cts.Token);
        await entered.Task.WaitAsync(Patience);
        Assert.Empty(second.Values); // waits for the first target
        Assert.Equal(CoroutineState.Running, broadcast.State);
        gate.SetResult();
        await send.AsTask().WaitAsync(Patience);

        Assert.Equal([5], first.Values);
        Assert.Equal([5], second.Values);
        Assert.Equal([cts.Token], first.Tokens);
        Assert.Equal([cts.Token], second.Tokens);
        Assert.Equal(CoroutineState.Suspended, broadcast.State);
    }

    [Fact]
    public async Task Broadcast_of_async_targets_of_synchronous_targets_completes_synchronously()
    {
        var seen = new List<string>();
        var broadcast = Coroutines.Broadcast(
            Sinks.Create<int>(v => seen.Add($"a{v}")).ToAsync(),
            Sinks.Create<int>(v => seen.Add($"b{v}")).ToAsync());

        Assert.True(broadcast.SendAsync(1).IsCompletedSuccessfully);
        Assert.True(broadcast.SendAsync(2).IsCompletedSuccessfully);
        await broadcast.CloseAsync();

        Assert.Equal(["a1", "b1", "a2", "b2"], seen);
    }

    [Fact]
    public async Task Broadcast_of_async_targets_stops_the_round_at_a_failing_target_and_finishes_leaving_the_targets_alone()
    {
        var boom = new FormatException("bad");
        var first = new AsyncRecorder<int>();
        var failing = new AsyncRecorder<int>(onSend: async (_, _) =>
        {
            await Task.Yield();
            throw boom;
        });
        var last = new AsyncRecorder<int>();
        var broadcast = Coroutines.Broadcast(first, failing, last);

        Assert.Same(boom, await Assert.ThrowsAsync<FormatException>(() => broadcast.SendAsync(1).AsTask().WaitAsync(Patience)));

        Assert.Equal(CoroutineState.Closed, broadcast.State);
        Assert.Empty(last.Values);
        await broadcast.CloseAsync(); // finished: closes nothing
        Assert.Equal(CoroutineState.Suspended, first.State);
        Assert.Equal(CoroutineState.Suspended, last.State);
    }

    [Fact]
    public async Task Broadcast_of_async_targets_turns_a_finished_targets_StopIteration_into_coroutine_raised_StopIteration()
    {
        var finished = new AsyncRecorder<int>();
        await finished.CloseAsync();
        var broadcast = Coroutines.Broadcast(finished);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => broadcast.SendAsync(1).AsTask().WaitAsync(Patience));

        Assert.Equal("coroutine raised StopIteration", error.Message);
        Assert.IsType<StopIterationException>(error.InnerException);
    }

    [Fact]
    public async Task Broadcast_of_async_targets_CloseAsync_closes_every_target_even_when_some_fail()
    {
        var one = new IOException("one");
        var two = new TimeoutException("two");
        var a = new AsyncRecorder<int>(onClose: () => throw one);
        var b = new AsyncRecorder<int>();
        var c = new AsyncRecorder<int>(onClose: async () =>
        {
            await Task.Yield();
            throw two;
        });
        using var cts = new CancellationTokenSource();

        var both = await Assert.ThrowsAsync<AggregateException>(() => Coroutines.Broadcast(a, b, c).CloseAsync(cts.Token).AsTask().WaitAsync(Patience));

        Assert.Equal([one, two], both.InnerExceptions);
        Assert.All(new[] { a, b, c }, target => Assert.Equal(["close token"], target.Events)); // each got the token

        var single = new AsyncRecorder<int>(onClose: () => throw one);
        var broadcast = Coroutines.Broadcast(new List<IAsyncCoroutine<int>> { single, new AsyncRecorder<int>() });
        Assert.Same(one, await Assert.ThrowsAsync<IOException>(() => broadcast.DisposeAsync().AsTask().WaitAsync(Patience)));
        Assert.Equal(CoroutineState.Closed, broadcast.State);
    }

    [Fact]
    public async Task Broadcast_of_async_targets_does_not_forward_ThrowAsync_and_a_GeneratorExit_closes_the_targets()
    {
        var target = new AsyncRecorder<int>();
        var broadcast = Coroutines.Broadcast(target);
        var error = new TimeoutException();

        Assert.Same(error, await Assert.ThrowsAsync<TimeoutException>(() => broadcast.ThrowAsync(error).AsTask()));
        Assert.Equal(CoroutineState.Closed, broadcast.State);
        Assert.Empty(target.Events);

        var exiting = Coroutines.Broadcast(target);
        await Assert.ThrowsAsync<StopIterationException>(() => exiting.ThrowAsync(new GeneratorExitException()).AsTask().WaitAsync(Patience));
        Assert.Equal(["close"], target.Events);
    }

    [Fact]
    public void Broadcast_of_async_targets_checks_its_arguments_and_copies_its_targets()
    {
        Assert.Throws<ArgumentNullException>("targets", () => Coroutines.Broadcast((IAsyncCoroutine<int>[])null!));
        Assert.Throws<ArgumentNullException>("targets", () => Coroutines.Broadcast((IEnumerable<IAsyncCoroutine<int>>)null!));
        Assert.Throws<ArgumentNullException>("first", () => Coroutines.Broadcast((IAsyncCoroutine<int>)null!, new AsyncRecorder<int>()));
        Assert.Throws<ArgumentNullException>("others", () => Coroutines.Broadcast(new AsyncRecorder<int>(), null!));
        Assert.Throws<ArgumentNullException>("targets", () => Coroutines.Broadcast(new AsyncRecorder<int>(), (IAsyncCoroutine<int>)null!));

        var original = new AsyncRecorder<int>();
        var targets = new IAsyncCoroutine<int>[] { original };
        var broadcast = Coroutines.Broadcast(targets);
        targets[0] = new AsyncRecorder<int>();
        Assert.True(broadcast.SendAsync(1).IsCompleted);
        Assert.Equal([1], original.Values);
        Assert.True(Coroutines.Broadcast(new List<IAsyncCoroutine<int>>()).SendAsync(1).IsCompletedSuccessfully); // no targets
    }

    // ------------------------------------------------------------------ ToAsync

    [Fact]
    public async Task ToAsync_maps_the_calls_to_the_synchronous_coroutine_and_its_state()
    {
        var log = new List<string>();
        var sync = Sinks.Create<int>(v => log.Add($"got {v}"), () => log.Add("closed"));
        var adapter = sync.ToAsync();

        Assert.Equal(CoroutineState.Suspended, adapter.State);
        var send = adapter.SendAsync(1);
        Assert.True(send.IsCompletedSuccessfully);
        Assert.Equal(default, send); // default(ValueTask): nothing allocated
        await adapter.CloseAsync();

        Assert.Equal(["got 1", "closed"], log);
        Assert.Equal(CoroutineState.Closed, adapter.State);
        Assert.Equal(CoroutineState.Closed, sync.State);
    }

    [Fact]
    public async Task ToAsync_reports_what_the_coroutine_throws_through_the_task()
    {
        var boom = new FormatException();
        var adapter = Sinks.Create<int>(_ => throw boom).ToAsync();

        var send = adapter.SendAsync(1); // does not throw
        Assert.Same(boom, await Assert.ThrowsAsync<FormatException>(() => send.AsTask()));

        var stopped = adapter.SendAsync(2);
        await Assert.ThrowsAsync<StopIterationException>(() => stopped.AsTask());
        var error = new TimeoutException();
        var thrown = adapter.ThrowAsync(error);
        Assert.Same(error, await Assert.ThrowsAsync<TimeoutException>(() => thrown.AsTask()));
        Assert.Throws<ArgumentNullException>("exception", () => adapter.ThrowAsync(null!));

        var failingClose = Sinks.Create<int>(_ => { }, () => throw boom).ToAsync();
        var close = failingClose.DisposeAsync();
        Assert.Same(boom, await Assert.ThrowsAsync<FormatException>(() => close.AsTask()));
        Assert.Throws<ArgumentNullException>("target", () => Coroutines.ToAsync<int>(null!));
    }

    [Fact]
    public void ToAsync_allocates_nothing_per_send()
    {
        var adapter = Sinks.Null<int>().ToAsync();
        for (int i = 0; i < 100; i++)
        {
            Assert.True(adapter.SendAsync(i).IsCompletedSuccessfully); // warm up
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int completed = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (adapter.SendAsync(i).IsCompletedSuccessfully)
            {
                completed++;
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_000, completed);
    }

    [Fact]
    public async Task A_synchronous_pipeline_behind_ToAsync_is_the_target_of_an_asynchronous_source()
    {
        var seen = new List<int>();
        var closed = false;

        long count = await Sources.FromEnumerableAsync(CountAsync(3), Sinks.Create<int>(seen.Add, () => closed = true).ToAsync()).WaitAsync(Patience);

        Assert.Equal(3, count);
        Assert.Equal([1, 2, 3], seen);
        Assert.True(closed);
    }
}
