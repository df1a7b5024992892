using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Tests.Infrastructure;

/// <summary>
/// Checks one test source end to end: the analyzer reports exactly the marked diagnostics (id and span), the
/// generator agrees (it emits a coroutine for every template the analyzer finds no error in, and nothing for the
/// others, without throwing), the generated code compiles, and the analyzer reports the same diagnostics when it
/// sees the generated code too, as it does in the IDE.
/// </summary>
internal static class DiagnosticAssert
{
    /// <summary>Verifies <paramref name="markup"/>; returns the analyzer's diagnostics for further checks on their messages.</summary>
    public static ImmutableArray<Diagnostic> Verify(string markup, bool allowUnsafe = false, params string[] expectedCompilerErrors) =>
        Verify(markup, allowUnsafe, usesFactories: false, expectedCompilerErrors);

    /// <summary>
    /// As <see cref="Verify(string, bool, string[])"/>; with <paramref name="usesFactories"/> the source calls generated
    /// factories, so it compiles only with the generated code: then that, and not the source alone, must compile.
    /// </summary>
    public static ImmutableArray<Diagnostic> Verify(string markup, bool allowUnsafe, bool usesFactories, params string[] expectedCompilerErrors)
    {
        var (source, expected) = Markup.Parse(markup);
        var compilation = TestCompilation.Create(source);
        if (allowUnsafe)
        {
            compilation = compilation.WithOptions(compilation.Options.WithAllowUnsafe(true));
        }

        var compilerErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().Order().ToArray();
        Assert.True(usesFactories || expectedCompilerErrors.Order().SequenceEqual(compilerErrors),
            "compiler errors: " + TestCompilation.Describe(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)));

        // 1. The analyzer: exactly the marked diagnostics (seeing the generated factories, as in the IDE, when the source calls them).
        var generated = TestCompilation.Generate(compilation);
        var actual = TestCompilation.Analyze(usesFactories ? generated.Compilation : compilation);
        var expectedText = string.Join(Environment.NewLine, expected.OrderBy(e => e.Span.Start).ThenBy(e => e.Id, StringComparer.Ordinal).Select(e => Show(source, e.Id, e.Span)));
        var actualText = string.Join(Environment.NewLine, actual.Select(d => Show(source, d.Id, d.Location.SourceSpan)));
        Assert.True(expectedText == actualText,
            $"Expected:{Environment.NewLine}{expectedText}{Environment.NewLine}Actual:{Environment.NewLine}{TestCompilation.Describe(actual)}");

        // 2. The generator agrees, per template.
        Assert.Null(generated.Exception);
        Assert.Empty(generated.Diagnostics);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        foreach (var template in Templates(tree, model))
        {
            var declaration = (MethodDeclarationSyntax)template.DeclaringSyntaxReferences[0].GetSyntax();
            var rejected = actual.Any(d => d.Severity == DiagnosticSeverity.Error && BelongsTo(d, declaration));
            var emitted = EmittedFor(generated.Compilation, template);
            Assert.True(rejected != emitted,
                $"template {template.Name}: the analyzer {(rejected ? "reports an error" : "reports no error")} but the generator {(emitted ? "emitted" : "did not emit")} its coroutine");
        }

        // 3. What was generated compiles (the input's own errors aside).
        if (compilerErrors.Length == 0 || usesFactories)
        {
            var errors = generated.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, "generated code does not compile: " + TestCompilation.Describe(errors));
        }

        // 4. The analyzer reports the same with and without the generated code in the compilation: the IDE analyzes
        //    with it, a fresh build or a design-time pass may not have it yet. (Without the factories, a source that
        //    calls them has no coroutine-typed variables, so CORO0009 and CORO0012 are left out of that comparison.)
        var other = TestCompilation.Analyze(usesFactories ? compilation : generated.Compilation);
        bool Compared(Diagnostic d) => !usesFactories || d.Id is not ("CORO0009" or "CORO0012");
        Assert.Equal(
            string.Join(Environment.NewLine, actual.Where(Compared).Select(d => Show(source, d.Id, d.Location.SourceSpan))),
            string.Join(Environment.NewLine, other.Where(Compared).Select(d => Show(source, d.Id, d.Location.SourceSpan))));

        return actual;
    }

    /// <summary>The single diagnostic's message (the test's markup expects one).</summary>
    public static string Message(this ImmutableArray<Diagnostic> diagnostics) =>
        Assert.Single(diagnostics).GetMessage(CultureInfo.InvariantCulture);

    private static string Show(string source, string id, TextSpan span) => $"{id} at {span} '{source.Substring(span.Start, span.Length)}'";

    private static IEnumerable<IMethodSymbol> Templates(SyntaxTree tree, SemanticModel model) =>
        tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Select(m => model.GetDeclaredSymbol(m))
            .OfType<IMethodSymbol>()
            .Where(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "CoroutineGen.CoroutineAttribute"))
            .Where(m => m.PartialDefinitionPart is null);

    /// <summary>An error about this template: inside its declaration, or CORO0001 on a type around it.</summary>
    private static bool BelongsTo(Diagnostic diagnostic, MethodDeclarationSyntax declaration)
    {
        var span = diagnostic.Location.SourceSpan;
        if (declaration.FullSpan.Contains(span) || declaration.AttributeLists.FullSpan.Contains(span))
        {
            return true;
        }

        return diagnostic.Id == "CORO0001" && declaration.Ancestors().OfType<TypeDeclarationSyntax>().Any(t => t.Identifier.Span == span);
    }

    /// <summary>Whether the generator added the template's <c>NameCoroutine</c> class.</summary>
    private static bool EmittedFor(Compilation output, IMethodSymbol template)
    {
        var type = output.GetTypeByMetadataName(template.ContainingType.GetFullMetadataName());
        return type is not null && type.GetTypeMembers(template.Name + "Coroutine")
            .Any(t => t.DeclaringSyntaxReferences.Any(r => r.SyntaxTree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)));
    }

    private static string GetFullMetadataName(this INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
            type = outer;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }
}
