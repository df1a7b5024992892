using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 1 of docs/semantics.md for async templates (docs/async.md): the factory returns a
/// <see cref="ValueTask{TResult}"/> that completes when the body, awaits included, has reached its first suspension
/// point; an exception thrown while priming comes out of that task, after the <c>finally</c> blocks (which may await)
/// ran; a body that ends while priming gives a coroutine that is already <c>Closed</c>. The Python twins are
/// asynchronous generators primed with <c>await g.asend(None)</c> (the prelude's <c>acoroutine</c>).
/// </summary>
public static partial class Rule01PrimingAsyncTests
{
    // ------------------------------------------------------------------ runs up to the first Receive, awaits included

    [Coroutine]
    internal static async Task Greeter(Inbox<string> inbox, TextWriter log)
    {
        log.WriteLine("body started");
        await Task.Yield();
        log.WriteLine("after a yielding await");
        await Task.CompletedTask;
        log.WriteLine("about to receive");
        string name = inbox.Receive();
        log.WriteLine($"hello {name}");
        await Task.Yield();
        inbox.Receive();
    }

    [Fact]
    public static async Task Factory_runs_the_body_and_its_awaits_up_to_the_first_receive_and_no_further()
    {
        var trace = new Trace();
        var c = await Greeter(trace.Writer);
        trace.Print("factory returned");
        trace.Print(Trace.State(c.State));
        await c.SendAsync("ada");
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def greeter():
                print("body started")
                await asyncio.sleep(0)
                print("after a yielding await")
                await asyncio.sleep(0)
                print("about to receive")
                name = (yield)
                print(f"hello {name}")
                await asyncio.sleep(0)
                yield
            c = await greeter()
            print("factory returned")
            print(astate(c))
            await c.asend("ada")
            print(astate(c))
            """, trace.Lines);
    }

    /// <summary>A gate the body awaits: a task that completes only when the test opens it.</summary>
    [Coroutine]
    internal static async Task Gated(Inbox<string> inbox, Task gate, TextWriter log)
    {
        log.WriteLine("waiting at the gate");
        await gate;
        log.WriteLine("through the gate");
        while (true) log.WriteLine($"got {inbox.Receive()}");
    }

    [Fact]
    public static async Task The_factory_task_is_pending_while_priming_awaits_and_completes_at_the_first_receive()
    {
        var trace = new Trace();
        var gate = new TaskCompletionSource();
        var factory = Gated(gate.Task, trace.Writer);
        trace.Print($"factory completed: {factory.IsCompleted}");
        gate.SetResult();
        var c = await factory;
        trace.Print(Trace.State(c.State));
        await c.SendAsync("x");

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def gated(gate):
                print("waiting at the gate")
                await gate.wait()
                print("through the gate")
                while True: print(f"got {(yield)}")
            gate = asyncio.Event()
            factory = asyncio.ensure_future(gated(gate))
            await asyncio.sleep(0)
            print(f"factory completed: {factory.done()}")
            gate.set()
            c = await factory
            print(astate(c))
            await c.asend("x")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ an exception while priming

    [Coroutine]
    internal static async Task Faulty(Inbox<int> inbox, bool fail, TextWriter log)
    {
        try
        {
            log.WriteLine("setting up");
            await Task.Yield();
            if (fail) throw new ValueError("bad setup");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally after an await");
        }

        inbox.Receive();
    }

    [Fact]
    public static async Task Exception_thrown_while_priming_comes_out_of_the_factory_task_after_awaiting_finally_blocks()
    {
        var trace = new Trace();
        await trace.AttemptAsync("factory", async () => await Faulty(true, trace.Writer));

        PythonTwin.AssertSameAsyncTrace("""
            @acoroutine
            async def faulty(fail):
                try:
                    print("setting up")
                    await asyncio.sleep(0)
                    if fail: raise ValueError("bad setup")
                finally:
                    await asyncio.sleep(0)
                    print("finally after an await")
                yield
            await aattempt("factory", lambda: faulty(True))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ a body that ends while priming is Closed

    [Coroutine]
    internal static async Task Optional(Inbox<string> inbox, bool enabled, TextWriter log)
    {
        try
        {
            log.WriteLine("start");
            await Task.Yield();
            if (!enabled)
            {
                log.WriteLine("disabled, nothing to do");
                return;
            }

            while (true)
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static async Task Body_that_returns_while_priming_gives_a_closed_coroutine()
    {
        var trace = new Trace();
        var c = await Optional(false, trace.Writer);
        trace.Print("factory returned");
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send", () => c.SendAsync("x"));
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        // acoroutine would let StopAsyncIteration out of asend(None); the C# factory returns the closed coroutine.
        PythonTwin.AssertSameAsyncTrace("""
            async def optional(enabled):
                try:
                    print("start")
                    await asyncio.sleep(0)
                    if not enabled:
                        print("disabled, nothing to do")
                        return
                    while True:
                        print(f"got {(yield)}")
                finally:
                    await asyncio.sleep(0)
                    print("finally")
            c = optional(False)
            try:
                await c.asend(None)
            except StopAsyncIteration:
                pass
            print("factory returned")
            print(astate(c))
            await aattempt("send", lambda: c.asend("x"))
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            """, trace.Lines);
    }
}
