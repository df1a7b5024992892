using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// The fast path of an async coroutine's <c>SendAsync</c> (docs/async.md, "How fast"): when the loop's code after a
/// receive ends with <c>await task;</c>, <c>SendAsync</c> runs that code without an async state machine while the task is
/// complete already, and hands the await to a small async method when it is not. These templates are shaped for it (a
/// loop whose last statement is the await, in a <c>try</c>, with locals that change between messages), and each test
/// drives both ways of the same await (complete at once, really pending, faulted at once, faulting later, cancelled)
/// against its CPython async-generator twin: the fast path must not be observable.
/// </summary>
public static partial class FastPathAsyncTests
{
    // ------------------------------------------------------------------ awaits that complete at once or later

    [Coroutine]
    internal static async Task Tail(Inbox<string> inbox, Func<string, Gate> gateFor, TextWriter log)
    {
        int count = 0;
        string last = "none";
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                count++;
                log.WriteLine($"got {item} (#{count}, after {last})");
                last = item;
                if (item.StartsWith("wait", StringComparison.Ordinal))
                {
                    await gateFor(item).WaitAsync();
                }
                else if (item.StartsWith("fail", StringComparison.Ordinal))
                {
                    await Task.FromException(new ValueError(item));
                }
                else if (item.StartsWith("late", StringComparison.Ordinal))
                {
                    await FailWhenOpened(gateFor(item), item).ConfigureAwait(false);
                }
                else
                {
                    await Task.CompletedTask;
                }
            }
        }
        catch (ValueError e)
        {
            log.WriteLine($"caught {e.Message} after {count}, last {last}");
        }
        finally
        {
            log.WriteLine($"finally after {count}");
        }

        while (true)
        {
            string item = inbox.Receive();
            log.WriteLine($"second loop got {item}");
            await gateFor("second " + item).WaitAsync();
        }
    }

    private static async Task FailWhenOpened(Gate gate, string message)
    {
        await gate.WaitAsync();
        throw new ValueError(message);
    }

    private const string TailTwin = """
        async def fail_when_opened(gate, message):
            await gate.wait()
            raise ValueError(message)
        async def completed():
            pass
        async def failed(message):
            raise ValueError(message)
        @acoroutine
        async def tail(gate_for):
            count = 0
            last = "none"
            try:
                while True:
                    item = (yield)
                    count += 1
                    print(f"got {item} (#{count}, after {last})")
                    last = item
                    if item.startswith("wait"):
                        await gate_for(item).wait()
                    elif item.startswith("fail"):
                        await failed(item)
                    elif item.startswith("late"):
                        await fail_when_opened(gate_for(item), item)
                    else:
                        await completed()
            except ValueError as e:
                print(f"caught {e} after {count}, last {last}")
            finally:
                print(f"finally after {count}")
            while True:
                item = (yield)
                print(f"second loop got {item}")
                await gate_for("second " + item).wait()
        gates = {}
        def gate_for(name):
            return gates.setdefault(name, Gate())

        """;

    private static Func<string, Gate> Gates()
    {
        var all = new Dictionary<string, Gate>();
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
    public static async Task Awaits_that_complete_at_once_and_awaits_that_really_wait_park_at_the_next_receive_alike()
    {
        var trace = new Trace();
        var gateFor = Gates();
        var c = await Tail(gateFor, trace.Writer);
        await trace.AttemptAsync("send a", () => c.SendAsync("a"));
        var pending = c.SendAsync("wait1").AsTask();
        await gateFor("wait1").Reached;
        trace.Print($"{Trace.State(c.State)}, completed: {Trace.Format(pending.IsCompleted)}");
        await trace.AttemptAsync("send b", () => c.SendAsync("b"));
        await trace.AttemptAsync("throw", () => c.ThrowAsync(new ValueError("x")));
        gateFor("wait1").Open();
        await trace.AttemptAsync("wait1", () => pending);
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send c", () => c.SendAsync("c"));
        gateFor("wait2").Open();
        await trace.AttemptAsync("send wait2", () => c.SendAsync("wait2"));
        await trace.AttemptAsync("send d", () => c.SendAsync("d"));
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(TailTwin + """
            c = await tail(gate_for)
            await aattempt("send a", lambda: c.asend("a"))
            pending = asyncio.ensure_future(c.asend("wait1"))
            await gate_for("wait1").reached.wait()
            print(f"{astate(c)}, completed: {pending.done()}")
            await aattempt("send b", lambda: c.asend("b"))
            await aattempt("throw", lambda: c.athrow(ValueError("x")))
            gate_for("wait1").open()
            await aattempt("wait1", lambda: pending)
            print(astate(c))
            await aattempt("send c", lambda: c.asend("c"))
            gate_for("wait2").open()
            await aattempt("send wait2", lambda: c.asend("wait2"))
            await aattempt("send d", lambda: c.asend("d"))
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            """, trace.Lines);
    }

    [Theory]
    [InlineData("fail1")]
    [InlineData("late1")]
    public static async Task A_task_that_faults_at_once_or_later_raises_inside_the_templates_try_statements(string failing)
    {
        var trace = new Trace();
        var gateFor = Gates();
        var c = await Tail(gateFor, trace.Writer);
        await trace.AttemptAsync("send a", () => c.SendAsync("a"));
        var pending = c.SendAsync(failing).AsTask();
        trace.Print($"{Trace.State(c.State)}, completed: {Trace.Format(pending.IsCompleted)}");
        gateFor(failing).Open();
        await trace.AttemptAsync("failing send", () => pending);
        trace.Print(Trace.State(c.State));
        gateFor("second b").Open();
        await trace.AttemptAsync("send b", () => c.SendAsync("b"));
        await trace.AttemptAsync("close", () => c.CloseAsync());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(TailTwin + $$"""
            c = await tail(gate_for)
            await aattempt("send a", lambda: c.asend("a"))
            pending = asyncio.ensure_future(c.asend("{{failing}}"))
            await asyncio.sleep(0)
            print(f"{astate(c)}, completed: {pending.done()}")
            gate_for("{{failing}}").open()
            await aattempt("failing send", lambda: pending)
            print(astate(c))
            gate_for("second b").open()
            await aattempt("send b", lambda: c.asend("b"))
            await aattempt("close", lambda: c.aclose())
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ two-way: the value yielded after the await

    [Coroutine]
    internal static async Task RunningTotal(Inbox<int, int> inbox, Func<string, Gate> gateFor, TextWriter log)
    {
        int total = 0;
        try
        {
            while (true)
            {
                int x = inbox.Yield(total);
                total += x;
                log.WriteLine($"added {x}");
                if (x < 0)
                {
                    await Task.FromException(new ValueError($"negative {x}"));
                }
                else if (x % 2 == 1)
                {
                    await gateFor($"odd {x}").WaitAsync();
                }
            }
        }
        catch (ValueError e)
        {
            log.WriteLine($"caught {e.Message}, total {total}");
        }
    }

    [Fact]
    public static async Task A_two_way_SendAsync_yields_the_value_of_the_next_receive_whether_its_await_completes_at_once_or_later()
    {
        var trace = new Trace();
        var gateFor = Gates();
        var c = await RunningTotal(gateFor, trace.Writer);
        trace.Print($"current {c.Current}");
        await trace.AttemptAsync("send 2", () => c.SendAsync(2));
        var pending = c.SendAsync(3).AsTask();
        await gateFor("odd 3").Reached;
        trace.Print($"{Trace.State(c.State)}, completed: {Trace.Format(pending.IsCompleted)}");
        gateFor("odd 3").Open();
        await trace.AttemptAsync("send 3", () => new ValueTask<int>(pending));
        trace.Print($"current {c.Current}");
        IAsyncCoroutine<int> oneWay = c;
        await trace.AttemptAsync("one-way send 4", () => oneWay.SendAsync(4));
        trace.Print($"current {c.Current}");
        await trace.AttemptAsync("send -1", () => c.SendAsync(-1));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace("""
            async def failed(message):
                raise ValueError(message)
            gates = {}
            def gate_for(name):
                return gates.setdefault(name, Gate())
            async def running_total(gate_for):
                total = 0
                try:
                    while True:
                        x = yield total
                        total += x
                        print(f"added {x}")
                        if x < 0:
                            await failed(f"negative {x}")
                        elif x % 2 == 1:
                            await gate_for(f"odd {x}").wait()
                except ValueError as e:
                    print(f"caught {e}, total {total}")
            c = running_total(gate_for)
            current = await c.asend(None)
            print(f"current {current}")
            await aattempt("send 2", lambda: c.asend(2))
            pending = asyncio.ensure_future(c.asend(3))
            await gate_for("odd 3").reached.wait()
            print(f"{astate(c)}, completed: {pending.done()}")
            gate_for("odd 3").open()
            await aattempt("send 3", lambda: pending)
            current = pending.result()
            print(f"current {current}")
            async def one_way(value):
                nonlocal current
                current = await c.asend(value)
            await aattempt("one-way send 4", lambda: one_way(4))
            print(f"current {current}")
            await aattempt("send -1", lambda: c.asend(-1))
            print(astate(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ the call's token while the await is pending

    [Coroutine]
    internal static async Task Cancellable(Inbox<string> inbox, Func<CancellationToken, string> nameOf, Gate gate, TextWriter log)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                log.WriteLine($"got {item} with {nameOf(inbox.CancellationToken)}");
                await gate.WaitAsync(inbox.CancellationToken);
            }
        }
        finally
        {
            log.WriteLine($"finally with {nameOf(inbox.CancellationToken)}");
        }
    }

    [Fact]
    public static async Task Cancelling_the_token_of_a_pending_tail_await_finishes_the_coroutine_with_that_call_running_the_finally()
    {
        var trace = new Trace();
        var gate = new Gate();
        using CancellationTokenSource a = new(), b = new();
        var names = new Dictionary<CancellationToken, string> { [a.Token] = "a", [b.Token] = "b", [CancellationToken.None] = "none" };
        var c = await Cancellable(token => names[token], gate, trace.Writer);
        var pending = c.SendAsync("x", b.Token).AsTask();
        await gate.Reached;
        trace.Print(Trace.State(c.State));
        b.Cancel();
        await trace.AttemptAsync("send x", () => pending);
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send y", () => c.SendAsync("y", a.Token));

        PythonTwin.AssertSameAsyncTrace("""
            asyncio.current_task().set_name("none")
            def token():
                return asyncio.current_task().get_name()
            @acoroutine
            async def cancellable(gate):
                try:
                    while True:
                        item = (yield)
                        print(f"got {item} with {token()}")
                        await gate.wait()
                finally:
                    print(f"finally with {token()}")
            gate = Gate()
            c = await cancellable(gate)
            async def run(awaitable):
                return await awaitable
            pending = asyncio.create_task(run(c.asend("x")), name="b")
            await gate.reached.wait()
            print(astate(c))
            pending.cancel()
            await aattempt("send x", lambda: pending)
            print(astate(c))
            await aattempt("send y", lambda: c.asend("y"))
            """, trace.Lines);
    }
}
