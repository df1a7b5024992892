using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// switch statements with receives in the governing expression and in the sections: constant and pattern cases,
/// <c>when</c> clauses, <c>goto case</c>, <c>goto default</c>, <c>break</c> inside a loop, pattern variables and
/// switch-block locals that live across a receive. Python has no switch statement (its <c>match</c> has no goto
/// case): the oracle is the same body run as an ordinary method, and a trace written from the C# specification.
/// </summary>
public static partial class SwitchTests
{
    [Coroutine]
    internal static void Sections(Inbox<object> inbox, Trace t)
    {
        while (true)
        {
            switch (inbox.Receive())
            {
                case "stop":
                    t.Print("stop");
                    return;
                case "a":
                    t.Print("a got " + inbox.Receive());
                    break;
                case string s when s.Length > 3:
                    t.Print("long " + s);
                    t.Print($"long {s} got {inbox.Receive()}");
                    goto case "a";
                case 42:
                    t.Print("forty-two");
                    break;
                case int n when n > 100:
                    inbox.Receive();
                    t.Print($"big {n}");
                    goto default;
                case int n:
                    t.Print($"int {n}");
                    if (n == 0)
                    {
                        continue;
                    }

                    goto case 42;
                default:
                    t.Print("default got " + inbox.Receive());
                    break;
            }

            t.Print("after switch");
        }
    }

    private static readonly object[] Values = ["a", 1, "hello", 2, 3, 0, 7, 500, "x", 9, "zz", "q", "stop"];

    [Fact]
    public static void Sections_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<object>(plain, receive =>
        {
            var t = plain;
            while (true)
            {
                switch (receive())
                {
                    case "stop":
                        t.Print("stop");
                        return;
                    case "a":
                        t.Print("a got " + receive());
                        break;
                    case string s when s.Length > 3:
                        t.Print("long " + s);
                        t.Print($"long {s} got {receive()}");
                        goto case "a";
                    case 42:
                    t.Print("forty-two");
                    break;
                case int n when n > 100:
                        receive();
                        t.Print($"big {n}");
                        goto default;
                    case int n:
                        t.Print($"int {n}");
                        if (n == 0)
                        {
                            continue;
                        }

                        goto case 42;
                    default:
                        t.Print("default got " + receive());
                        break;
                }

                t.Print("after switch");
            }
        }, Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Sections(coroutine), Values);
        Drive.AssertSame(plain, coroutine);
        Drive.AssertLines(
            coroutine,
            "send a",
            "send 1",
            "a got 1",
            "after switch",
            "send hello",
            "long hello",
            "send 2",
            "long hello got 2",
            "send 3",
            "a got 3",
            "after switch",
            "send 0",
            "int 0",
            "send 7",
            "int 7",
            "forty-two",
            "after switch",
            "send 500",
            "send x",
            "big 500",
            "send 9",
            "default got 9",
            "after switch",
            "send zz",
            "send q",
            "default got q",
            "after switch",
            "send stop",
            "stop",
            "finished");
    }

    // A local declared in one switch section is in scope (unassigned) in the following ones; the governing value
    // is evaluated once, before the receives of the sections; a switch on a value computed from two receives.
    [Coroutine]
    internal static void Scopes(Inbox<int> inbox, Trace t)
    {
        for (int round = 0; round < 3; round++)
        {
            switch (inbox.Receive() + inbox.Receive())
            {
                case 1:
                    int k = inbox.Receive();
                    t.Print($"one, k {k}");
                    inbox.Receive();
                    t.Print($"one, k still {k}");
                    break;
                case 2:
                    k = 20 + inbox.Receive();
                    t.Print($"two, k {k}");
                    break;
                case var other:
                    t.Print($"other {other}");
                    inbox.Receive();
                    t.Print($"other still {other}");
                    break;
            }
        }
    }

    [Fact]
    public static void Switch_block_locals_match_the_ordinary_method()
    {
        int[] values = [0, 1, 7, 0, 2, 0, 5, 4, 6, 0];
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            for (int round = 0; round < 3; round++)
            {
                switch (receive() + receive())
                {
                    case 1:
                        int k = receive();
                        t.Print($"one, k {k}");
                        receive();
                        t.Print($"one, k still {k}");
                        break;
                    case 2:
                        k = 20 + receive();
                        t.Print($"two, k {k}");
                        break;
                    case var other:
                        t.Print($"other {other}");
                        receive();
                        t.Print($"other still {other}");
                        break;
                }
            }
        }, values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Scopes(coroutine), values);
        Drive.AssertSame(plain, coroutine);
        Assert.Contains("one, k still 7", coroutine.Lines);
        Assert.Contains("two, k 25", coroutine.Lines);
        Assert.Contains("other still 10", coroutine.Lines);
    }

    // A switch expression whose governing expression receives (its arms do not).
    [Coroutine]
    internal static void Expression(Inbox<int> inbox, Trace t)
    {
        while (true)
        {
            var text = inbox.Receive() switch
            {
                < 0 => "negative",
                0 => "zero",
                var n when n % 2 == 0 => $"even {n}",
                _ => "odd",
            };
            t.Print(text);
        }
    }

    [Fact]
    public static void A_switch_expression_on_a_received_value()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Expression(trace), -3, 0, 8, 5);
        Drive.AssertLines(trace, "send -3", "negative", "send 0", "zero", "send 8", "even 8", "send 5", "odd", "close", "closed");
    }

    // Close and Throw while parked inside a section.
    [Coroutine]
    internal static void Guarded(Inbox<string> inbox, Trace t)
    {
        try
        {
            switch (inbox.Receive())
            {
                case "wait":
                    try
                    {
                        t.Print("section got " + inbox.Receive());
                    }
                    catch (ValueError e)
                    {
                        t.Print("section caught " + e.Message);
                        goto default;
                    }

                    break;
                default:
                    t.Print("default");
                    break;
            }
        }
        finally
        {
            t.Print("finally");
        }
    }

    [Fact]
    public static void Throw_and_Close_in_a_section_follow_the_CSharp_semantics()
    {
        var trace = new Trace();
        Drive.Script(trace, () => Guarded(trace), "send:wait", "throw:ValueError:v");
        Drive.Script(trace, () => Guarded(trace), "send:wait", "close");
        Drive.Script(trace, () => Guarded(trace), "send:wait", "throw:TypeError:t");
        Drive.AssertLines(
            trace,
            "--- send:wait throw:ValueError:v",
            "send:wait: ok",
            "section caught v",
            "default",
            "finally",
            "throw:ValueError:v: StopIteration",
            "Closed",
            "--- send:wait close",
            "send:wait: ok",
            "finally",
            "close: ok",
            "Closed",
            "--- send:wait throw:TypeError:t",
            "send:wait: ok",
            "finally",
            "throw:TypeError:t: TypeError: t",
            "Closed");
    }
}
