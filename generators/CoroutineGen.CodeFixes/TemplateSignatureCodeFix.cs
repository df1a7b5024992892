using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.CodeFixes;

/// <summary>
/// CORO0002, the fixes a user expects for a template signature: move the inbox first, add a missing inbox, pass a
/// parameter by value, remove <c>async</c> from an <c>async void</c> template that awaits nothing, make a struct's
/// instance template static. Each is offered only where it
/// gives a valid template without changing what the body means; otherwise nothing is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TemplateSignatureCodeFix)), Shared]
public sealed class TemplateSignatureCodeFix : CodeFixProvider
{
    internal const string MoveInboxFirstKey = "CORO0002.MoveInboxFirst";
    internal const string AddInboxKey = "CORO0002.AddInbox";
    internal const string PassByValueKey = "CORO0002.PassByValue";
    internal const string RemoveAsyncKey = "CORO0002.RemoveAsync";
    internal const string MakeStaticKey = "CORO0002.MakeStatic";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidSignature.Id);

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
            var span = diagnostic.Location.SourceSpan;
            var token = root.FindToken(span.Start);
            var method = token.Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>();
            if (method is null || model.GetDeclaredSymbol(method, context.CancellationToken) is not { } symbol)
            {
                continue;
            }

            var action = CreateAction(context.Document, root, model, method, symbol, token, span, context.CancellationToken);
            if (action is not null)
            {
                context.RegisterCodeFix(action, diagnostic);
            }
        }
    }

    private static CodeAction? CreateAction(Document document, SyntaxNode root, SemanticModel model, MethodDeclarationSyntax method, IMethodSymbol symbol, SyntaxToken token, TextSpan span, CancellationToken cancellationToken)
    {
        // 'async void' (reported on 'void'), when the template awaits nothing: removing the modifier leaves the same body.
        // (An 'async void' that awaits becomes 'async Task': AsyncTemplateCodeFix.)
        if (symbol.IsAsync && method.ReturnType.Span == span)
        {
            var asyncKeyword = method.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.AsyncKeyword));
            if (!symbol.ReturnsVoid || asyncKeyword == default || Body(method).Any(n => n is AwaitExpressionSyntax || n is CommonForEachStatementSyntax { AwaitKeyword.RawKind: not 0 } || n is UsingStatementSyntax { AwaitKeyword.RawKind: not 0 } || n is LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: not 0 }))
            {
                return null;
            }

            return CodeAction.Create("Remove 'async'", ct => Delete(document, TextSpan.FromBounds(asyncKeyword.SpanStart, NextTokenStart(asyncKeyword)), ct), RemoveAsyncKey);
        }

        // The whole parameter list: there is no inbox at all.
        if (method.ParameterList.Span == span)
        {
            if (symbol.Parameters.Any(p => TemplateParser.IsInbox(p.Type)))
            {
                return null;
            }

            var name = Templates.UniqueName(method, "inbox");
            return CodeAction.Create(
                $"Add an 'Inbox<object> {name}' parameter first (then replace 'object' with the type of the values it receives)",
                _ => Replace(document, root, method, AddInbox(method, name)),
                AddInboxKey);
        }

        // One parameter.
        var parameter = method.ParameterList.Parameters.FirstOrDefault(p => p.Span == span);
        if (parameter is not null)
        {
            var index = method.ParameterList.Parameters.IndexOf(parameter);
            var parameterSymbol = index < symbol.Parameters.Length ? symbol.Parameters[index] : null;
            if (parameterSymbol is null)
            {
                return null;
            }

            var isInbox = TemplateParser.IsInbox(parameterSymbol.Type);
            if (isInbox && index > 0 && !TemplateParser.IsInbox(symbol.Parameters[0].Type) && !parameter.Modifiers.Any(SyntaxKind.ParamsKeyword))
            {
                return CodeAction.Create($"Move '{parameter.Identifier.ValueText}' to the first parameter", _ => Replace(document, root, method, MoveFirst(method, index)), MoveInboxFirstKey);
            }

            if (parameterSymbol.RefKind != RefKind.None && (!isInbox || index == 0) && !parameterSymbol.Type.IsRefLikeType)
            {
                // An 'out' parameter becomes an ordinary one that the factory takes: the body assigns it before reading it anyway.
                var modifiers = parameter.Modifiers.Where(IsByReferenceModifier).ToList();
                if (modifiers.Count == 0)
                {
                    return null;
                }

                return CodeAction.Create(
                    $"Pass '{parameter.Identifier.ValueText}' by value",
                    ct => Delete(document, TextSpan.FromBounds(modifiers[0].SpanStart, NextTokenStart(modifiers[modifiers.Count - 1])), ct),
                    PassByValueKey);
            }

            return null;
        }

        // The template's name: an instance template in a struct that uses nothing of the instance.
        if (token == method.Identifier && !symbol.IsStatic && symbol.ContainingType.IsValueType && symbol.MethodKind == MethodKind.Ordinary
            && !symbol.IsAbstract && !UsesInstance(method, symbol, model, cancellationToken))
        {
            return CodeAction.Create($"Make '{symbol.Name}' static", _ => Replace(document, root, method, MakeStatic(method)), MakeStaticKey);
        }

        return null;
    }

    private static System.Collections.Generic.IEnumerable<SyntaxNode> Body(MethodDeclarationSyntax method) =>
        ((SyntaxNode?)method.Body ?? method.ExpressionBody)?.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax)
        ?? Enumerable.Empty<SyntaxNode>();

    private static Task<Document> Replace(Document document, SyntaxNode root, SyntaxNode oldNode, SyntaxNode newNode) =>
        Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode)));

    /// <summary>
    /// Deletes text (a modifier and the space after it). Made as a text change, not a new syntax root, so that Fix
    /// All (the batch fixer merges text changes) gets exactly this change and not a diff of the two trees, which can
    /// align repeated tokens ('ref int a, ..., ref int d') differently and collide with the fixes next to it.
    /// </summary>
    private static async Task<Document> Delete(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(new TextChange(span, string.Empty)));
    }

    /// <summary>Where the token after <paramref name="token"/> starts: deleting up to there also deletes the space after it.</summary>
    private static int NextTokenStart(SyntaxToken token) => token.GetNextToken().SpanStart;

    private static bool IsByReferenceModifier(SyntaxToken modifier) =>
        modifier.IsKind(SyntaxKind.RefKeyword) || modifier.IsKind(SyntaxKind.OutKeyword) || modifier.IsKind(SyntaxKind.InKeyword)
        || modifier.IsKind(SyntaxKind.ReadOnlyKeyword) || modifier.IsKind(SyntaxKind.ScopedKeyword);

    private static MethodDeclarationSyntax AddInbox(MethodDeclarationSyntax method, string name)
    {
        var type = SyntaxFactory.ParseTypeName("global::CoroutineGen.Inbox<object>")
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var inbox = SyntaxFactory.Parameter(SyntaxFactory.Identifier(name)).WithType(type.WithTrailingTrivia(SyntaxFactory.Space));
        var parameters = method.ParameterList.Parameters;
        if (parameters.Count == 0)
        {
            return method.WithParameterList(method.ParameterList.WithParameters(parameters.Add(inbox)));
        }

        // Keep the first parameter's leading trivia (a line break in a long list) in front of the new one.
        var first = parameters[0];
        inbox = inbox.WithLeadingTrivia(first.GetLeadingTrivia());
        var separator = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(first.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.WhitespaceTrivia)) && first.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) ? SyntaxFactory.TriviaList(SyntaxFactory.ElasticCarriageReturnLineFeed) : SyntaxFactory.TriviaList(SyntaxFactory.Space));
        var nodes = new[] { inbox }.Concat(parameters);
        var separators = new[] { separator }.Concat(parameters.GetSeparators());
        return method.WithParameterList(method.ParameterList.WithParameters(SyntaxFactory.SeparatedList(nodes, separators)));
    }

    /// <summary>Moves the parameter at <paramref name="index"/> to the front; the separators (and their trivia) stay where they are.</summary>
    private static MethodDeclarationSyntax MoveFirst(MethodDeclarationSyntax method, int index)
    {
        var parameters = method.ParameterList.Parameters;
        var moved = parameters[index];
        var reordered = parameters.Where((_, i) => i != index).ToList();
        reordered.Insert(0, moved);

        // Each position keeps its own leading trivia (indentation of a multi-line list).
        var positions = parameters.ToList();
        var nodes = reordered.Select((p, i) => p.WithLeadingTrivia(positions[i].GetLeadingTrivia()).WithTrailingTrivia(positions[i].GetTrailingTrivia()));
        return method.WithParameterList(method.ParameterList.WithParameters(SyntaxFactory.SeparatedList(nodes, parameters.GetSeparators())));
    }

    private static MethodDeclarationSyntax MakeStatic(MethodDeclarationSyntax method)
    {
        var modifiers = method.Modifiers;
        var insertAt = modifiers.Count;
        for (int i = 0; i < modifiers.Count; i++)
        {
            if (!SyntaxFacts.IsAccessibilityModifier(modifiers[i].Kind()) && !modifiers[i].IsKind(SyntaxKind.NewKeyword))
            {
                insertAt = i;
                break;
            }
        }

        var staticKeyword = SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (modifiers.Count == 0)
        {
            return method.WithModifiers(SyntaxFactory.TokenList(staticKeyword.WithLeadingTrivia(method.ReturnType.GetLeadingTrivia())))
                .WithReturnType(method.ReturnType.WithLeadingTrivia());
        }

        if (insertAt == 0)
        {
            var first = modifiers[0];
            modifiers = modifiers.Replace(first, first.WithLeadingTrivia()).Insert(0, staticKeyword.WithLeadingTrivia(first.LeadingTrivia));
            return method.WithModifiers(modifiers);
        }

        return method.WithModifiers(modifiers.Insert(insertAt, staticKeyword));
    }

    /// <summary>Whether the body (lambdas and local functions included) uses <c>this</c> or an instance member of the type.</summary>
    private static bool UsesInstance(MethodDeclarationSyntax method, IMethodSymbol template, SemanticModel model, CancellationToken cancellationToken)
    {
        var body = (SyntaxNode?)method.Body ?? method.ExpressionBody;
        if (body is null)
        {
            return true;
        }

        foreach (var node in body.DescendantNodes())
        {
            switch (node)
            {
                case ThisExpressionSyntax or BaseExpressionSyntax:
                    return true;
                case SimpleNameSyntax name when !(name.Parent is MemberAccessExpressionSyntax access && access.Name == name) && name.Parent is not MemberBindingExpressionSyntax:
                {
                    var symbol = model.GetSymbolInfo(name, cancellationToken).Symbol;
                    if (symbol is { IsStatic: false, Kind: SymbolKind.Field or SymbolKind.Property or SymbolKind.Method or SymbolKind.Event }
                        && symbol.ContainingType is { } owner
                        && template.ContainingType.IsValueType
                        && (SymbolEqualityComparer.Default.Equals(owner, template.ContainingType) || owner.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType)
                        && !IsInNameof(name))
                    {
                        return true;
                    }

                    break;
                }
            }
        }

        return false;
    }

    private static bool IsInNameof(SyntaxNode node) =>
        node.Ancestors().Any(a => a is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } });
}
