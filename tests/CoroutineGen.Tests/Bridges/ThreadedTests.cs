using System.Collections.Concurrent;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Bridges;

/// <summary>
/// <see cref="Coroutines.Threaded{T}"/>, Beazley's <c>threaded</c> (cothread.py): order and no loss, back-pressure,
/// Close passing the close along and waiting, failures of the target reported on the sending side, Dispose, Throw.
/// Every wait is on an event or a thread, with <see cref="Gate.Patience"/> as a bound that only a broken test reaches.
/// </summary>
public static partial class ThreadedTests
{
    /// <summary>A sink that records what it receives, on which thread, and its close.</summary>
    private sealed class Recorder
    {
        private readonly ConcurrentQueue<int> _values = new();

        public Recorder(Action<int>? onValue = null, Action? onClose = null)
        {
            Sink = Sinks.Create<int>(
                value =>
                {
                    Thread = System.Threading.Thread.CurrentThread;
                    onValue?.Invoke(value);
                    _values.Enqueue(value);
                },
                () =>
                {
                    Thread = System.Threading.Thread.CurrentThread;
                    ClosedAfter = _values.Count;
                    onClose?.Invoke();
                });
        }

        public ICoroutine<int> Sink { get; }

        public int[] Values => _values.ToArray();

        /// <summary>The thread that last ran the sink: the bridge's worker.</summary>
        public Thread? Thread { get; private set; }

        /// <summary>How many values it had received when it was closed; -1 while open.</summary>
        public int ClosedAfter { get; private set; } = -1;
    }

    [Fact]
    public static void Every_value_reaches_the_target_in_order_on_one_worker_thread()
    {
        const int count = 10_000;
        var threads = new ConcurrentDictionary<int, bool>();
        var recorder = new Recorder(_ => threads[Environment.CurrentManagedThreadId] = true);
        var bridge = Coroutines.Threaded(recorder.Sink, capacity: 8);

        for (int i = 0; i < count; i++)
        {
            bridge.Send(i);
        }

        bridge.Close();

        Assert.Equal(Enumerable.Range(0, count), recorder.Values);
        Assert.Equal(count, recorder.ClosedAfter);
        var worker = Assert.Single(threads.Keys);
        Assert.NotEqual(Environment.CurrentManagedThreadId, worker);
        Assert.Equal(CoroutineState.Closed, bridge.State);
        Assert.Equal(CoroutineState.Closed, recorder.Sink.State);
    }

    [Fact]
    public static void A_source_drives_a_threaded_pipeline_and_closes_it()
    {
        var recorder = new Recorder();

        long sent = Sources.FromEnumerable(Enumerable.Range(1, 1000), Coroutines.Threaded(recorder.Sink));

        Assert.Equal(1000, sent);
        Assert.Equal(Enumerable.Range(1, 1000), recorder.Values);
        Assert.Equal(1000, recorder.ClosedAfter);
    }

    [Fact]
    public static void Send_blocks_while_capacity_values_wait_and_goes_on_when_the_worker_takes_one()
    {
        var gate = new Gate();
        var recorder = new Recorder(value =>
        {
            if (value == 1)
            {
                gate.Block();
            }
        });
        var bridge = Coroutines.Threaded(recorder.Sink, capacity: 2);

        bridge.Send(1);
        gate.WaitUntilEntered(); // the worker holds 1, inside the target
        bridge.Send(2);
        bridge.Send(3);          // the queue is full now
        var fourth = new BackgroundCall(() => bridge.Send(4));

        Assert.True(SpinWait.SpinUntil(() => bridge.State == CoroutineState.Running, Gate.Patience), "the fourth Send did not start");
        Assert.False(fourth.EndsWithin(TimeSpan.FromMilliseconds(300)), "Send returned although the queue was full");
        Assert.Equal(CoroutineState.Running, bridge.State);
        Assert.Empty(recorder.Values);
        gate.Open();
        fourth.Wait(); // returns once the worker makes room
        bridge.Close();
        Assert.Equal([1, 2, 3, 4], recorder.Values);
    }

    [Fact]
    public static void Close_waits_until_the_worker_has_delivered_every_value_and_closed_the_target()
    {
        var recorder = new Recorder(_ => Thread.Sleep(5), onClose: () => Thread.Sleep(50));
        var bridge = Coroutines.Threaded(recorder.Sink);
        for (int i = 0; i < 20; i++)
        {
            bridge.Send(i);
        }

        bridge.Close();

        Assert.Equal(20, recorder.ClosedAfter); // the close came after the values, and Close waited for it
        Assert.Equal(CoroutineState.Closed, recorder.Sink.State);
        Assert.False(recorder.Thread!.IsAlive, "the worker thread still runs after Close");
        bridge.Close(); // a second close does nothing
    }

    [Fact]
    public static void Dispose_closes_like_Close()
    {
        var recorder = new Recorder(_ => Thread.Sleep(2));
        using (var bridge = Coroutines.Threaded(recorder.Sink))
        {
            bridge.Send(1);
            bridge.Send(2);
        }

        Assert.Equal([1, 2], recorder.Values);
        Assert.Equal(2, recorder.ClosedAfter);
        Assert.False(recorder.Thread!.IsAlive);
    }

    [Fact]
    public static void The_worker_is_a_background_thread_so_a_bridge_never_closed_does_not_keep_the_process_alive()
    {
        var recorder = new Recorder();
        var bridge = Coroutines.Threaded(recorder.Sink);
        bridge.Send(1);
        SpinWait.SpinUntil(() => recorder.Thread is not null, Gate.Patience);

        Assert.True(recorder.Thread!.IsBackground);
        bridge.Close();
    }

    [Fact]
    public static void A_target_that_throws_on_a_value_is_reported_by_the_next_Send_with_what_was_not_delivered()
    {
        var boom = new FormatException("value 3 is bad");
        var recorder = new Recorder(value =>
        {
            if (value == 3)
            {
                throw boom;
            }
        });
        var bridge = Coroutines.Threaded(recorder.Sink);
        for (int i = 1; i <= 5; i++)
        {
            bridge.Send(i);
        }

        WaitForWorker(recorder);
        var failure = Assert.Throws<CoroutineBridgeException>(() => bridge.Send(6));

        Assert.Same(boom, failure.InnerException);
        Assert.Equal(
            "The target of a threaded coroutine failed on the worker thread while receiving value #3 (values are numbered from 1 " +
            "in the order they were sent). The queued values #4 to #5 and the value passed to this Send were not delivered. The " +
            "target threw FormatException: value 3 is bad",
            failure.Message);
        Assert.Equal([1, 2], recorder.Values);
        Assert.Equal(CoroutineState.Closed, bridge.State);
        Assert.Equal(CoroutineState.Closed, recorder.Sink.State);
        bridge.Close(); // reported once: the bridge is finished, so Close does nothing
        Assert.Throws<StopIterationException>(() => bridge.Send(7));
    }

    [Fact]
    public static void A_target_that_throws_on_a_value_is_reported_by_Close_if_no_Send_came_after()
    {
        var boom = new FormatException("bad");
        var recorder = new Recorder(value =>
        {
            if (value == 2)
            {
                throw boom;
            }
        });
        var bridge = Coroutines.Threaded(recorder.Sink);
        bridge.Send(1);
        bridge.Send(2);
        bridge.Send(3);

        WaitForWorker(recorder);
        var failure = Assert.Throws<CoroutineBridgeException>(bridge.Close);

        Assert.Same(boom, failure.InnerException);
        Assert.EndsWith("sent). The queued value #3 was not delivered. The target threw FormatException: bad", failure.Message, StringComparison.Ordinal);
        Assert.Equal([1], recorder.Values);
        Assert.Equal(CoroutineState.Closed, bridge.State);
    }

    [Fact]
    public static void A_failure_while_Send_waits_for_room_is_thrown_by_that_Send()
    {
        var gate = new Gate();
        var boom = new FormatException("bad");
        var recorder = new Recorder(value =>
        {
            if (value == 1)
            {
                gate.Block();
                throw boom;
            }
        });
        var bridge = Coroutines.Threaded(recorder.Sink, capacity: 1);
        bridge.Send(1);
        gate.WaitUntilEntered();
        bridge.Send(2); // fills the queue
        var third = new BackgroundCall(() => bridge.Send(3));
        Assert.True(SpinWait.SpinUntil(() => bridge.State == CoroutineState.Running, Gate.Patience), "the third Send did not start");
        Assert.False(third.EndsWithin(TimeSpan.FromMilliseconds(200)));

        gate.Open(); // the target throws on 1; the worker stops and wakes the waiting Send

        var failure = Assert.Throws<CoroutineBridgeException>(third.Wait);
        Assert.Same(boom, failure.InnerException);
        Assert.Contains("The queued value #2 and the value passed to this Send were not delivered.", failure.Message, StringComparison.Ordinal);
        Assert.Empty(recorder.Values);
    }

    [Fact]
    public static void A_target_that_throws_when_closed_makes_Close_throw()
    {
        var boom = new IOException("cannot flush");
        var recorder = new Recorder(onClose: () => throw boom);
        var bridge = Coroutines.Threaded(recorder.Sink);
        bridge.Send(1);
        bridge.Send(2);

        var failure = Assert.Throws<CoroutineBridgeException>(bridge.Close);

        Assert.Same(boom, failure.InnerException);
        Assert.Equal(
            "The target of a threaded coroutine failed on the worker thread when it was closed, after receiving all 2 values. The " +
            "target threw IOException: cannot flush",
            failure.Message);
        Assert.Equal([1, 2], recorder.Values);
        Assert.Equal(CoroutineState.Closed, bridge.State);
    }

    [Coroutine]
    internal static int TakeTwo(Inbox<int> inbox, List<int> seen)
    {
        int first = inbox.Receive();
        seen.Add(first);
        seen.Add(inbox.Receive());
        return seen.Count;
    }

    [Fact]
    public static void A_target_that_finishes_finishes_the_bridge_and_a_source_stops_quietly()
    {
        var seen = new List<int>();
        var target = TakeTwo(seen);
        var bridge = Coroutines.Threaded(target, capacity: 4);

        long sent = Sources.FromEnumerable(Enumerable.Range(1, 1_000_000), bridge);

        Assert.True(sent < 1_000_000, $"the source sent all {sent} values to a bridge whose target finished after 2");
        Assert.Equal([1, 2], seen);
        Assert.Equal(CoroutineState.Closed, bridge.State);
        Assert.Equal(CoroutineState.Closed, target.State);
    }

    [Fact]
    public static void Throw_raises_the_exception_in_the_bridge_not_in_the_target_and_still_delivers_and_closes()
    {
        var recorder = new Recorder(_ => Thread.Sleep(2));
        var bridge = Coroutines.Threaded(recorder.Sink);
        bridge.Send(1);
        bridge.Send(2);
        var hosed = new TimeoutException("You're hosed");

        Assert.Same(hosed, Assert.Throws<TimeoutException>(() => bridge.Throw(hosed)));

        Assert.Equal(CoroutineState.Closed, bridge.State);
        Assert.Equal([1, 2], recorder.Values);
        Assert.Equal(2, recorder.ClosedAfter); // closed, not thrown into
        Assert.False(recorder.Thread!.IsAlive);
    }

    [Fact]
    public static void Throw_when_the_target_also_fails_on_close_throws_both()
    {
        var boom = new IOException("cannot flush");
        var recorder = new Recorder(onClose: () => throw boom);
        var bridge = Coroutines.Threaded(recorder.Sink);
        bridge.Send(1);
        var hosed = new TimeoutException("You're hosed");

        var both = Assert.Throws<AggregateException>(() => bridge.Throw(hosed));

        Assert.Equal(2, both.InnerExceptions.Count);
        Assert.Same(hosed, both.InnerExceptions[0]);
        Assert.Same(boom, Assert.IsType<CoroutineBridgeException>(both.InnerExceptions[1]).InnerException);
    }

    [Fact]
    public static void Throw_of_GeneratorExit_closes_like_Close_and_raises_StopIteration()
    {
        var recorder = new Recorder();
        var bridge = Coroutines.Threaded(recorder.Sink);
        bridge.Send(1);

        Assert.Throws<StopIterationException>(() => bridge.Throw(new GeneratorExitException()));

        Assert.Equal(1, recorder.ClosedAfter);
    }

    [Fact]
    public static void Closing_the_bridge_from_its_own_worker_is_refused_and_the_worker_still_closes_the_target()
    {
        ICoroutine<int>? bridge = null;
        InvalidOperationException? refused = null;
        var recorder = new Recorder(value =>
        {
            try
            {
                bridge!.Close();
            }
            catch (InvalidOperationException e)
            {
                refused = e;
            }
        });
        bridge = Coroutines.Threaded(recorder.Sink);

        bridge.Send(1);
        WaitForWorker(recorder);

        Assert.NotNull(refused);
        Assert.StartsWith("A threaded coroutine cannot be closed from its own worker thread", refused.Message, StringComparison.Ordinal);
        Assert.Equal([1], recorder.Values);
        Assert.Equal(1, recorder.ClosedAfter);
    }

    [Fact]
    public static void Sending_to_the_bridge_from_its_own_worker_when_the_queue_is_full_is_refused_instead_of_deadlocking()
    {
        ICoroutine<int>? bridge = null;
        var errors = new List<string>();
        var recorder = new Recorder(value =>
        {
            if (value == 1)
            {
                try
                {
                    bridge!.Send(10); // room for one: queued behind 2
                    bridge.Send(11);  // full
                }
                catch (InvalidOperationException e)
                {
                    errors.Add(e.Message);
                }
            }
        });
        bridge = Coroutines.Threaded(recorder.Sink, capacity: 1);

        bridge.Send(1);
        WaitForWorker(recorder); // the refused Send finished the bridge: the worker delivers 10, closes the target and ends

        var error = Assert.Single(errors);
        Assert.StartsWith("The queue of this threaded coroutine is full and the value comes from its own worker thread", error, StringComparison.Ordinal);
        Assert.Equal([1, 10], recorder.Values);
        Assert.Equal(2, recorder.ClosedAfter);
        Assert.Equal(CoroutineState.Closed, bridge.State);
        bridge.Close();
    }

    [Fact]
    public static void Bad_arguments_are_rejected_before_a_thread_starts()
    {
        Assert.Throws<ArgumentNullException>(() => Coroutines.Threaded<int>(null!));
        var badCapacity = Assert.Throws<ArgumentOutOfRangeException>(() => Coroutines.Threaded(Sinks.Null<int>(), capacity: 0));
        Assert.Equal("capacity", badCapacity.ParamName);
    }

    /// <summary>Waits until the worker thread that ran the recorder has ended (it stops after a failure).</summary>
    private static void WaitForWorker(Recorder recorder)
    {
        Assert.True(SpinWait.SpinUntil(() => recorder.Thread is not null, Gate.Patience));
        Assert.True(recorder.Thread!.Join(Gate.Patience), "the worker thread did not end");
    }
}
