using System.Collections.Immutable;
using CoroutineGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Tests.Infrastructure;

/// <summary>
/// In-memory compilations of test sources against the .NET 10 reference assemblies and the runtime library, with
/// the generator and the analyzer run on them the way the compiler and the IDE run them.
/// </summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly ImmutableArray<MetadataReference> References =
        [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(CoroutineAttribute).Assembly.Location)];

    public static CSharpCompilation Create(params string[] sources) =>
        CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>
    /// A compilation of <paramref name="source"/> whose options come from an .editorconfig, computed by a workspace
    /// the way the IDE and the build compute them.
    /// </summary>
    public static async Task<Compilation> CreateWithEditorConfigAsync(string source, string editorConfig)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "TestProject", "TestAssembly", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: ParseOptions,
            metadataReferences: References));
        project = project.AddDocument("Source0.cs", source, filePath: "/src/Source0.cs").Project;
        project = project.AddAnalyzerConfigDocument(".editorconfig", SourceText.From(editorConfig), filePath: "/src/.editorconfig").Project;
        return (await project.GetCompilationAsync())!;
    }

    /// <summary>The CORO diagnostics the analyzer reports, sorted by position.</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, AnalyzerOptions? options = null)
    {
        var withAnalyzers = compilation.WithAnalyzers([new CoroutineAnalyzer()], options);
        return [.. withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>Runs the generator: the compilation with the generated sources added, and the generated sources.</summary>
    public static GeneratorOutput Generate(Compilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new CoroutineGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        var result = driver.GetRunResult().Results.Single();
        return new GeneratorOutput(output, result.GeneratedSources, driverDiagnostics.AddRange(result.Diagnostics), result.Exception);
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan().Span} '{d.Location.SourceTree?.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}': {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
}

internal sealed record GeneratorOutput(Compilation Compilation, ImmutableArray<GeneratedSourceResult> Sources, ImmutableArray<Diagnostic> Diagnostics, Exception? Exception);
