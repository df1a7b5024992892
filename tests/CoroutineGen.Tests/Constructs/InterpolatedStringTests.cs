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

    private static readonly string Name = "n";

    private static int Twice(int v) => v * 2;

    /// <summary>
    /// The generated class qualifies the template's own members (<c>global::...InterpolatedStringTests.Twice</c>): in a
    /// hole, the <c>::</c> would end the expression and start a format unless the hole is parenthesized.
    /// </summary>
    [Coroutine]
    internal static void QualifiedHoles(Inbox<int> inbox, Trace t)
    {
        t.Print($"{Twice(inbox.Receive())}|{Name}|{inbox.Receive() + Twice(1)}|{Twice(2):D3}|{Name,3}|{(global::System.Math.Max(inbox.Receive(), 5))}");
        t.Print($"{Name} {Twice(3),4} {$"{Twice(4)}"}");
    }

    private const string QualifiedHolesTwin = """
        def Twice(v): return v * 2
        def qualified():
            print(f"{Twice((yield))}|n|{(yield) + Twice(1)}|{Twice(2):03d}|{'n':>3}|{max((yield), 5)}")
            print(f"n {Twice(3):>4} {Twice(4)}")
        drive(qualified(), [3, 4, 1])
        """;

    [Fact]
    public static void Holes_naming_the_templates_own_members_keep_their_format()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => QualifiedHoles(trace), 3, 4, 1);
        Drive.AssertPython(QualifiedHolesTwin, trace);
    }
}
