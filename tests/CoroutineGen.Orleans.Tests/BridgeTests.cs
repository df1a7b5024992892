namespace CoroutineGen.Orleans.Tests;

/// <summary>The sink and the source against a stand-in stream: failures, back-pressure and lost messages on demand.</summary>
public sealed class BridgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void The_sink_publishes_numbered_sends_in_order_in_batches_and_then_the_close()
    {
        var fake = FakeStream.Create();
        var release = new TaskCompletionSource();
        int calls = 0;
        // Hold the first publish until every Send is queued, so the rest go out in batches.
        fake.OnPublish = _ => Interlocked.Increment(ref calls) == 1 ? release.Task : Task.CompletedTask;
        var sink = OrleansStreams.ToStream(fake.Stream, new StreamSinkOptions { MaxBatchSize = 4 });

        for (int i = 0; i < 10; i++)
        {
            sink.Send($"v{i}");
        }

        release.SetResult();
        sink.Close();

        var published = fake.Published;
        Assert.Equal(11, published.Length);
        Assert.Single(published.Select(m => m.Producer).Distinct());
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), published.Select(m => m.Sequence));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"v{i}"), published.Take(10).Select(m => m.Value));
        Assert.All(published.Take(10), m => Assert.Equal(CoroutineMessageKind.Send, m.Kind));
        Assert.Equal(CoroutineMessageKind.Close, published[10].Kind);
        Assert.All(fake.Calls, call => Assert.InRange(call.Length, 1, 4));
        Assert.True(fake.Calls.Count < 11, $"Expected batches, got {fake.Calls.Count} calls.");
        Assert.Equal(CoroutineState.Closed, sink.State);
    }

    [Fact]
    public async Task Send_blocks_while_more_than_capacity_messages_wait_and_goes_on_when_they_are_published()
    {
        var fake = FakeStream.Create();
        var release = new TaskCompletionSource();
        fake.OnPublish = _ => release.Task;
        var sink = OrleansStreams.ToStream(fake.Stream, new StreamSinkOptions { Capacity = 2, MaxBatchSize = 1 });

        sink.Send("a");
        sink.Send("b");
        var third = Task.Run(() => sink.Send("c"));

        Assert.NotSame(third, await Task.WhenAny(third, Task.Delay(300)));   // two messages unpublished: it waits
        release.SetResult();
        await third.WaitAsync(Timeout);
        sink.Close();
        Assert.Equal(["a", "b", "c"], fake.Published.Where(m => m.Kind == CoroutineMessageKind.Send).Select(m => m.Value));
    }

    [Fact]
    public async Task A_failed_publish_is_reported_by_the_next_call_with_the_number_of_messages_lost()
    {
        var fake = FakeStream.Create();
        var failure = new InvalidOperationException("queue full");
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fail = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        fake.OnPublish = _ =>
        {
            switch (Interlocked.Increment(ref calls))
            {
                case 1:
                    firstStarted.SetResult();
                    return release.Task;    // [v0], held until v1..v7 are queued
                case 2:
                    secondStarted.SetResult();
                    return fail.Task;       // [v1, v2, v3], failed once the close is queued too
                default:
                    return Task.CompletedTask;
            }
        };
        var sink = OrleansStreams.ToStream(fake.Stream, new StreamSinkOptions { MaxBatchSize = 3 });
        sink.Send("v0");
        await firstStarted.Task.WaitAsync(Timeout);
        for (int i = 1; i < 8; i++)
        {
            sink.Send($"v{i}");
        }

        release.SetResult();
        await secondStarted.Task.WaitAsync(Timeout);

        // Close queues its message and waits for the publishes; then the batch in flight fails.
        Exception? closeError = null;
        var closer = new Thread(() => closeError = Record.Exception(sink.Close));
        closer.Start();
        var deadline = DateTime.UtcNow + Timeout;
        while ((closer.ThreadState & ThreadState.WaitSleepJoin) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Close did not start waiting for the publishes.");
            Thread.Sleep(5);
        }

        fail.SetException(failure);
        Assert.True(closer.Join(Timeout), "Close did not return after the publish failed.");

        var error = Assert.IsType<StreamPublishException>(closeError);
        Assert.Same(failure, error.InnerException);
        Assert.Equal(8, error.Unpublished);   // the failed batch [v1, v2, v3], v4..v7 and the close behind it
        Assert.Contains("8 message(s)", error.Message);
        Assert.Contains("queue full", error.Message);
        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.Equal(["v0"], fake.Published.Select(m => m.Value));
    }

    [Fact]
    public void With_capacity_zero_the_send_whose_publish_fails_throws()
    {
        var fake = FakeStream.Create();
        fake.OnPublish = messages => messages[0].Value == "v2" ? Task.FromException(new TimeoutException("slow")) : Task.CompletedTask;
        var sink = OrleansStreams.ToStream(fake.Stream, new StreamSinkOptions { Capacity = 0 });

        sink.Send("v0");
        sink.Send("v1");
        var error = Assert.Throws<StreamPublishException>(() => sink.Send("v2"));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(1, error.Unpublished);
        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.Throws<StopIterationException>(() => sink.Send("v3"));
    }

    [Fact]
    public void Throw_publishes_the_error_after_the_values_and_then_raises_it()
    {
        var fake = FakeStream.Create();
        var sink = OrleansStreams.ToStream(fake.Stream);
        sink.Send("v0");
        var error = new FormatException("bad line");

        var thrown = Assert.Throws<FormatException>(() => sink.Throw(error));

        Assert.Same(error, thrown);
        Assert.Equal(CoroutineState.Closed, sink.State);
        var published = fake.Published;
        Assert.Equal([CoroutineMessageKind.Send, CoroutineMessageKind.Throw], published.Select(m => m.Kind));
        Assert.Same(error, published[1].Error);
    }

    [Fact]
    public async Task A_missing_message_closes_the_coroutine_and_fails_the_completion()
    {
        var fake = FakeStream.Create();
        var (lines, events) = (new List<string>(), new List<string>());
        var subscription = await OrleansStreams.SubscribeAsync(fake.Stream, RemoteStages.Collector(lines, events));
        var producer = Guid.NewGuid();

        await fake.Observer!.OnNextAsync(CoroutineMessage<string>.Send(producer, 0, "v0"));
        await fake.Observer.OnNextAsync(CoroutineMessage<string>.Send(producer, 1, "v1"));
        await fake.Observer.OnNextAsync(CoroutineMessage<string>.Send(producer, 4, "v4"));
        await fake.Observer.OnNextAsync(CoroutineMessage<string>.Send(producer, 5, "v5"));

        var error = await Assert.ThrowsAsync<StreamSequenceException>(() => subscription.Completion.WaitAsync(Timeout));
        Assert.Equal((producer, 2L, 4L), (error.Producer, error.Expected, error.Received));
        Assert.Contains("#2 to #3", error.Message);
        Assert.Equal(["v0", "v1"], lines);
        Assert.Equal(["GeneratorExit", "finally"], events);
        await WaitForAsync(() => fake.Unsubscribes == 1);
    }

    [Fact]
    public async Task A_subscription_made_after_the_producer_started_is_told_so()
    {
        var fake = FakeStream.Create();
        var subscription = await OrleansStreams.SubscribeAsync(fake.Stream, RemoteStages.Collector([], []));

        await fake.Observer!.OnNextAsync(CoroutineMessage<string>.Send(Guid.NewGuid(), 3, "v3"));

        var error = await Assert.ThrowsAsync<StreamSequenceException>(() => subscription.Completion.WaitAsync(Timeout));
        Assert.Contains("before the subscription was made", error.Message);
    }

    [Fact]
    public async Task A_redelivered_message_is_delivered_once()
    {
        var fake = FakeStream.Create();
        var (lines, events) = (new List<string>(), new List<string>());
        var subscription = await OrleansStreams.SubscribeAsync(fake.Stream, RemoteStages.Collector(lines, events));
        var producer = Guid.NewGuid();

        foreach (var sequence in new long[] { 0, 1, 1, 0, 2 })
        {
            await fake.Observer!.OnNextAsync(CoroutineMessage<string>.Send(producer, sequence, $"v{sequence}"));
        }

        await fake.Observer!.OnNextAsync(CoroutineMessage<string>.Close(producer, 3));

        Assert.Equal(3, await subscription.Completion.WaitAsync(Timeout));
        Assert.Equal(["v0", "v1", "v2"], lines);
        Assert.Equal(["GeneratorExit", "finally"], events);
    }

    [Fact]
    public async Task Unsubscribing_closes_the_coroutine_once_and_a_stream_that_ended_with_an_error_does_not_make_it_throw()
    {
        var fake = FakeStream.Create();
        var events = new List<string>();
        var producer = Guid.NewGuid();
        await using (var subscription = await OrleansStreams.SubscribeAsync(fake.Stream, RemoteStages.Collector([], events)))
        {
            await fake.Observer!.OnNextAsync(CoroutineMessage<string>.Send(producer, 0, "v0"));
            await subscription.UnsubscribeAsync();
            await subscription.UnsubscribeAsync();
            Assert.Equal(1, await subscription);
        }

        Assert.Equal(["GeneratorExit", "finally"], events);
        Assert.Equal(1, fake.Unsubscribes);

        // A stream that ended with an unhandled error: Completion fails, unsubscribing does not.
        var failed = await OrleansStreams.SubscribeAsync(fake.Stream, RemoteStages.Collector([], []));
        await fake.Observer!.OnErrorAsync(new InvalidOperationException("provider failed"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed.Completion.WaitAsync(Timeout));
        Assert.Equal("provider failed", error.Message);
        await failed.UnsubscribeAsync();
    }

    [Fact]
    public async Task Messages_after_the_end_are_not_delivered()
    {
        var fake = FakeStream.Create();
        var lines = new List<string>();
        var subscription = await OrleansStreams.SubscribeAsync(fake.Stream, RemoteStages.Collector(lines, []));
        var producer = Guid.NewGuid();

        await fake.Observer!.OnNextAsync(CoroutineMessage<string>.Send(producer, 0, "v0"));
        await fake.Observer.OnCompletedAsync();   // a provider that can end streams: the same as a Close message
        await fake.Observer.OnNextAsync(CoroutineMessage<string>.Send(producer, 1, "v1"));

        Assert.Equal(1, await subscription.Completion.WaitAsync(Timeout));
        Assert.Equal(["v0"], lines);
    }

    [Fact]
    public async Task A_null_message_is_an_error_not_a_value()
    {
        var fake = FakeStream.Create();
        var events = new List<string>();
        var subscription = await OrleansStreams.SubscribeAsync(fake.Stream, RemoteStages.Collector([], events));

        await fake.Observer!.OnNextAsync(null!);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => subscription.Completion.WaitAsync(Timeout));
        Assert.Contains("null message", error.Message);
        Assert.Equal(["GeneratorExit", "finally"], events);
    }

    [Fact]
    public async Task Cancelling_the_token_closes_the_coroutine_and_ends_the_completion_cancelled()
    {
        var fake = FakeStream.Create();
        var events = new List<string>();
        using var cancel = new CancellationTokenSource();
        var subscription = await OrleansStreams.SubscribeAsync(fake.Stream, RemoteStages.Collector([], events), cancel.Token);
        await fake.Observer!.OnNextAsync(CoroutineMessage<string>.Send(Guid.NewGuid(), 0, "v0"));

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subscription.Completion.WaitAsync(Timeout));
        Assert.True(subscription.Completion.IsCanceled);
        Assert.Equal(["GeneratorExit", "finally"], events);
        await WaitForAsync(() => fake.Unsubscribes == 1);
    }

    [Fact]
    public async Task A_token_cancelled_before_subscribing_closes_the_coroutine_and_throws()
    {
        var fake = FakeStream.Create();
        var events = new List<string>();
        var target = RemoteStages.Collector([], events);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => OrleansStreams.SubscribeAsync(fake.Stream, target, new CancellationToken(canceled: true)));

        Assert.Null(fake.Observer);
        Assert.Equal(CoroutineState.Closed, target.State);
        Assert.Equal(["GeneratorExit", "finally"], events);
    }

    [Fact]
    public async Task A_failed_subscription_closes_the_coroutine_and_raises_the_error()
    {
        var fake = FakeStream.Create();
        fake.SubscribeFailure = new InvalidOperationException("no pub-sub store");
        var events = new List<string>();
        var target = RemoteStages.Collector([], events);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OrleansStreams.SubscribeAsync(fake.Stream, target));

        Assert.Equal("no pub-sub store", error.Message);
        Assert.Equal(CoroutineState.Closed, target.State);
        Assert.Equal(["GeneratorExit", "finally"], events);
    }

    [Fact]
    public async Task Bad_arguments_are_rejected_before_anything_happens()
    {
        var fake = FakeStream.Create();
        var target = RemoteStages.Collector([], []);
        Assert.Throws<ArgumentNullException>("stream", () => OrleansStreams.ToStream<string>(null!));
        // Thrown by the call itself, not by the task it would return.
        Assert.Throws<ArgumentNullException>("stream", () => { _ = OrleansStreams.SubscribeAsync(null!, target); });
        Assert.Throws<ArgumentNullException>("target", () => { _ = OrleansStreams.SubscribeAsync(fake.Stream, null!); });
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamSinkOptions { Capacity = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamSinkOptions { MaxBatchSize = 0 });
        Assert.Throws<ArgumentNullException>("error", () => CoroutineMessage<string>.Throw(Guid.Empty, 0, null!));
        Assert.Equal(CoroutineState.Suspended, target.State);
        await Task.CompletedTask;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the condition.");
            await Task.Delay(10);
        }
    }
}
