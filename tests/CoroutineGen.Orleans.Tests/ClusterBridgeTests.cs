using System.Diagnostics;
using Orleans.Streams;

namespace CoroutineGen.Orleans.Tests;

/// <summary>
/// A sink in a grain on one silo, a [Coroutine] template driven from the stream in a grain on the other silo.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterBridgeTests(ClusterFixture cluster, ITestOutputHelper log)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static List<string> Lines(int count) => Enumerable.Range(0, count).Select(i => $"line {i}").ToList();

    /// <summary>A consumer on silo 1 subscribed first, then a producer on silo 0.</summary>
    private async Task<(IProducerGrain Producer, IConsumerGrain Consumer, Guid Stream)> PairAsync(string name, int headLimit = 0)
    {
        var key = Guid.NewGuid();
        var consumer = await cluster.PlaceAsync<IConsumerGrain>($"{name}-{key}", silo: 1);
        var producer = await cluster.PlaceAsync<IProducerGrain>($"{name}-{key}", silo: 0);
        await consumer.SubscribeAsync(key, headLimit);
        return (producer, consumer, key);
    }

    [Fact]
    public async Task Ten_thousand_lines_sent_on_one_silo_reach_a_template_on_the_other_in_order_and_the_close_runs_its_handlers()
    {
        var (producer, consumer, stream) = await PairAsync("ten-thousand");
        var clock = Stopwatch.StartNew();

        var sent = await producer.PublishAsync(stream, 10_000, ProducerEnding.Close,
            StreamSinkOptions.DefaultCapacity, StreamSinkOptions.DefaultMaxBatchSize);
        var received = await consumer.WaitAsync(Timeout);
        log.WriteLine($"producer published 10,000 lines and closed in {sent.Milliseconds:F0} ms; the consumer was done after {clock.ElapsedMilliseconds} ms");

        // Really two silos.
        Assert.Equal(cluster.Silo(0), sent.Silo);
        Assert.Equal(cluster.Silo(1), received.Silo);
        Assert.NotEqual(sent.Silo, received.Silo);

        Assert.Null(sent.Error);
        Assert.Equal(CoroutineState.Closed, sent.SinkState);
        Assert.Null(received.Error);
        Assert.Equal(10_000, received.Count);
        Assert.Equal(Lines(10_000), received.Lines);
        Assert.Equal(["GeneratorExit", "finally"], received.Events);
        Assert.Equal(CoroutineState.Closed, received.CoroutineState);
    }

    [Fact]
    public async Task An_error_the_remote_template_does_not_handle_fails_its_completion_after_the_lines_and_runs_its_finally()
    {
        var (producer, consumer, stream) = await PairAsync("unhandled");

        var sent = await producer.PublishAsync(stream, 100, ProducerEnding.ThrowUnhandled, StreamSinkOptions.DefaultCapacity, StreamSinkOptions.DefaultMaxBatchSize);
        var received = await consumer.WaitAsync(Timeout);

        // The sink publishes the error, then raises it, like every sink: the producer sees it too.
        Assert.Equal("InvalidOperationException: boom", sent.Error);
        Assert.Equal(CoroutineState.Closed, sent.SinkState);
        // The consumer's template got every line, then the error, which ended it: finally ran, the close handler did not.
        Assert.Equal(Lines(100), received.Lines);
        Assert.Equal("InvalidOperationException: boom", received.Error);
        Assert.Equal(["finally"], received.Events);
        Assert.Equal(CoroutineState.Closed, received.CoroutineState);
    }

    [Fact]
    public async Task An_error_the_remote_template_handles_is_caught_there_and_then_the_template_is_closed()
    {
        var (producer, consumer, stream) = await PairAsync("handled");

        var sent = await producer.PublishAsync(stream, 100, ProducerEnding.ThrowHandled, StreamSinkOptions.DefaultCapacity, StreamSinkOptions.DefaultMaxBatchSize);
        var received = await consumer.WaitAsync(Timeout);

        Assert.Equal("TimeoutException: late", sent.Error);
        Assert.Null(received.Error);
        Assert.Equal(100, received.Count);
        Assert.Equal(Lines(100), received.Lines);
        // The exception arrived as itself (type and message), was caught by the template, and the stream then ended.
        Assert.Equal(["caught TimeoutException: late", "GeneratorExit", "finally"], received.Events);
        Assert.Equal(CoroutineState.Closed, received.CoroutineState);
    }

    [Fact]
    public async Task A_remote_template_that_returns_early_takes_what_it_wants_and_the_rest_is_not_delivered()
    {
        var (producer, consumer, stream) = await PairAsync("head", headLimit: 5);

        var sent = await producer.PublishAsync(stream, 1_000, ProducerEnding.Close, StreamSinkOptions.DefaultCapacity, StreamSinkOptions.DefaultMaxBatchSize);
        var received = await consumer.WaitAsync(Timeout);

        Assert.Null(sent.Error);
        Assert.Null(received.Error);
        Assert.Equal(5, received.Count);
        Assert.Equal(Lines(5), received.Lines);
        Assert.Equal(CoroutineState.Closed, received.CoroutineState);
    }

    [Fact]
    public async Task Unsubscribing_closes_the_remote_template_and_completes_with_what_it_received()
    {
        var (_, consumer, _) = await PairAsync("unsubscribe");

        await consumer.UnsubscribeAsync();
        var received = await consumer.WaitAsync(Timeout);

        Assert.Null(received.Error);
        Assert.Equal(0, received.Count);
        Assert.Equal(["GeneratorExit", "finally"], received.Events);
        Assert.Equal(CoroutineState.Closed, received.CoroutineState);
    }

    [Theory]
    [InlineData(0, 1)]      // each Send waits for its own publish, one OnNextAsync per line
    [InlineData(1024, 1)]   // a window, but one OnNextAsync per line
    [InlineData(1024, 64)]  // the defaults: a window and batches
    public async Task Every_capacity_and_batch_size_keeps_the_order_and_loses_nothing(int capacity, int maxBatchSize)
    {
        var (producer, consumer, stream) = await PairAsync($"window-{capacity}-{maxBatchSize}");

        var sent = await producer.PublishAsync(stream, 2_000, ProducerEnding.Close, capacity, maxBatchSize);
        var received = await consumer.WaitAsync(Timeout);
        log.WriteLine($"capacity {capacity}, batches of up to {maxBatchSize}: 2,000 lines published and closed in {sent.Milliseconds:F0} ms");

        Assert.Null(sent.Error);
        Assert.Null(received.Error);
        Assert.Equal(Lines(2_000), received.Lines);
        Assert.Equal(["GeneratorExit", "finally"], received.Events);
    }

    [Fact]
    public async Task Orleans_memory_streams_cannot_be_completed_by_their_producer_which_is_why_close_travels_in_band()
    {
        // If this ever starts passing OnCompletedAsync through, docs/orleans.md's reasoning must change with it.
        var stream = cluster.Cluster.Client.GetStreamProvider(ClusterFixture.StreamProvider)
            .GetStream<CoroutineMessage<string>>(ClusterFixture.StreamNamespace, Guid.NewGuid());
        await Assert.ThrowsAsync<NotImplementedException>(() => stream.OnCompletedAsync());
        await Assert.ThrowsAsync<NotImplementedException>(() => stream.OnErrorAsync(new InvalidOperationException("x")));
    }
}
