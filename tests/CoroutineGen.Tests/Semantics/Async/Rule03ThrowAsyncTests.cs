using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 3 of docs/semantics.md for async templates (docs/async.md): <c>ThrowAsync(e)</c> raises <c>e</c> at the
/// suspension point; the handlers that catch it may await. Caught and suspended again: the task completes normally;
/// caught and finished: it fails with <see cref="StopIterationException"/>; uncaught: it fails with <c>e</c> itself
/// and the coroutine is finished. Each test is checked against its Python twin (<c>athrow</c>), except the two
/// marked otherwise: <c>ThrowAsync</c> on a finished coroutine, where CPython's <c>athrow</c> differs from its sync
/// <c>throw</c> and CoroutineGen keeps the sync rule, and the null argument.
/// </summary>
public static partial class Rule03ThrowAsyncTests
{
    // ------------------------------------------------------------------ caught, then suspended again

    [Coroutine]
    internal static async Task Tolerant(Inbox<int> inbox, Action<Exception> seen, TextWriter log)
    {
        while (true)
        {
            try
            {
                int x = inbox.Receive();
                await Task.Yield();
                log.WriteLine($"got {x}");
            }
            catch (ValueError e)
            {
                seen(e);
                await Task.Yield();
                log.WriteLine($"handled {e.Message}");
            }
            finally
            {
                await Task.Yield();
                log.WriteLine("finally");
            }
        }
    }

    private const string TolerantTwin = """
        @acoroutine
        async def tolerant(seen):
            while True:
                try:
                    x = (yield)
                    await asyncio.sleep(0)
                    print(f"got {x}")
                except ValueError as e:
                    seen(e)
                    await asyncio.sleep(0)
                    print(f"handled {e}")
                finally:
                    await asyncio.sleep(0)
                    print("finally")

        """;

    [Fact]
    public static async Task ThrowAsync_caught_by_a_handler_that_awaits_and_suspends_again_completes_normally()
    {
        var trace = new Trace();
        var injected = new ValueError("bad input");
        var c = await Tolerant(e => trace.Print($"same object: {Trace.Format(ReferenceEquals(e, injected))}"), trace.Writer);
        await c.SendAsync(1);
        await trace.AttemptAsync("throw", () => c.ThrowAsync(injected));
        trace.Print(Trace.State(c.State));
        await c.SendAsync(2);
        await c.CloseAsync();
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(TolerantTwin + """
            injected = ValueError("bad input")
            c = await tolerant(lambda e: print(f"same object: {e is injected}"))
            await c.asend(1)
            await aattempt("throw", lambda: c.athrow(injected))
            print(astate(c))
            await c.asend(2)
            await c.aclose()
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ raised where the body is parked

    [Coroutine]
    internal static async Task Stages(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            try
            {
                await Task.Yield();
                log.WriteLine($"first got {inbox.Receive()}");
            }
            catch (ValueError e)
            {
                log.WriteLine($"first handler: {e.Message}");
            }

            await Task.Yield();
            try
            {
                log.WriteLine($"second got {inbox.Receive()}");
                await Task.Yield();
            }
            catch (ValueError e)
            {
                await Task.Yield();
                log.WriteLine($"second handler: {e.Message}");
            }
        }
    }

    [Fact]
    public static async Task ThrowAsync_is_raised_at_the_current_suspension_point()
    {
        var trace = new Trace();
        var c = await Stages(trace.Writer);
        await c.ThrowAsync(new ValueError("at the first"));
        await c.ThrowAsync(new ValueError("at the second"));
        await c.SendAsync("a");
        await c.ThrowAsync(new ValueError("at the second again"));
        await c.CloseAsync();

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def stages():
                while True:
                    try:
                        await asyncio.sleep(0)
                        print(f"first got {(yield)}")
                    except ValueError as e:
                        print(f"first handler: {e}")
                    await asyncio.sleep(0)
                    try:
                        print(f"second got {(yield)}")
                        await asyncio.sleep(0)
                    except ValueError as e:
                        await asyncio.sleep(0)
                        print(f"second handler: {e}")
            c = await stages()
            await c.athrow(ValueError("at the first"))
            await c.athrow(ValueError("at the second"))
            await c.asend("a")
            await c.athrow(ValueError("at the second again"))
            await c.aclose()
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ caught, then finished; not caught

    [Coroutine]
    internal static async Task StopsOnError(Inbox<int> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                log.WriteLine($"got {x}");
            }
        }
        catch (ValueError e)
        {
            await Task.Yield();
            log.WriteLine($"stopping: {e.Message}");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally");
        }
    }

    private const string StopsOnErrorTwin = """
        @acoroutine
        async def stops_on_error():
            try:
                while True:
                    x = (yield)
                    print(f"got {x}")
            except ValueError as e:
                await asyncio.sleep(0)
                print(f"stopping: {e}")
            finally:
                await asyncio.sleep(0)
                print("finally")

        """;

    [Fact]
    public static async Task ThrowAsync_caught_by_a_body_that_then_finishes_fails_with_StopIteration()
    {
        var trace = new Trace();
        var c = await StopsOnError(trace.Writer);
        await c.SendAsync(1);
        await trace.AttemptAsync("throw", () => c.ThrowAsync(new ValueError("enough")));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send", () => c.SendAsync(2));

        PythonTwin.AssertSameAsyncTrace(StopsOnErrorTwin + """
            c = await stops_on_error()
            await c.asend(1)
            await aattempt("throw", lambda: c.athrow(ValueError("enough")))
            print(astate(c))
            await aattempt("send", lambda: c.asend(2))
            """, trace.Lines);
    }

    [Fact]
    public static async Task ThrowAsync_not_caught_fails_with_the_same_exception_after_awaiting_finally_blocks_and_finishes_it()
    {
        var trace = new Trace();
        var c = await StopsOnError(trace.Writer);
        var injected = new TypeError("not handled");
        try
        {
            await c.ThrowAsync(injected);
            trace.Print("throw: ok");
        }
        catch (Exception e)
        {
            trace.Print($"throw: {Trace.Describe(e)}");
            trace.Print($"same object: {Trace.Format(ReferenceEquals(e, injected))}");
        }

        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send", () => c.SendAsync(2));

        PythonTwin.AssertSameAsyncTrace(StopsOnErrorTwin + """
            c = await stops_on_error()
            injected = TypeError("not handled")
            try:
                await c.athrow(injected)
                print("throw: ok")
            except Exception as e:
                print(f"throw: {describe(e)}")
                print(f"same object: {e is injected}")
            print(astate(c))
            await aattempt("send", lambda: c.asend(2))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ on a finished coroutine: CoroutineGen keeps the sync rule

    /// <summary>
    /// CPython's <c>athrow(e)</c> on a finished asynchronous generator completes normally and drops <c>e</c> (3.11, and
    /// 3.12 and 3.13 alike), where a sync generator's <c>throw(e)</c> raises <c>e</c>. CoroutineGen keeps rule 3 for
    /// async coroutines (<see cref="IAsyncCoroutine{T}.ThrowAsync"/>: "on a finished coroutine it fails with the
    /// exception itself"), so that an error thrown into a coroutine is never lost. The twin pins both sides: every line
    /// is the same except that one, where python3 prints "ok" and C# the exception.
    /// </summary>
    [Fact]
    public static async Task ThrowAsync_on_a_finished_coroutine_fails_with_the_exception_itself_where_CPython_drops_it()
    {
        var trace = new Trace();
        var c = await StopsOnError(trace.Writer);
        await trace.AttemptAsync("finish", () => c.ThrowAsync(new ValueError("done")));
        var late = new TypeError("too late");
        try
        {
            await c.ThrowAsync(late);
            trace.Print("throw: ok");
        }
        catch (Exception e)
        {
            trace.Print($"throw: {Trace.Describe(e)}");
            trace.Print($"same object: {Trace.Format(ReferenceEquals(e, late))}");
        }

        trace.Print(Trace.State(c.State));
        var closed = await StopsOnError(trace.Writer);
        await closed.CloseAsync();
        await trace.AttemptAsync("throw after close", () => closed.ThrowAsync(new ValueError("after close")));
        trace.Print(Trace.State(closed.State));

        var python = PythonTwin.RunAsync(StopsOnErrorTwin + """
            c = await stops_on_error()
            await aattempt("finish", lambda: c.athrow(ValueError("done")))
            late = TypeError("too late")
            try:
                await c.athrow(late)
                print("throw: ok")
            except Exception as e:
                print(f"throw: {describe(e)}")
                print(f"same object: {e is late}")
            print(astate(c))
            closed = await stops_on_error()
            await closed.aclose()
            await aattempt("throw after close", lambda: closed.athrow(ValueError("after close")))
            print(astate(closed))
            """);
        // Where CPython prints "ok", C# fails with the exception thrown in (and says it is the same object).
        var expected = python.SelectMany(line => line switch
        {
            "throw: ok" => new[] { "throw: TypeError: too late", "same object: True" },
            "throw after close: ok" => new[] { "throw after close: ValueError: after close" },
            _ => new[] { line },
        }).ToList();
        Assert.Contains("throw: ok", python);
        Assert.Contains("throw after close: ok", python);
        PythonTwin.AssertSame(expected, trace.Lines);
    }

    [Fact]
    public static async Task ThrowAsync_of_null_throws_ArgumentNullException_at_the_call_not_through_the_task()
    {
        var c = await StopsOnError(TextWriter.Null);
        var error = Assert.Throws<ArgumentNullException>(() => c.ThrowAsync(null!));
        Assert.Equal("exception", error.ParamName);
        Assert.Equal(CoroutineState.Suspended, c.State);
        await c.SendAsync(1);
        Assert.Equal(CoroutineState.Suspended, c.State);
    }
}
