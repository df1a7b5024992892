using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Orleans.Streams;

namespace CoroutineGen.Orleans;

/// <summary>
/// The observer behind <see cref="OrleansStreams.SubscribeAsync{T}"/>: turns each <see cref="CoroutineMessage{T}"/>
/// into a call on the target coroutine. Orleans delivers one message at a time; a lock still keeps
/// <see cref="CoroutineStreamSubscription.UnsubscribeAsync"/>, which may come from another thread, out of a delivery.
/// </summary>
internal sealed class StreamSource<T> : IAsyncObserver<CoroutineMessage<T>>
{
    private readonly ICoroutine<T> _target;
    private readonly object _gate = new();
    private readonly Dictionary<Guid, long> _expected = new();
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<StreamSubscriptionHandle<CoroutineMessage<T>>> _handle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _count;
    private bool _done;
    private Task? _removal;

    public StreamSource(ICoroutine<T> target) => _target = target;

    public Task<long> Completion => _completion.Task;

    public void Attach(StreamSubscriptionHandle<CoroutineMessage<T>> handle) => _handle.TrySetResult(handle);

    public void Detach(Exception error) => _handle.TrySetException(error);

    public Task OnNextAsync(CoroutineMessage<T> item, StreamSequenceToken? token = null)
    {
        lock (_gate)
        {
            if (_done)
            {
                return Task.CompletedTask;
            }

            if (item is null)
            {
                Fail(new InvalidOperationException(
                    "The stream delivered a null message; a coroutine's stream carries the CoroutineMessage envelopes " +
                    "that OrleansStreams.ToStream publishes."), closeTarget: true);
                StartRemoval();
                return Task.CompletedTask;
            }

            _expected.TryGetValue(item.Producer, out long expected);
            if (item.Sequence < expected)
            {
                // A redelivery (persistent streams deliver at least once): already handled.
                return Task.CompletedTask;
            }

            if (item.Sequence > expected)
            {
                Fail(new StreamSequenceException(item.Producer, expected, item.Sequence), closeTarget: true);
                StartRemoval();
                return Task.CompletedTask;
            }

            _expected[item.Producer] = expected + 1;
            switch (item.Kind)
            {
                case CoroutineMessageKind.Send:
                    Deliver(item.Value);
                    break;
                case CoroutineMessageKind.Close:
                    Close();
                    break;
                case CoroutineMessageKind.Throw:
                    Throw(item.Error ?? new InvalidOperationException($"The Throw message #{item.Sequence} from producer {item.Producer} carries no error."));
                    break;
                default:
                    Fail(new InvalidOperationException($"Unknown message kind {item.Kind} (#{item.Sequence} from producer {item.Producer})."), closeTarget: true);
                    break;
            }

            if (_done)
            {
                StartRemoval();
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>A provider that can end streams ended this one: the same as a Close message.</summary>
    public Task OnCompletedAsync()
    {
        lock (_gate)
        {
            if (_done)
            {
                return Task.CompletedTask;
            }

            Close();
            StartRemoval();
            return Task.CompletedTask;
        }
    }

    /// <summary>A provider that can fail streams failed this one: the same as a Throw message.</summary>
    public Task OnErrorAsync(Exception ex)
    {
        lock (_gate)
        {
            if (_done)
            {
                return Task.CompletedTask;
            }

            Throw(ex ?? new InvalidOperationException("The stream reported an error without an exception."));
            StartRemoval();
            return Task.CompletedTask;
        }
    }

    public Task UnsubscribeAsync()
    {
        lock (_gate)
        {
            Exception? closeError = null;
            if (!_done)
            {
                _done = true;
                if (_target.State == CoroutineState.Running)
                {
                    // Called from inside the coroutine: it cannot be closed now.
                    _completion.TrySetResult(_count);
                }
                else
                {
                    try
                    {
                        _target.Close();
                        _completion.TrySetResult(_count);
                    }
                    catch (Exception error)
                    {
                        closeError = error;
                        _completion.TrySetException(error);
                    }
                }
            }

            // Only this call's close error is this call's failure; an earlier end of the stream, even with an
            // error, is Completion's business.
            var removal = RemoveSubscription();
            return closeError is null ? removal : ThenFail(removal, closeError);
        }
    }

    /// <summary>The token of <see cref="OrleansStreams.SubscribeAsync{T}"/> was cancelled: close, end cancelled, remove.</summary>
    public void Cancel(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            try
            {
                if (_target.State != CoroutineState.Running)
                {
                    _target.Close();
                }

                _completion.TrySetCanceled(cancellationToken);
            }
            catch (Exception closeError)
            {
                _completion.TrySetException(closeError);
            }

            StartRemoval();
        }
    }

    private static async Task ThenFail(Task removal, Exception error)
    {
        await removal.ConfigureAwait(false);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }

    private void Deliver(T value)
    {
        if (_target.State == CoroutineState.Closed)
        {
            Finish();
            return;
        }

        try
        {
            _target.Send(value);
            _count++;
        }
        catch (StopIterationException) when (_target.State == CoroutineState.Closed)
        {
            // It received the value and finished: it wants no more, like head at the end of a shell pipeline.
            _count++;
            Finish();
        }
        catch (Exception error)
        {
            Fail(error, closeTarget: false);
        }
    }

    private void Close()
    {
        try
        {
            _target.Close();
            Finish();
        }
        catch (Exception error)
        {
            Fail(error, closeTarget: false);
        }
    }

    private void Throw(Exception error)
    {
        try
        {
            _target.Throw(error);
        }
        catch (StopIterationException) when (_target.State == CoroutineState.Closed)
        {
            // It handled the error and finished.
            Finish();
            return;
        }
        catch (Exception escaped)
        {
            Fail(escaped, closeTarget: false);
            return;
        }

        // It handled the error and waits for more, but the producer is finished: the stream has ended.
        Close();
    }

    private void Finish()
    {
        _done = true;
        _completion.TrySetResult(_count);
    }

    private void Fail(Exception error, bool closeTarget)
    {
        _done = true;
        if (closeTarget && _target.State == CoroutineState.Suspended)
        {
            try
            {
                _target.Close();
            }
            catch (Exception closeError)
            {
                error = new AggregateException(error, closeError);
            }
        }

        _completion.TrySetException(error);
    }

    /// <summary>
    /// Starts removing the subscription without making the delivery wait for it: the removal goes through the
    /// stream's pub-sub, which may call back into the agent that is waiting for this delivery to return.
    /// </summary>
    private void StartRemoval() => _ = RemoveSubscription();

    /// <summary>Removes the subscription once (after the handle is known); later calls return the same task.</summary>
    private Task RemoveSubscription() => _removal ??= RemoveSubscriptionCore();

    private async Task RemoveSubscriptionCore()
    {
        StreamSubscriptionHandle<CoroutineMessage<T>> handle;
        try
        {
            handle = await _handle.Task.ConfigureAwait(false);
        }
        catch
        {
            return; // the subscription was never made
        }

        try
        {
            await handle.UnsubscribeAsync().ConfigureAwait(false);
        }
        catch
        {
            // Best effort: the coroutine is finished and this observer ignores anything that still arrives.
        }
    }
}
