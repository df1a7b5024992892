using Xunit.Sdk;

namespace CoroutineGen.Generators.Tests.Infrastructure;

/// <summary>The diagnostic harness fails when it should: a test that passes proves something only if these do.</summary>
public class DiagnosticAssertTests
{
    private const string Template = """
        using System;
        using CoroutineGen;
        public static class {|CORO0001:Pipelines|}
        {
            [Coroutine]
            public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """;

    [Fact]
    public void Markup_gives_the_source_and_the_spans()
    {
        var (source, expected) = Markup.Parse("a {|X1:b {|X2:c|}|} d");
        Assert.Equal("a b c d", source);
        Assert.Equal([("X2", new Microsoft.CodeAnalysis.Text.TextSpan(4, 1)), ("X1", new Microsoft.CodeAnalysis.Text.TextSpan(2, 3))], expected);
    }

    [Fact]
    public void Passes_on_the_right_span() => DiagnosticAssert.Verify(Template);

    [Fact]
    public void Fails_on_a_wider_span() =>
        Assert.Throws<TrueException>(() => DiagnosticAssert.Verify(Template.Replace("static class {|CORO0001:Pipelines|}", "{|CORO0001:static class Pipelines|}")));

    [Fact]
    public void Fails_on_a_missing_diagnostic() =>
        Assert.Throws<TrueException>(() => DiagnosticAssert.Verify(Template.Replace("{|CORO0001:Pipelines|}", "Pipelines")));

    [Fact]
    public void Fails_on_a_wrong_id() =>
        Assert.Throws<TrueException>(() => DiagnosticAssert.Verify(Template.Replace("CORO0001", "CORO0002")));

    [Fact]
    public void Fails_on_an_unexpected_diagnostic() =>
        Assert.Throws<TrueException>(() => DiagnosticAssert.Verify(Template.Replace("static class {|CORO0001:Pipelines|}", "static partial class {|CORO0001:Pipelines|}")));

    [Fact]
    public void Fails_on_an_unexpected_compiler_error() =>
        Assert.Throws<TrueException>(() => DiagnosticAssert.Verify(Template.Replace("Console.WriteLine", "Console.WriteLin")));
}
