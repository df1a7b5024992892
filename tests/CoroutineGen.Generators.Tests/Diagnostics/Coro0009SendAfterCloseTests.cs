using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>
/// CORO0009 (warning): Send/Throw on a coroutine the same block closed (Close/Dispose), and SendAsync/ThrowAsync on an
/// async coroutine the same block closed (CloseAsync/DisposeAsync, awaited or not). Reported on the call.
/// </summary>
public class Coro0009SendAfterCloseTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    [Fact]
    public void Send_after_Close()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static class Driver
            {
                public static void Run(ICoroutine<string> target)
                {
                    target.Send("a");
                    target.Close();
                    {|CORO0009:target.Send("b")|};
                }
            }
            """);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostics[0].Severity);
        Assert.Equal("'target' was closed on line 8: this Send() will throw StopIterationException; send before closing it, or create a new coroutine", diagnostics.Message());
    }

    [Fact]
    public void Throw_after_Dispose_on_a_local_of_a_concrete_coroutine_type()
    {
        DiagnosticAssert.Verify(Usings + """
            public sealed class Printer : ICoroutine<string>
            {
                public CoroutineState State => CoroutineState.Suspended;
                public void Send(string value) { }
                public void Throw(Exception error) { }
                public void Close() { }
                public void Dispose() { }
            }
            public static class Driver
            {
                public static void Run()
                {
                    var printer = new Printer();
                    printer.Dispose();
                    {|CORO0009:printer.Throw(new InvalidOperationException())|};
                }
            }
            """);
    }

    [Fact]
    public void Throw_after_Dispose_through_the_interface_says_that_it_throws_its_exception()
    {
        // ICoroutine<T>.Dispose() is IDisposable's: the variable's type says that it closes a coroutine.
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static class Driver
            {
                public static void Run<T>(ICoroutine<string> target, T other) where T : ICoroutine<int>
                {
                    target.Dispose();
                    {|CORO0009:target.Throw(new InvalidOperationException())|};
                    other.Close();
                    {|CORO0009:other.Send(1)|};
                }
            }
            """);
        Assert.Equal(
            "'target' was closed on line 7: this Throw() will throw the exception it is given, without reaching the body; throw before closing it, or create a new coroutine",
            diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    private const string AsyncUsings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing CoroutineGen;\n";

    [Fact]
    public void SendAsync_after_an_awaited_CloseAsync()
    {
        var diagnostics = DiagnosticAssert.Verify(AsyncUsings + """
            public static class Driver
            {
                public static async Task Run(IAsyncCoroutine<string> q)
                {
                    await q.SendAsync("a");
                    await q.CloseAsync();
                    await {|CORO0009:q.SendAsync("x")|};
                }
            }
            """);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostics[0].Severity);
        Assert.Equal(
            "'q' was closed on line 10: this SendAsync() will fail with StopIterationException; send before closing it, or create a new coroutine",
            diagnostics.Message());
    }

    [Fact]
    public void Every_form_of_the_async_close_and_of_the_call_after_it()
    {
        // DisposeAsync() through the interface is IAsyncDisposable's; a close that is not awaited closes too (and is
        // CORO0012); ConfigureAwait around the close; a two-way coroutine; a type parameter.
        var diagnostics = DiagnosticAssert.Verify(AsyncUsings + """
            public static class Driver
            {
                public static async Task Run<T>(IAsyncCoroutine<string> a, IAsyncCoroutine<int, string> b, IAsyncCoroutine<string> c, T d, CancellationToken token)
                    where T : IAsyncCoroutine<int>
                {
                    await a.DisposeAsync();
                    await {|CORO0009:a.ThrowAsync(new InvalidOperationException(), token)|};
                    _ = {|CORO0012:b.CloseAsync()|};
                    var got = await {|CORO0009:b.SendAsync(1)|};
                    await c.CloseAsync(token).ConfigureAwait(false);
                    {|CORO0012:{|CORO0009:c.SendAsync("x")|}|};
                    {|CORO0012:d.DisposeAsync()|};
                    await {|CORO0009:d.SendAsync(2)|}.AsTask().ConfigureAwait(false);
                }
            }
            """);
        Assert.Equal(
            "'a' was closed on line 10: this ThrowAsync() will fail with the exception it is given, without reaching the body; throw before closing it, or create a new coroutine",
            diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SendAsync_after_CloseAsync_on_a_generated_async_coroutine()
    {
        DiagnosticAssert.Verify(AsyncUsings + """
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
                    await printer.SendAsync("a");
                    await printer.DisposeAsync();
                    await {|CORO0009:printer.SendAsync("b")|};
                }
            }
            """, false, true);
    }

    [Fact]
    public void Not_reported_for_async_calls_after_reassignment_nor_in_another_branch_nor_before_the_close()
    {
        DiagnosticAssert.Verify(AsyncUsings + """
            public static class Driver
            {
                public static async Task Run(IAsyncCoroutine<string> q, Func<IAsyncCoroutine<string>> create, bool flag)
                {
                    await q.SendAsync("a");
                    await q.CloseAsync();
                    q = create();
                    await q.SendAsync("b");
                    if (flag) await q.CloseAsync();
                    await q.SendAsync("c");
                    await q.CloseAsync();
                }
            }
            """);
    }

    [Fact]
    public void Not_reported_after_reassignment_nor_in_another_branch_nor_before_the_close()
    {
        DiagnosticAssert.Verify(Usings + """
            public static class Driver
            {
                public static void Run(ICoroutine<string> target, Func<ICoroutine<string>> create, bool flag)
                {
                    target.Send("a");
                    target.Close();
                    target = create();
                    target.Send("b");
                    if (flag) target.Close();
                    target.Send("c");
                }
            }
            """);
    }
}
