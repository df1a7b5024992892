using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CoroutineGen.Generators.Diagnostics;

/// <summary>
/// CORO0012: a call of <c>SendAsync</c>, <c>ThrowAsync</c>, <c>CloseAsync</c> or <c>DisposeAsync</c> of an
/// <c>IAsyncCoroutine</c> whose task is dropped: the call is an expression statement (<c>p.SendAsync(x);</c>,
/// <c>p?.SendAsync(x);</c>) or is assigned to the discard (<c>_ = p.SendAsync(x);</c>). Its errors are lost, and
/// the next call can start while it is still running. Reported in any method, templates included; the message of a
/// call directly in a synchronous template says to make the template async, since it cannot await. One look at the
/// parent of each invocation with one of those names: cheap enough for every method.
/// </summary>
internal static class SendAsyncNotAwaited
{
    public static void Analyze(OperationAnalysisContext context, INamedTypeSymbol attribute)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name is not ("SendAsync" or "ThrowAsync" or "CloseAsync" or "DisposeAsync")
            || !(IsAsyncCoroutine(invocation.TargetMethod.ContainingType) || IsAsyncCoroutine(invocation.Instance?.Type))
            || Discarded(invocation) is not { } discarded)
        {
            return;
        }

        var name = invocation.TargetMethod.Name + "()";
        var function = EnclosingFunction(invocation, context.ContainingSymbol);
        string remedy = function switch
        {
            { IsAsync: true } => "await it",
            { MethodKind: not (MethodKind.LocalFunction or MethodKind.AnonymousFunction) } template when IsTemplate(template, attribute) =>
                $"'{template.Name}' is a synchronous template, which cannot await: make it an async template ('async Task') and await the call",
            _ => "await it (in an async method), or keep the task and await it before the next call",
        };
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SendAsyncNotAwaited, discarded.Syntax.GetLocation(), name, remedy));
    }

    /// <summary>
    /// The operation whose value is dropped, if the call's task is: the call (or the <c>?.</c> access around it) as an
    /// expression statement or assigned to <c>_</c>. Null when the task is used (awaited, returned, stored, passed).
    /// </summary>
    private static IOperation? Discarded(IInvocationOperation invocation)
    {
        IOperation operation = invocation;
        while (operation.Parent is IConditionalAccessOperation access && access.WhenNotNull == operation)
        {
            operation = access;
        }

        return operation.Parent switch
        {
            IExpressionStatementOperation => operation,
            ISimpleAssignmentOperation { Target: IDiscardOperation, Parent: IExpressionStatementOperation } assignment when assignment.Value == operation => operation,
            _ => null,
        };
    }

    /// <summary>The innermost method, local function or lambda around <paramref name="operation"/>.</summary>
    private static IMethodSymbol? EnclosingFunction(IOperation operation, ISymbol containingSymbol)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation function:
                    return function.Symbol;
            }
        }

        return containingSymbol as IMethodSymbol;
    }

    private static bool IsTemplate(IMethodSymbol method, INamedTypeSymbol attribute) =>
        method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

    private static bool IsAsyncCoroutine(ITypeSymbol? type) => type switch
    {
        null => false,
        ITypeParameterSymbol parameter => parameter.ConstraintTypes.Any(IsAsyncCoroutine),
        _ => IsAsyncCoroutineInterface(type) || type.AllInterfaces.Any(IsAsyncCoroutineInterface),
    };

    private static bool IsAsyncCoroutineInterface(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "IAsyncCoroutine", Arity: 1 or 2 } named && named.ContainingNamespace?.ToDisplayString() == "CoroutineGen";
}
