using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 1 of docs/semantics.md, priming: the factory runs the body to its first suspension point (Beazley's <c>@coroutine</c>);
/// an exception thrown while priming comes out of the factory; a body that ends while
/// priming gives a coroutine that is already closed. Each test is checked against its Python twin.
/// </summary>
public static partial class Rule01PrimingTests
{
    // ------------------------------------------------------------------ runs up to the first Receive, no further

    [Coroutine]
    internal static void Greeter(Inbox<string> inbox, TextWriter log)
    {
        log.WriteLine("body started");
        log.WriteLine("about to receive");
        string name = inbox.Receive();
        log.WriteLine($"hello {name}");
        inbox.Receive();
    }

    [Fact]
    public static void Factory_runs_the_body_up_to_the_first_receive_and_no_further()
    {
        var trace = new Trace();
        var c = Greeter(trace.Writer);
        trace.Print("factory returned");
        trace.Print(Trace.State(c.State));
        c.Send("ada");
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def greeter():
                print("body started")
                print("about to receive")
                name = (yield)
                print(f"hello {name}")
                yield
            c = greeter()
            print("factory returned")
            print(state(c))
            c.send("ada")
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ priming goes through loops and branches

    [Coroutine]
    internal static void Countdown(Inbox<int> inbox, int from, TextWriter log)
    {
        for (int i = from; i > 0; i--)
        {
            if (i % 2 == 0)
            {
                log.WriteLine($"even {i}");
                continue;
            }

            log.WriteLine($"odd {i}");
        }

        log.WriteLine("ready");
        while (true)
        {
            int x = inbox.Receive();
            log.WriteLine($"got {x}");
        }
    }

    [Fact]
    public static void Priming_runs_loops_and_branches_before_the_first_receive()
    {
        var trace = new Trace();
        var c = Countdown(4, trace.Writer);
        trace.Print("primed");
        c.Send(7);
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def countdown(start):
                for i in range(start, 0, -1):
                    if i % 2 == 0:
                        print(f"even {i}")
                        continue
                    print(f"odd {i}")
                print("ready")
                while True:
                    x = (yield)
                    print(f"got {x}")
            c = countdown(4)
            print("primed")
            c.send(7)
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ the first Send is the first value received

    [Coroutine]
    internal static void Recorder(Inbox<string> inbox, TextWriter log)
    {
        var seen = new List<string>();
        while (true)
        {
            seen.Add(inbox.Receive());
            log.WriteLine($"seen: {string.Join(",", seen)}");
        }
    }

    [Fact]
    public static void Priming_consumes_no_value_the_first_send_is_the_first_receive()
    {
        var trace = new Trace();
        var c = Recorder(trace.Writer);
        c.Send("a");
        c.Send("b");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def recorder():
                seen = []
                while True:
                    seen.append((yield))
                    print(f"seen: {','.join(seen)}")
            c = recorder()
            c.send("a")
            c.send("b")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ exceptions while priming leave the factory

    [Coroutine]
    internal static void Validating(Inbox<int> inbox, int limit, TextWriter log)
    {
        try
        {
            log.WriteLine("checking limit");
            if (limit <= 0) throw new ValueError($"limit must be positive, got {limit}");
            log.WriteLine("limit ok");
            while (true)
            {
                int x = inbox.Receive();
                log.WriteLine(x > limit ? "over" : "under");
            }
        }
        finally
        {
            log.WriteLine("cleanup");
        }
    }

    [Fact]
    public static void Exception_thrown_while_priming_propagates_out_of_the_factory_after_finally_blocks()
    {
        var trace = new Trace();
        try
        {
            Validating(-1, trace.Writer);
            trace.Print("create with -1: ok");
        }
        catch (Exception e)
        {
            trace.Print($"create with -1: {Trace.Describe(e)}");
        }

        var good = Validating(3, trace.Writer);
        good.Send(5);
        trace.Print(Trace.State(good.State));
        good.Close();

        PythonTwin.AssertSameTrace("""
            @coroutine
            def validating(limit):
                try:
                    print("checking limit")
                    if limit <= 0: raise ValueError(f"limit must be positive, got {limit}")
                    print("limit ok")
                    while True:
                        x = (yield)
                        print("over" if x > limit else "under")
                finally:
                    print("cleanup")
            try:
                validating(-1)
                print("create with -1: ok")
            except Exception as e:
                print(f"create with -1: {describe(e)}")
            good = validating(3)
            good.send(5)
            print(state(good))
            good.close()
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Connected(Inbox<string> inbox, Action connect, TextWriter log)
    {
        log.WriteLine("connecting");
        connect();
        log.WriteLine("connected");
        while (true)
        {
            log.WriteLine($"sending {inbox.Receive()}");
        }
    }

    [Fact]
    public static void Exception_thrown_while_priming_is_the_same_object()
    {
        var trace = new Trace();
        var problem = new TypeError("no connection");
        try
        {
            Connected(() => throw problem, trace.Writer);
            trace.Print("factory returned");
        }
        catch (Exception e)
        {
            trace.Print(Trace.Describe(e));
            trace.Print($"same object: {Trace.Format(ReferenceEquals(e, problem))}");
        }

        PythonTwin.AssertSameTrace("""
            @coroutine
            def connected(connect):
                print("connecting")
                connect()
                print("connected")
                while True:
                    print(f"sending {(yield)}")
            problem = TypeError("no connection")
            def connect():
                raise problem
            try:
                connected(connect)
                print("factory returned")
            except Exception as e:
                print(describe(e))
                print(f"same object: {e is problem}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Resilient(Inbox<string> inbox, Func<string> readConfig, TextWriter log)
    {
        string config;
        try
        {
            config = readConfig();
        }
        catch (Exception e)
        {
            log.WriteLine($"config failed: {e.Message}");
            config = "defaults";
        }

        log.WriteLine($"using {config}");
        while (true)
        {
            string line = inbox.Receive();
            log.WriteLine($"{config}: {line}");
        }
    }

    [Fact]
    public static void Exception_caught_by_the_body_while_priming_does_not_leave_the_factory()
    {
        var trace = new Trace();
        var c = Resilient(() => throw new ValueError("missing file"), trace.Writer);
        trace.Print(Trace.State(c.State));
        c.Send("x");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def resilient(read_config):
                try:
                    config = read_config()
                except Exception as e:
                    print(f"config failed: {e}")
                    config = "defaults"
                print(f"using {config}")
                while True:
                    line = (yield)
                    print(f"{config}: {line}")
            def read_config():
                raise ValueError("missing file")
            c = resilient(read_config)
            print(state(c))
            c.send("x")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ a body that ends while priming is Closed

    [Coroutine]
    internal static void Optional(Inbox<string> inbox, bool enabled, TextWriter log)
    {
        try
        {
            log.WriteLine("start");
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
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Body_that_returns_while_priming_gives_a_closed_coroutine()
    {
        var trace = new Trace();
        var c = Optional(false, trace.Writer);
        trace.Print("factory returned");
        trace.Print(Trace.State(c.State));
        trace.Attempt("send", () => c.Send("x"));
        trace.Attempt("throw", () => c.Throw(new ValueError("late")));
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        // Python's @coroutine would let StopIteration out of next(); the C# factory returns the closed coroutine.
        PythonTwin.AssertSameTrace("""
            def optional(enabled):
                try:
                    print("start")
                    if not enabled:
                        print("disabled, nothing to do")
                        return
                    while True:
                        print(f"got {(yield)}")
                finally:
                    print("finally")
            c = optional(False)
            try:
                next(c)
            except StopIteration:
                pass
            print("factory returned")
            print(state(c))
            attempt("send", lambda: c.send("x"))
            attempt("throw", lambda: c.throw(ValueError("late")))
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void EachItem(Inbox<string> inbox, IEnumerable<string> items, TextWriter log)
    {
        foreach (var item in items)
        {
            log.WriteLine($"offering {item}");
            string answer = inbox.Receive();
            log.WriteLine($"{item} -> {answer}");
        }

        log.WriteLine("no more items");
    }

    [Fact]
    public static void Body_that_falls_off_the_end_while_priming_gives_a_closed_coroutine()
    {
        var trace = new Trace();
        var empty = EachItem(Array.Empty<string>(), trace.Writer);
        trace.Print(Trace.State(empty.State));
        trace.Attempt("send", () => empty.Send("yes"));
        var one = EachItem(new[] { "tea" }, trace.Writer);
        trace.Print(Trace.State(one.State));
        trace.Attempt("send", () => one.Send("yes"));
        trace.Print(Trace.State(one.State));

        PythonTwin.AssertSameTrace("""
            def each_item(items):
                for item in items:
                    print(f"offering {item}")
                    answer = (yield)
                    print(f"{item} -> {answer}")
                print("no more items")
            def primed(g):
                try:
                    next(g)
                except StopIteration:
                    pass
                return g
            empty = primed(each_item([]))
            print(state(empty))
            attempt("send", lambda: empty.send("yes"))
            one = primed(each_item(["tea"]))
            print(state(one))
            attempt("send", lambda: one.send("yes"))
            print(state(one))
            """, trace.Lines);
    }
}
