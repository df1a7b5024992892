using System;
using System.IO;
using CoroutineGen;

namespace CoroutineGen.Samples.Pipelines;

/// <summary>
/// The coroutine stages of the seed pipeline, ported from Beazley's <c>copipe.py</c>. Each method is a
/// <em>template</em>: CoroutineGen generates, beside it, a factory with the same name minus the inbox parameter
/// (<c>Stages.Printer(Console.Out)</c>, <c>Stages.Grep("python", target)</c>) that returns a primed coroutine.
/// </summary>
public static partial class Stages
{
    // Python:
    //   @coroutine
    //   def printer():
    //       try:
    //           while True:
    //               line = (yield)
    //               print(line)
    //       except GeneratorExit:
    //           print("Going away. Goodbye")

    /// <summary>The sink: writes each line it receives and, when it is closed, says goodbye.</summary>
    /// <param name="inbox">The suspension point: <c>inbox.Receive()</c> is Python's <c>(yield)</c>.</param>
    /// <param name="output">Where the lines go.</param>
    [Coroutine]
    public static void Printer(Inbox<string> inbox, TextWriter output)
    {
        try
        {
            while (true) output.WriteLine(inbox.Receive());
        }
        catch (GeneratorExitException)
        {
            output.WriteLine("Going away. Goodbye");
        }
    }

    // Python:
    //   @coroutine
    //   def grep(pattern, target):
    //       while True:
    //           line = (yield)
    //           if pattern in line:
    //               target.send(line)

    /// <summary>
    /// The filter: passes on the lines that contain <paramref name="pattern"/> (case-sensitive, like Python's
    /// <c>in</c>). Like Beazley's <c>grep</c> it prints nothing itself, and closing it does not close
    /// <paramref name="target"/>: whoever created the target closes it.
    /// </summary>
    /// <param name="inbox">The suspension point.</param>
    /// <param name="pattern">The text to look for.</param>
    /// <param name="target">The next stage.</param>
    [Coroutine]
    public static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
    {
        while (true)
        {
            string line = inbox.Receive();
            if (line.Contains(pattern, StringComparison.Ordinal)) target.Send(line);
        }
    }
}
