using System;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// trampoline.py: <c>main</c> calls <c>add(2, 2)</c> as a subroutine and gets 4. In Python 2.5, which the course
/// used, a generator could not return a value, so Beazley's <c>add</c> yields its result and a hand-written
/// trampoline carries it back to <c>main</c>. Here <c>add</c> returns it, and <c>inbox.YieldFrom</c> (Python 3's
/// <c>yield from</c>) is the trampoline.
/// </summary>
public static partial class Trampoline
{
    // Python (trampoline.py):
    //   # A subroutine
    //   def add(x,y):
    //       yield x+y
    //
    // With yield from (python/subroutines.py):
    //   def add(x,y):
    //       return x+y
    //       yield          # never reached: it only makes add() a generator
    // A C# template needs no dead yield: it never suspends, and YieldFrom starts it and gets its result.
    [Coroutine(Prime = false)]
    private static int Add(Inbox<object?, SystemCall?> inbox, int x, int y)
    {
        return x + y;
    }

    // Python:
    //   # A function that calls a subroutine
    //   def main():
    //       r = yield add(2,2)
    //       print(r)
    //       yield
    [Coroutine(Prime = false)]
    private static void Main(Inbox<object?, SystemCall?> inbox)
    {
        var r = inbox.YieldFrom(Add(2, 2));   // r = yield from add(2,2): the value add returned
        Console.WriteLine(r);
        inbox.Receive();                      // yield, as in trampoline.py: the send that started main returns here
    }

    // Python:
    //   def run():
    //       m      = main()
    //       # An example of a "trampoline"
    //       sub    = m.send(None)
    //       result = sub.send(None)
    //       m.send(result)
    public static void Run()
    {
        using var m = Main();   // Dispose() is Close(): CPython closes m when run() returns and drops it
        m.Send(null);           // starts main; YieldFrom runs add and hands its result back: 4
    }
}
