using System;
using System.Linq;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// <c>dotnet run --project samples/Tasks [-- DEMO]</c>: runs one demo (pyos1, pyos3, ..., subroutines), or all of
/// them, each after a header line. <c>dotnet run --project samples/Tasks -- SERVER [--port PORT] [--connections
/// N]</c>: runs an echo server (echobad, echogood2, echoserver, echoserver2) at 127.0.0.1.
/// </summary>
public static class Program
{
    /// <summary>The usage message, printed by <c>--help</c> and after a bad argument.</summary>
    public static string Usage =>
        $"usage: Tasks [DEMO]   (DEMO: {string.Join(", ", Demos.Names)}; none: all of them)\n" +
        $"       Tasks {Servers.Usage}   (SERVER: {string.Join(", ", Servers.Names)})\n" +
        $"A server listens at 127.0.0.1:PORT ({Servers.DefaultPort} if not given, 0: any free port), and stops after N connections, or on Ctrl+C.";

    public static int Main(string[] args)
    {
        string usage = Usage;
        switch (args)
        {
            case []:
                Demos.RunAll();
                return 0;
            case ["-h" or "--help"]:
                Console.WriteLine(usage);
                return 0;
            case [var name] when Demos.Run(name):
                return 0;
            case [var name, .. var options] when Servers.Exists(name):
                int code = Servers.Run(name, options, out string? error);
                if (error is not null)
                {
                    Console.Error.WriteLine($"Tasks: {error}");
                    Console.Error.WriteLine(usage);
                }

                return code;
            default:
                Console.Error.WriteLine(
                    args.Length == 1 ? $"Tasks: no demo or server called {args[0]}"
                    : Demos.Names.Contains(args[0]) ? "Tasks: a DEMO takes no options"
                    : $"Tasks: no server called {args[0]}");
                Console.Error.WriteLine(usage);
                return 2;
        }
    }
}
