using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// <c>x?.M(inbox.Receive())</c>: when x is null the whole access is skipped, receive included; when it is not, x is
/// evaluated once, before the receive.
/// </summary>
public static partial class ConditionalAccessTests
{
    internal sealed class Target(Trace t, string name)
    {
        public Target? Next { get; set; }

        public int[] Items { get; } = [10, 20, 30];

        public Target M(int v)
        {
            t.Print($"{name}.M {v}");
            return this;
        }

        public int Length(int v) => v * 2;
    }

    private static Target? Get(Trace t, Target? target)
    {
        t.Print($"get {(target is null ? "null" : "target")}");
        return target;
    }

    [Coroutine]
    internal static void Access(Inbox<int> inbox, Trace t)
    {
        var x = new Target(t, "x");
        while (true)
        {
            var maybe = inbox.Receive() > 0 ? x : null;
            Get(t, maybe)?.M(inbox.Receive());
            Get(t, maybe)?.M(inbox.Receive()).M(inbox.Receive());
            int? n = Get(t, maybe)?.Length(inbox.Receive());
            int? item = Get(t, maybe)?.Items[inbox.Receive()];
            t.Print($"n {Trace.Format(n)} item {Trace.Format(item)}");
        }
    }

    private const string AccessTwin = """
        class Target:
            def __init__(self, name): self.name = name; self.Next = None; self.Items = [10, 20, 30]
            def M(self, v):
                print(f"{self.name}.M {v}")
                return self
            def Length(self, v): return v * 2
        def Get(target):
            print(f"get {'null' if target is None else 'target'}")
            return target
        def access():
            x = Target("x")
            while True:
                maybe = x if (yield) > 0 else None
                g = Get(maybe)
                if g is not None: g.M((yield))
                g = Get(maybe)
                if g is not None: g.M((yield)).M((yield))
                g = Get(maybe)
                n = g.Length((yield)) if g is not None else None
                g = Get(maybe)
                item = g.Items[(yield)] if g is not None else None
                print(f"n {n} item {item}")
        drive(access(), [1, 5, 6, 7, 8, 2, 0, 1, 3, 9, 1, 0])
        """;

    private static readonly int[] Values = [1, 5, 6, 7, 8, 2, 0, 1, 3, 9, 1, 0];

    [Fact]
    public static void A_null_receiver_skips_the_receive()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Access(trace), Values);
        Drive.AssertPython(AccessTwin, trace);
    }

    [Fact]
    public static void Conditional_access_matches_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            var x = new Target(t, "x");
            while (true)
            {
                var maybe = receive() > 0 ? x : null;
                Get(t, maybe)?.M(receive());
                Get(t, maybe)?.M(receive()).M(receive());
                int? n = Get(t, maybe)?.Length(receive());
                int? item = Get(t, maybe)?.Items[receive()];
                t.Print($"n {Trace.Format(n)} item {Trace.Format(item)}");
            }
        }, Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Access(coroutine), Values);
        Drive.AssertSame(plain, coroutine);
    }

    /// <summary>
    /// A chain as a statement, <c>a?.Next?.M(inbox.Receive())</c>: each null test skips the rest of the chain, receive
    /// included; the value of a chain that is used is null when any link is.
    /// </summary>
    [Coroutine]
    internal static void Chain(Inbox<int> inbox, Trace t)
    {
        var x = new Target(t, "x");
        var y = new Target(t, "y");
        while (true)
        {
            var links = inbox.Receive();
            x.Next = links > 1 ? y : null;
            var head = links > 0 ? x : null;
            Get(t, head)?.Next?.M(inbox.Receive());
            head?.Next?.M(inbox.Receive()).M(inbox.Receive());
            int? n = Get(t, head)?.Next?.Length(inbox.Receive());
            t.Print($"n {Trace.Format(n)}");
        }
    }

    private const string ChainTwin = """
        class Target:
            def __init__(self, name): self.name = name; self.Next = None
            def M(self, v):
                print(f"{self.name}.M {v}")
                return self
            def Length(self, v): return v * 2
        def Get(target):
            print(f"get {'null' if target is None else 'target'}")
            return target
        def chain():
            x = Target("x")
            y = Target("y")
            while True:
                links = (yield)
                x.Next = y if links > 1 else None
                head = x if links > 0 else None
                g = Get(head)
                if g is not None and g.Next is not None: g.Next.M((yield))
                if head is not None and head.Next is not None: head.Next.M((yield)).M((yield))
                g = Get(head)
                n = g.Next.Length((yield)) if g is not None and g.Next is not None else None
                print(f"n {n}")
        drive(chain(), [0, 1, 2, 5, 6, 7, 8, 1])
        """;

    [Fact]
    public static void A_null_link_in_a_chain_skips_the_receive()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Chain(trace), 0, 1, 2, 5, 6, 7, 8, 1);
        Drive.AssertPython(ChainTwin, trace);
    }
}
