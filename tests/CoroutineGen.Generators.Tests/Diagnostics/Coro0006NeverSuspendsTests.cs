using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>CORO0006 (warning): a template without a suspension point. Reported on the template's name.</summary>
public class Coro0006NeverSuspendsTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    [Fact]
    public void A_template_without_receive_is_reported_and_still_generated()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void {|CORO0006:Hello|}(Inbox<string> inbox) { Console.WriteLine("hello"); }
            }
            """);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostics[0].Severity);
        Assert.Contains("never suspends", diagnostics.Message());
        Assert.Contains("call inbox.Receive() where it should wait for a value, or remove [Coroutine]", diagnostics.Message());
    }

    [Fact]
    public void An_unprimed_template_is_told_that_its_first_send_runs_it()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine(Prime = false)]
                public static void {|CORO0006:Hello|}(Inbox<string?> inbox) { Console.WriteLine("hello"); }
            }
            """);
        Assert.Contains("it runs to completion when Send(default) starts it", diagnostics.Message());
        Assert.DoesNotContain("primes", diagnostics.Message());
    }

    [Fact]
    public void Not_reported_for_a_template_that_returns_a_value_a_subroutine_for_YieldFrom()
    {
        // Python needs a dead `yield` to make such a function a generator; YieldFrom gets its result either way.
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static int Add(Inbox<int> inbox, int x, int y) => x + y;

                [Coroutine(Prime = false)]
                public static int Lazy(Inbox<int> inbox, int x) { return x; }
            }
            """);
    }

    [Fact]
    public void A_receive_only_in_a_lambda_is_an_error_not_this_warning()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Hello(Inbox<string> inbox) { Func<string> f = () => {|CORO0003:inbox.Receive()|}; }
            }
            """);
    }

    [Fact]
    public void Not_reported_when_some_path_suspends()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static int Once(Inbox<int> inbox, bool wait) => wait ? inbox.Receive() : 0;
            }
            """);
    }
}
