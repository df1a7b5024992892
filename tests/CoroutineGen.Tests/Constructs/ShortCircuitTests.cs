using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// <c>&amp;&amp;</c> and <c>||</c> with receives: the right operand's receive happens only when the right operand is
/// evaluated. The drivers send exactly the values the short circuits consume, so one receive too many or too few
/// shifts every later line of the trace.
/// </summary>
public static partial class ShortCircuitTests
{
    private static bool B(Trace t, bool v)
    {
        t.Print($"B {Trace.Format(v)}");
        return v;
    }

    [Coroutine]
    internal static void AndOr(Inbox<int> inbox, Trace t)
    {
        while (true)
        {
            if (inbox.Receive() > 0 && inbox.Receive() > 0)
            {
                t.Print("and: both");
            }
            else
            {
                t.Print("and: not both");
            }

            bool either = inbox.Receive() > 0 || inbox.Receive() > 0;
            t.Print($"or: {Trace.Format(either)}");
            t.Print(B(t, false) && inbox.Receive() > 0);
            t.Print(B(t, true) || inbox.Receive() > 0);
            t.Print(B(t, true) && (inbox.Receive() > 0 || B(t, true)) && B(t, true));
            while (inbox.Receive() > 0 && B(t, true))
            {
                t.Print("loop");
            }

            t.Print("---");
        }
    }

    private const string AndOrTwin = """
        def B(v):
            print(f"B {v}")
            return v
        def and_or():
            while True:
                if (yield) > 0 and (yield) > 0:
                    print("and: both")
                else:
                    print("and: not both")
                either = (yield) > 0 or (yield) > 0
                print(f"or: {either}")
                print(B(False) and (yield) > 0)
                print(B(True) or (yield) > 0)
                print(B(True) and ((yield) > 0 or B(True)) and B(True))
                while (yield) > 0 and B(True):
                    print("loop")
                print("---")
        drive(and_or(), [1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0])
        """;

    private static readonly int[] Values = [1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0];

    [Fact]
    public static void The_right_receive_happens_only_when_the_right_operand_is_evaluated()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => AndOr(trace), Values);
        Drive.AssertPython(AndOrTwin, trace);
    }

    [Fact]
    public static void Short_circuits_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            while (true)
            {
                if (receive() > 0 && receive() > 0)
                {
                    t.Print("and: both");
                }
                else
                {
                    t.Print("and: not both");
                }

                bool either = receive() > 0 || receive() > 0;
                t.Print($"or: {Trace.Format(either)}");
                t.Print(B(t, false) && receive() > 0);
                t.Print(B(t, true) || receive() > 0);
                t.Print(B(t, true) && (receive() > 0 || B(t, true)) && B(t, true));
                while (receive() > 0 && B(t, true))
                {
                    t.Print("loop");
                }

                t.Print("---");
            }
        }, Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => AndOr(coroutine), Values);
        Drive.AssertSame(plain, coroutine);
    }

    // Nullable bool logic operators (& and | on bool?) are not short circuits: both sides are always evaluated.
    [Coroutine]
    internal static void NullableLogic(Inbox<bool?> inbox, Trace t)
    {
        while (true)
        {
            bool? x = inbox.Receive() & inbox.Receive();
            bool? y = inbox.Receive() | inbox.Receive();
            t.Print($"{Trace.Format(x)} {Trace.Format(y)}");
        }
    }

    [Fact]
    public static void Nullable_bool_operators_receive_both_operands()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => NullableLogic(trace), false, null, true, null);
        Drive.AssertLines(trace, "send False", "send None", "send True", "send None", "False True", "close", "closed");
    }
}
