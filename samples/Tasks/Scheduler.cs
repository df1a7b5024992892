using System;
using System.Collections.Generic;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// The operating system: a queue of tasks ready to run, and a loop that runs the first one until it yields, then
/// handles what it yielded. This is the scheduler of pyos6.py, the last step; it runs the demos of the earlier
/// steps unchanged (their tasks simply make fewer system calls).
/// </summary>
public sealed class Scheduler
{
    // Python:
    //   def __init__(self):
    //       self.ready   = Queue()
    //       self.taskmap = {}
    //       # Tasks waiting for other tasks to exit
    //       self.exit_waiting = {}
    private readonly Queue<Task> ready = new();
    private readonly Dictionary<int, Task> taskmap = new();

    // Tasks waiting for other tasks to exit.
    private readonly Dictionary<int, List<Task>> exitWaiting = new();

    /// <summary>The live tasks by id (Python's <c>sched.taskmap</c>, read by <see cref="KillTask"/>).</summary>
    public IReadOnlyDictionary<int, Task> Taskmap => taskmap;

    // Python:
    //   def new(self,target):
    //       newtask = Task(target)
    //       self.taskmap[newtask.tid] = newtask
    //       self.schedule(newtask)
    //       return newtask.tid

    /// <summary>Makes a task of <paramref name="target"/>, an unprimed coroutine, and schedules it.</summary>
    /// <returns>The new task's id.</returns>
    public int New(ICoroutine<object?, SystemCall?> target)
    {
        var newtask = new Task(target);
        taskmap[newtask.Tid] = newtask;
        Schedule(newtask);
        return newtask.Tid;
    }

    // Python:
    //   def exit(self,task):
    //       print("Task %d terminated" % task.tid)
    //       del self.taskmap[task.tid]
    //       # Notify other tasks waiting for exit
    //       for task in self.exit_waiting.pop(task.tid,[]):
    //           self.schedule(task)
    public void Exit(Task task)
    {
        Console.WriteLine($"Task {task.Tid} terminated");
        taskmap.Remove(task.Tid);

        // Notify other tasks waiting for exit.
        if (exitWaiting.Remove(task.Tid, out var waiting))
        {
            foreach (var waiter in waiting)
            {
                Schedule(waiter);
            }
        }
    }

    // Python:
    //   def waitforexit(self,task,waittid):
    //       if waittid in self.taskmap:
    //           self.exit_waiting.setdefault(waittid,[]).append(task)
    //           return True
    //       else:
    //           return False
    public bool WaitForExit(Task task, int waittid)
    {
        if (!taskmap.ContainsKey(waittid))
        {
            return false;
        }

        if (!exitWaiting.TryGetValue(waittid, out var waiting))
        {
            exitWaiting[waittid] = waiting = new List<Task>();
        }

        waiting.Add(task);
        return true;
    }

    // Python:
    //   def schedule(self,task):
    //       self.ready.put(task)
    public void Schedule(Task task) => ready.Enqueue(task);

    // Python:
    //   def mainloop(self):
    //       while self.taskmap:
    //           task = self.ready.get()
    //           try:
    //               result = task.run()
    //               if isinstance(result,SystemCall):
    //                   result.task  = task
    //                   result.sched = self
    //                   result.handle()
    //                   continue
    //           except StopIteration:
    //               self.exit(task)
    //               continue
    //           self.schedule(task)

    /// <summary>Runs tasks until none is left.</summary>
    /// <remarks>
    /// If every live task is waiting (a deadlock), Python's <c>Queue.get()</c> blocks forever; here
    /// <c>Dequeue</c> throws <see cref="InvalidOperationException"/>.
    /// </remarks>
    public void Mainloop()
    {
        while (taskmap.Count > 0)
        {
            var task = ready.Dequeue();
            try
            {
                var result = task.Run();

                // A system call: the call decides what the task gets back and when it runs again.
                if (result is not null)
                {
                    result.Task = task;
                    result.Sched = this;
                    result.Handle();
                    continue;
                }
            }
            catch (StopIterationException)
            {
                // The task's body has finished (or the task was killed: its coroutine is closed).
                Exit(task);
                continue;
            }

            // A plain yield: back to the end of the queue.
            Schedule(task);
        }
    }
}
