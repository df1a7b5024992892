using System;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>pyos3.py: two tasks take turns; the scheduler notices when each one ends.</summary>
public static partial class Pyos3
{
    // Python:
    //   def foo():
    //       for i in range(10):
    //           print("I'm foo")
    //           yield
    [Coroutine(Prime = false)]
    private static void Foo(Inbox<object?, SystemCall?> inbox)
    {
        for (int i = 0; i < 10; i++)
        {
            Console.WriteLine("I'm foo");
            inbox.Receive();
        }
    }

    // Python:
    //   def bar():
    //       for i in range(5):
    //           print("I'm bar")
    //           yield
    [Coroutine(Prime = false)]
    private static void Bar(Inbox<object?, SystemCall?> inbox)
    {
        for (int i = 0; i < 5; i++)
        {
            Console.WriteLine("I'm bar");
            inbox.Receive();
        }
    }

    // Python:
    //   sched = Scheduler()
    //   sched.new(foo())
    //   sched.new(bar())
    //   sched.mainloop()
    public static void Run()
    {
        var sched = new Scheduler();
        sched.New(Foo());
        sched.New(Bar());
        sched.Mainloop();
    }
}
