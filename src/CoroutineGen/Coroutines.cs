using System;
using System.Collections.Generic;
using System.Linq;

namespace CoroutineGen;

/// <summary>
/// Building blocks for pipelines: <see cref="Broadcast{T}(ICoroutine{T}[])"/> (fan-out), and extension methods
/// on any <see cref="ICoroutine{T}"/>: <see cref="TrySend{T}"/> and <see cref="ToObserver{T}"/>.
/// </summary>
public static partial class Coroutines
{
    /// <summary>
    /// Creates a push target that sends each value to every one of <paramref name="targets"/>, in order (Beazley's
    /// <c>broadcast</c>). Closing it closes every target.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="targets">The targets, in the order they receive each value. The array is copied; the same
    /// target may appear more than once (it then receives each value that many times). No targets is allowed.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) coroutine.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/> or one of its elements is <c>null</c>.</exception>
    /// <remarks>
    /// <para>It behaves like the coroutine generated from this template (see <see cref="PushCoroutine{T}"/> for the
    /// general rules):</para>
    /// <code>
    /// [Coroutine]
    /// static void Broadcast(Inbox&lt;T&gt; inbox, ICoroutine&lt;T&gt;[] targets)
    /// {
    ///     try
    ///     {
    ///         while (true)
    ///         {
    ///             T item = inbox.Receive();
    ///             foreach (var target in targets) target.Send(item);
    ///         }
    ///     }
    ///     catch (GeneratorExitException)
    ///     {
    ///         // close every target, even if one throws (see below)
    ///     }
    /// }
    /// </code>
    /// <list type="bullet">
    /// <item><description><c>Send</c>: an exception from a target stops the round (later targets do not get the
    /// value), finishes the broadcast and propagates unchanged; a finished target's
    /// <see cref="StopIterationException"/> becomes <c>InvalidOperationException("coroutine raised
    /// StopIteration")</c> (PEP 479). The targets are then left as they are: closing the finished broadcast does
    /// nothing, so close the surviving targets yourself (or with <c>using</c>).</description></item>
    /// <item><description><c>Close</c>/<c>Dispose</c>: closes every target in order, even when some fail. One
    /// failure is rethrown unchanged; several are thrown together as an <see cref="AggregateException"/>, in
    /// target order. The broadcast is closed in any case.</description></item>
    /// <item><description><c>Throw(e)</c>: the broadcast does not handle <c>e</c> and does not forward it: <c>e</c>
    /// propagates, the broadcast is finished and the targets are neither thrown into nor closed (as in Python).
    /// <c>Throw(new GeneratorExitException())</c> closes the targets like <c>Close</c>, then throws
    /// <see cref="StopIterationException"/>.</description></item>
    /// </list>
    /// </remarks>
    public static ICoroutine<T> Broadcast<T>(params ICoroutine<T>[] targets)
    {
        if (targets is null)
        {
            throw new ArgumentNullException(nameof(targets));
        }

        return new BroadcastCoroutine<T>((ICoroutine<T>[])targets.Clone());
    }

    /// <summary>
    /// Creates a push target that sends each value to every one of <paramref name="targets"/>, in order; see
    /// <see cref="Broadcast{T}(ICoroutine{T}[])"/>.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="targets">The targets, enumerated once, now.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) coroutine.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/> or one of its elements is <c>null</c>.</exception>
    public static ICoroutine<T> Broadcast<T>(IEnumerable<ICoroutine<T>> targets)
    {
        if (targets is null)
        {
            throw new ArgumentNullException(nameof(targets));
        }

        return new BroadcastCoroutine<T>(targets.ToArray());
    }

    /// <summary>
    /// Sends <paramref name="value"/> to <paramref name="target"/>, returning <c>false</c> where
    /// <see cref="ICoroutine{T}.Send(T)"/> would throw <see cref="StopIterationException"/>: the target is
    /// finished (then nothing is sent, and nothing is thrown), or it finished while handling this value (it did
    /// receive it).
    /// </summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="target">The coroutine to send to.</param>
    /// <param name="value">The value.</param>
    /// <returns><c>true</c> if the target received the value and is still alive; <c>false</c> if it is now
    /// <see cref="CoroutineState.Closed"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <c>null</c>.</exception>
    /// <remarks>
    /// Every other exception propagates: errors escaping the target, "coroutine is already running", and a
    /// <see cref="StopIterationException"/> from a target that is not <see cref="CoroutineState.Closed"/> afterwards
    /// (a hand-written <see cref="ICoroutine{T}"/> leaking one from further down).
    /// The template's return value (<see cref="StopIterationException.Value"/>) is not reported; use
    /// <c>Send</c> and catch the exception when you need it.
    /// </remarks>
    public static bool TrySend<T>(this ICoroutine<T> target, T value)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return Delivery.Send(target, value) == DeliveryResult.Delivered;
    }

    /// <summary>
    /// Wraps <paramref name="target"/> as an <see cref="IObserver{T}"/>, so an <see cref="IObservable{T}"/> (Rx, an
    /// event source) can drive a pipeline.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="target">The coroutine that receives the notifications.</param>
    /// <returns>An observer: <c>OnNext</c> is <c>Send</c>, <c>OnCompleted</c> is <c>Close</c>, <c>OnError</c> is
    /// <c>Throw</c> followed by <c>Close</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <c>null</c>.</exception>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description><c>OnNext(v)</c> is <c>Send(v)</c> and throws what it throws, including
    /// <see cref="StopIterationException"/> when the coroutine is finished (wrap the coroutine's <c>Send</c> in
    /// <see cref="TrySend{T}"/> with <see cref="Sinks.Create{T}"/> if the producer must not see that).</description></item>
    /// <item><description><c>OnCompleted()</c> is <c>Close()</c>.</description></item>
    /// <item><description><c>OnError(e)</c> is <c>Throw(e)</c>, and, because <c>OnError</c> ends an observable
    /// sequence, it then closes a coroutine that handled <c>e</c> and suspended again. If the coroutine does not
    /// handle <c>e</c>, <c>e</c> propagates out of <c>OnError</c> (like Python's <c>throw</c>, and like Rx's
    /// <c>Subscribe(onNext)</c> observer, which rethrows errors). If it handled <c>e</c> and finished, the
    /// <see cref="StopIterationException"/> is swallowed: <c>OnError</c> returns normally.</description></item>
    /// </list>
    /// </remarks>
    public static IObserver<T> ToObserver<T>(this ICoroutine<T> target)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return new CoroutineObserver<T>(target);
    }

    private sealed class BroadcastCoroutine<T> : PushCoroutine<T>
    {
        private readonly ICoroutine<T>[] _targets;

        public BroadcastCoroutine(ICoroutine<T>[] targets)
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

        protected override void OnSend(T value)
        {
            foreach (var target in _targets)
            {
                target.Send(value);
            }
        }

        protected override void OnClose()
        {
            List<Exception>? errors = null;
            foreach (var target in _targets)
            {
                try
                {
                    target.Close();
                }
                catch (Exception error)
                {
                    (errors ??= new List<Exception>()).Add(error);
                }
            }

            Delivery.ThrowCollected(errors);
        }
    }

    private sealed class CoroutineObserver<T> : IObserver<T>
    {
        private readonly ICoroutine<T> _target;

        public CoroutineObserver(ICoroutine<T> target) => _target = target;

        public void OnNext(T value) => _target.Send(value);

        public void OnCompleted() => _target.Close();

        public void OnError(Exception error)
        {
            if (error is null)
            {
                throw new ArgumentNullException(nameof(error));
            }

            try
            {
                _target.Throw(error);
            }
            catch (StopIterationException) when (_target.State == CoroutineState.Closed)
            {
                return;
            }

            _target.Close();
        }
    }
}
