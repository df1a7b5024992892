using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CoroutineGen.Generators.Diagnostics;

/// <summary>
/// CORO0012, the task of an async coroutine not awaited, in three forms:
/// <list type="bullet">
/// <item><description>a call of <c>SendAsync</c>, <c>ThrowAsync</c>, <c>CloseAsync</c> or <c>DisposeAsync</c> of an
/// <c>IAsyncCoroutine</c> whose task is dropped: the call is an expression statement (<c>p.SendAsync(x);</c>,
/// <c>p?.SendAsync(x);</c>) or is assigned to the discard (<c>_ = p.SendAsync(x);</c>). Its errors are lost, and the
/// next call can start while it is still running;</description></item>
/// <item><description>a call that returns a task of an async coroutine (<c>ValueTask&lt;C&gt;</c> or <c>Task&lt;C&gt;</c>,
/// C an <c>IAsyncCoroutine</c>: an async template's factory, or a method that wraps one) whose task is dropped the same
/// way: the coroutine it creates is primed and never closed, and an error while priming is lost;</description></item>
/// <item><description>a member of the coroutine used on such a task (<c>Stages.Printer().SendAsync(x)</c>, <c>t.State</c>
/// for <c>var t = Stages.Printer();</c>): the compiler's CS1061 asks whether a using directive is missing, where the
/// task has to be awaited. Only looked at where the compiler already failed (an invalid operation), so it costs
/// nothing in code that compiles.</description></item>
/// </list>
/// Reported in any method, templates included. The message of a call directly in a synchronous template says to make
/// the template async, since it cannot await. The property <see cref="KindProperty"/> tells the code fix which form it
/// is: only a dropped call (<see cref="DroppedCall"/>) is fixed by awaiting it.
/// </summary>
internal static class SendAsyncNotAwaited
{
    /// <summary>The diagnostic's property that says which form it is.</summary>
    public const string KindProperty = "Kind";

    /// <summary>A dropped <c>SendAsync</c>, <c>ThrowAsync</c>, <c>CloseAsync</c> or <c>DisposeAsync</c>: awaiting it is the fix.</summary>
    public const string DroppedCall = "DroppedCall";

    /// <summary>A dropped task of a factory: awaiting it alone would still drop the coroutine.</summary>
    public const string DroppedFactoryTask = "DroppedFactoryTask";

    /// <summary>A member of the coroutine used on its task (the compiler's CS1061 is there too).</summary>
    public const string TaskUsedAsCoroutine = "TaskUsedAsCoroutine";

    public static void Analyze(OperationAnalysisContext context, INamedTypeSymbol attribute)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        bool call = method.Name is "SendAsync" or "ThrowAsync" or "CloseAsync" or "DisposeAsync"
            && (IsAsyncCoroutine(method.ContainingType) || IsAsyncCoroutine(invocation.Instance?.Type));
        if (!call && CoroutineOfTask(method.ReturnType) is null)
        {
            return;
        }

        if (Discarded(invocation) is not { } discarded)
        {
            return;
        }

        var function = EnclosingFunction(invocation, context.ContainingSymbol);
        var inSyncTemplate = function is { IsAsync: false, MethodKind: not (MethodKind.LocalFunction or MethodKind.AnonymousFunction) } template && IsTemplate(template, attribute);
        string subject = $"The task that '{method.Name}()' returns is discarded";
        string rest;
        if (call)
        {
            rest = "its errors are lost, and the next call may start before this one has finished and fail with 'coroutine is already running'; " + (function switch
            {
                { IsAsync: true } => "await it",
                _ when inSyncTemplate => $"'{function!.Name}' is a synchronous template, which cannot await: make it an async template ('async Task') and await the call",
                _ => "await it (in an async method), or keep the task and await it before the next call",
            });
        }
        else
        {
            rest = "the coroutine it creates is primed and never closed (its 'finally' blocks and 'catch (GeneratorExitException)' never run), and an error while priming is lost; " + (function switch
            {
                { IsAsync: true } => $"await it and keep the coroutine, to close it when done ('await using var c = await {method.Name}(...);')",
                _ when inSyncTemplate => $"'{function!.Name}' is a synchronous template, which cannot await: make it an async template ('async Task'), await the call and keep the coroutine, to close it when done",
                _ => "await it (in an async method) and keep the coroutine, to close it when done",
            });
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.SendAsyncNotAwaited, discarded.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(KindProperty, call ? DroppedCall : DroppedFactoryTask),
            subject, rest));
    }

    /// <summary>
    /// A member of an async coroutine used on a task of one, where the compiler found no such member (CS1061): on an
    /// invalid member access, or an invalid call of one. Reported on the task expression.
    /// </summary>
    public static void AnalyzeInvalid(OperationAnalysisContext context)
    {
        var operation = context.Operation;
        var access = operation.Syntax switch
        {
            MemberAccessExpressionSyntax member => member,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } => member,
            _ => null,
        };
        if (access is null || operation.SemanticModel is not { } model
            // The invalid call around an invalid member access: the access reports (once).
            || (operation.Syntax == access && operation.Parent is IInvalidOperation { Syntax: InvocationExpressionSyntax outer } && outer.Expression == access))
        {
            return;
        }

        var taskType = model.GetTypeInfo(access.Expression, context.CancellationToken).Type;
        if (CoroutineOfTask(taskType) is not { } coroutine)
        {
            return;
        }

        var name = access.Name.Identifier.ValueText;
        var position = access.Name.SpanStart;
        if (!model.LookupSymbols(position, taskType, name, includeReducedExtensionMethods: true).IsEmpty
            || model.LookupSymbols(position, coroutine, name, includeReducedExtensionMethods: true).IsEmpty)
        {
            return; // the task has it (the error is another one), or the coroutine does not have it either
        }

        var task = taskType!.ToMinimalDisplayString(model, access.SpanStart);
        var subject = $"This {task} is not the coroutine";
        var rest = $"'{name}' is a member of '{coroutine.ToMinimalDisplayString(model, access.SpanStart)}', which the task completes with (the compiler's 'are you missing a using directive' does not apply); await the task first and keep the coroutine, to close it when done ('await using var c = await ...;')";
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.SendAsyncNotAwaited, access.Expression.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(KindProperty, TaskUsedAsCoroutine),
            subject, rest));
    }

    /// <summary>C when <paramref name="type"/> is <c>ValueTask&lt;C&gt;</c> or <c>Task&lt;C&gt;</c> and C an async coroutine.</summary>
    private static ITypeSymbol? CoroutineOfTask(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "ValueTask" or "Task", Arity: 1 } task
        && task.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
        && IsAsyncCoroutine(task.TypeArguments[0])
            ? task.TypeArguments[0]
            : null;

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
