using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 5 of docs/semantics.md for async templates (docs/async.md): <c>catch</c>, <c>catch (Exception)</c> and
/// <c>catch (Exception e) when (...)</c> do not catch <see cref="GeneratorExitException"/>, however the handlers and
/// the code around the receive await; a clause naming it does, and <c>finally</c> blocks run. C#'s
/// <c>catch (Exception)</c> is Python's <c>except Exception:</c>. Each test is checked against its Python twin.
/// </summary>
public static partial class Rule05GeneratorExitIsNotAnExceptionAsyncTests
{
    [Coroutine]
    internal static async Task CatchAll(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                await Task.Yield();
                log.WriteLine($"got {inbox.Receive()}");
                await Task.Yield();
            }
        }
        catch (Exception e)
        {
            await Task.Yield();
            log.WriteLine($"catch (Exception): {e.Message}");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally");
        }

        log.WriteLine("after the try");
        while (true)
        {
            log.WriteLine($"later got {inbox.Receive()}");
        }
    }

    private const string CatchAllTwin = """
        @acoroutine
        async def catch_all():
            try:
                while True:
                    await asyncio.sleep(0)
                    print(f"got {(yield)}")
                    await asyncio.sleep(0)
            except Exception as e:
                await asyncio.sleep(0)
                print(f"catch (Exception): {e}")
            finally:
                await asyncio.sleep(0)
                print("finally")
            print("after the try")
            while True:
                print(f"later got {(yield)}")

        """;

    [Fact]
    public static async Task Catch_Exception_does_not_catch_GeneratorExit_but_finally_runs()
    {
        var trace = new Trace();
        var c = await CatchAll(trace.Writer);
        await c.SendAsync("a");
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(CatchAllTwin + """
            c = await catch_all()
            await c.asend("a")
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Catch_Exception_still_catches_ordinary_exceptions_thrown_in()
    {
        var trace = new Trace();
        var c = await CatchAll(trace.Writer);
        await trace.AttemptAsync("throw", () => c.ThrowAsync(new ValueError("ordinary")));
        trace.Print(Trace.State(c.State));
        await c.SendAsync("b");
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(CatchAllTwin + """
            c = await catch_all()
            await aattempt("throw", lambda: c.athrow(ValueError("ordinary")))
            print(astate(c))
            await c.asend("b")
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            """, trace.Lines);
    }

    [Fact]
    public static async Task GeneratorExit_thrown_in_with_ThrowAsync_is_not_caught_by_catch_Exception_and_fails_the_call()
    {
        var trace = new Trace();
        var c = await CatchAll(trace.Writer);
        await trace.AttemptAsync("throw GeneratorExit", () => c.ThrowAsync(new GeneratorExitException()));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(CatchAllTwin + """
            c = await catch_all()
            await aattempt("throw GeneratorExit", lambda: c.athrow(GeneratorExit()))
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ filters, bare catch

    [Coroutine]
    internal static async Task Filtered(Inbox<string> inbox, Func<Exception, bool> shouldHandle, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    log.WriteLine($"got {inbox.Receive()}");
                }
                catch (Exception e) when (shouldHandle(e))
                {
                    await Task.Yield();
                    log.WriteLine($"handled {e.Message}");
                }
                catch
                {
                    log.WriteLine("bare catch");
                }
                finally
                {
                    await Task.Yield();
                    log.WriteLine("finally");
                }
            }
        }
        catch (GeneratorExitException)
        {
            await Task.Yield();
            log.WriteLine("outer catch (GeneratorExitException)");
        }
    }

    [Fact]
    public static async Task Catch_Exception_with_a_filter_and_a_bare_catch_do_not_catch_GeneratorExit_and_the_filter_never_sees_it()
    {
        var trace = new Trace();
        var c = await Filtered(e => { trace.Print($"filter sees {e.GetType().Name}"); return e is ValueError; }, trace.Writer);
        await trace.AttemptAsync("throw", () => c.ThrowAsync(new ValueError("minor")));
        await trace.AttemptAsync("throw", () => c.ThrowAsync(new TypeError("other")));
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def filtered(should_handle):
                try:
                    while True:
                        try:
                            print(f"got {(yield)}")
                        except Exception as e:
                            if should_handle(e):
                                await asyncio.sleep(0)
                                print(f"handled {e}")
                            else:
                                print("bare catch")
                        finally:
                            await asyncio.sleep(0)
                            print("finally")
                except GeneratorExit:
                    await asyncio.sleep(0)
                    print("outer catch (GeneratorExitException)")
            def should_handle(e):
                print(f"filter sees {type(e).__name__}")
                return isinstance(e, ValueError)
            c = await filtered(should_handle)
            await aattempt("throw", lambda: c.athrow(ValueError("minor")))
            await aattempt("throw", lambda: c.athrow(TypeError("other")))
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ a GeneratorExitException from awaited code

    [Coroutine]
    internal static async Task Worker(Inbox<string> inbox, Func<string, Task> handle, TextWriter log)
    {
        while (true)
        {
            try
            {
                string job = inbox.Receive();
                await handle(job);
                log.WriteLine($"done {job}");
            }
            catch (Exception e)
            {
                log.WriteLine($"job failed: {e.Message}");
            }
        }
    }

    [Fact]
    public static async Task GeneratorExit_raised_by_awaited_code_is_not_caught_by_catch_Exception()
    {
        var trace = new Trace();
        var c = await Worker(
            async job =>
            {
                await Task.Yield();
                if (job == "bad") throw new ValueError("bad job");
                if (job == "exit") throw new GeneratorExitException();
            },
            trace.Writer);
        await c.SendAsync("good");
        await c.SendAsync("bad");
        await trace.AttemptAsync("send exit", () => c.SendAsync("exit"));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def worker(handle):
                while True:
                    try:
                        job = (yield)
                        await handle(job)
                        print(f"done {job}")
                    except Exception as e:
                        print(f"job failed: {e}")
            async def handle(job):
                await asyncio.sleep(0)
                if job == "bad": raise ValueError("bad job")
                if job == "exit": raise GeneratorExit()
            c = await worker(handle)
            await c.asend("good")
            await c.asend("bad")
            await aattempt("send exit", lambda: c.asend("exit"))
            print(astate(c))
            """, trace.Lines);
    }
}
