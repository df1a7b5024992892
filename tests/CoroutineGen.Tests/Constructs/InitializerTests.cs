using System.Collections;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Receives inside array, collection and object initializers: the object is created (its constructor runs) before
/// the receives in its initializer, and members/elements are assigned/added one by one in the order written.
/// </summary>
public static partial class InitializerTests
{
    internal sealed class Point
    {
        private readonly Trace _t;
        private int _x;
        private int _y;

        public Point(Trace t, string name)
        {
            _t = t;
            Name = name;
            t.Print($"new Point {name}");
        }

        public string Name { get; }

        public int X
        {
            get => _x;
            set
            {
                _t.Print($"{Name}.X = {value}");
                _x = value;
            }
        }

        public int Y
        {
            get => _y;
            set
            {
                _t.Print($"{Name}.Y = {value}");
                _y = value;
            }
        }

        public Point? Inner { get; set; }

        public override string ToString() => $"{Name}({X}, {Y}{(Inner is null ? "" : $", {Inner}")})";
    }

    internal sealed class Bag : IEnumerable<int>
    {
        private readonly List<int> _items = new();

        public Trace? T { get; set; }

        public Bag()
        {
        }

        public Bag(Trace t)
        {
            T = t;
            t.Print("new Bag");
        }

        public void Add(int item)
        {
            T?.Print($"Add {item}");
            _items.Add(item);
        }

        public int this[string key]
        {
            get => _items[int.Parse(key)];
            set
            {
                T?.Print($"[{key}] = {value}");
                _items.Add(value);
            }
        }

        public IEnumerator<int> GetEnumerator() => _items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"[{string.Join(", ", _items)}]";
    }

    private static int A(Trace t, int v)
    {
        t.Print($"A {v}");
        return v;
    }

    private static string K(Trace t, string k)
    {
        t.Print($"K {k}");
        return k;
    }

    [Coroutine]
    internal static void Objects(Inbox<int> inbox, Trace t)
    {
        var p = new Point(t, "p") { X = inbox.Receive(), Y = A(t, 2) };
        t.Print(p);
        var q = new Point(t, "q") { Y = A(t, 1), X = inbox.Receive(), Inner = new Point(t, "i") { X = inbox.Receive() } };
        t.Print(q);
        var bag = new Bag(t) { A(t, 1), inbox.Receive(), A(t, 3) };
        t.Print(bag);
        var array = new[] { A(t, 1), inbox.Receive(), A(t, 3) };
        t.Print(string.Join(",", array));
        var list = new List<int> { A(t, 1), inbox.Receive() };
        t.Print(string.Join(",", list));
    }

    private const string ObjectsTwin = """
        class Point:
            def __init__(self, name):
                self.name = name; self._x = 0; self._y = 0; self.inner = None
                print(f"new Point {name}")
            @property
            def X(self): return self._x
            @X.setter
            def X(self, v):
                print(f"{self.name}.X = {v}"); self._x = v
            @property
            def Y(self): return self._y
            @Y.setter
            def Y(self, v):
                print(f"{self.name}.Y = {v}"); self._y = v
            def __str__(self):
                inner = "" if self.inner is None else f", {self.inner}"
                return f"{self.name}({self.X}, {self.Y}{inner})"
        class Bag:
            def __init__(self):
                self.items = []
                print("new Bag")
            def Add(self, item):
                print(f"Add {item}"); self.items.append(item)
            def __str__(self): return "[" + ", ".join(map(str, self.items)) + "]"
        def A(v):
            print(f"A {v}")
            return v
        def objects():
            p = Point("p"); p.X = (yield); p.Y = A(2)
            print(p)
            q = Point("q"); q.Y = A(1); q.X = (yield)
            i = Point("i"); i.X = (yield); q.inner = i
            print(q)
            bag = Bag(); bag.Add(A(1)); bag.Add((yield)); bag.Add(A(3))
            print(bag)
            array = [A(1), (yield), A(3)]
            print(",".join(map(str, array)))
            lst = [A(1), (yield)]
            print(",".join(map(str, lst)))
        drive(objects(), [10, 20, 30, 40, 50, 60])
        """;

    [Fact]
    public static void The_object_is_created_before_the_receives_in_its_initializer()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Objects(trace), 10, 20, 30, 40, 50, 60);
        Drive.AssertPython(ObjectsTwin, trace);
    }

    [Fact]
    public static void Object_initializers_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            var p = new Point(t, "p") { X = receive(), Y = A(t, 2) };
            t.Print(p);
            var q = new Point(t, "q") { Y = A(t, 1), X = receive(), Inner = new Point(t, "i") { X = receive() } };
            t.Print(q);
            var bag = new Bag(t) { A(t, 1), receive(), A(t, 3) };
            t.Print(bag);
            var array = new[] { A(t, 1), receive(), A(t, 3) };
            t.Print(string.Join(",", array));
            var list = new List<int> { A(t, 1), receive() };
            t.Print(string.Join(",", list));
        }, 10, 20, 30, 40, 50, 60);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Objects(coroutine), 10, 20, 30, 40, 50, 60);
        Drive.AssertSame(plain, coroutine);
    }

    // Index initializers (the key is evaluated before the value's receive), a dictionary with element
    // initializers, and anonymous objects.
    [Coroutine]
    internal static void Indexes(Inbox<int> inbox, Trace t)
    {
        var bag = new Bag(t) { [K(t, "a")] = inbox.Receive(), [K(t, "b")] = A(t, 2) };
        t.Print(bag);
        var dict = new Dictionary<string, int> { { K(t, "x"), inbox.Receive() }, { K(t, "y"), A(t, 3) } };
        var dict2 = new Dictionary<string, int> { [K(t, "z")] = inbox.Receive() };
        t.Print(string.Join(",", dict.Concat(dict2).Select(kv => $"{kv.Key}={kv.Value}")));
        var anon = new { First = A(t, 1), Second = inbox.Receive(), Third = A(t, 3) };
        t.Print(anon);
    }

    [Fact]
    public static void Index_initializers_match_the_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            var bag = new Bag(t) { [K(t, "a")] = receive(), [K(t, "b")] = A(t, 2) };
            t.Print(bag);
            var dict = new Dictionary<string, int> { { K(t, "x"), receive() }, { K(t, "y"), A(t, 3) } };
            var dict2 = new Dictionary<string, int> { [K(t, "z")] = receive() };
            t.Print(string.Join(",", dict.Concat(dict2).Select(kv => $"{kv.Key}={kv.Value}")));
            var anon = new { First = A(t, 1), Second = receive(), Third = A(t, 3) };
            t.Print(anon);
        }, 10, 20, 30, 40);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Indexes(coroutine), 10, 20, 30, 40);
        Drive.AssertSame(plain, coroutine);
    }

    // Collection expressions with receives among their elements.
    [Coroutine]
    internal static void CollectionExpressions(Inbox<int> inbox, Trace t)
    {
        int[] array = [A(t, 1), inbox.Receive(), A(t, 3)];
        List<int> list = [inbox.Receive(), .. array, inbox.Receive()];
        t.Print(string.Join(",", list));
    }

    [Fact]
    public static void Collection_expressions_match_the_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            int[] array = [A(t, 1), receive(), A(t, 3)];
            List<int> list = [receive(), .. array, receive()];
            t.Print(string.Join(",", list));
        }, 2, 4, 5);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => CollectionExpressions(coroutine), 2, 4, 5);
        Drive.AssertSame(plain, coroutine);
    }
}
