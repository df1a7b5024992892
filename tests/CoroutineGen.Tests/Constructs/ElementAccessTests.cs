using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Receives in element access: the indexed expression is evaluated before an index that receives, and in an
/// assignment <c>a[i] = inbox.Receive()</c> the array and index are evaluated before the receive, the store after.
/// </summary>
public static partial class ElementAccessTests
{
    internal sealed class Grid(Trace t)
    {
        private readonly Dictionary<(int, int), int> _cells = new();

        public int this[int row, int column]
        {
            get
            {
                var v = _cells.GetValueOrDefault((row, column));
                t.Print($"grid[{row}, {column}] get {v}");
                return v;
            }

            set
            {
                t.Print($"grid[{row}, {column}] set {value}");
                _cells[(row, column)] = value;
            }
        }
    }

    private static T Get<T>(Trace t, string what, T value)
    {
        t.Print($"get {what}");
        return value;
    }

    private static int I(Trace t, int i)
    {
        t.Print($"I {i}");
        return i;
    }

    [Coroutine]
    internal static void Elements(Inbox<int> inbox, Trace t, int[] array, Grid grid)
    {
        t.Print(Get(t, "array", array)[inbox.Receive()]);
        t.Print(Get(t, "grid", grid)[I(t, 1), inbox.Receive()]);
        Get(t, "array", array)[I(t, 0)] = inbox.Receive();
        Get(t, "grid", grid)[I(t, 1), I(t, 2)] = inbox.Receive();
        t.Print(array[^inbox.Receive()]);
        t.Print(string.Join(",", array[I(t, 1)..inbox.Receive()]));
        t.Print("abcdef"[inbox.Receive()]);
        var jagged = new[] { new[] { 1, 2 }, new[] { 3, 4 } };
        t.Print(jagged[inbox.Receive()][inbox.Receive()]);
        t.Print(string.Join(",", array));
    }

    private static readonly int[] Values = [2, 3, 9, 7, 1, 3, 4, 1, 0];

    [Fact]
    public static void Elements_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        int[] parray = [10, 20, 30, 40];
        var pgrid = new Grid(plain);
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            var array = parray;
            var grid = pgrid;
            t.Print(Get(t, "array", array)[receive()]);
            t.Print(Get(t, "grid", grid)[I(t, 1), receive()]);
            Get(t, "array", array)[I(t, 0)] = receive();
            Get(t, "grid", grid)[I(t, 1), I(t, 2)] = receive();
            t.Print(array[^receive()]);
            t.Print(string.Join(",", array[I(t, 1)..receive()]));
            t.Print("abcdef"[receive()]);
            var jagged = new[] { new[] { 1, 2 }, new[] { 3, 4 } };
            t.Print(jagged[receive()][receive()]);
            t.Print(string.Join(",", array));
        }, Values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Elements(coroutine, [10, 20, 30, 40], new Grid(coroutine)), Values);
        Drive.AssertSame(plain, coroutine);
    }

    private const string ElementsTwin = """
        class Grid:
            def __init__(self): self.cells = {}
            def __getitem__(self, k):
                v = self.cells.get(k, 0); print(f"grid[{k[0]}, {k[1]}] get {v}"); return v
            def __setitem__(self, k, v):
                print(f"grid[{k[0]}, {k[1]}] set {v}"); self.cells[k] = v
        def Get(what, value):
            print(f"get {what}")
            return value
        def I(i):
            print(f"I {i}")
            return i
        def elements(array, grid):
            print(Get("array", array)[(yield)])
            print(Get("grid", grid)[I(1), (yield)])
            # C# evaluates an assignment's target before its right side; Python the other way round.
            target, index = Get("array", array), I(0)
            target[index] = (yield)
            target, row, col = Get("grid", grid), I(1), I(2)
            target[row, col] = (yield)
            print(array[-(yield)])
            start = I(1)
            print(",".join(map(str, array[start:(yield)])))
            print("abcdef"[(yield)])
            jagged = [[1, 2], [3, 4]]
            print(jagged[(yield)][(yield)])
            print(",".join(map(str, array)))
        drive(elements([10, 20, 30, 40], Grid()), [2, 3, 9, 7, 1, 3, 4, 1, 0])
        """;

    [Fact]
    public static void The_indexed_expression_is_evaluated_before_the_receive_in_the_index()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Elements(trace, [10, 20, 30, 40], new Grid(trace)), Values);
        Drive.AssertPython(ElementsTwin, trace);
    }

    // The array variable is read before the coroutine parks in `array[0] = inbox.Receive()`: replacing the array
    // (a field of the holder) while it is parked does not redirect the store.
    internal sealed class Holder
    {
        public int[] Array = [0];
    }

    [Coroutine]
    internal static void Store(Inbox<int> inbox, Holder h)
    {
        h.Array[0] = inbox.Receive();
    }

    [Fact]
    public static void The_array_of_an_element_assignment_is_read_before_the_receive()
    {
        var h = new Holder();
        var first = h.Array;
        var c = Store(h);
        h.Array = [0];
        Assert.Throws<StopIterationException>(() => c.Send(5));
        Assert.Equal(5, first[0]);
        Assert.Equal(0, h.Array[0]);
    }

    // An index out of range and a null array: the exception comes where the ordinary method throws it.
    [Coroutine]
    internal static void OutOfRange(Inbox<int> inbox, Trace t, int[]? array)
    {
        t.Print("before");
        array![I(t, 5)] = inbox.Receive();
        t.Print("after");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public static void A_failing_store_throws_where_the_ordinary_method_throws(bool nullArray)
    {
        int[]? array = nullArray ? null : [1, 2];
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            t.Print("before");
            array![I(t, 5)] = receive();
            t.Print("after");
        }, 7);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => OutOfRange(coroutine, nullArray ? null : [1, 2]), 7);
        Drive.AssertSame(plain, coroutine);
    }
}
