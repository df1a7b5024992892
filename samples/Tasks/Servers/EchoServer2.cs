using System;
using System.Net;
using System.Net.Sockets;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// echoserver2.py: the concurrent echo server on <see cref="TaskSocket"/> (sockwrap.py's <c>Socket</c>), whose
/// methods are subroutines: the task code reads like ordinary socket code, with <c>inbox.YieldFrom</c> around each
/// call that waits.
/// </summary>
public static partial class EchoServer2
{
    // Python:
    //   def handle_client(client,addr):
    //       print("Connection from", addr)
    //       while True:
    //           data = yield client.recv(65536)
    //           if not data:
    //               break
    //           yield client.send(data)
    //       print("Client closed")
    //       yield client.close()
    [Coroutine(Prime = false)]
    private static void HandleClient(Inbox<object?, SystemCall?> inbox, TaskSocket client, IPEndPoint addr)
    {
        Console.WriteLine($"Connection from {Servers.Repr(addr)}");
        using (client)
        {
            while (true)
            {
                var data = inbox.YieldFrom(client.Recv(65536));
                if (data.IsEmpty)
                {
                    break;
                }

                inbox.YieldFrom(client.Send(data));
            }

            Console.WriteLine("Client closed");
        }
    }

    // Python (adapted: 127.0.0.1, the port printed, --connections; see python/serverargs.py):
    //   def server(port,connections):
    //       print("Server starting")
    //       rawsock = socket(AF_INET,SOCK_STREAM)
    //       rawsock.setsockopt(SOL_SOCKET,SO_REUSEADDR,1)
    //       rawsock.bind(("127.0.0.1",port))
    //       rawsock.listen(1024)
    //       print("Listening on %s:%d" % rawsock.getsockname())
    //
    //       sock = Socket(rawsock)
    //       accepted = 0
    //       while connections is None or accepted < connections:
    //           client,addr = yield sock.accept()
    //           yield NewTask(handle_client(client,addr))
    //           accepted += 1
    //       yield sock.close()
    [Coroutine(Prime = false)]
    private static void Server(Inbox<object?, SystemCall?> inbox, int port, int? connections)
    {
        Console.WriteLine("Server starting");
        // No SO_REUSEADDR: .NET already lets a server listen again at once on a port whose connections are still
        // closing (what Beazley sets it for), and on Linux its ReuseAddress lets a second server listen on the same port.
        using (var rawsock = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            rawsock.Bind(new IPEndPoint(IPAddress.Loopback, port));
            rawsock.Listen(1024);
            Console.WriteLine($"Listening on {rawsock.LocalEndPoint}");

            var sock = new TaskSocket(rawsock);
            for (int accepted = 0; connections is null || accepted < connections; accepted++)
            {
                var (client, addr) = inbox.YieldFrom(sock.Accept());
                inbox.Yield(new NewTask(HandleClient(client, addr)));
            }
        }                                           // yield sock.close()
    }

    // Python:
    //   sched = Scheduler()
    //   sched.new(server(args.port,args.connections))
    //   sched.mainloop()
    public static void Run(Scheduler sched, int port, int? connections)
    {
        sched.New(Server(port, connections));
        sched.Mainloop();
    }
}
