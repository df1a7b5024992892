using System;
using System.Collections.Generic;
using System.Linq;

namespace CoroutineGen.Samples.Tasks;

/// <summary>The demos, by name: each is one Python file of python/, and prints what that file prints.</summary>
public static class Demos
{
    /// <summary>The demos in course order. (pyos2.py is pyos3.py without task exit: it runs forever, so it is not here.)</summary>
    public static readonly IReadOnlyList<(string Name, Action Run)> All =
    [
        ("pyos1", Pyos1.Run),
        ("pyos3", Pyos3.Run),
        ("pyos4", Pyos4.Run),
        ("pyos5", Pyos5.Run),
        ("pyos6", Pyos6.Run),
        ("trampoline", Trampoline.Run),
        ("subroutines", Subroutines.Run),
    ];

    /// <summary>The names, as the command line takes them.</summary>
    public static IEnumerable<string> Names => All.Select(demo => demo.Name);

    /// <summary>The line printed before each demo when they all run.</summary>
    public static string Header(string name) => $"== {name} ==";

    /// <summary>Runs the demo called <paramref name="name"/>; <c>false</c> if there is none.</summary>
    public static bool Run(string name)
    {
        foreach (var demo in All)
        {
            if (demo.Name == name)
            {
                // Task ids start at 1 in every demo, as in each Python program.
                Task.ResetIds();
                demo.Run();
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs every demo, each after its <see cref="Header"/>.</summary>
    public static void RunAll()
    {
        foreach (var name in Names)
        {
            Console.WriteLine(Header(name));
            Run(name);
        }
    }
}
