using System.Threading.Channels;

namespace CoroutineGen.Tests.Runtime;

/// <summary>AsyncSinks.ToChannel and AsyncSinks.Create.</summary>
public sealed partial class AsyncRuntimeTests
{
    // ------------------------------------------------------------------ AsyncSinks.ToChannel

    [Fact]
    public async Task AsyncSinks_ToChannel_writes_each_value_and_closing_completes_the_channel()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = AsyncSinks.ToChannel(channel.Writer);

        long sent = await Sources.FromEnumerableAsync(CountAsync(3), sink).WaitAsync(Patience);

        Assert.Equal(3, sent);
        var read = await channel.Reader.ReadAllAsync().ToArrayAsync().AsTask().WaitAsync(Patience); // ends: the channel was completed
        Assert.Equal([1, 2, 3], read);
        Assert.Equal(CoroutineState.Closed, sink.State);
    }

    [Fact]
    public async Task AsyncSinks_ToChannel_with_complete_false_leaves_the_channel_open_for_its_owner()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = AsyncSinks.ToChannel(channel.Writer, complete: false);

        await sink.SendAsync(1);
        await sink.DisposeAsync();

        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.True(channel.Writer.TryWrite(2), "the channel was completed");
        Assert.False(channel.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task AsyncSinks_ToChannel_on_a_full_bounded_channel_waits_for_room_without_blocking_and_then_writes()
    {
        var channel = Channel.CreateBounded<int>(1);
        var sink = AsyncSinks.ToChannel(channel.Writer);

        var first = sink.SendAsync(1);
        Assert.True(first.IsCompletedSuccessfully, "there was room: the send completed synchronously");
        var second = sink.SendAsync(2);   // the channel is full: the producer waits, and this thread goes on

        Assert.False(second.IsCompleted);
        Assert.Equal(CoroutineState.Running, sink.State);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => sink.SendAsync(3).AsTask());
        Assert.Equal("coroutine is already running", refused.Message);
        Assert.False(second.IsCompleted);

        Assert.True(channel.Reader.TryRead(out int read)); // the consumer makes room
        Assert.Equal(1, read);
        await second.AsTask().WaitAsync(Patience);
        Assert.Equal(CoroutineState.Suspended, sink.State);
        Assert.True(channel.Reader.TryRead(out read));
        Assert.Equal(2, read); // 3 was refused and changed nothing
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Fact]
    public async Task AsyncSinks_ToChannel_cancelled_while_waiting_for_room_writes_nothing_and_finishes_the_sink()
    {
        var channel = Channel.CreateBounded<int>(1);
        var sink = AsyncSinks.ToChannel(channel.Writer);
        await sink.SendAsync(1);
        using var cts = new CancellationTokenSource();

        var waiting = sink.SendAsync(2, cts.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        Assert.Equal(TaskStatus.Canceled, waiting.Status);
        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.True(channel.Reader.TryRead(out int read));
        Assert.Equal(1, read);
        Assert.False(channel.Reader.TryRead(out _));
        Assert.False(channel.Reader.Completion.IsCompleted); // finished by an error, not closed: the channel stays open
    }

    [Fact]
    public async Task AsyncSinks_ToChannel_with_an_already_cancelled_token_writes_nothing_even_with_room()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = AsyncSinks.ToChannel(channel.Writer);

        var send = sink.SendAsync(1, new CancellationToken(canceled: true)).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Equal(TaskStatus.Canceled, send.Status);
        Assert.False(channel.Reader.TryRead(out _));
        Assert.Equal(CoroutineState.Closed, sink.State);
    }

    [Fact]
    public async Task AsyncSinks_ToChannel_into_a_completed_channel_fails_with_ChannelClosedException_and_finishes()
    {
        var channel = Channel.CreateUnbounded<int>();
        channel.Writer.Complete();
        var sink = AsyncSinks.ToChannel(channel.Writer);

        await Assert.ThrowsAsync<ChannelClosedException>(() => sink.SendAsync(1).AsTask());

        Assert.Equal(CoroutineState.Closed, sink.State);
        await Assert.ThrowsAsync<StopIterationException>(() => sink.SendAsync(2).AsTask());
    }

    [Fact]
    public async Task AsyncSinks_ToChannel_ThrowAsync_completes_the_channel_with_the_error_after_the_values_and_propagates_it()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = AsyncSinks.ToChannel(channel.Writer);
        await sink.SendAsync(1);
        var broken = new IOException("upstream failed");

        Assert.Same(broken, await Assert.ThrowsAsync<IOException>(() => sink.ThrowAsync(broken).AsTask()));

        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.True(channel.Reader.TryRead(out int read));
        Assert.Equal(1, read);
        Assert.Same(broken, await Assert.ThrowsAsync<IOException>(() => channel.Reader.Completion.WaitAsync(Patience)));
    }

    [Fact]
    public async Task AsyncSinks_ToChannel_ThrowAsync_with_complete_false_leaves_the_channel_open()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = AsyncSinks.ToChannel(channel.Writer, complete: false);

        await Assert.ThrowsAsync<IOException>(() => sink.ThrowAsync(new IOException()).AsTask());

        Assert.True(channel.Writer.TryWrite(1));
    }

    [Fact]
    public void AsyncSinks_ToChannel_rejects_a_null_writer()
    {
        Assert.Throws<ArgumentNullException>("writer", () => AsyncSinks.ToChannel<int>(null!));
    }

    // ------------------------------------------------------------------ AsyncSinks.Create

    [Fact]
    public async Task AsyncSinks_Create_awaits_onItem_with_the_token_and_onClose_once()
    {
        var gate = NewGate();
        var seen = new List<(int Value, CancellationToken Token)>();
        int closes = 0;
        var sink = AsyncSinks.Create<int>(
            async (value, token) =>
            {
                seen.Add((value, token));
                await gate.Task;
            },
            () =>
            {
                closes++;
                return default;
            });
        using var cts = new CancellationTokenSource();

        var send = sink.SendAsync(7, cts.Token);
        Assert.False(send.IsCompleted); // the send is onItem's task
        Assert.Equal(CoroutineState.Running, sink.State);
        gate.SetResult();
        await send.AsTask().WaitAsync(Patience);
        Assert.Equal(CoroutineState.Suspended, sink.State);

        await sink.CloseAsync();
        await sink.CloseAsync(); // a finished sink: nothing
        await sink.DisposeAsync();

        Assert.Equal([(7, cts.Token)], seen);
        Assert.Equal(1, closes);
        Assert.Equal(CoroutineState.Closed, sink.State);
    }

    [Fact]
    public async Task AsyncSinks_Create_reports_onItem_failures_through_the_task_and_finishes()
    {
        var boom = new FormatException("bad");
        var sink = AsyncSinks.Create<int>((_, _) => throw boom); // thrown synchronously by the delegate

        var send = sink.SendAsync(1); // does not throw: the error is in the task
        Assert.Same(boom, await Assert.ThrowsAsync<FormatException>(() => send.AsTask()));
        Assert.Equal(CoroutineState.Closed, sink.State);
        await Assert.ThrowsAsync<StopIterationException>(() => sink.SendAsync(2).AsTask());
    }

    [Fact]
    public async Task AsyncSinks_Create_turns_a_StopIteration_from_onItem_into_coroutine_raised_StopIteration()
    {
        var leaked = new StopIterationException();
        var sink = AsyncSinks.Create<int>(async (_, _) =>
        {
            await Task.Yield();
            throw leaked;
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sink.SendAsync(1).AsTask().WaitAsync(Patience));

        Assert.Equal("coroutine raised StopIteration", error.Message);
        Assert.Same(leaked, error.InnerException);
        Assert.Equal(CoroutineState.Closed, sink.State);
    }

    [Fact]
    public async Task AsyncSinks_Create_cancelled_in_onItem_ends_the_send_cancelled_and_finishes()
    {
        using var cts = new CancellationTokenSource();
        var sink = AsyncSinks.Create<int>(async (_, token) =>
        {
            await cts.CancelAsync();
            token.ThrowIfCancellationRequested();
        });

        var send = sink.SendAsync(1, cts.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(Patience));
        Assert.Equal(TaskStatus.Canceled, send.Status);
        Assert.Equal(CoroutineState.Closed, sink.State);
    }

    [Fact]
    public async Task AsyncSinks_Create_does_not_handle_ThrowAsync_and_a_GeneratorExit_runs_onClose_then_StopIteration()
    {
        int closes = 0;
        ValueTask OnClose()
        {
            closes++;
            return default;
        }

        var unhandled = AsyncSinks.Create<int>((_, _) => default, OnClose);
        var error = new TimeoutException();
        Assert.Same(error, await Assert.ThrowsAsync<TimeoutException>(() => unhandled.ThrowAsync(error).AsTask()));
        Assert.Equal(CoroutineState.Closed, unhandled.State);
        Assert.Equal(0, closes);
        var again = new FormatException();
        Assert.Same(again, await Assert.ThrowsAsync<FormatException>(() => unhandled.ThrowAsync(again).AsTask())); // finished: the exception itself

        var exiting = AsyncSinks.Create<int>((_, _) => default, OnClose);
        await Assert.ThrowsAsync<StopIterationException>(() => exiting.ThrowAsync(new GeneratorExitException()).AsTask());
        Assert.Equal(1, closes);
        Assert.Equal(CoroutineState.Closed, exiting.State);
    }

    [Fact]
    public async Task AsyncSinks_Create_refuses_a_second_call_while_one_is_in_flight_and_a_null_exception_synchronously()
    {
        var gate = NewGate();
        var sink = AsyncSinks.Create<int>(async (_, _) => await gate.Task);

        var first = sink.SendAsync(1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.CloseAsync().AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.ThrowAsync(new IOException()).AsTask());
        Assert.Throws<ArgumentNullException>("exception", () => sink.ThrowAsync(null!));
        gate.SetResult();
        await first.AsTask().WaitAsync(Patience);

        Assert.Equal(CoroutineState.Suspended, sink.State); // the refused calls changed nothing
        Assert.Throws<ArgumentNullException>("onItem", () => AsyncSinks.Create<int>(null!));
    }
}
