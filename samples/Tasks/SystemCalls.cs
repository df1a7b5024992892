using System.Net.Sockets;

namespace CoroutineGen.Samples.Tasks;

// Python (pyos4.py ... pyos6.py):
//   class SystemCall(object):
//       def handle(self):
//           pass

/// <summary>
/// A request a task makes to the operating system, by yielding it: <c>var tid = inbox.Yield(new GetTid());</c>.
/// The scheduler sets <see cref="Task"/> and <see cref="Sched"/>, then calls <see cref="Handle"/>, which decides
/// what the task gets back (it sets <c>Task.Sendval</c>: "the result of a system call is the value of the task's
/// yield expression") and when the task runs again (it schedules it, or leaves that to someone else).
/// </summary>
/// <remarks>Tasks never see the scheduler: a system call is their only way to reach it.</remarks>
public abstract class SystemCall
{
    /// <summary>The task that made the call (Python's <c>self.task</c>, set by the scheduler).</summary>
    public Task Task { get; internal set; } = null!;

    /// <summary>The scheduler that handles it (Python's <c>self.sched</c>, set by the scheduler).</summary>
    public Scheduler Sched { get; internal set; } = null!;

    public abstract void Handle();
}

// Python:
//   # Return a task's ID number
//   class GetTid(SystemCall):
//       def handle(self):
//           self.task.sendval = self.task.tid
//           self.sched.schedule(self.task)

/// <summary>Returns the calling task's id.</summary>
public sealed class GetTid : SystemCall
{
    public override void Handle()
    {
        Task.Sendval = Task.Tid;
        Sched.Schedule(Task);
    }
}

// Python:
//   # Create a new task
//   class NewTask(SystemCall):
//       def __init__(self,target):
//           self.target = target
//       def handle(self):
//           tid = self.sched.new(self.target)
//           self.task.sendval = tid
//           self.sched.schedule(self.task)

/// <summary>Starts <paramref name="target"/> as a new task, and returns its id.</summary>
public sealed class NewTask(ICoroutine<object?, SystemCall?> target) : SystemCall
{
    public override void Handle()
    {
        int tid = Sched.New(target);
        Task.Sendval = tid;
        Sched.Schedule(Task);
    }
}

// Python:
//   # Kill a task
//   class KillTask(SystemCall):
//       def __init__(self,tid):
//           self.tid = tid
//       def handle(self):
//           task = self.sched.taskmap.get(self.tid,None)
//           if task:
//               task.target.close()
//               self.task.sendval = True
//           else:
//               self.task.sendval = False
//           self.sched.schedule(self.task)

/// <summary>
/// Kills task <paramref name="tid"/> by closing its coroutine, and returns whether there was such a task. The killed
/// task stays in the ready queue: the next time it runs, <c>Send</c> on its closed coroutine throws
/// <see cref="StopIterationException"/>, and the scheduler then reports it terminated, as in Python.
/// </summary>
public sealed class KillTask(int tid) : SystemCall
{
    public override void Handle()
    {
        if (Sched.Taskmap.TryGetValue(tid, out var task))
        {
            task.Target.Close();
            Task.Sendval = true;
        }
        else
        {
            Task.Sendval = false;
        }

        Sched.Schedule(Task);
    }
}

// Python:
//   # Wait for a task to exit
//   class WaitTask(SystemCall):
//       def __init__(self,tid):
//           self.tid = tid
//       def handle(self):
//           result = self.sched.waitforexit(self.task,self.tid)
//           self.task.sendval = result
//           # If waiting for a non-existent task,
//           # return immediately without waiting
//           if not result:
//               self.sched.schedule(self.task)

/// <summary>
/// Suspends the calling task until task <paramref name="tid"/> exits; returns <c>true</c> then, or <c>false</c> at
/// once if there is no such task.
/// </summary>
public sealed class WaitTask(int tid) : SystemCall
{
    public override void Handle()
    {
        bool result = Sched.WaitForExit(Task, tid);
        Task.Sendval = result;

        // If waiting for a non-existent task, return immediately without waiting.
        if (!result)
        {
            Sched.Schedule(Task);
        }
    }
}

// Python (pyos7.py):
//   # Wait for reading
//   class ReadWait(SystemCall):
//       def __init__(self,f):
//           self.f = f
//       def handle(self):
//           fd = self.f.fileno()
//           self.sched.waitforread(self.task,fd)

/// <summary>
/// Suspends the calling task until <paramref name="socket"/> can be read from without blocking: data, the end of the
/// stream, or (for a listening socket) a connection to accept has arrived. It does no I/O: the task makes the call
/// (<c>Receive</c>, <c>Accept</c>) when it runs again. It has no result: like Python's, it leaves
/// <c>Task.Sendval</c> as the task's previous system call set it.
/// </summary>
/// <remarks>Python's takes anything with a <c>fileno()</c>; <see cref="Socket.Select"/>, which the scheduler polls
/// with, only takes sockets.</remarks>
public sealed class ReadWait(Socket socket) : SystemCall
{
    public override void Handle() => Sched.WaitForRead(Task, socket);
}

// Python (pyos7.py):
//   # Wait for writing
//   class WriteWait(SystemCall):
//       def __init__(self,f):
//           self.f = f
//       def handle(self):
//           fd = self.f.fileno()
//           self.sched.waitforwrite(self.task,fd)

/// <summary>
/// Suspends the calling task until <paramref name="socket"/> can be written to without blocking. It does no I/O: the
/// task makes the call (<c>Send</c>) when it runs again. It has no result (see <see cref="ReadWait"/>).
/// </summary>
public sealed class WriteWait(Socket socket) : SystemCall
{
    public override void Handle() => Sched.WaitForWrite(Task, socket);
}
