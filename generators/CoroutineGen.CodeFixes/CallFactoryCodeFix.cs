using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using CoroutineGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.CodeFixes;

/// <summary>
/// CORO0011, for a call that binds to a template because it passes an inbox argument: removes that argument, so the
/// call binds to the factory. (When the factory is missing because the template has an error, there is nothing to
/// fix at the call: the diagnostic names the template's error.)
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CallFactoryCodeFix)), Shared]
public sealed class CallFactoryCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "CORO0011.CallFactory";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.TemplateCalled.Id);

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
            var invocation = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
            if (invocation is null || model.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol template
                || Templates.Inbox(template.OriginalDefinition) is not { } inboxParameter)
            {
                continue;
            }

            // The argument that goes to the inbox: the first positional one, or the one named after the inbox.
            var inbox = inboxParameter.Name;
            var argument = invocation.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == inbox)
                ?? invocation.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon is null);
            if (argument is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Call the factory '{template.Name}' (without the inbox argument)",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(
                        invocation.ArgumentList,
                        invocation.ArgumentList.WithArguments(invocation.ArgumentList.Arguments.Remove(argument))))),
                    EquivalenceKey),
                diagnostic);
        }
    }
}
