using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>CORO0009 (warning): Send/Throw on a coroutine the same block closed. Reported on the call.</summary>
public class Coro0009SendAfterCloseTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    [Fact]
    public void Send_after_Close()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static class Driver
            {
                public static void Run(ICoroutine<string> target)
                {
                    target.Send("a");
                    target.Close();
                    {|CORO0009:target.Send("b")|};
                }
            }
            """);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostics[0].Severity);
        Assert.Equal("'target' was closed on line 8: this Send() will throw StopIterationException; send before closing it, or create a new coroutine", diagnostics.Message());
    }

    [Fact]
    public void Throw_after_Dispose_on_a_local_of_a_concrete_coroutine_type()
    {
        DiagnosticAssert.Verify(Usings + """
            public sealed class Printer : ICoroutine<string>
            {
                public CoroutineState State => CoroutineState.Suspended;
                public void Send(string value) { }
                public void Throw(Exception error) { }
                public void Close() { }
                public void Dispose() { }
            }
            public static class Driver
            {
                public static void Run()
                {
                    var printer = new Printer();
                    printer.Dispose();
                    {|CORO0009:printer.Throw(new InvalidOperationException())|};
                }
            }
            """);
    }

    [Fact]
    public void Not_reported_after_reassignment_nor_in_another_branch_nor_before_the_close()
    {
        DiagnosticAssert.Verify(Usings + """
            public static class Driver
            {
                public static void Run(ICoroutine<string> target, Func<ICoroutine<string>> create, bool flag)
                {
                    target.Send("a");
                    target.Close();
                    target = create();
                    target.Send("b");
                    if (flag) target.Close();
                    target.Send("c");
                }
            }
            """);
    }
}
