using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CoroutineGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.CodeFixes;

/// <summary>
/// CORO0001: adds <c>partial</c> to every type around the template(s) in the diagnosed type, on every declaration
/// (part) of those types that lacks it, in whichever document it is.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFix)), Shared]
public sealed class MakeTypePartialCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "CORO0001.MakePartial";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.TypeNotPartial.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not TypeDeclarationSyntax declaration
                || model.GetDeclaredSymbol(declaration, context.CancellationToken) is not INamedTypeSymbol type)
            {
                continue;
            }

            var types = TypesToMakePartial(type, context.CancellationToken);
            if (types.Count == 0)
            {
                continue;
            }

            var title = types.Count == 1
                ? $"Make '{types[0].Name}' partial"
                : $"Make {string.Join(", ", types.Take(types.Count - 1).Select(t => $"'{t.Name}'"))} and '{types[types.Count - 1].Name}' partial";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => MakePartialAsync(context.Document.Project.Solution, types, ct), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The diagnosed type and every type around it, outermost first, when it encloses a template (directly or in a
    /// nested type); only those with a declaration that lacks <c>partial</c>.
    /// </summary>
    private static List<INamedTypeSymbol> TypesToMakePartial(INamedTypeSymbol diagnosed, CancellationToken cancellationToken)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = diagnosed; t is not null; t = t.ContainingType)
        {
            chain.Insert(0, t);
        }

        // The nested types between the diagnosed one and the templates it contains.
        var inner = new List<INamedTypeSymbol>();
        CollectTypesWithTemplates(diagnosed, inner);
        return chain.Concat(inner.Where(t => !SymbolEqualityComparer.Default.Equals(t, diagnosed)))
            .Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
            .Where(t => Declarations(t, cancellationToken).Any(d => !IsPartial(d)))
            .ToList();
    }

    /// <summary>Adds to <paramref name="result"/> every type nested in <paramref name="type"/> (and itself) that holds a template, with the types between.</summary>
    private static bool CollectTypesWithTemplates(INamedTypeSymbol type, List<INamedTypeSymbol> result)
    {
        var hasTemplate = type.GetMembers().OfType<IMethodSymbol>().Any(Templates.IsTemplate);
        foreach (var nested in type.GetTypeMembers())
        {
            hasTemplate |= CollectTypesWithTemplates(nested, result);
        }

        if (hasTemplate)
        {
            result.Add(type);
        }

        return hasTemplate;
    }

    private static IEnumerable<TypeDeclarationSyntax> Declarations(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>();

    private static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>
    /// Inserts <c>partial </c> right before each declaration's keyword (where C# wants it: after every other
    /// modifier). Made as text changes, not new syntax roots, so that Fix All (the batch fixer merges text changes)
    /// gets exactly these insertions: identical ones from several diagnostics then merge into one.
    /// </summary>
    private static async Task<Solution> MakePartialAsync(Solution solution, List<INamedTypeSymbol> types, CancellationToken cancellationToken)
    {
        var byDocument = types
            .SelectMany(t => Declarations(t, cancellationToken))
            .Where(d => !IsPartial(d))
            .GroupBy(d => d.SyntaxTree);
        foreach (var group in byDocument)
        {
            var document = solution.GetDocument(group.Key);
            if (document is null)
            {
                continue;
            }

            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var insertions = group.Select(d => new TextChange(new TextSpan(d.Keyword.SpanStart, 0), "partial ")).Distinct().OrderBy(c => c.Span.Start);
            solution = solution.WithDocumentText(document.Id, text.WithChanges(insertions));
        }

        return solution;
    }
}
