using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 8 of docs/semantics.md, State: <see cref="CoroutineState.Running"/> inside the body (seen through a reference set after
/// the factory returned, or by code the body calls), <see cref="CoroutineState.Suspended"/> between calls,
/// <see cref="CoroutineState.Closed"/> once finished by any means. Python's <c>inspect.getgeneratorstate</c>
/// is the twin's oracle. Each test is checked against its Python twin.
/// </summary>
public static partial class Rule08StateTests
{
    /// <summary>A reference to a coroutine, set after it was created.</summary>
    internal sealed class Link<T>
    {
        public ICoroutine<T>? Target { get; set; }
    }

    [Coroutine]
    internal static void Observed(Inbox<string> inbox, Link<string> self, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    string command = inbox.Receive();
                    log.WriteLine($"inside, after receiving {command}: {self.Target!.State}");
                    if (command == "return") return;
                    if (command == "fail") throw new TypeError("failing");
                }
                catch (ValueError)
                {
                    log.WriteLine($"inside the ValueError handler: {self.Target!.State}");
                }
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine($"inside the GeneratorExit handler: {self.Target!.State}");
        }
        finally
        {
            log.WriteLine($"inside finally: {self.Target!.State}");
        }
    }

    private const string PythonObserved = """
        class Link:
            target = None
        @coroutine
        def observed(self):
            try:
                while True:
                    try:
                        command = (yield)
                        print(f"inside, after receiving {command}: {state(self.target)}")
                        if command == "return": return
                        if command == "fail": raise TypeError("failing")
                    except ValueError:
                        print(f"inside the ValueError handler: {state(self.target)}")
            except GeneratorExit:
                print(f"inside the GeneratorExit handler: {state(self.target)}")
            finally:
                print(f"inside finally: {state(self.target)}")
        def make():
            self = Link()
            c = observed(self)
            self.target = c
            return c

        """;

    private static ObservedCoroutine Make(Trace trace)
    {
        var self = new Link<string>();
        var c = Observed(self, trace.Writer);
        self.Target = c;
        return c;
    }

    [Fact]
    public static void Suspended_between_calls_Running_inside_Closed_after_return()
    {
        var trace = new Trace();
        var c = Make(trace);
        trace.Print($"after the factory: {Trace.State(c.State)}");
        c.Send("a");
        trace.Print($"between calls: {Trace.State(c.State)}");
        c.Send("b");
        trace.Print($"between calls: {Trace.State(c.State)}");
        trace.Attempt("send return", () => c.Send("return"));
        trace.Print($"after return: {Trace.State(c.State)}");

        PythonTwin.AssertSameTrace(PythonObserved + """
            c = make()
            print(f"after the factory: {state(c)}")
            c.send("a")
            print(f"between calls: {state(c)}")
            c.send("b")
            print(f"between calls: {state(c)}")
            attempt("send return", lambda: c.send("return"))
            print(f"after return: {state(c)}")
            """, trace.Lines);
    }

    [Fact]
    public static void Running_inside_a_handler_of_a_thrown_exception_Suspended_after_it_was_handled()
    {
        var trace = new Trace();
        var c = Make(trace);
        trace.Attempt("throw", () => c.Throw(new ValueError("handled")));
        trace.Print($"after the handled throw: {Trace.State(c.State)}");
        trace.Attempt("throw", () => c.Throw(new TypeError("not handled")));
        trace.Print($"after the unhandled throw: {Trace.State(c.State)}");

        PythonTwin.AssertSameTrace(PythonObserved + """
            c = make()
            attempt("throw", lambda: c.throw(ValueError("handled")))
            print(f"after the handled throw: {state(c)}")
            attempt("throw", lambda: c.throw(TypeError("not handled")))
            print(f"after the unhandled throw: {state(c)}")
            """, trace.Lines);
    }

    [Fact]
    public static void Running_inside_the_GeneratorExit_handler_and_finally_during_Close_Closed_after()
    {
        var trace = new Trace();
        var c = Make(trace);
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        trace.Print($"after close: {Trace.State(c.State)}");

        PythonTwin.AssertSameTrace(PythonObserved + """
            c = make()
            c.send("a")
            attempt("close", lambda: c.close())
            print(f"after close: {state(c)}")
            """, trace.Lines);
    }

    [Fact]
    public static void Closed_after_an_exception_escaped_and_stays_Closed_whatever_is_called()
    {
        var trace = new Trace();
        var c = Make(trace);
        trace.Attempt("send fail", () => c.Send("fail"));
        trace.Print($"after the exception: {Trace.State(c.State)}");
        trace.Attempt("send", () => c.Send("x"));
        trace.Attempt("throw", () => c.Throw(new ValueError("late")));
        trace.Attempt("close", () => c.Close());
        trace.Print($"at the end: {Trace.State(c.State)}");

        PythonTwin.AssertSameTrace(PythonObserved + """
            c = make()
            attempt("send fail", lambda: c.send("fail"))
            print(f"after the exception: {state(c)}")
            attempt("send", lambda: c.send("x"))
            attempt("throw", lambda: c.throw(ValueError("late")))
            attempt("close", lambda: c.close())
            print(f"at the end: {state(c)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ seen from code the body calls

    [Coroutine]
    internal static void Forward(Inbox<int> inbox, ICoroutine<int> target, TextWriter log)
    {
        while (true)
        {
            int x = inbox.Receive();
            log.WriteLine($"forward sends {x}, target is {target.State}");
            target.Send(x);
        }
    }

    [Coroutine]
    internal static void Watcher(Inbox<int> inbox, Link<int> upstream, TextWriter log)
    {
        while (true)
        {
            int x = inbox.Receive();
            log.WriteLine($"watcher got {x}, upstream is {upstream.Target!.State}");
        }
    }

    [Fact]
    public static void Every_stage_on_the_call_path_of_a_pipeline_is_Running()
    {
        var trace = new Trace();
        var upstream = new Link<int>();
        var watcher = Watcher(upstream, trace.Writer);
        var forward = Forward(watcher, trace.Writer);
        upstream.Target = forward;
        forward.Send(1);
        trace.Print($"{Trace.State(forward.State)} {Trace.State(watcher.State)}");

        PythonTwin.AssertSameTrace("""
            class Link:
                target = None
            @coroutine
            def forward(target):
                while True:
                    x = (yield)
                    print(f"forward sends {x}, target is {state(target)}")
                    target.send(x)
            @coroutine
            def watcher(upstream):
                while True:
                    x = (yield)
                    print(f"watcher got {x}, upstream is {state(upstream.target)}")
            upstream = Link()
            w = watcher(upstream)
            f = forward(w)
            upstream.target = f
            f.send(1)
            print(f"{state(f)} {state(w)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ ignored GeneratorExit leaves it Suspended

#pragma warning disable CORO0007 // the handler lets the body suspend again on purpose
    [Coroutine]
    internal static void Reluctant(Inbox<string> inbox, TextWriter log)
    {
        bool closing = false;
        while (true)
        {
            try
            {
                string item = inbox.Receive();
                log.WriteLine($"got {item}");
                if (closing) return;
            }
            catch (GeneratorExitException)
            {
                log.WriteLine("send one more item, then I close");
                closing = true;
            }
        }
    }
#pragma warning restore CORO0007

    [Fact]
    public static void Suspended_after_an_ignored_GeneratorExit_Closed_once_the_body_returns()
    {
        var trace = new Trace();
        var c = Reluctant(trace.Writer);
        trace.Attempt("close", () => c.Close());
        trace.Print($"after the ignored close: {Trace.State(c.State)}");
        trace.Attempt("send last", () => c.Send("last"));
        trace.Print($"after return: {Trace.State(c.State)}");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def reluctant():
                closing = False
                while True:
                    try:
                        item = (yield)
                        print(f"got {item}")
                        if closing: return
                    except GeneratorExit:
                        print("send one more item, then I close")
                        closing = True
            c = reluctant()
            attempt("close", lambda: c.close())
            print(f"after the ignored close: {state(c)}")
            attempt("send last", lambda: c.send("last"))
            print(f"after return: {state(c)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ closed by the factory

    [Coroutine]
    internal static void MaybeIdle(Inbox<int> inbox, bool idle, TextWriter log)
    {
        if (idle) return;
        log.WriteLine($"got {inbox.Receive()}");
    }

    [Fact]
    public static void Closed_right_away_when_the_body_ends_while_priming()
    {
        var trace = new Trace();
        var idle = MaybeIdle(true, trace.Writer);
        var busy = MaybeIdle(false, trace.Writer);
        trace.Print($"idle: {Trace.State(idle.State)}, busy: {Trace.State(busy.State)}");
        trace.Attempt("send 1", () => busy.Send(1));
        trace.Print($"busy: {Trace.State(busy.State)}");

        PythonTwin.AssertSameTrace("""
            def maybe_idle(idle):
                if idle: return
                print(f"got {(yield)}")
            def primed(g):
                try:
                    next(g)
                except StopIteration:
                    pass
                return g
            idle = primed(maybe_idle(True))
            busy = primed(maybe_idle(False))
            print(f"idle: {state(idle)}, busy: {state(busy)}")
            attempt("send 1", lambda: busy.send(1))
            print(f"busy: {state(busy)}")
            """, trace.Lines);
    }
}
