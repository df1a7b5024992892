using System;

namespace CoroutineGen.Samples.Bridges;

/// <summary>
/// <c>dotnet run --project samples/Bridges [-- DEMO]</c>: runs one demo (pipeline, cothread, coprocess, cocrash), or
/// all of them, each after a header line. <c>child</c> is the other half of coprocess: it reads JSON lines on stdin.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string usage = $"usage: Bridges [DEMO]   (DEMO: {string.Join(", ", Demos.Names)}; none: all of them; " +
            $"{Demos.ChildArgument}: coprocess's child, reads JSON lines on stdin)";
        try
        {
            switch (args)
            {
                case []:
                    Demos.RunAll();
                    return 0;
                case ["-h" or "--help"]:
                    Console.WriteLine(usage);
                    return 0;
                case [Demos.ChildArgument]:
                    Demos.Child();
                    return 0;
                case [var name] when Demos.Run(name):
                    return 0;
                default:
                    Console.Error.WriteLine(args.Length == 1 ? $"Bridges: no demo called {args[0]}" : "Bridges: one DEMO at most");
                    Console.Error.WriteLine(usage);
                    return 2;
            }
        }
        catch (CoroutineBridgeException failure)
        {
            // The other side of a bridge failed: its message says what, where, and what was not delivered.
            Console.Error.WriteLine($"Bridges: {failure.Message}");
            return 1;
        }
    }
}
