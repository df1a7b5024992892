using System;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>pyos1.py: a <see cref="Task"/> runs its coroutine one step at a time.</summary>
public static partial class Pyos1
{
    // Python:
    //   # A simple generator/coroutine function
    //   def foo():
    //       print("Part 1")
    //       yield
    //       print("Part 2")
    //       yield
    [Coroutine(Prime = false)]
    private static void Foo(Inbox<object?, SystemCall?> inbox)
    {
        Console.WriteLine("Part 1");
        inbox.Receive();    // yield
        Console.WriteLine("Part 2");
        inbox.Receive();    // yield
    }

    // Python:
    //   t1 = Task(foo())
    //   print("Running foo()")
    //   t1.run()
    //   print("Resuming foo()")
    //   t1.run()
    public static void Run()
    {
        var t1 = new Task(Foo());   // Foo() runs nothing yet: the coroutine is Created
        Console.WriteLine("Running foo()");
        t1.Run();                   // Send(null) starts it: Part 1
        Console.WriteLine("Resuming foo()");
        t1.Run();                   // Part 2
    }
}
