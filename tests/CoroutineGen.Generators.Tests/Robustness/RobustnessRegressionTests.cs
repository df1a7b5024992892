using System.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Robustness;

/// <summary>
/// The bugs an IDE-style robustness run found (inputs that are valid C#, or half-typed code): each input must either
/// generate code that compiles, or get a CORO diagnostic that says why there is none. Never a generator crash
/// (CS8785), an internal error (CORO0010), an <c>#error</c> file, or a template dropped without a word.
/// </summary>
public sealed class RobustnessRegressionTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using CoroutineGen;

        """;

    /// <summary>Wraps <paramref name="body"/> in a template <c>T(Inbox&lt;string&gt; inbox, List&lt;object?&gt; log)</c>.</summary>
    private static string Template(string body, string inbox = "Inbox<string>") => Usings + $$"""
        public static partial class Host
        {
            [Coroutine]
            public static void T({{inbox}} inbox, List<object?> log)
            {
                {{body}}
            }
        }
        """;

    public static TheoryData<string, string> GeneratingInputs => new()
    {
        {
            "two templates whose names differ only in case",
            Usings + """
            public static partial class Host
            {
                [Coroutine] public static void Echo(Inbox<int> inbox) { while (true) inbox.Receive(); }
                [Coroutine] public static void echo(Inbox<int> inbox) { while (true) inbox.Receive(); }
            }
            """
        },
        {
            "two types whose names differ only in case",
            Usings + """
            public static partial class Host { [Coroutine] public static void Echo(Inbox<int> inbox) { while (true) inbox.Receive(); } }
            public static partial class HOST { [Coroutine] public static void Echo(Inbox<int> inbox) { while (true) inbox.Receive(); } }
            """
        },
        {
            "a generic template and one named like its arity suffix",
            Usings + """
            public static partial class Host
            {
                [Coroutine] public static void M<T>(Inbox<T> inbox) { while (true) inbox.Receive(); }
                [Coroutine] public static void M_1(Inbox<int> inbox) { while (true) inbox.Receive(); }
            }
            """
        },
        {
            "a generic type and one named like its arity suffix",
            Usings + """
            public static partial class C<T> { [Coroutine] public static void Echo(Inbox<T> inbox) { while (true) inbox.Receive(); } }
            public static partial class C_1 { [Coroutine] public static void Echo(Inbox<int> inbox) { while (true) inbox.Receive(); } }
            """
        },
        {
            "a combining mark and an underscore",
            Usings + """
            public static partial class Host
            {
                [Coroutine] public static void Me\u0301(Inbox<int> inbox) { while (true) inbox.Receive(); }
                [Coroutine] public static void Me_(Inbox<int> inbox) { while (true) inbox.Receive(); }
            }
            """
        },
        { "a receive in a collection-expression spread", Template("while (true) { List<string> e = [.. new[] { inbox.Receive() }]; log.Add(e); }") },
        { "a receive glued to 'is not'", Template("while (true) { log.Add(inbox.Receive()is not null); }") },
        { "a goto inside a finally whose try receives", Template("try { inbox.Receive(); } finally { goto end; end: ; }") },
        { "a goto inside a GeneratorExit handler whose try receives", Template("try { inbox.Receive(); } catch (GeneratorExitException) { goto end; end: ; }") },
        { "#region around a receive", Template("while (true)\n{\n#region r\nlog.Add(inbox.Receive());\n#endregion\n}") },
        { "#if around a receive", Template("while (true)\n{\n#if true\nlog.Add(inbox.Receive());\n#endif\n}") },
        {
            "a type named with a keyword",
            Usings + """
            public static partial class @class
            {
                [Coroutine] public static void @event(Inbox<int> @int) { while (true) @int.Receive(); }
            }
            """
        },
        { "a template line over 65,535 characters", Template("while (true) { log.Add(inbox.Receive() + \"" + new string('x', 70_000) + "\"); }") },
    };

    public static TheoryData<string, string, string> RejectedInputs => new()
    {
        { "Inbox<dynamic>", Template("while (true) log.Add(inbox.Receive());", "Inbox<dynamic>"), "CORO0002" },
        { "a ref local assigned from a receive", Template("int[] a = [1]; while (true) { ref int r = ref a[0]; r = inbox.Receive().Length; inbox.Receive(); r++; }"), "CORO0004" },
        { "a scoped ref local live across a receive", Template("int[] a = [1]; scoped ref int r = ref a[0]; inbox.Receive(); r++;"), "CORO0004" },
        { "a template in a C# 14 extension block", Usings + """
            public static partial class Host
            {
                extension(string s)
                {
                    [Coroutine] public static void Echo(Inbox<int> inbox) { while (true) inbox.Receive(); }
                }
            }
            """, "CORO0002" },
        { "a template in a file-local type", Usings + """
            file static partial class Host
            {
                [Coroutine] public static void Echo(Inbox<int> inbox) { while (true) inbox.Receive(); }
            }
            """, "CORO0002" },
        { "a CORO error before a #line hidden elsewhere in the file", Template("System.Func<string> f = () => inbox.Receive();\nwhile (true) inbox.Receive();") + "\n#line hidden\nclass Other { }\n#line default\n", "CORO0003" },
        { "a CORO error inside #line hidden", Template("#line hidden\nSystem.Action a = () => inbox.Receive();\n#line default\nwhile (true) inbox.Receive();"), "CORO0003" },
    };

    /// <summary>Half-typed code that once made the lowering fail (CORO0010 and an <c>#error</c> file): the compiler's own errors are enough.</summary>
    public static TheoryData<string, string> HalfTypedInputs => new()
    {
        { "a stray const after a receive", Template("while (true) { inbox.Receive() const; }") },
        { "a cast of a throw expression with a receive", Template("while (true) { var d = (IDisposable) throw new Exception(inbox.Receive()); }") },
        { "a pattern variable used before its declaration", Template("Console.WriteLine($\"{s} {inbox.Receive()}\");\nif (inbox.Receive() is not string s) return;", "Inbox<object>") },
    };

    [Theory]
    [MemberData(nameof(HalfTypedInputs))]
    public void Half_typed_code_breaks_nothing(string name, string source)
    {
        var outcome = RobustnessOutcome.Of(source);
        outcome.AssertNeverBroke(name);
    }

    [Theory]
    [MemberData(nameof(GeneratingInputs))]
    public void Generates_code_that_compiles(string name, string source)
    {
        var outcome = RobustnessOutcome.Of(source);
        outcome.AssertNeverBroke(name);
        Assert.True(outcome.CoroErrors.Count == 0, name + ": unexpected CORO errors: " + string.Join("; ", outcome.CoroErrors.Select(GeneratorHarness.Describe)));
        outcome.AssertCompiles(name);
    }

    [Theory]
    [MemberData(nameof(RejectedInputs))]
    public void Gets_a_diagnostic(string name, string source, string id)
    {
        var outcome = RobustnessOutcome.Of(source);
        outcome.AssertNeverBroke(name);
        Assert.True(outcome.CoroErrors.Any(d => d.Id == id), name + $": expected {id}, got: " + string.Join("; ", outcome.AnalyzerDiagnostics.Select(GeneratorHarness.Describe)));
    }
}
