using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 8 of docs/semantics.md for async templates (docs/async.md): <see cref="CoroutineState.Running"/> for the whole
/// of a call, inside the body before and after its awaits and seen from outside while the call is pending at an
/// await; <see cref="CoroutineState.Suspended"/> between calls; <see cref="CoroutineState.Closed"/> once finished;
/// <see cref="CoroutineState.Created"/> before an unprimed coroutine starts. The twin's <c>astate</c> reads CPython's
/// <c>ag_running</c> (true from the start of an <c>asend</c>/<c>athrow</c>/<c>aclose</c> to its end) and the frame.
/// Each test is checked against its Python twin.
/// </summary>
public static partial class Rule08StateAsyncTests
{
    /// <summary>A reference to a coroutine, set after it was created.</summary>
    internal sealed class Link<T>
    {
        public IAsyncCoroutine<T>? Target { get; set; }
    }

    [Coroutine]
    internal static async Task Observed(Inbox<string> inbox, Link<string> self, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    string command = inbox.Receive();
                    log.WriteLine($"inside, after receiving {command}: {self.Target!.State}");
                    await Task.Yield();
                    log.WriteLine($"inside, after an await: {self.Target!.State}");
                    if (command == "return") return;
                    if (command == "fail") throw new TypeError("failing");
                }
                catch (ValueError)
                {
                    await Task.Yield();
                    log.WriteLine($"inside the ValueError handler: {self.Target!.State}");
                }
            }
        }
        catch (GeneratorExitException)
        {
            await Task.Yield();
            log.WriteLine($"inside the GeneratorExit handler: {self.Target!.State}");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine($"inside finally: {self.Target!.State}");
        }
    }

    private const string PythonObserved = """
        class Link:
            target = None
        async def observed(self):
            try:
                while True:
                    try:
                        command = (yield)
                        print(f"inside, after receiving {command}: {astate(self.target)}")
                        await asyncio.sleep(0)
                        print(f"inside, after an await: {astate(self.target)}")
                        if command == "return": return
                        if command == "fail": raise TypeError("failing")
                    except ValueError:
                        await asyncio.sleep(0)
                        print(f"inside the ValueError handler: {astate(self.target)}")
            except GeneratorExit:
                await asyncio.sleep(0)
                print(f"inside the GeneratorExit handler: {astate(self.target)}")
            finally:
                await asyncio.sleep(0)
                print(f"inside finally: {astate(self.target)}")
        async def make():
            self = Link()
            c = observed(self)
            self.target = c
            await c.asend(None)
            return c

        """;

    private static async Task<ObservedCoroutine> Make(Trace trace)
    {
        var self = new Link<string>();
        var c = await Observed(self, trace.Writer);
        self.Target = c;
        return c;
    }

    [Fact]
    public static async Task Suspended_between_calls_Running_inside_before_and_after_awaits_Closed_after_return()
    {
        var trace = new Trace();
        var c = await Make(trace);
        trace.Print($"after the factory: {Trace.State(c.State)}");
        await c.SendAsync("a");
        trace.Print($"between calls: {Trace.State(c.State)}");
        await trace.AttemptAsync("send return", () => c.SendAsync("return"));
        trace.Print($"after return: {Trace.State(c.State)}");

        PythonTwin.AssertSameAsyncTrace(PythonObserved + """
            c = await make()
            print(f"after the factory: {astate(c)}")
            await c.asend("a")
            print(f"between calls: {astate(c)}")
            await aattempt("send return", lambda: c.asend("return"))
            print(f"after return: {astate(c)}")
            """, trace.Lines);
    }

    [Fact]
    public static async Task Running_in_handlers_during_ThrowAsync_and_CloseAsync_Closed_after()
    {
        var trace = new Trace();
        var c = await Make(trace);
        await trace.AttemptAsync("throw", () => c.ThrowAsync(new ValueError("handled")));
        trace.Print($"after the handled throw: {Trace.State(c.State)}");
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print($"after close: {Trace.State(c.State)}");

        PythonTwin.AssertSameAsyncTrace(PythonObserved + """
            c = await make()
            await aattempt("throw", lambda: c.athrow(ValueError("handled")))
            print(f"after the handled throw: {astate(c)}")
            await aattempt("close", lambda: c.aclose())
            print(f"after close: {astate(c)}")
            """, trace.Lines);
    }

    [Fact]
    public static async Task Closed_after_an_exception_escaped_and_stays_Closed_whatever_is_called()
    {
        var trace = new Trace();
        var c = await Make(trace);
        await trace.AttemptAsync("send fail", () => c.SendAsync("fail"));
        trace.Print($"after the exception: {Trace.State(c.State)}");
        await trace.AttemptAsync("send", () => c.SendAsync("x"));
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print($"at the end: {Trace.State(c.State)}");

        PythonTwin.AssertSameAsyncTrace(PythonObserved + """
            c = await make()
            await aattempt("send fail", lambda: c.asend("fail"))
            print(f"after the exception: {astate(c)}")
            await aattempt("send", lambda: c.asend("x"))
            await aattempt("close", lambda: c.aclose())
            print(f"at the end: {astate(c)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ seen from outside while a call is pending

    [Coroutine]
    internal static async Task Waiting(Inbox<string> inbox, Gate sendGate, Gate throwGate, Gate closeGate, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    log.WriteLine($"got {inbox.Receive()}");
                    await sendGate.WaitAsync();
                }
                catch (ValueError)
                {
                    await throwGate.WaitAsync();
                }
            }
        }
        finally
        {
            await closeGate.WaitAsync();
            log.WriteLine("closed");
        }
    }

    [Fact]
    public static async Task Running_while_SendAsync_ThrowAsync_and_CloseAsync_are_pending_at_an_await()
    {
        var trace = new Trace();
        Gate sendGate = new(), throwGate = new(), closeGate = new();
        var c = await Waiting(sendGate, throwGate, closeGate, trace.Writer);
        trace.Print($"primed: {Trace.State(c.State)}");
        var sending = c.SendAsync("a").AsTask();
        await sendGate.Reached;
        trace.Print($"send pending: {Trace.State(c.State)}");
        sendGate.Open();
        await sending;
        trace.Print($"send done: {Trace.State(c.State)}");
        var throwing = c.ThrowAsync(new ValueError("v")).AsTask();
        await throwGate.Reached;
        trace.Print($"throw pending: {Trace.State(c.State)}");
        throwGate.Open();
        await throwing;
        trace.Print($"throw done: {Trace.State(c.State)}");
        var closing = c.CloseAsync().AsTask();
        await closeGate.Reached;
        trace.Print($"close pending: {Trace.State(c.State)}");
        closeGate.Open();
        await closing;
        trace.Print($"close done: {Trace.State(c.State)}");

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def waiting(send_gate, throw_gate, close_gate):
                try:
                    while True:
                        try:
                            print(f"got {(yield)}")
                            await send_gate.wait()
                        except ValueError:
                            await throw_gate.wait()
                finally:
                    await close_gate.wait()
                    print("closed")
            send_gate, throw_gate, close_gate = Gate(), Gate(), Gate()
            c = await waiting(send_gate, throw_gate, close_gate)
            print(f"primed: {astate(c)}")
            sending = asyncio.ensure_future(c.asend("a"))
            await send_gate.reached.wait()
            print(f"send pending: {astate(c)}")
            send_gate.open()
            await sending
            print(f"send done: {astate(c)}")
            throwing = asyncio.ensure_future(c.athrow(ValueError("v")))
            await throw_gate.reached.wait()
            print(f"throw pending: {astate(c)}")
            throw_gate.open()
            await throwing
            print(f"throw done: {astate(c)}")
            closing = asyncio.ensure_future(c.aclose())
            await close_gate.reached.wait()
            print(f"close pending: {astate(c)}")
            close_gate.open()
            await closing
            print(f"close done: {astate(c)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ Created, and closed by the factory

    [Coroutine(Prime = false)]
    internal static async Task Lazy(Inbox<string?> inbox, TextWriter log)
    {
        await Task.Yield();
        log.WriteLine("started");
        log.WriteLine($"got {inbox.Receive()}");
    }

    [Coroutine]
    internal static async Task MaybeIdle(Inbox<int> inbox, bool idle, TextWriter log)
    {
        await Task.Yield();
        if (idle) return;
        log.WriteLine($"got {inbox.Receive()}");
    }

    [Fact]
    public static async Task Created_before_the_start_Closed_right_away_when_the_body_ends_while_priming()
    {
        var trace = new Trace();
        var lazy = Lazy(trace.Writer);
        trace.Print($"lazy: {Trace.State(lazy.State)}");
        await lazy.SendAsync(null);
        trace.Print($"lazy: {Trace.State(lazy.State)}");
        var idle = await MaybeIdle(true, trace.Writer);
        var busy = await MaybeIdle(false, trace.Writer);
        trace.Print($"idle: {Trace.State(idle.State)}, busy: {Trace.State(busy.State)}");
        await trace.AttemptAsync("send 1", () => busy.SendAsync(1));
        trace.Print($"busy: {Trace.State(busy.State)}");

        PythonTwin.AssertSameAsyncTrace("""
            async def lazy_():
                await asyncio.sleep(0)
                print("started")
                print(f"got {(yield)}")
            async def maybe_idle(idle):
                await asyncio.sleep(0)
                if idle: return
                print(f"got {(yield)}")
            async def primed(g):
                try:
                    await g.asend(None)
                except StopAsyncIteration:
                    pass
                return g
            lazy = lazy_()
            print(f"lazy: {astate(lazy)}")
            await lazy.asend(None)
            print(f"lazy: {astate(lazy)}")
            idle = await primed(maybe_idle(True))
            busy = await primed(maybe_idle(False))
            print(f"idle: {astate(idle)}, busy: {astate(busy)}")
            await aattempt("send 1", lambda: busy.asend(1))
            print(f"busy: {astate(busy)}")
            """, trace.Lines);
    }
}
