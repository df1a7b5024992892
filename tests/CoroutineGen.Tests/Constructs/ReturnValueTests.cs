using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Templates with a return type (rule 7): <c>return expr;</c> where expr receives, Result and
/// StopIterationException.Value, returning while priming, returning out of a handled Throw, and a return value that
/// waits in a finally that suspends (Python: <c>return v</c> in a generator).
/// </summary>
public static partial class ReturnValueTests
{
    private static int A(Trace t, int v)
    {
        t.Print($"A {v}");
        return v;
    }

    private static string S(Trace t, string v)
    {
        t.Print($"S {v}");
        return v;
    }

    [Coroutine]
    internal static int Summer(Inbox<int> inbox, Trace t)
    {
        int total = 0;
        while (true)
        {
            int x = inbox.Receive();
            if (x < 0)
            {
                return A(t, total) + inbox.Receive();
            }

            if (x == 0)
            {
                return total;
            }

            total += x;
        }
    }

    private const string SummerTwin = """
        def A(v):
            print(f"A {v}")
            return v
        def summer():
            total = 0
            while True:
                x = (yield)
                if x < 0:
                    return A(total) + (yield)
                if x == 0:
                    return total
                total += x
        drive(summer(), [1, 2, 3, -1, 10])
        drive(summer(), [4, 0, 99])
        drive(summer(), [5])
        """;

    [Fact]
    public static void A_return_expression_that_receives_finishes_with_its_value()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Summer(trace), 1, 2, 3, -1, 10);
        Drive.Coroutine(trace, () => Summer(trace), 4, 0, 99);
        Drive.Coroutine(trace, () => Summer(trace), 5);
        Drive.AssertPython(SummerTwin, trace);
    }

    [Fact]
    public static void Result_holds_the_returned_value_once_finished()
    {
        var trace = new Trace();
        var c = Summer(trace);
        c.Send(20);
        c.Send(22);
        Assert.Equal(CoroutineState.Suspended, c.State);
        Assert.Equal(0, c.Result);
        c.Send(-5);
        var stop = Assert.Throws<StopIterationException>(() => c.Send(100));
        Assert.Equal(142, stop.Value);
        Assert.Equal(142, c.Result);
        Assert.Equal(CoroutineState.Closed, c.State);
        var again = Assert.Throws<StopIterationException>(() => c.Send(1));
        Assert.Null(again.Value);
        Assert.Equal(142, c.Result);
    }

    [Coroutine]
    internal static string Immediate(Inbox<string> inbox, Trace t, bool early)
    {
        if (early)
        {
            return S(t, "early");
        }

        return inbox.Receive();
    }

    [Fact]
    public static void A_template_that_returns_while_priming_is_closed_with_its_result()
    {
        var trace = new Trace();
        var c = Immediate(trace, early: true);
        Assert.Equal(CoroutineState.Closed, c.State);
        Assert.Equal("early", c.Result);
        Assert.Throws<StopIterationException>(() => c.Send("x"));
        Assert.Equal(["S early"], trace.Lines);

        var d = Immediate(trace, early: false);
        Assert.Null(d.Result);
        var stop = Assert.Throws<StopIterationException>(() => d.Send("late"));
        Assert.Equal("late", stop.Value);
        Assert.Equal("late", d.Result);
    }

    // A handled Throw that returns: Throw raises StopIteration carrying the value; a finally that suspends keeps the
    // return value pending across the suspension; Close while parked in that finally drops it.
    [Coroutine]
    internal static string Handled(Inbox<string> inbox, Trace t)
    {
        try
        {
            try
            {
                return S(t, "r:" + inbox.Receive());
            }
            catch (ValueError e)
            {
                return S(t, "caught:" + e.Message);
            }
            finally
            {
                t.Print("inner finally got " + inbox.Receive());
            }
        }
        finally
        {
            t.Print("outer finally");
        }
    }

    private const string HandledTwin = """
        def S(v):
            print(f"S {v}")
            return v
        def handled():
            try:
                try:
                    return S("r:" + (yield))
                except ValueError as e:
                    return S(f"caught:{e}")
                finally:
                    print("inner finally got " + (yield))
            finally:
                print("outer finally")
        g = handled(); next(g)
        print("send a"); g.send("a")
        attempt("send b", lambda: g.send("b"))
        g = handled(); next(g)
        attempt("throw", lambda: g.throw(ValueError("bad")))
        attempt("send c", lambda: g.send("c"))
        g = handled(); next(g)
        print("send d"); g.send("d")
        attempt("close", lambda: g.close())
        print(state(g))
        g = handled(); next(g)
        print("send e"); g.send("e")
        attempt("throw in finally", lambda: g.throw(TypeError("k")))
        """;

    [Fact]
    public static void Return_values_through_handlers_and_suspending_finally_blocks_match_CPython()
    {
        var trace = new Trace();
        var g = Handled(trace);
        trace.Print("send a");
        g.Send("a");
        trace.Attempt("send b", () => g.Send("b"));
        Assert.Equal("r:a", g.Result);
        g = Handled(trace);
        var h = g;
        trace.Attempt("throw", () => h.Throw(new ValueError("bad")));
        trace.Attempt("send c", () => h.Send("c"));
        Assert.Equal("caught:bad", h.Result);
        g = Handled(trace);
        var k = g;
        trace.Print("send d");
        k.Send("d");
        trace.Attempt("close", () => k.Close());
        trace.Print(k.State.ToString());
        g = Handled(trace);
        var m = g;
        trace.Print("send e");
        m.Send("e");
        trace.Attempt("throw in finally", () => m.Throw(new TypeError("k")));
        PythonTwin.AssertSameTrace(HandledTwin, trace.Lines);
    }

    // A generic template returning its type parameter.
    [Coroutine]
    internal static T Last<T>(Inbox<T> inbox, int count)
    {
        T last = default!;
        for (int i = 0; i < count; i++)
        {
            last = inbox.Receive();
        }

        return last;
    }

    [Fact]
    public static void A_generic_return_type_carries_the_value()
    {
        var c = Last<string>(2);
        c.Send("a");
        var stop = Assert.Throws<StopIterationException>(() => c.Send("b"));
        Assert.Equal("b", stop.Value);
        Assert.Equal("b", c.Result);
        var d = Last<int>(1);
        Assert.Equal(7, Assert.Throws<StopIterationException>(() => d.Send(7)).Value);
        Assert.Equal(7, d.Result);
    }
}
