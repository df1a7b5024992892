using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using CoroutineGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.CodeFixes;

/// <summary>What the code fixes need to know about templates: which method is one, which call suspends it.</summary>
internal static class Templates
{
    public static bool IsTemplate(IMethodSymbol? method) =>
        method is not null && method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TemplateParser.AttributeName);

    /// <summary>The template method that <paramref name="node"/> is in (not counting lambdas or local functions in it), or null.</summary>
    public static MethodDeclarationSyntax? EnclosingTemplate(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return null;
                case MethodDeclarationSyntax method:
                    return IsTemplate(model.GetDeclaredSymbol(method, cancellationToken)) ? method : null;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="invocation"/> is <c>inbox.Receive()</c> or <c>inbox.Yield(...)</c> on the template's own inbox.</summary>
    public static bool IsSuspension(InvocationExpressionSyntax invocation, IParameterSymbol inbox, SemanticModel model, CancellationToken cancellationToken) =>
        invocation.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name.Identifier.ValueText: "Receive" or "Yield" }
        && model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method
        && TemplateParser.IsInbox(method.ContainingType)
        && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(receiver, cancellationToken).Symbol, inbox);

    /// <summary>The template's inbox parameter, when its first parameter is one.</summary>
    public static IParameterSymbol? Inbox(IMethodSymbol template) =>
        template.Parameters.Length > 0 && TemplateParser.IsInbox(template.Parameters[0].Type) ? template.Parameters[0] : null;

    /// <summary>A name for a new local or parameter that no declaration in <paramref name="scope"/> uses.</summary>
    public static string UniqueName(SyntaxNode scope, string preferred, System.Collections.Generic.ICollection<string>? alsoTaken = null)
    {
        var taken = scope.DescendantNodesAndSelf().SelectMany(DeclaredNames).Concat(alsoTaken ?? System.Array.Empty<string>()).ToImmutableHashSet();
        if (!taken.Contains(preferred))
        {
            return preferred;
        }

        for (int i = 2; ; i++)
        {
            var candidate = preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private static System.Collections.Generic.IEnumerable<string> DeclaredNames(SyntaxNode node) => node switch
    {
        VariableDeclaratorSyntax v => new[] { v.Identifier.ValueText },
        SingleVariableDesignationSyntax d => new[] { d.Identifier.ValueText },
        ParameterSyntax p => new[] { p.Identifier.ValueText },
        ForEachStatementSyntax f => new[] { f.Identifier.ValueText },
        CatchDeclarationSyntax c when c.Identifier != default => new[] { c.Identifier.ValueText },
        LocalFunctionStatementSyntax l => new[] { l.Identifier.ValueText },
        FromClauseSyntax q => new[] { q.Identifier.ValueText },
        LetClauseSyntax q => new[] { q.Identifier.ValueText },
        JoinClauseSyntax q => new[] { q.Identifier.ValueText },
        QueryContinuationSyntax q => new[] { q.Identifier.ValueText },
        LabeledStatementSyntax l => new[] { l.Identifier.ValueText },
        _ => System.Array.Empty<string>(),
    };
}
