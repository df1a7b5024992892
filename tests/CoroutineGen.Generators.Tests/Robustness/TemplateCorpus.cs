using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Tests.Robustness;

/// <summary>One valid source file with <c>[Coroutine]</c> templates, from the repository.</summary>
/// <param name="Name">Where it comes from: a file path relative to the repository, or <c>GoldenTests.Grep</c>.</param>
/// <param name="Text">The source text.</param>
public sealed record TemplateSample(string Name, string Text)
{
    public override string ToString() => Name;
}

/// <summary>
/// The repository's templates, read from the working tree when the tests run (so a new sample or golden test is
/// covered without touching the robustness tests):
/// <list type="bullet">
/// <item>every <c>.cs</c> file under <c>tests/CoroutineGen.Tests</c> and <c>samples</c> (when present) that contains <c>[Coroutine]</c>;</item>
/// <item>every template source of the golden tests (<c>tests/CoroutineGen.Generators.Tests/Emission</c>): the
/// non-interpolated string literals there that contain <c>[Coroutine]</c>;</item>
/// <item><see cref="AsyncTemplateSamples"/>: async templates, which the files above do not have yet.</item>
/// </list>
/// </summary>
public static class TemplateCorpus
{
    /// <summary>The repository's root (two levels above the test project).</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(GoldenFile.ProjectDirectory, "..", ".."));

    private static readonly Lazy<IReadOnlyList<TemplateSample>> Samples = new(Load);

    /// <summary>Every sample, in a stable order (files by path, then golden templates by test name).</summary>
    public static IReadOnlyList<TemplateSample> All => Samples.Value;

    /// <summary>
    /// Every template of <see cref="All"/> that parses and lowers, with where it is (<c>sample: method</c>): read as
    /// the analyzer reads it (the compilation without the generated code, one <see cref="Parsing.CompilationContext"/> each).
    /// </summary>
    internal static IEnumerable<(string Where, Lowering.LoweredCoroutine Coroutine)> Lowered()
    {
        foreach (var sample in All)
        {
            var tree = NeverBreaksCheck.Parse(sample.Text, sample.Name + ".cs");
            var compilation = NeverBreaksCheck.Empty.AddSyntaxTrees(NeverBreaksCheck.ImplicitUsingsTree, tree);
            var semanticModel = compilation.GetSemanticModel(tree);
            foreach (var syntax in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
                         .Where(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Coroutine" or "CoroutineGen.Coroutine" or "CoroutineAttribute")))
            {
                var method = (IMethodSymbol)semanticModel.GetDeclaredSymbol(syntax)!;
                if (Parsing.TemplateParser.Parse(syntax, method, semanticModel, new Parsing.CompilationContext(compilation), CancellationToken.None).Model is { } model
                    && Lowering.CoroutineLowerer.Lower(model).Coroutine is { } coroutine)
                {
                    yield return ($"{sample.Name}: {method.Name}", coroutine);
                }
            }
        }
    }

    private static IReadOnlyList<TemplateSample> Load()
    {
        var samples = new List<TemplateSample>();
        foreach (var folder in new[] { Path.Combine("tests", "CoroutineGen.Tests"), "samples" })
        {
            var directory = Path.Combine(RepositoryRoot, folder);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                         .Where(f => !IsBuildOutput(f))
                         .OrderBy(f => f, StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                if (text.Contains("[Coroutine]", StringComparison.Ordinal))
                {
                    samples.Add(new TemplateSample(Path.GetRelativePath(RepositoryRoot, file).Replace('\\', '/'), text));
                }
            }
        }

        var emission = Path.Combine(GoldenFile.ProjectDirectory, "Emission");
        foreach (var file in Directory.EnumerateFiles(emission, "*.cs").OrderBy(f => f, StringComparer.Ordinal))
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), GeneratorHarness.ParseOptions).GetRoot();
            foreach (var literal in root.DescendantNodes().OfType<LiteralExpressionSyntax>().Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)))
            {
                var text = literal.Token.ValueText;
                if (!text.Contains("[Coroutine]", StringComparison.Ordinal))
                {
                    continue;
                }

                var test = literal.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText ?? "field";
                samples.Add(new TemplateSample($"{Path.GetFileNameWithoutExtension(file)}.{test}", text));
            }
        }

        samples.Add(new TemplateSample(AsyncTemplateSamples.Name, AsyncTemplateSamples.Text));
        return samples;
    }

    private static bool IsBuildOutput(string path)
    {
        var parts = path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Contains("bin") || parts.Contains("obj");
    }
}
