using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Emission;

/// <summary>
/// A template the generator cannot lower (design §4, "Unsupported") produces no source, no diagnostic from the
/// generator and no exception: the analyzers report it. A valid template beside it is still generated.
/// </summary>
public sealed class UnloweredTemplateTests
{
    public static TheoryData<string, string> UnsupportedBodies => new()
    {
        { "Receive in a lambda", "Func<string> next = () => inbox.Receive(); log.WriteLine(next());" },
        { "Receive in a local function", "string Next() => inbox.Receive(); log.WriteLine(Next());" },
        { "Receive inside lock", "lock (log) { log.WriteLine(inbox.Receive()); }" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedBodies))]
    public void Produces_no_source_and_does_not_throw(string construct, string body)
    {
        var run = GeneratorHarness.Run($$"""
            using System;
            using System.IO;
            using CoroutineGen;

            namespace Demo;

            public static partial class Stages
            {
                [Coroutine]
                public static void Unsupported(Inbox<string> inbox, TextWriter log)
                {
                    {{body}}
                }

                [Coroutine]
                public static void Supported(Inbox<string> inbox, TextWriter log)
                {
                    while (true) log.WriteLine(inbox.Receive());
                }
            }
            """);

        Assert.Null(run.GeneratorException);
        Assert.Empty(run.GeneratorDiagnostics);
        // Only the valid template is generated: the generator ran, and left out just the one it cannot lower.
        Assert.Equal(["Demo.Stages.Supported.g.cs"], run.GeneratedSources.Select(s => s.HintName));
        // The template itself is valid C# (Receive is a real method), so nothing else explains the missing source.
        Assert.True(
            run.InputCompilation.GetDiagnostics().All(d => d.Severity != DiagnosticSeverity.Error),
            $"{construct}: the input does not compile: " + string.Join("; ", run.InputCompilation.GetDiagnostics().Select(GeneratorHarness.Describe)));
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
