using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 6 of docs/semantics.md for async templates (docs/async.md): a <c>SendAsync</c>, <c>ThrowAsync</c> or
/// <c>CloseAsync</c> while another call is in flight fails with "coroutine is already running" and changes nothing.
/// An async coroutine is running for the whole call, awaits included: the second call may come from the body itself
/// (re-entrancy, as in the sync rule) or from outside while the first call is really pending, parked at an await of
/// a <see cref="Gate"/> the test opens later. Python: <c>RuntimeError: anext(): asynchronous generator is already
/// running</c> (<c>athrow()</c>, <c>aclose()</c>), described as the sync rule's error. Each test is checked against its
/// Python twin.
/// </summary>
public static partial class Rule06ReentrancyAsyncTests
{
    /// <summary>A reference to a coroutine, set after it was created.</summary>
    internal sealed class Link<T>
    {
        public IAsyncCoroutine<T>? Target { get; set; }
    }

    private const string PythonLink = """
        class Link:
            target = None

        """;

    // ------------------------------------------------------------------ from inside the body

    [Coroutine]
    internal static async Task Reentrant(Inbox<string> inbox, Link<string> self, TextWriter log)
    {
        try
        {
            while (true)
            {
                string command = inbox.Receive();
                try
                {
                    await Task.Yield();
                    switch (command)
                    {
                        case "send":
                            await self.Target!.SendAsync("nested");
                            break;
                        case "throw":
                            await self.Target!.ThrowAsync(new ValueError("nested"));
                            break;
                        case "close":
                            await self.Target!.CloseAsync();
                            break;
                        default:
                            log.WriteLine($"got {command}");
                            break;
                    }

                    log.WriteLine($"{command} returned normally");
                }
                catch (InvalidOperationException e)
                {
                    log.WriteLine($"inside the body, {command}: {Trace.Describe(e)}");
                    log.WriteLine($"state seen inside: {self.Target!.State}");
                }
            }
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static async Task Reentrant_calls_from_the_body_fail_with_already_running_inside_it_and_change_nothing()
    {
        var trace = new Trace();
        var self = new Link<string>();
        var c = await Reentrant(self, trace.Writer);
        self.Target = c;
        foreach (var command in new[] { "send", "throw", "close", "hello" })
        {
            await trace.AttemptAsync(command, () => c.SendAsync(command));
            trace.Print(Trace.State(c.State));
        }

        await c.CloseAsync();

        PythonTwin.AssertSameAsyncTrace(PythonLink + """
            @acoroutine
            async def reentrant(self):
                try:
                    while True:
                        command = (yield)
                        try:
                            await asyncio.sleep(0)
                            if command == "send":
                                await self.target.asend("nested")
                            elif command == "throw":
                                await self.target.athrow(ValueError("nested"))
                            elif command == "close":
                                await self.target.aclose()
                            else:
                                print(f"got {command}")
                            print(f"{command} returned normally")
                        except RuntimeError as e:
                            print(f"inside the body, {command}: {describe(e)}")
                            print(f"state seen inside: {astate(self.target)}")
                finally:
                    print("finally")
            self = Link()
            c = await reentrant(self)
            self.target = c
            for command in ["send", "throw", "close", "hello"]:
                await aattempt(command, lambda: c.asend(command))
                print(astate(c))
            await c.aclose()
            """, trace.Lines);
    }

    [Coroutine]
    internal static async Task Recursive(Inbox<int> inbox, Link<int> self, TextWriter log)
    {
        try
        {
            while (true)
            {
                int n = inbox.Receive();
                log.WriteLine($"got {n}");
                await Task.Yield();
                if (n > 0) await self.Target!.SendAsync(n - 1);
            }
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static async Task Uncaught_reentrant_call_fails_the_outer_SendAsync_and_finishes_the_coroutine()
    {
        var trace = new Trace();
        var self = new Link<int>();
        var c = await Recursive(self, trace.Writer);
        self.Target = c;
        await c.SendAsync(0);
        await trace.AttemptAsync("send 2", () => c.SendAsync(2));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send 0", () => c.SendAsync(0));

        PythonTwin.AssertSameAsyncTrace(PythonLink + """
            @acoroutine
            async def recursive(self):
                try:
                    while True:
                        n = (yield)
                        print(f"got {n}")
                        await asyncio.sleep(0)
                        if n > 0: await self.target.asend(n - 1)
                finally:
                    await asyncio.sleep(0)
                    print("finally")
            self = Link()
            c = await recursive(self)
            self.target = c
            await c.asend(0)
            await aattempt("send 2", lambda: c.asend(2))
            print(astate(c))
            await aattempt("send 0", lambda: c.asend(0))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ a second call while the first is really pending

    [Coroutine]
    internal static async Task Slow(Inbox<string> inbox, Func<string, Gate> gateFor, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    string item = inbox.Receive();
                    log.WriteLine($"got {item}, waiting");
                    await gateFor(item).WaitAsync();
                    log.WriteLine($"done with {item}");
                }
                catch (ValueError e)
                {
                    log.WriteLine($"handling {e.Message}, waiting");
                    await gateFor(e.Message).WaitAsync();
                    log.WriteLine($"handled {e.Message}");
                }
            }
        }
        finally
        {
            log.WriteLine("finally, waiting");
            await gateFor("finally").WaitAsync();
            log.WriteLine("finally done");
        }
    }

    private const string SlowTwin = """
        @acoroutine
        async def slow(gate_for):
            try:
                while True:
                    try:
                        item = (yield)
                        print(f"got {item}, waiting")
                        await gate_for(item).wait()
                        print(f"done with {item}")
                    except ValueError as e:
                        print(f"handling {e}, waiting")
                        await gate_for(str(e)).wait()
                        print(f"handled {e}")
            finally:
                print("finally, waiting")
                await gate_for("finally").wait()
                print("finally done")
        gates = {}
        def gate_for(name):
            return gates.setdefault(name, Gate())

        """;

    private static Func<string, Gate> Gates(out Dictionary<string, Gate> gates)
    {
        var all = new Dictionary<string, Gate>();
        gates = all;
        return name =>
        {
            lock (all)
            {
                if (!all.TryGetValue(name, out var gate)) all[name] = gate = new Gate();
                return gate;
            }
        };
    }

    [Fact]
    public static async Task Calls_while_SendAsync_is_pending_fail_with_already_running_and_change_nothing()
    {
        var trace = new Trace();
        var gateFor = Gates(out _);
        var c = await Slow(gateFor, trace.Writer);
        var pending = c.SendAsync("a").AsTask();
        await gateFor("a").Reached;
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send b", () => c.SendAsync("b"));
        await trace.AttemptAsync("throw", () => c.ThrowAsync(new ValueError("x")));
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print($"{Trace.State(c.State)}, first send completed: {Trace.Format(pending.IsCompleted)}");
        gateFor("a").Open();
        await trace.AttemptAsync("first send", () => pending);
        trace.Print(Trace.State(c.State));
        gateFor("c").Open();
        await trace.AttemptAsync("send c", () => c.SendAsync("c"));
        gateFor("finally").Open();
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(SlowTwin + """
            c = await slow(gate_for)
            pending = asyncio.ensure_future(c.asend("a"))
            await gate_for("a").reached.wait()
            print(astate(c))
            await aattempt("send b", lambda: c.asend("b"))
            await aattempt("throw", lambda: c.athrow(ValueError("x")))
            await aattempt("close", lambda: c.aclose())
            print(f"{astate(c)}, first send completed: {pending.done()}")
            gate_for("a").open()
            await aattempt("first send", lambda: pending)
            print(astate(c))
            gate_for("c").open()
            await aattempt("send c", lambda: c.asend("c"))
            gate_for("finally").open()
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Calls_while_ThrowAsync_or_CloseAsync_is_pending_fail_with_already_running()
    {
        var trace = new Trace();
        var gateFor = Gates(out _);
        var c = await Slow(gateFor, trace.Writer);
        var throwing = c.ThrowAsync(new ValueError("e")).AsTask();
        await gateFor("e").Reached;
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send during throw", () => c.SendAsync("b"));
        await trace.AttemptAsync("close during throw", () => c.CloseAsync());
        gateFor("e").Open();
        await trace.AttemptAsync("throw", () => throwing);
        trace.Print(Trace.State(c.State));
        var closing = c.CloseAsync().AsTask();
        await gateFor("finally").Reached;
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send during close", () => c.SendAsync("b"));
        await trace.AttemptAsync("throw during close", () => c.ThrowAsync(new ValueError("f")));
        await trace.AttemptAsync("close during close", () => c.CloseAsync());
        gateFor("finally").Open();
        await trace.AttemptAsync("close", () => closing);
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(SlowTwin + """
            c = await slow(gate_for)
            throwing = asyncio.ensure_future(c.athrow(ValueError("e")))
            await gate_for("e").reached.wait()
            print(astate(c))
            await aattempt("send during throw", lambda: c.asend("b"))
            await aattempt("close during throw", lambda: c.aclose())
            gate_for("e").open()
            await aattempt("throw", lambda: throwing)
            print(astate(c))
            closing = asyncio.ensure_future(c.aclose())
            await gate_for("finally").reached.wait()
            print(astate(c))
            await aattempt("send during close", lambda: c.asend("b"))
            await aattempt("throw during close", lambda: c.athrow(ValueError("f")))
            await aattempt("close during close", lambda: c.aclose())
            gate_for("finally").open()
            await aattempt("close", lambda: closing)
            print(astate(c))
            """, trace.Lines);
    }
}
