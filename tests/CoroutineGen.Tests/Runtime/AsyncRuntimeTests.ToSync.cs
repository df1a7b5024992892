namespace CoroutineGen.Tests.Runtime;

/// <summary>
/// Coroutines.ToSync: a synchronous stage feeding an asynchronous one through a bounded queue and a background task,
/// with the rules of Coroutines.Threaded (see ThreadedTests).
/// </summary>
public sealed partial class AsyncRuntimeTests
{
    [Fact]
    public void ToSync_delivers_every_value_in_order_and_Close_waits_until_the_target_is_closed()
    {
        const int count = 2_000;
        var target = new AsyncRecorder<int>(onSend: async (_, _) => await Task.Yield());
        var bridge = Coroutines.ToSync(target, capacity: 8);

        for (int i = 0; i < count; i++)
        {
            bridge.Send(i);
        }

        bridge.Close();

        Assert.Equal(Enumerable.Range(0, count), target.Values); // one at a time: overlapping sends would have failed
        Assert.Equal("close", target.Events[^1]);
        Assert.Equal(CoroutineState.Closed, target.State);
        Assert.Equal(CoroutineState.Closed, bridge.State);
        Assert.All(target.Tokens, token => Assert.False(token.CanBeCanceled));
        bridge.Close(); // a second close does nothing
    }

    [Fact]
    public void A_source_drives_an_async_stage_through_ToSync_and_closes_it()
    {
        var target = new AsyncRecorder<int>(onSend: async (_, _) => await Task.Yield());

        long sent = Sources.FromEnumerable(Enumerable.Range(1, 500), Coroutines.ToSync(target));

        Assert.Equal(500, sent);
        Assert.Equal(Enumerable.Range(1, 500), target.Values);
        Assert.Equal("close", target.Events[^1]);
    }

    [Fact]
    public async Task ToSync_Send_blocks_while_the_queue_is_full_and_goes_on_when_the_target_takes_a_value()
    {
        var gate = NewGate();
        var entered = NewGate();
        var target = new AsyncRecorder<int>(onSend: async (value, _) =>
        {
            if (value == 1)
            {
                entered.SetResult();
                await gate.Task;
            }
        });
        var bridge = Coroutines.ToSync(target, capacity: 1);

        bridge.Send(1);
        await entered.Task.WaitAsync(Patience); // the target holds 1
        bridge.Send(2);                         // the queue is full now
        bool returned = false;
        var producer = new Thread(() =>
        {
            bridge.Send(3);
            Volatile.Write(ref returned, true);
        }) { IsBackground = true };
        producer.Start();

        // Either the third Send returns (wrong: there is no room) or its thread waits; nothing else can happen.
        Assert.True(
            SpinWait.SpinUntil(() => Volatile.Read(ref returned) || (producer.ThreadState & ThreadState.WaitSleepJoin) != 0, Patience),
            "the third Send neither returned nor waited");
        Assert.False(Volatile.Read(ref returned), "Send returned although the queue was full");
        Assert.Equal(CoroutineState.Running, bridge.State);
        Assert.Equal([1], target.Values);

        gate.SetResult();
        Assert.True(producer.Join(Patience), "the third Send did not return once there was room");
        bridge.Close();
        Assert.Equal([1, 2, 3], target.Values);
    }

    /// <summary>
    /// A bridge whose target fails on value 1 while value 2 waits in a full queue: nothing can be queued any more, so
    /// the next call is sure to see the failure, however late the background task gets to it.
    /// </summary>
    private static async Task<(ICoroutine<int> Bridge, AsyncRecorder<int> Target, Exception Boom)> BridgeWhoseTargetFailsOnTheFirstValueAsync()
    {
        var gate = NewGate();
        var entered = NewGate();
        var boom = new FormatException("value 1 is bad");
        var target = new AsyncRecorder<int>(onSend: async (value, _) =>
        {
            entered.SetResult();
            await gate.Task;
            throw boom;
        });
        var bridge = Coroutines.ToSync(target, capacity: 1);
        bridge.Send(1);
        await entered.Task.WaitAsync(Patience);
        bridge.Send(2);
        gate.SetResult();
        return (bridge, target, boom);
    }

    [Fact]
    public async Task ToSync_reports_a_failure_of_the_target_at_the_next_Send()
    {
        var (bridge, target, boom) = await BridgeWhoseTargetFailsOnTheFirstValueAsync();

        var failure = Assert.Throws<CoroutineBridgeException>(() => bridge.Send(3));

        Assert.Same(boom, failure.InnerException);
        Assert.Equal(
            "The target of a ToSync bridge failed while receiving value #1 (values are numbered from 1 in the order they were " +
            "sent). The queued value #2 and the value passed to this Send were not delivered. The target threw FormatException: " +
            "value 1 is bad",
            failure.Message);
        Assert.Equal([1], target.Values);
        Assert.Equal(CoroutineState.Closed, bridge.State);
        Assert.Equal(CoroutineState.Closed, target.State);
        bridge.Close(); // reported once: the bridge is finished
        Assert.Throws<StopIterationException>(() => bridge.Send(4));
    }

    [Fact]
    public async Task ToSync_reports_a_failure_of_the_target_at_Close()
    {
        var (bridge, target, boom) = await BridgeWhoseTargetFailsOnTheFirstValueAsync();

        var failure = Assert.Throws<CoroutineBridgeException>(bridge.Close);

        Assert.Same(boom, failure.InnerException);
        Assert.EndsWith("sent). The queued value #2 was not delivered. The target threw FormatException: value 1 is bad", failure.Message, StringComparison.Ordinal);
        Assert.Equal([1], target.Values);
        Assert.Equal(CoroutineState.Closed, bridge.State);
    }

    [Fact]
    public void ToSync_reports_a_target_that_fails_when_closed_at_Close()
    {
        var boom = new IOException("cannot flush");
        var target = new AsyncRecorder<int>(onClose: async () =>
        {
            await Task.Yield();
            throw boom;
        });
        var bridge = Coroutines.ToSync(target);
        bridge.Send(1);
        bridge.Send(2);

        var failure = Assert.Throws<CoroutineBridgeException>(bridge.Close);

        Assert.Same(boom, failure.InnerException);
        Assert.Equal(
            "The target of a ToSync bridge failed when it was closed, after receiving all 2 values. The target threw IOException: cannot flush",
            failure.Message);
        Assert.Equal([1, 2], target.Values);
    }

    [Fact]
    public void A_target_that_finishes_finishes_the_ToSync_bridge_and_a_source_stops_quietly()
    {
        var target = new AsyncRecorder<int>(finishAfter: 2);
        var bridge = Coroutines.ToSync(target, capacity: 4);

        long sent = Sources.FromEnumerable(Enumerable.Range(1, 1_000_000), bridge);

        Assert.True(sent < 1_000_000, $"the source sent all {sent} values to a bridge whose target finished after 2");
        Assert.Equal([1, 2], target.Values);
        Assert.Equal(CoroutineState.Closed, bridge.State);
    }

    [Fact]
    public void ToSync_Throw_raises_the_exception_in_the_bridge_and_still_delivers_and_closes_the_target()
    {
        var target = new AsyncRecorder<int>(onSend: async (_, _) => await Task.Yield());
        var bridge = Coroutines.ToSync(target);
        bridge.Send(1);
        bridge.Send(2);
        var hosed = new TimeoutException("You're hosed");

        Assert.Same(hosed, Assert.Throws<TimeoutException>(() => bridge.Throw(hosed)));

        Assert.Equal(CoroutineState.Closed, bridge.State);
        Assert.Equal(["send 1", "send 2", "close"], target.Events); // closed, not thrown into
    }

    [Fact]
    public void ToSync_Throw_when_the_target_also_fails_on_close_throws_both()
    {
        var boom = new IOException("cannot flush");
        var target = new AsyncRecorder<int>(onClose: () => throw boom);
        var bridge = Coroutines.ToSync(target);
        bridge.Send(1);
        var hosed = new TimeoutException("You're hosed");

        var both = Assert.Throws<AggregateException>(() => bridge.Throw(hosed));

        Assert.Equal(2, both.InnerExceptions.Count);
        Assert.Same(hosed, both.InnerExceptions[0]);
        Assert.Same(boom, Assert.IsType<CoroutineBridgeException>(both.InnerExceptions[1]).InnerException);
    }

    [Fact]
    public async Task Closing_a_ToSync_bridge_from_inside_its_target_is_refused_and_the_target_is_closed_after_the_value()
    {
        ICoroutine<int>? bridge = null;
        InvalidOperationException? refused = null;
        var target = new AsyncRecorder<int>(onSend: async (_, _) =>
        {
            await Task.Yield(); // still inside the target after an await
            try
            {
                bridge!.Close();
            }
            catch (InvalidOperationException e)
            {
                refused = e;
            }
        });
        bridge = Coroutines.ToSync(target);

        bridge.Send(1);
        await target.Finished.WaitAsync(Patience);

        Assert.NotNull(refused);
        Assert.StartsWith("A ToSync bridge cannot be closed from inside its own target", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["send 1", "close"], target.Events);
    }

    [Fact]
    public async Task Sending_to_a_ToSync_bridge_from_inside_its_target_works_while_there_is_room_and_is_refused_when_full()
    {
        ICoroutine<int>? bridge = null;
        var errors = new List<string>();
        var target = new AsyncRecorder<int>(onSend: async (value, _) =>
        {
            await Task.Yield();
            if (value == 1)
            {
                try
                {
                    bridge!.Send(10); // room for one
                    bridge.Send(11);  // full: waiting would deadlock
                }
                catch (InvalidOperationException e)
                {
                    errors.Add(e.Message);
                }
            }
        });
        bridge = Coroutines.ToSync(target, capacity: 1);

        bridge.Send(1);
        await target.Finished.WaitAsync(Patience); // the refused Send finished the bridge: 10 is delivered, then the close

        var error = Assert.Single(errors);
        Assert.StartsWith("The queue of this ToSync bridge is full and the value comes from inside its own target", error, StringComparison.Ordinal);
        Assert.Equal(["send 1", "send 10", "close"], target.Events);
        Assert.Equal(CoroutineState.Closed, bridge.State);
    }

    [Fact]
    public void ToSync_checks_its_arguments()
    {
        Assert.Throws<ArgumentNullException>("target", () => Coroutines.ToSync<int>(null!));
        Assert.Throws<ArgumentOutOfRangeException>("capacity", () => Coroutines.ToSync(new AsyncRecorder<int>(), capacity: 0));
    }
}
