using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Tests.Infrastructure;

/// <summary>One source file the generator added: its hint name and its text.</summary>
public sealed record GeneratedFile(string HintName, string Text);

/// <summary>What one run of the generator over an in-memory compilation produced.</summary>
public sealed class GeneratorRun
{
    internal GeneratorRun(
        CSharpCompilation input,
        GeneratorDriver driver,
        Compilation output,
        ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        InputCompilation = input;
        Driver = driver;
        OutputCompilation = output;
        GeneratorDiagnostics = generatorDiagnostics;
        Result = driver.GetRunResult().Results.Single();
        var sources = Result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();
        GeneratedSources = sources.Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString())).ToList();
        GeneratedTrees = sources.Select(s => s.SyntaxTree).ToImmutableArray();
    }

    /// <summary>The compilation of the template sources alone, as the generator saw it.</summary>
    public CSharpCompilation InputCompilation { get; }

    /// <summary>
    /// The driver after the run. It tracks incremental steps, so an incrementality test can call
    /// <c>RunGenerators</c> again with an edited compilation and read <c>TrackedSteps</c>.
    /// </summary>
    public GeneratorDriver Driver { get; }

    /// <summary>The generator's own run result (tracked steps, exception, raw generated sources).</summary>
    public GeneratorRunResult Result { get; }

    /// <summary>The generated sources, ordered by hint name.</summary>
    public IReadOnlyList<GeneratedFile> GeneratedSources { get; }

    /// <summary>The syntax trees of the generated sources (in <see cref="OutputCompilation"/>), in the order of <see cref="GeneratedSources"/>.</summary>
    public ImmutableArray<SyntaxTree> GeneratedTrees { get; }

    /// <summary>
    /// The diagnostics of the run itself: those the generator reported, plus CS8785 when it threw.
    /// The generator is designed to report none (the analyzers do).
    /// </summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>The exception the generator threw, if it did (the driver catches it and reports CS8785).</summary>
    public Exception? GeneratorException => Result.Exception;

    /// <summary>The input compilation with the generated sources added.</summary>
    public Compilation OutputCompilation { get; }

    /// <summary>Every diagnostic of <see cref="OutputCompilation"/>, as the compiler reports it (the pragma in generated files included).</summary>
    public ImmutableArray<Diagnostic> OutputDiagnostics => OutputCompilation.GetDiagnostics();
}

/// <summary>
/// Runs <see cref="CoroutineGenerator"/> over source strings in memory (the recipe of toolchain.md §3a), checks that
/// the result compiles without errors or warnings, and loads it into a collectible <see cref="AssemblyLoadContext"/>
/// to execute it.
/// </summary>
public static class GeneratorHarness
{
    /// <summary>The path of the first source file; further files are <c>Templates2.cs</c>, <c>Templates3.cs</c>, ...</summary>
    public const string DefaultPath = "Templates.cs";

    /// <summary>The exact directive every generated file starts with (it hides the template's own warnings).</summary>
    public const string PragmaDisable = "#pragma warning disable";

    /// <summary>The parse options of the sources and of the generated files: the latest C# version.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>
    /// The compilation options of every test compilation: a library with nullable reference types enabled (as in a
    /// new SDK project), deterministic, and every warning wave on (level 9999) so nothing slips through. CS1701 and
    /// CS1702 (assembly version unification: the runtime library is its net8.0 build, the references are .NET 10's)
    /// are off, as the .NET SDK turns them off in every project.
    /// </summary>
    public static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        warningLevel: 9999,
        deterministic: true)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });

    /// <summary>The .NET 10 reference assemblies and the CoroutineGen runtime library.</summary>
    public static ImmutableArray<MetadataReference> References { get; } =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(CoroutineAttribute).Assembly.Location),
    ];

    /// <summary>Names the sources <c>Templates.cs</c>, <c>Templates2.cs</c>, ... in order.</summary>
    public static (string Path, string Text)[] Named(params string[] sources) =>
        sources.Select((text, i) => (i == 0 ? DefaultPath : $"Templates{i + 1}.cs", text)).ToArray();

    /// <summary>Parses the sources into a compilation with <see cref="References"/> and <see cref="CompilationOptions"/>.</summary>
    public static CSharpCompilation CreateCompilation(params (string Path, string Text)[] sources) =>
        CSharpCompilation.Create(
            "GeneratorTestInput",
            sources.Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s.Text, Encoding.UTF8), ParseOptions, s.Path)),
            References,
            CompilationOptions);

    /// <inheritdoc cref="Run(CSharpCompilation)"/>
    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(Named(sources)));

    /// <inheritdoc cref="Run(CSharpCompilation)"/>
    public static GeneratorRun Run(params (string Path, string Text)[] sources) => Run(CreateCompilation(sources));

    /// <summary>Runs the generator once over <paramref name="compilation"/>, tracking its incremental steps.</summary>
    public static GeneratorRun Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new CoroutineGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorRun(compilation, driver, output, diagnostics);
    }

    /// <summary>
    /// The two warnings that lowered control flow causes by design (generated code people can read):
    /// CS0162 (unreachable code) and CS0164 (label not referenced), e.g. the <c>__while_end1: ;</c> label after the
    /// <c>goto</c> that closes a <c>while (true)</c>. See <see cref="AssertCompilesClean"/>.
    /// </summary>
    public static ImmutableHashSet<string> ScaffoldingWarnings { get; } = ["CS0162", "CS0164"];

    /// <summary>
    /// Runs the generator and asserts that it reported nothing, did not throw, and that the result compiles
    /// without errors and without warnings (see <see cref="AssertCompilesClean"/>; strict: no warning tolerated).
    /// </summary>
    public static GeneratorRun CompileClean(params string[] sources)
    {
        var run = Run(sources);
        AssertCompilesClean(run);
        return run;
    }

    /// <summary>
    /// Asserts that the generator reported nothing and did not throw, that the output compilation has no errors,
    /// and that it has no warnings either once the <c>#pragma warning disable</c> line of each generated file is
    /// removed (the pragma is there by design, so that the template's own warnings are not reported twice; the test
    /// must see what the lowered code would cause). A failure lists every diagnostic and prints the generated files
    /// with line numbers.
    /// </summary>
    /// <param name="run">The generator run to check.</param>
    /// <param name="tolerateScaffoldingWarnings">
    /// When true, <see cref="ScaffoldingWarnings"/> are tolerated, but only where they point into a <c>#line hidden</c>
    /// region of a generated file (the generator's own labels and jumps, never a statement copied from the template).
    /// Every other warning still fails.
    /// </param>
    public static void AssertCompilesClean(GeneratorRun run, bool tolerateScaffoldingWarnings = false)
    {
        if (run.GeneratorException is not null || !run.GeneratorDiagnostics.IsEmpty)
        {
            Assert.Fail("The generator reported diagnostics or threw:" + Environment.NewLine
                + string.Join(Environment.NewLine, run.GeneratorDiagnostics.Select(Describe))
                + (run.GeneratorException is null ? string.Empty : Environment.NewLine + run.GeneratorException));
        }

        var errors = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            Assert.Fail(Report("The generated code does not compile", errors, run.OutputCompilation, run.GeneratedTrees));
        }

        var (unmuted, generated) = WithoutPragmaDisable(run.OutputCompilation, run.GeneratedTrees);
        var problems = unmuted.GetDiagnostics()
            .Where(d => !d.IsSuppressed && d.Severity is DiagnosticSeverity.Warning or DiagnosticSeverity.Error)
            .Where(d => !(tolerateScaffoldingWarnings && IsScaffoldingWarning(d, generated)))
            .ToList();
        if (problems.Count > 0)
        {
            Assert.Fail(Report($"The compilation has warnings (generated files checked without '{PragmaDisable}')", problems, unmuted, generated));
        }
    }

    /// <summary>Whether <paramref name="diagnostic"/> is one of <see cref="ScaffoldingWarnings"/> in a <c>#line hidden</c> part of a generated file.</summary>
    public static bool IsScaffoldingWarning(Diagnostic diagnostic, IEnumerable<SyntaxTree> generatedTrees) =>
        ScaffoldingWarnings.Contains(diagnostic.Id)
        && diagnostic.Location.SourceTree is { } tree
        && generatedTrees.Contains(tree)
        && tree.GetLineVisibility(diagnostic.Location.SourceSpan.Start) == LineVisibility.Hidden;

    /// <summary>
    /// Replaces each of <paramref name="generatedTrees"/> in <paramref name="compilation"/> by a copy whose
    /// <c>#pragma warning disable</c> lines are blanked (as comments, so line numbers stay those of the generated file).
    /// </summary>
    public static (Compilation Compilation, ImmutableArray<SyntaxTree> Trees) WithoutPragmaDisable(Compilation compilation, IEnumerable<SyntaxTree> generatedTrees)
    {
        var trees = ImmutableArray.CreateBuilder<SyntaxTree>();
        foreach (var tree in generatedTrees)
        {
            var text = tree.GetText();
            var lines = text.Lines.Select(line => line.ToString()).ToList();
            var changed = false;
            for (int i = 0; i < lines.Count; i++)
            {
                if (lines[i].Trim() == PragmaDisable)
                {
                    lines[i] = "// " + PragmaDisable + " (removed by the test harness)";
                    changed = true;
                }
            }

            var replacement = changed
                ? tree.WithChangedText(SourceText.From(string.Join("\n", lines), text.Encoding ?? Encoding.UTF8))
                : tree;
            compilation = compilation.ReplaceSyntaxTree(tree, replacement);
            trees.Add(replacement);
        }

        return (compilation, trees.ToImmutable());
    }

    /// <summary>
    /// Emits <paramref name="compilation"/> (with a portable PDB, so stack traces have the template's lines) and
    /// loads it into a new collectible <see cref="AssemblyLoadContext"/>. Dispose the result to unload it. The
    /// CoroutineGen runtime and the framework resolve from the default context, so their types are shared with the test.
    /// </summary>
    public static LoadedAssembly Load(Compilation compilation)
    {
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
        {
            Assert.Fail(Report("The compilation does not emit", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(), compilation, []));
        }

        pe.Position = 0;
        pdb.Position = 0;
        return new LoadedAssembly(pe, pdb, compilation.AssemblyName ?? "GeneratorTestInput");
    }

    /// <summary>A diagnostic as "Templates.cs(3,5): warning CS0219: ...", with the <c>#line</c>-mapped position when it differs.</summary>
    public static string Describe(Diagnostic diagnostic)
    {
        var location = diagnostic.Location;
        if (!location.IsInSource)
        {
            return $"{diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        }

        var span = location.GetLineSpan();
        var mapped = location.GetMappedLineSpan();
        var where = $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
        if (mapped.HasMappedPath || mapped.Path != span.Path)
        {
            where += $" [mapped to {mapped.Path}({mapped.StartLinePosition.Line + 1},{mapped.StartLinePosition.Character + 1})]";
        }

        return $"{where}: {diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>The text with each line prefixed by its 1-based number.</summary>
    public static string Numbered(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var width = lines.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        return string.Join(Environment.NewLine, lines.Select((line, i) => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width) + "  " + line));
    }

    private static string Report(string headline, IReadOnlyList<Diagnostic> diagnostics, Compilation compilation, IEnumerable<SyntaxTree> generated)
    {
        var builder = new StringBuilder();
        builder.AppendLine($"{headline}: {diagnostics.Count} diagnostic(s)");
        foreach (var diagnostic in diagnostics)
        {
            builder.AppendLine("  " + Describe(diagnostic));
        }

        // Every generated file, and every other file a diagnostic points into.
        var shown = generated.ToList();
        shown.AddRange(diagnostics
            .Where(d => d.Location.IsInSource && d.Location.SourceTree is not null)
            .Select(d => d.Location.SourceTree!)
            .Where(tree => compilation.SyntaxTrees.Contains(tree) && !shown.Contains(tree))
            .Distinct());
        foreach (var tree in shown)
        {
            builder.AppendLine();
            builder.AppendLine($"---- {tree.FilePath} ----");
            builder.AppendLine(Numbered(tree.GetText().ToString()));
        }

        return builder.ToString();
    }
}

/// <summary>
/// An assembly emitted from a test compilation and loaded into its own collectible <see cref="AssemblyLoadContext"/>.
/// Dispose it to unload the context.
/// </summary>
public sealed class LoadedAssembly : IDisposable
{
    private AssemblyLoadContext? _context;
    private Assembly? _assembly;

    internal LoadedAssembly(Stream pe, Stream pdb, string name)
    {
        _context = new AssemblyLoadContext("CoroutineGen test: " + name, isCollectible: true);
        _assembly = _context.LoadFromStream(pe, pdb);
    }

    /// <summary>The loaded assembly (do not keep references to it past <see cref="Dispose"/>, or it cannot unload).</summary>
    public Assembly Assembly => _assembly ?? throw new ObjectDisposedException(nameof(LoadedAssembly));

    /// <summary>
    /// Calls the static method <paramref name="methodName"/> of the type <paramref name="typeName"/> (its full
    /// metadata name, e.g. <c>Ns.Outer+Inner</c>) with <paramref name="arguments"/>, and returns its result. An
    /// exception the method throws propagates unchanged (not wrapped in <see cref="TargetInvocationException"/>).
    /// </summary>
    public object? Invoke(string typeName, string methodName, params object?[] arguments)
    {
        var type = Assembly.GetType(typeName, throwOnError: false)
            ?? throw new ArgumentException($"The assembly has no type '{typeName}'. Types: {string.Join(", ", Assembly.GetTypes().Select(t => t.FullName))}", nameof(typeName));
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name == methodName && m.GetParameters().Length == arguments.Length && !m.IsGenericMethodDefinition)
            .ToList();
        if (candidates.Count != 1)
        {
            throw new ArgumentException($"Expected exactly one static non-generic method {typeName}.{methodName} with {arguments.Length} parameter(s), found {candidates.Count}.", nameof(methodName));
        }

        try
        {
            return candidates[0].Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>
    /// Unloads the context. Returns a weak reference to it, so a test can check that it is really collected.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public WeakReference Unload()
    {
        var context = _context ?? throw new ObjectDisposedException(nameof(LoadedAssembly));
        var weak = new WeakReference(context);
        _assembly = null;
        _context = null;
        context.Unload();
        return weak;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_context is not null)
        {
            Unload();
        }
    }
}
