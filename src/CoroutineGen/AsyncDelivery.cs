using System;
using System.Threading;
using System.Threading.Tasks;

namespace CoroutineGen;

/// <summary>The rules of <see cref="Delivery"/>, for an <see cref="IAsyncCoroutine{T}"/> target.</summary>
internal static class AsyncDelivery
{
    /// <summary>Sends <paramref name="value"/> and awaits it, turning "the target is finished" into a result instead of an exception.</summary>
    public static async ValueTask<DeliveryResult> SendAsync<T>(IAsyncCoroutine<T> target, T value, CancellationToken cancellationToken)
    {
        if (target.State == CoroutineState.Closed)
        {
            return DeliveryResult.TargetFinished;
        }

        try
        {
            await target.SendAsync(value, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Delivered;
        }
        catch (StopIterationException) when (target.State == CoroutineState.Closed)
        {
            // Only a target that really finished counts (see Delivery.Send).
            return DeliveryResult.DeliveredAndFinished;
        }
    }

    /// <summary>
    /// <see cref="Delivery.CloseAfterFailure{T}"/> for an asynchronous target. The close gets no token: it is the
    /// clean-up, and must run even after cancellation.
    /// </summary>
    public static async ValueTask CloseAfterFailureAsync<T>(IAsyncCoroutine<T> target, Exception failure)
    {
        if (target.State == CoroutineState.Running)
        {
            return;
        }

        try
        {
            await target.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception closeError)
        {
            throw new AggregateException(failure, closeError);
        }
    }
}
