using System;
using System.Net;
using System.Net.Sockets;
using CoroutineGen;
using static CoroutineGen.Samples.Tasks.Library;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// echoserver.py: the concurrent echo server of echogood2.py, written as ordinary socket code. The waiting is in the
/// subroutines of <see cref="Library"/> (<c>Accept</c>, <c>Recv</c>, <c>Send</c>), which the tasks call with
/// <c>inbox.YieldFrom</c>.
/// </summary>
public static partial class EchoServer
{
    // Python:
    //   def handle_client(client,addr):
    //       print("Connection from", addr)
    //       while True:
    //           data = yield Recv(client,65536)
    //           if not data:
    //               break
    //           yield Send(client,data)
    //       print("Client closed")
    //       client.close()
    [Coroutine(Prime = false)]
    private static void HandleClient(Inbox<object?, SystemCall?> inbox, Socket client, IPEndPoint addr)
    {
        Console.WriteLine($"Connection from {Servers.Repr(addr)}");
        using (client)
        {
            while (true)
            {
                var data = inbox.YieldFrom(Recv(client, 65536));
                if (data.IsEmpty)
                {
                    break;
                }

                inbox.YieldFrom(Send(client, data));
            }

            Console.WriteLine("Client closed");
        }
    }

    // Python (adapted: 127.0.0.1, the port printed, --connections; see python/serverargs.py):
    //   def server(port,connections):
    //       print("Server starting")
    //       sock = socket(AF_INET,SOCK_STREAM)
    //       sock.bind(("127.0.0.1",port))
    //       sock.listen(5)
    //       print("Listening on %s:%d" % sock.getsockname())
    //       accepted = 0
    //       while connections is None or accepted < connections:
    //           client,addr = yield Accept(sock)
    //           yield NewTask(handle_client(client,addr))
    //           accepted += 1
    //       sock.close()
    [Coroutine(Prime = false)]
    private static void Server(Inbox<object?, SystemCall?> inbox, int port, int? connections)
    {
        Console.WriteLine("Server starting");
        using (var sock = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            sock.Bind(new IPEndPoint(IPAddress.Loopback, port));
            sock.Listen(5);
            Console.WriteLine($"Listening on {sock.LocalEndPoint}");
            for (int accepted = 0; connections is null || accepted < connections; accepted++)
            {
                var (client, addr) = inbox.YieldFrom(Accept(sock));
                inbox.Yield(new NewTask(HandleClient(client, addr)));
            }
        }
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
