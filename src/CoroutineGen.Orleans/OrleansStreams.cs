using System;
using System.Threading;
using System.Threading.Tasks;
using Orleans.Streams;

namespace CoroutineGen.Orleans;

/// <summary>
/// Bridges between coroutine pipelines and Orleans streams, so that a pipeline can run across the silos of a
/// cluster: <see cref="ToStream{T}"/> is a sink that publishes what it is sent to a stream, and
/// <see cref="SubscribeAsync{T}"/> drives a coroutine with what the stream delivers, wherever it is subscribed.
/// <c>Send</c>, <c>Close</c> and <c>Throw</c> on the sink become <c>Send</c>, <c>Close</c> and <c>Throw</c> on the
/// remote coroutine, in order, through <see cref="CoroutineMessage{T}"/> envelopes.
/// </summary>
/// <remarks>
/// Get the stream from a stream provider with the envelope as its element type, on both sides:
/// <code>
/// var stream = this.GetStreamProvider("lines").GetStream&lt;CoroutineMessage&lt;string&gt;&gt;("log", key);
/// </code>
/// docs/orleans.md in the repository describes the guarantees (order, loss, redelivery), how close and errors
/// travel, and where Orleans streams fit a pipeline badly.
/// </remarks>
public static class OrleansStreams
{
    /// <summary>
    /// Creates a sink that publishes every value it is sent to <paramref name="stream"/>, in order, and whose close
    /// or thrown error travels to the subscribed coroutines after those values.
    /// </summary>
    /// <typeparam name="T">The type of the values; Orleans must be able to serialize it.</typeparam>
    /// <param name="stream">The stream; one sink per stream (see remarks).</param>
    /// <param name="options">Capacity and batch size; <c>null</c> for the defaults.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) sink.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <c>null</c>.</exception>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description><c>Send(v)</c> queues <c>v</c>; a pump on the thread pool publishes the queue in order,
    /// up to <see cref="StreamSinkOptions.MaxBatchSize"/> values per stream call, each call awaited before the next.
    /// <c>Send</c> returns at once while at most <see cref="StreamSinkOptions.Capacity"/> values wait, and blocks the
    /// calling thread otherwise (back-pressure). Blocking is safe inside a grain: the pump never needs the grain's
    /// scheduler.</description></item>
    /// <item><description><c>Close()</c> publishes a Close message and returns when everything is published: the
    /// remote coroutine is then closed (its <c>catch (GeneratorExitException)</c> and <c>finally</c> run) after
    /// receiving every value.</description></item>
    /// <item><description><c>Throw(e)</c> publishes a Throw message carrying <c>e</c>, waits until everything is
    /// published, and then, as for every sink, <c>e</c> propagates out of <c>Throw</c> and the sink is finished.
    /// The remote coroutine gets <c>e</c> thrown into it after the values (Orleans serializes the exception: its type
    /// arrives if the receiving silo knows it, and its message and stack trace always do).</description></item>
    /// <item><description>If a publish fails, the next <c>Send</c>, <c>Close</c> or <c>Throw</c> (or the one
    /// waiting) throws <see cref="StreamPublishException"/>, which says how many messages did not reach the stream,
    /// and the sink is finished. Nothing is dropped silently, but a sink that is never closed cannot report a
    /// failure that happens after its last <c>Send</c>.</description></item>
    /// </list>
    /// <para>Use one sink per stream. Orleans keeps the messages of one producer in order, not several producers'
    /// messages relative to each other, and the first Close or Throw to arrive ends the subscriptions.</para>
    /// </remarks>
    public static ICoroutine<T> ToStream<T>(IAsyncStream<CoroutineMessage<T>> stream, StreamSinkOptions? options = null)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        return new StreamSink<T>(stream, options ?? new StreamSinkOptions());
    }

    /// <summary>
    /// Subscribes to <paramref name="stream"/> and drives <paramref name="target"/> with what arrives: each value is
    /// sent to it in order, a Close message closes it, and a Throw message throws its error into it.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="stream">The stream, as the producer's sink publishes to it.</param>
    /// <param name="target">The coroutine to drive (usually the first stage of a local pipeline). It is called
    /// where Orleans delivers: on the grain's scheduler when this is called in a grain, on the thread pool in a
    /// client; one call at a time.</param>
    /// <param name="cancellationToken">Stops the subscription (see remarks).</param>
    /// <returns>The subscription, once it is registered: await it for the number of values the coroutine
    /// received, dispose it to stop early.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="target"/> is
    /// <c>null</c> (thrown synchronously; the target is not closed).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the
    /// subscription was made (the target is closed).</exception>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description>Subscribe <b>before</b> the producer starts: a stream delivers only what is published after
    /// the subscription, and a coroutine must see every value. If the first message of a producer to arrive is not
    /// its first one, or a message is missing later, the coroutine is closed and
    /// <see cref="CoroutineStreamSubscription.Completion"/> fails with <see cref="StreamSequenceException"/>. A
    /// message delivered twice (persistent streams deliver at least once) is ignored the second time.</description></item>
    /// <item><description>Close message: <c>target.Close()</c>; the completion gets the count.</description></item>
    /// <item><description>Throw message carrying <c>e</c>: <c>target.Throw(e)</c>. If the coroutine does not handle
    /// <c>e</c>, the completion fails with it. If it handles it and waits for more, it is closed, since the producer
    /// is finished; if it handles it and finishes, that is all. Either way the completion then gets the count.</description></item>
    /// <item><description>A coroutine that finishes by itself (it returned) or whose <c>Send</c> throws is done:
    /// later messages are not delivered, and the completion gets the count or the error.</description></item>
    /// <item><description>A stream provider that does end streams (<c>OnCompletedAsync</c>, <c>OnErrorAsync</c>
    /// on the consumer) is handled like a Close or a Throw message.</description></item>
    /// <item><description>When the coroutine is done, the subscription is removed. If subscribing fails, the target
    /// is closed and the error propagates.</description></item>
    /// <item><description>Cancelling <paramref name="cancellationToken"/> stops, as in every source: the target is
    /// closed, the subscription removed, and <see cref="CoroutineStreamSubscription.Completion"/> ends cancelled
    /// (<see cref="OperationCanceledException"/>); a token cancelled before the subscription is made closes the
    /// target and makes this method throw <see cref="OperationCanceledException"/>. The close runs on the thread
    /// that cancels, never at the same time as a delivery. <see cref="CoroutineStreamSubscription.UnsubscribeAsync"/>
    /// stops too, but the caller asked for it and gets the count.</description></item>
    /// </list>
    /// <para>In a grain that is not reentrant, do not await the subscription inside a grain call: the deliveries are
    /// grain calls too and would wait behind it. Await it from outside, or in a method marked
    /// <c>[AlwaysInterleave]</c>.</para>
    /// </remarks>
    public static Task<CoroutineStreamSubscription> SubscribeAsync<T>(IAsyncStream<CoroutineMessage<T>> stream, ICoroutine<T> target,
        CancellationToken cancellationToken = default)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return SubscribeCore(stream, target, cancellationToken);
    }

    private static async Task<CoroutineStreamSubscription> SubscribeCore<T>(IAsyncStream<CoroutineMessage<T>> stream, ICoroutine<T> target,
        CancellationToken cancellationToken)
    {
        var source = new StreamSource<T>(target);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            source.Attach(await stream.SubscribeAsync(source).ConfigureAwait(false));
            if (cancellationToken.IsCancellationRequested)
            {
                // Cancelled while subscribing: stop, as for a token cancelled before, and say so.
                source.Cancel(cancellationToken);
                await source.UnsubscribeAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (Exception failure)
        {
            source.Detach(failure);
            if (target.State == CoroutineState.Suspended)
            {
                try
                {
                    target.Close();
                }
                catch (Exception closeError)
                {
                    throw new AggregateException(failure, closeError);
                }
            }

            throw;
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => source.Cancel(cancellationToken));
            _ = source.Completion.ContinueWith(_ => registration.Dispose(), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new CoroutineStreamSubscription(source.Completion, source.UnsubscribeAsync);
    }
}
