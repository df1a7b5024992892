using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Bidirectional coroutines (rule 9): <c>Inbox&lt;TIn, TOut&gt;.Yield(value)</c> is Python's <c>x = yield value</c>.
/// Current holds the value yielded while priming, Send returns the next yielded value, a handled Throw returns the
/// value yielded next, and a return value travels in StopIterationException.Value and Result.
/// </summary>
public static partial class YieldTests
{
    private static int A(Trace t, int v)
    {
        t.Print($"A {v}");
        return v;
    }

    private static void Log(Trace t, int a, int b, int c) => t.Print($"Log {a} {b} {c}");

    [Coroutine]
    internal static void Doubler(Inbox<int, int> inbox, Trace t)
    {
        int x = inbox.Yield(-1);
        while (true)
        {
            try
            {
                x = inbox.Yield(x * 2);
            }
            catch (ValueError e)
            {
                t.Print($"caught {e.Message}");
                x = inbox.Yield(-100);
            }
            finally
            {
                t.Print("tick");
            }
        }
    }

    private const string DoublerTwin = """
        def doubler():
            x = yield -1
            while True:
                try:
                    x = yield x * 2
                except ValueError as e:
                    print(f"caught {e}")
                    x = yield -100
                finally:
                    print("tick")
        g = doubler()
        print(f"current {next(g)}")
        attempt("send 3", lambda: g.send(3))
        attempt("send 5", lambda: g.send(5))
        attempt("throw", lambda: g.throw(ValueError("bad")))
        attempt("send 4", lambda: g.send(4))
        attempt("throw other", lambda: g.throw(TypeError("k")))
        print(state(g))
        attempt("send after", lambda: g.send(1))
        """;

    [Fact]
    public static void Send_and_Throw_return_the_next_yielded_value()
    {
        var trace = new Trace();
        var g = Doubler(trace);
        trace.Print($"current {g.Current}");
        trace.Attempt("send 3", () => g.Send(3));
        trace.Attempt("send 5", () => g.Send(5));
        trace.Attempt("throw", () => g.Throw(new ValueError("bad")));
        Assert.Equal(-100, g.Current);
        trace.Attempt("send 4", () => g.Send(4));
        Assert.Equal(8, g.Current);
        trace.Attempt("throw other", () => g.Throw(new TypeError("k")));
        trace.Print(g.State.ToString());
        trace.Attempt("send after", () => g.Send(1));
        PythonTwin.AssertSameTrace(DoublerTwin, trace.Lines);
    }

    // Yield inside expressions: its argument is evaluated before it suspends, what is left of it before that, what is
    // right of it after; a Yield whose argument itself yields.
    [Coroutine]
    internal static void Expressions(Inbox<int, int> inbox, Trace t)
    {
        Log(t, A(t, 1), inbox.Yield(A(t, 2)), A(t, 3));
        var nested = inbox.Yield(inbox.Yield(10) * 2);
        t.Print($"nested {nested}");
        var sum = A(t, 100) + inbox.Yield(inbox.Yield(20) + A(t, 5));
        t.Print($"sum {sum}");
    }

    private const string ExpressionsTwin = """
        def A(v):
            print(f"A {v}")
            return v
        def Log(a, b, c): print(f"Log {a} {b} {c}")
        def expressions():
            Log(A(1), (yield A(2)), A(3))
            nested = yield ((yield 10) * 2)
            print(f"nested {nested}")
            s = A(100) + (yield ((yield 20) + A(5)))
            print(f"sum {s}")
        g = expressions()
        print(f"current {next(g)}")
        for v in [7, 8, 9, 4, 6]:
            attempt(f"send {v}", lambda: g.send(v))
        """;

    [Fact]
    public static void Yields_inside_expressions_match_CPython()
    {
        var trace = new Trace();
        var g = Expressions(trace);
        trace.Print($"current {g.Current}");
        foreach (var v in new[] { 7, 8, 9, 4, 6 })
        {
            trace.Attempt($"send {v}", () => g.Send(v));
        }

        PythonTwin.AssertSameTrace(ExpressionsTwin, trace.Lines);
    }

    // A bidirectional template with a return value, of different in and out types.
    [Coroutine]
    internal static int Averager(Inbox<double, string> inbox, Trace t)
    {
        double sum = 0;
        int count = 0;
        string reply = "ready";
        while (true)
        {
            double x = inbox.Yield(reply);
            if (x < 0)
            {
                return count;
            }

            sum += x;
            count++;
            reply = $"avg {sum / count}";
        }
    }

    private const string AveragerTwin = """
        def averager():
            s = 0.0; n = 0
            reply = "ready"
            while True:
                x = yield reply
                if x < 0:
                    return n
                s += x; n += 1
                reply = f"avg {s / n:g}"
        g = averager()
        print(f"current {next(g)}")
        for v in [1.0, 2.0, 6.0, -1.0, 3.0]:
            attempt(f"send {v:g}", lambda: g.send(v))
        print(state(g))
        """;

    [Fact]
    public static void A_return_value_ends_the_bidirectional_coroutine()
    {
        var trace = new Trace();
        var g = Averager(trace);
        trace.Print($"current {g.Current}");
        foreach (var v in new[] { 1.0, 2.0, 6.0, -1.0, 3.0 })
        {
            trace.Attempt($"send {v}", () => g.Send(v));
        }

        trace.Print(g.State.ToString());
        Assert.Equal(3, g.Result);
        PythonTwin.AssertSameTrace(AveragerTwin, trace.Lines);
    }

    // Closing a bidirectional coroutine parked in a Yield runs its finally blocks; a handler of GeneratorExit that
    // yields again makes Close throw (and the coroutine stays suspended).
    [Coroutine]
    internal static void Stubborn(Inbox<int, string> inbox, Trace t)
    {
        try
        {
            inbox.Yield("first");
        }
#pragma warning disable CORO0007 // the handler suspends again on purpose
        catch (GeneratorExitException)
#pragma warning restore CORO0007
        {
            t.Print("exit caught");
            inbox.Yield("again");
        }
        finally
        {
            t.Print("finally");
        }
    }

    private const string StubbornTwin = """
        def stubborn():
            try:
                yield "first"
            except GeneratorExit:
                print("exit caught")
                yield "again"
            finally:
                print("finally")
        g = stubborn()
        print(f"current {next(g)}")
        attempt("close", lambda: g.close())
        print(state(g))
        attempt("send", lambda: g.send(1))
        print(state(g))
        """;

    [Fact]
    public static void Close_of_a_coroutine_that_yields_again_throws()
    {
        var trace = new Trace();
        var g = Stubborn(trace);
        trace.Print($"current {g.Current}");
        trace.Attempt("close", () => g.Close());
        trace.Print(g.State.ToString());
        trace.Attempt("send", () => g.Send(1));
        trace.Print(g.State.ToString());
        PythonTwin.AssertSameTrace(StubbornTwin, trace.Lines);
    }
}
