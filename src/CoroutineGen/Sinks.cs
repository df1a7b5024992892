using System;
using System.Threading.Channels;

namespace CoroutineGen;

/// <summary>
/// Ready-made pipeline ends: a sink from delegates, a sink that discards everything, and a sink that hands values
/// to a <see cref="ChannelWriter{T}"/> (a bridge to another thread or to <c>async</c> code). Each is a
/// <see cref="PushCoroutine{T}"/>, so it follows the same rules as a generated coroutine.
/// </summary>
public static partial class Sinks
{
    /// <summary>
    /// Creates a sink that calls <paramref name="onItem"/> for each value sent and <paramref name="onClose"/> when
    /// it is closed.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="onItem">Called with each value, on the thread that calls <c>Send</c>.</param>
    /// <param name="onClose">Called once when the sink is closed while suspended (the
    /// <c>catch (GeneratorExitException)</c> handler of a template), or <c>null</c>.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) sink.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="onItem"/> is <c>null</c>.</exception>
    /// <remarks>
    /// An exception from <paramref name="onItem"/> finishes the sink and propagates out of <c>Send</c> (a
    /// <see cref="StopIterationException"/> as "coroutine raised StopIteration"). <c>Throw(e)</c> is not handled:
    /// <c>e</c> propagates, the sink is finished, and <paramref name="onClose"/> is not called, as for a Python
    /// sink whose only handler is <c>except GeneratorExit</c>. <c>Throw(new GeneratorExitException())</c> calls
    /// <paramref name="onClose"/> and then throws <see cref="StopIterationException"/>.
    /// </remarks>
    public static ICoroutine<T> Create<T>(Action<T> onItem, Action? onClose = null)
    {
        if (onItem is null)
        {
            throw new ArgumentNullException(nameof(onItem));
        }

        return new DelegateSink<T>(onItem, onClose);
    }

    /// <summary>Creates a sink that discards every value (Beazley's <c>null</c> coroutine, for benchmarks).</summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <returns>A new primed sink; it has its own state, so each pipeline needs its own.</returns>
    public static ICoroutine<T> Null<T>() => new NullSink<T>();

    /// <summary>
    /// Creates a sink that writes each value to <paramref name="writer"/>: a bridge from a synchronous pipeline to
    /// a consumer on another thread or in <c>async</c> code (<c>await foreach (var x in reader.ReadAllAsync())</c>).
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="writer">The channel's writer.</param>
    /// <param name="complete">Whether closing the sink completes <paramref name="writer"/>: <c>true</c> (the
    /// default) when this sink is the channel's only producer; <c>false</c> when several sinks feed one channel
    /// and its owner completes it.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) sink.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <c>null</c>.</exception>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description><c>Send(v)</c> writes <c>v</c>. When a bounded channel is full, <c>Send</c> blocks the
    /// calling thread until there is room (back-pressure), so the consumer must run on another thread (never
    /// block a single-threaded synchronization context that the consumer needs). When the channel no longer
    /// accepts values (it was completed), <c>Send</c> throws <see cref="ChannelClosedException"/> and the sink is
    /// finished. For a bounded channel that drops values instead of waiting, <c>Send</c> never blocks.</description></item>
    /// <item><description><c>Close()</c> completes the writer (<c>TryComplete()</c>) when
    /// <paramref name="complete"/> is <c>true</c>: the reader drains the values and ends.</description></item>
    /// <item><description><c>Throw(e)</c> completes the writer with <c>e</c> (<c>TryComplete(e)</c>, so the reader
    /// sees <c>e</c> after the values already written, when <paramref name="complete"/> is <c>true</c>); then, as for
    /// every sink, <c>e</c> propagates out of <c>Throw</c> and the sink is finished.</description></item>
    /// </list>
    /// </remarks>
    public static ICoroutine<T> ToChannel<T>(ChannelWriter<T> writer, bool complete = true)
    {
        if (writer is null)
        {
            throw new ArgumentNullException(nameof(writer));
        }

        return new ChannelSink<T>(writer, complete);
    }

    private sealed class DelegateSink<T> : PushCoroutine<T>
    {
        private readonly Action<T> _onItem;
        private readonly Action? _onClose;

        public DelegateSink(Action<T> onItem, Action? onClose)
        {
            _onItem = onItem;
            _onClose = onClose;
        }

        protected override void OnSend(T value) => _onItem(value);

        protected override void OnClose() => _onClose?.Invoke();
    }

    private sealed class NullSink<T> : PushCoroutine<T>
    {
        protected override void OnSend(T value)
        {
        }
    }

    private sealed class ChannelSink<T> : PushCoroutine<T>
    {
        private readonly ChannelWriter<T> _writer;
        private readonly bool _complete;

        public ChannelSink(ChannelWriter<T> writer, bool complete)
        {
            _writer = writer;
            _complete = complete;
        }

        protected override void OnSend(T value)
        {
            if (!_writer.TryWrite(value))
            {
                // Full (wait for room) or completed (WriteAsync throws ChannelClosedException).
                _writer.WriteAsync(value).AsTask().GetAwaiter().GetResult();
            }
        }

        protected override void OnThrow(Exception exception)
        {
            if (_complete)
            {
                _writer.TryComplete(exception);
            }

            base.OnThrow(exception);
        }

        protected override void OnClose()
        {
            if (_complete)
            {
                _writer.TryComplete();
            }
        }
    }
}
