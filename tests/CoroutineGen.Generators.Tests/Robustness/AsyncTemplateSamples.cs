namespace CoroutineGen.Generators.Tests.Robustness;

/// <summary>
/// Async templates for the robustness corpus (<see cref="TemplateCorpus"/>): the repository's samples and golden
/// tests have none yet, and the generator must survive every half-typed state of these as well. Written for the
/// implicit usings of an SDK project, as the corpus's files are.
/// </summary>
internal static class AsyncTemplateSamples
{
    public const string Name = "Robustness.AsyncTemplates";

    public const string Text = """
        using CoroutineGen;

        namespace Demo.Async;

        public static partial class Stages
        {
            [Coroutine]
            public static async Task Printer(Inbox<string> inbox, TextWriter output, IAsyncCoroutine<string> next)
            {
                try
                {
                    while (true)
                    {
                        var line = inbox.Receive();
                        await Task.Delay(1, inbox.CancellationToken);
                        if (line.Length > 0) await next.SendAsync(line, inbox.CancellationToken);
                        else output.WriteLine(await Task.FromResult(line) + inbox.Receive());
                    }
                }
                catch (GeneratorExitException)
                {
                    await output.WriteLineAsync("bye");
                }
                finally
                {
                    await next.CloseAsync();
                }
            }

            [Coroutine]
            public static async ValueTask<int> Count(Inbox<int, string> inbox, IAsyncEnumerable<string> items, IAsyncDisposable resource)
            {
                var n = 0;
                await using (resource)
                {
                    await foreach (var item in items)
                    {
                        if (inbox.Yield(item) < 0) return n;
                        n++;
                    }
                }

                await using var other = resource;
                return n + await Task.FromResult(inbox.Yield("end"));
            }

            [Coroutine(Prime = false)]
            internal static async Task<string> Join(Inbox<string> inbox, string separator = ", ")
            {
                var text = "";
                for (var line = inbox.Receive(); line.Length > 0; line = inbox.Receive())
                {
                    text += text.Length == 0 ? line : separator + line;
                    await Task.Yield();
                }

                return text;
            }
        }
        """;
}
