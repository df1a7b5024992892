using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Receives among the arguments of a call: C# evaluates the receiver, then the arguments left to right (named
/// arguments in the order written), so everything to the left of a receive happens before the coroutine suspends
/// and everything to its right after it resumes.
/// </summary>
public static partial class ArgumentTests
{
    private static int A(Trace t, int v)
    {
        t.Print($"A {v}");
        return v;
    }

    private static void Log(Trace t, int a, int b, int c) => t.Print($"Log {a} {b} {c}");

    private static int Add(Trace t, int a, int b)
    {
        t.Print($"Add {a} {b}");
        return a + b;
    }

    private static void Sum(Trace t, params int[] values) => t.Print($"Sum {string.Join(" ", values)} = {values.Sum()}");

    internal sealed class Target(Trace t, string name)
    {
        public Target M(int a, int b)
        {
            t.Print($"{name}.M {a} {b}");
            return this;
        }
    }

    private static Target Make(Trace t, string name)
    {
        t.Print($"make {name}");
        return new Target(t, name);
    }

    internal sealed class Box
    {
        public int V { get; set; }
    }

    [Coroutine]
    internal static void Arguments(Inbox<int> inbox, Trace t)
    {
        t.Print("start");
        Log(t, A(t, 1), inbox.Receive(), A(t, 3));
        Log(t, inbox.Receive(), A(t, 2), inbox.Receive());
        Log(t, Add(t, A(t, 1), inbox.Receive()), A(t, 2), Add(t, inbox.Receive(), A(t, 3)));
        Make(t, "x").M(A(t, 1), inbox.Receive()).M(inbox.Receive(), A(t, 2));
        Log(t, c: A(t, 3), a: inbox.Receive(), b: A(t, 2));
        Sum(t, A(t, 1), inbox.Receive(), A(t, 3));
        t.Print("end");
    }

    private const string ArgumentsTwin = """
        def A(v):
            print(f"A {v}")
            return v
        def Log(a, b, c): print(f"Log {a} {b} {c}")
        def Add(a, b):
            print(f"Add {a} {b}")
            return a + b
        def Sum(*values): print(f"Sum {' '.join(map(str, values))} = {sum(values)}")
        class Target:
            def __init__(self, name): self.name = name
            def M(self, a, b):
                print(f"{self.name}.M {a} {b}")
                return self
        def Make(name):
            print(f"make {name}")
            return Target(name)
        def arguments():
            print("start")
            Log(A(1), (yield), A(3))
            Log((yield), A(2), (yield))
            Log(Add(A(1), (yield)), A(2), Add((yield), A(3)))
            Make("x").M(A(1), (yield)).M((yield), A(2))
            Log(c=A(3), a=(yield), b=A(2))
            Sum(A(1), (yield), A(3))
            print("end")
        drive(arguments(), [10, 20, 30, 40, 50, 60, 70, 80, 90])
        """;

    [Fact]
    public static void Arguments_are_evaluated_left_to_right_around_each_receive()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Arguments(trace), 10, 20, 30, 40, 50, 60, 70, 80, 90);
        Drive.AssertPython(ArgumentsTwin, trace);
    }

    [Fact]
    public static void Arguments_match_the_same_body_run_as_an_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            t.Print("start");
            Log(t, A(t, 1), receive(), A(t, 3));
            Log(t, receive(), A(t, 2), receive());
            Log(t, Add(t, A(t, 1), receive()), A(t, 2), Add(t, receive(), A(t, 3)));
            Make(t, "x").M(A(t, 1), receive()).M(receive(), A(t, 2));
            Log(t, c: A(t, 3), a: receive(), b: A(t, 2));
            Sum(t, A(t, 1), receive(), A(t, 3));
            t.Print("end");
        }, 10, 20, 30, 40, 50, 60, 70, 80, 90);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Arguments(coroutine), 10, 20, 30, 40, 50, 60, 70, 80, 90);
        Drive.AssertSame(plain, coroutine);
    }

    // A variable read as an argument before the receive keeps the value it had then, even when the receive's own
    // argument position assigns it or the driver changes the object while the coroutine is parked.
    [Coroutine]
    internal static void ReadsBeforeTheReceive(Inbox<int> inbox, Trace t, Box box)
    {
        int x = 1;
        Log(t, x, x = inbox.Receive(), x);
        Log(t, box.V, inbox.Receive(), box.V);
    }

    private const string ReadsBeforeTheReceiveTwin = """
        def Log(a, b, c): print(f"Log {a} {b} {c}")
        class Box: pass
        box = Box(); box.V = 1
        def reads(box):
            x = 1
            Log(x, (x := (yield)), x)
            Log(box.V, (yield), box.V)
        g = reads(box); next(g)
        g.send(5)
        box.V = 2
        try: g.send(6)
        except StopIteration: print("finished")
        """;

    [Fact]
    public static void A_value_read_before_the_receive_is_not_read_again_after_it()
    {
        var trace = new Trace();
        var box = new Box { V = 1 };
        var c = ReadsBeforeTheReceive(trace, box);
        c.Send(5);
        box.V = 2;
        try
        {
            c.Send(6);
        }
        catch (StopIterationException)
        {
            trace.Print("finished");
        }

        PythonTwin.AssertSameTrace(ReadsBeforeTheReceiveTwin, trace.Lines);
    }
}
