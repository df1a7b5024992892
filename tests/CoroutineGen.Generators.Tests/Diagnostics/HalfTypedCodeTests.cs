using System.Collections.Concurrent;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>
/// What the IDE feeds the analyzer and the generator while someone types: every prefix of a file and the file with
/// each line missing, for synchronous and async templates, and async templates cut off mid-expression. Neither may
/// throw (an analyzer exception is AD0001, a generator one CS8785), whatever the input.
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

    /// <summary>Async templates: awaits in try/catch/finally, await foreach and await using around receives, the token.</summary>
    private const string AsyncSource = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;
        using CoroutineGen;

        namespace Demo;

        public static partial class Stages
        {
            [Coroutine]
            public static async Task Printer(Inbox<string> inbox, TextWriter output, IAsyncCoroutine<string> next)
            {
                try
                {
                    while (true)
                    {
                        var line = inbox.Receive();
                        await Task.Delay(1, inbox.CancellationToken);
                        await next.SendAsync(line, inbox.CancellationToken);
                    }
                }
                catch (GeneratorExitException) { await output.WriteLineAsync("bye"); }
                finally { await next.CloseAsync(); }
            }

            [Coroutine]
            public static async ValueTask<int> Count(Inbox<int, string> inbox, IAsyncEnumerable<string> items, IAsyncDisposable resource)
            {
                var n = 0;
                await using (resource)
                {
                    await foreach (var item in items)
                    {
                        if (inbox.Yield(item) < 0) return n;
                        n++;
                    }
                }

                await using var other = resource;
                return n + await Task.FromResult(inbox.Yield("end"));
            }
        }
        """;

    public static TheoryData<int> Prefixes => new(Enumerable.Range(0, (Source.Length / 11) + 1).Select(i => Math.Min(i * 11, Source.Length)));

    public static TheoryData<int> Lines => new(Enumerable.Range(0, Source.Split('\n').Length));

    public static TheoryData<int> AsyncPrefixes => new(Enumerable.Range(0, (AsyncSource.Length / 13) + 1).Select(i => Math.Min(i * 13, AsyncSource.Length)));

    public static TheoryData<int> AsyncLines => new(Enumerable.Range(0, AsyncSource.Split('\n').Length));

    /// <summary>Async templates typed up to a point where C# cannot make sense of them yet.</summary>
    public static TheoryData<string> HalfTypedAsyncTemplates => new(
        "async Task T(Inbox<int> inbox) { await ",
        "async Task T(Inbox<int> inbox) { await }",
        "async Task T(Inbox<int> inbox) { var x = await inbox. }",
        "async Task T(Inbox<int> inbox) { await inbox.Receive(); }",
        "async Task T(Inbox<int> inbox) { await foreach (var x in ",
        "async Task T(Inbox<int> inbox) { await foreach (var x in inbox.Receive()) { } }",
        "async Task T(Inbox<int> inbox) { await foreach ( }",
        "async Task T(Inbox<int> inbox) { await using (var r = ) { inbox.Receive(); } }",
        "async Task T(Inbox<int> inbox) { await using var r = ; inbox.Receive(); }",
        "async Task T(Inbox<int> inbox) { inbox.CancellationToken. }",
        "async Task T(Inbox<int> inbox) { await Task.Delay(inbox.Receive(), inbox.CancellationToken",
        "async Task T(Inbox<int> inbox) { try { inbox.Receive(); } finally { await ",
        "async Task T(Inbox<int> inbox) { try { inbox.Receive(); } catch (GeneratorExitException) { await } }",
        "async Task T(Inbox<int> inbox) { inbox.YieldFrom(",
        "async Task T(Inbox<int> inbox) => await ",
        "async Task<int> T(Inbox<int> inbox) { return await ",
        "async Task<int> T(Inbox<int> inbox) { while (true) { var x = inbox.Receive(); if (x < 0) return; await Task.Yield(); } }",
        "async Task< T(Inbox<int> inbox) { await Task.Yield(); inbox.Receive(); }",
        "async ValueTask<(int, string)> T(Inbox<int, string> inbox) { var y = inbox.Yield(await ",
        "async void T(Inbox<int> inbox) { await ",
        "async T(Inbox<int> inbox) { await Task.Yield(); inbox.Receive(); }",
        "async IAsyncEnumerable<int> T(Inbox<int> inbox) { await Task.Yield(); yield return inbox.Receive(); }",
        "void T(Inbox<int> inbox) { await ",
        "void T(Inbox<int> inbox, IAsyncCoroutine<int> next) { while (true) next.SendAsync(inbox.Receive()",
        "void T(Inbox<int> inbox) { var token = inbox.CancellationToken; await foreach (var x in ");

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void Every_prefix(int length) => Check(Source.Substring(0, length));

    [Theory]
    [MemberData(nameof(Lines))]
    public void Each_line_missing(int line) => Check(string.Join('\n', Source.Split('\n').Where((_, i) => i != line)));

    [Theory]
    [MemberData(nameof(AsyncPrefixes))]
    public void Every_prefix_of_async_templates(int length) => Check(AsyncSource.Substring(0, length));

    [Theory]
    [MemberData(nameof(AsyncLines))]
    public void Each_line_missing_of_async_templates(int line) => Check(string.Join('\n', AsyncSource.Split('\n').Where((_, i) => i != line)));

    [Theory]
    [MemberData(nameof(HalfTypedAsyncTemplates))]
    public void Half_typed_async_template(string template) => Check($$"""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using CoroutineGen;

        public static partial class P
        {
            [Coroutine]
            public static {{template}}
        """);

    [Fact]
    public void The_async_source_is_valid_and_generates()
    {
        var compilation = TestCompilation.Create(AsyncSource);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(TestCompilation.Analyze(compilation));
        var generated = TestCompilation.Generate(compilation);
        Assert.Equal(2, generated.Sources.Length);
        Assert.Empty(generated.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

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
