using System;
using System.Net;
using System.Net.Sockets;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// echogood2.py: a working concurrent echo server. Before each <c>Accept</c>, <c>Receive</c> and <c>Send</c> the
/// task waits, with <see cref="ReadWait"/> or <see cref="WriteWait"/>, until the call will not block; meanwhile the
/// other tasks run, and one thread serves every client at once.
/// </summary>
public static partial class EchoGood2
{
    // Python:
    //   def handle_client(client,addr):
    //       print("Connection from", addr)
    //       while True:
    //           yield ReadWait(client)
    //           data = client.recv(65536)
    //           if not data:
    //               break
    //           yield WriteWait(client)
    //           client.send(data)
    //       client.close()
    //       print("Client closed")
    [Coroutine(Prime = false)]
    private static void HandleClient(Inbox<object?, SystemCall?> inbox, Socket client, IPEndPoint addr)
    {
        Console.WriteLine($"Connection from {Servers.Repr(addr)}");
        var data = new byte[65536];
        using (client)
        {
            while (true)
            {
                inbox.Yield(new ReadWait(client));
                int len = client.Receive(data);
                if (len == 0)
                {
                    break;
                }

                inbox.Yield(new WriteWait(client));
                client.Send(data, 0, len, SocketFlags.None);
            }
        }

        Console.WriteLine("Client closed");
    }

    // Python (adapted: 127.0.0.1, the port printed, --connections; see python/serverargs.py):
    //   def server(port,connections):
    //       print("Server starting")
    //       sock = socket(AF_INET,SOCK_STREAM)
    //       sock.setsockopt(SOL_SOCKET,SO_REUSEADDR,1)
    //       sock.bind(("127.0.0.1",port))
    //       sock.listen(1024)
    //       print("Listening on %s:%d" % sock.getsockname())
    //       accepted = 0
    //       while connections is None or accepted < connections:
    //           yield ReadWait(sock)
    //           client,addr = sock.accept()
    //           yield NewTask(handle_client(client,addr))
    //           accepted += 1
    //       sock.close()
    [Coroutine(Prime = false)]
    private static void Server(Inbox<object?, SystemCall?> inbox, int port, int? connections)
    {
        Console.WriteLine("Server starting");
        // No SO_REUSEADDR: .NET already lets a server listen again at once on a port whose connections are still
        // closing (what Beazley sets it for), and on Linux its ReuseAddress lets a second server listen on the same port.
        using (var sock = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            sock.Bind(new IPEndPoint(IPAddress.Loopback, port));
            sock.Listen(1024);
            Console.WriteLine($"Listening on {sock.LocalEndPoint}");
            for (int accepted = 0; connections is null || accepted < connections; accepted++)
            {
                inbox.Yield(new ReadWait(sock));
                var client = sock.Accept();
                inbox.Yield(new NewTask(HandleClient(client, (IPEndPoint)client.RemoteEndPoint!)));
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
