using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Cancellation in async templates (docs/async.md; no sync rule: a sync template cannot read a token, CORO0004):
/// <c>inbox.CancellationToken</c> is the token passed to the <c>SendAsync</c>/<c>ThrowAsync</c>/<c>CloseAsync</c> that is
/// running the body (the default token while the factory primes), the same before and after the body's awaits. An
/// <see cref="OperationCanceledException"/> that escapes the body (cancellation while it awaits) finishes the coroutine
/// like any exception; one the body catches is ordinary.
/// The Python twins: asyncio has no tokens, it cancels tasks, so "the token of the call running the body" is "the
/// task running the <c>asend</c>/<c>athrow</c>/<c>aclose</c>": each call runs in a task named as the C# token, and the
/// body prints <c>asyncio.current_task().get_name()</c>; cancelling the token is <c>task.cancel()</c>, and
/// <c>asyncio.CancelledError</c> is the <see cref="OperationCanceledException"/>.
/// </summary>
public static partial class CancellationAsyncTests
{
    private const string TaskNames = """
        asyncio.current_task().set_name("none")
        async def call(name, awaitable):
            async def run():
                return await awaitable
            return await asyncio.create_task(run(), name=name)
        def token():
            return asyncio.current_task().get_name()

        """;

    [Coroutine]
    internal static async Task Tokens(Inbox<int> inbox, Func<CancellationToken, string> nameOf, TextWriter log)
    {
        log.WriteLine($"priming with {nameOf(inbox.CancellationToken)}");
        try
        {
            while (true)
            {
                try
                {
                    int x = inbox.Receive();
                    log.WriteLine($"got {x} with {nameOf(inbox.CancellationToken)}");
                    await Task.Yield();
                    log.WriteLine($"after an await, {nameOf(inbox.CancellationToken)}");
                }
                catch (ValueError)
                {
                    await Task.Yield();
                    log.WriteLine($"handler with {nameOf(inbox.CancellationToken)}");
                }
            }
        }
        finally
        {
            await Task.Yield();
            log.WriteLine($"finally with {nameOf(inbox.CancellationToken)}");
        }
    }

    [Fact]
    public static async Task The_body_sees_the_token_of_the_call_running_it_before_and_after_its_awaits()
    {
        var trace = new Trace();
        using CancellationTokenSource a = new(), b = new(), c = new(), d = new();
        var names = new Dictionary<CancellationToken, string> { [a.Token] = "a", [b.Token] = "b", [c.Token] = "c", [d.Token] = "d", [CancellationToken.None] = "none" };
        var g = await Tokens(token => names[token], trace.Writer);
        await g.SendAsync(1, a.Token);
        await g.SendAsync(2);
        await g.ThrowAsync(new ValueError("v"), b.Token);
        await g.SendAsync(3, c.Token);
        await g.CloseAsync(d.Token);

        PythonTwin.AssertSameAsyncTrace(TaskNames + """
            @acoroutine
            async def tokens():
                print(f"priming with {token()}")
                try:
                    while True:
                        try:
                            x = (yield)
                            print(f"got {x} with {token()}")
                            await asyncio.sleep(0)
                            print(f"after an await, {token()}")
                        except ValueError:
                            await asyncio.sleep(0)
                            print(f"handler with {token()}")
                finally:
                    await asyncio.sleep(0)
                    print(f"finally with {token()}")
            g = await tokens()
            await call("a", g.asend(1))
            await g.asend(2)
            await call("b", g.athrow(ValueError("v")))
            await call("c", g.asend(3))
            await call("d", g.aclose())
            """, trace.Lines);
    }

    [Coroutine]
    internal static async Task LateReaders(Inbox<int> inbox, Func<CancellationToken, string> nameOf, List<Func<string>> published, TextWriter log)
    {
        Func<string> lambda = () => nameOf(inbox.CancellationToken);
        published.Add(lambda);
        string LocalFunction() => nameOf(inbox.CancellationToken);
        log.WriteLine($"priming: {lambda()} {LocalFunction()}");
        while (true)
        {
            int x = inbox.Receive();
            await Task.Yield();
            log.WriteLine($"got {x}: {lambda()} {LocalFunction()}");
        }
    }

    [Fact]
    public static async Task A_lambda_or_local_function_reads_the_token_of_the_call_running_when_it_is_called()
    {
        // Called while no call runs (from the test), the lambda reads the default token: Python's lambda reads the
        // task running when it is called, main's ("none").
        var trace = new Trace();
        using CancellationTokenSource a = new(), b = new();
        var names = new Dictionary<CancellationToken, string> { [a.Token] = "a", [b.Token] = "b", [CancellationToken.None] = "none" };
        var published = new List<Func<string>>();
        var g = await LateReaders(token => names[token], published, trace.Writer);
        await g.SendAsync(1, a.Token);
        trace.Print($"called while no call runs: {published[0]()}");
        await g.SendAsync(2, b.Token);
        await g.SendAsync(3);
        await g.CloseAsync();

        PythonTwin.AssertSameAsyncTrace(TaskNames + """
            @acoroutine
            async def late_readers(published):
                lambda_ = lambda: token()
                published.append(lambda_)
                def local_function():
                    return token()
                print(f"priming: {lambda_()} {local_function()}")
                while True:
                    x = (yield)
                    await asyncio.sleep(0)
                    print(f"got {x}: {lambda_()} {local_function()}")
            published = []
            g = await late_readers(published)
            await call("a", g.asend(1))
            print(f"called while no call runs: {published[0]()}")
            await call("b", g.asend(2))
            await g.asend(3)
            await g.aclose()
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ cancelled while the body awaits

    [Coroutine]
    internal static async Task Cancellable(Inbox<string> inbox, Gate gate, bool catchIt, TextWriter log)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                log.WriteLine($"got {item}, waiting");
                try
                {
                    await gate.WaitAsync(inbox.CancellationToken);
                    log.WriteLine($"done with {item}");
                }
                catch (OperationCanceledException) when (catchIt)
                {
                    log.WriteLine($"cancelled while handling {item}: carrying on");
                }
            }
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally");
        }
    }

    private const string CancellableTwin = """
        @acoroutine
        async def cancellable(gate, catch_it):
            try:
                while True:
                    item = (yield)
                    print(f"got {item}, waiting")
                    try:
                        await gate.wait()
                        print(f"done with {item}")
                    except asyncio.CancelledError:
                        if not catch_it: raise
                        print(f"cancelled while handling {item}: carrying on")
            finally:
                await asyncio.sleep(0)
                print("finally")

        """;

    [Fact]
    public static async Task Cancellation_during_an_await_in_the_body_escapes_and_finishes_the_coroutine()
    {
        var trace = new Trace();
        var gate = new Gate();
        using var cts = new CancellationTokenSource();
        var c = await Cancellable(gate, false, trace.Writer);
        var pending = c.SendAsync("a", cts.Token).AsTask();
        await gate.Reached;
        trace.Print(Trace.State(c.State));
        cts.Cancel();
        await trace.AttemptAsync("send a", () => pending);
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send b", () => c.SendAsync("b"));
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(CancellableTwin + """
            gate = Gate()
            c = await cancellable(gate, False)
            pending = asyncio.ensure_future(c.asend("a"))
            await gate.reached.wait()
            print(astate(c))
            pending.cancel()
            await aattempt("send a", lambda: pending)
            print(astate(c))
            await aattempt("send b", lambda: c.asend("b"))
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            """, trace.Lines);
    }

    [Fact]
    public static async Task A_cancellation_the_body_catches_is_ordinary_and_the_coroutine_goes_on()
    {
        var trace = new Trace();
        var gate = new Gate();
        using var cts = new CancellationTokenSource();
        var c = await Cancellable(gate, true, trace.Writer);
        var pending = c.SendAsync("a", cts.Token).AsTask();
        await gate.Reached;
        cts.Cancel();
        await trace.AttemptAsync("send a", () => pending);
        trace.Print(Trace.State(c.State));
        gate.Open();
        await trace.AttemptAsync("send b", () => c.SendAsync("b"));
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(CancellableTwin + """
            gate = Gate()
            c = await cancellable(gate, True)
            pending = asyncio.ensure_future(c.asend("a"))
            await gate.reached.wait()
            pending.cancel()
            await aattempt("send a", lambda: pending)
            print(astate(c))
            gate.open()
            await aattempt("send b", lambda: c.asend("b"))
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Cancelling_the_token_of_a_completed_call_changes_nothing()
    {
        // C# only (a task that has completed cannot be cancelled in asyncio either, but it has no token to keep):
        // the body sees each call's own token, so cancelling an earlier call's token after it completed does not
        // reach the next call.
        var gate = new Gate();
        gate.Open();
        using var first = new CancellationTokenSource();
        var c = await Cancellable(gate, false, TextWriter.Null);
        await c.SendAsync("a", first.Token);
        first.Cancel();
        await c.SendAsync("b");
        Assert.Equal(CoroutineState.Suspended, c.State);
        await c.CloseAsync();
        Assert.Equal(CoroutineState.Closed, c.State);
    }

    // ------------------------------------------------------------------ a token already cancelled when the call starts

    [Coroutine]
    internal static async Task SeesToken(Inbox<string> inbox, bool awaitWithToken, TextWriter log)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                log.WriteLine($"got {item}, token cancelled: {inbox.CancellationToken.IsCancellationRequested}");
                await Task.Yield();
                log.WriteLine("awaited without the token");
                if (awaitWithToken)
                {
                    await Task.Delay(Timeout.Infinite, inbox.CancellationToken);
                    log.WriteLine("awaited with the token");
                }
            }
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static async Task A_call_with_an_already_cancelled_token_delivers_the_value_and_runs_the_body_and_only_an_await_with_the_token_observes_it()
    {
        // C# only (asyncio has no tokens). The coroutine does not check the token when a call starts: SendAsync delivers
        // the value and runs the body, which sees the token cancelled; an await that does not use the token completes as
        // usual, one that uses it ends the body with OperationCanceledException (docs/async.md, "The cancellation token").
        // CloseAsync with a cancelled token still raises GeneratorExit and runs the finally blocks.
        var trace = new Trace();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var ignores = await SeesToken(false, trace.Writer);
        await trace.AttemptAsync("send a", () => ignores.SendAsync("a", cancelled.Token));
        trace.Print(Trace.State(ignores.State));

        var observes = await SeesToken(true, trace.Writer);
        await trace.AttemptAsync("send b", () => observes.SendAsync("b", cancelled.Token));
        trace.Print(Trace.State(observes.State));

        await trace.AttemptAsync("close the first", () => ignores.CloseAsync(cancelled.Token));
        trace.Print(Trace.State(ignores.State));

        Assert.Equal(
            [
                "got a, token cancelled: True",
                "awaited without the token",
                "send a: ok",
                "Suspended",
                "got b, token cancelled: True",
                "awaited without the token",
                "finally",
                "send b: CancelledError",
                "Closed",
                "finally",
                "close the first: ok",
                "Closed",
            ],
            trace.Lines);
    }

    // ------------------------------------------------------------------ a source's cancellation and the target's clean-up

    [Coroutine]
    internal static async Task CleansUp(Inbox<string> inbox, Gate gate, TextWriter log)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                log.WriteLine($"got {item}");
                await gate.WaitAsync(inbox.CancellationToken);
                log.WriteLine($"done with {item}");
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine($"GeneratorExit (token cancelled: {inbox.CancellationToken.IsCancellationRequested})");
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static async Task A_source_cancelled_while_the_target_awaits_with_its_token_ends_the_target_there_and_only_its_finally_runs()
    {
        // C# only (docs/runtime.md, "Sources with an asynchronous target"): the target's await observes the source's
        // token, the OperationCanceledException ends its body (finally runs, catch (GeneratorExitException) does not),
        // and the source's final CloseAsync finds it finished.
        var trace = new Trace();
        var gate = new Gate();
        using var cts = new CancellationTokenSource();
        var target = await CleansUp(gate, trace.Writer);
        var run = Sources.FromEnumerableAsync(["a", "b"], target, cts.Token);
        await gate.Reached;
        cts.Cancel();
        await trace.AttemptAsync("source", () => run);
        trace.Print(Trace.State(target.State));

        Assert.Equal(["got a", "finally", "source: CancelledError", "Closed"], trace.Lines);
    }

    [Fact]
    public static async Task A_source_cancelled_while_the_target_is_parked_closes_it_with_no_token_and_its_handler_runs()
    {
        // C# only: the source notices the cancellation while it waits for its next item (here) or before a send (below),
        // and closes the target with CloseAsync() and no token: GeneratorExit is raised at the receive, and the handler
        // sees an uncancelled token.
        var trace = new Trace();
        var gate = new Gate();
        gate.Open();
        using var cts = new CancellationTokenSource();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async IAsyncEnumerable<string> Items()
        {
            yield return "a";
            waiting.SetResult();
            await Task.Delay(Timeout.Infinite, cts.Token);
            yield return "b";
        }

        var target = await CleansUp(gate, trace.Writer);
        var run = Sources.FromEnumerableAsync(Items(), target, cts.Token);
        await waiting.Task;
        cts.Cancel();
        await trace.AttemptAsync("source", () => run);
        trace.Print(Trace.State(target.State));

        Assert.Equal(["got a", "done with a", "GeneratorExit (token cancelled: False)", "finally", "source: CancelledError", "Closed"], trace.Lines);
    }

    [Fact]
    public static async Task A_source_with_an_already_cancelled_token_sends_nothing_and_closes_the_target()
    {
        // C# only: a source checks its token before each send (unlike SendAsync itself, above), so nothing is delivered;
        // it closes the target with CloseAsync() and no token, so the handler sees an uncancelled token.
        var trace = new Trace();
        var gate = new Gate();
        gate.Open();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var target = await CleansUp(gate, trace.Writer);
        await trace.AttemptAsync("source", () => Sources.FromEnumerableAsync(["a", "b"], target, cancelled.Token));
        trace.Print(Trace.State(target.State));

        Assert.Equal(["GeneratorExit (token cancelled: False)", "finally", "source: CancelledError", "Closed"], trace.Lines);
    }

    // ------------------------------------------------------------------ cancelled while closing

    [Coroutine]
    internal static async Task SlowClose(Inbox<string> inbox, Gate gate, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
        finally
        {
            log.WriteLine("finally waits");
            await gate.WaitAsync(inbox.CancellationToken);
            log.WriteLine("finally done");
        }
    }

    [Fact]
    public static async Task Cancellation_while_a_finally_block_awaits_during_CloseAsync_fails_it_and_the_coroutine_is_closed()
    {
        var trace = new Trace();
        var gate = new Gate();
        using var cts = new CancellationTokenSource();
        var c = await SlowClose(gate, trace.Writer);
        await c.SendAsync("a");
        var closing = c.CloseAsync(cts.Token).AsTask();
        await gate.Reached;
        trace.Print(Trace.State(c.State));
        cts.Cancel();
        await trace.AttemptAsync("close", () => closing);
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("close again", () => c.CloseAsync());
        await trace.AttemptAsync("send", () => c.SendAsync("b"));

        // CPython 3.11 (and 3.12) leave the generator marked running after its aclose() was cancelled, though its frame
        // is gone: asend() then says "already running" where C# says it is finished. CPython 3.13 says finished
        // (StopAsyncIteration), as C# does. Every other line is the twin's.
        var python = PythonTwin.RunAsync("""
            @acoroutine
            async def slow_close(gate):
                try:
                    while True: print(f"got {(yield)}")
                finally:
                    print("finally waits")
                    await gate.wait()
                    print("finally done")
            gate = Gate()
            c = await slow_close(gate)
            await c.asend("a")
            closing = asyncio.ensure_future(c.aclose())
            await gate.reached.wait()
            print(astate(c))
            closing.cancel()
            await aattempt("close", lambda: closing)
            print(astate(c))
            await aattempt("close again", lambda: c.aclose())
            await aattempt("send", lambda: c.asend("b"))
            """);
        Assert.Equal("send: ValueError: coroutine is already running", python[^1]);
        PythonTwin.AssertSame(python.Take(python.Count - 1).Append("send: StopIteration").ToList(), trace.Lines);
    }
}
