using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// The binder's facts about copied code (<see cref="Model.Code.CallFree"/>), from its <see cref="IOperation"/> tree, not
/// its text: whether running it may run anything but built-in operations. Call-free code can raise only implicit
/// exceptions (a <c>NullReferenceException</c>, an overflow, an index out of range) and cannot observe the coroutine,
/// which is what a fast path without an exception handler needs (<c>Lowering/FastPathSelection.cs</c>).
/// </summary>
/// <remarks>
/// Call-free operations: a local or parameter reference, a constant (a literal, a <c>const</c> local or field, a
/// constant expression), a built-in unary, binary, compound or increment operator on primitive operands (no operator
/// method, not lifted), an assignment, an identity or built-in numeric conversion, <c>.Length</c> of a string or an
/// array, <c>?:</c>, an expression statement, a block, an <c>if</c>, a loop other than <c>foreach</c>, a local
/// declaration without <c>using</c>, <c>break</c>, <c>continue</c> and <c>goto</c>. Anything else may call: an
/// invocation, an object or array creation, a field, property or indexer access, a user-defined operator or conversion,
/// boxing, a lambda, a throw, an await, an interpolated string, a pattern, anything dynamic or invalid.
/// <para>
/// A copied node's fact is what its own operations do, not counting its operands (the parts the spiller may evaluate
/// elsewhere, each with its own fact): the walk stops at an operand's own operation, but it checks the implicit
/// conversion C# applies to the operand where the node uses it, since the lowering's copy of the node applies it there
/// too (the operand may sit in a temporary of its own type meanwhile).
/// </para>
/// <para>
/// Computing it costs a walk of the node's operations, which the parser does on every edit: it is computed only where
/// a fast path may copy the code (<see cref="Matters"/>) and is false elsewhere.
/// </para>
/// </remarks>
internal sealed class CallFacts
{
    private readonly TemplateContext _c;

    public CallFacts(TemplateContext context) => _c = context;

    /// <summary>The body has labels that a <c>goto</c> in a block that suspends may jump to: loops without a loop statement.</summary>
    public bool GotoLoops { get; set; }

    /// <summary>
    /// Whether a fast path may copy <paramref name="node"/>: an async template's fast paths always have a handler, and a
    /// synchronous template's are segments of loops that suspend, so the node must be inside such a loop (or the body
    /// must have labels that a backward <c>goto</c> may make a loop of).
    /// </summary>
    public bool Matters(SyntaxNode node)
    {
        if (_c.Method.IsAsync)
        {
            return false;
        }

        if (GotoLoops)
        {
            return true;
        }

        for (var n = node.Parent; n is not null && n != _c.Syntax; n = n.Parent)
        {
            if (n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax && _c.Suspends(n))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The fact of copied code: <paramref name="node"/> (a statement or an expression) with all it contains.</summary>
    public bool Of(SyntaxNode node) => Matters(node) && Quiet(Operation(node), null);

    /// <summary>
    /// The fact of what <paramref name="node"/> itself does with its <paramref name="operands"/> (bound on their own,
    /// each with its own fact): the operands' own operations are not walked, the conversions that
    /// <paramref name="node"/> applies to them are.
    /// </summary>
    public bool Own(SyntaxNode node, IEnumerable<SyntaxNode?> operands)
    {
        if (!Matters(node))
        {
            return false;
        }

        var stop = new HashSet<SyntaxNode>();
        foreach (var operand in operands)
        {
            if (operand is not null)
            {
                stop.Add(Unwrap(operand));
            }
        }

        return Quiet(Operation(node), stop);
    }

    /// <summary>
    /// The conversion C# applies to the value of <paramref name="expression"/> where it is used (a received value, a
    /// condition, a local's initializer): true when there is none, or only identity and built-in numeric conversions.
    /// </summary>
    public bool ConversionAtUse(ExpressionSyntax expression)
    {
        if (!Matters(expression) || Operation(expression) is not { } operation)
        {
            return false;
        }

        for (var parent = operation.Parent; parent is not null && parent.IsImplicit && parent.Syntax == operation.Syntax; parent = parent.Parent)
        {
            if (parent is not IConversionOperation conversion || !QuietConversion(conversion))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The conversion of a yielded value (the argument of <c>inbox.Yield(x)</c>) to the coroutine's output type.</summary>
    public bool ArgumentConversion(InvocationExpressionSyntax invocation)
    {
        if (!Matters(invocation) || Operation(invocation) is not IInvocationOperation { Arguments.Length: 1 } call
            || invocation.ArgumentList.Arguments.Count != 1)
        {
            return false;
        }

        var argument = call.Arguments[0];

        var stop = new HashSet<SyntaxNode> { Unwrap(invocation.ArgumentList.Arguments[0].Expression) };
        return argument.ArgumentKind == ArgumentKind.Explicit && Quiet(argument.Value, stop);
    }

    private IOperation? Operation(SyntaxNode node) => _c.Model.GetOperation(Unwrap(node), _c.CancellationToken);

    /// <summary>
    /// The node that has an operation: C# binds no operation for parentheses or for <c>checked(...)</c> and <c>checked { }</c>
    /// (what is inside is bound in that context), so an operation's syntax is what they enclose.
    /// </summary>
    private static SyntaxNode Unwrap(SyntaxNode node)
    {
        while (true)
        {
            switch (node)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    node = parenthesized.Expression;
                    continue;
                case CheckedExpressionSyntax checkedExpression:
                    node = checkedExpression.Expression;
                    continue;
                case CheckedStatementSyntax checkedStatement:
                    node = checkedStatement.Block;
                    continue;
                default:
                    return node;
            }
        }
    }

    private bool Quiet(IOperation? operation, HashSet<SyntaxNode>? stop)
    {
        if (operation is null)
        {
            return false;
        }

        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (stop is not null && !operation.IsImplicit && stop.Contains(operation.Syntax))
        {
            // An operand: its own fact is its code's.
            return true;
        }

        if (operation.ConstantValue.HasValue && IsPrimitiveOrString(operation.Type))
        {
            // Compiled to its value (a literal, a const, a constant expression).
            return true;
        }

        var own = operation switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation or ILiteralOperation => true,
            IBinaryOperation binary => binary.OperatorMethod is null && !binary.IsLifted
                && IsPrimitive(binary.LeftOperand.Type) && IsPrimitive(binary.RightOperand.Type),
            IUnaryOperation unary => unary.OperatorMethod is null && !unary.IsLifted && IsPrimitive(unary.Operand.Type),
            ICompoundAssignmentOperation compound => compound.OperatorMethod is null && !compound.IsLifted
                && IsPrimitive(compound.Target.Type) && IsPrimitive(compound.Value.Type)
                && QuietConversion(compound.InConversion) && QuietConversion(compound.OutConversion),
            IIncrementOrDecrementOperation increment => increment.OperatorMethod is null && !increment.IsLifted && IsPrimitive(increment.Target.Type),
            ISimpleAssignmentOperation => true,
            IConversionOperation conversion => QuietConversion(conversion),
            IConditionalOperation => true,
            IPropertyReferenceOperation property => IsLength(property),
            IExpressionStatementOperation or IBlockOperation or IEmptyOperation or ILabeledOperation or IBranchOperation => true,
            IWhileLoopOperation or IForLoopOperation => true,
            IVariableDeclarationGroupOperation or IVariableDeclarationOperation or IVariableDeclaratorOperation or IVariableInitializerOperation => true,
            _ => false,
        };
        if (!own)
        {
            return false;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (!Quiet(child, stop))
            {
                return false;
            }
        }

        return true;
    }

    private static bool QuietConversion(IConversionOperation conversion) =>
        conversion.OperatorMethod is null && QuietConversion(conversion.Conversion)
        && (conversion.Conversion.IsIdentity || (IsPrimitive(conversion.Type) && IsPrimitive(conversion.Operand.Type)));

    private static bool QuietConversion(CommonConversion conversion) =>
        conversion.Exists && !conversion.IsUserDefined && (conversion.IsIdentity || conversion.IsNumeric);

    /// <summary><c>s.Length</c> of a string or <c>a.Length</c> of an array (its instance is walked on its own).</summary>
    private static bool IsLength(IPropertyReferenceOperation property) =>
        property.Property is { Name: "Length", IsStatic: false } length
        && length.ContainingType?.SpecialType is SpecialType.System_String or SpecialType.System_Array
        && property.Arguments.IsEmpty;

    private static bool IsPrimitive(ITypeSymbol? type) => type?.SpecialType is
        SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
        or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double
        or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    private static bool IsPrimitiveOrString(ITypeSymbol? type) => IsPrimitive(type) || type?.SpecialType == SpecialType.System_String;
}
