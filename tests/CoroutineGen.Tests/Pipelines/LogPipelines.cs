using System.IO;

namespace CoroutineGen.Tests.Pipelines;

public static partial class LogPipelines
{
    [Coroutine]
    public static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
    {
        while (true)
        {
            string line = inbox.Receive();
            if (line.Contains(pattern)) target.Send(line);
        }
    }

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
}
