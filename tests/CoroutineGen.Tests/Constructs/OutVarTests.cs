using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// <c>out var</c> declarations whose variable is used after a later receive (so it lives in a field), out arguments
/// beside a receive in the same call, and out variables declared in a loop (a fresh variable per iteration). Python
/// has no out parameters: the oracle is the same body run as an ordinary C# method.
/// </summary>
public static partial class OutVarTests
{
    private static bool TryHalf(int value, out int half)
    {
        half = value / 2;
        return value % 2 == 0;
    }

    private static void Split(Trace t, out string head, string text, out string tail)
    {
        t.Print($"split {text}");
        head = text[..1];
        tail = text[1..];
    }

    [Coroutine]
    internal static void OutVars(Inbox<string> inbox, Trace t)
    {
        while (true)
        {
            if (int.TryParse(inbox.Receive(), out var n))
            {
                var m = inbox.Receive();
                t.Print($"parsed {n} then {m}");
            }
            else
            {
                t.Print($"not a number, n = {n}");
            }

            Split(t, out var head, inbox.Receive(), out var tail);
            inbox.Receive();
            t.Print($"head {head} tail {tail}");
            if (!TryHalf(int.Parse(inbox.Receive()), out var half))
            {
                t.Print($"odd, half {half}");
                continue;
            }

            inbox.Receive();
            t.Print($"even, half {half}");
        }
    }

    private static readonly string[] Values = ["12", "x", "abc", "-", "7", "nope", "hello", "-", "10", "-", "5", "end"];

    [Fact]
    public static void Out_variables_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<string>(plain, receive =>
        {
            var t = plain;
            while (true)
            {
                if (int.TryParse(receive(), out var n))
                {
                    var m = receive();
                    t.Print($"parsed {n} then {m}");
                }
                else
                {
                    t.Print($"not a number, n = {n}");
                }

                Split(t, out var head, receive(), out var tail);
                receive();
                t.Print($"head {head} tail {tail}");
                if (!TryHalf(int.Parse(receive()), out var half))
                {
                    t.Print($"odd, half {half}");
                    continue;
                }

                receive();
                t.Print($"even, half {half}");
            }
        }, Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => OutVars(coroutine), Values);
        Drive.AssertSame(plain, coroutine);
        Assert.Contains("parsed 12 then x", coroutine.Lines);
        Assert.Contains("head a tail bc", coroutine.Lines);
        Assert.Contains("even, half 5", coroutine.Lines);
    }

    // An out variable declared in a loop body and captured by a lambda: each iteration has its own variable.
    [Coroutine]
    internal static void Captured(Inbox<int> inbox, Trace t)
    {
        var actions = new List<Action>();
        for (int i = 0; i < 3; i++)
        {
            TryHalf(inbox.Receive(), out var half);
            actions.Add(() => t.Print($"half {half}"));
            inbox.Receive();
        }

        foreach (var action in actions)
        {
            action();
        }
    }

    [Fact]
    public static void Out_variables_captured_in_a_loop_match_the_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            var actions = new List<Action>();
            for (int i = 0; i < 3; i++)
            {
                TryHalf(receive(), out var half);
                actions.Add(() => t.Print($"half {half}"));
                receive();
            }

            foreach (var action in actions)
            {
                action();
            }
        }, 2, 0, 4, 0, 6, 0);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Captured(coroutine), 2, 0, 4, 0, 6, 0);
        Drive.AssertSame(plain, coroutine);
    }
}
