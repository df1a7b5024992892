using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Orleans.Streams;

namespace CoroutineGen.Orleans;

/// <summary>
/// The sink of <see cref="OrleansStreams.ToStream{T}"/>. <c>Send</c>, <c>Close</c> and <c>Throw</c> put a message in
/// an ordered queue; one pump at a time, on the thread pool, publishes the queue in order, a batch per call, and
/// waits for each publish before the next, so the stream receives the messages in the order they were sent.
/// <c>Send</c> blocks while more than <see cref="StreamSinkOptions.Capacity"/> messages wait; <c>Close</c> and
/// <c>Throw</c> block until everything is published.
/// </summary>
/// <remarks>
/// Blocking cannot deadlock a grain: the pump runs on the thread pool (<see cref="Task.Run(Func{Task})"/>), outside
/// any activation's scheduler, so its awaits never need the thread the caller blocks. Publishing does not wait for
/// the consumer either: a persistent stream's <c>OnNextAsync</c> completes when the queue has the message.
/// </remarks>
internal sealed class StreamSink<T> : PushCoroutine<T>
{
    private readonly IAsyncStream<CoroutineMessage<T>> _stream;
    private readonly int _capacity;
    private readonly int _maxBatchSize;
    private readonly Guid _producer = Guid.NewGuid();
    private readonly object _gate = new();
    private readonly Queue<CoroutineMessage<T>> _waiting = new();
    private long _nextSequence;
    private int _publishing;
    private bool _pumpRunning;
    private Exception? _failure;
    private long _unpublished;

    public StreamSink(IAsyncStream<CoroutineMessage<T>> stream, StreamSinkOptions options)
    {
        _stream = stream;
        _capacity = options.Capacity;
        _maxBatchSize = options.MaxBatchSize;
    }

    public override string ToString() => $"Orleans stream sink {_producer} -> {_stream}: {State}";

    protected override void OnSend(T value)
    {
        lock (_gate)
        {
            Post(CoroutineMessage<T>.Send(_producer, _nextSequence, value));
            WaitUntilPending(_capacity);
        }
    }

    protected override void OnClose()
    {
        lock (_gate)
        {
            Post(CoroutineMessage<T>.Close(_producer, _nextSequence));
            WaitUntilPending(0);
        }
    }

    protected override void OnThrow(Exception exception)
    {
        lock (_gate)
        {
            Post(CoroutineMessage<T>.Throw(_producer, _nextSequence, exception));
            WaitUntilPending(0);
        }

        base.OnThrow(exception);
    }

    /// <summary>Queues a message and starts the pump if it is not running. Called under the lock.</summary>
    private void Post(CoroutineMessage<T> message)
    {
        ThrowIfFailed();
        _waiting.Enqueue(message);
        _nextSequence++;
        if (!_pumpRunning)
        {
            _pumpRunning = true;
            _ = Task.Run(PumpAsync);
        }
    }

    /// <summary>Blocks until at most <paramref name="limit"/> messages are unpublished. Called under the lock.</summary>
    private void WaitUntilPending(int limit)
    {
        while (_failure is null && _waiting.Count + _publishing > limit)
        {
            Monitor.Wait(_gate);
        }

        ThrowIfFailed();
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new StreamPublishException(
                $"Publishing to the Orleans stream {_stream} failed; {_unpublished} message(s) of this sink were not " +
                $"published and the consumer will not receive them: {_failure.GetType().Name}: {_failure.Message}",
                _unpublished, _failure);
        }
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            CoroutineMessage<T>[] batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _pumpRunning = false;
                    return;
                }

                batch = new CoroutineMessage<T>[Math.Min(_waiting.Count, _maxBatchSize)];
                for (int i = 0; i < batch.Length; i++)
                {
                    batch[i] = _waiting.Dequeue();
                }

                _publishing = batch.Length;
            }

            try
            {
                if (batch.Length == 1)
                {
                    await _stream.OnNextAsync(batch[0]).ConfigureAwait(false);
                }
                else
                {
                    await _stream.OnNextBatchAsync(batch).ConfigureAwait(false);
                }
            }
            catch (Exception failure)
            {
                lock (_gate)
                {
                    _failure = failure;
                    _unpublished = _publishing + _waiting.Count;
                    _waiting.Clear();
                    _publishing = 0;
                    _pumpRunning = false;
                    Monitor.PulseAll(_gate);
                }

                return;
            }

            lock (_gate)
            {
                _publishing = 0;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
