using System.Threading.Channels;

namespace CoroutineGen.Tests.Runtime;

public class SinksTests
{
    [Fact]
    public void Create_calls_onItem_for_each_value_and_onClose_once()
    {
        var items = new List<string>();
        int closes = 0;
        var sink = Sinks.Create<string>(items.Add, () => closes++);

        sink.Send("a");
        sink.Send("b");
        sink.Close();
        sink.Close();
        sink.Dispose();

        Assert.Equal(new[] { "a", "b" }, items);
        Assert.Equal(1, closes);
        Assert.Equal(CoroutineState.Closed, sink.State);
    }

    [Fact]
    public void Create_without_onClose_closes_quietly()
    {
        var items = new List<int>();
        var sink = Sinks.Create<int>(items.Add);

        sink.Send(1);
        sink.Close();

        Assert.Equal(new[] { 1 }, items);
        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.Throws<StopIterationException>(() => sink.Send(2));
        Assert.Equal(new[] { 1 }, items);
    }

    [Fact]
    public void Create_rejects_a_null_onItem()
    {
        Assert.Throws<ArgumentNullException>(() => Sinks.Create<int>(null!));
    }

    [Fact]
    public void Create_sink_that_throws_is_finished_and_the_error_propagates()
    {
        var boom = new FormatException("bad");
        int closes = 0;
        var sink = Sinks.Create<int>(_ => throw boom, () => closes++);

        Assert.Same(boom, Assert.Throws<FormatException>(() => sink.Send(1)));

        Assert.Equal(CoroutineState.Closed, sink.State);
        sink.Close();
        Assert.Equal(0, closes);
    }

    [Fact]
    public void Create_sink_does_not_handle_Throw_and_does_not_call_onClose()
    {
        int closes = 0;
        var sink = Sinks.Create<int>(_ => { }, () => closes++);
        var e = new TimeoutException("hosed");

        Assert.Same(e, Assert.Throws<TimeoutException>(() => sink.Throw(e)));

        Assert.Equal(CoroutineState.Closed, sink.State);
        sink.Close();
        Assert.Equal(0, closes);
    }

    [Fact]
    public void Create_sink_Throw_of_GeneratorExit_calls_onClose_and_raises_StopIteration()
    {
        int closes = 0;
        var sink = Sinks.Create<int>(_ => { }, () => closes++);

        Assert.Throws<StopIterationException>(() => sink.Throw(new GeneratorExitException()));

        Assert.Equal(1, closes);
    }

    [Fact]
    public void Create_sink_sees_Running_while_its_callback_runs()
    {
        CoroutineState? seen = null;
        ICoroutine<int>? sink = null;
        sink = Sinks.Create<int>(_ => seen = sink!.State);

        sink.Send(1);

        Assert.Equal(CoroutineState.Running, seen);
        Assert.Equal(CoroutineState.Suspended, sink.State);
    }

    [Fact]
    public void Null_accepts_values_until_closed()
    {
        var sink = Sinks.Null<int>();

        sink.Send(1);
        sink.Send(2);
        Assert.Equal(CoroutineState.Suspended, sink.State);
        sink.Close();

        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.Throws<StopIterationException>(() => sink.Send(3));
    }

    [Fact]
    public void Null_returns_a_new_sink_each_time()
    {
        var a = Sinks.Null<int>();
        var b = Sinks.Null<int>();

        a.Close();

        Assert.NotSame(a, b);
        Assert.Equal(CoroutineState.Suspended, b.State);
    }

    [Fact]
    public void ToChannel_writes_each_value_and_Close_completes_the_writer()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = Sinks.ToChannel(channel.Writer);

        sink.Send(1);
        sink.Send(2);
        sink.Close();

        Assert.False(channel.Writer.TryWrite(3)); // completed: no more writes
        Assert.Equal(new[] { 1, 2 }, Drain(channel.Reader));
        Assert.True(channel.Reader.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public void ToChannel_without_complete_leaves_the_channel_open()
    {
        var channel = Channel.CreateUnbounded<int>();
        var first = Sinks.ToChannel(channel.Writer, complete: false);
        var second = Sinks.ToChannel(channel.Writer, complete: false);

        first.Send(1);
        first.Close();
        second.Send(2);
        Assert.Throws<TimeoutException>(() => second.Throw(new TimeoutException()));

        Assert.False(channel.Reader.Completion.IsCompleted);
        Assert.True(channel.Writer.TryWrite(3));
        Assert.Equal(new[] { 1, 2, 3 }, Drain(channel.Reader));
    }

    [Fact]
    public void ToChannel_Throw_completes_the_writer_with_the_error_and_propagates_it()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = Sinks.ToChannel(channel.Writer);
        var e = new InvalidDataException("upstream broke");

        sink.Send(1);
        var thrown = Assert.Throws<InvalidDataException>(() => sink.Throw(e));

        Assert.Same(e, thrown);
        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.True(channel.Reader.TryRead(out var item));
        Assert.Equal(1, item);
        Assert.True(channel.Reader.Completion.IsFaulted);
        Assert.Same(e, channel.Reader.Completion.Exception!.InnerException);
    }

    [Fact]
    public void ToChannel_Send_into_a_completed_channel_throws_ChannelClosed_and_finishes_the_sink()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = Sinks.ToChannel(channel.Writer);
        channel.Writer.Complete();

        Assert.Throws<ChannelClosedException>(() => sink.Send(1));

        Assert.Equal(CoroutineState.Closed, sink.State);
    }

    [Fact]
    public async Task ToChannel_Send_into_a_full_bounded_channel_waits_for_room()
    {
        var channel = Channel.CreateBounded<int>(1);
        var sink = Sinks.ToChannel(channel.Writer);
        sink.Send(1);

        var blocked = Task.Run(() => sink.Send(2));
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted, "Send should wait while the channel is full");
        Assert.True(channel.Reader.TryRead(out var first));
        await blocked.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, first);
        Assert.True(channel.Reader.TryRead(out var second));
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task ToChannel_feeds_an_async_consumer_on_another_thread()
    {
        var channel = Channel.CreateBounded<int>(4);
        var consumer = Task.Run(async () =>
        {
            var seen = new List<int>();
            await foreach (var item in channel.Reader.ReadAllAsync())
            {
                seen.Add(item);
            }

            return seen;
        });

        using (var sink = Sinks.ToChannel(channel.Writer))
        {
            Sources.FromEnumerable(Enumerable.Range(0, 100), sink);
        }

        Assert.Equal(Enumerable.Range(0, 100), await consumer.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void ToChannel_rejects_a_null_writer()
    {
        Assert.Throws<ArgumentNullException>(() => Sinks.ToChannel<int>(null!));
    }

    private static List<T> Drain<T>(ChannelReader<T> reader)
    {
        var items = new List<T>();
        while (reader.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }
}
