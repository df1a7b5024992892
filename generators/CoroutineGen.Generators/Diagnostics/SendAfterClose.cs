using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CoroutineGen.Generators.Diagnostics;

/// <summary>
/// CORO0009: a coroutine closed and then sent to in the same method. The analysis follows the statements of each
/// block in order: a close of a local or parameter, then, before anything assigns that variable again, a call that
/// must fail. For a synchronous coroutine (<c>ICoroutine</c>) the close is <c>Close()</c> or <c>Dispose()</c> and the
/// call <c>Send</c> or <c>Throw</c>; for an async one (<c>IAsyncCoroutine</c>) the close is <c>CloseAsync()</c> or
/// <c>DisposeAsync()</c>, awaited (<c>ConfigureAwait</c> too) or not, and the call <c>SendAsync</c> or
/// <c>ThrowAsync</c>, awaited or not. Loops and branches are left alone (a send in a later branch may be
/// unreachable), so it only warns where the send certainly follows.
/// </summary>
internal static class SendAfterClose
{
    public static void Analyze(OperationBlockAnalysisContext context)
    {
        foreach (var block in context.OperationBlocks)
        {
            foreach (var statementList in block.DescendantsAndSelf().OfType<IBlockOperation>())
            {
                AnalyzeBlock(context, statementList);
            }
        }
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, IBlockOperation block)
    {
        var closed = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        foreach (var statement in block.Operations)
        {
            // A send to something closed earlier in this block.
            foreach (var invocation in statement.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                if (Variable(invocation.Instance) is { } variable
                    && closed.TryGetValue(variable, out var line)
                    && Consequence(invocation.TargetMethod.Name, variable) is { } consequence)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.SendAfterClose,
                        invocation.Syntax.GetLocation(),
                        variable.Name,
                        line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        invocation.TargetMethod.Name + "()",
                        consequence,
                        invocation.TargetMethod.Name.StartsWith("Throw", System.StringComparison.Ordinal) ? "throw" : "send"));
                }
            }

            // Assignments reopen the variable.
            foreach (var assignment in statement.DescendantsAndSelf().OfType<ISimpleAssignmentOperation>())
            {
                if (Variable(assignment.Target) is { } assigned)
                {
                    closed.Remove(assigned);
                }
            }

            // A statement that closes: `x.Close();`, `x.Dispose();`, `[await] x.CloseAsync();`, `_ = x.DisposeAsync();`.
            if (Closes(statement) is { } close && Variable(close.Instance) is { } closedVariable)
            {
                closed[closedVariable] = close.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            }
        }
    }

    /// <summary>The close that <paramref name="statement"/> is, if it is one: of a synchronous or of an async coroutine.</summary>
    private static IInvocationOperation? Closes(IOperation statement)
    {
        if (statement is not IExpressionStatementOperation { Operation: var operation })
        {
            return null;
        }

        if (operation is ISimpleAssignmentOperation { Target: IDiscardOperation, Value: var discarded })
        {
            operation = discarded;
        }

        if (operation is IAwaitOperation { Operation: var awaited })
        {
            operation = awaited;
            // `await x.CloseAsync().ConfigureAwait(false)`
            if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
            {
                operation = configured;
            }
        }

        return operation is IInvocationOperation { Instance: { } instance } close && Variable(instance) is { } variable
            && close.TargetMethod.Name switch
            {
                "Close" or "Dispose" => IsCoroutine(TypeOf(variable)) || IsCoroutine(close.TargetMethod.ContainingType),
                "CloseAsync" or "DisposeAsync" => IsAsyncCoroutine(TypeOf(variable)) || IsAsyncCoroutine(close.TargetMethod.ContainingType),
                _ => false,
            }
            ? close
            : null;
    }

    /// <summary>What a call of <paramref name="method"/> on the closed <paramref name="variable"/> will do, or null if it is no send.</summary>
    private static string? Consequence(string method, ISymbol variable) => method switch
    {
        "Send" when IsCoroutine(TypeOf(variable)) => "throw StopIterationException",
        "Throw" when IsCoroutine(TypeOf(variable)) => "throw the exception it is given, without reaching the body",
        "SendAsync" when IsAsyncCoroutine(TypeOf(variable)) => "fail with StopIterationException",
        "ThrowAsync" when IsAsyncCoroutine(TypeOf(variable)) => "fail with the exception it is given, without reaching the body",
        _ => null,
    };

    private static ISymbol? Variable(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IConversionOperation conversion => Variable(conversion.Operand),
        _ => null,
    };

    private static ITypeSymbol? TypeOf(ISymbol variable) => variable switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => null,
    };

    private static bool IsCoroutine(ITypeSymbol? type) => Implements(type, "ICoroutine");

    private static bool IsAsyncCoroutine(ITypeSymbol? type) => Implements(type, "IAsyncCoroutine");

    private static bool Implements(ITypeSymbol? type, string name) => type switch
    {
        null => false,
        ITypeParameterSymbol parameter => parameter.ConstraintTypes.Any(c => Implements(c, name)),
        _ => IsInterface(type, name) || type.AllInterfaces.Any(i => IsInterface(i, name)),
    };

    private static bool IsInterface(ITypeSymbol type, string name) =>
        type is INamedTypeSymbol { Arity: 1 or 2 } named && named.Name == name && named.ContainingNamespace?.ToDisplayString() == "CoroutineGen";
}
