using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 12, delegation: <c>inbox.YieldFrom(sub)</c> is Python's <c>yield from sub</c> (PEP 380). Each test runs a
/// C# program and its Python twin and compares what they print.
/// </summary>
public static partial class Rule12DelegationTests
{
    [Coroutine]
    internal static int Adder(Inbox<int?> inbox, TextWriter log)
    {
        var total = 0;
        try
        {
            while (true)
            {
                var x = inbox.Receive();
                if (x is null)
                {
                    break;
                }

                log.WriteLine($"adder got {x}");
                total += x.Value;
            }
        }
        finally
        {
            log.WriteLine("adder finally");
        }

        return total;
    }

    [Coroutine]
    internal static void Accumulate(Inbox<int?> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                var r = inbox.YieldFrom(Adder(log));
                log.WriteLine($"total {r}");
            }
        }
        finally
        {
            log.WriteLine("accumulate finally");
        }
    }

    [Fact]
    public static void Sends_go_to_the_sub_and_its_return_value_is_the_result()
    {
        var trace = new Trace();
        var c = Accumulate(trace.Writer);
        foreach (var v in new int?[] { 1, 2, null, 10, null, 5 })
        {
            trace.Attempt($"send {Trace.Format(v)}", () => c.Send(v));
        }

        trace.Print(Trace.State(c.State));
        trace.Attempt("close", c.Close);
        trace.Print(Trace.State(c.State));
        PythonTwin.AssertSameTrace("""
            def adder():
                total = 0
                try:
                    while True:
                        x = yield
                        if x is None:
                            break
                        print(f"adder got {x}")
                        total += x
                finally:
                    print("adder finally")
                return total
            @coroutine
            def accumulate():
                try:
                    while True:
                        r = yield from adder()
                        print(f"total {r}")
                finally:
                    print("accumulate finally")
            c = accumulate()
            for v in [1, 2, None, 10, None, 5]:
                attempt(f"send {v}", lambda: c.send(v))
            print(state(c))
            attempt("close", c.close)
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static string Echo(Inbox<string?, string> inbox, string name)
    {
        var sent = inbox.Yield($"{name} ready");
        while (sent != "stop")
        {
            try
            {
                sent = inbox.Yield($"{name} echo {sent}");
            }
            catch (ValueError e)
            {
                sent = inbox.Yield($"{name} caught {e.Message}");
            }
        }

        return $"{name} done";
    }

    [Coroutine]
    internal static void Relay(Inbox<string?, string> inbox)
    {
        var first = inbox.YieldFrom(Echo("a"));
        var second = inbox.Yield($"relay got {first}");
        var third = inbox.YieldFrom(Echo($"b-{second}"));
        inbox.Yield($"relay got {third}");
    }

    [Fact]
    public static void A_two_way_sub_yields_the_delegators_values_and_takes_its_throws()
    {
        var trace = new Trace();
        var r = Relay();
        trace.Print($"current {r.Current}");
        trace.Attempt("send x", () => r.Send("x"));
        trace.Attempt("throw", () => r.Throw(new ValueError("boom")));
        trace.Attempt("send stop", () => r.Send("stop"));
        trace.Attempt("send y", () => r.Send("y"));
        trace.Attempt("send z", () => r.Send("z"));
        trace.Attempt("throw key", () => r.Throw(new KeyError("k")));
        trace.Print(Trace.State(r.State));
        PythonTwin.AssertSameTrace("""
            class ValueError(Exception): pass
            class KeyError(Exception): pass
            def echo(name):
                sent = yield f"{name} ready"
                while sent != "stop":
                    try:
                        sent = yield f"{name} echo {sent}"
                    except ValueError as e:
                        sent = yield f"{name} caught {e}"
                return f"{name} done"
            def relay():
                first = yield from echo("a")
                second = yield f"relay got {first}"
                third = yield from echo(f"b-{second}")
                yield f"relay got {third}"
            r = relay()
            print(f"current {next(r)}")
            attempt("send x", lambda: r.send("x"))
            attempt("throw", lambda: r.throw(ValueError("boom")))
            attempt("send stop", lambda: r.send("stop"))
            attempt("send y", lambda: r.send("y"))
            attempt("send z", lambda: r.send("z"))
            attempt("throw key", lambda: r.throw(KeyError("k")))
            print(state(r))
            """, trace.Lines);
    }
}
