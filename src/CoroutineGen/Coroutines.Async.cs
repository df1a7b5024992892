using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace CoroutineGen;

// Asynchronous pipelines: the asynchronous broadcast, and the bridges between synchronous and asynchronous coroutines.
public static partial class Coroutines
{
    /// <summary>
    /// Creates an asynchronous push target that sends each value to <paramref name="first"/> and then to each of
    /// <paramref name="others"/>, in order, awaiting each send before the next:
    /// <see cref="Broadcast{T}(ICoroutine{T}[])"/> for an <c>async</c> pipeline. Closing it closes every target.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) asynchronous coroutine.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="first"/>, <paramref name="others"/> or one of its
    /// elements is <c>null</c>.</exception>
    /// <remarks>
    /// <para>It follows the rules of <see cref="Broadcast{T}(ICoroutine{T}[])"/>, with every call awaited and every
    /// error reported through the returned task:</para>
    /// <list type="bullet">
    /// <item><description><c>SendAsync(v, token)</c> awaits <c>SendAsync(v, token)</c> of each target in turn (the
    /// targets get the token). A target that fails stops the round (later targets do not get the value), finishes
    /// the broadcast, and its exception propagates unchanged; a finished target's
    /// <see cref="StopIterationException"/> becomes "coroutine raised StopIteration" (PEP 479). The targets are
    /// then left as they are. When every target completes synchronously, so does the broadcast.</description></item>
    /// <item><description><c>CloseAsync(token)</c>/<c>DisposeAsync()</c> awaits <c>CloseAsync(token)</c> of every
    /// target in order, even when some fail. One failure is rethrown unchanged; several are thrown together as an
    /// <see cref="AggregateException"/>, in target order. The broadcast is closed in any case.</description></item>
    /// <item><description><c>ThrowAsync(e)</c> is not handled and not forwarded: the task fails with <c>e</c>, the
    /// broadcast is finished and the targets are neither thrown into nor closed.
    /// <c>ThrowAsync(new GeneratorExitException())</c> closes the targets like <c>CloseAsync</c>, then fails with
    /// <see cref="StopIterationException"/>.</description></item>
    /// </list>
    /// </remarks>
    /// <param name="first">The first target.</param>
    /// <param name="others">The other targets, in the order they receive each value (copied; the same target may
    /// appear more than once). (The first is a parameter of its own so that <c>Broadcast&lt;T&gt;()</c>
    /// with no targets still means the synchronous <see cref="Broadcast{T}(ICoroutine{T}[])"/>; an empty list of
    /// asynchronous targets goes through <see cref="Broadcast{T}(IEnumerable{IAsyncCoroutine{T}})"/>.)</param>
    public static IAsyncCoroutine<T> Broadcast<T>(IAsyncCoroutine<T> first, params IAsyncCoroutine<T>[] others)
    {
        if (first is null)
        {
            throw new ArgumentNullException(nameof(first));
        }

        if (others is null)
        {
            throw new ArgumentNullException(nameof(others));
        }

        var targets = new IAsyncCoroutine<T>[others.Length + 1];
        targets[0] = first;
        others.CopyTo(targets, 1);
        return new AsyncBroadcastCoroutine<T>(targets);
    }

    /// <summary>
    /// Creates an asynchronous push target that sends each value to every one of <paramref name="targets"/>, in
    /// order; see <see cref="Broadcast{T}(IAsyncCoroutine{T}, IAsyncCoroutine{T}[])"/>.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="targets">The targets, enumerated once, now.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) asynchronous coroutine.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/> or one of its elements is <c>null</c>.</exception>
    public static IAsyncCoroutine<T> Broadcast<T>(IEnumerable<IAsyncCoroutine<T>> targets)
    {
        if (targets is null)
        {
            throw new ArgumentNullException(nameof(targets));
        }

        return new AsyncBroadcastCoroutine<T>(targets.ToArray());
    }

    /// <summary>
    /// Wraps the synchronous <paramref name="target"/> as an <see cref="IAsyncCoroutine{T}"/>, so it can be used
    /// where an asynchronous stage is expected (an asynchronous source, <see cref="Broadcast{T}(IAsyncCoroutine{T}, IAsyncCoroutine{T}[])"/>,
    /// the target of an <c>async</c> template).
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="target">The synchronous coroutine; it runs on the thread that calls the asynchronous methods.</param>
    /// <returns>An asynchronous view of <paramref name="target"/>: <c>SendAsync</c> is <c>Send</c>,
    /// <c>ThrowAsync</c> is <c>Throw</c>, <c>CloseAsync</c> and <c>DisposeAsync</c> are <c>Close</c>, and
    /// <c>State</c> is the target's.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <c>null</c>.</exception>
    /// <remarks>
    /// Every call runs the target synchronously and returns a completed task: a successful one is
    /// <c>default(ValueTask)</c>, so a send allocates nothing. What the target throws (including
    /// <see cref="StopIterationException"/> and "coroutine is already running") is reported through the returned
    /// task, not thrown by the call, as <see cref="IAsyncCoroutine{T}"/> requires; only a null exception passed to
    /// <c>ThrowAsync</c> is thrown. The tokens are ignored: a synchronous coroutine has no
    /// <c>inbox.CancellationToken</c>.
    /// </remarks>
    public static IAsyncCoroutine<T> ToAsync<T>(this ICoroutine<T> target)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return new SyncCoroutineAsAsync<T>(target);
    }

    /// <summary>
    /// Creates a synchronous push target that feeds the asynchronous <paramref name="target"/> through a bounded
    /// queue: a background task takes the values in order and awaits <see cref="IAsyncCoroutine{T}.SendAsync"/>
    /// for each. It is <see cref="Threaded{T}"/> with a task instead of a thread, so a synchronous pipeline can end
    /// in (or pass through) <c>async</c> stages.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="target">The asynchronous coroutine the background task drives, one call at a time. From now on
    /// only that task may send to it or close it.</param>
    /// <param name="capacity">How many values may wait. When that many are waiting, <c>Send</c> blocks until the
    /// task takes one (back-pressure).</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) coroutine; its background task is already
    /// running.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    /// <remarks>
    /// <para>Nothing is dropped or reordered. The rules are those of <see cref="Threaded{T}"/>:</para>
    /// <list type="bullet">
    /// <item><description><b><c>Send(v)</c></b> queues <c>v</c> and returns; it does not wait for the target. It
    /// blocks the calling thread while <paramref name="capacity"/> values are waiting. If the target failed since the
    /// last call, <c>Send</c> throws <see cref="CoroutineBridgeException"/> instead (its
    /// <see cref="Exception.InnerException"/> is the target's exception; its message says which value failed and
    /// which were not delivered), and the bridge is finished. If the target finished (its body returned),
    /// <c>Send</c> throws <see cref="StopIterationException"/>, so a source stops quietly.</description></item>
    /// <item><description><b><c>Close()</c></b>: the task sends the values still waiting, then awaits
    /// <c>CloseAsync()</c> of the target, and <c>Close</c> blocks until it has. A failure of the target not yet
    /// reported by a <c>Send</c> is thrown as <see cref="CoroutineBridgeException"/>. <c>Dispose()</c> is
    /// <c>Close()</c>.</description></item>
    /// <item><description><b><c>Throw(e)</c></b> raises <c>e</c> in the bridge, not in the target: <c>e</c>
    /// propagates and the bridge is finished, after the queued values were delivered and the target closed, as for
    /// <c>Close</c> (if the target fails then, an <see cref="AggregateException"/> of <c>e</c> and the
    /// <see cref="CoroutineBridgeException"/>).</description></item>
    /// <item><description><b>Tokens.</b> The target's calls get <see cref="CancellationToken.None"/>: nothing cancels
    /// them but the target itself. To stop a pipeline, cancel its source: it closes the bridge.</description></item>
    /// <item><description><b>From inside the target.</b> While the target handles a value, the code it runs (its
    /// awaits included) may send to the bridge while there is room; when the queue is full that <c>Send</c> throws
    /// <see cref="InvalidOperationException"/> instead of waiting for itself, and closing the bridge from there
    /// throws <see cref="InvalidOperationException"/> (the target is then closed once the current value is
    /// done).</description></item>
    /// <item><description><b>Threads.</b> <c>Send</c> and <c>Close</c> block the calling thread (a thread-pool thread
    /// in an <c>async</c> program is tied up while it waits); the target runs on thread-pool threads, with no
    /// synchronization context. The background task never keeps a process alive; a bridge never closed never closes
    /// its target.</description></item>
    /// </list>
    /// </remarks>
    public static ICoroutine<T> ToSync<T>(IAsyncCoroutine<T> target, int capacity = 100)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(capacity), capacity, "The capacity of a ToSync bridge must be at least 1: it is how many values may wait for the target.");
        }

        return new AsyncTargetBridge<T>(target, capacity);
    }

    private sealed class AsyncBroadcastCoroutine<T> : AsyncPushCoroutine<T>
    {
        private readonly IAsyncCoroutine<T>[] _targets;

        public AsyncBroadcastCoroutine(IAsyncCoroutine<T>[] targets)
        {
            for (int i = 0; i < targets.Length; i++)
            {
                if (targets[i] is null)
                {
                    throw new ArgumentNullException(nameof(targets), $"Broadcast target {i} is null.");
                }
            }

            _targets = targets;
        }

        protected override ValueTask OnSendAsync(T value, CancellationToken cancellationToken)
        {
            // Synchronously while the targets complete synchronously: no state machine, no allocation.
            for (int i = 0; i < _targets.Length; i++)
            {
                var pending = _targets[i].SendAsync(value, cancellationToken);
                if (!pending.IsCompletedSuccessfully)
                {
                    return SendFromAsync(pending, i + 1, value, cancellationToken);
                }

                pending.GetAwaiter().GetResult();
            }

            return default;
        }

        protected override async ValueTask OnCloseAsync(CancellationToken cancellationToken)
        {
            List<Exception>? errors = null;
            foreach (var target in _targets)
            {
                try
                {
                    await target.CloseAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error)
                {
                    (errors ??= new List<Exception>()).Add(error);
                }
            }

            Delivery.ThrowCollected(errors);
        }

        /// <summary>Awaits the send in flight, then sends to the targets from <paramref name="next"/> on.</summary>
        private async ValueTask SendFromAsync(ValueTask pending, int next, T value, CancellationToken cancellationToken)
        {
            await pending.ConfigureAwait(false);
            for (int i = next; i < _targets.Length; i++)
            {
                await _targets[i].SendAsync(value, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class SyncCoroutineAsAsync<T> : IAsyncCoroutine<T>
    {
        private readonly ICoroutine<T> _target;

        public SyncCoroutineAsAsync(ICoroutine<T> target) => _target = target;

        public CoroutineState State => _target.State;

        public ValueTask SendAsync(T value, CancellationToken cancellationToken = default)
        {
            try
            {
                _target.Send(value);
                return default;
            }
            catch (Exception error)
            {
                return new ValueTask(Task.FromException(error));
            }
        }

        public ValueTask ThrowAsync(Exception exception, CancellationToken cancellationToken = default)
        {
            if (exception is null)
            {
                throw new ArgumentNullException(nameof(exception));
            }

            try
            {
                _target.Throw(exception);
                return default;
            }
            catch (Exception error)
            {
                return new ValueTask(Task.FromException(error));
            }
        }

        public ValueTask CloseAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                _target.Close();
                return default;
            }
            catch (Exception error)
            {
                return new ValueTask(Task.FromException(error));
            }
        }

        public ValueTask DisposeAsync() => CloseAsync();
    }

    /// <summary>The bridge of <see cref="ToSync{T}"/>: a queue in front of a background task that drives the target.</summary>
    private sealed class AsyncTargetBridge<T> : PushCoroutine<T>
    {
        // The bridge whose target is running in this flow of execution: it flows into everything the target awaits,
        // so the bridge recognizes a call from inside its own target (which must not wait for the pump).
        private static readonly AsyncLocal<AsyncTargetBridge<T>?> s_pumping = new();

        private readonly IAsyncCoroutine<T> _target;
        private readonly Channel<T> _queue;
        private readonly Task _pump;

        // Values queued so far. Only the sending side touches it, and PushCoroutine lets one call in at a time.
        private long _sent;

        // How the pump ended; published (before it completes the queue) once, and read by the sending side.
        private WorkerEnd? _end;

        // Whether a call into the target is in flight (the pump is awaiting it).
        private volatile bool _insideTarget;

        public AsyncTargetBridge(IAsyncCoroutine<T> target, int capacity)
        {
            _target = target;
            _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
            });
            _pump = Task.Run(PumpAsync);
        }

        /// <summary>Whether the caller is the target (or code it runs) handling a value or being closed.</summary>
        private bool CalledFromTarget => _insideTarget && ReferenceEquals(s_pumping.Value, this);

        protected override void OnSend(T value)
        {
            if (CheckPump(fromSend: true))
            {
                return;
            }

            if (!_queue.Writer.TryWrite(value))
            {
                if (CalledFromTarget)
                {
                    // This exception finishes the bridge: let the pump deliver what is queued and close the target.
                    _queue.Writer.TryComplete();
                    throw new InvalidOperationException(
                        "The queue of this ToSync bridge is full and the value comes from inside its own target (a pipeline with a cycle " +
                        "through the bridge): waiting for room would deadlock, since only the target's return makes room. The bridge is " +
                        "closed; the target will be closed once the queued values are delivered.");
                }

                try
                {
                    // Full: wait for room (back-pressure). If the pump stops meanwhile, it completes the queue.
                    _queue.Writer.WriteAsync(value).AsTask().GetAwaiter().GetResult();
                }
                catch (ChannelClosedException)
                {
                    // Only the pump completes the queue while a Send runs, after publishing how it ended.
                    if (CheckPump(fromSend: true))
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
            // As Threaded: the exception lands in the bridge, which does not catch it; the target is closed, not
            // thrown into, after the queued values.
            Stop();
            var end = Volatile.Read(ref _end)!;
            if (end.Error is not null)
            {
                throw new AggregateException(exception, Failure(end, fromSend: false));
            }

            CoroutineRuntime.Rethrow(exception);
        }

        /// <summary>Tells the pump to close the target after the queued values, and waits until it has.</summary>
        private void Stop()
        {
            _queue.Writer.TryComplete();
            if (CalledFromTarget)
            {
                throw new InvalidOperationException(
                    "A ToSync bridge cannot be closed from inside its own target (or a stage after it): it would wait for itself. " +
                    "The target will be closed once the current value is done.");
            }

            _pump.GetAwaiter().GetResult();
        }

        /// <summary>
        /// Reports a pump that has stopped: throws its target's failure, or, if the target finished, makes this
        /// <c>Send</c> finish the bridge (returns <c>true</c>). Returns <c>false</c> while the pump runs.
        /// </summary>
        private bool CheckPump(bool fromSend)
        {
            var end = Volatile.Read(ref _end);
            if (end is null)
            {
                return false;
            }

            _pump.GetAwaiter().GetResult(); // it has published its end and only completes the queue now
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
                message = $"The target of a ToSync bridge failed while receiving value #{failed} (values are numbered from 1 in the " +
                    "order they were sent).";
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
                message = $"The target of a ToSync bridge failed when it was closed, after receiving all {_sent} values.";
            }

            return new CoroutineBridgeException($"{message} The target threw {error.GetType().Name}: {error.Message}", error);
        }

        /// <summary>The background task: sends each queued value to the target; at the end of the queue, closes it.</summary>
        private async Task PumpAsync()
        {
            s_pumping.Value = this;
            var end = await DeliverQueuedValuesAsync().ConfigureAwait(false) ?? await CloseTargetAsync().ConfigureAwait(false);
            Volatile.Write(ref _end, end);
            _queue.Writer.TryComplete(); // wakes a Send waiting for room
        }

        /// <summary>Returns how the pump ended, or <c>null</c> when the queue was completed and drained.</summary>
        private async Task<WorkerEnd?> DeliverQueuedValuesAsync()
        {
            var reader = _queue.Reader;
            long number = 0;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var value))
                {
                    number++;
                    try
                    {
                        _insideTarget = true;
                        if (await AsyncDelivery.SendAsync(_target, value, CancellationToken.None).ConfigureAwait(false) != DeliveryResult.Delivered)
                        {
                            return WorkerEnd.TargetFinished;
                        }
                    }
                    catch (Exception error)
                    {
                        // As a source does: a target whose send failed is normally finished; one that is not is closed.
                        try
                        {
                            await AsyncDelivery.CloseAfterFailureAsync(_target, error).ConfigureAwait(false);
                        }
                        catch (AggregateException both)
                        {
                            error = both;
                        }

                        return new WorkerEnd(number, error);
                    }
                    finally
                    {
                        _insideTarget = false;
                    }
                }
            }

            return null;
        }

        private async Task<WorkerEnd> CloseTargetAsync()
        {
            try
            {
                _insideTarget = true;
                await _target.CloseAsync().ConfigureAwait(false);
                return WorkerEnd.Closed;
            }
            catch (Exception error)
            {
                return new WorkerEnd(0, error);
            }
            finally
            {
                _insideTarget = false;
            }
        }
    }
}
