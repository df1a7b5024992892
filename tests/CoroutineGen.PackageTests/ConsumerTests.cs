using CoroutineGen.PackageTests.Infrastructure;

namespace CoroutineGen.PackageTests;

/// <summary>
/// A user's view of the package: a fresh console project references it from a local feed, and `dotnet build` /
/// `dotnet run` show that the generator runs, the runtime is there, and the analyzers report errors.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ConsumerTests(PackageFixture package, ITestOutputHelper log)
{
    private const string Pipelines = """
        using CoroutineGen;

        namespace PipelineApp;

        public static partial class LogPipelines
        {
            [Coroutine]
            public static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
            {
                Console.WriteLine($"Looking for {pattern}");
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

        """;

    private const string PipelineProgram = """
        using CoroutineGen;
        using PipelineApp;

        string[] log =
        [
            "python is fun",
            "ruby is fun too",
            "I said python",
            "nothing here",
        ];

        var printer = LogPipelines.Printer(Console.Out);
        long sent = Sources.FromEnumerable(log, LogPipelines.Grep("python", printer));
        Console.WriteLine($"sent {sent}");
        printer.Close();
        Console.WriteLine($"printer {printer.State}");

        """;

    private const string Tasks = """
        using CoroutineGen;

        namespace TaskApp;

        public static partial class Tasks
        {
            // A task the scheduler starts: the factory runs nothing of it.
            [Coroutine(Prime = false)]
            public static int Counter(Inbox<string?> inbox, string name, int stop)
            {
                Console.WriteLine($"{name} starts");
                int count = 0;
                while (count < stop)
                {
                    Console.WriteLine($"{name} got {inbox.Receive()}");
                    count++;
                }

                return count;
            }

            // A template that creates coroutines of another template and drives them.
            [Coroutine]
            public static void Spawner(Inbox<string> inbox, List<ICoroutine<string?>> spawned)
            {
                while (true)
                {
                    var name = inbox.Receive();
                    var task = Counter(name, 2);
                    task.Send(null);
                    spawned.Add(task);
                }
            }

            // A template that delegates (Python's yield from): what it is sent goes to the counter until it returns.
            [Coroutine]
            public static void Supervisor(Inbox<string?> inbox)
            {
                while (true)
                {
                    var counted = inbox.YieldFrom(Counter("c", 2));
                    Console.WriteLine($"c counted {counted}");
                }
            }
        }

        """;

    private const string TasksProgram = """
        using CoroutineGen;
        using TaskApp;

        var spawned = new List<ICoroutine<string?>>();
        var spawner = Tasks.Spawner(spawned);
        spawner.Send("a");
        spawner.Send("b");
        spawner.Close();
        foreach (var task in spawned)
        {
            try
            {
                for (int i = 0; ; i++) task.Send($"item {i}");
            }
            catch (StopIterationException)
            {
                Console.WriteLine($"returned {((ICoroutineResult<int>)task).Result}, {task.State}");
            }
        }

        var supervisor = Tasks.Supervisor();
        supervisor.Send("x");
        supervisor.Send("y");
        supervisor.Close();
        Console.WriteLine($"supervisor {supervisor.State}");

        """;

    private const string AsyncStages = """
        using CoroutineGen;

        namespace AsyncApp;

        public static partial class AsyncStages
        {
            // An async template: it awaits between receives, and its GeneratorExit handler and finally await too.
            [Coroutine]
            public static async Task Printer(Inbox<string> inbox, TextWriter output)
            {
                try
                {
                    while (true)
                    {
                        var line = inbox.Receive();
                        await Task.Yield();
                        await output.WriteLineAsync(line.AsMemory(), inbox.CancellationToken);
                    }
                }
                catch (GeneratorExitException)
                {
                    await Task.Yield();
                    await output.WriteLineAsync("Going away. Goodbye");
                }
                finally
                {
                    await output.FlushAsync();
                }
            }

            // An async filter that creates and owns its printer (a template calling an async template's factory).
            [Coroutine]
            public static async Task<int> Grep(Inbox<string> inbox, string pattern, TextWriter output)
            {
                await using var printer = await Printer(output);
                int matched = 0;
                while (true)
                {
                    string line = inbox.Receive();
                    if (line == "stop") return matched;
                    if (line.Contains(pattern))
                    {
                        matched++;
                        await printer.SendAsync(line, inbox.CancellationToken);
                    }
                }
            }
        }

        """;

    private const string AsyncProgram = """
        using CoroutineGen;
        using AsyncApp;

        var grep = await AsyncStages.Grep("python", Console.Out);
        foreach (var line in new[] { "python is fun", "ruby is fun too", "I said python", "stop" })
        {
            try
            {
                await grep.SendAsync(line);
            }
            catch (StopIterationException stop)
            {
                Console.WriteLine($"matched {stop.Value}, result {grep.Result}, {grep.State}");
            }
        }

        """;

    [Fact]
    public void An_async_template_builds_without_warnings_and_runs()
    {
        var consumer = ConsumerProject.Create(package, "AsyncApp",
            new Dictionary<string, string> { ["AsyncStages.cs"] = AsyncStages, ["Program.cs"] = AsyncProgram },
            extraProperties: "<TreatWarningsAsErrors>true</TreatWarningsAsErrors>");

        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, build.Describe("The consumer project did not build."));
        var run = consumer.Run();
        Assert.True(run.ExitCode == 0, run.Describe("The consumer program failed."));
        Assert.Equal(
            """
            python is fun
            I said python
            Going away. Goodbye
            matched 2, result 2, Closed

            """.ReplaceLineEndings("\n"),
            run.StandardOutput.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Unprimed_tasks_delegation_and_templates_that_create_coroutines_build_without_warnings_and_run()
    {
        var consumer = ConsumerProject.Create(package, "TaskApp",
            new Dictionary<string, string> { ["Tasks.cs"] = Tasks, ["Program.cs"] = TasksProgram },
            extraProperties: "<TreatWarningsAsErrors>true</TreatWarningsAsErrors>");

        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, build.Describe("The consumer project did not build."));
        var run = consumer.Run();
        Assert.True(run.ExitCode == 0, run.Describe("The consumer program failed."));
        Assert.Equal(
            """
            a starts
            b starts
            a got item 0
            a got item 1
            returned 2, Closed
            b got item 0
            b got item 1
            returned 2, Closed
            c starts
            c got x
            c got y
            c counted 2
            c starts
            supervisor Closed

            """.ReplaceLineEndings("\n"),
            run.StandardOutput.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_pipeline_of_coroutines_builds_without_warnings_and_runs()
    {
        // TreatWarningsAsErrors: the generated code must also be warning-free in a user's nullable-enabled project.
        var consumer = ConsumerProject.Create(package, "PipelineApp",
            new Dictionary<string, string> { ["LogPipelines.cs"] = Pipelines, ["Program.cs"] = PipelineProgram },
            extraProperties: "<TreatWarningsAsErrors>true</TreatWarningsAsErrors><EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>");

        var build = consumer.Build();
        log.WriteLine($"consumer build: {build.Duration.TotalSeconds:F1} s");
        Assert.True(build.ExitCode == 0, build.Describe("The consumer project did not build."));
        Assert.True(Directory.Exists(Path.Combine(consumer.PackagesFolder, "coroutinegen", package.Version.ToLowerInvariant())),
            $"The consumer did not restore CoroutineGen {package.Version} into its own packages folder {consumer.PackagesFolder}.\n{build.Output}");

        // The README's offline diagnostic pages: ~/.nuget/packages/coroutinegen/<version>/docs/diagnostics/, here
        // under the consumer's own packages folder (NUGET_PACKAGES).
        var pages = Path.Combine(consumer.PackagesFolder, "coroutinegen", package.Version.ToLowerInvariant(), "docs", "diagnostics");
        var restoredPages = Directory.Exists(pages) ? Directory.GetFiles(pages).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray() : [];
        Assert.True(restoredPages.SequenceEqual(Repository.DiagnosticPages),
            $"Expected the diagnostic pages [{string.Join(", ", Repository.DiagnosticPages)}] in {pages} after restore, found: [{string.Join(", ", restoredPages)}].");

        // The README's "See the generated code" names this folder and these file names.
        var generated = Directory.Exists(consumer.GeneratedFilesFolder)
            ? Directory.GetFiles(consumer.GeneratedFilesFolder).Select(Path.GetFileName).Order().ToArray()
            : [];
        Assert.True(generated.SequenceEqual(["PipelineApp.LogPipelines.Grep.g.cs", "PipelineApp.LogPipelines.Printer.g.cs"]),
            $"Expected the generator's files in {consumer.GeneratedFilesFolder}, found: [{string.Join(", ", generated)}].");

        var run = consumer.Run();
        log.WriteLine($"consumer run: {run.Duration.TotalSeconds:F1} s");
        Assert.True(run.ExitCode == 0, run.Describe("The consumer program failed."));
        Assert.Equal(
            """
            Looking for python
            python is fun
            I said python
            sent 4
            Going away. Goodbye
            printer Closed

            """.ReplaceLineEndings("\n"),
            run.StandardOutput.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Broken_templates_fail_the_build_with_CORO_errors()
    {
        const string notPartial = """
            using CoroutineGen;

            namespace BrokenApp;

            public static class NotPartial
            {
                [Coroutine]
                public static void Printer(Inbox<string> inbox, TextWriter output)
                {
                    while (true) output.WriteLine(inbox.Receive());
                }
            }

            """;
        const string receiveInLambda = """
            using CoroutineGen;

            namespace BrokenApp;

            public static partial class ReceiveInLambda
            {
                [Coroutine]
                public static void Forward(Inbox<int> inbox, ICoroutine<int> target)
                {
                    while (true)
                    {
                        Func<int> next = () => inbox.Receive();
                        target.Send(next());
                    }
                }
            }

            """;
        // The compiler's SARIF log records each rule's help link, as the IDE gets it.
        var consumer = ConsumerProject.Create(package, "BrokenApp", new Dictionary<string, string>
        {
            ["NotPartial.cs"] = notPartial,
            ["ReceiveInLambda.cs"] = receiveInLambda,
            ["Program.cs"] = "System.Console.WriteLine(\"never built\");\n",
        }, extraProperties: "<ErrorLog>diagnostics.sarif,version=2.1</ErrorLog>");

        var build = consumer.Build();
        log.WriteLine($"broken consumer build: {build.Duration.TotalSeconds:F1} s");
        Assert.True(build.ExitCode != 0, build.Describe("The build of a project with invalid templates succeeded; it must fail."));
        AssertReported(build, "NotPartial.cs", "error CORO0001");
        AssertReported(build, "ReceiveInLambda.cs", "error CORO0003");

        // The help links of the shipped analyzers: RepositoryUrl (Directory.Build.props) + /blob/main/docs/diagnostics/<id>.md.
        var sarifPath = Path.Combine(consumer.Directory, "diagnostics.sarif");
        Assert.True(File.Exists(sarifPath), build.Describe($"The compiler wrote no SARIF log to {sarifPath}."));
        using var sarif = System.Text.Json.JsonDocument.Parse(File.ReadAllText(sarifPath));
        var helpLinks = sarif.RootElement.GetProperty("runs").EnumerateArray()
            .SelectMany(run => run.GetProperty("tool").GetProperty("driver").TryGetProperty("rules", out var rules) ? rules.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>())
            .Where(rule => rule.GetProperty("id").GetString()!.StartsWith("CORO", StringComparison.Ordinal))
            .ToDictionary(rule => rule.GetProperty("id").GetString()!, rule => rule.TryGetProperty("helpUri", out var uri) ? uri.GetString() : null);
        foreach (var id in new[] { "CORO0001", "CORO0003" })
        {
            Assert.True(helpLinks.TryGetValue(id, out var helpLink), $"No {id} rule in the SARIF log; it has: {string.Join(", ", helpLinks.Keys)}.");
            Assert.Equal($"{Repository.RepositoryUrl}/blob/main/docs/diagnostics/{id}.md", helpLink);
        }
    }

    /// <summary>A line of the build output that names the user's file and the diagnostic.</summary>
    private static void AssertReported(ProcessResult build, string file, string diagnostic)
    {
        var lines = build.Output.Split('\n');
        Assert.True(lines.Any(line => line.Contains(file, StringComparison.Ordinal) && line.Contains(diagnostic, StringComparison.Ordinal)),
            build.Describe($"Expected a line with both '{file}' and '{diagnostic}' in the build output."));
    }
}
