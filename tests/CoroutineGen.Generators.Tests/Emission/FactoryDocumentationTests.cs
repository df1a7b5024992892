using System.Text;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Tests.Emission;

/// <summary>
/// Callers hover and complete the factory, not the template: the factory carries the template's documentation
/// comment (without the inbox), with a remark on priming, whatever the project's documentation mode.
/// </summary>
public class FactoryDocumentationTests
{
    private const string Documented = """
        using System;
        using CoroutineGen;

        namespace Demo;

        public static partial class Filters
        {
            /// <summary>
            /// Passes on the lines of <paramref name="inbox"/> that contain <paramref name="pattern"/>.
            /// </summary>
            /// <param name="inbox">The lines.</param>
            /// <param name="pattern">What to look for.</param>
            /// <param name="target">Where matching lines go.</param>
            /// <returns>How many lines matched.</returns>
            [Coroutine]
            public static int Grep(Inbox<string?> inbox, string pattern, ICoroutine<string> target)
            {
                var matched = 0;
                for (var line = inbox.Receive(); line is not null; line = inbox.Receive())
                {
                    if (line.Contains(pattern)) { target.Send(line); matched++; }
                }

                return matched;
            }

            /// <summary>Counts what it receives.</summary>
            /// <remarks>Never finishes by itself.</remarks>
            [Coroutine(Prime = false)]
            internal static void Count(Inbox<int> inbox, Action<int> report)
            {
                var n = 0;
                while (true) { inbox.Receive(); report(++n); }
            }

            /// <summary>Broken <b>XML.</summary>
            [Coroutine]
            internal static void Broken(Inbox<int> inbox) { while (true) inbox.Receive(); }
        }
        """;

    [Theory]
    [InlineData(DocumentationMode.Parse)]
    [InlineData(DocumentationMode.Diagnose)]
    [InlineData(DocumentationMode.None)]
    public void The_factory_carries_the_templates_comment_without_the_inbox(DocumentationMode mode)
    {
        var files = Generate(mode);
        var grep = Factory(files, "Grep");
        Assert.Equal(
            """
            /// <summary>
            /// Passes on the lines of <c>inbox</c> that contain <paramref name="pattern" />.
            /// </summary>
            /// <param name="pattern">What to look for.</param>
            /// <param name="target">Where matching lines go.</param>
            /// <returns>The coroutine. What its body returns (its <c>Result</c>): How many lines matched.</returns>
            /// <remarks>The factory of the coroutine template <c>Filters.Grep</c>: it creates the coroutine and primes it (runs its body up to the first suspension point, as Python's <c>@coroutine</c> decorator does).</remarks>
            """.ReplaceLineEndings("\n"),
            grep);

        Assert.Equal(
            """
            /// <summary>Counts what it receives.</summary>
            /// <remarks>Never finishes by itself.<para>The factory of the coroutine template <c>Filters.Count</c>: it creates the coroutine without running any of its body (it is <see cref="global::CoroutineGen.CoroutineState.Created"/>); <c>Send(default)</c> starts it.</para></remarks>
            """.ReplaceLineEndings("\n"),
            Factory(files, "Count"));
    }

    [Fact]
    public void A_comment_that_is_not_well_formed_gives_the_generators_own_summary()
    {
        Assert.StartsWith("/// <summary>\n/// Creates the coroutine of the template <c>Filters.Broken</c> and primes it", Factory(Generate(DocumentationMode.Parse), "Broken"));
    }

    [Fact]
    public void The_documented_factory_compiles_without_documentation_warnings()
    {
        // With documentation checked (GenerateDocumentationFile), the generated comments are well-formed and
        // refer to real parameters: no CS1570-CS1574 and no CS1734 for the inbox.
        // (The driver parses generated files without checking their comments: parse them again, checking.)
        var input = Compilation(DocumentationMode.Diagnose);
        var run = GeneratorHarness.Run(input);
        var options = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var generated = run.GeneratedSources.Select(f => CSharpSyntaxTree.ParseText(f.Text.Replace("#pragma warning disable", "// (pragma removed)"), options, f.HintName)).ToList();
        Assert.Equal(3, generated.Count);
        var documentation = input.AddSyntaxTrees(generated).GetDiagnostics()
            .Where(d => generated.Contains(d.Location.SourceTree!) && (d.Id.StartsWith("CS157", StringComparison.Ordinal) || d.Id == "CS1734"))
            .ToList();
        Assert.True(documentation.Count == 0, TestCompilation.Describe(documentation));
    }

    private static CSharpCompilation Compilation(DocumentationMode mode) =>
        CSharpCompilation.Create(
            "DocumentedTemplates",
            [CSharpSyntaxTree.ParseText(SourceText.From(Documented, Encoding.UTF8), GeneratorHarness.ParseOptions.WithDocumentationMode(mode), "Filters.cs")],
            GeneratorHarness.References,
            GeneratorHarness.CompilationOptions);

    private static IReadOnlyList<GeneratedFile> Generate(DocumentationMode mode) => GeneratorHarness.Run(Compilation(mode)).GeneratedSources;

    /// <summary>The documentation comment in front of the factory <paramref name="name"/>, without indentation.</summary>
    private static string Factory(IReadOnlyList<GeneratedFile> files, string name)
    {
        var lines = files.Single(f => f.HintName.EndsWith("." + name + ".g.cs", StringComparison.Ordinal)).Text.Split('\n').Select(l => l.TrimEnd('\r').Trim()).ToList();
        var factory = lines.FindIndex(l => l.Contains($" {name}(", StringComparison.Ordinal) && l.Contains("Coroutine ", StringComparison.Ordinal));
        var start = factory;
        while (start > 0 && (lines[start - 1].StartsWith("///", StringComparison.Ordinal) || lines[start - 1].StartsWith('[')))
        {
            start--;
        }

        return string.Join("\n", lines.Skip(start).Take(factory - start).Where(l => l.StartsWith("///", StringComparison.Ordinal)));
    }
}
