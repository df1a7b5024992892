using CoroutineGen.CodeFixes;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.CodeFixes;

/// <summary>CORO0011's fix: drop the inbox argument, so that the call binds to the factory.</summary>
public class CallFactoryCodeFixTests
{
    private const string Usings = "using System;\nusing System.IO;\nusing CoroutineGen;\n";

    private const string Template = """
        public static partial class P
        {
            [Coroutine]
            public static void Printer(Inbox<string> inbox, TextWriter output, string prefix = "")
            {
                while (true) output.WriteLine(prefix + inbox.Receive());
            }
        }

        """;

    // (The test compiles without the generator: after the fix the call has no factory to bind to, CS7036.)
    private static Task VerifyAsync(string source, string fixedSource) => new OfflineCodeFixTest<CoroutineAnalyzer, CallFactoryCodeFix>
    {
        TestCode = Usings + Template + source,
        FixedCode = Usings + Template + fixedSource,
    }.RunAsync();

    [Fact]
    public Task Removes_the_positional_inbox_argument() => VerifyAsync(
        """
        public static class C
        {
            public static void Use() => P.{|CORO0011:Printer|}(null!, Console.Out, "> ");
        }
        """,
        """
        public static class C
        {
            public static void Use() => P.Printer({|CS1503:Console.Out|}, {|CS1503:"> "|});
        }
        """);

    [Fact]
    public Task Removes_a_named_inbox_argument() => VerifyAsync(
        """
        public static class C
        {
            public static void Use() => P.{|CORO0011:Printer|}(output: Console.Out, inbox: null!);
        }
        """,
        """
        public static class C
        {
            public static void Use() => P.{|CS7036:Printer|}(output: Console.Out);
        }
        """);
}
