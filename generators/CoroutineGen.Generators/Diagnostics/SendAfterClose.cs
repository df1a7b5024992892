using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CoroutineGen.Generators.Diagnostics;

/// <summary>
/// CORO0009: a coroutine closed by <c>Close()</c> or <c>Dispose()</c> and then sent to in the same method. The
/// analysis follows the statements of each block in order: a close of a local or parameter, then, before anything
/// assigns that variable again, a <c>Send</c> or <c>Throw</c> on it, which must throw. Loops and branches are left
/// alone (a send in a later branch may be unreachable), so it only warns where the send certainly follows.
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
                if (invocation.TargetMethod.Name is "Send" or "Throw"
                    && IsCoroutine(invocation.TargetMethod.ContainingType)
                    && Variable(invocation.Instance) is { } variable
                    && closed.TryGetValue(variable, out var line))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.SendAfterClose,
                        invocation.Syntax.GetLocation(),
                        variable.Name,
                        line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        invocation.TargetMethod.Name + "()"));
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

            // A statement that closes: `x.Close();` or `x.Dispose();`.
            if (statement is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Close" or "Dispose" } close }
                && IsCoroutine(close.TargetMethod.ContainingType)
                && Variable(close.Instance) is { } closedVariable)
            {
                closed[closedVariable] = close.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            }
        }
    }

    private static ISymbol? Variable(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IConversionOperation conversion => Variable(conversion.Operand),
        _ => null,
    };

    private static bool IsCoroutine(ITypeSymbol? type) =>
        type is not null && (IsCoroutineInterface(type) || type.AllInterfaces.Any(IsCoroutineInterface));

    private static bool IsCoroutineInterface(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "ICoroutine", Arity: 1 or 2 } named && named.ContainingNamespace?.ToDisplayString() == "CoroutineGen";
}
