using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// <c>catch ... when (filter)</c> on handlers that receive. C# runs exception filters in the first pass, before the
/// finally blocks between the throw and the handler; a filter that throws counts as false; a clause that does not
/// name GeneratorExitException never sees it, so its filter is not even called on Close (rule 5). Python has no
/// filters: the oracle is the same body run as an ordinary method, and traces written from the C# specification.
/// </summary>
public static partial class ExceptionFilterTests
{
    private static bool Check(Trace t, string name, Exception e, bool result)
    {
        t.Print($"filter {name} {e.Message} -> {Trace.Format(result)}");
        return result;
    }

    private static bool Throws(Trace t, Exception e)
    {
        t.Print($"filter throws on {e.Message}");
        throw new InvalidOperationException("filter failed");
    }

    [Coroutine]
    internal static void Filters(Inbox<string> inbox, Trace t)
    {
        while (true)
        {
            try
            {
                try
                {
                    var x = inbox.Receive();
                    if (x != "ok")
                    {
                        throw new ValueError(x);
                    }
                }
                finally
                {
                    t.Print("inner finally");
                }
            }
            catch (ValueError e) when (Throws(t, e))
            {
                t.Print("never: a filter that throws is false");
            }
            catch (ValueError e) when (Check(t, "first", e, e.Message.StartsWith('a')))
            {
                t.Print($"first handler {e.Message} got {inbox.Receive()}");
            }
            catch (ValueError e) when (Check(t, "second", e, e.Message.StartsWith('b')))
            {
                t.Print($"second handler {e.Message} got {inbox.Receive()}");
            }
            catch (Exception e) when (Check(t, "third", e, !e.Message.StartsWith('c')))
            {
                t.Print($"third handler {e.Message}");
            }
        }
    }

    [Fact]
    public static void Filters_run_before_inner_finally_blocks_as_in_the_ordinary_method()
    {
        string[] values = ["ok", "a1", "x", "b1", "y", "d1", "c1"];
        var plain = new Trace();
        Drive.Plain<string>(plain, receive =>
        {
            var t = plain;
            while (true)
            {
                try
                {
                    try
                    {
                        var x = receive();
                        if (x != "ok")
                        {
                            throw new ValueError(x);
                        }
                    }
                    finally
                    {
                        t.Print("inner finally");
                    }
                }
                catch (ValueError e) when (Throws(t, e))
                {
                    t.Print("never: a filter that throws is false");
                }
                catch (ValueError e) when (Check(t, "first", e, e.Message.StartsWith('a')))
                {
                    t.Print($"first handler {e.Message} got {receive()}");
                }
                catch (ValueError e) when (Check(t, "second", e, e.Message.StartsWith('b')))
                {
                    t.Print($"second handler {e.Message} got {receive()}");
                }
                catch (Exception e) when (Check(t, "third", e, !e.Message.StartsWith('c')))
                {
                    t.Print($"third handler {e.Message}");
                }
            }
        }, values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Filters(coroutine), values);
        Drive.AssertSame(plain, coroutine);
        Drive.AssertLines(
            coroutine,
            "send ok",
            "inner finally",
            "send a1",
            "filter throws on a1",
            "filter first a1 -> True",
            "inner finally",
            "send x",
            "first handler a1 got x",
            "send b1",
            "filter throws on b1",
            "filter first b1 -> False",
            "filter second b1 -> True",
            "inner finally",
            "send y",
            "second handler b1 got y",
            "send d1",
            "filter throws on d1",
            "filter first d1 -> False",
            "filter second d1 -> False",
            "filter third d1 -> True",
            "inner finally",
            "third handler d1",
            "send c1",
            "filter throws on c1",
            "filter first c1 -> False",
            "filter second c1 -> False",
            "filter third c1 -> False",
            "inner finally",
            "error: ValueError: c1");
    }

    [Fact]
    public static void Filters_see_an_exception_raised_by_Throw()
    {
        var trace = new Trace();
        var c = Filters(trace);
        trace.Attempt("throw b2", () => c.Throw(new ValueError("b2")));
        trace.Attempt("send z", () => c.Send("z"));
        trace.Attempt("throw type error", () => c.Throw(new TypeError("t")));
        trace.Attempt("throw c2", () => c.Throw(new TypeError("c2")));
        trace.Print(c.State.ToString());
        Drive.AssertLines(
            trace,
            "filter throws on b2",
            "filter first b2 -> False",
            "filter second b2 -> True",
            "inner finally",
            "throw b2: ok",
            "second handler b2 got z",
            "send z: ok",
            "filter third t -> True",
            "inner finally",
            "third handler t",
            "throw type error: ok",
            "filter third c2 -> False",
            "inner finally",
            "throw c2: TypeError: c2",
            "Closed");
    }

    [Fact]
    public static void Close_calls_no_filter_of_a_clause_that_does_not_name_GeneratorExit()
    {
        var trace = new Trace();
        var c = Filters(trace);
        trace.Attempt("close", c.Close);
        trace.Print(c.State.ToString());
        var d = Filters(trace);
        d.Send("a3");
        trace.Attempt("close in handler", d.Close);
        trace.Print(d.State.ToString());
        Drive.AssertLines(
            trace,
            "inner finally",
            "close: ok",
            "Closed",
            "filter throws on a3",
            "filter first a3 -> True",
            "inner finally",
            "close in handler: ok",
            "Closed");
    }

    // A filter on a clause that names GeneratorExitException does see Close's exception.
    [Coroutine]
    internal static void ExitFilter(Inbox<string> inbox, Trace t, bool accept)
    {
        try
        {
            inbox.Receive();
        }
        catch (GeneratorExitException e) when (Check(t, "exit", e, accept))
        {
            t.Print("exit handler");
        }
        finally
        {
            t.Print("finally");
        }
    }

    [Fact]
    public static void A_filter_on_a_GeneratorExit_clause_runs_on_Close()
    {
        var trace = new Trace();
        var message = new GeneratorExitException().Message;
        ExitFilter(trace, accept: true).Close();
        ExitFilter(trace, accept: false).Close();
        Drive.AssertLines(
            trace,
            $"filter exit {message} -> True",
            "exit handler",
            "finally",
            $"filter exit {message} -> False",
            "finally");
    }
}
