using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// <c>using</c> statements and <c>using var</c> declarations around receives: resources are disposed at the end of
/// their scope in reverse order of acquisition, on normal exit, on break/return, when an exception (thrown or
/// raised by Throw) leaves the scope, and when the coroutine is closed while parked inside; a null resource is not
/// disposed; a struct resource is disposed in place. Python's <c>with</c> is the twin for the class resources.
/// </summary>
public static partial class UsingTests
{
    internal sealed class Resource : IDisposable
    {
        private readonly Trace _t;

        public Resource(Trace t, string name)
        {
            _t = t;
            Name = name;
            t.Print($"open {name}");
        }

        public string Name { get; }

        public void Dispose() => _t.Print($"dispose {Name}");
    }

    [Coroutine]
    internal static void Statements(Inbox<string> inbox, Trace t)
    {
        while (true)
        {
            using (var a = new Resource(t, "a"))
            using (new Resource(t, "b"))
            {
                var cmd = inbox.Receive();
                t.Print($"{a.Name} got {cmd}");
                if (cmd == "break")
                {
                    break;
                }

                if (cmd == "raise")
                {
                    throw new ValueError("raised");
                }

                using (Resource c = new Resource(t, "c"), d = new Resource(t, "d"))
                {
                    t.Print($"{c.Name}{d.Name} got {inbox.Receive()}");
                }
            }

            t.Print("loop end");
        }

        t.Print("after loop " + inbox.Receive());
    }

    private const string StatementsTwin = """
        class Resource:
            def __init__(self, name):
                self.name = name
                print(f"open {name}")
            def __enter__(self): return self
            def __exit__(self, *exc):
                print(f"dispose {self.name}")
                return False
        def statements():
            while True:
                with Resource("a") as a, Resource("b"):
                    cmd = (yield)
                    print(f"{a.name} got {cmd}")
                    if cmd == "break":
                        break
                    if cmd == "raise":
                        raise ValueError("raised")
                    with Resource("c") as c, Resource("d") as d:
                        print(f"{c.name}{d.name} got {(yield)}")
                print("loop end")
            print("after loop " + (yield))
        script(statements, ["send:x", "send:y", "send:break", "send:z"])
        script(statements, ["send:x", "close"])
        script(statements, ["close"])
        script(statements, ["send:raise"])
        script(statements, ["send:x", "throw:ValueError:in c d", "send:never"])
        script(statements, ["throw:TypeError:in a b"])
        """;

    [Fact]
    public static void Using_statements_match_CPython_with_statements()
    {
        var trace = new Trace();
        Drive.Script(trace, () => Statements(trace), "send:x", "send:y", "send:break", "send:z");
        Drive.Script(trace, () => Statements(trace), "send:x", "close");
        Drive.Script(trace, () => Statements(trace), "close");
        Drive.Script(trace, () => Statements(trace), "send:raise");
        Drive.Script(trace, () => Statements(trace), "send:x", "throw:ValueError:in c d", "send:never");
        Drive.Script(trace, () => Statements(trace), "throw:TypeError:in a b");
        Drive.AssertPython(StatementsTwin, trace);
    }

    [Coroutine]
    internal static void Declarations(Inbox<string> inbox, Trace t)
    {
        using var first = new Resource(t, "first");
        t.Print("got " + inbox.Receive());
        using var second = new Resource(t, "second");
        for (int i = 0; i < 2; i++)
        {
            using var inner = new Resource(t, $"inner{i}");
            if (inbox.Receive() == "return")
            {
                return;
            }
        }

        using Resource? nothing = null;
        using var third = new Resource(t, "third");
        t.Print($"{first.Name} {second.Name} {third.Name} got {inbox.Receive()}");
    }

    private static void PlainDeclarations(Func<string> receive, Trace t)
    {
        using var first = new Resource(t, "first");
        t.Print("got " + receive());
        using var second = new Resource(t, "second");
        for (int i = 0; i < 2; i++)
        {
            using var inner = new Resource(t, $"inner{i}");
            if (receive() == "return")
            {
                return;
            }
        }

        using Resource? nothing = null;
        using var third = new Resource(t, "third");
        t.Print($"{first.Name} {second.Name} {third.Name} got {receive()}");
    }

    [Theory]
    [InlineData("a", "b", "c", "d")] // normal exit
    [InlineData("a", "b", "return")] // return from the loop
    [InlineData("a", "b", "c")] // closed while parked with three resources open
    [InlineData("a")] // closed while parked in the loop
    [InlineData]
    public static void Using_declarations_are_disposed_in_reverse_order_as_in_the_ordinary_method(params string[] values)
    {
        var plain = new Trace();
        Drive.Plain<string>(plain, receive => PlainDeclarations(receive, plain), values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Declarations(coroutine), values);
        Drive.AssertSame(plain, coroutine);
    }

    [Fact]
    public static void Closing_with_three_resources_open_disposes_them_in_reverse_order()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Declarations(trace), "a", "b", "c");
        Drive.AssertLines(
            trace,
            "open first",
            "send a",
            "got a",
            "open second",
            "open inner0",
            "send b",
            "dispose inner0",
            "open inner1",
            "send c",
            "dispose inner1",
            "open third",
            "close",
            "dispose third",
            "dispose second",
            "dispose first",
            "closed");
    }

    // A struct resource: a mutating method called on the using variable changes the variable itself (C# makes no
    // defensive copy of it), and Dispose runs on that variable, without boxing, so it sees the changes.
    internal struct Counter(Trace t) : IDisposable
    {
        public int Count;

        public void Add(int n)
        {
            Count += n;
            t.Print($"count {Count}");
        }

        public void Dispose()
        {
            t.Print($"counter disposed at {Count}");
            Count = -1;
        }
    }

    [Coroutine]
    internal static void StructResource(Inbox<int> inbox, Trace t)
    {
        using (var counter = new Counter(t))
        {
            while (true)
            {
                var n = inbox.Receive();
                if (n == 0)
                {
                    break;
                }

                counter.Add(n);
            }
        }

        using var other = new Counter(t);
        other.Add(inbox.Receive());
        inbox.Receive();
    }

    [Theory]
    [InlineData(2, 3, 0, 4, 5)]
    [InlineData(2, 3, 0, 4)]
    [InlineData(2)]
    public static void A_struct_resource_matches_the_ordinary_method(params int[] values)
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            using (var counter = new Counter(t))
            {
                while (true)
                {
                    var n = receive();
                    if (n == 0)
                    {
                        break;
                    }

                    counter.Add(n);
                }
            }

            using var other = new Counter(t);
            other.Add(receive());
            receive();
        }, values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => StructResource(coroutine), values);
        Drive.AssertSame(plain, coroutine);
        if (values.Length > 2)
        {
            Assert.Contains("counter disposed at 5", coroutine.Lines);
        }
    }

    // A resource whose Dispose throws while the coroutine closes: the exception comes out of Close.
    internal sealed class Faulty : IDisposable
    {
        public void Dispose() => throw new TypeError("dispose failed");
    }

    [Coroutine]
    internal static void FaultyResource(Inbox<int> inbox, Trace t)
    {
        using var faulty = new Faulty();
        using var resource = new Resource(t, "r");
        inbox.Receive();
    }

    [Fact]
    public static void A_Dispose_that_throws_during_Close_propagates_out_of_Close()
    {
        var trace = new Trace();
        var c = FaultyResource(trace);
        trace.Attempt("close", c.Close);
        trace.Print(c.State.ToString());
        Drive.AssertLines(trace, "open r", "dispose r", "close: TypeError: dispose failed", "Closed");
    }
}
