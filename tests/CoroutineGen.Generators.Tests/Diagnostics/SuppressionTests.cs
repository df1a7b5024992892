using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>The warnings (CORO0006, CORO0007, CORO0009, CORO0012) obey <c>#pragma warning</c> and .editorconfig severities.</summary>
public class SuppressionTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    private const string NeverSuspends = """
        public static partial class P
        {
            [Coroutine]
            public static void {|#0:Hello|}(Inbox<string> inbox) { Console.WriteLine("hello"); }
        }
        """;

    private const string HandlerSuspends = """
        public static partial class P
        {
            [Coroutine]
            public static void Stubborn(Inbox<string> inbox)
            {
                while (true)
                {
                    try { Console.WriteLine(inbox.Receive()); }
                    {|#0:catch|} (GeneratorExitException) { Console.WriteLine(inbox.Receive()); }
                }
            }
        }
        """;

    private const string SendAfterClose = """
        public static class Driver
        {
            public static void Run(ICoroutine<string> target)
            {
                target.Close();
                {|#0:target.Send("b")|};
            }
        }
        """;

    private const string SendAsyncNotAwaited = """
        public static partial class Stages
        {
            [Coroutine]
            public static void Forward(Inbox<string> inbox, IAsyncCoroutine<string> target)
            {
                while (true) {|#0:target.SendAsync(inbox.Receive())|};
            }
        }
        """;

    public static TheoryData<string, string> Warnings => new()
    {
        { "CORO0006", NeverSuspends },
        { "CORO0007", HandlerSuspends },
        { "CORO0009", SendAfterClose },
        { "CORO0012", SendAsyncNotAwaited },
    };

    [Theory]
    [MemberData(nameof(Warnings))]
    public async Task Reported_as_a_warning_by_default(string id, string source)
    {
        var test = new OfflineAnalyzerTest<CoroutineAnalyzer> { TestCode = Usings + source };
        test.ExpectedDiagnostics.Add(new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(0));
        await test.RunAsync();
    }

    [Theory]
    [MemberData(nameof(Warnings))]
    public async Task Pragma_warning_disable_suppresses_it(string id, string source)
    {
        var test = new OfflineAnalyzerTest<CoroutineAnalyzer> { TestCode = Usings + $"#pragma warning disable {id}\n" + source };
        await test.RunAsync();
    }

    [Theory]
    [MemberData(nameof(Warnings))]
    public async Task Pragma_warning_restore_brings_it_back(string id, string source)
    {
        var test = new OfflineAnalyzerTest<CoroutineAnalyzer>
        {
            TestCode = Usings + $"#pragma warning disable {id}\n#pragma warning restore {id}\n" + source,
            TestBehaviors = TestBehaviors.SkipSuppressionCheck, // that check adds a '#pragma warning disable' of its own
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(0));
        await test.RunAsync();
    }

    [Theory]
    [MemberData(nameof(Warnings))]
    public async Task Editorconfig_severity_none_turns_it_off(string id, string source)
    {
        var compilation = await TestCompilation.CreateWithEditorConfigAsync(Plain(source), $"root = true\n\n[*.cs]\ndotnet_diagnostic.{id}.severity = none\n");
        Assert.Empty(TestCompilation.Analyze(compilation));
    }

    [Theory]
    [MemberData(nameof(Warnings))]
    public async Task Editorconfig_severity_error_makes_it_an_error(string id, string source)
    {
        var compilation = await TestCompilation.CreateWithEditorConfigAsync(Plain(source), $"root = true\n\n[*.cs]\ndotnet_diagnostic.{id}.severity = error\n");
        var diagnostic = Assert.Single(TestCompilation.Analyze(compilation));
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }

    [Theory]
    [MemberData(nameof(Warnings))]
    public async Task Editorconfig_severity_suggestion_lowers_it(string id, string source)
    {
        var compilation = await TestCompilation.CreateWithEditorConfigAsync(Plain(source), $"root = true\n\n[*.cs]\ndotnet_diagnostic.{id}.severity = suggestion\n");
        Assert.Equal(DiagnosticSeverity.Info, Assert.Single(TestCompilation.Analyze(compilation)).Severity);
    }

    /// <summary>The source without the markup, for the tests that do not use the testing library.</summary>
    private static string Plain(string source) => Usings + source.Replace("{|#0:", string.Empty).Replace("|}", string.Empty);

    [Fact]
    public async Task Editorconfig_for_one_id_leaves_the_others_alone()
    {
        var test = new OfflineAnalyzerTest<CoroutineAnalyzer> { TestCode = Usings + NeverSuspends };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.CORO0007.severity = none\n"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CORO0006", DiagnosticSeverity.Warning).WithLocation(0));
        await test.RunAsync();
    }
}
