using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CoroutineGen.Tests.Runtime;

public class SourcesTests
{
    // ---- Follow(TextReader) ----

    [Fact]
    public void Follow_reader_sends_each_line_without_terminator_then_closes()
    {
        var sink = new Recorder<string>();

        long count = Sources.Follow(new StringReader("one\ntwo\r\n\nlast without newline"), sink.Sink);

        Assert.Equal(4, count);
        Assert.Equal(new[] { "one", "two", "", "last without newline" }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
        Assert.Equal(CoroutineState.Closed, sink.Sink.State);
    }

    [Fact]
    public void Follow_reader_on_empty_input_sends_nothing_and_closes()
    {
        var sink = new Recorder<string>();

        Assert.Equal(0, Sources.Follow(new StringReader(""), sink.Sink));

        Assert.Empty(sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public void Follow_reader_stops_reading_when_the_target_finishes()
    {
        var reader = new CountingReader("a\nb\nc\nd\n");
        var take2 = TakeStage(2);

        long count = Sources.Follow(reader, take2);

        Assert.Equal(2, count);
        Assert.Equal(new[] { "send a", "send b" }, take2.Log);
        Assert.Equal(2, reader.LinesRead); // "c" was never read
        Assert.Equal(CoroutineState.Closed, take2.State);
    }

    [Fact]
    public void Follow_reader_into_an_already_finished_target_returns_zero_after_one_line()
    {
        var sink = Sinks.Null<string>();
        sink.Close();
        var reader = new CountingReader("a\nb\n");

        Assert.Equal(0, Sources.Follow(reader, sink));
        Assert.Equal(1, reader.LinesRead);
    }

    [Fact]
    public void Follow_reader_propagates_a_target_error_unchanged()
    {
        var boom = new FormatException("bad line");
        var stage = new ProbeStage<string> { OnSendHook = (_, line) => { if (line == "b") throw boom; } };

        var thrown = Assert.Throws<FormatException>(() => Sources.Follow(new StringReader("a\nb\nc\n"), stage));

        Assert.Same(boom, thrown);
        Assert.Equal(new[] { "send a", "send b" }, stage.Log); // finished by its own error: no OnClose
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void Follow_reader_closes_the_target_when_the_input_fails_and_rethrows_the_input_error()
    {
        var broken = new IOException("disk gone");
        var sink = new Recorder<string>();

        var thrown = Assert.Throws<IOException>(() => Sources.Follow(new FailingReader("a\n", broken), sink.Sink));

        Assert.Same(broken, thrown);
        Assert.Equal(new[] { "a" }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public void Follow_reader_reports_both_errors_when_closing_after_an_input_failure_fails_too()
    {
        var broken = new IOException("disk gone");
        var closeError = new InvalidOperationException("printer jammed");
        var sink = Sinks.Create<string>(_ => { }, () => throw closeError);

        var thrown = Assert.Throws<AggregateException>(() => Sources.Follow(new FailingReader("a\n", broken), sink));

        Assert.Equal(new Exception[] { broken, closeError }, thrown.InnerExceptions);
    }

    [Fact]
    public void Follow_reader_propagates_a_close_error_at_the_end_of_input()
    {
        var closeError = new InvalidOperationException("printer jammed");
        var sink = Sinks.Create<string>(_ => { }, () => throw closeError);

        Assert.Same(closeError, Assert.Throws<InvalidOperationException>(() => Sources.Follow(new StringReader("a"), sink)));
    }

    [Fact]
    public void Follow_reader_called_from_inside_its_target_fails_without_trying_to_close_it()
    {
        InvalidOperationException? seen = null;
        var stage = new ProbeStage<string>();
        stage.OnSendHook = (self, _) => seen = Assert.Throws<InvalidOperationException>(() => Sources.Follow(new StringReader("x"), self));

        stage.Send("start");

        Assert.Equal("coroutine is already running", seen!.Message);
        Assert.Equal(CoroutineState.Suspended, stage.State);
        Assert.Equal(new[] { "send start" }, stage.Log);
    }

    [Fact]
    public void Follow_reader_rejects_null_arguments_without_closing_the_target()
    {
        var sink = new Recorder<string>();

        Assert.Throws<ArgumentNullException>(() => Sources.Follow((TextReader)null!, sink.Sink));
        Assert.Throws<ArgumentNullException>(() => Sources.Follow(new StringReader(""), null!));

        Assert.Equal(0, sink.CloseCount);
    }

    // ---- FromEnumerable ----

    [Fact]
    public void FromEnumerable_sends_every_item_in_order_then_closes()
    {
        var sink = new Recorder<int>();

        Assert.Equal(3, Sources.FromEnumerable(new[] { 3, 1, 2 }, sink.Sink));

        Assert.Equal(new[] { 3, 1, 2 }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public void FromEnumerable_stops_when_the_target_finishes_and_disposes_the_enumerator()
    {
        var items = new TrackedEnumerable(10);
        var take3 = TakeStage<int>(3);

        Assert.Equal(3, Sources.FromEnumerable(items, take3));

        Assert.Equal(3, items.Yielded);
        Assert.True(items.Disposed);
    }

    [Fact]
    public void FromEnumerable_closes_the_target_when_the_enumeration_fails()
    {
        var sink = new Recorder<int>();

        var thrown = Assert.Throws<InvalidDataException>(() => Sources.FromEnumerable(FailAfter(2), sink.Sink));

        Assert.Equal("enumeration failed", thrown.Message);
        Assert.Equal(new[] { 0, 1 }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public void FromEnumerable_propagates_a_target_error_and_disposes_the_enumerator()
    {
        var boom = new FormatException("bad");
        var items = new TrackedEnumerable(10);
        var sink = Sinks.Create<int>(v => { if (v == 1) throw boom; });

        Assert.Same(boom, Assert.Throws<FormatException>(() => Sources.FromEnumerable(items, sink)));

        Assert.True(items.Disposed);
        Assert.Equal(CoroutineState.Closed, sink.State);
    }

    [Fact]
    public void FromEnumerable_rejects_null_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => Sources.FromEnumerable(null!, Sinks.Null<int>()));
        Assert.Throws<ArgumentNullException>(() => Sources.FromEnumerable(new[] { 1 }, null!));
    }

    // ---- FromEnumerableAsync ----

    [Fact]
    public async Task FromEnumerableAsync_sends_every_item_then_closes()
    {
        var sink = new Recorder<int>();

        long count = await Sources.FromEnumerableAsync(RangeAsync(5), sink.Sink);

        Assert.Equal(5, count);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public async Task FromEnumerableAsync_cancellation_closes_the_target_and_cancels_the_task()
    {
        using var cts = new CancellationTokenSource();
        var sink = new Recorder<int>();
        var stage = Sinks.Create<int>(v => { sink.Sink.Send(v); if (v == 2) cts.Cancel(); }, sink.Sink.Close);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sources.FromEnumerableAsync(RangeAsync(100, ignoreToken: true), stage, cts.Token));

        Assert.Equal(new[] { 0, 1, 2 }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public async Task FromEnumerableAsync_passes_the_token_to_the_enumerator()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var sink = new Recorder<int>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sources.FromEnumerableAsync(RangeAsync(3), sink.Sink, cts.Token));

        Assert.Empty(sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public async Task FromEnumerableAsync_stops_when_the_target_finishes()
    {
        var take2 = TakeStage<int>(2);

        long count = await Sources.FromEnumerableAsync(RangeAsync(10), take2);

        Assert.Equal(2, count);
        Assert.Equal(new[] { "send 0", "send 1" }, take2.Log);
    }

    [Fact]
    public async Task FromEnumerableAsync_closes_the_target_when_the_input_fails()
    {
        var sink = new Recorder<int>();

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => Sources.FromEnumerableAsync(FailAfterAsync(1), sink.Sink));

        Assert.Equal("async enumeration failed", thrown.Message);
        Assert.Equal(new[] { 0 }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public void FromEnumerableAsync_checks_arguments_synchronously()
    {
        Assert.Throws<ArgumentNullException>(() => { _ = Sources.FromEnumerableAsync<int>(null!, Sinks.Null<int>()); });
        Assert.Throws<ArgumentNullException>(() => { _ = Sources.FromEnumerableAsync(RangeAsync(1), (ICoroutine<int>)null!); });
    }

    // ---- FromChannelAsync ----

    [Fact]
    public async Task FromChannelAsync_drains_until_completion_then_closes()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = new Recorder<int>();
        var pump = Sources.FromChannelAsync(channel.Reader, sink.Sink);

        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < 25; i++)
            {
                await channel.Writer.WriteAsync(p * 100 + i);
            }
        })).ToArray();
        await Task.WhenAll(producers);
        channel.Writer.Complete();

        Assert.Equal(100, await pump);
        Assert.Equal(100, sink.Items.Count);
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(p => Enumerable.Range(p * 100, 25)), sink.Items.Order());
        for (int p = 0; p < 4; p++)
        {
            // each producer's items keep their order
            Assert.Equal(Enumerable.Range(p * 100, 25), sink.Items.Where(v => v / 100 == p));
        }

        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public async Task FromChannelAsync_channel_completed_with_an_error_closes_the_target_and_propagates_it()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = new Recorder<int>();
        var e = new InvalidDataException("producer failed");
        channel.Writer.TryWrite(1);
        channel.Writer.Complete(e);

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => Sources.FromChannelAsync(channel.Reader, sink.Sink));

        Assert.Same(e, thrown);
        Assert.Equal(new[] { 1 }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public async Task FromChannelAsync_cancellation_closes_the_target_and_cancels_the_task()
    {
        var channel = Channel.CreateUnbounded<int>();
        var sink = new Recorder<int>();
        using var cts = new CancellationTokenSource();
        var pump = Sources.FromChannelAsync(channel.Reader, sink.Sink, cts.Token);

        await channel.Writer.WriteAsync(1);
        Assert.True(SpinWait.SpinUntil(() => sink.Items.Count == 1, TimeSpan.FromSeconds(30)));
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pump);
        Assert.Equal(new[] { 1 }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public async Task FromChannelAsync_stops_when_the_target_finishes_and_leaves_the_rest_in_the_channel()
    {
        var channel = Channel.CreateUnbounded<int>();
        for (int i = 0; i < 5; i++)
        {
            channel.Writer.TryWrite(i);
        }

        var take2 = TakeStage<int>(2);

        Assert.Equal(2, await Sources.FromChannelAsync(channel.Reader, take2));

        Assert.True(channel.Reader.TryRead(out var next));
        Assert.Equal(2, next);
    }

    [Fact]
    public void FromChannelAsync_checks_arguments_synchronously()
    {
        Assert.Throws<ArgumentNullException>(() => { _ = Sources.FromChannelAsync<int>(null!, Sinks.Null<int>()); });
        Assert.Throws<ArgumentNullException>(() => { _ = Sources.FromChannelAsync(Channel.CreateUnbounded<int>().Reader, (ICoroutine<int>)null!); });
    }

    // ---- helpers ----

    internal static ProbeStage<T> TakeStage<T>(int n)
    {
        int seen = 0;
        return new ProbeStage<T> { OnSendHook = (self, _) => { if (++seen == n) self.CallReturn(n); } };
    }

    private static ProbeStage<string> TakeStage(int n) => TakeStage<string>(n);

    private static IEnumerable<int> FailAfter(int n)
    {
        for (int i = 0; i < n; i++)
        {
            yield return i;
        }

        throw new InvalidDataException("enumeration failed");
    }

    private static async IAsyncEnumerable<int> RangeAsync(int n, bool ignoreToken = false, [EnumeratorCancellation] CancellationToken token = default)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            if (!ignoreToken)
            {
                token.ThrowIfCancellationRequested();
            }

            yield return i;
        }
    }

    private static async IAsyncEnumerable<int> FailAfterAsync(int n)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return i;
        }

        throw new InvalidDataException("async enumeration failed");
    }

    private sealed class CountingReader(string text) : StringReader(text)
    {
        public int LinesRead { get; private set; }

        public override string? ReadLine()
        {
            var line = base.ReadLine();
            if (line is not null)
            {
                LinesRead++;
            }

            return line;
        }
    }

    private sealed class FailingReader(string text, Exception error) : StringReader(text)
    {
        public override string? ReadLine() => base.ReadLine() ?? throw error;
    }

    private sealed class TrackedEnumerable(int n) : IEnumerable<int>
    {
        public int Yielded { get; private set; }

        public bool Disposed { get; private set; }

        public IEnumerator<int> GetEnumerator()
        {
            try
            {
                for (int i = 0; i < n; i++)
                {
                    Yielded++;
                    yield return i;
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
