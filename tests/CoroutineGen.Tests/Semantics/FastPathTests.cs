using System.Reflection;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// The fast paths of the generated <c>Send</c> (docs/performance.md, "The emitted shape"): the loop body a parked
/// coroutine runs for each message is copied out of the state machine, with no exception handler where it calls
/// nothing (the state is Finished while it runs), or with one try region around it where it calls out (the state is
/// Running). The rules of docs/semantics.md must hold on both: an implicit exception escaping a handler-free segment leaves
/// the coroutine finished; code called from a segment sees Running and cannot re-enter; an exception from a callee
/// reaches the template's handlers. Each test is checked against its Python twin.
/// </summary>
public static partial class FastPathTests
{
    // ------------------------------------------------------------------ a segment that calls nothing: no handler

    [Coroutine]
    internal static void LengthSink(Inbox<string> inbox, TextWriter log)
    {
        long count = 0, total = 0;
        try
        {
            while (true)
            {
                string line = inbox.Receive();
                count++;
                total += line.Length;
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine($"closed: {count} {total}");
        }
    }

    private const string PythonLengthSink = """
        @coroutine
        def length_sink():
            count = 0
            total = 0
            try:
                while True:
                    line = (yield)
                    count += 1
                    total += len(line)
            except GeneratorExit:
                print(f"closed: {count} {total}")

        """;

    [Fact]
    public static void The_handler_free_fast_path_is_emitted_and_inlinable()
    {
        var send = typeof(LengthSinkCoroutine).GetMethod("Send")!;
        Assert.True(send.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveInlining));
        var step = typeof(LengthSinkCoroutine).GetMethod("__Step", BindingFlags.NonPublic | BindingFlags.Instance)!;
        Assert.True(step.MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining));
    }

    [Fact]
    public static void A_handler_free_segment_counts_and_closes_like_Python()
    {
        var trace = new Trace();
        var c = LengthSink(trace.Writer);
        c.Send("ab");
        c.Send("cde");
        trace.Print(Trace.State(c.State));
        c.Close();
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace(PythonLengthSink + """
            c = length_sink()
            c.send("ab")
            c.send("cde")
            print(state(c))
            c.close()
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void An_implicit_exception_escaping_a_handler_free_segment_leaves_the_coroutine_finished()
    {
        var trace = new Trace();
        var c = LengthSink(trace.Writer);
        c.Send("ab");
        try
        {
            c.Send(null!);
            trace.Print("send None: ok");
        }
        catch (NullReferenceException)
        {
            trace.Print("send None: raised");
        }

        trace.Print(Trace.State(c.State));
        trace.Attempt("send", () => c.Send("x"));
        trace.Attempt("throw", () => c.Throw(new ValueError("late")));
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace(PythonLengthSink + """
            c = length_sink()
            c.send("ab")
            try:
                c.send(None)
                print("send None: ok")
            except TypeError:
                print("send None: raised")
            print(state(c))
            attempt("send", lambda: c.send("x"))
            attempt("throw", lambda: c.throw(ValueError("late")))
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ a segment that calls out: one try region

    [Coroutine]
    internal static void Calling(Inbox<int> inbox, Action<int> callback, TextWriter log)
    {
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                callback(x);
                log.WriteLine($"called with {x}");
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("handler");
        }
    }

    private const string PythonCalling = """
        @coroutine
        def calling(callback):
            try:
                while True:
                    x = (yield)
                    callback(x)
                    print(f"called with {x}")
            except GeneratorExit:
                print("handler")

        """;

    [Fact]
    public static void Code_called_from_the_fast_path_sees_Running_and_cannot_reenter()
    {
        var trace = new Trace();
        ICoroutine<int>? self = null;
        var c = Calling(x =>
        {
            trace.Print($"state inside: {Trace.State(self!.State)}");
            trace.Attempt("nested send", () => self!.Send(-x));
            trace.Attempt("nested close", () => self!.Close());
        }, trace.Writer);
        self = c;
        c.Send(1);
        trace.Print(Trace.State(c.State));
        c.Send(2);
        c.Close();
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace(PythonCalling + """
            self = None
            def callback(x):
                print(f"state inside: {state(self)}")
                attempt("nested send", lambda: self.send(-x))
                attempt("nested close", lambda: self.close())
            c = calling(callback)
            self = c
            c.send(1)
            print(state(c))
            c.send(2)
            c.close()
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void GeneratorExit_from_a_callee_runs_the_template_handler_then_StopIteration()
    {
        var trace = new Trace();
        var c = Calling(x =>
        {
            if (x == 3)
            {
                throw new GeneratorExitException();
            }
        }, trace.Writer);
        c.Send(1);
        trace.Attempt("send 3", () => c.Send(3));
        trace.Print(Trace.State(c.State));
        trace.Attempt("close", () => c.Close());

        PythonTwin.AssertSameTrace(PythonCalling + """
            def callback(x):
                if x == 3:
                    raise GeneratorExit()
            c = calling(callback)
            c.send(1)
            attempt("send 3", lambda: c.send(3))
            print(state(c))
            attempt("close", lambda: c.close())
            """, trace.Lines);
    }

    [Fact]
    public static void Other_exceptions_from_a_callee_escape_and_finish_the_coroutine()
    {
        var trace = new Trace();
        var c = Calling(x =>
        {
            if (x == 3)
            {
                throw new ValueError("bad");
            }

            if (x == 4)
            {
                throw new StopIterationException();
            }
        }, trace.Writer);
        c.Send(1);
        trace.Attempt("send 3", () => c.Send(3));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send 1", () => c.Send(1));
        trace.Attempt("close", () => c.Close());

        var d = Calling(x =>
        {
            if (x == 4)
            {
                throw new StopIterationException();
            }
        }, trace.Writer);
        trace.Attempt("send 4", () => d.Send(4));
        trace.Print(Trace.State(d.State));

        PythonTwin.AssertSameTrace(PythonCalling + """
            def callback(x):
                if x == 3:
                    raise ValueError("bad")
                if x == 4:
                    raise StopIteration()
            c = calling(callback)
            c.send(1)
            attempt("send 3", lambda: c.send(3))
            print(state(c))
            attempt("send 1", lambda: c.send(1))
            attempt("close", lambda: c.close())
            d = calling(callback)
            attempt("send 4", lambda: d.send(4))
            print(state(d))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ inside a try/finally: through the throw entry

    [Coroutine]
    internal static void Guarded(Inbox<int> inbox, Action<int> callback, TextWriter log)
    {
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                callback(x);
            }
        }
        catch (ValueError e)
        {
            log.WriteLine($"caught {e.Message}");
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    private const string PythonGuarded = """
        @coroutine
        def guarded(callback):
            try:
                while True:
                    x = (yield)
                    callback(x)
            except ValueError as e:
                print(f"caught {e}")
            finally:
                print("finally")

        """;

    [Fact]
    public static void An_exception_from_a_callee_reaches_the_template_catch_and_finally()
    {
        var trace = new Trace();
        Action<int> callback = x =>
        {
            trace.Print($"callback {x}");
            if (x == 2)
            {
                throw new ValueError("two");
            }

            if (x == 3)
            {
                throw new KeyError("three");
            }
        };
        var c = Guarded(callback, trace.Writer);
        c.Send(1);
        trace.Attempt("send 2", () => c.Send(2));
        trace.Print(Trace.State(c.State));
        var d = Guarded(callback, trace.Writer);
        trace.Attempt("send 3", () => d.Send(3));
        trace.Print(Trace.State(d.State));
        trace.Attempt("close", () => d.Close());

        PythonTwin.AssertSameTrace(PythonGuarded + """
            class KeyError(Exception):
                pass
            def callback(x):
                print(f"callback {x}")
                if x == 2:
                    raise ValueError("two")
                if x == 3:
                    raise KeyError("three")
            c = guarded(callback)
            c.send(1)
            attempt("send 2", lambda: c.send(2))
            print(state(c))
            d = guarded(callback)
            attempt("send 3", lambda: d.send(3))
            print(state(d))
            attempt("close", lambda: d.close())
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ constants around the segment

    [Coroutine]
    internal static void Scaled(Inbox<int> inbox, TextWriter log)
    {
        const int factor = 3;
        while (true)
        {
            int x = inbox.Receive();
            const int offset = 10;
            log.WriteLine(x * factor + offset);
        }
    }

    [Coroutine]
    internal static void Offset(Inbox<int> inbox, TextWriter log)
    {
        while (true)
        {
            int x = inbox.Receive();
            const int offset = 10;
            log.WriteLine(x + offset);
        }
    }

    [Fact]
    public static void Constants_declared_before_or_inside_the_segment_keep_their_values()
    {
        var trace = new Trace();
        var c = Scaled(trace.Writer);
        c.Send(1);
        c.Send(2);
        var d = Offset(trace.Writer);
        d.Send(1);
        d.Send(2);

        PythonTwin.AssertSameTrace("""
            @coroutine
            def scaled():
                factor = 3
                while True:
                    x = (yield)
                    offset = 10
                    print(x * factor + offset)

            @coroutine
            def offset():
                while True:
                    x = (yield)
                    print(x + 10)

            c = scaled()
            c.send(1)
            c.send(2)
            d = offset()
            d.send(1)
            d.send(2)
            """, trace.Lines);
    }
}
