using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>CORO0001: every type around a template is partial. Reported on the identifier of each declaration that is not.</summary>
public class Coro0001TypeNotPartialTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    [Fact]
    public void Reported_on_the_identifier_of_the_containing_type()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static class {|CORO0001:Pipelines|}
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """).Message();
        Assert.Contains("'Pipelines' must be partial", message);
        Assert.Contains("'Echo'", message);
        Assert.Contains("add the 'partial' modifier", message);
    }

    [Fact]
    public void Reported_on_an_outer_type_that_is_not_partial_only()
    {
        DiagnosticAssert.Verify(Usings + """
            public class {|CORO0001:Outer|}
            {
                public partial class Inner
                {
                    [Coroutine]
                    public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
                }
            }
            """);
    }

    [Fact]
    public void Reported_once_per_type_that_is_not_partial()
    {
        DiagnosticAssert.Verify(Usings + """
            namespace Demo;
            public class {|CORO0001:Outer|}
            {
                public struct {|CORO0001:Inner|}
                {
                    [Coroutine]
                    public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
                }
            }
            """);
    }

    [Fact]
    public void Reported_for_records()
    {
        DiagnosticAssert.Verify(Usings + """
            public record {|CORO0001:Holder|}(int Value)
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """);
    }

    [Fact]
    public void Reported_once_for_a_type_with_several_templates_naming_the_first()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static class {|CORO0001:Pipelines|}
            {
                [Coroutine]
                public static void A(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }

                [Coroutine]
                public static void B(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """).Message();
        Assert.Contains("the coroutine template 'A'", message);
    }

    [Fact]
    public void Not_reported_when_every_enclosing_type_is_partial()
    {
        DiagnosticAssert.Verify(Usings + """
            namespace Demo
            {
                public partial class Outer
                {
                    internal static partial class Inner
                    {
                        [Coroutine]
                        public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
                    }
                }
            }
            """);
    }

    [Fact]
    public void Not_reported_for_a_type_without_templates()
    {
        DiagnosticAssert.Verify(Usings + """
            public static class Helpers
            {
                public static void Echo(string s) => Console.WriteLine(s);
            }
            public static partial class Pipelines
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox) { while (true) Helpers.Echo(inbox.Receive()); }
            }
            """);
    }

    [Fact]
    public void A_part_in_another_file_is_reported_in_that_file()
    {
        // The part without 'partial' in the second file also gets the compiler's CS0260.
        var template = Usings + """
            public partial class Pipelines
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """;
        var otherPart = "public class Pipelines { }\n";
        var compilation = TestCompilation.Create(template, otherPart);
        Assert.Contains(compilation.GetDiagnostics(), d => d.Id == "CS0260");

        var diagnostic = Assert.Single(TestCompilation.Analyze(compilation));
        Assert.Equal("CORO0001", diagnostic.Id);
        Assert.Equal("Source1.cs", diagnostic.Location.SourceTree!.FilePath);
        Assert.Equal("Pipelines", otherPart.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(TestCompilation.Generate(compilation).Sources);
    }
}
