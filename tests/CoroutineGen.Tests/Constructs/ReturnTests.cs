using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// <c>return</c> from inside nests of try/catch/finally and loops in a void template: every finally between the
/// return and the method body runs, innermost first, once, whether or not the try blocks contain receives; a return
/// inside a catch; a return while a finally that does not suspend is pending an exception.
/// </summary>
public static partial class ReturnTests
{
    [Coroutine]
    internal static void Nests(Inbox<string> inbox, Trace t)
    {
        try
        {
            while (true)
            {
                try
                {
                    foreach (var level in new[] { "a", "b" })
                    {
                        try
                        {
                            var cmd = inbox.Receive();
                            t.Print($"{level} got {cmd}");
                            if (cmd == "return")
                            {
                                return;
                            }

                            if (cmd == "raise")
                            {
                                throw new ValueError(level);
                            }
                        }
                        finally
                        {
                            t.Print($"finally {level}");
                        }
                    }
                }
                catch (ValueError e)
                {
                    t.Print($"caught {e.Message}");
                    if (inbox.Receive() == "return")
                    {
                        return;
                    }
                }
                finally
                {
                    t.Print("finally loop");
                }
            }
        }
        finally
        {
            t.Print("finally outer");
        }
    }

    private const string NestsTwin = """
        def nests():
            try:
                while True:
                    try:
                        for level in ["a", "b"]:
                            try:
                                cmd = (yield)
                                print(f"{level} got {cmd}")
                                if cmd == "return":
                                    return
                                if cmd == "raise":
                                    raise ValueError(level)
                            finally:
                                print(f"finally {level}")
                    except ValueError as e:
                        print(f"caught {e}")
                        if (yield) == "return":
                            return
                    finally:
                        print("finally loop")
            finally:
                print("finally outer")
        drive(nests(), ["x", "y", "x", "return", "never"])
        drive(nests(), ["x", "raise", "no", "raise", "return", "never"])
        drive(nests(), ["raise"])
        drive(nests(), ["x"])
        """;

    [Fact]
    public static void Return_runs_every_finally_between_it_and_the_body_once_as_CPython()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Nests(trace), "x", "y", "x", "return", "never");
        Drive.Coroutine(trace, () => Nests(trace), "x", "raise", "no", "raise", "return", "never");
        Drive.Coroutine(trace, () => Nests(trace), "raise");
        Drive.Coroutine(trace, () => Nests(trace), "x");
        Drive.AssertPython(NestsTwin, trace);
    }

    // A return that only happens after the last receive, inside a try that has no receive of its own.
    [Coroutine]
    internal static void AfterTheLastReceive(Inbox<int> inbox, Trace t)
    {
        var n = inbox.Receive();
        try
        {
            try
            {
                if (n > 0)
                {
                    return;
                }

                t.Print("not returned");
            }
            finally
            {
                t.Print("inner");
            }

            t.Print("between");
        }
        finally
        {
            t.Print("outer");
        }

        t.Print("end");
    }

    [Fact]
    public static void A_return_from_a_try_without_receives_runs_its_finally_blocks()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => AfterTheLastReceive(trace), 1);
        Drive.Coroutine(trace, () => AfterTheLastReceive(trace), 0);
        Drive.AssertLines(trace, "send 1", "inner", "outer", "finished", "send 0", "not returned", "inner", "between", "outer", "end", "finished");
    }
}
