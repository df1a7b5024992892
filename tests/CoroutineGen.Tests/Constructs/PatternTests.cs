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
}
