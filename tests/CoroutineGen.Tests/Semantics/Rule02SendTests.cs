using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 2 of docs/semantics.md, Send: the sent value is what <c>Receive()</c> returns and the body runs to the next suspension
/// point; a body that finishes during <c>Send</c> throws <see cref="StopIterationException"/>, and so
/// does every later <c>Send</c>; an exception escaping the body comes out of <c>Send</c> unchanged and finishes
/// the coroutine. Each test is checked against its Python twin.
/// </summary>
public static partial class Rule02SendTests
{
    // ------------------------------------------------------------------ value flow

    [Coroutine]
    internal static void Echo(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            log.WriteLine("waiting");
            string line = inbox.Receive();
            log.WriteLine($"received {line}");
        }
    }

    [Fact]
    public static void Send_resumes_with_the_value_and_runs_to_the_next_receive()
    {
        var trace = new Trace();
        var c = Echo(trace.Writer);
        trace.Print("send a");
        c.Send("a");
        trace.Print("send b");
        c.Send("b");
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def echo():
                while True:
                    print("waiting")
                    line = (yield)
                    print(f"received {line}")
            c = echo()
            print("send a")
            c.send("a")
            print("send b")
            c.send("b")
            print(state(c))
            """, trace.Lines);
    }

    private static void Show(TextWriter log, string what, int value) => log.WriteLine($"{what}: {value}");

    [Coroutine]
    internal static void Forms(Inbox<int> inbox, TextWriter log)
    {
        int declared = inbox.Receive();
        log.WriteLine($"declared: {declared}");
        int assigned;
        assigned = inbox.Receive();
        log.WriteLine($"assigned: {assigned}");
        inbox.Receive();
        log.WriteLine("discarded");
        Show(log, "argument", inbox.Receive());
        int total = 0;
        total += inbox.Receive();
        log.WriteLine($"total: {total}");
        total += inbox.Receive();
        log.WriteLine($"total: {total}");
        inbox.Receive();
    }

    [Fact]
    public static void Every_form_of_receive_statement_gets_the_sent_value()
    {
        var trace = new Trace();
        var c = Forms(trace.Writer);
        c.Send(1);
        c.Send(2);
        c.Send(3);
        c.Send(4);
        c.Send(5);
        c.Send(6);
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            def show(what, value):
                print(f"{what}: {value}")
            @coroutine
            def forms():
                declared = (yield)
                print(f"declared: {declared}")
                assigned = (yield)
                print(f"assigned: {assigned}")
                (yield)
                print("discarded")
                show("argument", (yield))
                total = 0
                total += (yield)
                print(f"total: {total}")
                total += (yield)
                print(f"total: {total}")
                yield
            c = forms()
            c.send(1)
            c.send(2)
            c.send(3)
            c.send(4)
            c.send(5)
            c.send(6)
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void PositiveSum(Inbox<int> inbox, TextWriter log)
    {
        int sum = 0;
        while (true)
        {
            int x = inbox.Receive();
            if (x == 0)
            {
                log.WriteLine("zero ignored");
                continue;
            }
            else if (x < 0)
            {
                log.WriteLine($"negative {x} ignored");
                continue;
            }

            sum += x;
            log.WriteLine($"sum={sum}");
        }
    }

    [Fact]
    public static void Each_send_runs_through_branches_and_continue_to_the_next_receive()
    {
        var trace = new Trace();
        var c = PositiveSum(trace.Writer);
        foreach (var x in new[] { 3, 0, -2, 4 })
        {
            c.Send(x);
        }

        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def positive_sum():
                total = 0
                while True:
                    x = (yield)
                    if x == 0:
                        print("zero ignored")
                        continue
                    elif x < 0:
                        print(f"negative {x} ignored")
                        continue
                    total += x
                    print(f"sum={total}")
            c = positive_sum()
            for x in [3, 0, -2, 4]:
                c.send(x)
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Skipping(Inbox<int> inbox, TextWriter log)
    {
        for (int i = 0; i < 4; i++)
        {
            try
            {
                if (i == 1) continue;
                if (i == 3) break;
                log.WriteLine($"{i}: got {inbox.Receive()}");
            }
            finally
            {
                log.WriteLine($"finally {i}");
            }
        }

        log.WriteLine("loop done");
        inbox.Receive();
    }

    [Fact]
    public static void Send_runs_through_continue_break_and_finally_blocks_to_the_next_receive()
    {
        var trace = new Trace();
        var c = Skipping(trace.Writer);
        trace.Print("send 10");
        c.Send(10);
        trace.Print("send 20");
        c.Send(20);
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def skipping():
                for i in range(4):
                    try:
                        if i == 1: continue
                        if i == 3: break
                        print(f"{i}: got {(yield)}")
                    finally:
                        print(f"finally {i}")
                print("loop done")
                yield
            c = skipping()
            print("send 10")
            c.send(10)
            print("send 20")
            c.send(20)
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void EverywhereInTry(Inbox<int> inbox, TextWriter log)
    {
        try
        {
            log.WriteLine("try");
            int x = inbox.Receive();
            log.WriteLine($"try got {x}");
            throw new ValueError($"failing on {x}");
        }
        catch (ValueError e)
        {
            log.WriteLine($"catch {e.Message}");
            int y = inbox.Receive();
            log.WriteLine($"catch got {y}");
        }
        finally
        {
            log.WriteLine("finally");
            int z = inbox.Receive();
            log.WriteLine($"finally got {z}");
        }

        log.WriteLine("after the try");
        inbox.Receive();
    }

    [Fact]
    public static void Send_resumes_receives_in_try_catch_and_finally_blocks()
    {
        var trace = new Trace();
        var c = EverywhereInTry(trace.Writer);
        trace.Attempt("send 1", () => c.Send(1));
        trace.Attempt("send 2", () => c.Send(2));
        trace.Attempt("send 3", () => c.Send(3));
        trace.Attempt("send 4", () => c.Send(4));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def everywhere_in_try():
                try:
                    print("try")
                    x = (yield)
                    print(f"try got {x}")
                    raise ValueError(f"failing on {x}")
                except ValueError as e:
                    print(f"catch {e}")
                    y = (yield)
                    print(f"catch got {y}")
                finally:
                    print("finally")
                    z = (yield)
                    print(f"finally got {z}")
                print("after the try")
                yield
            c = everywhere_in_try()
            attempt("send 1", lambda: c.send(1))
            attempt("send 2", lambda: c.send(2))
            attempt("send 3", lambda: c.send(3))
            attempt("send 4", lambda: c.send(4))
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ finishing during Send, and after

    [Coroutine]
    internal static void UntilEmpty(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                string line = inbox.Receive();
                if (line.Length == 0) break;
                log.WriteLine($"line: {line}");
            }

            log.WriteLine("end of input");
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Body_that_finishes_during_send_throws_StopIteration_after_its_finally_blocks()
    {
        var trace = new Trace();
        var c = UntilEmpty(trace.Writer);
        trace.Attempt("send x", () => c.Send("x"));
        trace.Attempt("send empty", () => c.Send(""));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def until_empty():
                try:
                    while True:
                        line = (yield)
                        if len(line) == 0: break
                        print(f"line: {line}")
                    print("end of input")
                finally:
                    print("finally")
            c = until_empty()
            attempt("send x", lambda: c.send("x"))
            attempt("send empty", lambda: c.send(""))
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void Send_on_a_finished_coroutine_throws_StopIteration_and_runs_nothing()
    {
        var trace = new Trace();
        var c = UntilEmpty(trace.Writer);
        trace.Attempt("finishing send", () => c.Send(""));
        trace.Attempt("send again", () => c.Send("late"));
        trace.Attempt("and again", () => c.Send(""));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def until_empty():
                try:
                    while True:
                        line = (yield)
                        if len(line) == 0: break
                        print(f"line: {line}")
                    print("end of input")
                finally:
                    print("finally")
            c = until_empty()
            attempt("finishing send", lambda: c.send(""))
            attempt("send again", lambda: c.send("late"))
            attempt("and again", lambda: c.send(""))
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ exceptions escaping the body

    [Coroutine]
    internal static void Apply(Inbox<int> inbox, Action<int> action, TextWriter log)
    {
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                action(x);
                log.WriteLine($"applied {x}");
            }
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Exception_escaping_the_body_propagates_out_of_send_unchanged_and_finishes_it()
    {
        var trace = new Trace();
        var boom = new ValueError("boom");
        var c = Apply(x => { if (x == 2) throw boom; }, trace.Writer);
        c.Send(1);
        try
        {
            c.Send(2);
            trace.Print("send 2: ok");
        }
        catch (Exception e)
        {
            trace.Print($"send 2: {Trace.Describe(e)}");
            trace.Print($"same object: {Trace.Format(ReferenceEquals(e, boom))}");
        }

        trace.Print(Trace.State(c.State));
        trace.Attempt("send 3", () => c.Send(3));
        trace.Attempt("close", () => c.Close());

        PythonTwin.AssertSameTrace("""
            @coroutine
            def apply(action):
                try:
                    while True:
                        x = (yield)
                        action(x)
                        print(f"applied {x}")
                finally:
                    print("finally")
            boom = ValueError("boom")
            def action(x):
                if x == 2: raise boom
            c = apply(action)
            c.send(1)
            try:
                c.send(2)
                print("send 2: ok")
            except Exception as e:
                print(f"send 2: {describe(e)}")
                print(f"same object: {e is boom}")
            print(state(c))
            attempt("send 3", lambda: c.send(3))
            attempt("close", lambda: c.close())
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Parser(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    string text = inbox.Receive();
                    if (!int.TryParse(text, out int n)) throw new ValueError($"not a number: {text}");
                    if (n < 0) throw new TypeError($"negative: {n}");
                    log.WriteLine($"parsed {n}");
                }
                catch (ValueError e)
                {
                    log.WriteLine($"skipped, {e.Message}");
                }
                finally
                {
                    log.WriteLine("inner finally");
                }
            }
        }
        finally
        {
            log.WriteLine("outer finally");
        }
    }

    [Fact]
    public static void Caught_exceptions_keep_the_coroutine_alive_uncaught_ones_unwind_every_finally()
    {
        var trace = new Trace();
        var c = Parser(trace.Writer);
        trace.Attempt("send 12", () => c.Send("12"));
        trace.Attempt("send abc", () => c.Send("abc"));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send -4", () => c.Send("-4"));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send 5", () => c.Send("5"));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def parser():
                try:
                    while True:
                        try:
                            text = (yield)
                            if not text.lstrip("-").isdigit(): raise ValueError(f"not a number: {text}")
                            n = int(text)
                            if n < 0: raise TypeError(f"negative: {n}")
                            print(f"parsed {n}")
                        except ValueError as e:
                            print(f"skipped, {e}")
                        finally:
                            print("inner finally")
                finally:
                    print("outer finally")
            c = parser()
            attempt("send 12", lambda: c.send("12"))
            attempt("send abc", lambda: c.send("abc"))
            print(state(c))
            attempt("send -4", lambda: c.send("-4"))
            print(state(c))
            attempt("send 5", lambda: c.send("5"))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void CleanupWaits(Inbox<int> inbox, TextWriter log)
    {
        try
        {
            int x = inbox.Receive();
            if (x < 0) throw new ValueError($"negative {x}");
            log.WriteLine($"got {x}");
        }
        finally
        {
            log.WriteLine("cleanup waits");
            int y = inbox.Receive();
            log.WriteLine($"cleanup done with {y}");
        }

        log.WriteLine("after the try");
        inbox.Receive();
    }

    [Fact]
    public static void Exception_pending_in_a_finally_that_receives_propagates_out_of_the_Send_that_completes_it()
    {
        var trace = new Trace();
        var c = CleanupWaits(trace.Writer);
        trace.Attempt("send -1", () => c.Send(-1));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send 2", () => c.Send(2));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def cleanup_waits():
                try:
                    x = (yield)
                    if x < 0: raise ValueError(f"negative {x}")
                    print(f"got {x}")
                finally:
                    print("cleanup waits")
                    y = (yield)
                    print(f"cleanup done with {y}")
                print("after the try")
                yield
            c = cleanup_waits()
            attempt("send -1", lambda: c.send(-1))
            print(state(c))
            attempt("send 2", lambda: c.send(2))
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ pipelines: sends nest like calls

    [Coroutine]
    internal static void Stage(Inbox<string> inbox, string name, ICoroutine<string> target, TextWriter log)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                log.WriteLine($"{name} passes {item}");
                target.Send(item);
            }
        }
        finally
        {
            log.WriteLine($"{name} finally");
        }
    }

    [Coroutine]
    internal static void Sink(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            string item = inbox.Receive();
            if (item == "bad") throw new ValueError($"cannot store {item}");
            log.WriteLine($"stored {item}");
        }
    }

    [Fact]
    public static void Exception_from_a_downstream_stage_unwinds_and_finishes_every_stage_on_the_way()
    {
        var trace = new Trace();
        var sink = Sink(trace.Writer);
        var mid = Stage("mid", sink, trace.Writer);
        var head = Stage("head", mid, trace.Writer);
        head.Send("ok");
        trace.Attempt("send bad", () => head.Send("bad"));
        trace.Print($"{Trace.State(head.State)} {Trace.State(mid.State)} {Trace.State(sink.State)}");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def stage(name, target):
                try:
                    while True:
                        item = (yield)
                        print(f"{name} passes {item}")
                        target.send(item)
                finally:
                    print(f"{name} finally")
            @coroutine
            def sink():
                while True:
                    item = (yield)
                    if item == "bad": raise ValueError(f"cannot store {item}")
                    print(f"stored {item}")
            s = sink()
            mid = stage("mid", s)
            head = stage("head", mid)
            head.send("ok")
            attempt("send bad", lambda: head.send("bad"))
            print(f"{state(head)} {state(mid)} {state(s)}")
            """, trace.Lines);
    }
    // ------------------------------------------------------------------ values parked across several suspension points

    [Coroutine]
    internal static void Pairs(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            string key = inbox.Receive();
            inbox.Receive();
            string value = inbox.Receive();
            log.WriteLine($"{key} = {value}");
        }
    }

    private const string PairsTwin = """
        @coroutine
        def pairs():
            while True:
                key = (yield)
                (yield)
                value = (yield)
                print(f"{key} = {value}")
        c = pairs()
        for item in ["a", ":", "1", "b", ":", "2"]:
            attempt(f"send {item}", lambda: c.send(item))
        """;

    /// <summary>A local and a parameter read only after a later suspension point keep their values while parked twice.</summary>
    [Fact]
    public static void Values_survive_several_suspension_points()
    {
        var trace = new Trace();
        var c = Pairs(trace.Writer);
        foreach (var item in new[] { "a", ":", "1", "b", ":", "2" })
        {
            trace.Attempt($"send {item}", () => c.Send(item));
        }

        PythonTwin.AssertSameTrace(PairsTwin, trace.Lines);
    }

    [Coroutine]
    internal static void Labelled(Inbox<string> inbox, TextWriter log)
    {
        string label = inbox.Receive();
        log.WriteLine($"label {label}");
        inbox.Receive();
        log.WriteLine("skipped one");
        string text = inbox.Receive();
        log.WriteLine($"{label}: {text}");
        inbox.Receive();
    }

    private const string LabelledTwin = """
        @coroutine
        def labelled():
            label = (yield)
            print(f"label {label}")
            (yield)
            print("skipped one")
            text = (yield)
            print(f"{label}: {text}")
            (yield)
        c = labelled()
        for item in ["x", "skip", "hello"]:
            attempt(f"send {item}", lambda: c.send(item))
        c.close()
        """;

    /// <summary>The silent variant: a string read two suspension points later is not lost.</summary>
    [Fact]
    public static void A_value_read_two_suspension_points_later_is_kept()
    {
        var trace = new Trace();
        var c = Labelled(trace.Writer);
        foreach (var item in new[] { "x", "skip", "hello" })
        {
            trace.Attempt($"send {item}", () => c.Send(item));
        }

        c.Close();
        PythonTwin.AssertSameTrace(LabelledTwin, trace.Lines);
    }
}
