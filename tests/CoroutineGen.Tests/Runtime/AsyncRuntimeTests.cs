using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;

namespace CoroutineGen.Tests.Runtime;

/// <summary>
/// The runtime for asynchronous coroutines (<see cref="IAsyncCoroutine{T}"/>): the sources with an asynchronous
/// target (this file), FollowAsync, the asynchronous sinks (AsyncSinks), Broadcast of async targets and the ToAsync/ToSync bridges (the other
/// AsyncRuntimeTests.*.cs files). The targets are hand-written <see cref="AsyncRecorder{T}"/>s. Every wait is on a
/// task that the code under test completes; <see cref="Patience"/> only bounds a broken test. The cancellation rules
/// common to every source are checked for these sources too, by <see cref="ConventionTests"/>.
/// </summary>
public sealed partial class AsyncRuntimeTests : IDisposable
{
    /// <summary>A safety net: long enough for a loaded machine, only reached when a test is broken.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<string> _files = new();

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private static async IAsyncEnumerable<int> CountAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 1; i <= count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
    }

    /// <summary>Yields 1, 2, ... up to <paramref name="count"/>, counting how many were taken.</summary>
    private static IEnumerable<int> Counting(int count, StrongBox<int> taken)
    {
        for (int i = 1; i <= count; i++)
        {
            taken.Value++;
            yield return i;
        }
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Asserts that <paramref name="call"/> throws, rather than returning a failed task.</summary>
    private static void ThrowsSynchronously<TException>(string paramName, Func<Task> call)
        where TException : ArgumentException =>
        Assert.Throws<TException>(paramName, () => { _ = call(); });

    // ------------------------------------------------------------------ FromEnumerableAsync, FromChannelAsync

    [Fact]
    public async Task FromEnumerableAsync_sends_each_async_item_to_an_async_target_with_the_token_then_closes_it_without_one()
    {
        var target = new AsyncRecorder<int>(onSend: async (_, _) => await Task.Yield());
        using var cts = new CancellationTokenSource();

        long count = await Sources.FromEnumerableAsync(CountAsync(3), target, cts.Token).WaitAsync(Patience);

        Assert.Equal(3, count);
        Assert.Equal(["send 1", "send 2", "send 3", "close"], target.Events); // "close": no token, the clean-up always runs
        Assert.All(target.Tokens, token => Assert.Equal(cts.Token, token));
        Assert.Equal(CoroutineState.Closed, target.State);
    }

    [Fact]
    public async Task An_async_source_awaits_each_send_before_the_next_one()
    {
        var gate = NewGate();
        var entered = NewGate();
        var target = new AsyncRecorder<int>(onSend: async (value, _) =>
        {
            if (value == 1)
            {
                entered.SetResult();
                await gate.Task;
            }
        });

        var run = Sources.FromEnumerableAsync(CountAsync(3), target);
        await entered.Task.WaitAsync(Patience);

        Assert.False(run.IsCompleted);
        Assert.Equal([1], target.Values); // 2 waits for the send of 1 (sending it now would fail: already running)
        gate.SetResult();
        Assert.Equal(3, await run.WaitAsync(Patience));
        Assert.Equal([1, 2, 3], target.Values);
    }

    [Fact]
    public async Task FromEnumerableAsync_of_a_sequence_disposes_its_enumerator_and_runs_synchronously_with_a_synchronous_target()
    {
        var items = new DisposeCounting<int>([1, 2, 3]);
        var seen = new List<int>();
        bool closed = false;
        var target = Sinks.Create<int>(seen.Add, () => closed = true).ToAsync();

        var run = Sources.FromEnumerableAsync(items, target);

        Assert.True(run.IsCompletedSuccessfully, "every send completed synchronously, so the source did too");
        Assert.Equal(3, await run);
        Assert.Equal([1, 2, 3], seen);
        Assert.True(closed);
        Assert.Equal(1, items.Disposed);
    }

    private sealed class DisposeCounting<T>(IEnumerable<T> items) : IEnumerable<T>
    {
        public int Disposed { get; private set; }

        public IEnumerator<T> GetEnumerator()
        {
            try
            {
                foreach (var item in items)
                {
                    yield return item;
                }
            }
            finally
            {
                Disposed++;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task FromChannelAsync_sends_what_producers_write_until_the_channel_completes_then_closes_the_target()
    {
        var channel = Channel.CreateBounded<int>(2);
        var target = new AsyncRecorder<int>(onSend: async (_, _) => await Task.Yield());

        var run = Sources.FromChannelAsync(channel.Reader, target);
        for (int i = 1; i <= 50; i++)
        {
            await channel.Writer.WriteAsync(i).AsTask().WaitAsync(Patience);
        }

        channel.Writer.Complete();

        Assert.Equal(50, await run.WaitAsync(Patience));
        Assert.Equal(Enumerable.Range(1, 50), target.Values);
        Assert.Equal("close", target.Events[^1]);
    }

    [Fact]
    public async Task FromChannelAsync_of_a_channel_completed_with_an_error_delivers_what_came_before_closes_the_target_and_throws_it()
    {
        var channel = Channel.CreateUnbounded<int>();
        var broken = new IOException("producer failed");
        channel.Writer.TryWrite(1);
        channel.Writer.TryWrite(2);
        channel.Writer.Complete(broken);
        var target = new AsyncRecorder<int>();

        var error = await Assert.ThrowsAsync<IOException>(() => Sources.FromChannelAsync(channel.Reader, target).WaitAsync(Patience));

        Assert.Same(broken, error);
        Assert.Equal(["send 1", "send 2", "close"], target.Events);
    }

    [Fact]
    public async Task Cancelling_while_the_source_waits_for_input_closes_the_target_and_ends_the_task_cancelled()
    {
        var channel = Channel.CreateUnbounded<int>();
        channel.Writer.TryWrite(1);
        var target = new AsyncRecorder<int>();
        using var cts = new CancellationTokenSource();

        var run = Sources.FromChannelAsync(channel.Reader, target, cts.Token);
        await target.Received(1).WaitAsync(Patience);
        Assert.False(run.IsCompleted); // waiting for the second value
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(TaskStatus.Canceled, run.Status);
        Assert.Equal(["send 1", "close"], target.Events);
    }

    [Fact]
    public async Task Cancelling_while_the_target_handles_a_value_is_seen_by_the_target_and_then_stops_the_source()
    {
        var gate = NewGate();
        var entered = NewGate();
        var target = new AsyncRecorder<int>(onSend: async (value, _) =>
        {
            if (value == 2)
            {
                entered.SetResult();
                await gate.Task;
            }
        });
        using var cts = new CancellationTokenSource();

        var run = Sources.FromEnumerableAsync([1, 2, 3, 4], target, cts.Token);
        await entered.Task.WaitAsync(Patience);
        await cts.CancelAsync();
        Assert.True(target.Tokens[^1].IsCancellationRequested, "the target's token is the source's");
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(TaskStatus.Canceled, run.Status);
        Assert.Equal(["send 1", "send 2", "close"], target.Events); // 3 is not sent
    }

    [Fact]
    public async Task A_target_that_finishes_stops_the_source_quietly_and_nothing_more_is_read()
    {
        var taken = new StrongBox<int>();
        var target = new AsyncRecorder<int>(finishAfter: 2);

        long count = await Sources.FromEnumerableAsync(Counting(10, taken), target).WaitAsync(Patience);

        Assert.Equal(2, count); // the value during which it finished counts
        Assert.Equal(2, taken.Value);
        Assert.Equal(["send 1", "send 2"], target.Events); // finished: the close at the end does nothing
        Assert.Equal(CoroutineState.Closed, target.State);
    }

    [Fact]
    public async Task A_finished_target_gets_nothing_and_the_source_returns_zero()
    {
        var target = new AsyncRecorder<int>();
        await target.CloseAsync();
        var taken = new StrongBox<int>();

        Assert.Equal(0, await Sources.FromEnumerableAsync(Counting(10, taken), target).WaitAsync(Patience));
        Assert.Equal(1, taken.Value);
        Assert.Equal(["close"], target.Events);
    }

    [Fact]
    public async Task A_target_that_fails_ends_the_source_with_its_exception_unchanged()
    {
        var boom = new FormatException("bad value");
        var target = new AsyncRecorder<int>(onSend: async (value, _) =>
        {
            await Task.Yield();
            if (value == 2)
            {
                throw boom;
            }
        });

        var run = Sources.FromEnumerableAsync(CountAsync(5), target);

        Assert.Same(boom, await Assert.ThrowsAsync<FormatException>(() => run.WaitAsync(Patience)));
        Assert.Equal(TaskStatus.Faulted, run.Status);
        Assert.Equal(["send 1", "send 2"], target.Events); // finished by its failure: not closed again
    }

    [Fact]
    public async Task An_input_error_closes_the_live_target_and_propagates_and_a_failing_close_joins_it()
    {
        var broken = new IOException("disk gone");
        async IAsyncEnumerable<int> Broken()
        {
            await Task.Yield();
            yield return 1;
            throw broken;
        }

        var target = new AsyncRecorder<int>();
        Assert.Same(broken, await Assert.ThrowsAsync<IOException>(() => Sources.FromEnumerableAsync(Broken(), target).WaitAsync(Patience)));
        Assert.Equal(["send 1", "close"], target.Events);

        var cannotFlush = new InvalidOperationException("cannot flush");
        var failingClose = new AsyncRecorder<int>(onClose: () => throw cannotFlush);
        var both = await Assert.ThrowsAsync<AggregateException>(() => Sources.FromEnumerableAsync(Broken(), failingClose).WaitAsync(Patience));
        Assert.Equal([broken, cannotFlush], both.InnerExceptions);
    }

    [Fact]
    public void Null_arguments_are_thrown_synchronously_and_the_target_is_not_closed()
    {
        var target = new AsyncRecorder<int>();
        var lines = new AsyncRecorder<string>();

        ThrowsSynchronously<ArgumentNullException>("items", () => Sources.FromEnumerableAsync((IAsyncEnumerable<int>)null!, target));
        ThrowsSynchronously<ArgumentNullException>("target", () => Sources.FromEnumerableAsync(CountAsync(1), (IAsyncCoroutine<int>)null!));
        ThrowsSynchronously<ArgumentNullException>("items", () => Sources.FromEnumerableAsync((IEnumerable<int>)null!, target));
        ThrowsSynchronously<ArgumentNullException>("target", () => Sources.FromEnumerableAsync([1], (IAsyncCoroutine<int>)null!));
        ThrowsSynchronously<ArgumentNullException>("reader", () => Sources.FromChannelAsync(null!, target));
        ThrowsSynchronously<ArgumentNullException>("target", () => Sources.FromChannelAsync(Channel.CreateUnbounded<int>().Reader, (IAsyncCoroutine<int>)null!));
        ThrowsSynchronously<ArgumentNullException>("reader", () => Sources.FromLinesAsync((TextReader)null!, lines));
        ThrowsSynchronously<ArgumentNullException>("target", () => Sources.FromLinesAsync(new StringReader(""), null!));
        ThrowsSynchronously<ArgumentNullException>("stream", () => Sources.FromLinesAsync((Stream)null!, lines));
        ThrowsSynchronously<ArgumentNullException>("target", () => Sources.FromLinesAsync(new MemoryStream(), null!));
        ThrowsSynchronously<ArgumentException>("stream", () => Sources.FromLinesAsync(new WriteOnlyStream(), lines));

        Assert.Empty(target.Events);
        Assert.Empty(lines.Events);
    }

    private sealed class WriteOnlyStream : MemoryStream
    {
        public override bool CanRead => false;
    }

    // ------------------------------------------------------------------ FromLinesAsync

    [Fact]
    public async Task FromLinesAsync_sends_every_line_once_without_its_terminator_then_closes_the_target()
    {
        var target = new AsyncRecorder<string>();

        long count = await Sources.FromLinesAsync(new StringReader("a\r\nb\rc\n\nlast"), target).WaitAsync(Patience);

        Assert.Equal(5, count);
        Assert.Equal(["a", "b", "c", "", "last"], target.Values);
        Assert.Equal("close", target.Events[^1]);
    }

    [Fact]
    public async Task FromLinesAsync_of_a_stream_decodes_UTF8_skips_the_byte_order_mark_and_leaves_the_stream_open()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("café\nnaïve\n")).ToArray());
        var target = new AsyncRecorder<string>();

        Assert.Equal(2, await Sources.FromLinesAsync(stream, target).WaitAsync(Patience));

        Assert.Equal(["café", "naïve"], target.Values);
        Assert.True(stream.CanRead, "the source closed a stream it does not own");
    }

    [Fact]
    public async Task FromLinesAsync_of_a_UTF16_stream_follows_its_byte_order_mark()
    {
        var unicode = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        var stream = new MemoryStream(unicode.GetPreamble().Concat(unicode.GetBytes("x\ny\n")).ToArray());
        var target = new AsyncRecorder<string>();

        await Sources.FromLinesAsync(stream, target).WaitAsync(Patience);

        Assert.Equal(["x", "y"], target.Values);
    }
}
