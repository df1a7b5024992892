using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 7 of docs/semantics.md for async templates (docs/async.md): <c>return;</c> finishes the coroutine, after the
/// <c>finally</c> blocks (which may await), and the call that finished it fails with
/// <see cref="StopIterationException"/>; those tests are checked against their Python twins. An <c>async Task&lt;R&gt;</c>
/// (or <c>ValueTask&lt;R&gt;</c>) template returns a value with <c>return r;</c>: <c>Result</c> and
/// <see cref="StopIterationException.Value"/> hold it. Python's asynchronous generators cannot return a value
/// (<c>return r</c> in one is a SyntaxError), so those tests have no twin: they assert the C# behaviour directly,
/// as the sync rule says it.
/// </summary>
public static partial class Rule07ReturnAsyncTests
{
    // ------------------------------------------------------------------ return; (twins)

    [Coroutine]
    internal static async Task Grid(Inbox<int> inbox, int size, TextWriter log)
    {
        try
        {
            for (int row = 0; row < size; row++)
            {
                try
                {
                    for (int column = 0; column < size; column++)
                    {
                        int x = inbox.Receive();
                        await Task.Yield();
                        if (x == 9) return;
                        log.WriteLine($"({row},{column}) = {x}");
                    }
                }
                finally
                {
                    await Task.Yield();
                    log.WriteLine($"row {row} finally");
                }
            }

            log.WriteLine("grid complete");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("outer finally");
        }
    }

    private const string GridTwin = """
        @acoroutine
        async def grid(size):
            try:
                for row in range(size):
                    try:
                        for column in range(size):
                            x = (yield)
                            await asyncio.sleep(0)
                            if x == 9: return
                            print(f"({row},{column}) = {x}")
                    finally:
                        await asyncio.sleep(0)
                        print(f"row {row} finally")
                print("grid complete")
            finally:
                await asyncio.sleep(0)
                print("outer finally")

        """;

    [Fact]
    public static async Task Return_from_nested_loops_awaits_every_finally_block_before_StopIteration()
    {
        var trace = new Trace();
        var c = await Grid(2, trace.Writer);
        await c.SendAsync(1);
        await c.SendAsync(2);
        await c.SendAsync(3);
        await trace.AttemptAsync("send 9", () => c.SendAsync(9));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send 1", () => c.SendAsync(1));

        PythonTwin.AssertSameAsyncTrace(GridTwin + """
            c = await grid(2)
            await c.asend(1)
            await c.asend(2)
            await c.asend(3)
            await aattempt("send 9", lambda: c.asend(9))
            print(astate(c))
            await aattempt("send 1", lambda: c.asend(1))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Falling_off_the_end_after_the_loops_is_a_return_too()
    {
        var trace = new Trace();
        var c = await Grid(1, trace.Writer);
        await trace.AttemptAsync("send 4", () => c.SendAsync(4));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(GridTwin + """
            c = await grid(1)
            await aattempt("send 4", lambda: c.asend(4))
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ return r; (C# only: no twin)

    [Coroutine]
    internal static async Task<int> Summer(Inbox<int> inbox, TextWriter log)
    {
        int total = 0;
        while (true)
        {
            int x = inbox.Receive();
            await Task.Yield();
            if (x == 0) break;
            total += x;
            log.WriteLine($"running total {total}");
        }

        return total;
    }

    [Fact]
    public static async Task Returned_value_is_in_StopIteration_Value_and_in_Result()
    {
        var c = await Summer(TextWriter.Null);
        IAsyncReturningCoroutine<int, int> asInterface = c;
        Assert.Equal(0, asInterface.Result);
        await c.SendAsync(3);
        await c.SendAsync(4);
        var stop = await Assert.ThrowsAsync<StopIterationException>(async () => await c.SendAsync(0));
        Assert.Equal(7, stop.Value);
        Assert.Equal(7, c.Result);
        Assert.Equal(CoroutineState.Closed, c.State);

        var again = await Assert.ThrowsAsync<StopIterationException>(async () => await c.SendAsync(1));
        Assert.Null(again.Value);
        Assert.Equal(7, c.Result);
    }

    [Coroutine]
    internal static async ValueTask<List<string>> Collect(Inbox<string> inbox, List<string> into)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                if (item == "end") return into;
                into.Add(item);
            }
        }
        catch (GeneratorExitException)
        {
            await Task.Yield();
            into.Add("closed");
            return into;
        }
    }

    [Fact]
    public static async Task ValueTask_R_template_returns_the_same_object_in_Value_and_Result_and_from_the_GeneratorExit_handler()
    {
        var bag = new List<string>();
        var c = await Collect(bag);
        await c.SendAsync("x");
        var stop = await Assert.ThrowsAsync<StopIterationException>(async () => await c.SendAsync("end"));
        Assert.Same(bag, stop.Value);
        Assert.Same(bag, c.Result);
        Assert.Equal(new[] { "x" }, bag);

        var other = new List<string>();
        var d = await Collect(other);
        await d.SendAsync("y");
        await d.CloseAsync();
        Assert.Equal(CoroutineState.Closed, d.State);
        Assert.Same(other, d.Result);
        Assert.Equal(new[] { "y", "closed" }, other);
    }

    [Coroutine]
    internal static async Task<int> CountUntilError(Inbox<string> inbox)
    {
        int count = 0;
        while (true)
        {
            try
            {
                inbox.Receive();
                count++;
            }
            catch (ValueError)
            {
                await Task.Yield();
                return count;
            }
        }
    }

    [Fact]
    public static async Task Return_with_a_value_from_a_handler_makes_ThrowAsync_fail_with_StopIteration_carrying_it()
    {
        var c = await CountUntilError();
        await c.SendAsync("a");
        await c.SendAsync("b");
        var stop = await Assert.ThrowsAsync<StopIterationException>(async () => await c.ThrowAsync(new ValueError("end of stream")));
        Assert.Equal(2, stop.Value);
        Assert.Equal(2, c.Result);
    }

    [Coroutine]
    internal static async Task<int> Counted(Inbox<string> inbox, TextWriter log)
    {
        int count = 0;
        try
        {
            while (true)
            {
                string line = inbox.Receive();
                if (line == "done") return count;
                count++;
            }
        }
        finally
        {
            await Task.Yield();
            log.WriteLine($"finally sees count {count}");
            count = -1;
        }
    }

    [Fact]
    public static async Task Returned_value_is_taken_before_the_finally_blocks_run_and_await()
    {
        var trace = new Trace();
        var c = await Counted(trace.Writer);
        await c.SendAsync("a");
        await c.SendAsync("b");
        var stop = await Assert.ThrowsAsync<StopIterationException>(async () => await c.SendAsync("done"));
        Assert.Equal(2, stop.Value);
        Assert.Equal(2, c.Result);
        Assert.Equal(new[] { "finally sees count 2" }, trace.Lines);
    }

    [Coroutine]
    internal static async Task<string> Early(Inbox<string> inbox, bool skip)
    {
        await Task.Yield();
        if (skip) return "skipped while priming";
        return inbox.Receive();
    }

    [Fact]
    public static async Task A_Task_R_body_that_returns_while_priming_gives_a_closed_coroutine_holding_the_result()
    {
        var skipped = await Early(true);
        Assert.Equal(CoroutineState.Closed, skipped.State);
        Assert.Equal("skipped while priming", skipped.Result);
        var stop = await Assert.ThrowsAsync<StopIterationException>(async () => await skipped.SendAsync("x"));
        Assert.Null(stop.Value);

        var waiting = await Early(false);
        Assert.Null(waiting.Result);
        var done = await Assert.ThrowsAsync<StopIterationException>(async () => await waiting.SendAsync("received"));
        Assert.Equal("received", done.Value);
        Assert.Equal("received", waiting.Result);
    }
}
