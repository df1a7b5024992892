using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 2 of docs/semantics.md for async templates (docs/async.md): <c>SendAsync(v)</c> resumes the body where
/// <c>Receive()</c> returns <c>v</c> and its task completes when the body, awaits included, reaches the next
/// suspension point; it fails with <see cref="StopIterationException"/> when the body finishes (after its
/// <c>finally</c> blocks, which may await) or on a finished coroutine, and with the very exception that escapes the
/// body otherwise, which finishes the coroutine. The awaits here are of completed tasks (<see cref="Done"/>, Python's
/// <c>await done()</c>, which does not suspend) and of tasks that really yield (<see cref="Task.Yield"/>, Python's
/// <c>await asyncio.sleep(0)</c>), before, after and between receives, inside <c>try</c>/<c>catch</c>/<c>finally</c>.
/// Each test is checked against its Python twin, an asynchronous generator driven by <c>asend</c>.
/// </summary>
public static partial class Rule02SendAsyncTests
{
    /// <summary>An awaitable that is already complete: awaiting it does not suspend.</summary>
    internal static ValueTask Done(TextWriter log, string where)
    {
        log.WriteLine($"done {where}");
        return ValueTask.CompletedTask;
    }

    private const string DoneTwin = """
        async def done(where):
            print(f"done {where}")

        """;

    // ------------------------------------------------------------------ awaits between receives

    [Coroutine]
    internal static async Task Relay(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            await Done(log, "before receive");
            string item = inbox.Receive();
            log.WriteLine($"received {item}");
            await Task.Yield();
            log.WriteLine($"after a yield, {item}");
            await Done(log, "after the yield");
        }
    }

    [Fact]
    public static async Task SendAsync_resumes_with_the_value_and_runs_every_await_to_the_next_receive()
    {
        var trace = new Trace();
        var c = await Relay(trace.Writer);
        await c.SendAsync("a");
        trace.Print(Trace.State(c.State));
        await c.SendAsync("b");
        await c.CloseAsync();
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(DoneTwin + """
            @acoroutine
            async def relay():
                while True:
                    await done("before receive")
                    item = (yield)
                    print(f"received {item}")
                    await asyncio.sleep(0)
                    print(f"after a yield, {item}")
                    await done("after the yield")
            c = await relay()
            await c.asend("a")
            print(astate(c))
            await c.asend("b")
            await c.aclose()
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ receives in try/catch/finally, awaits around them

    [Coroutine]
    internal static async Task Guarded(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            try
            {
                await Done(log, "try");
                string item = inbox.Receive();
                await Task.Yield();
                log.WriteLine($"try got {item}");
                if (item == "bad") throw new ValueError(item);
                if (item == "worse") throw new TypeError(item);
            }
            catch (ValueError e)
            {
                await Task.Yield();
                log.WriteLine($"catch {e.Message}");
                string again = inbox.Receive();
                await Done(log, "catch");
                log.WriteLine($"catch got {again}");
            }
            finally
            {
                await Task.Yield();
                log.WriteLine("finally");
                string last = inbox.Receive();
                await Task.Yield();
                log.WriteLine($"finally got {last}");
            }
        }
    }

    private const string GuardedTwin = DoneTwin + """
        @acoroutine
        async def guarded():
            while True:
                try:
                    await done("try")
                    item = (yield)
                    await asyncio.sleep(0)
                    print(f"try got {item}")
                    if item == "bad": raise ValueError(item)
                    if item == "worse": raise TypeError(item)
                except ValueError as e:
                    await asyncio.sleep(0)
                    print(f"catch {e}")
                    again = (yield)
                    await done("catch")
                    print(f"catch got {again}")
                finally:
                    await asyncio.sleep(0)
                    print("finally")
                    last = (yield)
                    await asyncio.sleep(0)
                    print(f"finally got {last}")

        """;

    [Fact]
    public static async Task SendAsync_resumes_receives_in_try_catch_and_finally_blocks_with_awaits_around_them()
    {
        var trace = new Trace();
        var c = await Guarded(trace.Writer);
        await trace.AttemptAsync("send ok", () => c.SendAsync("ok"));
        await trace.AttemptAsync("send 1", () => c.SendAsync("1"));
        await trace.AttemptAsync("send bad", () => c.SendAsync("bad"));
        await trace.AttemptAsync("send 2", () => c.SendAsync("2"));
        await trace.AttemptAsync("send 3", () => c.SendAsync("3"));
        await trace.AttemptAsync("send worse", () => c.SendAsync("worse"));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send 4", () => c.SendAsync("4"));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(GuardedTwin + """
            c = await guarded()
            await aattempt("send ok", lambda: c.asend("ok"))
            await aattempt("send 1", lambda: c.asend("1"))
            await aattempt("send bad", lambda: c.asend("bad"))
            await aattempt("send 2", lambda: c.asend("2"))
            await aattempt("send 3", lambda: c.asend("3"))
            await aattempt("send worse", lambda: c.asend("worse"))
            print(astate(c))
            await aattempt("send 4", lambda: c.asend("4"))
            print(astate(c))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Close_while_parked_in_a_catch_or_a_finally_between_awaits()
    {
        var trace = new Trace();
        var c = await Guarded(trace.Writer);
        await c.SendAsync("bad");
        await trace.AttemptAsync("close in catch", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));
        var d = await Guarded(trace.Writer);
        await d.SendAsync("ok");
        await trace.AttemptAsync("close in finally", () => d.CloseAsync());
        trace.Print(Trace.State(d.State));

        PythonTwin.AssertSameAsyncTrace(GuardedTwin + """
            c = await guarded()
            await c.asend("bad")
            await aattempt("close in catch", lambda: c.aclose())
            print(astate(c))
            d = await guarded()
            await d.asend("ok")
            await aattempt("close in finally", lambda: d.aclose())
            print(astate(d))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ finishing during SendAsync, and after

    [Coroutine]
    internal static async Task UntilEmpty(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                string line = inbox.Receive();
                await Task.Yield();
                if (line.Length == 0) break;
                log.WriteLine($"line: {line}");
            }

            log.WriteLine("end of input");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally");
        }
    }

    private const string UntilEmptyTwin = """
        @acoroutine
        async def until_empty():
            try:
                while True:
                    line = (yield)
                    await asyncio.sleep(0)
                    if len(line) == 0: break
                    print(f"line: {line}")
                print("end of input")
            finally:
                await asyncio.sleep(0)
                print("finally")

        """;

    [Fact]
    public static async Task Body_that_finishes_during_SendAsync_fails_it_with_StopIteration_after_awaiting_finally_blocks()
    {
        var trace = new Trace();
        var c = await UntilEmpty(trace.Writer);
        await trace.AttemptAsync("send x", () => c.SendAsync("x"));
        await trace.AttemptAsync("send empty", () => c.SendAsync(""));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send again", () => c.SendAsync("late"));
        await trace.AttemptAsync("and again", () => c.SendAsync(""));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(UntilEmptyTwin + """
            c = await until_empty()
            await aattempt("send x", lambda: c.asend("x"))
            await aattempt("send empty", lambda: c.asend(""))
            print(astate(c))
            await aattempt("send again", lambda: c.asend("late"))
            await aattempt("and again", lambda: c.asend(""))
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ exceptions escaping the body

    [Coroutine]
    internal static async Task Apply(Inbox<int> inbox, Func<int, Task> action, TextWriter log)
    {
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                await action(x);
                log.WriteLine($"applied {x}");
            }
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static async Task Exception_escaping_the_body_after_an_await_fails_SendAsync_with_it_unchanged_and_finishes_it()
    {
        var trace = new Trace();
        var boom = new ValueError("boom");
        var c = await Apply(
            async x =>
            {
                await Task.Yield();
                if (x == 2) throw boom;
            },
            trace.Writer);
        await c.SendAsync(1);
        try
        {
            await c.SendAsync(2);
            trace.Print("send 2: ok");
        }
        catch (Exception e)
        {
            trace.Print($"send 2: {Trace.Describe(e)}");
            trace.Print($"same object: {Trace.Format(ReferenceEquals(e, boom))}");
        }

        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send 3", () => c.SendAsync(3));
        await trace.AttemptAsync("close", () => c.CloseAsync());

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def apply(action):
                try:
                    while True:
                        x = (yield)
                        await action(x)
                        print(f"applied {x}")
                finally:
                    await asyncio.sleep(0)
                    print("finally")
            boom = ValueError("boom")
            async def action(x):
                await asyncio.sleep(0)
                if x == 2: raise boom
            c = await apply(action)
            await c.asend(1)
            try:
                await c.asend(2)
                print("send 2: ok")
            except Exception as e:
                print(f"send 2: {describe(e)}")
                print(f"same object: {e is boom}")
            print(astate(c))
            await aattempt("send 3", lambda: c.asend(3))
            await aattempt("close", lambda: c.aclose())
            """, trace.Lines);
    }

    [Coroutine]
    internal static async Task CleanupWaits(Inbox<int> inbox, TextWriter log)
    {
        try
        {
            int x = inbox.Receive();
            await Task.Yield();
            if (x < 0) throw new ValueError($"negative {x}");
            log.WriteLine($"got {x}");
        }
        finally
        {
            log.WriteLine("cleanup waits");
            await Task.Yield();
            int y = inbox.Receive();
            await Task.Yield();
            log.WriteLine($"cleanup done with {y}");
        }

        log.WriteLine("after the try");
        inbox.Receive();
    }

    [Fact]
    public static async Task Exception_pending_in_a_finally_that_awaits_and_receives_fails_the_SendAsync_that_completes_it()
    {
        var trace = new Trace();
        var c = await CleanupWaits(trace.Writer);
        await trace.AttemptAsync("send -1", () => c.SendAsync(-1));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send 2", () => c.SendAsync(2));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def cleanup_waits():
                try:
                    x = (yield)
                    await asyncio.sleep(0)
                    if x < 0: raise ValueError(f"negative {x}")
                    print(f"got {x}")
                finally:
                    print("cleanup waits")
                    await asyncio.sleep(0)
                    y = (yield)
                    await asyncio.sleep(0)
                    print(f"cleanup done with {y}")
                print("after the try")
                yield
            c = await cleanup_waits()
            await aattempt("send -1", lambda: c.asend(-1))
            print(astate(c))
            await aattempt("send 2", lambda: c.asend(2))
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ pipelines of async stages

    [Coroutine]
    internal static async Task Stage(Inbox<string> inbox, string name, IAsyncCoroutine<string> target, TextWriter log)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                log.WriteLine($"{name} got {item}");
                await Task.Yield();
                await target.SendAsync($"{item}>{name}");
                log.WriteLine($"{name} sent {item}");
            }
        }
        finally
        {
            log.WriteLine($"{name} finally");
            await target.CloseAsync();
        }
    }

    [Coroutine]
    internal static async Task Sink(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                if (item.StartsWith("fail", StringComparison.Ordinal)) throw new ValueError(item);
                await Task.Yield();
                log.WriteLine($"sink got {item}");
            }
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("sink finally");
        }
    }

    [Fact]
    public static async Task SendAsync_through_a_pipeline_of_async_stages_and_an_exception_from_downstream_unwinds_each()
    {
        var trace = new Trace();
        var sink = await Sink(trace.Writer);
        var second = await Stage("b", sink, trace.Writer);
        var first = await Stage("a", second, trace.Writer);
        await first.SendAsync("x");
        await trace.AttemptAsync("send fail", () => first.SendAsync("fail"));
        trace.Print($"{Trace.State(first.State)} {Trace.State(second.State)} {Trace.State(sink.State)}");

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def stage(name, target):
                try:
                    while True:
                        item = (yield)
                        print(f"{name} got {item}")
                        await asyncio.sleep(0)
                        await target.asend(f"{item}>{name}")
                        print(f"{name} sent {item}")
                finally:
                    print(f"{name} finally")
                    await target.aclose()
            @acoroutine
            async def sink():
                try:
                    while True:
                        item = (yield)
                        if item.startswith("fail"): raise ValueError(item)
                        await asyncio.sleep(0)
                        print(f"sink got {item}")
                finally:
                    await asyncio.sleep(0)
                    print("sink finally")
            s = await sink()
            second = await stage("b", s)
            first = await stage("a", second)
            await first.asend("x")
            await aattempt("send fail", lambda: first.asend("fail"))
            print(f"{astate(first)} {astate(second)} {astate(s)}")
            """, trace.Lines);
    }
}
