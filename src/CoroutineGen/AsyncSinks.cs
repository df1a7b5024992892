using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace CoroutineGen;

/// <summary>
/// Asynchronous sinks: the <see cref="IAsyncCoroutine{T}"/> ends of an async pipeline, as <see cref="Sinks"/> has the
/// synchronous ones. They follow the rules of <see cref="IAsyncCoroutine{T}"/> as a generated async coroutine does.
/// </summary>
public static class AsyncSinks
{
    /// <summary>
    /// Creates an asynchronous sink that awaits <paramref name="onItem"/> for each value sent and
    /// <paramref name="onClose"/> when it is closed: <see cref="Sinks.Create{T}"/> for an <c>async</c> pipeline.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="onItem">Called with each value and the token passed to
    /// <see cref="IAsyncCoroutine{T}.SendAsync"/>; the send completes when the returned task does.</param>
    /// <param name="onClose">Called once when the sink is closed while suspended (the
    /// <c>catch (GeneratorExitException)</c> handler of a template), or <c>null</c>; <c>CloseAsync</c> completes when
    /// its task does.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) asynchronous sink.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="onItem"/> is <c>null</c>.</exception>
    /// <remarks>
    /// <para>The sink is <see cref="CoroutineState.Running"/> until the task of <paramref name="onItem"/> completes;
    /// a second call before that fails with "coroutine is already running". Every error is reported through the
    /// returned task (never thrown by the call itself).</para>
    /// <para>An exception from <paramref name="onItem"/> (thrown, or through its task) finishes the sink and
    /// propagates (a <see cref="StopIterationException"/> as "coroutine raised StopIteration"; an
    /// <see cref="OperationCanceledException"/> ends the send's task cancelled). <c>ThrowAsync(e)</c> is not handled:
    /// <c>e</c> propagates, the sink is finished, and <paramref name="onClose"/> is not called.
    /// <c>ThrowAsync(new GeneratorExitException())</c> awaits <paramref name="onClose"/> and then fails with
    /// <see cref="StopIterationException"/>. <c>DisposeAsync</c> is <c>CloseAsync</c>.</para>
    /// </remarks>
    public static IAsyncCoroutine<T> Create<T>(Func<T, CancellationToken, ValueTask> onItem, Func<ValueTask>? onClose = null)
    {
        if (onItem is null)
        {
            throw new ArgumentNullException(nameof(onItem));
        }

        return new AsyncDelegateSink<T>(onItem, onClose);
    }

    /// <summary>
    /// Creates an asynchronous sink that writes each value to <paramref name="writer"/>, awaiting
    /// <see cref="ChannelWriter{T}.WriteAsync"/>: <see cref="ToChannel{T}"/> for an <c>async</c> pipeline, with
    /// back-pressure that does not block a thread.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="writer">The channel's writer.</param>
    /// <param name="complete">Whether closing the sink completes <paramref name="writer"/>: <c>true</c> (the
    /// default) when this sink is the channel's only producer; <c>false</c> when several sinks feed one channel and
    /// its owner completes it.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) asynchronous sink.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <c>null</c>.</exception>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description><c>SendAsync(v, token)</c> writes <c>v</c>. When a bounded channel is full, the returned
    /// task completes once there is room and <c>v</c> is written (back-pressure); until then the sink is
    /// <see cref="CoroutineState.Running"/>. When there is room it completes synchronously. The token is the
    /// write's: cancelled (before or while waiting for room), the value is not written, the task ends cancelled
    /// and the sink is finished, as a template whose <c>await writer.WriteAsync(v, inbox.CancellationToken)</c>
    /// throws. When the channel no longer accepts values (it was completed), the task fails with
    /// <see cref="ChannelClosedException"/> and the sink is finished.</description></item>
    /// <item><description><c>CloseAsync()</c> completes the writer (<c>TryComplete()</c>) when
    /// <paramref name="complete"/> is <c>true</c>: the reader drains the values and ends.</description></item>
    /// <item><description><c>ThrowAsync(e)</c> completes the writer with <c>e</c> (<c>TryComplete(e)</c>, when
    /// <paramref name="complete"/> is <c>true</c>), so the reader sees <c>e</c> after the values already written;
    /// then, as for every sink, the task fails with <c>e</c> and the sink is finished.</description></item>
    /// </list>
    /// </remarks>
    public static IAsyncCoroutine<T> ToChannel<T>(ChannelWriter<T> writer, bool complete = true)
    {
        if (writer is null)
        {
            throw new ArgumentNullException(nameof(writer));
        }

        return new AsyncChannelSink<T>(writer, complete);
    }

    private sealed class AsyncDelegateSink<T> : AsyncPushCoroutine<T>
    {
        private readonly Func<T, CancellationToken, ValueTask> _onItem;
        private readonly Func<ValueTask>? _onClose;

        public AsyncDelegateSink(Func<T, CancellationToken, ValueTask> onItem, Func<ValueTask>? onClose)
        {
            _onItem = onItem;
            _onClose = onClose;
        }

        protected override ValueTask OnSendAsync(T value, CancellationToken cancellationToken) => _onItem(value, cancellationToken);

        protected override ValueTask OnCloseAsync(CancellationToken cancellationToken) => _onClose?.Invoke() ?? default;
    }

    private sealed class AsyncChannelSink<T> : AsyncPushCoroutine<T>
    {
        private readonly ChannelWriter<T> _writer;
        private readonly bool _complete;

        public AsyncChannelSink(ChannelWriter<T> writer, bool complete)
        {
            _writer = writer;
            _complete = complete;
        }

        protected override ValueTask OnSendAsync(T value, CancellationToken cancellationToken)
        {
            // TryWrite first: no task when there is room. WriteAsync waits for room, and reports a cancelled token
            // (even with room, as an awaited WriteAsync would) or a completed channel.
            if (!cancellationToken.IsCancellationRequested && _writer.TryWrite(value))
            {
                return default;
            }

            return _writer.WriteAsync(value, cancellationToken);
        }

        protected override ValueTask OnThrowAsync(Exception exception, CancellationToken cancellationToken)
        {
            if (_complete)
            {
                _writer.TryComplete(exception);
            }

            return base.OnThrowAsync(exception, cancellationToken);
        }

        protected override ValueTask OnCloseAsync(CancellationToken cancellationToken)
        {
            if (_complete)
            {
                _writer.TryComplete();
            }

            return default;
        }
    }
}
