using System;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>pyos5.py: a task starts another one (<see cref="NewTask"/>) and later kills it (<see cref="KillTask"/>).</summary>
public static partial class Pyos5
{
    // Python:
    //   def foo():
    //       mytid = yield GetTid()
    //       while True:
    //           print("I'm foo", mytid)
    //           yield
    [Coroutine(Prime = false)]
    private static void Foo(Inbox<object?, SystemCall?> inbox)
    {
        var mytid = inbox.Yield(new GetTid());
        while (true)
        {
            Console.WriteLine($"I'm foo {mytid}");
            inbox.Receive();
        }
    }

    // Python:
    //   def main():
    //       child = yield NewTask(foo())    # Launch new task
    //       for i in range(5):
    //           yield
    //       yield KillTask(child)           # Kill the task
    //       print("main done")
    [Coroutine(Prime = false)]
    private static void Main(Inbox<object?, SystemCall?> inbox)
    {
        var child = inbox.Yield(new NewTask(Foo()));   // Launch new task
        for (int i = 0; i < 5; i++)
        {
            inbox.Receive();
        }

        inbox.Yield(new KillTask((int)child!));        // Kill the task (the result is an object: C# wants the cast)
        Console.WriteLine("main done");
    }

    // Python:
    //   sched = Scheduler()
    //   sched.new(main())
    //   sched.mainloop()
    public static void Run()
    {
        var sched = new Scheduler();
        sched.New(Main());
        sched.Mainloop();
    }
}
