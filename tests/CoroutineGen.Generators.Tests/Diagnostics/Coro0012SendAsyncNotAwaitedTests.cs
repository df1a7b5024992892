using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>
/// CORO0012 (warning): the task of an async coroutine's SendAsync, ThrowAsync, CloseAsync or DisposeAsync dropped (an
/// expression statement, or assigned to '_'), in any method. Reported on the call; in a synchronous template the
/// message says to make the template async. The same for the task of an async template's factory (any call returning
/// a task of an async coroutine), and a member of the coroutine used on such a task (the compiler's CS1061), reported
/// on the task.
/// </summary>
public class Coro0012SendAsyncNotAwaitedTests
{
    private const string Usings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing CoroutineGen;\n";

    [Fact]
    public void Every_call_whose_task_is_dropped_in_a_synchronous_method()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static class Driver
            {
                public static void Run(IAsyncCoroutine<string> target, IAsyncCoroutine<string>? maybe, CancellationToken token)
                {
                    {|CORO0012:target.SendAsync("a", token)|};
                    _ = {|CORO0012:target.ThrowAsync(new InvalidOperationException())|};
                    {|CORO0012:maybe?.SendAsync("b")|};
                    {|CORO0012:target.CloseAsync()|};
                    {|CORO0012:target.DisposeAsync()|};
                }
            }
            """);
        Assert.All(diagnostics, d => Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal(
            "The task that 'SendAsync()' returns is discarded: its errors are lost, and the next call may start before this one has finished and fail with 'coroutine is already running'; await it (in an async method), or keep the task and await it before the next call",
            diagnostics[0].GetMessage());
        Assert.Contains("The task that 'ThrowAsync()' returns is discarded", diagnostics[1].GetMessage());
        Assert.Contains("The task that 'DisposeAsync()' returns is discarded", diagnostics[4].GetMessage());
    }

    [Fact]
    public void In_an_async_method_or_lambda_the_message_says_await_it()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static class Driver
            {
                public static async Task Run(IAsyncCoroutine<int, string> target)
                {
                    {|CORO0012:target.SendAsync(1)|};
                    Func<Task> later = async () => { _ = {|CORO0012:target.CloseAsync()|}; await Task.Yield(); };
                    await later();
                }
            }
            """);
        Assert.All(diagnostics, d => Assert.EndsWith("'coroutine is already running'; await it", d.GetMessage()));
    }

    [Fact]
    public void In_a_synchronous_template_the_message_says_to_make_it_async()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class Stages
            {
                [Coroutine]
                public static void Forward(Inbox<string> inbox, IAsyncCoroutine<string> target)
                {
                    while (true) {|CORO0012:target.SendAsync(inbox.Receive())|};
                }
            }
            """).Message();
        Assert.EndsWith("'Forward' is a synchronous template, which cannot await: make it an async template ('async Task') and await the call", message);
    }

    [Fact]
    public void In_an_async_template_and_in_a_lambda_of_a_synchronous_one()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static partial class Stages
            {
                [Coroutine]
                public static async Task Forward(Inbox<string> inbox, IAsyncCoroutine<string> target)
                {
                    await Task.Yield();
                    while (true) {|CORO0012:target.SendAsync(inbox.Receive())|};
                }

                [Coroutine]
                public static void Later(Inbox<string> inbox, IAsyncCoroutine<string> target, Action<Action> schedule)
                {
                    while (true)
                    {
                        var line = inbox.Receive();
                        schedule(() => {|CORO0012:target.SendAsync(line)|});
                    }
                }
            }
            """);
        Assert.EndsWith("; await it", diagnostics[0].GetMessage());
        Assert.EndsWith("; await it (in an async method), or keep the task and await it before the next call", diagnostics[1].GetMessage());
    }

    [Fact]
    public void On_a_generated_async_coroutine()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class Stages
            {
                [Coroutine]
                public static async Task Printer(Inbox<string> inbox) { while (true) { var line = inbox.Receive(); await Console.Out.WriteLineAsync(line); } }
            }

            public static class Driver
            {
                public static async Task Run()
                {
                    var printer = await Stages.Printer();
                    {|CORO0012:printer.SendAsync("a")|};
                    await printer.SendAsync("b");
                    await printer.CloseAsync();
                }
            }
            """, false, true);
    }

    [Fact]
    public void On_a_class_that_implements_the_interface_and_through_a_type_parameter()
    {
        DiagnosticAssert.Verify(Usings + """
            public sealed class Sink : IAsyncCoroutine<int>
            {
                public CoroutineState State => CoroutineState.Suspended;
                public ValueTask SendAsync(int value, CancellationToken cancellationToken = default) => default;
                public ValueTask ThrowAsync(Exception exception, CancellationToken cancellationToken = default) => default;
                public ValueTask CloseAsync(CancellationToken cancellationToken = default) => default;
                public ValueTask DisposeAsync() => CloseAsync();
            }

            public static class Driver
            {
                public static void Run<T>(Sink sink, T target) where T : IAsyncCoroutine<int>
                {
                    {|CORO0012:sink.SendAsync(1)|};
                    {|CORO0012:target.SendAsync(2)|};
                    {|CORO0012:target.DisposeAsync()|};
                }
            }
            """);
    }

    [Fact]
    public void Not_reported_when_the_task_is_used()
    {
        DiagnosticAssert.Verify(Usings + """
            public static class Driver
            {
                public static async Task Run(IAsyncCoroutine<string> target, ICoroutine<string> synchronous, IAsyncDisposable resource)
                {
                    await target.SendAsync("a");
                    var pending = target.SendAsync("b");
                    await pending;
                    await Task.WhenAll(target.ThrowAsync(new Exception()).AsTask());
                    Func<ValueTask> later = () => target.CloseAsync();
                    await later();
                    await using (target) { }
                    synchronous.Send("c");
                    resource.DisposeAsync();
                }

                public static ValueTask Forward(IAsyncCoroutine<string> target, string value) => target.SendAsync(value);
            }
            """);
    }

    [Fact]
    public void Not_reported_for_methods_of_other_types_with_the_same_names()
    {
        DiagnosticAssert.Verify(Usings + """
            public sealed class Mailbox
            {
                public ValueTask SendAsync(string value) => default;
                public ValueTask CloseAsync() => default;
            }

            public static class Driver
            {
                public static void Run(Mailbox mailbox)
                {
                    mailbox.SendAsync("a");
                    _ = mailbox.CloseAsync();
                }
            }
            """);
    }
    // ---- the factory's task ----

    private const string AsyncTemplates = """
        public static partial class Stages
        {
            [Coroutine]
            public static async Task Printer(Inbox<string> inbox) { while (true) { var line = inbox.Receive(); await Console.Out.WriteLineAsync(line); } }

            [Coroutine(Prime = false)]
            public static async Task Lazy(Inbox<string> inbox) { while (true) { var line = inbox.Receive(); await Console.Out.WriteLineAsync(line); } }
        }

        """;

    [Fact]
    public void The_dropped_task_of_an_async_templates_factory()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + AsyncTemplates + """
            public static class Driver
            {
                public static async Task Run()
                {
                    {|CORO0012:Stages.Printer()|};
                    _ = {|CORO0012:Stages.Printer()|};
                    await using var kept = await Stages.Printer();
                    var pending = Stages.Printer();
                    await using var later = await pending;
                    Stages.Lazy();   // unprimed: the factory returns the coroutine itself, and nothing has run yet
                }

                public static void RunSync() => {|CORO0012:Stages.Printer()|};
            }
            """, false, true);
        Assert.Equal(
            "The task that 'Printer()' returns is discarded: the coroutine it creates is primed and never closed (its 'finally' blocks and 'catch (GeneratorExitException)' never run), and an error while priming is lost; await it and keep the coroutine, to close it when done ('await using var c = await Printer(...);')",
            diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("; await it (in an async method) and keep the coroutine, to close it when done", diagnostics[2].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(diagnostics, d => Assert.Equal(SendAsyncNotAwaited.DroppedFactoryTask, d.Properties[SendAsyncNotAwaited.KindProperty]));
    }

    [Fact]
    public void The_dropped_task_of_a_factory_in_a_synchronous_template_and_of_a_method_that_returns_one()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + AsyncTemplates + """
            public static partial class Starters
            {
                [Coroutine]
                public static void Starter(Inbox<string> inbox)
                {
                    while (true)
                    {
                        inbox.Receive();
                        {|CORO0012:Stages.Printer()|};
                    }
                }

                public static Task<Stages.PrinterCoroutine> Make() => Stages.Printer().AsTask();

                public static void Run() => _ = {|CORO0012:Make()|};
            }
            """, false, true);
        Assert.EndsWith(
            "; 'Starter' is a synchronous template, which cannot await: make it an async template ('async Task'), await the call and keep the coroutine, to close it when done",
            diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("The task that 'Make()' returns is discarded: the coroutine it creates", diagnostics[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    private const string HandWrittenFactory = """
        public sealed class Sink : IAsyncCoroutine<int>
        {
            public CoroutineState State => CoroutineState.Suspended;
            public ValueTask SendAsync(int value, CancellationToken cancellationToken = default) => default;
            public ValueTask ThrowAsync(Exception exception, CancellationToken cancellationToken = default) => default;
            public ValueTask CloseAsync(CancellationToken cancellationToken = default) => default;
            public ValueTask DisposeAsync() => CloseAsync();
        }

        public static class Factory
        {
            public static async ValueTask<Sink> Make() { await Task.Yield(); return new Sink(); }
        }

        """;

    [Fact]
    public void A_member_of_the_coroutine_used_on_the_task_is_reported_on_the_task_next_to_the_compilers_CS1061()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + HandWrittenFactory + """
            public static class Driver
            {
                public static async Task Run()
                {
                    await {|CORO0012:Factory.Make()|}.SendAsync(1);
                    var pending = Factory.Make();
                    Console.WriteLine({|CORO0012:pending|}.State);
                    await {|CORO0012:pending|}.CloseAsync(CancellationToken.None);
                    await pending.AsTask();                           // a member of the task: fine
                    Console.WriteLine(pending.Nothing);               // a member of neither: the compiler's error alone
                    await pending.ConfigureAwait();                   // the task's member, badly called: the compiler's error alone
                }
            }
            """, false, "CS1061", "CS7036");
        Assert.Equal(
            "This ValueTask<Sink> is not the coroutine: 'SendAsync' is a member of 'Sink', which the task completes with (the compiler's 'are you missing a using directive' does not apply); await the task first and keep the coroutine, to close it when done ('await using var c = await ...;')",
            diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(SendAsyncNotAwaited.TaskUsedAsCoroutine, d.Properties[SendAsyncNotAwaited.KindProperty]));
    }

    [Fact]
    public void A_member_of_a_generated_coroutine_used_on_its_factorys_task()
    {
        // DiagnosticAssert wants generated code that compiles; the user's code here does not, so the analyzer is run
        // directly on the compilation with the generated factory (as the IDE and the build see it).
        var source = Usings + AsyncTemplates + """
            public static class Driver
            {
                public static async Task Run() => await Stages.Printer().SendAsync("x");
            }
            """;
        var generated = TestCompilation.Generate(TestCompilation.Create(source)).Compilation;
        Assert.Contains(generated.GetDiagnostics(), d => d.Id == "CS1061");
        var diagnostic = Assert.Single(TestCompilation.Analyze(generated));
        Assert.Equal("CORO0012", diagnostic.Id);
        Assert.Equal("Stages.Printer()", diagnostic.Location.SourceTree!.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.StartsWith(
            "This ValueTask<Stages.PrinterCoroutine> is not the coroutine: 'SendAsync' is a member of 'Stages.PrinterCoroutine'",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Not_reported_for_a_factory_task_that_is_used()
    {
        DiagnosticAssert.Verify(Usings + HandWrittenFactory + """
            public static class Driver
            {
                public static async Task<Sink> Run(Func<ValueTask<Sink>> make)
                {
                    await using (var sink = await Factory.Make()) { await sink.SendAsync(1); }
                    var pending = Factory.Make();
                    var tasks = new[] { Factory.Make().AsTask(), make().AsTask() };
                    await Task.WhenAll(tasks);
                    Func<ValueTask<Sink>> later = () => Factory.Make();
                    return await pending;
                }

                public static ValueTask<Sink> Forward() => Factory.Make();
            }
            """);
    }
}
