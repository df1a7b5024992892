using System.Collections;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// foreach loops whose body receives: over arrays, strings, List&lt;T&gt; (whose version check still fires), any
/// IEnumerable&lt;T&gt; (a yield-return iterator whose finally prints: the enumerator is disposed when the loop is
/// left early, when the coroutine is closed or fails while parked in the loop, and when the loop finishes), struct
/// enumerators (advanced and disposed in place, never copied), deconstruction and nesting. The oracle is C#'s
/// foreach: the same body run as an ordinary method, and traces written from the specification.
/// </summary>
public static partial class ForeachTests
{
    internal static IEnumerable<int> Numbers(Trace t, int count)
    {
        t.Print("iterator start");
        try
        {
            for (int i = 1; i <= count; i++)
            {
                t.Print($"yield {i}");
                yield return i;
            }
        }
        finally
        {
            t.Print("iterator disposed");
        }
    }

    [Coroutine]
    internal static void OverIterator(Inbox<string> inbox, Trace t, int count)
    {
        foreach (var i in Numbers(t, count))
        {
            var cmd = inbox.Receive();
            t.Print($"item {i} cmd {cmd}");
            if (cmd == "break")
            {
                break;
            }

            if (cmd == "continue")
            {
                continue;
            }

            if (cmd == "return")
            {
                return;
            }

            if (cmd == "raise")
            {
                throw new ValueError("raised");
            }

            t.Print("body end");
        }

        t.Print("after loop " + inbox.Receive());
    }

    private static void PlainOverIterator(Func<string> receive, Trace t, int count)
    {
        foreach (var i in Numbers(t, count))
        {
            var cmd = receive();
            t.Print($"item {i} cmd {cmd}");
            if (cmd == "break")
            {
                break;
            }

            if (cmd == "continue")
            {
                continue;
            }

            if (cmd == "return")
            {
                return;
            }

            if (cmd == "raise")
            {
                throw new ValueError("raised");
            }

            t.Print("body end");
        }

        t.Print("after loop " + receive());
    }

    [Theory]
    [InlineData("a", "continue", "b", "end")] // the loop finishes
    [InlineData("a", "break", "end")] // left early by break
    [InlineData("return")] // left by return
    [InlineData("continue", "raise")] // left by an exception
    [InlineData("a")] // closed while parked in the loop
    [InlineData("a", "b", "c")] // closed while parked after the loop
    public static void The_enumerator_is_disposed_as_in_the_ordinary_method(params string[] values)
    {
        var plain = new Trace();
        Drive.Plain<string>(plain, receive => PlainOverIterator(receive, plain, 3), values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => OverIterator(coroutine, 3), values);
        Drive.AssertSame(plain, coroutine);
        Assert.Single(coroutine.Lines, "iterator disposed");
    }

    [Fact]
    public static void Closing_while_parked_in_the_loop_disposes_the_enumerator()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => OverIterator(trace, 3), "a");
        Drive.AssertLines(
            trace,
            "iterator start",
            "yield 1",
            "send a",
            "item 1 cmd a",
            "body end",
            "yield 2",
            "close",
            "iterator disposed",
            "closed");
    }

    [Fact]
    public static void Throw_while_parked_in_the_loop_disposes_the_enumerator()
    {
        var trace = new Trace();
        var c = OverIterator(trace, 3);
        trace.Attempt("throw", () => c.Throw(new TypeError("t")));
        Drive.AssertLines(trace, "iterator start", "yield 1", "iterator disposed", "throw: TypeError: t");
    }

    [Fact]
    public static void An_empty_sequence_is_disposed_before_the_body_would_run()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => OverIterator(trace, 0), "x");
        Drive.AssertLines(trace, "iterator start", "iterator disposed", "send x", "after loop x", "finished");
    }

    // Arrays, strings and List<T>, the collection expression evaluated once; a list changed while the coroutine is
    // parked in its loop makes the next MoveNext throw, as in any foreach over a List<T>.
    private static T Once<T>(Trace t, string what, T value)
    {
        t.Print($"evaluate {what}");
        return value;
    }

    [Coroutine]
    internal static void Collections(Inbox<int> inbox, Trace t, List<int> list)
    {
        var total = 0;
        foreach (var x in Once(t, "array", new[] { 1, 2, 3 }))
        {
            total += x * inbox.Receive();
        }

        t.Print($"array total {total}");
        foreach (var c in Once(t, "string", "ab"))
        {
            t.Print($"char {c} {inbox.Receive()}");
        }

        foreach (var item in Once(t, "list", list))
        {
            t.Print($"list item {item} {inbox.Receive()}");
        }

        t.Print("end");
    }

    [Fact]
    public static void Arrays_strings_and_lists_match_the_ordinary_method()
    {
        int[] values = [1, 10, 100, 5, 6, 7, 8];
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            var list = new List<int> { 4, 5 };
            var total = 0;
            foreach (var x in Once(t, "array", new[] { 1, 2, 3 }))
            {
                total += x * receive();
            }

            t.Print($"array total {total}");
            foreach (var c in Once(t, "string", "ab"))
            {
                t.Print($"char {c} {receive()}");
            }

            foreach (var item in Once(t, "list", list))
            {
                t.Print($"list item {item} {receive()}");
            }

            t.Print("end");
        }, values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Collections(coroutine, [4, 5]), values);
        Drive.AssertSame(plain, coroutine);
        Assert.Contains("array total 321", coroutine.Lines);
    }

    [Fact]
    public static void A_list_changed_while_parked_in_its_loop_throws_on_the_next_iteration()
    {
        var trace = new Trace();
        var list = new List<int> { 4, 5 };
        var c = Collections(trace, list);
        foreach (var v in new[] { 1, 1, 1, 1, 1 })
        {
            c.Send(v);
        }

        list.Add(6);
        trace.Attempt("send", () => c.Send(1));
        Assert.Equal(CoroutineState.Closed, c.State);
        Assert.Equal("send: InvalidOperationException: Collection was modified; enumeration operation may not execute.", trace.Lines[^1]);
    }

    // A collection whose struct enumerator is mutable and disposable: the loop must advance and dispose the one
    // enumerator it got (a copy would never advance, or would be disposed at the wrong position).
    internal readonly struct Countdown(Trace t, int from)
    {
        public Enumerator GetEnumerator() => new(t, from);

        internal struct Enumerator(Trace t, int from) : IDisposable
        {
            private int _current = from + 1;

            public readonly int Current => _current;

            public bool MoveNext() => --_current > 0;

            public readonly void Dispose() => t.Print($"struct enumerator disposed at {_current}");
        }
    }

    internal readonly struct Plain(int count)
    {
        public Enumerator GetEnumerator() => new(count);

        internal struct Enumerator(int count)
        {
            private int _i;

            public readonly int Current => _i * 10;

            public bool MoveNext() => ++_i <= count;
        }
    }

    [Coroutine]
    internal static void Structs(Inbox<string> inbox, Trace t)
    {
        foreach (var n in new Countdown(t, 3))
        {
            t.Print($"countdown {n} {inbox.Receive()}");
        }

        foreach (var n in new Plain(2))
        {
            t.Print($"plain {n} {inbox.Receive()}");
        }

        foreach (var n in new Countdown(t, 5))
        {
            if (inbox.Receive() == "break")
            {
                break;
            }

            t.Print($"second countdown {n}");
        }

        t.Print("end " + inbox.Receive());
    }

    [Fact]
    public static void Struct_enumerators_are_advanced_and_disposed_in_place()
    {
        string[] values = ["a", "b", "c", "d", "e", "go", "go", "break", "z"];
        var plain = new Trace();
        Drive.Plain<string>(plain, receive =>
        {
            var t = plain;
            foreach (var n in new Countdown(t, 3))
            {
                t.Print($"countdown {n} {receive()}");
            }

            foreach (var n in new Plain(2))
            {
                t.Print($"plain {n} {receive()}");
            }

            foreach (var n in new Countdown(t, 5))
            {
                if (receive() == "break")
                {
                    break;
                }

                t.Print($"second countdown {n}");
            }

            t.Print("end " + receive());
        }, values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Structs(coroutine), values);
        Drive.AssertSame(plain, coroutine);
        Drive.AssertLines(
            coroutine,
            "send a",
            "countdown 3 a",
            "send b",
            "countdown 2 b",
            "send c",
            "countdown 1 c",
            "struct enumerator disposed at 0",
            "send d",
            "plain 10 d",
            "send e",
            "plain 20 e",
            "send go",
            "second countdown 5",
            "send go",
            "second countdown 4",
            "send break",
            "struct enumerator disposed at 3",
            "send z",
            "end z",
            "finished");
    }

    [Fact]
    public static void Closing_in_a_struct_enumerator_loop_disposes_it_at_its_position()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Structs(trace), "a", "b");
        Drive.AssertLines(trace, "send a", "countdown 3 a", "send b", "countdown 2 b", "close", "struct enumerator disposed at 1", "closed");
    }

    // Nested loops over iterators, with a deconstructing foreach: closing while parked in the inner loop disposes
    // the inner enumerator, then the outer one.
    [Coroutine]
    internal static void Nested(Inbox<string> inbox, Trace t)
    {
        foreach (var (key, value) in new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 })
        {
            foreach (var i in Numbers(t, value))
            {
                t.Print($"{key}{i} {inbox.Receive()}");
            }
        }

        t.Print("end");
    }

    [Theory]
    [InlineData("x", "y", "z")]
    [InlineData("x", "y")]
    [InlineData("x")]
    public static void Nested_loops_match_the_ordinary_method(params string[] values)
    {
        var plain = new Trace();
        Drive.Plain<string>(plain, receive =>
        {
            var t = plain;
            foreach (var (key, value) in new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 })
            {
                foreach (var i in Numbers(t, value))
                {
                    t.Print($"{key}{i} {receive()}");
                }
            }

            t.Print("end");
        }, values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Nested(coroutine), values);
        Drive.AssertSame(plain, coroutine);
    }

    // A non-generic IEnumerable with an explicit conversion of each element.
    [Coroutine]
    internal static void NonGeneric(Inbox<int> inbox, Trace t, IEnumerable items)
    {
        foreach (string s in items)
        {
            t.Print($"{s} {inbox.Receive()}");
        }
    }

    [Fact]
    public static void A_non_generic_sequence_converts_each_element()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => NonGeneric(trace, new ArrayList { "p", "q", 3 }), 1, 2, 3);
        Drive.AssertLines(trace, "send 1", "p 1", "send 2", "q 2", "error: InvalidCastException: Unable to cast object of type 'System.Int32' to type 'System.String'.");
    }
}
