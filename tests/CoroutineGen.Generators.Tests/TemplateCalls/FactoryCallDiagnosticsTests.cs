using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.TemplateCalls;

/// <summary>
/// Calls of templates' factories from a template (Parsing/FactoryCalls.cs). A call that cannot be typed is CORO0004 on
/// the call, in the analyzer with and without the generated code; a call the generator can type gets no diagnostic,
/// not even when the callee has errors of its own (those are reported on the callee).
/// </summary>
public class FactoryCallDiagnosticsTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    [Fact]
    public void A_call_to_a_template_whose_signature_is_invalid_cannot_be_typed()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Bad(Inbox<int> inbox, {|CORO0002:ref int total|})
                {
                    while (true) total += inbox.Receive();
                }

                [Coroutine]
                public static void Caller(Inbox<int> inbox)
                {
                    int sum = 0;
                    var bad = {|CORO0004:Bad(ref sum)|};
                    while (true) bad.Send(inbox.Receive());
                }
            }
            """, allowUnsafe: false, "CS0815", "CS7036");
        var message = diagnostics.Single(d => d.Id == "CORO0004").GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("creates the coroutine of the template 'P.Bad', whose signature is invalid", message);
        Assert.Contains("fix the errors reported on 'Bad'", message);
    }

    [Fact]
    public void A_call_that_binds_to_the_template_itself()
    {
        // Inbox<object?> is a better match for null than the factory's object?: even with the generated code, the call
        // binds to the template, which would throw at run time.
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Tagged(Inbox<object?> inbox, object? tag = null)
                {
                    while (true) Console.WriteLine($"{tag}: {inbox.Receive()}");
                }

                [Coroutine]
                public static void Caller(Inbox<int> inbox)
                {
                    {|CORO0004:Tagged(null)|};
                    while (true) inbox.Receive();
                }
            }
            """).Message();
        Assert.Contains("this call binds to the template 'P.Tagged' itself", message);
        Assert.Contains("'Tagged(object?)'", message);
    }

    [Fact]
    public void A_call_to_a_template_whose_body_is_invalid_is_reported_on_that_template_only()
    {
        // Bad's factory is not generated, so the compiler reports the call (CS7036); the caller itself is fine.
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                private static readonly object Gate = new();

                [Coroutine]
                public static void Bad(Inbox<int> inbox)
                {
                    lock (Gate) { Console.WriteLine({|CORO0004:inbox.Receive()|}); }
                }

                [Coroutine]
                public static void Caller(Inbox<int> inbox)
                {
                    var bad = Bad();
                    while (true) bad.Send(inbox.Receive());
                }
            }
            """, allowUnsafe: false, "CS0815", "CS7036");
    }

    [Fact]
    public void Recursion_is_not_an_escaping_inbox()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Nest(Inbox<int> inbox, int depth)
                {
                    var child = depth > 0 ? Nest(depth - 1) : null;
                    while (true)
                    {
                        var value = inbox.Receive();
                        child?.Send(value);
                    }
                }
            }
            """, allowUnsafe: false, usesFactories: true);
    }
}
