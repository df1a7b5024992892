using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Compound assignment whose right side receives: C# evaluates the target's receiver and indexes, reads the current
/// value, and only then evaluates the right side (here: suspends), so a change made while the coroutine is parked is
/// overwritten; locals, fields, properties, indexers and array elements alike.
/// </summary>
public static partial class CompoundAssignmentTests
{
    internal sealed class Obj(Trace t, string name)
    {
        private int _p;
        private string? _s;
        private readonly Dictionary<string, int> _items = new();

        public int P
        {
            get
            {
                t.Print($"{name}.P get {_p}");
                return _p;
            }

            set
            {
                t.Print($"{name}.P set {value}");
                _p = value;
            }
        }

        public string? S
        {
            get
            {
                t.Print($"{name}.S get {Trace.Format(_s)}");
                return _s;
            }

            set
            {
                t.Print($"{name}.S set {Trace.Format(value)}");
                _s = value;
            }
        }

        public int this[string key]
        {
            get
            {
                var v = _items.GetValueOrDefault(key);
                t.Print($"{name}[{key}] get {v}");
                return v;
            }

            set
            {
                t.Print($"{name}[{key}] set {value}");
                _items[key] = value;
            }
        }

        public int Field;
    }

    private static Obj Get(Trace t, Obj o)
    {
        t.Print("Get");
        return o;
    }

    private static string K(Trace t, string k)
    {
        t.Print($"K {k}");
        return k;
    }

    private static int I(Trace t, int i)
    {
        t.Print($"I {i}");
        return i;
    }

    [Coroutine]
    internal static void Targets(Inbox<int> inbox, Trace t, Obj o, int[] array)
    {
        int local = 1;
        local += inbox.Receive();
        t.Print($"local {local}");
        local *= inbox.Receive() + local;
        t.Print($"local {local}");
        Get(t, o).P += inbox.Receive();
        Get(t, o).P -= inbox.Receive();
        Get(t, o)[K(t, "a")] += inbox.Receive();
        Get(t, o).Field <<= inbox.Receive();
        t.Print($"field {o.Field}");
        array[I(t, 1)] += inbox.Receive();
        t.Print($"array {string.Join(",", array)}");
        Get(t, o).S ??= $"s{inbox.Receive()}";
        Get(t, o).S ??= $"never {inbox.Receive()}";
        t.Print("end");
    }

    private const string TargetsTwin = """
        class Obj:
            def __init__(self, name):
                self.name = name; self._p = 0; self._s = None; self.items = {}; self.Field = 0
            @property
            def P(self):
                print(f"{self.name}.P get {self._p}"); return self._p
            @P.setter
            def P(self, v):
                print(f"{self.name}.P set {v}"); self._p = v
            @property
            def S(self):
                print(f"{self.name}.S get {self._s}"); return self._s
            @S.setter
            def S(self, v):
                print(f"{self.name}.S set {v}"); self._s = v
            def __getitem__(self, k):
                v = self.items.get(k, 0); print(f"{self.name}[{k}] get {v}"); return v
            def __setitem__(self, k, v):
                print(f"{self.name}[{k}] set {v}"); self.items[k] = v
        def Get(o):
            print("Get"); return o
        def K(k):
            print(f"K {k}"); return k
        def I(i):
            print(f"I {i}"); return i
        class Arr(list):
            pass
        def targets(o, array):
            local = 1
            local += (yield)
            print(f"local {local}")
            local *= (yield) + local
            print(f"local {local}")
            Get(o).P += (yield)
            Get(o).P -= (yield)
            Get(o)[K("a")] += (yield)
            Get(o).Field <<= (yield)
            print(f"field {o.Field}")
            array[I(1)] += (yield)
            print(f"array {','.join(map(str, array))}")
            target = Get(o)
            if target.S is None: target.S = f"s{(yield)}"
            target = Get(o)
            if target.S is None: target.S = f"never {(yield)}"
            print("end")
        o = Obj("o"); o.Field = 3
        drive(targets(o, [1, 2, 3]), [10, 2, 5, 3, 7, 2, 40, 9])
        """;

    [Fact]
    public static void The_target_is_read_before_the_receive_and_written_after_it()
    {
        var trace = new Trace();
        var o = new Obj(trace, "o") { Field = 3 };
        Drive.Coroutine(trace, () => Targets(trace, o, [1, 2, 3]), 10, 2, 5, 3, 7, 2, 40, 9);
        Drive.AssertPython(TargetsTwin, trace);
    }

    [Fact]
    public static void Targets_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        var po = new Obj(plain, "o") { Field = 3 };
        int[] parray = [1, 2, 3];
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            var o = po;
            var array = parray;
            int local = 1;
            local += receive();
            t.Print($"local {local}");
            local *= receive() + local;
            t.Print($"local {local}");
            Get(t, o).P += receive();
            Get(t, o).P -= receive();
            Get(t, o)[K(t, "a")] += receive();
            Get(t, o).Field <<= receive();
            t.Print($"field {o.Field}");
            array[I(t, 1)] += receive();
            t.Print($"array {string.Join(",", array)}");
            Get(t, o).S ??= $"s{receive()}";
            Get(t, o).S ??= $"never {receive()}";
            t.Print("end");
        }, 10, 2, 5, 3, 7, 2, 40, 9);
        var coroutine = new Trace();
        var o = new Obj(coroutine, "o") { Field = 3 };
        Drive.Coroutine(coroutine, () => Targets(coroutine, o, [1, 2, 3]), 10, 2, 5, 3, 7, 2, 40, 9);
        Drive.AssertSame(plain, coroutine);
    }

    // What the driver writes while the coroutine is parked inside `o.P += inbox.Receive()` is lost: the old value was
    // read before the suspension. The same for an array element and a field.
    [Coroutine]
    internal static void Overwrites(Inbox<int> inbox, Trace t, Obj o, int[] array)
    {
        o.P += inbox.Receive();
        array[0] += inbox.Receive();
        o.Field += inbox.Receive();
        t.Print($"P {o.P} array {array[0]} field {o.Field}");
    }

    private const string OverwritesTwin = """
        class Obj:
            def __init__(self): self._p = 0; self.Field = 0
            @property
            def P(self):
                print(f"o.P get {self._p}"); return self._p
            @P.setter
            def P(self, v):
                print(f"o.P set {v}"); self._p = v
        def overwrites(o, array):
            o.P += (yield)
            array[0] += (yield)
            o.Field += (yield)
            print(f"P {o.P} array {array[0]} field {o.Field}")
        o = Obj(); array = [1]
        g = overwrites(o, array); next(g)
        o._p = 100
        g.send(1)
        array[0] = 100
        g.send(2)
        o.Field = 100
        try: g.send(3)
        except StopIteration: print("finished")
        """;

    [Fact]
    public static void A_change_made_while_parked_in_a_compound_assignment_is_overwritten()
    {
        var trace = new Trace();
        var o = new Obj(trace, "o");
        int[] array = [1];
        var c = Overwrites(trace, o, array);
        typeof(Obj).GetField("_p", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(o, 100);
        c.Send(1);
        array[0] = 100;
        c.Send(2);
        o.Field = 100;
        try
        {
            c.Send(3);
        }
        catch (StopIterationException)
        {
            trace.Print("finished");
        }

        PythonTwin.AssertSameTrace(OverwritesTwin, trace.Lines);
    }

    internal struct Counter
    {
        public int N;
    }

    // A compound assignment to a field of a struct local (hoisted) and a post-increment in the index: evaluated once.
    [Coroutine]
    internal static void StructAndIncrement(Inbox<int> inbox, Trace t)
    {
        var counter = new Counter { N = 1 };
        counter.N += inbox.Receive();
        int i = 0;
        int[] array = [10, 20, 30];
        array[i++] += inbox.Receive();
        array[i++] -= inbox.Receive();
        t.Print($"{counter.N} {i} {string.Join(",", array)}");
    }

    [Fact]
    public static void Struct_fields_and_side_effecting_indexes_match_the_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            var counter = new Counter { N = 1 };
            counter.N += receive();
            int i = 0;
            int[] array = [10, 20, 30];
            array[i++] += receive();
            array[i++] -= receive();
            t.Print($"{counter.N} {i} {string.Join(",", array)}");
        }, 5, 6, 7);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => StructAndIncrement(coroutine), 5, 6, 7);
        Drive.AssertSame(plain, coroutine);
        Drive.AssertLines(coroutine, "send 5", "send 6", "send 7", "6 2 16,13,30", "finished");
    }
}
