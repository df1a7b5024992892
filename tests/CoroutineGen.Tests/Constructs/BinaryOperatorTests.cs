using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Receives as operands of binary operators: the left operand is evaluated (and a variable on the left read) before
/// the coroutine suspends for the right one; precedence decides grouping, not the order of evaluation.
/// </summary>
public static partial class BinaryOperatorTests
{
    private static int A(Trace t, int v)
    {
        t.Print($"A {v}");
        return v;
    }

    private static bool B(Trace t, bool v)
    {
        t.Print($"B {v}");
        return v;
    }

    private static string S(Trace t, string v)
    {
        t.Print($"S {v}");
        return v;
    }

    [Coroutine]
    internal static void Operands(Inbox<int> inbox, Trace t)
    {
        t.Print(A(t, 1) + inbox.Receive() * A(t, 2));
        t.Print(inbox.Receive() - A(t, 1) - inbox.Receive());
        t.Print(A(t, 100) / (inbox.Receive() % A(t, 7)));
        t.Print(A(t, 1) < inbox.Receive() == B(t, true));
        t.Print((A(t, 6) & inbox.Receive()) | (A(t, 1) << inbox.Receive()));
        t.Print(S(t, "a") + inbox.Receive() + S(t, "b"));
        t.Print(B(t, false) | inbox.Receive() > 0);
        t.Print(B(t, true) & inbox.Receive() > 0);
        t.Print(B(t, true) ^ inbox.Receive() > 0);
        int x = 2;
        t.Print(x * (x = inbox.Receive()) + x);
        t.Print(-inbox.Receive() + ~A(t, 0));
    }

    private const string OperandsTwin = """
        def A(v):
            print(f"A {v}")
            return v
        def B(v):
            print(f"B {v}")
            return v
        def S(v):
            print(f"S {v}")
            return v
        def operands():
            print(A(1) + (yield) * A(2))
            print((yield) - A(1) - (yield))
            print(A(100) // ((yield) % A(7)))
            print((A(1) < (yield)) == B(True))
            print((A(6) & (yield)) | (A(1) << (yield)))
            print(S("a") + str((yield)) + S("b"))
            print(B(False) | ((yield) > 0))
            print(B(True) & ((yield) > 0))
            print(B(True) ^ ((yield) > 0))
            x = 2
            print(x * (x := (yield)) + x)
            print(-(yield) + ~A(0))
        drive(operands(), [3, 10, 4, 30, 2, 12, 3, 5, 1, 0, 1, 7, 9])
        """;

    [Fact]
    public static void The_left_operand_is_evaluated_before_the_receive_on_the_right()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Operands(trace), 3, 10, 4, 30, 2, 12, 3, 5, 1, 0, 1, 7, 9);
        Drive.AssertPython(OperandsTwin, trace);
    }

    [Fact]
    public static void Operands_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            t.Print(A(t, 1) + receive() * A(t, 2));
            t.Print(receive() - A(t, 1) - receive());
            t.Print(A(t, 100) / (receive() % A(t, 7)));
            t.Print(A(t, 1) < receive() == B(t, true));
            t.Print((A(t, 6) & receive()) | (A(t, 1) << receive()));
            t.Print(S(t, "a") + receive() + S(t, "b"));
            t.Print(B(t, false) | receive() > 0);
            t.Print(B(t, true) & receive() > 0);
            t.Print(B(t, true) ^ receive() > 0);
            int x = 2;
            t.Print(x * (x = receive()) + x);
            t.Print(-receive() + ~A(t, 0));
        }, 3, 10, 4, 30, 2, 12, 3, 5, 1, 0, 1, 7, 9);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Operands(coroutine), 3, 10, 4, 30, 2, 12, 3, 5, 1, 0, 1, 7, 9);
        Drive.AssertSame(plain, coroutine);
    }

    // Division by zero after the receive: the exception comes out of the Send that supplied the divisor.
    [Coroutine]
    internal static void Divides(Inbox<int> inbox, Trace t)
    {
        while (true)
        {
            t.Print(A(t, 12) / inbox.Receive());
        }
    }

    [Fact]
    public static void An_operator_that_throws_after_the_receive_throws_out_of_that_Send()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Divides(trace), 3, 4, 0, 5);
        Drive.AssertLines(trace, "A 12", "send 3", "4", "A 12", "send 4", "3", "A 12", "send 0", "error: DivideByZeroException: Attempted to divide by zero.");
    }
}
