using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// The echo servers, by name: each is one Python file of python/, and prints what that file prints. Unlike the
/// demos they wait for clients, so they run one at a time: <c>Tasks SERVER [--port PORT] [--connections N]</c>.
/// </summary>
public static class Servers
{
    /// <summary>The port Beazley's servers listen on, and the default of <c>--port</c>.</summary>
    public const int DefaultPort = 45000;

    /// <summary>The command line of a server, for the usage message.</summary>
    public const string Usage = "SERVER [--port PORT] [--connections N]";

    /// <summary>The servers in course order. Each <c>Run</c> is its Python file's main program.</summary>
    public static readonly IReadOnlyList<(string Name, Action<Scheduler, int, int?> Run)> All =
    [
        ("echobad", EchoBad.Run),
        ("echogood2", EchoGood2.Run),
        ("echoserver", EchoServer.Run),
        ("echoserver2", EchoServer2.Run),
    ];

    /// <summary>The names, as the command line takes them.</summary>
    public static IEnumerable<string> Names => All.Select(server => server.Name);

    /// <summary>
    /// An address as Python prints the <c>(host, port)</c> tuple that <c>accept()</c> returns:
    /// <c>('127.0.0.1', 54321)</c>.
    /// </summary>
    public static string Repr(IPEndPoint addr) => $"('{addr.Address}', {addr.Port})";

    /// <summary>Whether <paramref name="name"/> is a server.</summary>
    public static bool Exists(string name) => All.Any(server => server.Name == name);

    /// <summary>
    /// Runs the server <paramref name="name"/> with the <paramref name="options"/> of the command line, until it has
    /// served <c>--connections</c> clients, or until Ctrl+C (SIGINT) or SIGTERM: the first one interrupts the
    /// scheduler, which kills every task (closing their sockets) and returns; a second one ends the process at once.
    /// </summary>
    /// <returns>The exit code: 0, or 1 if a socket call failed (the reason is on standard error), or 2 for a bad
    /// option (<paramref name="error"/> says which).</returns>
    public static int Run(string name, IReadOnlyList<string> options, out string? error)
    {
        var run = All.Single(server => server.Name == name).Run;
        error = ParseOptions(options, out int port, out int? connections);
        if (error is not null)
        {
            return 2;
        }

        var sched = new Scheduler();
        int signals = 0;
        void Stop(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) == 1)
            {
                context.Cancel = true;
                Console.Error.WriteLine($"Tasks: {context.Signal}: stopping (once more to stop at once)");
                sched.Interrupt();
            }

            // A second signal is left to the default, which ends the process: echobad, blocked in Accept or
            // Receive, does not see the interrupt until the call returns.
        }

        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop))
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop))
        {
            try
            {
                run(sched, port, connections);
            }
            catch (SocketException e)
            {
                // Python's servers die with a traceback here: the port is taken, a client reset its connection...
                Console.Error.WriteLine($"Tasks: {name}: {e.Message} ({e.SocketErrorCode})");
                return 1;
            }
        }

        return 0;
    }

    private static string? ParseOptions(IReadOnlyList<string> options, out int port, out int? connections)
    {
        port = DefaultPort;
        connections = null;
        for (int i = 0; i < options.Count; i++)
        {
            string option = options[i];
            if (option is not ("--port" or "--connections"))
            {
                return $"unknown option {option}";
            }

            if (i + 1 == options.Count)
            {
                return $"{option} needs a value";
            }

            string value = options[++i];
            bool isNumber = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number);
            if (option == "--port")
            {
                if (!isNumber || number > IPEndPoint.MaxPort)
                {
                    return $"--port needs a port number from 0 to {IPEndPoint.MaxPort} (0: any free port), not {value}";
                }

                port = number;
            }
            else
            {
                if (!isNumber || number < 1)
                {
                    return $"--connections needs a number of connections from 1 up, not {value}";
                }

                connections = number;
            }
        }

        return null;
    }
}
