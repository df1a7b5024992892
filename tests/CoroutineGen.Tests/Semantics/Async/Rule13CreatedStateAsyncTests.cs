using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 13 of docs/semantics.md for async templates (docs/async.md): a template marked
/// <c>[Coroutine(Prime = false)]</c> gets a factory that returns the coroutine itself (not a task), <c>Created</c>,
/// with nothing of the body run. <c>SendAsync(default)</c> starts it (runs it, awaits included, to its first
/// suspension point; a two-way one completes with the first value yielded); another value fails the task with
/// Python's TypeError (an <see cref="ArgumentException"/>) and leaves it created; <c>CloseAsync</c> closes it
/// without running the body; <c>ThrowAsync(e)</c> closes it and fails with <c>e</c>. The starting call is a call
/// like the others: a second one while it is pending is refused. Each test is checked against its Python twin, an
/// asynchronous generator before its first <c>asend(None)</c>.
/// </summary>
public static partial class Rule13CreatedStateAsyncTests
{
    [Coroutine(Prime = false)]
    internal static async Task Task(Inbox<string?> inbox, string name, Gate? gate, TextWriter log)
    {
        log.WriteLine($"{name} starts");
        if (gate is not null) await gate.WaitAsync();
        await System.Threading.Tasks.Task.Yield();
        try
        {
            while (true)
            {
                var item = inbox.Receive();
                log.WriteLine($"{name} got {item}");
            }
        }
        finally
        {
            await System.Threading.Tasks.Task.Yield();
            log.WriteLine($"{name} finally");
        }
    }

    /// <summary>The Python twin of <see cref="Task"/>: an async generator function, called without priming.</summary>
    private const string TaskTwin = """
        async def task(name, gate):
            print(f"{name} starts")
            if gate is not None: await gate.wait()
            await asyncio.sleep(0)
            try:
                while True:
                    item = (yield)
                    print(f"{name} got {item}")
            finally:
                await asyncio.sleep(0)
                print(f"{name} finally")

        """;

    [Fact]
    public static async Task The_factory_runs_nothing_and_SendAsync_default_starts_the_body()
    {
        var trace = new Trace();
        var c = Task("a", null, trace.Writer);
        trace.Print("created");
        trace.Print(Trace.State(c.State));
        await c.SendAsync(null);
        trace.Print(Trace.State(c.State));
        await c.SendAsync("x");
        await c.CloseAsync();
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameAsyncTrace(TaskTwin + """
            c = task("a", None)
            print("created")
            print(astate(c))
            await c.asend(None)
            print(astate(c))
            await c.asend("x")
            await c.aclose()
            print(astate(c))
            """, trace.Lines);
    }

    [Fact]
    public static async Task A_value_other_than_default_does_not_start_it_and_leaves_it_created()
    {
        var trace = new Trace();
        var c = Task("b", null, trace.Writer);
        await trace.AttemptAsync("send 42", () => c.SendAsync("42"));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send None", () => c.SendAsync(null));
        trace.Print(Trace.State(c.State));
        await c.CloseAsync();

        PythonTwin.AssertSameAsyncTrace(TaskTwin + """
            c = task("b", None)
            await aattempt("send 42", lambda: c.asend("42"))
            print(astate(c))
            await aattempt("send None", lambda: c.asend(None))
            print(astate(c))
            await c.aclose()
            """, trace.Lines);
    }

    [Fact]
    public static async Task CloseAsync_and_ThrowAsync_on_a_created_coroutine_run_nothing_of_the_body()
    {
        var trace = new Trace();
        var closed = Task("c", null, trace.Writer);
        await closed.CloseAsync();
        trace.Print(Trace.State(closed.State));
        await trace.AttemptAsync("send after close", () => closed.SendAsync(null));

        var thrown = Task("d", null, trace.Writer);
        await trace.AttemptAsync("throw", () => thrown.ThrowAsync(new KeyError("'boom'")));
        trace.Print(Trace.State(thrown.State));
        await trace.AttemptAsync("send after throw", () => thrown.SendAsync(null));

        PythonTwin.AssertSameAsyncTrace(TaskTwin + """
            closed = task("c", None)
            await closed.aclose()
            print(astate(closed))
            await aattempt("send after close", lambda: closed.asend(None))
            thrown = task("d", None)
            await aattempt("throw", lambda: thrown.athrow(KeyError("boom")))
            print(astate(thrown))
            await aattempt("send after throw", lambda: thrown.asend(None))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Calls_while_the_starting_SendAsync_is_pending_are_refused()
    {
        var trace = new Trace();
        var gate = new Gate();
        var c = Task("e", gate, trace.Writer);
        var starting = c.SendAsync(null).AsTask();
        await gate.Reached;
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send", () => c.SendAsync(null));
        await trace.AttemptAsync("throw", () => c.ThrowAsync(new ValueError("v")));
        await trace.AttemptAsync("close", () => c.CloseAsync());
        gate.Open();
        await trace.AttemptAsync("start", () => starting);
        trace.Print(Trace.State(c.State));
        await c.SendAsync("x");
        await c.CloseAsync();

        PythonTwin.AssertSameAsyncTrace(TaskTwin + """
            gate = Gate()
            c = task("e", gate)
            starting = asyncio.ensure_future(c.asend(None))
            await gate.reached.wait()
            print(astate(c))
            await aattempt("send", lambda: c.asend(None))
            await aattempt("throw", lambda: c.athrow(ValueError("v")))
            await aattempt("close", lambda: c.aclose())
            gate.open()
            await aattempt("start", lambda: starting)
            print(astate(c))
            await c.asend("x")
            await c.aclose()
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ two-way, and a body that returns at once

    [Coroutine(Prime = false)]
    internal static async Task Counter(Inbox<int, string> inbox, int stop)
    {
        int total = 0;
        while (total < stop)
        {
            await System.Threading.Tasks.Task.Yield();
            total += inbox.Yield($"total {total}");
        }
    }

    [Fact]
    public static async Task A_two_way_coroutine_yields_its_first_value_to_the_starting_SendAsync()
    {
        var trace = new Trace();
        var c = Counter(5);
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("start", () => c.SendAsync(0));
        await trace.AttemptAsync("send 3", () => c.SendAsync(3));
        await trace.AttemptAsync("send 4", () => c.SendAsync(4));
        trace.Print(Trace.State(c.State));

        var done = Counter(0);
        await trace.AttemptAsync("start a finished one", () => done.SendAsync(0));
        trace.Print(Trace.State(done.State));

        PythonTwin.AssertSameAsyncTrace("""
            async def counter(stop):
                total = 0
                while total < stop:
                    await asyncio.sleep(0)
                    total += (yield f"total {total}")
            c = counter(5)
            print(astate(c))
            await aattempt("start", lambda: c.asend(None))
            await aattempt("send 3", lambda: c.asend(3))
            await aattempt("send 4", lambda: c.asend(4))
            print(astate(c))
            done = counter(0)
            await aattempt("start a finished one", lambda: done.asend(None))
            print(astate(done))
            """, trace.Lines);
    }
}
