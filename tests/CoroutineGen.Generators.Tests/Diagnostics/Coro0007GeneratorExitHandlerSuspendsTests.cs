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
        Assert.Contains("'coroutine ignored GeneratorExit'", diagnostics.Message());
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
