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
}
