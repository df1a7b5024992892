using System.Collections.Concurrent;
using System.Linq;
using CoroutineGen.Generators.Lowering;
using CoroutineGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CoroutineGen.Generators.Diagnostics;

/// <summary>
/// CORO0011: a call outside a template that binds to a template rather than to its factory. Two ways to get there:
/// the call passes an inbox argument (it compiles, and throws at the template's first <c>Receive()</c>), or the
/// factory is missing because the template has an error, so the call binds to the template, or fails to, and the
/// compiler's errors (CS7036 "no argument given for 'inbox'", CS1501, CS0815) point at the template's parameters.
/// The diagnostic names the template's own first error instead. (Inside a template the parser reports such a call,
/// CORO0004.)
/// </summary>
internal static class TemplateCalls
{
    public static void Analyze(OperationAnalysisContext context, INamedTypeSymbol attribute, CompilationContext compilation, ConcurrentDictionary<IMethodSymbol, DiagnosticInfo?> errors)
    {
        if (context.Operation.Syntax is not InvocationExpressionSyntax syntax || context.Operation.SemanticModel is not { } model)
        {
            return;
        }

        var template = context.Operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            // A call that does not compile: what it binds to, or its only candidate.
            _ => model.GetSymbolInfo(syntax, context.CancellationToken) is var info && info.Symbol is IMethodSymbol symbol ? symbol
                : info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] as IMethodSymbol : null,
        };
        if (template is null || !IsTemplate(template.OriginalDefinition, attribute) || InTemplate(context.ContainingSymbol, attribute))
        {
            return;
        }

        var bound = context.Operation is IInvocationOperation
            && !model.GetDiagnostics(syntax.Span, context.CancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);
        var error = errors.GetOrAdd(template.OriginalDefinition, t => FirstError(t, model, compilation, context.CancellationToken));
        string? why = error is not null
            ? $"the template has an error, so it has no factory ({error.Id}: {Message(error)}); fix the template and this call binds to its factory"
            : bound
                ? "a template never runs (its first Receive() throws); call the factory, the same call without the inbox argument"
                : null; // a call that does not compile for its own reasons (or before the generator ran): the compiler says why
        if (why is null)
        {
            return;
        }

        var name = syntax.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.GetLocation(),
            _ => syntax.Expression.GetLocation(),
        };
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TemplateCalled, name, template.Name, why));
    }

    private static string Message(DiagnosticInfo error) => string.Format(
        System.Globalization.CultureInfo.InvariantCulture,
        DiagnosticDescriptors.Get(error.Id).MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture),
        error.Arguments.ToArray<object>());

    private static bool IsTemplate(IMethodSymbol method, INamedTypeSymbol attribute) =>
        method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

    private static bool InTemplate(ISymbol? symbol, INamedTypeSymbol attribute)
    {
        for (var s = symbol; s is IMethodSymbol method; s = method.ContainingSymbol)
        {
            if (method.MethodKind is not (MethodKind.LocalFunction or MethodKind.AnonymousFunction))
            {
                return IsTemplate(method, attribute);
            }
        }

        return false;
    }

    /// <summary>The template's first error, by the same parse and lowering the generator runs (null: it is valid).</summary>
    private static DiagnosticInfo? FirstError(IMethodSymbol template, SemanticModel callerModel, CompilationContext compilation, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var reference in template.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration)
            {
                continue;
            }

#pragma warning disable RS1030 // The template may be in another file: its errors need that file's semantic model.
            var model = declaration.SyntaxTree == callerModel.SyntaxTree ? callerModel : callerModel.Compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
            var parsed = TemplateParser.Parse(declaration, template, model, compilation, cancellationToken);
            var first = parsed.Diagnostics.FirstOrDefault(d => d.IsError);
            if (first is null && parsed.Model is { } lowered)
            {
                first = CoroutineLowerer.Lower(lowered, cancellationToken).Diagnostics.FirstOrDefault(d => d.IsError);
            }

            if (first is not null)
            {
                return first;
            }
        }

        return null;
    }
}
