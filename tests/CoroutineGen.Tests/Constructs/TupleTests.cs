using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Tuples and deconstruction with receives: tuple elements are evaluated left to right; a swap reads the old values
/// before the receive; a Deconstruct method runs after the receive that produced its receiver; tuple element names
/// survive hoisting.
/// </summary>
public static partial class TupleTests
{
    private static int A(Trace t, int v)
    {
        t.Print($"A {v}");
        return v;
    }

    internal readonly struct Parts(Trace t, int value)
    {
        public void Deconstruct(out int tens, out int ones)
        {
            t.Print($"deconstruct {value}");
            tens = value / 10;
            ones = value % 10;
        }
    }

    [Coroutine]
    internal static void Tuples(Inbox<int> inbox, Trace t)
    {
        var (a, b) = (inbox.Receive(), A(t, 2));
        t.Print($"{a} {b}");
        (a, b) = (b, inbox.Receive());
        t.Print($"{a} {b}");
        var (tens, ones) = new Parts(t, inbox.Receive());
        inbox.Receive();
        t.Print($"{tens} {ones}");
        var pair = (Name: "n", Value: inbox.Receive());
        inbox.Receive();
        t.Print($"{pair.Name} {pair.Value} {pair}");
        t.Print((A(t, 1), inbox.Receive()) == (1, 2));
        var (x, (y, z)) = (A(t, 1), (inbox.Receive(), A(t, 3)));
        t.Print($"{x} {y} {z}");
    }

    private static readonly int[] Values = [1, 3, 42, 0, 7, 0, 2, 8];

    [Fact]
    public static void Tuples_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            var (a, b) = (receive(), A(t, 2));
            t.Print($"{a} {b}");
            (a, b) = (b, receive());
            t.Print($"{a} {b}");
            var (tens, ones) = new Parts(t, receive());
            receive();
            t.Print($"{tens} {ones}");
            var pair = (Name: "n", Value: receive());
            receive();
            t.Print($"{pair.Name} {pair.Value} {pair}");
            t.Print((A(t, 1), receive()) == (1, 2));
            var (x, (y, z)) = (A(t, 1), (receive(), A(t, 3)));
            t.Print($"{x} {y} {z}");
        }, Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Tuples(coroutine), Values);
        Drive.AssertSame(plain, coroutine);
    }

    private const string TuplesTwin = """
        def A(v):
            print(f"A {v}")
            return v
        def tuples():
            a, b = (yield), A(2)
            print(f"{a} {b}")
            a, b = b, (yield)
            print(f"{a} {b}")
        drive(tuples(), [1, 3])
        """;

    [Coroutine]
    internal static void Swap(Inbox<int> inbox, Trace t)
    {
        var (a, b) = (inbox.Receive(), A(t, 2));
        t.Print($"{a} {b}");
        (a, b) = (b, inbox.Receive());
        t.Print($"{a} {b}");
    }

    [Fact]
    public static void Tuple_elements_and_a_swap_match_CPython()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Swap(trace), 1, 3);
        Drive.AssertPython(TuplesTwin, trace);
    }
}
