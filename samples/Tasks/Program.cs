using System;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// <c>dotnet run --project samples/Tasks [-- DEMO]</c>: runs one demo (pyos1, pyos3, ..., subroutines), or all of
/// them, each after a header line.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string usage = $"usage: Tasks [DEMO]   (DEMO: {string.Join(", ", Demos.Names)}; none: all of them)";
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
            default:
                Console.Error.WriteLine(args.Length == 1 ? $"Tasks: no demo called {args[0]}" : "Tasks: one DEMO at most");
                Console.Error.WriteLine(usage);
                return 2;
        }
    }
}
