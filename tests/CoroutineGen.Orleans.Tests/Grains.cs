using System.Diagnostics;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Streams;

namespace CoroutineGen.Orleans.Tests;

/// <summary>A grain that says which silo it is activated on.</summary>
public interface ISiloReporter : IGrainWithStringKey
{
    Task<SiloAddress> SiloAsync();
}

/// <summary>How a producer ends its sink.</summary>
[GenerateSerializer]
public enum ProducerEnding
{
    /// <summary><c>sink.Close()</c>.</summary>
    Close,

    /// <summary><c>sink.Throw(new TimeoutException("late"))</c>: the collector handles it.</summary>
    ThrowHandled,

    /// <summary><c>sink.Throw(new InvalidOperationException("boom"))</c>: the collector does not handle it.</summary>
    ThrowUnhandled,
}

[GenerateSerializer]
public sealed class ProducerReport
{
    [Id(0)] public SiloAddress Silo { get; set; } = null!;
    [Id(1)] public string? Error { get; set; }
    [Id(2)] public CoroutineState SinkState { get; set; }
    [Id(3)] public double Milliseconds { get; set; }
}

[GenerateSerializer]
public sealed class ConsumerReport
{
    [Id(0)] public SiloAddress Silo { get; set; } = null!;
    [Id(1)] public List<string> Lines { get; set; } = [];
    [Id(2)] public List<string> Events { get; set; } = [];
    [Id(3)] public long Count { get; set; }
    [Id(4)] public string? Error { get; set; }
    [Id(5)] public CoroutineState CoroutineState { get; set; }
}

/// <summary>Publishes lines with a sink made by <see cref="OrleansStreams.ToStream{T}"/>, inside a grain call.</summary>
public interface IProducerGrain : ISiloReporter
{
    Task<ProducerReport> PublishAsync(Guid streamKey, int count, ProducerEnding ending, int capacity, int maxBatchSize);
}

/// <summary>Drives a template from a stream with <see cref="OrleansStreams.SubscribeAsync{T}"/>.</summary>
public interface IConsumerGrain : ISiloReporter
{
    /// <summary>Subscribes a <c>Collector</c> (<paramref name="headLimit"/> 0) or a <c>Head(headLimit)</c>.</summary>
    Task SubscribeAsync(Guid streamKey, int headLimit);

    /// <summary>Waits for the subscription's completion. Interleaves, so the deliveries can run meanwhile.</summary>
    [AlwaysInterleave]
    Task<ConsumerReport> WaitAsync(TimeSpan timeout);

    Task UnsubscribeAsync();
}

public sealed class ProducerGrain(ILocalSiloDetails silo) : Grain, IProducerGrain
{
    public Task<SiloAddress> SiloAsync() => Task.FromResult(silo.SiloAddress);

    public Task<ProducerReport> PublishAsync(Guid streamKey, int count, ProducerEnding ending, int capacity, int maxBatchSize)
    {
        var stream = this.GetStreamProvider(ClusterFixture.StreamProvider)
            .GetStream<CoroutineMessage<string>>(ClusterFixture.StreamNamespace, streamKey);
        var report = new ProducerReport { Silo = silo.SiloAddress };
        var clock = Stopwatch.StartNew();

        // Synchronous, on the grain's own thread: Send blocks whenever the sink's window is full.
        var sink = OrleansStreams.ToStream(stream, new StreamSinkOptions { Capacity = capacity, MaxBatchSize = maxBatchSize });
        for (int i = 0; i < count; i++)
        {
            sink.Send($"line {i}");
        }

        try
        {
            switch (ending)
            {
                case ProducerEnding.Close:
                    sink.Close();
                    break;
                case ProducerEnding.ThrowHandled:
                    sink.Throw(new TimeoutException("late"));
                    break;
                case ProducerEnding.ThrowUnhandled:
                    sink.Throw(new InvalidOperationException("boom"));
                    break;
            }
        }
        catch (Exception e)
        {
            report.Error = $"{e.GetType().Name}: {e.Message}";
        }

        report.Milliseconds = clock.Elapsed.TotalMilliseconds;
        report.SinkState = sink.State;
        return Task.FromResult(report);
    }
}

public sealed class ConsumerGrain(ILocalSiloDetails silo) : Grain, IConsumerGrain
{
    private readonly List<string> _lines = [];
    private readonly List<string> _events = [];
    private ICoroutine<string>? _coroutine;
    private CoroutineStreamSubscription? _subscription;

    public Task<SiloAddress> SiloAsync() => Task.FromResult(silo.SiloAddress);

    public async Task SubscribeAsync(Guid streamKey, int headLimit)
    {
        var stream = this.GetStreamProvider(ClusterFixture.StreamProvider)
            .GetStream<CoroutineMessage<string>>(ClusterFixture.StreamNamespace, streamKey);
        _coroutine = headLimit == 0 ? RemoteStages.Collector(_lines, _events) : RemoteStages.Head(headLimit, _lines);
        _subscription = await OrleansStreams.SubscribeAsync(stream, _coroutine);
    }

    public async Task<ConsumerReport> WaitAsync(TimeSpan timeout)
    {
        var report = new ConsumerReport { Silo = silo.SiloAddress };
        try
        {
            report.Count = await _subscription!.Completion.WaitAsync(timeout);
        }
        catch (Exception e)
        {
            report.Error = $"{e.GetType().Name}: {e.Message}";
        }

        report.Lines = [.. _lines];
        report.Events = [.. _events];
        report.CoroutineState = _coroutine!.State;
        return report;
    }

    public Task UnsubscribeAsync() => _subscription!.UnsubscribeAsync();
}
