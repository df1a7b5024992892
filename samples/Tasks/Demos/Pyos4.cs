using System;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>pyos4.py: the first system call, <see cref="GetTid"/>.</summary>
public static partial class Pyos4
{
    // Python:
    //   def foo():
    //       mytid = yield GetTid()
    //       for i in range(5):
    //           print("I'm foo", mytid)
    //           yield
    [Coroutine(Prime = false)]
    private static void Foo(Inbox<object?, SystemCall?> inbox)
    {
        var mytid = inbox.Yield(new GetTid());   // the result of the system call
        for (int i = 0; i < 5; i++)
        {
            Console.WriteLine($"I'm foo {mytid}");
            inbox.Receive();
        }
    }

    // Python:
    //   def bar():
    //       mytid = yield GetTid()
    //       for i in range(10):
    //           print("I'm bar", mytid)
    //           yield
    [Coroutine(Prime = false)]
    private static void Bar(Inbox<object?, SystemCall?> inbox)
    {
        var mytid = inbox.Yield(new GetTid());
        for (int i = 0; i < 10; i++)
        {
            Console.WriteLine($"I'm bar {mytid}");
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
