using System;

namespace CoroutineGen.Orleans;

/// <summary>
/// Publishing to the Orleans stream failed: thrown by the <c>Send</c>, <c>Close</c> or <c>Throw</c> of a sink made by
/// <see cref="OrleansStreams.ToStream{T}"/> that comes after the failure. The provider's exception is the
/// <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class StreamPublishException : Exception
{
    private const string DefaultMessage = "Publishing to the Orleans stream failed.";

    /// <summary>Creates the exception with a default message.</summary>
    public StreamPublishException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message; <c>null</c> for the default one.</param>
    public StreamPublishException(string? message)
        : base(message ?? DefaultMessage)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message; <c>null</c> for the default one.</param>
    /// <param name="innerException">The provider's exception.</param>
    public StreamPublishException(string? message, Exception? innerException)
        : base(message ?? DefaultMessage, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message; <c>null</c> for the default one.</param>
    /// <param name="unpublished">How many messages were not published.</param>
    /// <param name="innerException">The provider's exception.</param>
    public StreamPublishException(string? message, long unpublished, Exception? innerException)
        : base(message ?? DefaultMessage, innerException)
    {
        Unpublished = unpublished;
    }

    /// <summary>
    /// How many messages the sink had accepted (values, and the close or error being published) that did not reach
    /// the stream: the batch whose publish failed and every message after it. The consumer never receives them.
    /// </summary>
    public long Unpublished { get; }
}

/// <summary>
/// The messages of a producer reached a subscription out of order: one or more were lost, or the subscription was
/// made after the producer had started publishing. The source made by <see cref="OrleansStreams.SubscribeAsync{T}"/>
/// closes its coroutine and ends its <see cref="CoroutineStreamSubscription.Completion"/> with this error.
/// </summary>
public sealed class StreamSequenceException : Exception
{
    private const string DefaultMessage = "Messages of a stream producer never reached this subscription.";

    /// <summary>Creates the exception with a default message.</summary>
    public StreamSequenceException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message; <c>null</c> for the default one.</param>
    public StreamSequenceException(string? message)
        : base(message ?? DefaultMessage)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message; <c>null</c> for the default one.</param>
    /// <param name="innerException">The exception that caused it.</param>
    public StreamSequenceException(string? message, Exception? innerException)
        : base(message ?? DefaultMessage, innerException)
    {
    }

    /// <summary>Creates the exception for a gap in the messages of <paramref name="producer"/>, with a message that
    /// names the missing sequence numbers.</summary>
    /// <param name="producer">The producer whose messages are missing.</param>
    /// <param name="expected">The sequence number that should have come next.</param>
    /// <param name="received">The sequence number that came.</param>
    public StreamSequenceException(Guid producer, long expected, long received)
        : base(Describe(producer, expected, received))
    {
        Producer = producer;
        Expected = expected;
        Received = received;
    }

    /// <summary>The producer (<see cref="CoroutineMessage{T}.Producer"/>) whose messages are missing.</summary>
    public Guid Producer { get; }

    /// <summary>The sequence number that should have come next.</summary>
    public long Expected { get; }

    /// <summary>The sequence number that came instead.</summary>
    public long Received { get; }

    private static string Describe(Guid producer, long expected, long received) =>
        expected == 0
            ? $"The first message from producer {producer} to reach this subscription is #{received}: messages #0 to #{received - 1} " +
              "were published before the subscription was made (subscribe before the producer starts) or were lost."
            : $"Messages #{expected} to #{received - 1} from producer {producer} never reached this subscription " +
              $"(#{received} came after #{expected - 1}).";
}
