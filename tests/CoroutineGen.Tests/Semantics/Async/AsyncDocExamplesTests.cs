namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>The examples of docs/async.md, run: they compile and do what the page says.</summary>
public static partial class AsyncDocExamplesTests
{
    [Coroutine]
    internal static async Task Printer(Inbox<string> inbox, TextWriter output)
    {
        try
        {
            while (true)
            {
                var line = inbox.Receive();
                await output.WriteLineAsync(line.AsMemory(), inbox.CancellationToken);
            }
        }
        catch (GeneratorExitException)
        {
            await output.WriteLineAsync("Going away. Goodbye");
        }
        finally
        {
            await output.FlushAsync();
        }
    }

    /// <summary>A writer that records its flushes and honours the token of its writes (StringWriter ignores it).</summary>
    private sealed class FlushRecorder : StringWriter
    {
        public int Flushes { get; private set; }

        public override Task FlushAsync()
        {
            Flushes++;
            return Task.CompletedTask;
        }

        public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
            cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : base.WriteLineAsync(buffer, cancellationToken);
    }

    [Fact]
    public static async Task The_printer_writes_each_line_and_closes()
    {
        var output = new FlushRecorder();
        using var cts = new CancellationTokenSource();
        var printer = await Printer(output);
        await printer.SendAsync("hello", cts.Token);
        await printer.CloseAsync();
        Assert.Equal(CoroutineState.Closed, printer.State);
        Assert.Equal(1, output.Flushes);

        await using (var other = await Printer(output))
        {
            await other.SendAsync("again");
            await Assert.ThrowsAsync<TimeoutException>(async () => await other.ThrowAsync(new TimeoutException()));
            Assert.Equal(CoroutineState.Closed, other.State);
        }

        Assert.Equal(2, output.Flushes);
        Assert.Equal($"hello{Environment.NewLine}Going away. Goodbye{Environment.NewLine}again{Environment.NewLine}", output.ToString());
    }

    [Fact]
    public static async Task The_printer_flushes_when_a_cancelled_write_ends_it_and_says_goodbye_only_when_closed()
    {
        // The advice next to the example: a cancelled await ends the body without a GeneratorExit, so the flush is in
        // finally; the handler's goodbye is for a proper close.
        var output = new FlushRecorder();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var printer = await Printer(output);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await printer.SendAsync("lost", cancelled.Token));
        Assert.Equal(CoroutineState.Closed, printer.State);
        Assert.Equal(1, output.Flushes);
        await printer.CloseAsync();                  // finished already: nothing runs
        Assert.Equal(1, output.Flushes);
        Assert.Equal(string.Empty, output.ToString());
    }

    [Coroutine]
    internal static async Task<int> Averager(Inbox<double, double> inbox, Func<double, CancellationToken, Task> record)
    {
        double total = 0, average = 0;
        int count = 0;
        while (true)
        {
            double value = inbox.Yield(average);
            if (double.IsNaN(value)) return count;
            await record(value, inbox.CancellationToken);
            total += value;
            average = total / ++count;
        }
    }

    [Fact]
    public static async Task The_averager_yields_the_running_average_and_returns_the_count()
    {
        var saved = new List<double>();
        var a = await Averager(async (value, token) =>
        {
            await Task.Yield();
            saved.Add(value);
        });
        Assert.Equal(0, a.Current);
        Assert.Equal(10, await a.SendAsync(10));
        Assert.Equal(15, await a.SendAsync(20));
        var stop = await Assert.ThrowsAsync<StopIterationException>(async () => await a.SendAsync(double.NaN));
        Assert.Equal(2, stop.Value);
        Assert.Equal(2, a.Result);
        Assert.Equal(new[] { 10.0, 20.0 }, saved);
    }
}
