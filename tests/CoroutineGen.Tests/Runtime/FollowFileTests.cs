using System.Collections.Concurrent;
using System.Text;

namespace CoroutineGen.Tests.Runtime;

/// <summary>The tail -f mode of Sources.Follow, on a temp file that the test appends to while it is followed.</summary>
public sealed class FollowFileTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly FollowOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(10) };

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"coroutinegen-follow-{Guid.NewGuid():N}.log");
    private readonly BlockingCollection<string> _lines = new();
    private readonly CancellationTokenSource _cts = new();
    private int _closes;

    public FollowFileTests() => File.WriteAllText(_path, "");

    public void Dispose()
    {
        _cts.Dispose();
        _lines.Dispose();
        File.Delete(_path);
    }

    private ICoroutine<string> Sink() => Sinks.Create<string>(_lines.Add, () => Interlocked.Increment(ref _closes));

    private Task<long> StartFollowing(ICoroutine<string>? target = null, FollowOptions? options = null) =>
        Task.Factory.StartNew(
            () => Sources.Follow(_path, target ?? Sink(), options ?? Fast, _cts.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private string Next()
    {
        Assert.True(_lines.TryTake(out var line, Patience), "no line arrived in time");
        return line!;
    }

    private static void Append(FileStream writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write(bytes, 0, bytes.Length);
        writer.Flush();
    }

    private FileStream OpenWriter() => new(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);

    /// <summary>Cancels, and checks that Follow ended the .NET way: with an OperationCanceledException for the token.</summary>
    private void Stop(Task<long> follow)
    {
        _cts.Cancel();
        Assert.True(((IAsyncResult)follow).AsyncWaitHandle.WaitOne(Patience), "Follow did not end after cancellation");
        var error = Assert.IsAssignableFrom<OperationCanceledException>(follow.Exception?.InnerException);
        Assert.Equal(_cts.Token, error.CancellationToken);
    }

    [Fact]
    public void Sends_existing_lines_then_appended_lines_in_order_while_the_writer_keeps_the_file_open()
    {
        File.WriteAllText(_path, "old 1\nold 2\n");
        using var writer = OpenWriter();
        var follow = StartFollowing();

        Assert.Equal("old 1", Next());
        Assert.Equal("old 2", Next());
        Append(writer, "new 1\n");
        Assert.Equal("new 1", Next());
        Append(writer, "new 2\nnew 3\n");
        Assert.Equal("new 2", Next());
        Assert.Equal("new 3", Next());

        Stop(follow);
        Assert.Equal(1, _closes);
    }

    [Fact]
    public void StartAtEnd_skips_what_the_file_already_holds()
    {
        File.WriteAllText(_path, "old 1\nold 2\n");
        using var writer = OpenWriter();
        var follow = StartFollowing(options: new FollowOptions { StartAtEnd = true, PollInterval = TimeSpan.FromMilliseconds(10) });

        // The follower may not have opened the file yet (then it skips what is there, probes included):
        // keep appending probes until one arrives.
        var received = new List<string>();
        var deadline = DateTime.UtcNow + Patience;
        for (int n = 0; received.Count == 0; n++)
        {
            Assert.True(DateTime.UtcNow < deadline, "no probe arrived in time");
            Append(writer, $"probe {n}\n");
            if (_lines.TryTake(out var line, TimeSpan.FromMilliseconds(20)))
            {
                received.Add(line);
            }
        }

        Append(writer, "after\n");
        while (received[^1] != "after")
        {
            received.Add(Next());
        }

        Stop(follow);
        Assert.All(received.Take(received.Count - 1), line => Assert.StartsWith("probe ", line));
        Assert.Empty(_lines);
    }

    [Fact]
    public void A_partial_line_is_sent_only_when_its_newline_arrives()
    {
        using var writer = OpenWriter();
        var follow = StartFollowing();

        Append(writer, "hel");
        Assert.False(_lines.TryTake(out _, TimeSpan.FromMilliseconds(200)), "a partial line must not be sent");
        Append(writer, "lo wor");
        Append(writer, "ld\r\n");

        Assert.Equal("hello world", Next());
        Stop(follow);
    }

    [Fact]
    public void Cancellation_closes_the_target_throws_OperationCanceled_and_drops_a_partial_line()
    {
        using var writer = OpenWriter();
        var follow = StartFollowing();
        Append(writer, "complete\nincomplete");
        Assert.Equal("complete", Next());

        Stop(follow);

        Assert.Equal(1, _closes);
        Assert.Empty(_lines);
    }

    [Fact]
    public void No_line_is_sent_after_cancellation_even_one_already_read()
    {
        File.WriteAllText(_path, "a\nstop\nafter\n");
        var stage = new ProbeStage<string> { OnSendHook = (_, line) => { if (line == "stop") _cts.Cancel(); } };

        var error = Assert.ThrowsAny<OperationCanceledException>(() => Sources.Follow(_path, stage, Fast, _cts.Token));

        Assert.Equal(_cts.Token, error.CancellationToken);
        Assert.Equal(new[] { "send a", "send stop", "close" }, stage.Log);
    }

    [Fact]
    public void An_already_cancelled_token_reads_nothing_closes_the_target_and_throws()
    {
        File.WriteAllText(_path, "old\n");
        _cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Sources.Follow(_path, Sink(), cancellationToken: _cts.Token));

        Assert.Empty(_lines);
        Assert.Equal(1, _closes);
    }

    [Fact]
    public void An_already_cancelled_token_wins_over_a_missing_file()
    {
        File.Delete(_path);
        _cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Sources.Follow(_path, Sink(), cancellationToken: _cts.Token));

        Assert.Equal(1, _closes);
    }

    [Fact]
    public void Returns_without_cancellation_when_the_target_finishes()
    {
        File.WriteAllText(_path, "a\nb\nc\n");
        var take2 = SourcesTests.TakeStage<string>(2);

        long count = Sources.Follow(_path, take2, Fast);

        Assert.Equal(2, count);
        Assert.Equal(new[] { "send a", "send b" }, take2.Log);
    }

    [Fact]
    public void A_truncated_file_is_read_again_from_the_start()
    {
        File.WriteAllText(_path, "before truncation\n");
        var follow = StartFollowing();
        Assert.Equal("before truncation", Next());

        using (var truncate = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            truncate.SetLength(0);
        }

        // The new content is shorter than what was already read, so the follower sees the file shrink.
        using (var writer = OpenWriter())
        {
            Append(writer, "x\n");
        }

        Assert.Equal("x", Next());
        Stop(follow);
    }

    [Fact]
    public void A_missing_file_throws_FileNotFound_after_closing_the_target()
    {
        File.Delete(_path);

        Assert.Throws<FileNotFoundException>(() => Sources.Follow(_path, Sink()));

        Assert.Equal(1, _closes);
    }

    [Fact]
    public void A_target_error_stops_following_and_propagates()
    {
        File.WriteAllText(_path, "good\nbad\nnever\n");
        var boom = new FormatException("bad line");
        var stage = new ProbeStage<string> { OnSendHook = (_, line) => { if (line == "bad") throw boom; } };

        var thrown = Assert.Throws<FormatException>(() => Sources.Follow(_path, stage, Fast));

        Assert.Same(boom, thrown);
        Assert.Equal(new[] { "send good", "send bad" }, stage.Log);
    }

    [Fact]
    public void Reads_with_the_configured_encoding()
    {
        File.WriteAllBytes(_path, Encoding.Latin1.GetBytes("caf\u00e9\n"));
        var take1 = SourcesTests.TakeStage<string>(1);

        Sources.Follow(_path, take1, new FollowOptions { Encoding = Encoding.Latin1 });

        Assert.Equal(new[] { "send caf\u00e9" }, take1.Log);
    }

    [Fact]
    public void A_byte_order_mark_at_the_start_is_skipped()
    {
        File.WriteAllBytes(_path, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("first\nsecond\n")).ToArray());
        var take2 = SourcesTests.TakeStage<string>(2);

        Sources.Follow(_path, take2, Fast);

        Assert.Equal(new[] { "send first", "send second" }, take2.Log);
    }

    [Fact]
    public void A_utf16_file_with_a_byte_order_mark_reads_with_the_configured_encoding()
    {
        File.WriteAllText(_path, "wide\r\nlines\n", Encoding.Unicode); // writes FF FE first
        var take2 = SourcesTests.TakeStage<string>(2);

        Sources.Follow(_path, take2, new FollowOptions { Encoding = Encoding.Unicode });

        Assert.Equal(new[] { "send wide", "send lines" }, take2.Log);
    }

    [Fact]
    public void Lines_longer_than_the_read_buffer_arrive_whole()
    {
        string longLine = string.Concat(Enumerable.Repeat("0123456789\u00e9", 2000)); // > 4096 bytes and chars
        File.WriteAllText(_path, longLine + "\nshort\n");
        var take2 = SourcesTests.TakeStage<string>(2);

        Sources.Follow(_path, take2, Fast);

        Assert.Equal(new[] { "send " + longLine, "send short" }, take2.Log);
    }

    [Fact]
    public void A_multibyte_character_split_across_writes_is_decoded_once_complete()
    {
        using var writer = OpenWriter();
        var follow = StartFollowing();
        var bytes = Encoding.UTF8.GetBytes("\u20ac\n"); // 3 bytes + newline

        writer.Write(bytes, 0, 1);
        writer.Flush();
        Thread.Sleep(50);
        writer.Write(bytes, 1, bytes.Length - 1);
        writer.Flush();

        Assert.Equal("\u20ac", Next());
        Stop(follow);
    }

    [Fact]
    public void Follow_stream_reads_from_the_stream_position_and_leaves_it_open()
    {
        File.WriteAllText(_path, "skip\nkeep 1\nkeep 2\n");
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = "skip\n".Length;
        var take2 = SourcesTests.TakeStage<string>(2);

        long count = Sources.Follow(stream, take2, Fast);

        Assert.Equal(2, count);
        Assert.Equal(new[] { "send keep 1", "send keep 2" }, take2.Log);
        Assert.True(stream.CanRead, "the caller's stream must not be disposed");
    }

    [Fact]
    public void Follow_stream_cancellation_closes_the_target_and_throws_OperationCanceled()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("one\ntwo"));
        var follow = Task.Factory.StartNew(
            () => Sources.Follow(stream, Sink(), Fast, _cts.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Assert.Equal("one", Next());
        Stop(follow);
        Assert.Equal(1, _closes);
        Assert.Empty(_lines);
    }

    [Fact]
    public void Follow_stream_with_an_already_cancelled_token_reads_nothing_closes_the_target_and_throws()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("one\n"));
        _cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Sources.Follow(stream, Sink(), cancellationToken: _cts.Token));

        Assert.Empty(_lines);
        Assert.Equal(1, _closes);
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void Argument_errors_are_reported_before_anything_happens()
    {
        var unreadable = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        unreadable.Dispose();

        Assert.Throws<ArgumentNullException>(() => Sources.Follow((string)null!, Sink()));
        Assert.Throws<ArgumentNullException>(() => Sources.Follow(_path, null!));
        Assert.Throws<ArgumentNullException>(() => Sources.Follow((Stream)null!, Sink()));
        Assert.Throws<ArgumentException>(() => Sources.Follow(unreadable, Sink()));
        Assert.Equal(0, _closes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void PollInterval_must_be_positive(int milliseconds)
    {
        var options = new FollowOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.PollInterval = TimeSpan.FromMilliseconds(milliseconds));
        Assert.Equal(FollowOptions.DefaultPollInterval, options.PollInterval);
    }

    [Fact]
    public void FollowOptions_defaults()
    {
        var options = new FollowOptions();

        Assert.False(options.StartAtEnd);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.PollInterval);
        Assert.Null(options.Encoding);
    }
}
