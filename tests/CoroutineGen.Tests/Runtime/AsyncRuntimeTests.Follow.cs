using System.Text;

namespace CoroutineGen.Tests.Runtime;

/// <summary>Sources.FollowAsync: <c>tail -f</c> with asynchronous reads and waits.</summary>
public sealed partial class AsyncRuntimeTests
{
    private static readonly FollowOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(10) };

    private string TempFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coroutinegen-async-{Guid.NewGuid():N}.log");
        _files.Add(path);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Appends as a logging program does, sharing the file with the reader.</summary>
    private static void Append(string path, string text)
    {
        using var writer = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write(bytes);
    }

    [Fact]
    public async Task FollowAsync_sends_the_lines_of_a_growing_file_as_they_are_completed_until_cancelled()
    {
        var path = TempFile("one\ntwo\n");
        var target = new AsyncRecorder<string>();
        using var cts = new CancellationTokenSource();

        var run = Sources.FollowAsync(path, target, Fast, cts.Token);
        await target.Received(2).WaitAsync(Patience);
        Append(path, "three\r\npar");
        await target.Received(3).WaitAsync(Patience);
        Append(path, "tial\nhalf a line");
        await target.Received(4).WaitAsync(Patience);
        Assert.False(run.IsCompleted); // following: it only stops when cancelled
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(TaskStatus.Canceled, run.Status);
        Assert.Equal(["one", "two", "three", "partial"], target.Values); // the half line without its \n is dropped
        Assert.Equal("close", target.Events[^1]);
        Assert.All(target.Tokens, token => Assert.Equal(cts.Token, token));
    }

    [Fact]
    public async Task FollowAsync_with_StartAtEnd_sends_only_what_is_appended_after_the_call()
    {
        var path = TempFile("old 1\nold 2\n");
        var target = new AsyncRecorder<string>();
        using var cts = new CancellationTokenSource();

        var run = Sources.FollowAsync(path, target, new FollowOptions { StartAtEnd = true, PollInterval = TimeSpan.FromMilliseconds(10) }, cts.Token);
        Append(path, "new\n"); // the file was opened, and its end taken, before FollowAsync returned
        await target.Received(1).WaitAsync(Patience);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(["new"], target.Values);
    }

    [Fact]
    public async Task FollowAsync_returns_the_count_when_the_target_finishes()
    {
        var path = TempFile("a\nb\nc\n");
        var target = new AsyncRecorder<string>(finishAfter: 2);

        long count = await Sources.FollowAsync(path, target, Fast).WaitAsync(Patience);

        Assert.Equal(2, count);
        Assert.Equal(["a", "b"], target.Values);
    }

    [Fact]
    public async Task FollowAsync_reads_a_truncated_file_again_from_its_start()
    {
        var path = TempFile("first line\nsecond line\n");
        var target = new AsyncRecorder<string>();
        using var cts = new CancellationTokenSource();

        var run = Sources.FollowAsync(path, target, Fast, cts.Token);
        await target.Received(2).WaitAsync(Patience);
        using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            truncate.SetLength(0);
            truncate.Write("x\n"u8);   // shorter than what was read: the follower sees the file shrink
        }

        await target.Received(3).WaitAsync(Patience);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(["first line", "second line", "x"], target.Values);
    }

    [Fact]
    public async Task FollowAsync_of_a_missing_file_closes_the_target_and_fails_the_task()
    {
        var target = new AsyncRecorder<string>();
        var missing = Path.Combine(Path.GetTempPath(), $"coroutinegen-missing-{Guid.NewGuid():N}.log");

        var run = Sources.FollowAsync(missing, target, Fast); // not thrown: reported through the task

        await Assert.ThrowsAsync<FileNotFoundException>(() => run.WaitAsync(Patience));
        Assert.Equal(["close"], target.Events);
    }

    [Fact]
    public async Task FollowAsync_of_a_stream_returns_while_it_polls_and_decodes_a_character_split_between_two_reads()
    {
        var stream = new ScriptedStream();
        var e = Encoding.UTF8.GetBytes("é"); // two bytes
        stream.Add([.. "caf"u8, e[0]]);
        var target = new AsyncRecorder<string>();
        using var cts = new CancellationTokenSource();

        // On a thread of its own, so that a FollowAsync that blocked its caller would fail the test instead of hanging it.
        var run = await Task.Factory.StartNew(
            () => Sources.FollowAsync(stream, target, Fast, cts.Token), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default)
            .WaitAsync(Patience);
        Assert.False(run.IsCompleted);
        stream.Add([e[1], .. "\nnext\n"u8]);
        await target.Received(2).WaitAsync(Patience);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(["café", "next"], target.Values);
        Assert.Equal("close", target.Events[^1]);
    }

    [Fact]
    public async Task FollowAsync_of_a_stream_skips_a_byte_order_mark_at_its_start()
    {
        var stream = new ScriptedStream();
        stream.Add([.. Encoding.UTF8.GetPreamble(), .. "a\n"u8]);
        var target = new AsyncRecorder<string>(finishAfter: 1);

        Assert.Equal(1, await Sources.FollowAsync(stream, target, Fast).WaitAsync(Patience));
        Assert.Equal(["a"], target.Values);
    }

    [Fact]
    public async Task FollowAsync_of_a_reader_sends_complete_lines_as_the_text_grows_and_drops_the_partial_one_when_cancelled()
    {
        var reader = new GrowingReader();
        reader.Append("one\ntw");
        var target = new AsyncRecorder<string>();
        using var cts = new CancellationTokenSource();

        var run = Sources.FollowAsync(reader, target, Fast, cts.Token);
        await target.Received(1).WaitAsync(Patience);
        reader.Append("o\r\nthr");
        await target.Received(2).WaitAsync(Patience);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(TaskStatus.Canceled, run.Status);
        Assert.Equal(["one", "two"], target.Values);
        Assert.Equal(["send one", "send two", "close"], target.Events);
    }

    [Fact]
    public void FollowAsync_checks_its_arguments_synchronously()
    {
        var target = new AsyncRecorder<string>();

        ThrowsSynchronously<ArgumentNullException>("path", () => Sources.FollowAsync((string)null!, target));
        ThrowsSynchronously<ArgumentNullException>("target", () => Sources.FollowAsync("x.log", null!));
        ThrowsSynchronously<ArgumentNullException>("stream", () => Sources.FollowAsync((Stream)null!, target));
        ThrowsSynchronously<ArgumentNullException>("target", () => Sources.FollowAsync(new MemoryStream(), null!));
        ThrowsSynchronously<ArgumentException>("stream", () => Sources.FollowAsync(new WriteOnlyStream(), target));
        ThrowsSynchronously<ArgumentNullException>("reader", () => Sources.FollowAsync((TextReader)null!, target));
        ThrowsSynchronously<ArgumentNullException>("target", () => Sources.FollowAsync(new StringReader(""), null!));
        Assert.Empty(target.Events);
    }
}
