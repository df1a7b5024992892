using System;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>pyos6.py: a task waits for the task it started to exit (<see cref="WaitTask"/>).</summary>
public static partial class Pyos6
{
    // Python:
    //   def foo():
    //       for i in range(5):
    //           print("I'm foo")
    //           yield
    [Coroutine(Prime = false)]
    private static void Foo(Inbox<object?, SystemCall?> inbox)
    {
        for (int i = 0; i < 5; i++)
        {
            Console.WriteLine("I'm foo");
            inbox.Receive();
        }
    }

    // Python:
    //   def main():
    //       child = yield NewTask(foo())
    //       print("Waiting for child")
    //       yield WaitTask(child)
    //       print("Child done")
    [Coroutine(Prime = false)]
    private static void Main(Inbox<object?, SystemCall?> inbox)
    {
        var child = inbox.Yield(new NewTask(Foo()));
        Console.WriteLine("Waiting for child");
        inbox.Yield(new WaitTask((int)child!));
        Console.WriteLine("Child done");
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
