using System;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using CoroutineGen;

namespace CoroutineGen.Samples.Pipelines;

/// <summary>
/// The same stages as <see cref="Stages"/>, written as <c>async</c> templates (Python's asynchronous generators,
/// <c>async def</c> with <c>yield</c>): each stage may <c>await</c> between its receives, and the generated factories
/// return <c>ValueTask&lt;...Coroutine&gt;</c>, primed asynchronously. <c>--async</c> runs the pipeline with these.
/// </summary>
public static partial class AsyncStages
{
    // Python:
    //   async def printer(output):
    //       try:
    //           while True:
    //               line = (yield)
    //               await output.write(line + "\n")
    //       except GeneratorExit:
    //           await output.write("Going away. Goodbye\n")
    //       finally:
    //           await output.drain()

    /// <summary>The sink: writes each line it receives with an awaited write, and says goodbye when it is closed.</summary>
    /// <param name="inbox">The suspension point: <c>inbox.Receive()</c> is Python's <c>(yield)</c>.</param>
    /// <param name="output">Where the lines go.</param>
    [Coroutine]
    public static async Task Printer(Inbox<string> inbox, TextWriter output)
    {
        try
        {
            while (true)
            {
                string line = inbox.Receive();
                await output.WriteLineAsync(line.AsMemory(), inbox.CancellationToken);
            }
        }
        catch (GeneratorExitException)
        {
            await output.WriteLineAsync("Going away. Goodbye");
        }
        finally
        {
            await output.FlushAsync();
        }
    }

    /// <summary>
    /// The filter: passes on the lines that contain <paramref name="pattern"/>, awaiting the next stage. Closing it
    /// does not close <paramref name="target"/>, as in <see cref="Stages.Grep"/>.
    /// </summary>
    /// <param name="inbox">The suspension point.</param>
    /// <param name="pattern">The text to look for (case-sensitive).</param>
    /// <param name="target">The next stage.</param>
    [Coroutine]
    public static async Task Grep(Inbox<string> inbox, string pattern, IAsyncCoroutine<string> target)
    {
        while (true)
        {
            string line = inbox.Receive();
            if (line.Contains(pattern, StringComparison.Ordinal))
            {
                await target.SendAsync(line, inbox.CancellationToken);
            }
        }
    }

    /// <summary>
    /// A sink that sends each line over TCP: it connects while the factory primes it (before its first receive), writes
    /// and flushes every line it receives, and when it is closed sends a last line, <c>Going away. Goodbye</c>, and
    /// closes the connection (the <c>using</c> declarations' disposal runs when the coroutine finishes).
    /// </summary>
    /// <param name="inbox">The suspension point.</param>
    /// <param name="host">The host to connect to.</param>
    /// <param name="port">The TCP port.</param>
    [Coroutine]
    public static async Task TcpSender(Inbox<string> inbox, string host, int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port);
        await using var writer = new StreamWriter(client.GetStream()) { NewLine = "\n" };
        try
        {
            while (true)
            {
                string line = inbox.Receive();
                await writer.WriteLineAsync(line.AsMemory(), inbox.CancellationToken);
                await writer.FlushAsync(inbox.CancellationToken);
            }
        }
        catch (GeneratorExitException)
        {
            await writer.WriteLineAsync("Going away. Goodbye");
            await writer.FlushAsync();
        }
    }
}
