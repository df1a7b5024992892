using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>CORO0007 (warning): a catch (GeneratorExitException) that suspends again. Reported on 'catch'.</summary>
public class Coro0007GeneratorExitHandlerSuspendsTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    [Fact]
    public void A_handler_that_receives_is_reported_on_catch()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Stubborn(Inbox<string> inbox)
                {
                    while (true)
                    {
                        try { Console.WriteLine(inbox.Receive()); }
                        {|CORO0007:catch|} (GeneratorExitException) { Console.WriteLine("again: " + inbox.Receive()); }
                    }
                }
            }
            """);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostics[0].Severity);
        Assert.Equal(
            "This catch (GeneratorExitException) handler can suspend again: Close() will then throw 'coroutine ignored GeneratorExit'; clean up and finish instead",
            diagnostics.Message());
    }

    [Fact]
    public void In_an_async_template_the_message_names_CloseAsync()
    {
        // An async coroutine is closed with CloseAsync() (or DisposeAsync()), whose task fails: the message must not send
        // the reader looking for a Close() the coroutine does not have.
        var diagnostics = DiagnosticAssert.Verify("using System;\nusing System.Threading.Tasks;\nusing CoroutineGen;\n" + """
            public static partial class P
            {
                [Coroutine]
                public static async Task Stubborn(Inbox<string> inbox)
                {
                    while (true)
                    {
                        try { await Console.Out.WriteLineAsync(inbox.Receive()); }
                        {|CORO0007:catch|} (GeneratorExitException) { await Console.Out.WriteLineAsync("not leaving"); }
                    }
                }
            }
            """);
        Assert.Equal(
            "This catch (GeneratorExitException) handler can suspend again: CloseAsync() will then fail with 'coroutine ignored GeneratorExit'; clean up and finish instead",
            diagnostics.Message());
    }

    [Fact]
    public void A_handler_that_falls_back_into_the_loops_receive_is_reported()
    {
        // The Stubborn example of docs/semantics.md: the handler itself never suspends, but it ends, and the loop
        // brings the body back to Receive(), so Close() throws "coroutine ignored GeneratorExit".
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Stubborn(Inbox<string> inbox)
                {
                    while (true)
                    {
                        try { inbox.Receive(); }
                        {|CORO0007:catch|} (GeneratorExitException) { Console.WriteLine("not leaving"); }
                    }
                }

                [Coroutine]
                public static void StubbornLater(Inbox<string> inbox)
                {
                    try { inbox.Receive(); }
                    {|CORO0007:catch|} (GeneratorExitException) { }
                    Console.WriteLine("one more: " + inbox.Receive());
                }

                [Coroutine]
                public static void MaybeStubborn(Inbox<string> inbox, bool leave)
                {
                    while (true)
                    {
                        try { inbox.Receive(); }
                        {|CORO0007:catch|} (GeneratorExitException) { Console.WriteLine("closing"); }
                        if (leave) break;   // a path that does not leave still exists: "can suspend again"
                    }
                }
            }
            """);
    }

    [Fact]
    public void Not_reported_for_a_handler_that_leaves_the_loop_or_ends_the_body()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Breaks(Inbox<string> inbox)
                {
                    while (true)
                    {
                        try { inbox.Receive(); }
                        catch (GeneratorExitException) { Console.WriteLine("closing"); break; }
                    }
                    Console.WriteLine("done");
                }

                [Coroutine]
                public static void Returns(Inbox<string> inbox)
                {
                    while (true)
                    {
                        try { inbox.Receive(); }
                        catch (GeneratorExitException) { return; }
                    }
                }

                [Coroutine]
                public static void Rethrows(Inbox<string> inbox)
                {
                    while (true)
                    {
                        try { inbox.Receive(); }
                        catch (GeneratorExitException) { Console.WriteLine("closing"); throw; }
                    }
                }

                [Coroutine]
                public static void AroundTheLoop(Inbox<string> inbox)
                {
                    try
                    {
                        while (true) inbox.Receive();
                    }
                    catch (GeneratorExitException) { Console.WriteLine("closing"); }
                    Console.WriteLine("done");
                }
            }
            """);
    }

    [Fact]
    public void A_filtered_handler_with_a_variable_is_reported_too()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Stubborn(Inbox<string> inbox, bool stubborn)
                {
                    while (true)
                    {
                        try { Console.WriteLine(inbox.Receive()); }
                        {|CORO0007:catch|} (GeneratorExitException e) when (stubborn) { Console.WriteLine(e.Message + inbox.Receive()); }
                    }
                }
            }
            """);
    }

    [Fact]
    public void Not_reported_for_a_handler_that_cleans_up_nor_for_other_handlers_that_suspend()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Polite(Inbox<string> inbox)
                {
                    try
                    {
                        while (true)
                        {
                            try { Console.WriteLine(inbox.Receive()); }
                            catch (FormatException) { Console.WriteLine("bad: " + inbox.Receive()); }
                        }
                    }
                    catch (GeneratorExitException) { Console.WriteLine("bye"); }
                }
            }
            """);
    }
}
