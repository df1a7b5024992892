using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

// Python (pyos1.py):
//   class Task(object):
//       taskid = 0
//       def __init__(self,target):
//           Task.taskid += 1
//           self.tid     = Task.taskid   # Task ID
//           self.target  = target        # Target coroutine
//           self.sendval = None          # Value to send
//
//       # Run a task until it hits the next yield statement
//       def run(self):
//           return self.target.send(self.sendval)

/// <summary>
/// A task: a coroutine that the <see cref="Scheduler"/> runs, an id, and the value to send it the next time it runs.
/// (Not <c>System.Threading.Tasks.Task</c>: this sample does not import that namespace.)
/// </summary>
/// <remarks>
/// <para>The target is a two-way coroutine: each <c>Send</c> hands it a value (the result of its last system call,
/// or <c>null</c>) and returns what it yields next: a <see cref="SystemCall"/>, or <c>null</c> for a plain
/// <c>yield</c>. A task template is therefore <c>[Coroutine(Prime = false)] static void Foo(Inbox&lt;object?,
/// SystemCall?&gt; inbox)</c>: <c>inbox.Receive()</c> is Python's bare <c>yield</c>, and
/// <c>var x = inbox.Yield(new GetTid())</c> is <c>x = yield GetTid()</c>.</para>
/// <para>Tasks are <em>not</em> primed. Like a Python generator, a task's body must not run before the scheduler
/// runs it: the first <see cref="Run"/> sends <see cref="Sendval"/>, still <c>null</c> (Python's
/// <c>send(None)</c>), which starts the coroutine and returns its first yield like any later step.</para>
/// </remarks>
public sealed class Task
{
    // Task.taskid, a class attribute in Python: the last id handed out, shared by every task.
    private static int taskid;

    public Task(ICoroutine<object?, SystemCall?> target)
    {
        taskid += 1;
        Tid = taskid;       // Task ID
        Target = target;    // Target coroutine
        Sendval = null;     // Value to send
    }

    public int Tid { get; }

    public ICoroutine<object?, SystemCall?> Target { get; }

    /// <summary>What the next <see cref="Run"/> sends: the result of the last system call, as Python keeps it.</summary>
    public object? Sendval { get; set; }

    /// <summary>
    /// Runs the task until it hits the next yield, and returns what it yielded. Throws
    /// <see cref="StopIterationException"/> when the task finishes (or has finished, or was killed).
    /// </summary>
    public SystemCall? Run() => Target.Send(Sendval);

    /// <summary>
    /// Starts the ids again from 1. Each Python demo is a separate program, whose counter starts at 0; the demos of
    /// this sample share one process, so <see cref="Demos"/> calls this before each one.
    /// </summary>
    internal static void ResetIds() => taskid = 0;
}
