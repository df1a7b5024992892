using CoroutineGen.CodeFixes;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.CodeFixes;

/// <summary>CORO0001's fix: 'partial' on every type around the template, on every part that lacks it.</summary>
public class MakeTypePartialCodeFixTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    private static Task VerifyAsync(string source, string fixedSource, int fixAllIterations = 1) => new OfflineCodeFixTest<CoroutineAnalyzer, MakeTypePartialCodeFix>
    {
        TestCode = Usings + source,
        FixedCode = Usings + fixedSource,
        NumberOfFixAllIterations = fixAllIterations,
    }.RunAsync();

    [Fact]
    public Task Adds_partial_after_the_other_modifiers() => VerifyAsync(
        """
        public static class {|CORO0001:Pipelines|}
        {
            [Coroutine]
            public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """,
        """
        public static partial class Pipelines
        {
            [Coroutine]
            public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """);

    [Fact]
    public Task Adds_partial_to_a_type_without_modifiers_keeping_its_comment_and_attribute() => VerifyAsync(
        """
        namespace Demo
        {
            // The pipelines.
            [Serializable]
            class {|CORO0001:Pipelines|}
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
        }
        """,
        """
        namespace Demo
        {
            // The pipelines.
            [Serializable]
            partial class Pipelines
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
        }
        """);

    [Fact]
    public Task One_fix_makes_every_enclosing_type_partial() => VerifyAsync(
        """
        // a comment
        public class {|CORO0001:Outer|}
        {
            internal record struct {|CORO0001:Middle|}
            {
                private sealed class {|CORO0001:Inner|}
                {
                    [Coroutine]
                    public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
                }
            }
        }
        """,
        """
        // a comment
        public partial class Outer
        {
            internal partial record struct Middle
            {
                private sealed partial class Inner
                {
                    [Coroutine]
                    public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
                }
            }
        }
        """);

    [Fact]
    public Task Fix_all_fixes_several_types_and_templates_in_a_document() => VerifyAsync(
        """
        public static class {|CORO0001:A|}
        {
            [Coroutine]
            public static void One(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }

            [Coroutine]
            public static void Two(Inbox<int> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }

        public class {|CORO0001:B|}
        {
            [Coroutine]
            public void Three(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }

        public static class NotATemplateHolder
        {
            public static void Run() { }
        }
        """,
        """
        public static partial class A
        {
            [Coroutine]
            public static void One(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }

            [Coroutine]
            public static void Two(Inbox<int> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }

        public partial class B
        {
            [Coroutine]
            public void Three(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }

        public static class NotATemplateHolder
        {
            public static void Run() { }
        }
        """);

    [Fact]
    public async Task Fixes_the_part_in_another_file_too()
    {
        var test = new OfflineCodeFixTest<CoroutineAnalyzer, MakeTypePartialCodeFix>();
        test.TestState.Sources.Add(("/0/Template.cs", Usings + """
            public partial class Pipelines
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """));
        test.TestState.Sources.Add(("/0/Other.cs", "public class {|CORO0001:{|CS0260:Pipelines|}|} { }\n"));
        test.FixedState.Sources.Add(("/0/Template.cs", Usings + """
            public partial class Pipelines
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """));
        test.FixedState.Sources.Add(("/0/Other.cs", "public partial class Pipelines { }\n"));
        await test.RunAsync();
    }
}
