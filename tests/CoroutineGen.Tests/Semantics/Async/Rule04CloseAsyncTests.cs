using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 4 of docs/semantics.md for async templates (docs/async.md): <c>CloseAsync()</c> raises a
/// <see cref="GeneratorExitException"/> at the suspension point; <c>catch (GeneratorExitException)</c> handlers and
/// <c>finally</c> blocks run and may await (tasks that really yield, and gates the test opens while the close is
/// pending). If it escapes or the body returns, the task completes normally; if the body suspends again (in the
/// handler, in a <c>finally</c>, or after them), it fails with "coroutine ignored GeneratorExit" and the coroutine
/// stays suspended; any other exception fails it. <c>DisposeAsync</c> is <c>CloseAsync</c>, so <c>await using</c>
/// closes. Each test is checked against its Python twin (<c>aclose</c>).
/// </summary>
public static partial class Rule04CloseAsyncTests
{
    // ------------------------------------------------------------------ handlers and finally blocks that await

    [Coroutine]
    internal static async Task Layered(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    log.WriteLine($"got {inbox.Receive()}");
                }
                catch (ValueError)
                {
                    log.WriteLine("inner ValueError handler");
                }
                finally
                {
                    await Task.Yield();
                    log.WriteLine("inner finally");
                }
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("GeneratorExit handler");
            await Task.Yield();
            log.WriteLine("GeneratorExit handler after an await");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("outer finally");
        }

        await Task.Yield();
        log.WriteLine("after the try");
    }

    [Fact]
    public static async Task CloseAsync_unwinds_awaiting_inner_finally_then_the_GeneratorExit_handler_then_outer_finally()
    {
        var trace = new Trace();
        var c = await Layered(trace.Writer);
        await c.SendAsync("a");
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("close again", () => c.CloseAsync());
        await trace.AttemptAsync("send", () => c.SendAsync("b"));

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def layered():
                try:
                    while True:
                        try:
                            print(f"got {(yield)}")
                        except ValueError:
                            print("inner ValueError handler")
                        finally:
                            await asyncio.sleep(0)
                            print("inner finally")
                except GeneratorExit:
                    print("GeneratorExit handler")
                    await asyncio.sleep(0)
                    print("GeneratorExit handler after an await")
                finally:
                    await asyncio.sleep(0)
                    print("outer finally")
                await asyncio.sleep(0)
                print("after the try")
            c = await layered()
            await c.asend("a")
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            await aattempt("close again", lambda: c.aclose())
            await aattempt("send", lambda: c.asend("b"))
            """, trace.Lines);
    }

    [Coroutine]
    internal static async Task SlowCleanup(Inbox<string> inbox, Gate handlerGate, Gate finallyGate, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("handler waits");
            await handlerGate.WaitAsync();
            log.WriteLine("handler done");
            throw;
        }
        finally
        {
            log.WriteLine("finally waits");
            await finallyGate.WaitAsync();
            log.WriteLine("finally done");
        }
    }

    [Fact]
    public static async Task CloseAsync_is_pending_while_the_handler_and_the_finally_block_wait_at_gates()
    {
        var trace = new Trace();
        var handlerGate = new Gate();
        var finallyGate = new Gate();
        var c = await SlowCleanup(handlerGate, finallyGate, trace.Writer);
        await c.SendAsync("a");
        var closing = c.CloseAsync().AsTask();
        await handlerGate.Reached;
        trace.Print($"close completed: {Trace.Format(closing.IsCompleted)}");
        trace.Print(Trace.State(c.State));
        handlerGate.Open();
        await finallyGate.Reached;
        trace.Print($"close completed: {Trace.Format(closing.IsCompleted)}");
        trace.Print(Trace.State(c.State));
        finallyGate.Open();
        await trace.AttemptAsync("close", () => closing);
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def slow_cleanup(handler_gate, finally_gate):
                try:
                    while True: print(f"got {(yield)}")
                except GeneratorExit:
                    print("handler waits")
                    await handler_gate.wait()
                    print("handler done")
                    raise
                finally:
                    print("finally waits")
                    await finally_gate.wait()
                    print("finally done")
            handler_gate = Gate()
            finally_gate = Gate()
            c = await slow_cleanup(handler_gate, finally_gate)
            await c.asend("a")
            closing = asyncio.ensure_future(c.aclose())
            await handler_gate.reached.wait()
            print(f"close completed: {closing.done()}")
            print(astate(c))
            handler_gate.open()
            await finally_gate.reached.wait()
            print(f"close completed: {closing.done()}")
            print(astate(c))
            finally_gate.open()
            await aattempt("close", lambda: closing)
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ the body suspends again: ignored GeneratorExit

#pragma warning disable CORO0007 // these templates suspend again after GeneratorExitException on purpose
    [Coroutine]
    internal static async Task Farewell(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                string command = inbox.Receive();
                log.WriteLine($"command {command}");
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("closing: waiting for a farewell");
            await Task.Yield();
            string farewell = inbox.Receive();
            await Task.Yield();
            log.WriteLine($"farewell {farewell}");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally");
        }
    }

    private const string FarewellTwin = """
        @acoroutine
        async def farewell():
            try:
                while True:
                    command = (yield)
                    print(f"command {command}")
            except GeneratorExit:
                print("closing: waiting for a farewell")
                await asyncio.sleep(0)
                farewell = (yield)
                await asyncio.sleep(0)
                print(f"farewell {farewell}")
            finally:
                await asyncio.sleep(0)
                print("finally")

        """;

    [Fact]
    public static async Task Handler_that_awaits_and_suspends_makes_CloseAsync_fail_and_a_SendAsync_then_finishes_the_handler()
    {
        var trace = new Trace();
        var c = await Farewell(trace.Writer);
        await c.SendAsync("run");
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send bye", () => c.SendAsync("bye"));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(FarewellTwin + """
            c = await farewell()
            await c.asend("run")
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            await aattempt("send bye", lambda: c.asend("bye"))
            print(astate(c))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Handler_that_suspends_is_left_by_a_second_CloseAsync()
    {
        var trace = new Trace();
        var c = await Farewell(trace.Writer);
        await trace.AttemptAsync("close", () => c.CloseAsync());
        await trace.AttemptAsync("second close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(FarewellTwin + """
            c = await farewell()
            await aattempt("close", lambda: pep525_aclose(c))
            await aattempt("second close", lambda: pep525_aclose(c))
            print(astate(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static async Task Flushing(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
        finally
        {
            log.WriteLine("flushing: waiting for an ack");
            await Task.Yield();
            string ack = inbox.Receive();
            log.WriteLine($"ack {ack}");
            await Task.Yield();
        }
    }

    private const string FlushingTwin = """
        @acoroutine
        async def flushing():
            try:
                while True: print(f"got {(yield)}")
            finally:
                print("flushing: waiting for an ack")
                await asyncio.sleep(0)
                ack = (yield)
                print(f"ack {ack}")
                await asyncio.sleep(0)

        """;

    [Fact]
    public static async Task Finally_block_that_suspends_during_CloseAsync_makes_it_fail_and_a_second_CloseAsync_works()
    {
        var trace = new Trace();
        var c = await Flushing(trace.Writer);
        await c.SendAsync("a");
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("second close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(FlushingTwin + """
            c = await flushing()
            await c.asend("a")
            await aattempt("close", lambda: pep525_aclose(c))
            print(astate(c))
            await aattempt("second close", lambda: pep525_aclose(c))
            print(astate(c))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Finally_block_that_suspends_during_CloseAsync_rethrows_GeneratorExit_when_it_completes()
    {
        var trace = new Trace();
        var c = await Flushing(trace.Writer);
        await trace.AttemptAsync("close", () => c.CloseAsync());
        await trace.AttemptAsync("send ok", () => c.SendAsync("ok"));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(FlushingTwin + """
            c = await flushing()
            await aattempt("close", lambda: c.aclose())
            await aattempt("send ok", lambda: c.asend("ok"))
            print(astate(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static async Task Stubborn(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            try
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
            catch (GeneratorExitException)
            {
                await Task.Yield();
                log.WriteLine("not leaving");
            }
        }
    }
#pragma warning restore CORO0007

    [Fact]
    public static async Task Body_that_always_swallows_GeneratorExit_makes_every_CloseAsync_fail()
    {
        var trace = new Trace();
        var c = await Stubborn(trace.Writer);
        await trace.AttemptAsync("close", () => c.CloseAsync());
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));
        await c.SendAsync("still here");

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def stubborn():
                while True:
                    try:
                        print(f"got {(yield)}")
                    except GeneratorExit:
                        await asyncio.sleep(0)
                        print("not leaving")
            c = await stubborn()
            await aattempt("close", lambda: pep525_aclose(c))
            await aattempt("close", lambda: pep525_aclose(c))
            print(astate(c))
            await c.asend("still here")
            """, trace.Lines);
    }

    /// <summary>
    /// After a GeneratorExit the body ignored, CPython's own <c>aclose()</c> and <c>athrow()</c> raise
    /// StopAsyncIteration without resuming the generator (its <c>aclose()</c> marks it closed when it starts), while
    /// <c>asend()</c> still resumes it. CoroutineGen follows PEP 525's definition of <c>aclose()</c> (the prelude's
    /// <c>pep525_aclose</c>, which the other twins here use), that is, the sync rule: a second <c>CloseAsync</c> raises
    /// GeneratorExit there again, and <c>ThrowAsync</c> raises its exception there. This test pins both sides.
    /// </summary>
    [Fact]
    public static async Task After_an_ignored_GeneratorExit_CloseAsync_and_ThrowAsync_resume_the_body_where_CPython_refuses()
    {
        var trace = new Trace();
        var c = await Stubborn(trace.Writer);
        await trace.AttemptAsync("close", () => c.CloseAsync());
        await trace.AttemptAsync("close again", () => c.CloseAsync());
        await trace.AttemptAsync("throw", () => c.ThrowAsync(new ValueError("v")));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send", () => c.SendAsync("still here"));

        var python = PythonTwin.RunAsync("""
            @acoroutine
            async def stubborn():
                while True:
                    try:
                        print(f"got {(yield)}")
                    except GeneratorExit:
                        await asyncio.sleep(0)
                        print("not leaving")
            c = await stubborn()
            await aattempt("close", lambda: c.aclose())
            await aattempt("close again", lambda: c.aclose())
            await aattempt("throw", lambda: c.athrow(ValueError("v")))
            print(astate(c))
            await aattempt("send", lambda: c.asend("still here"))
            """);
        Assert.Equal(
            new[] { "not leaving", "close: RuntimeError: coroutine ignored GeneratorExit", "close again: StopIteration", "throw: StopIteration", "Suspended", "got still here", "send: ok" },
            python);
        Assert.Equal(
            new[] { "not leaving", "close: RuntimeError: coroutine ignored GeneratorExit", "not leaving", "close again: RuntimeError: coroutine ignored GeneratorExit", "throw: ValueError: v", "Closed", "send: StopIteration" },
            trace.Lines);
    }

    // ------------------------------------------------------------------ other exceptions fail CloseAsync

    [Coroutine]
    internal static async Task FailingCleanup(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("flushing");
            await Task.Yield();
            throw new ValueError("flush failed");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static async Task Exception_thrown_by_the_GeneratorExit_handler_after_an_await_fails_CloseAsync()
    {
        var trace = new Trace();
        var c = await FailingCleanup(trace.Writer);
        await c.SendAsync("a");
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("close again", () => c.CloseAsync());
        await trace.AttemptAsync("send", () => c.SendAsync("b"));

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def failing_cleanup():
                try:
                    while True: print(f"got {(yield)}")
                except GeneratorExit:
                    print("flushing")
                    await asyncio.sleep(0)
                    raise ValueError("flush failed")
                finally:
                    await asyncio.sleep(0)
                    print("finally")
            c = await failing_cleanup()
            await c.asend("a")
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            await aattempt("close again", lambda: c.aclose())
            await aattempt("send", lambda: c.asend("b"))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ finished: CloseAsync does nothing; DisposeAsync is CloseAsync

    [Coroutine]
    internal static async Task Printer(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine(inbox.Receive());
        }
        catch (GeneratorExitException)
        {
            await Task.Yield();
            log.WriteLine("Going away. Goodbye");
        }
    }

    [Fact]
    public static async Task DisposeAsync_closes_the_coroutine_so_await_using_runs_its_cleanup_and_closing_twice_does_nothing()
    {
        var trace = new Trace();
        PrinterCoroutine kept;
        await using (var c = await Printer(trace.Writer))
        {
            await c.SendAsync("inside await using");
            kept = c;
        }

        trace.Print(Trace.State(kept.State));
        await trace.AttemptAsync("close", () => kept.CloseAsync());
        await trace.AttemptAsync("dispose", () => kept.DisposeAsync());
        await trace.AttemptAsync("send", () => kept.SendAsync("late"));
        trace.Print(Trace.State(kept.State));

        PythonTwin.AssertSameAsyncTrace("""
            from contextlib import aclosing
            @acoroutine
            async def printer():
                try:
                    while True: print((yield))
                except GeneratorExit:
                    await asyncio.sleep(0)
                    print("Going away. Goodbye")
            async with aclosing(await printer()) as c:
                await c.asend("inside await using")
                kept = c
            print(astate(kept))
            await aattempt("close", lambda: kept.aclose())
            await aattempt("dispose", lambda: kept.aclose())
            await aattempt("send", lambda: kept.asend("late"))
            print(astate(kept))
            """, trace.Lines);
    }
}
