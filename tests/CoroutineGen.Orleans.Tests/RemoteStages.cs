namespace CoroutineGen.Orleans.Tests;

/// <summary>The templates the consumer grains drive from a stream. The generator compiles them.</summary>
public static partial class RemoteStages
{
    /// <summary>
    /// Keeps every line it receives. A <see cref="TimeoutException"/> thrown into it is handled (noted in
    /// <paramref name="events"/>) and it goes on receiving; any other error ends it. Its close handler and its
    /// <c>finally</c> note that they ran.
    /// </summary>
    [Coroutine]
    public static void Collector(Inbox<string> inbox, List<string> lines, List<string> events)
    {
        try
        {
            while (true)
            {
                try
                {
                    lines.Add(inbox.Receive());
                }
                catch (TimeoutException e)
                {
                    events.Add($"caught {e.GetType().Name}: {e.Message}");
                }
            }
        }
        catch (GeneratorExitException)
        {
            events.Add("GeneratorExit");
        }
        finally
        {
            events.Add("finally");
        }
    }

    /// <summary>Takes <paramref name="limit"/> lines and returns how many it took (like head).</summary>
    [Coroutine]
    public static int Head(Inbox<string> inbox, int limit, List<string> lines)
    {
        while (lines.Count < limit)
        {
            lines.Add(inbox.Receive());
        }

        return lines.Count;
    }
}
