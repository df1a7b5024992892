using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// <c>c ? a : b</c> with receives in the condition and in the branches: only the chosen branch receives, and what
/// was evaluated to the left of the conditional (an earlier argument) stays evaluated before it.
/// </summary>
public static partial class ConditionalOperatorTests
{
    private static int A(Trace t, int v)
    {
        t.Print($"A {v}");
        return v;
    }

    private static void Log(Trace t, int a, int b, int c) => t.Print($"Log {a} {b} {c}");

    [Coroutine]
    internal static void Branches(Inbox<int> inbox, Trace t)
    {
        while (true)
        {
            var x = inbox.Receive() > 0 ? inbox.Receive() : A(t, -1);
            t.Print($"x {x}");
            Log(t, A(t, 1), x > 5 ? inbox.Receive() : inbox.Receive() * 10, A(t, 3));
            var nested = inbox.Receive() == 0 ? A(t, 0) : x > 5 ? (inbox.Receive() > 0 ? A(t, 1) : inbox.Receive()) : A(t, 2);
            t.Print($"nested {nested}");
            string s = x > 0 ? $"pos {inbox.Receive()}" : "neg";
            t.Print(s);
        }
    }

    private const string BranchesTwin = """
        def A(v):
            print(f"A {v}")
            return v
        def Log(a, b, c): print(f"Log {a} {b} {c}")
        def branches():
            while True:
                x = (yield) if (yield) > 0 else A(-1)
                print(f"x {x}")
                Log(A(1), (yield) if x > 5 else (yield) * 10, A(3))
                n = (yield)
                nested = A(0) if n == 0 else (((A(1) if (yield) > 0 else (yield))) if x > 5 else A(2))
                print(f"nested {nested}")
                s = f"pos {(yield)}" if x > 0 else "neg"
                print(s)
        drive(branches(), [1, 7, 8, 1, 0, 9, 0, 4, 1, 1, 0, 3, 5])
        """;

    private static readonly int[] Values = [1, 7, 8, 1, 0, 9, 0, 4, 1, 1, 0, 3, 5];

    [Fact]
    public static void Only_the_chosen_branch_receives()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Branches(trace), Values);
        Drive.AssertPython(BranchesTwin, trace);
    }

    [Fact]
    public static void Branches_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            while (true)
            {
                var x = receive() > 0 ? receive() : A(t, -1);
                t.Print($"x {x}");
                Log(t, A(t, 1), x > 5 ? receive() : receive() * 10, A(t, 3));
                var nested = receive() == 0 ? A(t, 0) : x > 5 ? (receive() > 0 ? A(t, 1) : receive()) : A(t, 2);
                t.Print($"nested {nested}");
                string s = x > 0 ? $"pos {receive()}" : "neg";
                t.Print(s);
            }
        }, Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Branches(coroutine), Values);
        Drive.AssertSame(plain, coroutine);
    }
}
