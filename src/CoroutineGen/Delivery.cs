using System;
using System.Collections.Generic;

namespace CoroutineGen;

/// <summary>What happened to a value a source or <see cref="Coroutines.TrySend{T}"/> offered a target.</summary>
internal enum DeliveryResult
{
    /// <summary>The target received it and is ready for more.</summary>
    Delivered,

    /// <summary>The target received it and finished while handling it (its <c>Send</c> threw <see cref="StopIterationException"/>).</summary>
    DeliveredAndFinished,

    /// <summary>The target was already finished: the value was not delivered.</summary>
    TargetFinished,
}

/// <summary>Sending and closing rules shared by the sources and helpers.</summary>
internal static class Delivery
{
    /// <summary>Sends <paramref name="value"/>, turning "the target is finished" into a result instead of an exception.</summary>
    public static DeliveryResult Send<T>(ICoroutine<T> target, T value)
    {
        if (target.State == CoroutineState.Closed)
        {
            return DeliveryResult.TargetFinished;
        }

        try
        {
            target.Send(value);
            return DeliveryResult.Delivered;
        }
        catch (StopIterationException) when (target.State == CoroutineState.Closed)
        {
            // Only a target that really finished counts: a StopIterationException leaking out of a misbehaving
            // target that is still alive propagates.
            return DeliveryResult.DeliveredAndFinished;
        }
    }

    /// <summary>
    /// Closes <paramref name="target"/> after <paramref name="failure"/> stopped a source; the caller then rethrows
    /// <paramref name="failure"/>. If closing fails too, both errors leave as one <see cref="AggregateException"/>.
    /// A running target (the source was called from inside it) cannot be closed and is left alone.
    /// </summary>
    public static void CloseAfterFailure<T>(ICoroutine<T> target, Exception failure)
    {
        if (target.State == CoroutineState.Running)
        {
            return;
        }

        try
        {
            target.Close();
        }
        catch (Exception closeError)
        {
            throw new AggregateException(failure, closeError);
        }
    }

    /// <summary>
    /// Throws the errors collected while closing several targets: nothing if none, the one error unchanged (stack
    /// trace kept) if one, an <see cref="AggregateException"/> of all of them, in order, if more.
    /// </summary>
    public static void ThrowCollected(List<Exception>? errors)
    {
        if (errors is null || errors.Count == 0)
        {
            return;
        }

        if (errors.Count == 1)
        {
            CoroutineRuntime.Rethrow(errors[0]);
        }

        throw new AggregateException(errors);
    }
}
