using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Lambdas and local functions that use hoisted locals: they share the variable with the body (a change on either
/// side after a receive is seen by the other), and a lambda created in each loop iteration captures that iteration's
/// variable (C#'s per-iteration semantics for loop-body locals and foreach variables; one shared variable for a for
/// loop's own variable). Python closures bind late, so the oracle is the same body run as an ordinary method.
/// </summary>
public static partial class LambdaTests
{
    [Coroutine]
    internal static void Captures(Inbox<int> inbox, Trace t)
    {
        var actions = new List<Func<string>>();
        int total = 0;
        Action<int> add = n => total += n;
        int Twice(int n) => (n * 2) + total;
        Func<int> read = () => total;
        while (actions.Count < 3)
        {
            int x = inbox.Receive();
            add(x);
            actions.Add(() => $"x {x} total {total}");
            x += 100;
            t.Print($"read {read()}");
        }

        foreach (var item in new[] { 1, 2 })
        {
            var y = inbox.Receive();
            actions.Add(() => $"item {item} y {y}");
            y *= -1;
        }

        for (int i = 0; i < 2; i++)
        {
            actions.Add(() => $"for i {i}");
            inbox.Receive();
        }

        for (int outer = 0; outer < 2; outer++)
        {
            var o = inbox.Receive();
            for (int inner = 0; inner < 2; inner++)
            {
                var n = inbox.Receive();
                actions.Add(() => $"outer {o} inner {n}");
            }

            o += 1000;
        }

        total = inbox.Receive();
        t.Print($"twice {Twice(inbox.Receive())} read {read()}");
        foreach (var action in actions)
        {
            t.Print(action());
        }
    }

    private static void PlainCaptures(Func<int> receive, Trace t)
    {
        var actions = new List<Func<string>>();
        int total = 0;
        Action<int> add = n => total += n;
        int Twice(int n) => (n * 2) + total;
        Func<int> read = () => total;
        while (actions.Count < 3)
        {
            int x = receive();
            add(x);
            actions.Add(() => $"x {x} total {total}");
            x += 100;
            t.Print($"read {read()}");
        }

        foreach (var item in new[] { 1, 2 })
        {
            var y = receive();
            actions.Add(() => $"item {item} y {y}");
            y *= -1;
        }

        for (int i = 0; i < 2; i++)
        {
            actions.Add(() => $"for i {i}");
            receive();
        }

        for (int outer = 0; outer < 2; outer++)
        {
            var o = receive();
            for (int inner = 0; inner < 2; inner++)
            {
                var n = receive();
                actions.Add(() => $"outer {o} inner {n}");
            }

            o += 1000;
        }

        total = receive();
        t.Print($"twice {Twice(receive())} read {read()}");
        foreach (var action in actions)
        {
            t.Print(action());
        }
    }

    private static readonly int[] Values = [1, 2, 3, 10, 20, 0, 0, 5, 6, 7, 8, 9, 10, 50, 4];

    [Fact]
    public static void Captured_variables_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive => PlainCaptures(receive, plain), Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Captures(coroutine), Values);
        Drive.AssertSame(plain, coroutine);
        Drive.AssertLines(
            coroutine,
            "send 1", "read 1",
            "send 2", "read 3",
            "send 3", "read 6",
            "send 10", "send 20",
            "send 0", "send 0",
            "send 5", "send 6", "send 7",
            "send 8", "send 9", "send 10",
            "send 50", "send 4",
            "twice 58 read 50",
            "x 101 total 50",
            "x 102 total 50",
            "x 103 total 50",
            "item 1 y -10",
            "item 2 y -20",
            "for i 2",
            "for i 2",
            "outer 1005 inner 6",
            "outer 1005 inner 7",
            "outer 1008 inner 9",
            "outer 1008 inner 10",
            "finished");
    }

    // A closure created before a receive and called after it, by the driver, while the coroutine is parked: it sees
    // the coroutine's current variable, and what it writes the coroutine reads after resuming.
    [Coroutine]
    internal static void Shared(Inbox<int> inbox, Trace t, List<Func<int, int>> exported)
    {
        int counter = 0;
        exported.Add(delta => counter += delta);
        while (true)
        {
            var received = inbox.Receive();
            counter += received;
            t.Print($"counter {counter}");
        }
    }

    [Fact]
    public static void A_closure_shares_the_hoisted_variable_with_the_parked_coroutine()
    {
        var trace = new Trace();
        var exported = new List<Func<int, int>>();
        var c = Shared(trace, exported);
        c.Send(1);
        trace.Print($"closure returns {exported[0](10)}");
        c.Send(2);
        trace.Print($"closure returns {exported[0](0)}");
        Drive.AssertLines(trace, "counter 1", "closure returns 11", "counter 13", "closure returns 13");
    }

    // An instance template: a lambda that uses `this` and a hoisted local.
    internal sealed partial class Accumulator(Trace trace)
    {
        private readonly Trace _t = trace;
        private int _sum;

        [Coroutine]
        internal void Run(Inbox<int> inbox)
        {
            var scale = inbox.Receive();
            Func<int, int> scaled = v => (v * scale) + _sum;
            while (true)
            {
                var v = inbox.Receive();
                _sum += scaled(v);
                _t.Print($"sum {_sum}");
            }
        }
    }

    [Fact]
    public static void A_lambda_in_an_instance_template_uses_this_and_a_hoisted_local()
    {
        var trace = new Trace();
        var accumulator = new Accumulator(trace);
        Drive.Coroutine(trace, () => accumulator.Run(), 10, 1, 2, 3);
        Drive.AssertLines(trace, "send 10", "send 1", "sum 10", "send 2", "sum 40", "send 3", "sum 110", "close", "closed");
    }
}
