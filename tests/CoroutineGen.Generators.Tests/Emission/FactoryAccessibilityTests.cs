using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Emission;

/// <summary>
/// Callers meet the factory, not the template: a <c>private</c> template with
/// <c>[Coroutine(Accessibility = CoroutineAccessibility.Public)]</c> gets a public factory and class, so outside its
/// type only the factory can be seen (and completed, and called). By default both have the template's accessibility.
/// </summary>
public class FactoryAccessibilityTests
{
    private const string Templates = """
        using System;
        using CoroutineGen;

        namespace Demo;

        public static partial class Filters
        {
            [Coroutine(Accessibility = CoroutineAccessibility.Public)]
            private static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
            {
                while (true) { var line = inbox.Receive(); if (line.Contains(pattern)) target.Send(line); }
            }

            [Coroutine(Accessibility = CoroutineAccessibility.Internal)]
            private static void Count(Inbox<string> inbox, Action<int> report)
            {
                var n = 0;
                while (true) { inbox.Receive(); report(++n); }
            }

            [Coroutine]
            internal static void Echo(Inbox<string> inbox, ICoroutine<string> target)
            {
                // A template calls another's public factory.
                var grep = Grep("x", target);
                while (true) grep.Send(inbox.Receive());
            }
        }
        """;

    [Fact]
    public void The_factory_and_class_take_the_requested_accessibility()
    {
        var run = GeneratorHarness.CompileClean(Templates);
        string Text(string name) => run.GeneratedSources.Single(f => f.HintName.EndsWith($".{name}.g.cs", StringComparison.Ordinal)).Text;
        Assert.Contains("public static GrepCoroutine Grep(string pattern, global::CoroutineGen.ICoroutine<string> target)", Text("Grep"), StringComparison.Ordinal);
        Assert.Contains("public sealed class GrepCoroutine", Text("Grep"), StringComparison.Ordinal);
        Assert.Contains("internal static CountCoroutine Count(", Text("Count"), StringComparison.Ordinal);
        Assert.Contains("internal sealed class CountCoroutine", Text("Count"), StringComparison.Ordinal);
        Assert.Contains("internal static EchoCoroutine Echo(", Text("Echo"), StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_the_type_only_the_factory_is_there_to_call()
    {
        var run = GeneratorHarness.Run(Templates, """
            using CoroutineGen;

            public static class Caller
            {
                public static ICoroutine<string> Factory(ICoroutine<string> target) => Demo.Filters.Grep("x", target);

                public static void Template(ICoroutine<string> target) => Demo.Filters.Grep(null!, "x", target);
            }
            """);
        var errors = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        // The factory binds; the template, private, is not even a candidate outside its type (CS1501: no overload
        // of Grep takes three arguments).
        var error = Assert.Single(errors);
        Assert.Equal("CS1501", error.Id);
        Assert.Contains("Template", error.Location.SourceTree!.GetText().Lines[error.Location.GetLineSpan().StartLinePosition.Line].ToString(), StringComparison.Ordinal);
    }
}
