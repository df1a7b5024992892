using System.Collections.Concurrent;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>
/// What the IDE feeds the analyzer and the generator while someone types: every prefix of a file and the file with
/// each line missing. Neither may throw (an analyzer exception is AD0001, a generator one CS8785), whatever the input.
/// </summary>
public class HalfTypedCodeTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using CoroutineGen;

        namespace Demo;

        public static partial class Pipelines
        {
            private static readonly object Gate = new();

            [Coroutine]
            public static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
            {
                Console.WriteLine($"Looking for {pattern}");
                while (true)
                {
                    string line = inbox.Receive();
                    if (line.Contains(pattern)) target.Send(line);
                }
            }

            [Coroutine]
            public static int Sum(Inbox<int, string> inbox, List<Action> later)
            {
                int total = 0;
                try
                {
                    for (var i = 0; ; i++)
                    {
                        var x = inbox.Yield(total.ToString());
                        if (x < 0) return total;
                        later.Add(() => Console.WriteLine(x + i));
                        lock (Gate) { total += x; }
                    }
                }
                catch (GeneratorExitException)
                {
                    Console.WriteLine("bye");
                    return -1;
                }
            }
        }
        """;

    public static TheoryData<int> Prefixes => new(Enumerable.Range(0, (Source.Length / 11) + 1).Select(i => Math.Min(i * 11, Source.Length)));

    public static TheoryData<int> Lines => new(Enumerable.Range(0, Source.Split('\n').Length));

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void Every_prefix(int length) => Check(Source.Substring(0, length));

    [Theory]
    [MemberData(nameof(Lines))]
    public void Each_line_missing(int line) => Check(string.Join('\n', Source.Split('\n').Where((_, i) => i != line)));

    private static void Check(string source)
    {
        var compilation = TestCompilation.Create(source);
        var exceptions = new ConcurrentBag<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), (e, _, _) => exceptions.Add(e), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = compilation.WithAnalyzers([new CoroutineAnalyzer()], options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");

        var generated = TestCompilation.Generate(compilation);
        Assert.Null(generated.Exception);
        Assert.DoesNotContain(generated.Diagnostics, d => d.Id == "CS8785");
        Assert.All(generated.Sources, s => Assert.DoesNotContain("#error", s.SourceText.ToString()));
    }
}
