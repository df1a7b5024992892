using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Receives in the holes of interpolated strings: holes are evaluated left to right, with their alignment and format.
/// </summary>
public static partial class InterpolatedStringTests
{
    internal sealed class Probe(Trace t)
    {
        public int A(int v)
        {
            t.Print($"A {v}");
            return v;
        }
    }

    [Coroutine]
    internal static void Holes(Inbox<int> inbox, Trace t, Probe p)
    {
        t.Print($"<{p.A(1)}|{inbox.Receive()}|{p.A(3)}>");
        t.Print($"[{inbox.Receive():D3}|{inbox.Receive(),5}|{p.A(2) + inbox.Receive():X}]");
        t.Print($"nested {$"({inbox.Receive()})"} {p.A(9)}");
        t.Print($$"""raw {{{inbox.Receive()}}} {{p.A(4)}}""");
    }

    private const string HolesTwin = """
        def A(v):
            print(f"A {v}")
            return v
        def holes():
            print(f"<{A(1)}|{(yield)}|{A(3)}>")
            print(f"[{(yield):03d}|{(yield):>5}|{A(2) + (yield):X}]")
            inner = f"({(yield)})"
            print(f"nested {inner} {A(9)}")
            print(f"raw {{{(yield)}}} {A(4)}")
        drive(holes(), [5, 7, 42, 13, 8, 6])
        """;

    [Fact]
    public static void Holes_are_evaluated_left_to_right_around_each_receive()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Holes(trace, new Probe(trace)), 5, 7, 42, 13, 8, 6);
        Drive.AssertPython(HolesTwin, trace);
    }
}
