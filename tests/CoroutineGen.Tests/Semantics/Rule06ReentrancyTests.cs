using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 6 of docs/semantics.md, re-entrancy: <c>Send</c>, <c>Throw</c> or <c>Close</c> on a coroutine whose body is running
/// throws "coroutine is already running" (Python's <c>ValueError: generator already executing</c>) at that
/// inner call site, inside the body, which may catch it; it changes nothing. The body reaches its own coroutine
/// through a holder set after the factory returned. Each test is checked against its Python twin.
/// </summary>
public static partial class Rule06ReentrancyTests
{
    /// <summary>A reference to a coroutine, set after it was created (a pipeline that loops back, a scheduler).</summary>
    internal sealed class Link<T>
    {
        public ICoroutine<T>? Target { get; set; }
    }

    private const string PythonLink = """
        class Link:
            target = None

        """;

    // ------------------------------------------------------------------ caught inside the body, nothing changes

    [Coroutine]
    internal static void Reentrant(Inbox<string> inbox, Link<string> self, TextWriter log)
    {
        try
        {
            while (true)
            {
                string command = inbox.Receive();
                try
                {
                    switch (command)
                    {
                        case "send":
                            self.Target!.Send("nested");
                            break;
                        case "throw":
                            self.Target!.Throw(new ValueError("nested"));
                            break;
                        case "close":
                            self.Target!.Close();
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

    private const string PythonReentrant = PythonLink + """
        @coroutine
        def reentrant(self):
            try:
                while True:
                    command = (yield)
                    try:
                        if command == "send":
                            self.target.send("nested")
                        elif command == "throw":
                            self.target.throw(ValueError("nested"))
                        elif command == "close":
                            self.target.close()
                        else:
                            print(f"got {command}")
                        print(f"{command} returned normally")
                    except ValueError as e:
                        print(f"inside the body, {command}: {describe(e)}")
                        print(f"state seen inside: {state(self.target)}")
            finally:
                print("finally")

        """;

    [Fact]
    public static void Reentrant_Send_throws_already_running_inside_the_body_and_changes_nothing()
    {
        var trace = new Trace();
        var self = new Link<string>();
        var c = Reentrant(self, trace.Writer);
        self.Target = c;
        trace.Attempt("send", () => c.Send("send"));
        trace.Print(Trace.State(c.State));
        c.Send("hello");
        c.Close();

        PythonTwin.AssertSameTrace(PythonReentrant + """
            self = Link()
            c = reentrant(self)
            self.target = c
            attempt("send", lambda: c.send("send"))
            print(state(c))
            c.send("hello")
            c.close()
            """, trace.Lines);
    }

    [Fact]
    public static void Reentrant_Throw_throws_already_running_inside_the_body_and_delivers_nothing()
    {
        var trace = new Trace();
        var self = new Link<string>();
        var c = Reentrant(self, trace.Writer);
        self.Target = c;
        trace.Attempt("send", () => c.Send("throw"));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send hello", () => c.Send("hello"));
        c.Close();

        PythonTwin.AssertSameTrace(PythonReentrant + """
            self = Link()
            c = reentrant(self)
            self.target = c
            attempt("send", lambda: c.send("throw"))
            print(state(c))
            attempt("send hello", lambda: c.send("hello"))
            c.close()
            """, trace.Lines);
    }

    [Fact]
    public static void Reentrant_Close_throws_already_running_inside_the_body_and_does_not_close()
    {
        var trace = new Trace();
        var self = new Link<string>();
        var c = Reentrant(self, trace.Writer);
        self.Target = c;
        trace.Attempt("send", () => c.Send("close"));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send hello", () => c.Send("hello"));
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace(PythonReentrant + """
            self = Link()
            c = reentrant(self)
            self.target = c
            attempt("send", lambda: c.send("close"))
            print(state(c))
            attempt("send hello", lambda: c.send("hello"))
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void Each_refused_reentrant_call_leaves_the_coroutine_suspended_for_the_next_one()
    {
        var trace = new Trace();
        var self = new Link<string>();
        var c = Reentrant(self, trace.Writer);
        self.Target = c;
        c.Send("send");
        c.Send("throw");
        c.Send("close");
        trace.Print(Trace.State(c.State));
        c.Close();

        PythonTwin.AssertSameTrace(PythonReentrant + """
            self = Link()
            c = reentrant(self)
            self.target = c
            c.send("send")
            c.send("throw")
            c.send("close")
            print(state(c))
            c.close()
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ uncaught: it finishes the coroutine

    [Coroutine]
    internal static void Recursive(Inbox<int> inbox, Link<int> self, TextWriter log)
    {
        try
        {
            while (true)
            {
                int n = inbox.Receive();
                log.WriteLine($"got {n}");
                if (n > 0) self.Target!.Send(n - 1);
            }
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Uncaught_reentrant_call_propagates_out_of_the_outer_Send_and_finishes_the_coroutine()
    {
        var trace = new Trace();
        var self = new Link<int>();
        var c = Recursive(self, trace.Writer);
        self.Target = c;
        c.Send(0);
        trace.Attempt("send 2", () => c.Send(2));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send 0", () => c.Send(0));

        PythonTwin.AssertSameTrace(PythonLink + """
            @coroutine
            def recursive(self):
                try:
                    while True:
                        n = (yield)
                        print(f"got {n}")
                        if n > 0: self.target.send(n - 1)
                finally:
                    print("finally")
            self = Link()
            c = recursive(self)
            self.target = c
            c.send(0)
            attempt("send 2", lambda: c.send(2))
            print(state(c))
            attempt("send 0", lambda: c.send(0))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Relay(Inbox<int> inbox, string name, Link<int> next, TextWriter log)
    {
        try
        {
            while (true)
            {
                int hop = inbox.Receive();
                log.WriteLine($"{name} got {hop}");
                next.Target!.Send(hop + 1);
            }
        }
        finally
        {
            log.WriteLine($"{name} finally");
        }
    }

    [Fact]
    public static void Pipeline_cycle_fails_with_already_running_and_unwinds_both_stages()
    {
        var trace = new Trace();
        var toA = new Link<int>();
        var toB = new Link<int>();
        var a = Relay("a", toB, trace.Writer);
        var b = Relay("b", toA, trace.Writer);
        toA.Target = a;
        toB.Target = b;
        trace.Attempt("a.send(1)", () => a.Send(1));
        trace.Print($"{Trace.State(a.State)} {Trace.State(b.State)}");

        PythonTwin.AssertSameTrace(PythonLink + """
            @coroutine
            def relay(name, next):
                try:
                    while True:
                        hop = (yield)
                        print(f"{name} got {hop}")
                        next.target.send(hop + 1)
                finally:
                    print(f"{name} finally")
            to_a = Link()
            to_b = Link()
            a = relay("a", to_b)
            b = relay("b", to_a)
            to_a.target = a
            to_b.target = b
            attempt("a.send(1)", lambda: a.send(1))
            print(f"{state(a)} {state(b)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ while closing

    [Coroutine]
    internal static void ClosingHandler(Inbox<string> inbox, Link<string> self, TextWriter log)
    {
        try
        {
            while (true)
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("closing");
            try
            {
                self.Target!.Send("one more");
            }
            catch (InvalidOperationException e)
            {
                log.WriteLine($"send from the handler: {Trace.Describe(e)}");
                log.WriteLine($"state seen inside: {self.Target!.State}");
            }

            try
            {
                self.Target!.Close();
            }
            catch (InvalidOperationException e)
            {
                log.WriteLine($"close from the handler: {Trace.Describe(e)}");
            }
        }
    }

    [Fact]
    public static void Reentrant_calls_from_the_GeneratorExit_handler_are_refused_and_Close_still_completes()
    {
        var trace = new Trace();
        var self = new Link<string>();
        var c = ClosingHandler(self, trace.Writer);
        self.Target = c;
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace(PythonLink + """
            @coroutine
            def closing_handler(self):
                try:
                    while True:
                        print(f"got {(yield)}")
                except GeneratorExit:
                    print("closing")
                    try:
                        self.target.send("one more")
                    except ValueError as e:
                        print(f"send from the handler: {describe(e)}")
                        print(f"state seen inside: {state(self.target)}")
                    try:
                        self.target.close()
                    except ValueError as e:
                        print(f"close from the handler: {describe(e)}")
            self = Link()
            c = closing_handler(self)
            self.target = c
            c.send("a")
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }
}
