using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>
/// CORO0012 (warning): the task of an async coroutine's SendAsync, ThrowAsync, CloseAsync or DisposeAsync dropped (an
/// expression statement, or assigned to '_'), in any method. Reported on the call; in a synchronous template the
/// message says to make the template async.
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
}
