using System;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// The idea of pyos8.py (Part 8): a task calls subroutines, and the subroutines make system calls themselves.
/// pyos8.py gets there with a trampoline in <c>Task.run()</c>, a stack of generators it passes values between by
/// hand. <c>inbox.YieldFrom(sub)</c> (Python's <c>yield from</c>) does that trampolining itself: while a task
/// delegates to a subroutine, what the subroutine yields is what the task yields (so its system calls reach the
/// scheduler), what the scheduler sends goes to the subroutine, and when the subroutine returns, its return value is
/// the value of <c>YieldFrom</c>. <see cref="Task"/> and <see cref="Scheduler"/> stay as they are.
/// </summary>
/// <remarks>
/// A subroutine is a template with the task's inbox type that returns a value; like the tasks it is not primed,
/// so nothing of it runs before the task calls it (a Python generator does not run before <c>yield from</c>
/// starts it either). Python twin: <c>python/subroutines.py</c>.
/// </remarks>
public static partial class Subroutines
{
    // Python:
    //   # trampoline.py's subroutine: main() calls it and gets 4
    //   def add(x,y):
    //       return x+y
    //       yield                  # never reached: it only makes add() a generator
    // A C# template needs no dead yield: it never suspends, and YieldFrom starts it and gets its result.
    [Coroutine(Prime = false)]
    private static int Add(Inbox<object?, SystemCall?> inbox, int x, int y)
    {
        return x + y;
    }

    // Python:
    //   # A subroutine that makes a system call and returns its result
    //   def spawn(target):
    //       tid = yield NewTask(target)
    //       print("Started task", tid)
    //       return tid
    [Coroutine(Prime = false)]
    private static int Spawn(Inbox<object?, SystemCall?> inbox, ICoroutine<object?, SystemCall?> target)
    {
        var tid = (int)inbox.Yield(new NewTask(target))!;   // NewTask's result is the new task's id
        Console.WriteLine($"Started task {tid}");
        return tid;
    }

    // Python:
    //   # A subroutine that calls a subroutine, then makes a system call itself
    //   def spawn_and_wait(target):
    //       tid = yield from spawn(target)
    //       print("Waiting for task", tid)
    //       yield WaitTask(tid)
    //       return tid
    [Coroutine(Prime = false)]
    private static int SpawnAndWait(Inbox<object?, SystemCall?> inbox, ICoroutine<object?, SystemCall?> target)
    {
        var tid = inbox.YieldFrom(Spawn(target));
        Console.WriteLine($"Waiting for task {tid}");
        inbox.Yield(new WaitTask(tid));
        return tid;
    }

    // Python:
    //   # A task
    //   def foo(name,n):
    //       mytid = yield GetTid()
    //       for i in range(n):
    //           print("I'm", name, mytid)
    //           yield
    [Coroutine(Prime = false)]
    private static void Foo(Inbox<object?, SystemCall?> inbox, string name, int n)
    {
        var mytid = inbox.Yield(new GetTid());
        for (int i = 0; i < n; i++)
        {
            Console.WriteLine($"I'm {name} {mytid}");
            inbox.Receive();
        }
    }

    // Python:
    //   def main():
    //       r = yield from add(2,2)
    //       print(r)
    //       yield from spawn(foo("bar",4))             # runs beside main
    //       child = yield from spawn_and_wait(foo("foo",2))
    //       print("Task", child, "done")
    [Coroutine(Prime = false)]
    private static void Main(Inbox<object?, SystemCall?> inbox)
    {
        var r = inbox.YieldFrom(Add(2, 2));
        Console.WriteLine(r);
        inbox.YieldFrom(Spawn(Foo("bar", 4)));                  // runs beside main
        var child = inbox.YieldFrom(SpawnAndWait(Foo("foo", 2)));
        Console.WriteLine($"Task {child} done");
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
