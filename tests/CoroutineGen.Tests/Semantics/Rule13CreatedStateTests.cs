using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 13, the created state: a template marked <c>[Coroutine(Prime = false)]</c> gets a factory that runs nothing
/// of the body, like calling a Python generator function. <c>Send(default)</c> starts it (<c>send(None)</c>), any
/// other value is Python's TypeError and leaves it created, <c>Close()</c> closes it without running the body, and
/// <c>Throw(e)</c> closes it and raises <c>e</c> at the caller. Each test is checked against its Python twin.
/// </summary>
public static partial class Rule13CreatedStateTests
{
    [Coroutine(Prime = false)]
    internal static void Task(Inbox<string?> inbox, string name, TextWriter log)
    {
        log.WriteLine($"{name} starts");
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
            log.WriteLine($"{name} finally");
        }
    }

    /// <summary>The Python twin of <see cref="Task"/>: a generator function, called without priming.</summary>
    private const string TaskTwin = """
        def task(name):
            print(f"{name} starts")
            try:
                while True:
                    item = (yield)
                    print(f"{name} got {item}")
            finally:
                print(f"{name} finally")

        """;

    [Fact]
    public static void The_factory_runs_nothing_and_send_default_starts_the_body()
    {
        var trace = new Trace();
        var c = Task("a", trace.Writer);
        trace.Print("created");
        trace.Print(Trace.State(c.State));
        c.Send(null);
        trace.Print(Trace.State(c.State));
        c.Send("x");
        c.Close();
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace(TaskTwin + """
            c = task("a")
            print("created")
            print(state(c))
            c.send(None)
            print(state(c))
            c.send("x")
            c.close()
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void A_value_other_than_default_does_not_start_it_and_leaves_it_created()
    {
        var trace = new Trace();
        var c = Task("b", trace.Writer);
        trace.Attempt("send 42", () => c.Send("42"));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send None", () => c.Send(null));
        trace.Print(Trace.State(c.State));
        c.Close();

        PythonTwin.AssertSameTrace(TaskTwin + """
            c = task("b")
            attempt("send 42", lambda: c.send("42"))
            print(state(c))
            attempt("send None", lambda: c.send(None))
            print(state(c))
            c.close()
            """, trace.Lines);
    }

    [Fact]
    public static void Close_and_throw_on_a_created_coroutine_run_nothing_of_the_body()
    {
        var trace = new Trace();
        var closed = Task("c", trace.Writer);
        closed.Close();
        trace.Print(Trace.State(closed.State));
        trace.Attempt("send after close", () => closed.Send(null));

        var thrown = Task("d", trace.Writer);
        trace.Attempt("throw", () => thrown.Throw(new KeyError("'boom'")));
        trace.Print(Trace.State(thrown.State));
        trace.Attempt("send after throw", () => thrown.Send(null));

        PythonTwin.AssertSameTrace(TaskTwin + """
            closed = task("c")
            closed.close()
            print(state(closed))
            attempt("send after close", lambda: closed.send(None))
            thrown = task("d")
            attempt("throw", lambda: thrown.throw(KeyError("boom")))
            print(state(thrown))
            attempt("send after throw", lambda: thrown.send(None))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ two-way, and a body that returns at once

    [Coroutine(Prime = false)]
    internal static int Counter(Inbox<int, string> inbox, int stop)
    {
        int total = 0;
        while (total < stop)
        {
            total += inbox.Yield($"total {total}");
        }

        return total;
    }

    [Fact]
    public static void A_two_way_coroutine_yields_its_first_value_to_the_starting_send()
    {
        var trace = new Trace();
        var c = Counter(5);
        trace.Print(Trace.State(c.State));
        trace.Attempt("start", () => c.Send(0));
        trace.Attempt("send 3", () => c.Send(3));
        trace.Attempt("send 4", () => c.Send(4));
        trace.Print(Trace.State(c.State));

        var done = Counter(0);
        trace.Attempt("start a finished one", () => done.Send(0));
        trace.Print(Trace.State(done.State));

        PythonTwin.AssertSameTrace("""
            def counter(stop):
                total = 0
                while total < stop:
                    total += (yield f"total {total}")
                return total
            c = counter(5)
            print(state(c))
            attempt("start", lambda: c.send(None))
            attempt("send 3", lambda: c.send(3))
            attempt("send 4", lambda: c.send(4))
            print(state(c))
            done = counter(0)
            attempt("start a finished one", lambda: done.send(None))
            print(state(done))
            """, trace.Lines);
    }
}
