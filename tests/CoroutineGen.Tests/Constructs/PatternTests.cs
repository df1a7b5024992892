using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// <c>is</c> patterns on received values, whose declared variables are used after a later receive (they must survive
/// the suspension), and receives in the patterns' surroundings.
/// </summary>
public static partial class PatternTests
{
    private static void Use(Trace t, string s, object? u) => t.Print($"use {s} {Trace.Format(u)}");

    [Coroutine]
    internal static void Declarations(Inbox<object?> inbox, Trace t)
    {
        while (true)
        {
            if (inbox.Receive() is string { Length: > 3 } s)
            {
                var u = inbox.Receive();
                Use(t, s, u);
            }
            else if (inbox.Receive() is int n and > 2)
            {
                t.Print($"int {n} then {inbox.Receive()} still {n}");
            }
            else
            {
                t.Print("neither");
            }

            if (!(inbox.Receive() is string text))
            {
                t.Print("not a string");
                continue;
            }

            inbox.Receive();
            t.Print($"text {text}");
        }
    }

    private const string DeclarationsTwin = """
        def declarations():
            while True:
                v = (yield)
                if isinstance(v, str) and len(v) > 3:
                    s = v
                    u = (yield)
                    print(f"use {s} {u}")
                else:
                    v = (yield)
                    if isinstance(v, int) and v > 2:
                        n = v
                        print(f"int {n} then {(yield)} still {n}")
                    else:
                        print("neither")
                v = (yield)
                if not isinstance(v, str):
                    print("not a string")
                    continue
                text = v
                (yield)
                print(f"text {text}")
        drive(declarations(), ["hello", 1, "t1", "x", "ab", 5, "seven", "t2", "ignored", "no", 1, 2, "after"])
        """;

    private static readonly object?[] Values = ["hello", 1, "t1", "x", "ab", 5, "seven", "t2", "ignored", "no", 1, 2, "after"];

    [Fact]
    public static void Pattern_variables_survive_a_later_receive()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Declarations(trace), Values);
        Drive.AssertPython(DeclarationsTwin, trace);
    }

    /// <summary>
    /// <c>is not T x</c>: x is assigned where the pattern is false, so when x lives across a receive it is stored there.
    /// Pattern variables of conditions without a receive, used after one, are stored too.
    /// </summary>
    [Coroutine]
    internal static void Negated(Inbox<object?> inbox, Trace t)
    {
        while (true)
        {
            if (inbox.Receive() is not string s)
            {
                t.Print("not a string");
                continue;
            }

            if (!(s is not { Length: > 2 } longer))
            {
                t.Print($"longer {longer} then {inbox.Receive()} still {longer}");
            }

            t.Print($"s {s} then {inbox.Receive()} still {s}");
            while (!(inbox.Receive() is not int n))
            {
                t.Print($"n {n} then {inbox.Receive()} still {n}");
            }

            var last = inbox.Receive();
            if (last is int m && m > 1)
            {
                t.Print($"m {m} then {inbox.Receive()} still {m}");
            }

            if (last is not int k)
            {
                continue;
            }

            t.Print($"k {k} then {inbox.Receive()} still {k}");
        }
    }

    private const string NegatedTwin = """
        def negated():
            while True:
                o = (yield)
                if not isinstance(o, str):
                    print("not a string")
                    continue
                s = o
                if len(s) > 2:
                    longer = s
                    print(f"longer {longer} then {(yield)} still {longer}")
                print(f"s {s} then {(yield)} still {s}")
                while True:
                    v = (yield)
                    if not isinstance(v, int): break
                    n = v
                    print(f"n {n} then {(yield)} still {n}")
                last = (yield)
                if isinstance(last, int) and last > 1:
                    m = last
                    print(f"m {m} then {(yield)} still {m}")
                if not isinstance(last, int): continue
                k = last
                print(f"k {k} then {(yield)} still {k}")
        drive(negated(), [1, "abc", "r1", "r2", 7, "r3", "x", 2, "r4", "r4b", "ab", "r5", None, 1, "r6", None])
        """;

    private static readonly object?[] NegatedValues = [1, "abc", "r1", "r2", 7, "r3", "x", 2, "r4", "r4b", "ab", "r5", null, 1, "r6", null];

    [Fact]
    public static void Negated_pattern_variables_are_stored_where_the_pattern_is_false()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Negated(trace), NegatedValues);
        Drive.AssertPython(NegatedTwin, trace);
    }
}
