using System;
using System.Net;
using System.Net.Sockets;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// echobad.py: an echo server that does not work. Its tasks call <c>Accept</c> and <c>Receive</c>, which block, and
/// while one task waits in them the whole operating system waits: <c>Alive</c> stops printing, and a second client
/// gets no answer until the first one has gone.
/// </summary>
public static partial class EchoBad
{
    // Python:
    //   def handle_client(client,addr):
    //       print("Connection from", addr)
    //       while True:
    //           data = client.recv(65536)
    //           if not data:
    //               break
    //           client.send(data)
    //       client.close()
    //       print("Client closed")
    //       yield                           # Make the function a generator/coroutine
    [Coroutine(Prime = false)]
    private static void HandleClient(Inbox<object?, SystemCall?> inbox, Socket client, IPEndPoint addr)
    {
        Console.WriteLine($"Connection from {Servers.Repr(addr)}");
        var data = new byte[65536];
        using (client)
        {
            while (true)
            {
                int len = client.Receive(data);     // blocks the whole operating system
                if (len == 0)
                {
                    break;
                }

                client.Send(data, 0, len, SocketFlags.None);
            }
        }

        Console.WriteLine("Client closed");
        inbox.Receive();                            // Make the function a generator/coroutine
    }

    // Python (adapted: 127.0.0.1, the port printed, --connections; see python/serverargs.py):
    //   def server(port,connections,alive):
    //       print("Server starting")
    //       sock = socket(AF_INET,SOCK_STREAM)
    //       sock.bind(("127.0.0.1",port))
    //       sock.listen(5)
    //       print("Listening on %s:%d" % sock.getsockname())
    //       accepted = 0
    //       while connections is None or accepted < connections:
    //           client,addr = sock.accept()
    //           yield NewTask(handle_client(client,addr))
    //           accepted += 1
    //       sock.close()
    //       yield KillTask(alive)
    [Coroutine(Prime = false)]
    private static void Server(Inbox<object?, SystemCall?> inbox, int port, int? connections, int alive)
    {
        Console.WriteLine("Server starting");
        using (var sock = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            sock.Bind(new IPEndPoint(IPAddress.Loopback, port));
            sock.Listen(5);
            Console.WriteLine($"Listening on {sock.LocalEndPoint}");
            for (int accepted = 0; connections is null || accepted < connections; accepted++)
            {
                var client = sock.Accept();         // blocks the whole operating system
                inbox.Yield(new NewTask(HandleClient(client, (IPEndPoint)client.RemoteEndPoint!)));
            }
        }

        inbox.Yield(new KillTask(alive));
    }

    // Python:
    //   def alive():
    //       while True:
    //           print("I'm alive!")
    //           yield
    [Coroutine(Prime = false)]
    private static void Alive(Inbox<object?, SystemCall?> inbox)
    {
        while (true)
        {
            Console.WriteLine("I'm alive!");
            inbox.Receive();
        }
    }

    // Python:
    //   sched = Scheduler()
    //   alive_tid = sched.new(alive())
    //   sched.new(server(args.port,args.connections,alive_tid))
    //   sched.mainloop()
    public static void Run(Scheduler sched, int port, int? connections)
    {
        int aliveTid = sched.New(Alive());
        sched.New(Server(port, connections, aliveTid));
        sched.Mainloop();
    }
}
