using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>CORO0003: Receive()/Yield() that cannot suspend the template. Reported on the call.</summary>
public class Coro0003SuspensionOutsideTemplateTests
{
    private const string Usings = "using System;\nusing System.Linq;\nusing System.Collections.Generic;\nusing CoroutineGen;\n";

    [Fact]
    public void Receive_in_a_lambda()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox)
                {
                    Func<string> next = () => {|CORO0003:inbox.Receive()|};
                    while (true) Console.WriteLine(inbox.Receive());
                }
            }
            """).Message();
        Assert.Contains("'Receive()'", message);
        Assert.Contains("inside a lambda", message);
        Assert.Contains("receive in the template body and pass the value in", message);
    }

    [Fact]
    public void YieldFrom_in_a_lambda_and_in_a_method_that_is_not_a_template()
    {
        var messages = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Sub(Inbox<string> inbox)
                {
                    while (true) Console.WriteLine(inbox.Receive());
                }

                [Coroutine]
                public static void Echo(Inbox<string> inbox)
                {
                    Action delegateLater = () => {|CORO0003:inbox.YieldFrom(Sub())|};
                    while (true) inbox.YieldFrom(Sub());
                }

                public static void NotATemplate(Inbox<string> inbox, ICoroutine<string> sub) => {|CORO0003:inbox.YieldFrom(sub)|};
            }
            """, allowUnsafe: false, usesFactories: true).Select(d => d.GetMessage()).ToList();
        Assert.Contains("'YieldFrom()'", messages[0]);
        Assert.Contains("inside a lambda", messages[0]);
        Assert.Contains("is not a [Coroutine] template", messages[1]);
    }

    [Fact]
    public void Receive_in_a_local_function()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox)
                {
                    while (true) Console.WriteLine(Next());
                    string Next() => {|CORO0003:inbox.Receive()|};
                }
            }
            """).Message();
        Assert.Contains("inside a local function", message);
    }

    [Fact]
    public void Receive_in_a_query_expression()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Add(Inbox<int> inbox, int[] values)
                {
                    var sums = from v in values select v + {|CORO0003:inbox.Receive()|};
                    while (true) Console.WriteLine(inbox.Receive());
                }
            }
            """);
    }

    [Fact]
    public void Yield_on_an_inbox_that_is_not_the_template_parameter()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                static Inbox<int, string> other = null!;

                [Coroutine]
                public static void Echo(Inbox<int, string> inbox)
                {
                    {|CORO0003:other.Yield("x")|};
                    while (true) inbox.Yield("y");
                }
            }
            """).Message();
        Assert.Contains("'Yield()'", message);
        Assert.Contains("not on the template's inbox parameter 'inbox'", message);
    }

    [Fact]
    public void Receive_in_a_method_that_is_not_a_template()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static class P
            {
                public static string Next(Inbox<string> inbox) => {|CORO0003:inbox.Receive()|};
            }
            """).Message();
        Assert.Contains("'Next' is not a [Coroutine] template", message);
    }

    [Fact]
    public void Receive_in_a_lambda_in_a_method_that_is_not_a_template()
    {
        DiagnosticAssert.Verify(Usings + """
            public static class P
            {
                public static Func<string> Next(Inbox<string> inbox) => () => {|CORO0003:inbox.Receive()|};
            }
            """);
    }

    [Fact]
    public void Not_reported_in_the_template_body_nor_for_other_methods_named_Receive()
    {
        DiagnosticAssert.Verify(Usings + """
            public sealed class Mailbox { public string Receive() => "m"; }
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox, Mailbox mailbox)
                {
                    Func<string> other = () => mailbox.Receive();
                    while (true)
                    {
                        var line = inbox.Receive();
                        if (line.Length > 0 && inbox.Receive() is { } second) Console.WriteLine(line + second + other());
                    }
                }
            }
            """);
    }
}
