using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// The operating system: a queue of tasks ready to run, and a loop that runs the first one until it yields, then
/// handles what it yielded. This is the scheduler of pyos7.py, the last step: pyos6.py's, plus tasks that wait for
/// sockets (<see cref="ReadWait"/>, <see cref="WriteWait"/>) and the iotask that polls them. It runs the demos of
/// the earlier steps unchanged (their tasks simply make fewer system calls, and never wait for I/O).
/// </summary>
public sealed partial class Scheduler
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

    // Python (pyos7.py):
    //       # I/O waiting
    //       self.read_waiting = {}
    //       self.write_waiting = {}
    // The task waiting for each socket. Python's dicts keep the order in which the tasks started waiting, and so
    // does OrderedDictionary (a Dictionary reuses the slots of removed entries): tasks whose sockets are ready at the
    // same time are scheduled in that order, as in Python.
    private readonly OrderedDictionary<Socket, Task> readWaiting = new();
    private readonly OrderedDictionary<Socket, Task> writeWaiting = new();

    // The iotask, from the first time a task waits for I/O until Mainloop returns.
    private Task? iotask;

    // Interrupt(), which any thread may call (a Ctrl+C handler), sets `interrupted` and sends a datagram to
    // `wakeup`, a UDP socket on the loopback address that every poll waits on too, so that a poll waiting for
    // sockets returns at once. Both are guarded by `interruptGate`.
    private readonly object interruptGate = new();
    private bool interrupted;
    private Socket? wakeup;

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

    // Python (pyos7.py):
    //   # I/O waiting
    //   def waitforread(self,task,fd):
    //       self.read_waiting[fd] = task
    //
    //   def waitforwrite(self,task,fd):
    //       self.write_waiting[fd] = task

    /// <summary>Leaves <paramref name="task"/> out of the ready queue until <paramref name="socket"/> can be read
    /// from without blocking (data, the end of the stream, or a connection to accept has arrived).</summary>
    /// <exception cref="InvalidOperationException">Another task already waits to read from the socket.</exception>
    public void WaitForRead(Task task, Socket socket) => WaitFor(readWaiting, task, socket, "read from");

    /// <summary>Leaves <paramref name="task"/> out of the ready queue until <paramref name="socket"/> can be written
    /// to without blocking.</summary>
    /// <exception cref="InvalidOperationException">Another task already waits to write to the socket.</exception>
    public void WaitForWrite(Task task, Socket socket) => WaitFor(writeWaiting, task, socket, "write to");

    private void WaitFor(OrderedDictionary<Socket, Task> waiting, Task task, Socket socket, string io)
    {
        // Python's dict would silently replace the first task, which would then never run again.
        if (waiting.TryGetValue(socket, out var other))
        {
            throw new InvalidOperationException(
                $"Task {task.Tid} cannot wait to {io} a socket that task {other.Tid} already waits to {io}: " +
                "one task at a time can wait for each socket and direction");
        }

        waiting.Add(socket, task);

        // pyos7.py starts the iotask when mainloop() starts. Here it starts when it is first needed, so programs
        // that never wait for I/O have none, and keep the task ids of pyos6.py.
        iotask ??= StartIotask();
    }

    // Python (pyos7.py):
    //   def iopoll(self,timeout):
    //       if self.read_waiting or self.write_waiting:
    //           r,w,e = select.select(self.read_waiting,
    //                                 self.write_waiting,[],timeout)
    //           for fd in r: self.schedule(self.read_waiting.pop(fd))
    //           for fd in w: self.schedule(self.write_waiting.pop(fd))

    /// <summary>
    /// Schedules the tasks whose sockets are ready, waiting for one at most <paramref name="timeout"/>
    /// (<c>null</c>: until one is, or until <see cref="Interrupt"/>; <see cref="TimeSpan.Zero"/>: not at all).
    /// Does nothing if no task waits for I/O.
    /// </summary>
    public void IoPoll(TimeSpan? timeout)
    {
        if (readWaiting.Count == 0 && writeWaiting.Count == 0)
        {
            return;
        }

        // Socket.Select is select.select: it keeps, in each list, the sockets that are ready.
        var r = new List<Socket>(readWaiting.Keys);
        var w = new List<Socket>(writeWaiting.Keys);
        lock (interruptGate)
        {
            if (interrupted)
            {
                return;
            }

            if (wakeup is not null)
            {
                r.Add(wakeup);
            }
        }

        Socket.Select(r, w, null, timeout ?? System.Threading.Timeout.InfiniteTimeSpan);
        foreach (var socket in r)
        {
            if (readWaiting.Remove(socket, out var task))
            {
                Schedule(task);
            }
        }

        foreach (var socket in w)
        {
            writeWaiting.Remove(socket, out var task);
            Schedule(task!);
        }
    }

    // Python (pyos7.py):
    //   def iotask(self):
    //       while True:
    //           if self.ready.empty():
    //               self.iopoll(None)
    //           else:
    //               self.iopoll(0)
    //           yield

    // The iotask: a task like the others, which polls. When no other task is ready, it waits in the poll until a
    // socket is ready; otherwise it only looks, and lets the ready tasks run.
    [Coroutine(Prime = false)]
    private void Iotask(Inbox<object?, SystemCall?> inbox)
    {
        while (true)
        {
            if (ready.Count == 0)
            {
                IoPoll(null);
            }
            else
            {
                IoPoll(TimeSpan.Zero);
            }

            inbox.Receive();
        }
    }

    private Task StartIotask()
    {
        lock (interruptGate)
        {
            wakeup = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            wakeup.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }

        return taskmap[New(Iotask())];
    }

    // Closes the iotask and the wake-up socket when Mainloop returns: a later Mainloop starts again without them.
    private void StopIotask()
    {
        if (iotask is { } io)
        {
            iotask = null;
            io.Target.Close();
            taskmap.Remove(io.Tid);
            var others = ready.Where(task => task != io).ToList();
            ready.Clear();
            foreach (var task in others)
            {
                ready.Enqueue(task);
            }
        }

        lock (interruptGate)
        {
            wakeup?.Dispose();
            wakeup = null;
        }
    }

    /// <summary>
    /// Asks <see cref="Mainloop"/> to stop; any thread may call it (a Ctrl+C handler does). A poll waiting for
    /// sockets returns at once; then, before it runs the next task, <see cref="Mainloop"/> kills every task (as
    /// <see cref="KillTask"/> does, it closes its coroutine, so its <c>finally</c> blocks and <c>using</c>s run),
    /// reports each terminated, and returns. A task inside a blocking call (echobad's <c>Accept</c>) is not
    /// interrupted: the scheduler stops when the call returns.
    /// </summary>
    public void Interrupt()
    {
        lock (interruptGate)
        {
            interrupted = true;
            wakeup?.SendTo(new byte[1], wakeup.LocalEndPoint!);
        }
    }

    private bool Interrupted
    {
        get
        {
            lock (interruptGate)
            {
                return interrupted;
            }
        }
    }

    // After Interrupt: kills every task but the iotask, in the order of their ids, and reports each terminated.
    private void KillAll()
    {
        foreach (var task in taskmap.Values.Where(task => task != iotask).OrderBy(task => task.Tid).ToList())
        {
            task.Target.Close();
            Exit(task);
        }

        ready.Clear();
        readWaiting.Clear();
        writeWaiting.Clear();
        exitWaiting.Clear();
    }

    // Python:
    //   def schedule(self,task):
    //       self.ready.put(task)
    public void Schedule(Task task) => ready.Enqueue(task);

    // Python:
    // Python (pyos7.py; pyos6.py has no iotask, and loops while self.taskmap):
    //   def mainloop(self):
    //       iotid = self.new(self.iotask())
    //       # Adapted: while a task other than the iotask is alive
    //       while self.taskmap.keys() - {iotid}:
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

    /// <summary>Runs tasks until none is left but the iotask, or until <see cref="Interrupt"/>.</summary>
    /// <remarks>
    /// <para>Beazley's mainloop runs while any task is alive, so forever once the iotask has started: it never
    /// exits. This one (and python/pyos7.py, adapted) returns when the iotask is the only task left; it closes the
    /// iotask then. The iotask starts the first time a task waits for I/O, not here.</para>
    /// <para>If every live task waits for another task (a deadlock), Python's <c>Queue.get()</c> blocks forever;
    /// here <c>Dequeue</c> throws <see cref="InvalidOperationException"/>.</para>
    /// </remarks>
    public void Mainloop()
    {
        try
        {
            Loop();
        }
        finally
        {
            StopIotask();
            lock (interruptGate)
            {
                interrupted = false;
            }
        }
    }

    private void Loop()
    {
        while (taskmap.Count > (iotask is null ? 0 : 1))
        {
            if (Interrupted)
            {
                KillAll();
                return;
            }

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
