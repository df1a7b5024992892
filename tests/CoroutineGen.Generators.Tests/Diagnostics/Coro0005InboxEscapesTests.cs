using Microsoft.CodeAnalysis;
using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>CORO0005: the inbox used as anything but the receiver of Receive()/Yield(). Reported on the use.</summary>
public class Coro0005InboxEscapesTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    [Fact]
    public void Passed_as_an_argument()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                static void Use(object o) { }

                [Coroutine]
                public static void Echo(Inbox<string> inbox)
                {
                    Use({|CORO0005:inbox|});
                    while (true) Console.WriteLine(inbox.Receive());
                }
            }
            """).Message();
        Assert.Contains("The inbox 'inbox' escapes the template: it is passed as an argument", message);
        Assert.Contains("only call Receive() or Yield() on it", message);
    }

    [Fact]
    public void Stored_in_a_local_and_in_a_field()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                static object? saved;

                [Coroutine]
                public static void Echo(Inbox<string> inbox)
                {
                    var alias = {|CORO0005:inbox|};
                    saved = {|CORO0005:inbox|};
                    while (true) Console.WriteLine(inbox.Receive());
                }
            }
            """);
        Assert.All(diagnostics, d => Assert.Contains("it is stored", d.GetMessage()));
    }

    [Fact]
    public void Captured_by_a_lambda()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox)
                {
                    Func<object> get = () => {|CORO0005:inbox|};
                    while (true) Console.WriteLine(inbox.Receive());
                }
            }
            """).Message();
        Assert.Contains("captured by a lambda or local function", message);
    }

    [Fact]
    public void Compared_and_returned()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static object Echo(Inbox<string> inbox)
                {
                    if ({|CORO0005:inbox|} == null) return 0;
                    Console.WriteLine(inbox.Receive());
                    return {|CORO0005:inbox|};
                }
            }
            """);
    }

    [Fact]
    public void Not_reported_for_receive_yield_and_nameof()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string, int> inbox)
                {
                    Console.WriteLine(nameof(inbox));
                    while (true) Console.WriteLine(inbox.Yield(1));
                }
            }
            """);
    }

    // A Receive()/Yield() that does not bind is the compiler's error (CS1061); the inbox does not escape through it.
    [Theory]
    [InlineData("Inbox<string>", "inbox.Recieve()")]
    [InlineData("Inbox<string>", "inbox.Yield(\"x\")")]
    [InlineData("Inbox<string, int>", "inbox.Recieve()")]
    [InlineData("Inbox<string, int>", "inbox.Yeild(1)")]
    public void Not_reported_for_a_suspension_call_that_does_not_bind(string inboxType, string call)
    {
        var receive = inboxType == "Inbox<string>" ? "inbox.Receive()" : "inbox.Yield(1)";
        DiagnosticAssert.Verify(Usings + $$"""
            public static partial class P
            {
                [Coroutine]
                public static void Echo({{inboxType}} inbox)
                {
                    Console.WriteLine({{call}});
                    while (true) Console.WriteLine({{receive}});
                }
            }
            """, false, "CS1061");
    }

    // The template is still generated (so that its callers bind), and the generated code adds no error of its own:
    // it once copied the inbox as a name the generated class does not have ("CS0103: The name 'inbox' does not exist",
    // mapped to the template's line, beside the real CS1061), found by a user who called Yield on a one-way inbox.
    [Theory]
    [InlineData("while (true) inbox.Yield(inbox.Receive());")]
    [InlineData("while (true) Console.WriteLine(inbox.Recieve());")]
    [InlineData("Console.WriteLine(inbox.Recieve()); while (true) Console.WriteLine(inbox.Receive());")]
    public void The_generated_code_adds_no_error_to_a_member_that_does_not_bind(string body)
    {
        var run = GeneratorHarness.Run(Usings + $$"""
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<int> inbox)
                {
                    {{body}}
                }

                public static void Caller() => Echo().Close();
            }
            """);

        Assert.Single(run.GeneratedSources);
        var errors = run.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.True(e.Id == "CS1061", e.ToString()));
    }

    // Nor "never suspends" (CORO0006) when the only suspension call is the one that does not bind.
    [Fact]
    public void Not_reported_when_the_only_receive_is_misspelled()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox)
                {
                    while (true) Console.WriteLine(inbox.Recieve());
                }
            }
            """, false, "CS1061");
    }

    // A member of the inbox that binds is a use of the inbox as a value.
    [Fact]
    public void Reported_for_a_member_that_binds()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox)
                {
                    Console.WriteLine({|CORO0005:inbox|}.GetHashCode());
                    while (true) Console.WriteLine(inbox.Receive());
                }
            }
            """).Message();
        Assert.Contains("it is used as a value", message);
    }
}
