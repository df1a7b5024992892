using System.Runtime.ExceptionServices;
using System.Text;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace CoroutineGen.Generators.Tests.Robustness;

/// <summary>
/// Pathologically deep template bodies (2,000 nested blocks, ifs, parentheses, loops) must not crash the generator
/// or the analyzer: a stack overflow cannot be caught and would take the compiler (or the IDE's analyzer host) down
/// with it. The parser follows statements and expressions that contain a suspension point at most
/// <c>TemplateContext.MaxNestingDepth</c> levels deep, and every recursion of the parser and the lowering calls
/// <c>RuntimeHelpers.EnsureSufficientExecutionStack</c>; both give CORO0004 ("nested too deeply") and no source. So
/// a suspension point at the bottom of 2,000 levels always gets the diagnostic, on every thread (the generator and
/// the analyzer agree), and deep code that does not suspend is copied as it is (or, if the stack runs low, gets the
/// same diagnostic): either way a compiling source or a diagnostic, never a crash and never nothing.
/// </summary>
/// <remarks>
/// The checks run on a thread with an 8 MB stack (the main thread's on Linux): Roslyn itself needs about 1 KB of
/// stack per nested statement to bind the template (on a 1 MB thread it overflows at about 1,000 nested ifs, before
/// any CoroutineGen code runs), so the stack size is fixed here rather than left to the test runner's threads.
/// </remarks>
public sealed class DeepNestingTests(ITestOutputHelper output)
{
    public const int Depth = 2000;

    private const int StackSize = 8 * 1024 * 1024;

    public const string TooDeep = "nested too deeply";

    /// <summary>The expected outcome: the guard (CORO0004), a source, or either.</summary>
    public enum Expect
    {
        Guard,
        Source,
        Either,
    }

    /// <summary>name, body, expected outcome</summary>
    public static TheoryData<string, string, Expect> Shapes => new()
    {
        { "ifs around a receive", Repeat("if (log != null) ", Depth) + "log.WriteLine(inbox.Receive());", Expect.Guard },
        { "parentheses around a receive", "log.WriteLine(" + Repeat("(", Depth) + "inbox.Receive()" + Repeat(")", Depth) + ");", Expect.Guard },
        { "whiles around a receive", Repeat("while (log != null) ", Depth) + "log.WriteLine(inbox.Receive());", Expect.Guard },
        { "blocks around a receive", Repeat("{ ", Depth) + "log.WriteLine(inbox.Receive());" + Repeat(" }", Depth), Expect.Guard },
        // 300 levels: beyond the limit, and Roslyn's own flow analysis of nested finally blocks grows fast.
        { "tries around a receive", Repeat("try { ", 300) + "log.WriteLine(inbox.Receive());" + Repeat(" } finally { log.WriteLine(0); }", 300), Expect.Guard },
        { "100 ifs around a receive (beyond the limit)", Repeat("if (log != null) ", 100) + "log.WriteLine(inbox.Receive());", Expect.Guard },
        // Deep code that does not suspend is copied as written.
        { "parentheses, then a receive", "log.WriteLine(" + Repeat("(", Depth) + "1" + Repeat(")", Depth) + "); log.WriteLine(inbox.Receive());", Expect.Either },
        { "blocks, then a receive", Repeat("{ ", Depth) + "log.WriteLine(1);" + Repeat(" }", Depth) + " log.WriteLine(inbox.Receive());", Expect.Either },
        // Within the limit (each if is a level, and so are the body, the statement and the expressions around the receive).
        { "90 ifs around a receive (within the limit)", Repeat("if (log != null) ", 90) + "log.WriteLine(inbox.Receive());", Expect.Source },
        // The liveness analysis once doubled its work with every try/finally: 32 levels ran out of memory.
        { "40 try/finally around a receive (within the limit)", Repeat("try { ", 40) + "log.WriteLine(inbox.Receive());" + Repeat(" } finally { log.WriteLine(0); }", 40), Expect.Source },
        { "deep, but within the limit, mixed", Repeat("while (log != null) { if (log != null) ", 20) + "log.WriteLine(((inbox.Receive())));" + Repeat(" }", 20), Expect.Source },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_deeply_nested_body_gives_a_diagnostic_or_a_source_never_a_crash(string shape, string body, Expect expect)
    {
        var source = $$"""
            using System.IO;
            using CoroutineGen;

            namespace Demo;

            public static partial class Deep
            {
                [Coroutine]
                public static void Nested(Inbox<int> inbox, TextWriter log)
                {
                    {{body}}
                }

                [Coroutine]
                public static void Shallow(Inbox<int> inbox, TextWriter log)
                {
                    while (true) log.WriteLine(inbox.Receive());
                }
            }
            """;

        var outcome = OnLargeStack(() => NeverBreaksCheck.RunAsync(NeverBreaksCheck.Parse(source, "/src/Demo/Deep.cs")).GetAwaiter().GetResult());

        Assert.True(outcome.Problems.Count == 0, shape + ": " + string.Join(Environment.NewLine, outcome.Problems));
        var tooDeep = outcome.AnalyzerDiagnostics.Where(d => d.Id == "CORO0004" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(TooDeep, StringComparison.Ordinal)).ToList();
        var nested = outcome.GeneratedSources.Where(s => s.HintName == "Demo.Deep.Nested.g.cs").ToList();
        output.WriteLine($"{shape}: {(tooDeep.Count > 0 ? "CORO0004 nested too deeply" : $"generated ({nested.Sum(s => s.Text.Length)} chars)")}");

        // The other template in the file is generated either way.
        Assert.Contains(outcome.GeneratedSources, s => s.HintName == "Demo.Deep.Shallow.g.cs");
        Assert.False(expect == Expect.Source && tooDeep.Count > 0, $"{shape}: expected a source, got {string.Join("; ", tooDeep.Select(GeneratorHarness.Describe))}");
        if (tooDeep.Count > 0)
        {
            var diagnostic = Assert.Single(tooDeep);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal("Nested", diagnostic.Location.SourceTree!.GetRoot().FindToken(diagnostic.Location.SourceSpan.Start).ValueText);
            Assert.Empty(nested);
        }
        else
        {
            Assert.False(expect == Expect.Guard, $"{shape}: expected CORO0004 ({TooDeep}), got {string.Join("; ", outcome.AnalyzerDiagnostics.Select(GeneratorHarness.Describe))}");
            var generated = Assert.Single(nested);
            Assert.DoesNotContain(outcome.AnalyzerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
            var tree = outcome.Output.SyntaxTrees.Single(t => t.FilePath.EndsWith(generated.HintName, StringComparison.Ordinal));
            var errors = OnLargeStack(() => outcome.Output.GetSemanticModel(tree).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList());
            Assert.True(errors.Count == 0, $"{shape}: the generated code does not compile: {string.Join("; ", errors.Take(5).Select(GeneratorHarness.Describe))}");
        }
    }

    /// <summary>
    /// The generator and the analyzer run on different threads: the same template must get the same answer on a small
    /// stack and on a large one. With the stack guard alone, 150 parentheses around a receive were lowered on an 8 MB
    /// stack but rejected on a 1 MB one (Debug build), so the generator could silently make nothing while the analyzer
    /// reported nothing either; the nesting limit decides first.
    /// </summary>
    [Theory]
    [InlineData(40, true)]
    [InlineData(150, false)]
    public void The_answer_does_not_depend_on_the_stack_size(int depth, bool lowered)
    {
        var source = $$"""
            using System.IO;
            using CoroutineGen;

            public static partial class Deep
            {
                [Coroutine]
                public static void Nested(Inbox<int> inbox, TextWriter log)
                {
                    log.WriteLine({{Repeat("(", depth)}}inbox.Receive(){{Repeat(")", depth)}});
                }
            }
            """;

        foreach (var stackSize in new[] { 1024 * 1024, StackSize })
        {
            var run = OnThread(stackSize, () => GeneratorHarness.Run(source));
            Assert.Null(run.GeneratorException);
            Assert.True(run.GeneratedSources.Count == (lowered ? 1 : 0), $"{depth} levels on a {stackSize / 1024} KB stack: {run.GeneratedSources.Count} source(s)");
        }
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static T OnLargeStack<T>(Func<T> work) => OnThread(StackSize, work);

    private static T OnThread<T>(int stackSize, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            stackSize);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
