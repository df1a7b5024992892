using System.Net;
using System.Net.Sockets;
using CoroutineGen.Samples.Tasks;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// The I/O side of samples/Tasks' <see cref="Scheduler"/>, in process: <see cref="Scheduler.Interrupt"/> from
/// another thread while the iotask waits in <c>Socket.Select</c>, a scheduler that runs again after an interrupt,
/// and two tasks waiting to read one socket. (The scheduler reports tasks terminated on the console.)
/// </summary>
public static partial class TasksSchedulerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // A task that waits until the socket is readable, and logs what happened to it.
    [Coroutine(Prime = false)]
    private static void Reader(Inbox<object?, SystemCall?> inbox, Socket socket, string name, List<string> log)
    {
        try
        {
            inbox.Yield(new ReadWait(socket));
            log.Add($"{name} readable");
        }
        finally
        {
            log.Add($"{name} finally");
        }
    }

    [Fact]
    public static void Interrupt_wakes_the_iotask_from_another_thread_kills_every_task_and_a_later_Mainloop_runs_normally()
    {
        using var quiet1 = Listener();
        using var quiet2 = Listener();
        var log = new List<string>();
        var sched = new Scheduler();
        sched.New(Reader(quiet1, "a", log));
        sched.New(Reader(quiet2, "b", log));

        // Nobody connects: the iotask waits in Select until Interrupt's datagram wakes it.
        var loop = new Thread(sched.Mainloop);
        loop.Start();
        Assert.False(loop.Join(TimeSpan.FromMilliseconds(300)), "Mainloop returned while its tasks waited for sockets");
        sched.Interrupt();

        Assert.True(loop.Join(Patience), "Mainloop did not return after Interrupt");
        Assert.Equal(["a finally", "b finally"], log);

        // The interrupt is over: the next Mainloop starts a new iotask and runs until its tasks are done.
        log.Clear();
        using var busy = Listener();
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        client.Connect(busy.LocalEndPoint!);
        sched.New(Reader(busy, "c", log));
        var again = new Thread(sched.Mainloop);
        again.Start();

        Assert.True(again.Join(Patience), "the Mainloop after an interrupt did not finish");
        Assert.Equal(["c readable", "c finally"], log);
    }

    [Fact]
    public static void A_second_task_waiting_to_read_a_socket_is_an_error_that_names_both_tasks()
    {
        using var listener = Listener();
        var log = new List<string>();
        var sched = new Scheduler();
        int first = sched.New(Reader(listener, "a", log));
        int second = sched.New(Reader(listener, "b", log));

        var error = Assert.Throws<InvalidOperationException>(sched.Mainloop);

        Assert.Equal(
            $"Task {second} cannot wait to read from a socket that task {first} already waits to read from: " +
            "one task at a time can wait for each socket and direction",
            error.Message);
    }

    private static Socket Listener()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        return socket;
    }
}
