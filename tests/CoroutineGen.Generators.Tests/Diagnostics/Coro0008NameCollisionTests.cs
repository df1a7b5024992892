using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>CORO0008: the generated factory or class would collide with a member. Reported on the template's name.</summary>
public class Coro0008NameCollisionTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    [Fact]
    public void The_factory_collides_with_an_existing_method()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                public static void Echo(string prefix) { }

                [Coroutine]
                public static void {|CORO0008:Echo|}(Inbox<string> inbox, string prefix) { while (true) Console.WriteLine(prefix + inbox.Receive()); }
            }
            """).Message();
        Assert.Contains("the generated factory 'Echo(string)' collides with the existing method 'P.Echo(string)'", message);
        Assert.Contains("rename the template or the other member", message);
    }

    [Fact]
    public void The_class_collides_with_a_nested_type_or_another_member()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                public sealed class EchoCoroutine { }
                public static int PrintCoroutine => 0;

                [Coroutine]
                public static void {|CORO0008:Echo|}(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }

                [Coroutine]
                public static void {|CORO0008:Print|}(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """);
    }

    [Fact]
    public void Overloaded_templates_collide_on_the_class()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void {|CORO0008:Echo|}(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }

                [Coroutine]
                public static void {|CORO0008:Echo|}(Inbox<string> inbox, string prefix) { while (true) Console.WriteLine(prefix + inbox.Receive()); }
            }
            """);
        Assert.All(diagnostics, d => Assert.Contains("overloaded templates need different names", d.GetMessage()));
    }

    [Fact]
    public void Not_reported_for_an_overload_with_other_parameters_nor_a_generic_class_of_another_arity()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                public static void Echo(int times) { }
                public sealed class EchoCoroutine<T> { }

                [Coroutine]
                public static void Echo(Inbox<string> inbox, string prefix) { while (true) Console.WriteLine(prefix + inbox.Receive()); }
            }
            """);
    }
}
