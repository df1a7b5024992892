using System.Runtime.CompilerServices;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Receives inside catch blocks (Python: <c>yield</c> inside <c>except</c>): the handler suspends with the caught
/// exception in hand; Send, Throw and Close driven into the suspended handler; <c>throw;</c> after the handler
/// suspended rethrows the original exception object with its original stack trace.
/// </summary>
public static partial class CatchTests
{
    [Coroutine]
    internal static void Handlers(Inbox<string> inbox, Trace t)
    {
        while (true)
        {
            try
            {
                var x = inbox.Receive();
                if (x == "boom")
                {
                    throw new ValueError(x);
                }

                t.Print("got " + x);
            }
            catch (ValueError e)
            {
                t.Print("caught " + e.Message);
                var y = inbox.Receive();
                if (y == "fail")
                {
                    throw new TypeError("from handler");
                }

                t.Print($"handler got {y}, still {e.Message}");
            }

            t.Print("after try");
        }
    }

    private const string HandlersTwin = """
        def handlers():
            while True:
                try:
                    x = (yield)
                    if x == "boom":
                        raise ValueError(x)
                    print("got " + x)
                except ValueError as e:
                    print(f"caught {e}")
                    y = (yield)
                    if y == "fail":
                        raise TypeError("from handler")
                    print(f"handler got {y}, still {e}")
                print("after try")
        script(handlers, ["send:a", "send:boom", "send:b", "send:c"])
        script(handlers, ["throw:ValueError:thrown", "send:b", "send:c"])
        script(handlers, ["send:boom", "throw:ValueError:again", "send:x"])
        script(handlers, ["send:boom", "throw:TypeError:other", "send:x"])
        script(handlers, ["send:boom", "send:fail", "send:x"])
        script(handlers, ["send:boom", "close", "send:x"])
        script(handlers, ["send:boom", "send:ok", "close"])
        """;

    [Fact]
    public static void A_handler_that_receives_matches_CPython()
    {
        var trace = new Trace();
        Drive.Script(trace, () => Handlers(trace), "send:a", "send:boom", "send:b", "send:c");
        Drive.Script(trace, () => Handlers(trace), "throw:ValueError:thrown", "send:b", "send:c");
        Drive.Script(trace, () => Handlers(trace), "send:boom", "throw:ValueError:again", "send:x");
        Drive.Script(trace, () => Handlers(trace), "send:boom", "throw:TypeError:other", "send:x");
        Drive.Script(trace, () => Handlers(trace), "send:boom", "send:fail", "send:x");
        Drive.Script(trace, () => Handlers(trace), "send:boom", "close", "send:x");
        Drive.Script(trace, () => Handlers(trace), "send:boom", "send:ok", "close");
        Drive.AssertPython(HandlersTwin, trace);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailHere(List<Exception> thrown, string message)
    {
        var e = new ValueError(message);
        thrown.Add(e);
        throw e;
    }

    [Coroutine]
    internal static void Rethrower(Inbox<string> inbox, Trace t, List<Exception> thrown)
    {
        try
        {
            FailHere(thrown, inbox.Receive());
        }
        catch (ValueError e)
        {
            t.Print($"handler waits with {e.Message}");
            t.Print($"handler got {inbox.Receive()}");
            throw;
        }
    }

    [Fact]
    public static void Rethrow_after_the_handler_suspended_rethrows_the_original_exception()
    {
        var trace = new Trace();
        var thrown = new List<Exception>();
        var c = Rethrower(trace, thrown);
        c.Send("first");
        var e = Assert.Throws<ValueError>(() => c.Send("second"));
        Assert.Same(thrown.Single(), e);
        Assert.Contains(nameof(FailHere), e.StackTrace);
        Assert.Equal(CoroutineState.Closed, c.State);
        Drive.AssertLines(trace, "handler waits with first", "handler got second");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ValueError ThrownByTheDriver()
    {
        try
        {
            throw new ValueError("from the driver");
        }
        catch (ValueError e)
        {
            return e;
        }
    }

    [Fact]
    public static void Rethrow_of_an_exception_raised_by_Throw_keeps_its_identity_and_stack_trace()
    {
        var trace = new Trace();
        var c = Rethrower(trace, []);
        var original = ThrownByTheDriver();
        c.Throw(original);
        var e = Assert.Throws<ValueError>(() => c.Send("x"));
        Assert.Same(original, e);
        Assert.Contains(nameof(ThrownByTheDriver), e.StackTrace);
        Drive.AssertLines(trace, "handler waits with from the driver", "handler got x");
    }

    // `throw;` rethrows the exception of the handler it is written in, even after a nested try in that handler
    // caught (and suspended with) another exception.
    [Coroutine]
    internal static void NestedRethrow(Inbox<string> inbox, Trace t)
    {
        try
        {
            throw new ValueError(inbox.Receive());
        }
        catch (ValueError outer)
        {
            try
            {
                inbox.Receive();
                throw new TypeError("inner");
            }
            catch (TypeError inner)
            {
                t.Print($"inner caught {inner.Message}, waits");
                inbox.Receive();
                t.Print($"outer is still {outer.Message}");
            }

            inbox.Receive();
            throw;
        }
    }

    private const string NestedRethrowTwin = """
        def nested_rethrow():
            try:
                raise ValueError((yield))
            except ValueError as outer:
                try:
                    (yield)
                    raise TypeError("inner")
                except TypeError as inner:
                    print(f"inner caught {inner}, waits")
                    (yield)
                    print(f"outer is still {outer}")
                (yield)
                raise
        script(nested_rethrow, ["send:a", "send:b", "send:c", "send:d"])
        script(nested_rethrow, ["send:a", "send:b", "throw:TypeError:while inner waits"])
        script(nested_rethrow, ["send:a", "send:b", "send:c", "close"])
        """;

    [Fact]
    public static void Rethrow_after_a_nested_handler_rethrows_the_outer_exception()
    {
        var trace = new Trace();
        Drive.Script(trace, () => NestedRethrow(trace), "send:a", "send:b", "send:c", "send:d");
        Drive.Script(trace, () => NestedRethrow(trace), "send:a", "send:b", "throw:TypeError:while inner waits");
        Drive.Script(trace, () => NestedRethrow(trace), "send:a", "send:b", "send:c", "close");
        Drive.AssertPython(NestedRethrowTwin, trace);
    }

    // A catch-all handler that receives does not catch GeneratorExitException (rule 5), and a handler of
    // GeneratorExitException may receive... and then Close reports that the coroutine ignored GeneratorExit.
    [Coroutine]
    internal static void CatchAll(Inbox<string> inbox, Trace t)
    {
        while (true)
        {
            try
            {
                inbox.Receive();
            }
            catch (Exception e)
            {
                t.Print($"catch-all {e.Message}, waits");
                t.Print($"catch-all got {inbox.Receive()}");
            }
        }
    }

    private const string CatchAllTwin = """
        def catch_all():
            while True:
                try:
                    (yield)
                except Exception as e:
                    print(f"catch-all {e}, waits")
                    print(f"catch-all got {(yield)}")
        script(catch_all, ["throw:ValueError:v", "send:a", "close"])
        script(catch_all, ["throw:ValueError:v", "close"])
        script(catch_all, ["throw:ValueError:v", "throw:TypeError:t", "send:x"])
        """;

    [Fact]
    public static void A_catch_all_that_receives_does_not_catch_GeneratorExit()
    {
        var trace = new Trace();
        Drive.Script(trace, () => CatchAll(trace), "throw:ValueError:v", "send:a", "close");
        Drive.Script(trace, () => CatchAll(trace), "throw:ValueError:v", "close");
        Drive.Script(trace, () => CatchAll(trace), "throw:ValueError:v", "throw:TypeError:t", "send:x");
        Drive.AssertPython(CatchAllTwin, trace);
    }
}
