using System;
using Orleans;

namespace CoroutineGen.Orleans;

/// <summary>What a <see cref="CoroutineMessage{T}"/> asks the receiving coroutine to do.</summary>
[GenerateSerializer]
public enum CoroutineMessageKind
{
    /// <summary><c>Send(value)</c>: deliver <see cref="CoroutineMessage{T}.Value"/>.</summary>
    Send = 0,

    /// <summary><c>Close()</c>: the producer was closed; the receiving coroutine is closed and the stream has ended.</summary>
    Close = 1,

    /// <summary><c>Throw(error)</c>: an error was thrown into the producer; it is thrown into the receiving coroutine
    /// and the stream has ended.</summary>
    Throw = 2,
}

/// <summary>
/// One call of the coroutine protocol, as it travels on an Orleans stream: a sent value, the close, or a thrown
/// error. <see cref="OrleansStreams.ToStream{T}"/> publishes them and
/// <see cref="OrleansStreams.SubscribeAsync{T}"/> turns them back into <c>Send</c>, <c>Close</c> and <c>Throw</c>.
/// </summary>
/// <typeparam name="T">The type of the values sent.</typeparam>
/// <remarks>
/// The stream carries these envelopes rather than bare <typeparamref name="T"/> values because Orleans's stream
/// providers (memory, Azure Queue, Event Hubs, ...) cannot end a stream: their producers throw
/// <see cref="NotImplementedException"/> from <c>OnCompletedAsync</c> and <c>OnErrorAsync</c>. The close and the
/// error therefore travel in order with the values. <see cref="Producer"/> and <see cref="Sequence"/> let the
/// receiving side drop a redelivered message and notice a lost one.
/// </remarks>
[GenerateSerializer]
public sealed class CoroutineMessage<T>
{
    private CoroutineMessage(Guid producer, long sequence, CoroutineMessageKind kind, T value, Exception? error)
    {
        Producer = producer;
        Sequence = sequence;
        Kind = kind;
        Value = value;
        Error = error;
    }

    /// <summary>The sink that published it; each sink has its own id.</summary>
    [Id(0)]
    public Guid Producer { get; }

    /// <summary>Its position among the messages of <see cref="Producer"/>: 0, 1, 2, ...</summary>
    [Id(1)]
    public long Sequence { get; }

    /// <summary>Send, Close or Throw.</summary>
    [Id(2)]
    public CoroutineMessageKind Kind { get; }

    /// <summary>The value sent (<see cref="CoroutineMessageKind.Send"/>); <c>default</c> otherwise.</summary>
    [Id(3)]
    public T Value { get; }

    /// <summary>The error thrown (<see cref="CoroutineMessageKind.Throw"/>); <c>null</c> otherwise.</summary>
    [Id(4)]
    public Exception? Error { get; }

    /// <summary>A sent value.</summary>
    /// <param name="producer">The producer's id.</param>
    /// <param name="sequence">The message's position among the producer's messages.</param>
    /// <param name="value">The value.</param>
    /// <returns>The message.</returns>
    public static CoroutineMessage<T> Send(Guid producer, long sequence, T value) =>
        new(producer, sequence, CoroutineMessageKind.Send, value, null);

    /// <summary>The close: the producer's last message.</summary>
    /// <param name="producer">The producer's id.</param>
    /// <param name="sequence">The message's position among the producer's messages.</param>
    /// <returns>The message.</returns>
    public static CoroutineMessage<T> Close(Guid producer, long sequence) =>
        new(producer, sequence, CoroutineMessageKind.Close, default!, null);

    /// <summary>A thrown error: the producer's last message.</summary>
    /// <param name="producer">The producer's id.</param>
    /// <param name="sequence">The message's position among the producer's messages.</param>
    /// <param name="error">The error.</param>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <c>null</c>.</exception>
    public static CoroutineMessage<T> Throw(Guid producer, long sequence, Exception error) =>
        new(producer, sequence, CoroutineMessageKind.Throw, default!, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>For logs and the debugger: kind, producer, sequence and value or error.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => Kind switch
    {
        CoroutineMessageKind.Send => $"Send #{Sequence} from {Producer}: {Value}",
        CoroutineMessageKind.Throw => $"Throw #{Sequence} from {Producer}: {Error?.GetType().Name}: {Error?.Message}",
        _ => $"{Kind} #{Sequence} from {Producer}",
    };
}
