using System;
using System.Threading;
using System.Threading.Channels;

namespace CoroutineGen;

public static partial class Coroutines
{
    /// <summary>
    /// Creates a push target that hands each value to a worker thread, which sends it to <paramref name="target"/>
    /// (Beazley's <c>threaded</c>): the stages after the bridge run on that thread, beside the code that sends.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="target">The coroutine the worker thread drives. From now on only the worker may send to it or
    /// close it.</param>
    /// <param name="capacity">How many values may wait for the worker. When that many are waiting, <c>Send</c>
    /// blocks until the worker takes one (back-pressure), so a fast producer cannot fill the memory.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) coroutine; its worker thread is already
    /// running.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    /// <remarks>
    /// <para>The worker takes the values in the order they were sent and sends each to the target; nothing is
    /// dropped or reordered. The rules (see <see cref="PushCoroutine{T}"/> for those every coroutine follows):</para>
    /// <list type="bullet">
    /// <item><description><b><c>Send(v)</c></b> queues <c>v</c> and returns; it does not wait for the target.
    /// It blocks while <paramref name="capacity"/> values are waiting. If the target failed on the worker thread
    /// since the last call, <c>Send</c> throws <see cref="CoroutineBridgeException"/> instead: its
    /// <see cref="Exception.InnerException"/> is what the target threw, its message says which value failed and which
    /// were not delivered, and the bridge is finished. If the target finished (its body returned), the values after
    /// it are discarded and <c>Send</c> throws <see cref="StopIterationException"/>, as a finished target's
    /// <c>Send</c> does: a source then stops quietly.</description></item>
    /// <item><description><b><c>Close()</c></b> passes the close along, as the course's <c>GeneratorExit</c>
    /// sentinel does: the worker sends the values still waiting, then closes the target, and <c>Close</c> waits for
    /// that. If the target threw (while receiving a value, or while being closed) and no <c>Send</c> has reported it
    /// yet, <c>Close</c> throws <see cref="CoroutineBridgeException"/>. After <c>Close</c> the worker thread has
    /// ended. <c>Dispose()</c> is <c>Close()</c>.</description></item>
    /// <item><description><b><c>Throw(e)</c></b> raises <c>e</c> in the bridge itself, not in the target (in the
    /// course's <c>threaded</c>, the exception lands at the bridge's own <c>yield</c>): the bridge does not handle
    /// it, so <c>e</c> propagates and the bridge is finished. So that nothing is left running, the worker first
    /// delivers the values waiting and closes the target, as for <c>Close</c>; if the target fails then,
    /// <c>Throw</c> throws an <see cref="AggregateException"/> of <c>e</c> and that
    /// <see cref="CoroutineBridgeException"/>.</description></item>
    /// <item><description><b>Threads.</b> The bridge is driven like any coroutine: one thread at a time. Its
    /// target runs on the worker thread only, so the target and the stages after it must not also be sent to
    /// from elsewhere (two threads sending into one coroutine is Beazley's <c>cocrash.py</c>; see
    /// docs/bridges.md). Sending to the bridge from its own worker (a pipeline with a cycle through it) works while
    /// there is room; when the queue is full it throws <see cref="InvalidOperationException"/>, since waiting would
    /// deadlock. Closing it from its own worker throws <see cref="InvalidOperationException"/>, after asking the
    /// worker to close the target once the current value is done.</description></item>
    /// <item><description><b>Close it.</b> The worker is a background thread, so a bridge you forget to close does
    /// not keep the process alive: its worker would otherwise wait for values for ever. The price is that a bridge
    /// never closed behaves like any coroutine never closed (docs/semantics.md, rule 11): when the process exits,
    /// the values still waiting are not delivered and the target is not closed. Close it with <c>using</c>, or
    /// let a source close it.</description></item>
    /// </list>
    /// <code>
    /// using var printer = Stages.Printer(Console.Out);
    /// Sources.Follow(reader, Coroutines.Threaded(Stages.Grep("python", printer)));   // grep and printer run on the worker
    /// </code>
    /// </remarks>
    public static ICoroutine<T> Threaded<T>(ICoroutine<T> target, int capacity = 100)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(capacity), capacity, "The capacity of a threaded coroutine must be at least 1: it is how many values may wait for the worker thread.");
        }

        return new ThreadedCoroutine<T>(target, capacity);
    }

    /// <summary>The bridge of <see cref="Threaded{T}"/>: a queue in front of a worker thread that drives the target.</summary>
    private sealed class ThreadedCoroutine<T> : PushCoroutine<T>
    {
        private readonly ICoroutine<T> _target;
        private readonly Channel<T> _queue;
        private readonly Thread _worker;

        // Values queued so far. Only the sending side touches it, and PushCoroutine lets one call in at a time.
        private long _sent;

        // How the worker ended; published (before it completes the queue) once, and read by the sending side.
        private WorkerEnd? _end;

        public ThreadedCoroutine(ICoroutine<T> target, int capacity)
        {
            _target = target;
            _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
            });

            // A background thread: a bridge nobody closes must not keep the process alive (see Threaded's remarks).
            _worker = new Thread(Work) { IsBackground = true, Name = "CoroutineGen threaded coroutine" };
            _worker.Start();
        }

        protected override void OnSend(T value)
        {
            if (CheckWorker(fromSend: true))
            {
                return;
            }

            if (!_queue.Writer.TryWrite(value))
            {
                if (Thread.CurrentThread == _worker)
                {
                    // This exception finishes the bridge: let the worker deliver what is queued and close the target.
                    _queue.Writer.TryComplete();
                    throw new InvalidOperationException(
                        "The queue of this threaded coroutine is full and the value comes from its own worker thread (a pipeline with a " +
                        "cycle through the bridge): waiting for room would deadlock, since only that thread makes room. The bridge is " +
                        "closed; the worker will close the target once it has delivered the queued values.");
                }

                try
                {
                    // Full: wait for room (back-pressure). If the worker stops meanwhile, it completes the queue.
                    _queue.Writer.WriteAsync(value).AsTask().GetAwaiter().GetResult();
                }
                catch (ChannelClosedException)
                {
                    // Only the worker completes the queue while a Send runs, after publishing how it ended.
                    if (CheckWorker(fromSend: true))
                    {
                        return;
                    }

                    throw;
                }
            }

            _sent++;
        }

        protected override void OnClose()
        {
            Stop();
            var end = Volatile.Read(ref _end)!;
            if (end.Error is not null)
            {
                throw Failure(end, fromSend: false);
            }
        }

        protected override void OnThrow(Exception exception)
        {
            // Beazley's threaded() receives the exception at its own yield and does not catch it: it propagates and
            // the bridge is finished, and the target never sees it. Unlike there, the worker is not left waiting
            // for ever: it delivers what is queued and closes the target, as on Close.
            Stop();
            var end = Volatile.Read(ref _end)!;
            if (end.Error is not null)
            {
                throw new AggregateException(exception, Failure(end, fromSend: false));
            }

            CoroutineRuntime.Rethrow(exception);
        }

        /// <summary>Tells the worker to close the target after the queued values, and waits until it has.</summary>
        private void Stop()
        {
            _queue.Writer.TryComplete();
            if (Thread.CurrentThread == _worker)
            {
                throw new InvalidOperationException(
                    "A threaded coroutine cannot be closed from its own worker thread (by its target, or a stage after it): it would " +
                    "wait for itself. The worker will close the target once the current value is done.");
            }

            _worker.Join();
        }

        /// <summary>
        /// Reports a worker that has stopped: throws its target's failure, or, if the target finished, makes this
        /// <c>Send</c> finish the bridge (returns <c>true</c>). Returns <c>false</c> while the worker runs.
        /// </summary>
        private bool CheckWorker(bool fromSend)
        {
            var end = Volatile.Read(ref _end);
            if (end is null)
            {
                return false;
            }

            _worker.Join(); // it has published its end and only completes the queue now
            if (end.Error is not null)
            {
                throw Failure(end, fromSend);
            }

            Return(); // the target finished: so does the bridge, and this Send throws StopIterationException
            return true;
        }

        private CoroutineBridgeException Failure(WorkerEnd end, bool fromSend)
        {
            var error = end.Error!;
            string message;
            if (end.FailedValue > 0)
            {
                long failed = end.FailedValue;
                message = $"The target of a threaded coroutine failed on the worker thread while receiving value #{failed} (values are " +
                    "numbered from 1 in the order they were sent).";
                long lost = _sent - failed;
                string lostValues = lost == 1 ? $"value #{failed + 1}" : $"values #{failed + 1} to #{_sent}";
                if (fromSend)
                {
                    message += lost == 0
                        ? " The value passed to this Send was not delivered."
                        : $" The queued {lostValues} and the value passed to this Send were not delivered.";
                }
                else if (lost > 0)
                {
                    message += $" The queued {lostValues} {(lost == 1 ? "was" : "were")} not delivered.";
                }
            }
            else
            {
                message = $"The target of a threaded coroutine failed on the worker thread when it was closed, after receiving all {_sent} values.";
            }

            return new CoroutineBridgeException($"{message} The target threw {error.GetType().Name}: {error.Message}", error);
        }

        /// <summary>The worker thread: sends each queued value to the target; at the end of the queue, closes it.</summary>
        private void Work()
        {
            var end = DeliverQueuedValues() ?? CloseTarget();
            Volatile.Write(ref _end, end);
            _queue.Writer.TryComplete(); // wakes a Send waiting for room
        }

        /// <summary>Returns how the worker ended, or <c>null</c> when the queue was completed and drained.</summary>
        private WorkerEnd? DeliverQueuedValues()
        {
            var reader = _queue.Reader;
            long number = 0;
            while (WaitToRead(reader))
            {
                while (reader.TryRead(out var value))
                {
                    number++;
                    try
                    {
                        if (Delivery.Send(_target, value) != DeliveryResult.Delivered)
                        {
                            return WorkerEnd.TargetFinished;
                        }
                    }
                    catch (Exception error)
                    {
                        // As a source does: a target whose Send threw is normally finished; one that is not is closed.
                        try
                        {
                            Delivery.CloseAfterFailure(_target, error);
                        }
                        catch (AggregateException both)
                        {
                            error = both;
                        }

                        return new WorkerEnd(number, error);
                    }
                }
            }

            return null;
        }

        private WorkerEnd CloseTarget()
        {
            try
            {
                _target.Close();
                return WorkerEnd.Closed;
            }
            catch (Exception error)
            {
                return new WorkerEnd(0, error);
            }
        }

        private static bool WaitToRead(ChannelReader<T> reader)
        {
            var wait = reader.WaitToReadAsync();
            return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>How a threaded coroutine's worker ended.</summary>
    private sealed class WorkerEnd
    {
        /// <summary>The target received every value and was closed.</summary>
        public static readonly WorkerEnd Closed = new(0, null);

        /// <summary>The target finished (its body returned): the values after that were discarded.</summary>
        public static readonly WorkerEnd TargetFinished = new(0, null);

        public WorkerEnd(long failedValue, Exception? error)
        {
            FailedValue = failedValue;
            Error = error;
        }

        /// <summary>The number (from 1) of the value whose <c>Send</c> threw; 0 if the failure was in <c>Close</c>.</summary>
        public long FailedValue { get; }

        /// <summary>What the target threw, or <c>null</c>.</summary>
        public Exception? Error { get; }
    }
}
