using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>
/// CORO0011 (error): a call that binds to a template instead of its factory. Reported on the called name: for a
/// call that passes an inbox, and for a call whose factory is missing because the template has an error (then it
/// names that error, beside the compiler's own CS7036/CS1501 about the template's parameters).
/// </summary>
public class Coro0011TemplateCalledTests
{
    private const string Usings = "using System;\nusing System.IO;\nusing CoroutineGen;\n";

    private const string Printer = """
            [Coroutine]
            public static void Printer(Inbox<string> inbox, TextWriter output)
            {
                while (true) output.WriteLine(inbox.Receive());
            }
        """;

    [Fact]
    public void A_call_that_passes_an_inbox_binds_to_the_template()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
            """ + Printer + """

                public static void Use() => P.{|CORO0011:Printer|}(null!, Console.Out);
            }
            """, allowUnsafe: false, usesFactories: true).Message();
        Assert.Contains("binds to the coroutine template 'Printer', not to its factory", message);
        Assert.Contains("call the factory, the same call without the inbox argument", message);
    }

    [Fact]
    public void A_call_whose_factory_is_missing_names_the_templates_error()
    {
        // The template's type is not partial (CORO0001): no factory, so the call binds to the template (CS7036).
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static class {|CORO0001:P|}
            {
            """ + Printer + """
            }

            public static class Caller
            {
                public static void Use() => P.{|CORO0011:Printer|}(Console.Out);
            }
            """, false, "CS7036");
        var message = diagnostics.Single(d => d.Id == "CORO0011").GetMessage();
        Assert.Contains("the template has an error, so it has no factory (CORO0001: The type 'P' must be partial", message);
    }

    [Fact]
    public void The_error_can_come_from_the_body_and_the_call_from_another_method_with_other_arguments()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox, TextWriter output)
                {
                    Func<string> next = () => {|CORO0003:inbox.Receive()|};
                    while (true) output.WriteLine(inbox.Receive());
                }

                public static void Use()
                {
                    var e = P.{|CORO0011:Echo|}(Console.Out, 42);
                }
            }
            """, false, "CS1503", "CS0815");
        Assert.Contains("(CORO0003: ", diagnostics.Single(d => d.Id == "CORO0011").GetMessage());
    }

    [Fact]
    public void Not_reported_for_calls_of_the_factory_nor_for_a_valid_template_before_the_generator_ran()
    {
        // usesFactories: the analyzer runs with the generated factory (the call binds to it) and without it (the call
        // binds to nothing, and the valid template is no reason to report anything).
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
            """ + Printer + """

                public static void Use() => P.Printer(Console.Out).Send("x");
            }
            """, allowUnsafe: false, usesFactories: true);
    }
}
