using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// while, do-while and for loops with receives in their conditions, in a for loop's initializer and iterator, and
/// in nested bodies left by break and continue (Python: while loops written out the same way).
/// </summary>
public static partial class LoopTests
{
    [Coroutine]
    internal static void Loops(Inbox<int> inbox, Trace t)
    {
        while (inbox.Receive() > 0)
        {
            t.Print("while body");
        }

        do
        {
            t.Print("do body");
        }
        while (inbox.Receive() > 0);

        for (var i = inbox.Receive(); i < inbox.Receive(); i += inbox.Receive())
        {
            t.Print($"for {i}");
        }

        for (int i = 0, j = inbox.Receive(); i < 3; i++, j += inbox.Receive())
        {
            if (j > 100)
            {
                t.Print($"break at {i} {j}");
                break;
            }

            for (int k = 0; k < 3; k++)
            {
                var v = inbox.Receive();
                if (v == 0)
                {
                    continue;
                }

                if (v < 0)
                {
                    break;
                }

                t.Print($"{i} {j} {k} {v}");
            }
        }

        t.Print("end");
    }

    private const string LoopsTwin = """
        def loops():
            while (yield) > 0:
                print("while body")
            while True:
                print("do body")
                if not ((yield) > 0): break
            i = (yield)
            while i < (yield):
                print(f"for {i}")
                i += (yield)
            i = 0; j = (yield)
            while i < 3:
                if j > 100:
                    print(f"break at {i} {j}")
                    break
                k = 0
                while k < 3:
                    v = (yield)
                    if v == 0:
                        k += 1
                        continue
                    if v < 0:
                        break
                    print(f"{i} {j} {k} {v}")
                    k += 1
                i += 1
                j += (yield)
            print("end")
        drive(loops(), [1, 1, 0, 1, 0, 5, 8, 2, 8, 2, 8, 10, 1, 0, 2, 5, 4, -1, 200, 9])
        drive(loops(), [0, 0, 0, 0, 0, 7, 7, 7, 1, 7, 7, -1, 1])
        """;

    [Fact]
    public static void Receives_in_loop_conditions_and_headers_match_CPython()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Loops(trace), 1, 1, 0, 1, 0, 5, 8, 2, 8, 2, 8, 10, 1, 0, 2, 5, 4, -1, 200, 9);
        Drive.Coroutine(trace, () => Loops(trace), 0, 0, 0, 0, 0, 7, 7, 7, 1, 7, 7, -1, 1);
        Drive.AssertPython(LoopsTwin, trace);
    }
}
