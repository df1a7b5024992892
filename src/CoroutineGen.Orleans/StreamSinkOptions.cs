using System;

namespace CoroutineGen.Orleans;

/// <summary>How a sink made by <see cref="OrleansStreams.ToStream{T}"/> publishes.</summary>
public sealed class StreamSinkOptions
{
    private int _capacity = DefaultCapacity;
    private int _maxBatchSize = DefaultMaxBatchSize;

    /// <summary>The default <see cref="Capacity"/>: 1024 messages.</summary>
    public const int DefaultCapacity = 1024;

    /// <summary>The default <see cref="MaxBatchSize"/>: 64 messages.</summary>
    public const int DefaultMaxBatchSize = 64;

    /// <summary>
    /// How many messages may be sent but not yet accepted by the stream before <c>Send</c> waits. 0: each
    /// <c>Send</c> returns only once its value has been accepted. Default <see cref="DefaultCapacity"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public int Capacity
    {
        get => _capacity;
        set => _capacity = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Capacity must be 0 or more.");
    }

    /// <summary>
    /// At most this many waiting messages are published in one <c>OnNextBatchAsync</c> call (one queue message for
    /// the memory and Azure Queue providers). 1: one <c>OnNextAsync</c> per message, for a provider without batch
    /// support or with a small message size limit. Default <see cref="DefaultMaxBatchSize"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int MaxBatchSize
    {
        get => _maxBatchSize;
        set => _maxBatchSize = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxBatchSize must be 1 or more.");
    }
}
