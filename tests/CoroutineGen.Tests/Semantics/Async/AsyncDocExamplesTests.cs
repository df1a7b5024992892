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
            await output.FlushAsync();
        }
    }

    [Fact]
    public static async Task The_printer_writes_each_line_and_closes()
    {
        var output = new StringWriter();
        using var cts = new CancellationTokenSource();
        var printer = await Printer(output);
        await printer.SendAsync("hello", cts.Token);
        await printer.CloseAsync();
        Assert.Equal(CoroutineState.Closed, printer.State);

        await using (var other = await Printer(output))
        {
            await other.SendAsync("again");
            await Assert.ThrowsAsync<TimeoutException>(async () => await other.ThrowAsync(new TimeoutException()));
            Assert.Equal(CoroutineState.Closed, other.State);
        }

        Assert.Equal($"hello{Environment.NewLine}again{Environment.NewLine}", output.ToString());
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
