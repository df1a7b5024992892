using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// checked and unchecked blocks and expressions containing receives: the overflow context of the code after a
/// receive is the one it was written in (overflow still throws in checked code, still wraps in unchecked code,
/// compound assignments and conversions included). C# only: the oracle is the same body run as an ordinary method
/// (this project compiles unchecked by default), and a trace written from the specification.
/// </summary>
public static partial class CheckedTests
{
    [Coroutine]
    internal static void Contexts(Inbox<int> inbox, Trace t)
    {
        while (true)
        {
            try
            {
                checked
                {
                    int big = inbox.Receive();
                    t.Print($"checked {big + 1}");
                    t.Print($"checked sum {big + inbox.Receive()}");
                    int x = int.MaxValue - 10;
                    x += inbox.Receive();
                    t.Print($"checked compound {x}");
                    t.Print($"checked conversion {(byte)inbox.Receive()}");
                    unchecked
                    {
                        t.Print($"unchecked inside {big + inbox.Receive()}");
                    }
                }

                t.Print($"checked expression {checked(inbox.Receive() * 2)}");
                t.Print($"default context {inbox.Receive() + int.MaxValue}");
            }
            catch (OverflowException)
            {
                t.Print("overflow");
            }
        }
    }

    private static void PlainContexts(Func<int> receive, Trace t)
    {
        while (true)
        {
            try
            {
                checked
                {
                    int big = receive();
                    t.Print($"checked {big + 1}");
                    t.Print($"checked sum {big + receive()}");
                    int x = int.MaxValue - 10;
                    x += receive();
                    t.Print($"checked compound {x}");
                    t.Print($"checked conversion {(byte)receive()}");
                    unchecked
                    {
                        t.Print($"unchecked inside {big + receive()}");
                    }
                }

                t.Print($"checked expression {checked(receive() * 2)}");
                t.Print($"default context {receive() + int.MaxValue}");
            }
            catch (OverflowException)
            {
                t.Print("overflow");
            }
        }
    }

    private static readonly int[] Values =
    [
        1, 2, 3, 4, int.MaxValue, 5, 6, // no overflow except the wrapping ones
        int.MaxValue, // big + 1 overflows
        int.MaxValue - 1, 5, // big + received overflows
        0, 0, 11, // the compound assignment overflows
        0, 0, 0, 256, // the conversion overflows
        0, 0, 0, 0, 0, int.MaxValue, // checked(x * 2) overflows
    ];

    [Fact]
    public static void Overflow_contexts_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive => PlainContexts(receive, plain), Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Contexts(coroutine), Values);
        Drive.AssertSame(plain, coroutine);
        Drive.AssertLines(
            coroutine,
            "send 1",
            "checked 2",
            "send 2",
            "checked sum 3",
            "send 3",
            "checked compound 2147483640",
            "send 4",
            "checked conversion 4",
            "send 2147483647",
            "unchecked inside -2147483648",
            "send 5",
            "checked expression 10",
            "send 6",
            "default context -2147483643",
            "send 2147483647",
            "overflow",
            "send 2147483646",
            "checked 2147483647",
            "send 5",
            "overflow",
            "send 0",
            "checked 1",
            "send 0",
            "checked sum 0",
            "send 11",
            "overflow",
            "send 0",
            "checked 1",
            "send 0",
            "checked sum 0",
            "send 0",
            "checked compound 2147483637",
            "send 256",
            "overflow",
            "send 0",
            "checked 1",
            "send 0",
            "checked sum 0",
            "send 0",
            "checked compound 2147483637",
            "send 0",
            "checked conversion 0",
            "send 0",
            "unchecked inside 0",
            "send 2147483647",
            "overflow",
            "close",
            "closed");
    }
}
