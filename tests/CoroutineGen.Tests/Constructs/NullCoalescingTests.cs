using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// <c>a ?? b</c> and <c>a ??= b</c> with receives: the right side receives only when the left is null, and the left
/// is evaluated once.
/// </summary>
public static partial class NullCoalescingTests
{
    private static string? N(Trace t, string? v)
    {
        t.Print($"N {Trace.Format(v)}");
        return v;
    }

    internal sealed class Holder(Trace t)
    {
        private string? _value;

        public string? Value
        {
            get
            {
                t.Print($"get {Trace.Format(_value)}");
                return _value;
            }

            set
            {
                t.Print($"set {Trace.Format(value)}");
                _value = value;
            }
        }
    }

    [Coroutine]
    internal static void Coalesce(Inbox<string?> inbox, Trace t, Holder h)
    {
        while (true)
        {
            var a = N(t, inbox.Receive()) ?? inbox.Receive() ?? N(t, "default");
            t.Print($"a {a}");
            string? local = a == "keep" ? a : null;
            local ??= inbox.Receive();
            t.Print($"local {Trace.Format(local)}");
            h.Value ??= inbox.Receive();
            t.Print($"length {(inbox.Receive() ?? h.Value)?.Length}");
            h.Value = null;
        }
    }

    private const string CoalesceTwin = """
        def N(v):
            print(f"N {v}")
            return v
        class Holder:
            def __init__(self): self._v = None
            @property
            def Value(self):
                print(f"get {self._v}"); return self._v
            @Value.setter
            def Value(self, v):
                print(f"set {v}"); self._v = v
        def coalesce(h):
            while True:
                a = N((yield))
                if a is None:
                    a = (yield)
                    if a is None: a = N("default")
                print(f"a {a}")
                local = a if a == "keep" else None
                if local is None: local = (yield)
                print(f"local {local}")
                if h.Value is None: h.Value = (yield)
                x = (yield)
                if x is None: x = h.Value
                print(f"length {'' if x is None else len(x)}")
                h.Value = None
        drive(coalesce(Holder()), ["x", "y", "z", None, "q", None, "r", "s", None, None, None, None, None, "keep", None, "tt"])
        """;

    private static readonly string?[] Values = ["x", "y", "z", null, "q", null, "r", "s", null, null, null, null, null, "keep", null, "tt"];

    [Fact]
    public static void The_right_side_receives_only_when_the_left_is_null()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Coalesce(trace, new Holder(trace)), Values);
        Drive.AssertPython(CoalesceTwin, trace);
    }

    [Fact]
    public static void Coalescing_matches_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        var ph = new Holder(plain);
        Drive.Plain<string?>(plain, receive =>
        {
            var t = plain;
            var h = ph;
            while (true)
            {
                var a = N(t, receive()) ?? receive() ?? N(t, "default");
                t.Print($"a {a}");
                string? local = a == "keep" ? a : null;
                local ??= receive();
                t.Print($"local {Trace.Format(local)}");
                h.Value ??= receive();
                t.Print($"length {(receive() ?? h.Value)?.Length}");
                h.Value = null;
            }
        }, Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Coalesce(coroutine, new Holder(coroutine)), Values);
        Drive.AssertSame(plain, coroutine);
    }

    // ?? on a nullable value type with a receive on the right, and ??= on an array element (index evaluated once).
    [Coroutine]
    internal static void ValueTypes(Inbox<int?> inbox, Trace t)
    {
        int?[] slots = [null, 5, null];
        int i = 0;
        while (i < slots.Length)
        {
            slots[i++] ??= inbox.Receive() ?? -1;
        }

        t.Print(string.Join(",", slots));
    }

    [Fact]
    public static void Nullable_values_and_array_elements_match_the_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int?>(plain, receive =>
        {
            var t = plain;
            int?[] slots = [null, 5, null];
            int i = 0;
            while (i < slots.Length)
            {
                slots[i++] ??= receive() ?? -1;
            }

            t.Print(string.Join(",", slots));
        }, 7, null);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => ValueTypes(coroutine), 7, null);
        Drive.AssertSame(plain, coroutine);
        Drive.AssertLines(coroutine, "send 7", "send None", "7,5,-1", "finished");
    }

    internal sealed class Missing(string message) : Exception(message);

    /// <summary>
    /// <c>x ?? throw new E($"{inbox.Receive()}")</c> and <c>c ? v : throw ...</c>: the throw expression becomes a
    /// throw statement in its branch, and receives only when that branch is taken.
    /// </summary>
    [Coroutine]
    internal static void ThrowExpressions(Inbox<string?> inbox, Trace t)
    {
        while (true)
        {
            try
            {
                var x = inbox.Receive();
                var y = x ?? throw new Missing($"no value, then {inbox.Receive()}");
                t.Print($"y {y}");
                var z = y.Length > 1 ? y.Length : throw new Missing($"short {y}, then {inbox.Receive()}");
                t.Print($"z {z}");
            }
            catch (Missing e)
            {
                t.Print($"caught {e.Message}");
            }
        }
    }

    private const string ThrowExpressionsTwin = """
        class Missing(Exception): pass
        def throw_expressions():
            while True:
                try:
                    x = (yield)
                    if x is None: raise Missing(f"no value, then {(yield)}")
                    y = x
                    print(f"y {y}")
                    if len(y) > 1: z = len(y)
                    else: raise Missing(f"short {y}, then {(yield)}")
                    print(f"z {z}")
                except Missing as e:
                    print(f"caught {e}")
        drive(throw_expressions(), [None, "a", "ab", "b", "c"])
        """;

    [Fact]
    public static void A_throw_expression_receives_only_in_its_branch()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => ThrowExpressions(trace), null, "a", "ab", "b", "c");
        Drive.AssertPython(ThrowExpressionsTwin, trace);
    }
}
