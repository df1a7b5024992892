using System.Runtime.InteropServices;
using System.Text;
using CoroutineGen.Samples.Tasks;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// The echo servers of samples/Tasks (echobad, echogood2, echoserver, echoserver2), run as the real program on
/// 127.0.0.1 at a free port and driven by real clients: the same scripted clients against the C# server and its
/// Python original in samples/Tasks/python (the transcripts compared line by line, ports normalised), several
/// clients at once with every byte checked, and the ways a server stops (after --connections, on SIGINT/SIGTERM).
/// </summary>
public sealed class TasksServerTests
{
    private static readonly string[] WorkingServers = ["echogood2", "echoserver", "echoserver2"];

    public static TheoryData<string> AllServers => new(Servers.Names);

    public static TheoryData<string> Working => new(WorkingServers);

    /// <summary>What a working server prints for <see cref="OneAfterTheOther"/>: the course's transcript of echogood2.py, with the port line.</summary>
    private static readonly string[] WorkingTranscript =
    [
        "Server starting",
        "Listening on 127.0.0.1:PORT",
        "Connection from ('127.0.0.1', PORT)",
        "Client closed",
        "Task 3 terminated",
        "Connection from ('127.0.0.1', PORT)",
        "Task 1 terminated",        // the server, after its second (last) connection
        "Client closed",
        "Task 4 terminated",
    ];

    [Fact]
    public void The_servers_are_the_course_s_echo_servers_in_course_order() =>
        Assert.Equal(["echobad", .. WorkingServers], Servers.Names);

    [Theory]
    [MemberData(nameof(AllServers))]
    public void Each_server_prints_what_its_Python_original_prints_for_two_clients_one_after_the_other(string name)
    {
        var (csharp, python) = RunBoth(name, OneAfterTheOther);

        PythonTwin.AssertSame(python, csharp);
        if (name != "echobad")
        {
            Assert.Equal(WorkingTranscript, csharp);
        }
    }

    [Fact]
    public void Echobad_keeps_a_second_client_waiting_until_the_first_has_gone_as_its_Python_original_does()
    {
        var (csharp, python) = RunBoth("echobad", SecondWhileFirstIsConnected);

        PythonTwin.AssertSame(python, csharp);
        Assert.Equal(
            [
                "I'm alive!",
                "Server starting",
                "Listening on 127.0.0.1:PORT",
                "I'm alive!",                       // only once the first client has connected: accept() blocked alive() too
                "Connection from ('127.0.0.1', PORT)",
                "Client closed",
                "I'm alive!",
                "Task 3 terminated",
                "Connection from ('127.0.0.1', PORT)",
                "Client closed",
                "Task 1 terminated",                // alive, killed by the server after its last connection
                "Task 4 terminated",
                "Task 2 terminated",
            ],
            csharp);

        // The second client waited: echobad serves one client at a time.
        static void SecondWhileFirstIsConnected(ServerProcess server)
        {
            using var first = new EchoClient(server.Port);
            Exchange(first, "hello");
            using var second = new EchoClient(server.Port);
            second.Send("world");
            Assert.True(second.HearsNothingFor(TimeSpan.FromSeconds(1)), "echobad answered a second client while it served the first");
            first.Close();
            Assert.Equal("world", second.ReceiveText(5));
            second.Close();
        }
    }

    [Theory]
    [MemberData(nameof(Working))]
    public void A_working_server_serves_several_clients_at_once_and_echoes_every_byte_to_its_own_client(string name)
    {
        using var server = ServerProcess.Sample(name, "--connections", "4");
        var clients = Enumerable.Range(0, 4).Select(_ => new EchoClient(server.Port)).ToList();
        try
        {
            // Client 0 sends 64 KB in pieces of every size from 1 byte to 4 KB, and reads the echo on another thread.
            var big = new byte[64 * 1024];
            for (int i = 0; i < big.Length; i++)
            {
                big[i] = (byte)(i * 31 + i / 256);
            }

            byte[]? bigEcho = null;
            Exception? bigError = null;
            var reader = new Thread(() =>
            {
                try
                {
                    bigEcho = clients[0].Receive(big.Length);
                }
                catch (Exception e)
                {
                    bigError = e;
                }
            });
            reader.Start();

            // Meanwhile clients 1 to 3, all connected, take turns: each of their messages comes back to them, whole,
            // between two pieces of client 0's. A server that served one client at a time would leave them waiting.
            int sent = 0;
            for (int piece = 0; sent < big.Length; piece++)
            {
                int size = Math.Min(big.Length - sent, 1 + piece * 37 % 4096);
                clients[0].Send(big.AsSpan(sent, size));
                sent += size;

                int small = 1 + piece % 3;
                Exchange(clients[small], $"client {small}, message {piece}\n");
            }

            Assert.True(reader.Join(EchoClient.Patience + TimeSpan.FromSeconds(5)), "client 0 did not get its 64 KB back in time");
            Assert.Null(bigError);
            Assert.Equal(big, bigEcho);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        Assert.Equal(0, server.WaitForExit());
        Assert.Empty(server.Errors);
        var output = server.Transcript;
        Assert.Equal(4, output.Count(line => line == "Connection from ('127.0.0.1', PORT)"));
        Assert.Equal(4, output.Count(line => line == "Client closed"));
        Assert.Equal(["Task 1 terminated", "Task 3 terminated", "Task 4 terminated", "Task 5 terminated", "Task 6 terminated"],
            output.Where(line => line.EndsWith(" terminated", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("echogood2", PosixSignal.SIGINT)]
    [InlineData("echoserver", PosixSignal.SIGTERM)]
    [InlineData("echoserver2", PosixSignal.SIGINT)]
    public void A_working_server_stops_on_the_first_SIGINT_or_SIGTERM_killing_its_tasks_and_closing_their_sockets(string name, PosixSignal signal)
    {
        using var server = ServerProcess.Sample(name);
        using var client = new EchoClient(server.Port);
        Exchange(client, "hello");

        server.Signal(signal);

        Assert.Equal(0, server.WaitForExit());
        Assert.True(client.IsClosedByServer(), "the killed task did not close its client's socket");
        Assert.Equal([$"Tasks: {signal}: stopping (once more to stop at once)"], server.Errors);
        Assert.Equal(
            ["Server starting", "Listening on 127.0.0.1:PORT", "Connection from ('127.0.0.1', PORT)", "Task 1 terminated", "Task 3 terminated"],
            server.Transcript);
    }

    [Fact]
    public void Echobad_blocked_in_Accept_sees_a_SIGINT_only_when_a_client_connects()
    {
        using var server = ServerProcess.Sample("echobad");
        server.Signal(PosixSignal.SIGINT);
        server.WaitFor("the stopping message", _ => server.Errors.Count > 0);

        Assert.True(server.RunsFor(TimeSpan.FromSeconds(1)), "echobad stopped while it was blocked in Accept");

        using var client = new EchoClient(server.Port);
        Assert.Equal(0, server.WaitForExit());
        Assert.Equal(
            ["I'm alive!", "Server starting", "Listening on 127.0.0.1:PORT", "Task 1 terminated", "Task 2 terminated", "Task 3 terminated"],
            server.Transcript);
    }

    [Fact]
    public void A_server_whose_port_is_taken_says_so_and_exits_with_1()
    {
        using var taken = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        taken.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((System.Net.IPEndPoint)taken.LocalEndPoint!).Port;

        var (code, output, errors) = TasksProgram.Run("echogood2", "--port", port.ToString());

        Assert.Equal(1, code);
        Assert.Equal(["Server starting"], output);
        var error = Assert.Single(errors);
        Assert.StartsWith("Tasks: echogood2: ", error, StringComparison.Ordinal);
        Assert.EndsWith("(AddressAlreadyInUse)", error, StringComparison.Ordinal);
    }

    /// <summary>Two clients, one after the other: each sends "hello" and "world", gets each back, and closes; the
    /// next one connects when the server has printed "Client closed", so the transcript does not depend on timing.</summary>
    private static void OneAfterTheOther(ServerProcess server)
    {
        for (int i = 1; i <= 2; i++)
        {
            using (var client = new EchoClient(server.Port))
            {
                Exchange(client, "hello");
                Exchange(client, "world");
            }

            server.WaitForLine("Client closed", count: i);
        }
    }

    /// <summary>
    /// Runs <paramref name="script"/> against the C# server <paramref name="name"/> and, at the same time (each has
    /// its own port), against its Python original, both with <c>--connections 2</c>; each must then exit with 0 and
    /// no errors. Returns their transcripts.
    /// </summary>
    private static (IReadOnlyList<string> CSharp, IReadOnlyList<string> Python) RunBoth(string name, Action<ServerProcess> script)
    {
        var python = System.Threading.Tasks.Task.Run(() => RunScript(() => ServerProcess.Python(name, "--connections", "2"), script));
        var csharp = RunScript(() => ServerProcess.Sample(name, "--connections", "2"), script);
        return (csharp, python.GetAwaiter().GetResult());
    }

    private static IReadOnlyList<string> RunScript(Func<ServerProcess> start, Action<ServerProcess> script)
    {
        using var server = start();
        script(server);
        Assert.Equal(0, server.WaitForExit());
        Assert.Empty(server.Errors);
        return server.Transcript;
    }

    private static void Exchange(EchoClient client, string message)
    {
        client.Send(message);
        Assert.Equal(message, client.ReceiveText(Encoding.ASCII.GetByteCount(message)));
    }
}
