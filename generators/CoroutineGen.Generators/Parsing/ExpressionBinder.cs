using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// Binds an expression on the way to a suspension point. Most C# expressions evaluate their operands left to
/// right and then do one thing with them; those become a <see cref="CompositeExpr"/> (the operands, and the text
/// between them), which the spiller can split at the suspension point. Short-circuiting operators and assignments
/// get their own nodes. Anything else that suspends is reported (CORO0004).
/// </summary>
internal sealed class ExpressionBinder
{
    private readonly TemplateContext _c;
    private readonly CallFacts _facts;

    public ExpressionBinder(TemplateContext context, CallFacts facts)
    {
        _c = context;
        _facts = facts;
    }

    /// <summary>For <c>inbox.YieldFrom(sub)</c>: what it evaluates to (the sub's return type, or nothing).</summary>
    private YieldFromModel? YieldFrom(InvocationExpressionSyntax invocation)
    {
        if (_c.MethodOf(invocation) is not { Name: "YieldFrom" } method)
        {
            return null;
        }

        if (_c.Method.IsAsync)
        {
            // Python forbids `yield from` in an async generator as well (a SyntaxError): asynchronous delegation would
            // need an awaited protocol of its own.
            _c.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, invocation, _c.TemplateName,
                "YieldFrom cannot be used in an async template (Python forbids 'yield from' in an async generator too); receive in a loop and await the sub's SendAsync, or make the template synchronous");
        }

        if (method.ReturnsVoid)
        {
            return new YieldFromModel(null);
        }

        if (TypeNames.Of(method.ReturnType) is { } result)
        {
            return new YieldFromModel(result);
        }

        _c.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, invocation, _c.TemplateName,
            "the sub-coroutine's return type cannot be written in C# (an anonymous type), so YieldFrom cannot return it; return a named type from the sub");
        return new YieldFromModel("object");
    }

    public Expr Bind(ExpressionSyntax expression)
    {
        using var nesting = _c.Nest();
        if (!_c.Suspends(expression))
        {
            return Opaque(expression);
        }

        switch (expression)
        {
            case InvocationExpressionSyntax invocation when _c.SuspensionPoints.Contains(invocation):
            {
                var point = _c.SuspensionPoints.IndexOf(invocation);
                Expr? yielded = invocation.ArgumentList.Arguments.Count == 1 ? Bind(invocation.ArgumentList.Arguments[0].Expression) : null;
                return new SuspendExpr(point, yielded, _c.Span(invocation), YieldFrom(invocation))
                {
                    ReceivedCallFree = _facts.ConversionAtUse(invocation),
                    YieldedCallFree = yielded is not null && _facts.ArgumentConversion(invocation),
                };
            }

            case ParenthesizedExpressionSyntax parenthesized:
                return Composite(parenthesized, Value(parenthesized.Expression));

            case InvocationExpressionSyntax invocation:
            {
                var operands = new List<OperandSyntax>();
                switch (invocation.Expression)
                {
                    case MemberAccessExpressionSyntax access when !IsTypeOrNamespace(access.Expression):
                        operands.Add(Receiver(access.Expression));
                        break;
                    case MemberBindingExpressionSyntax:
                        // `.M(...)` after `?` in a conditional access: the receiver is the conditional access's.
                        break;
                    case IdentifierNameSyntax or GenericNameSyntax or MemberAccessExpressionSyntax:
                        break;
                    default:
                        operands.Add(Value(invocation.Expression));
                        break;
                }

                operands.AddRange(Arguments(invocation.ArgumentList.Arguments));
                return Composite(invocation, operands.ToArray());
            }

            case BaseObjectCreationExpressionSyntax creation when creation.Initializer is { } initializer && _c.Suspends(initializer):
                return BindInitializer(creation, initializer);

            case ObjectCreationExpressionSyntax creation:
                return Composite(creation, Arguments(creation.ArgumentList?.Arguments ?? default).ToArray());

            case ImplicitObjectCreationExpressionSyntax creation:
                return Composite(creation, Arguments(creation.ArgumentList.Arguments).ToArray());

            case AnonymousObjectCreationExpressionSyntax anonymous:
                // The members are evaluated in order and the object is created after the last one: split at them.
                return Composite(anonymous, anonymous.Initializers.Select(i => Value(i.Expression)).ToArray());

            case ConditionalAccessExpressionSyntax access when _c.Suspends(access.WhenNotNull):
                return BindConditionalAccess(access);

            case ElementAccessExpressionSyntax element:
                return Composite(element, new[] { Receiver(element.Expression) }.Concat(Arguments(element.ArgumentList.Arguments)).ToArray());

            case MemberAccessExpressionSyntax access when access.IsKind(SyntaxKind.SimpleMemberAccessExpression):
                return Composite(access, Receiver(access.Expression));

            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.LogicalAndExpression) || binary.IsKind(SyntaxKind.LogicalOrExpression):
                return new LogicalExpr(binary.IsKind(SyntaxKind.LogicalAndExpression), Bind(binary.Left), Bind(binary.Right))
                {
                    CallFree = _facts.Own(binary, new SyntaxNode[] { binary.Left, binary.Right }),
                };

            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.CoalesceExpression):
            {
                var leftType = TypeOf(binary.Left);
                var rightType = TypeOf(binary.Right);
                if (leftType is null || rightType is null)
                {
                    return Unsupported(binary, "the operands of this '??' cannot be given a type in generated code");
                }

                return new CoalesceExpr(Bind(binary.Left), leftType, Bind(binary.Right), rightType);
            }

            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.IsExpression) || binary.IsKind(SyntaxKind.AsExpression):
                return Composite(binary, Value(binary.Left));

            case BinaryExpressionSyntax binary:
                return Composite(binary, Value(binary.Left), Value(binary.Right));

            case PrefixUnaryExpressionSyntax unary when !unary.IsKind(SyntaxKind.PreIncrementExpression) && !unary.IsKind(SyntaxKind.PreDecrementExpression):
                return Composite(unary, Value(unary.Operand));

            case PostfixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                return Composite(unary, Value(unary.Operand));

            case CastExpressionSyntax cast:
                return Composite(cast, Value(cast.Expression));

            case CheckedExpressionSyntax checkedExpression:
                return Composite(checkedExpression, Value(checkedExpression.Expression));

            case ConditionalExpressionSyntax conditional:
            {
                // A suspending branch becomes a temporary of the branch's type (SuspensionSpiller): it must have a name.
                var whenTrueType = TypeOf(conditional.WhenTrue);
                var whenFalseType = TypeOf(conditional.WhenFalse);
                var unnamed = _c.Suspends(conditional.WhenTrue) && whenTrueType is null ? conditional.WhenTrue
                    : _c.Suspends(conditional.WhenFalse) && whenFalseType is null ? conditional.WhenFalse
                    : null;
                if (unnamed is not null)
                {
                    return Unsupported(unnamed, BranchTypeUnnamed);
                }

                return new ConditionalExpr(Bind(conditional.Condition), Bind(conditional.WhenTrue), whenTrueType, Bind(conditional.WhenFalse), whenFalseType)
                {
                    CallFree = _facts.Own(conditional, new SyntaxNode[] { conditional.Condition, conditional.WhenTrue, conditional.WhenFalse }),
                };
            }

            case AssignmentExpressionSyntax assignment:
                return BindAssignment(assignment);

            case InterpolatedStringExpressionSyntax interpolated:
                return BindInterpolatedString(interpolated);

            case TupleExpressionSyntax tuple:
                return Composite(tuple, Arguments(tuple.Arguments).ToArray());

            case ArrayCreationExpressionSyntax array when array.Initializer is not null:
                return Composite(array, array.Type.RankSpecifiers.SelectMany(r => r.Sizes).Where(s => s is not OmittedArraySizeExpressionSyntax).Select(Value)
                    .Concat(array.Initializer.Expressions.Select(Value)).ToArray());

            case ImplicitArrayCreationExpressionSyntax array:
                return Composite(array, array.Initializer.Expressions.Select(Value).ToArray());

            case InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.ArrayInitializerExpression):
            {
                // `T[] a = { ... }`: once split, the initializer needs its `new T[]` (it may end up assigned to a field).
                var arrayType = _c.Model.GetTypeInfo(initializer, _c.CancellationToken).ConvertedType;
                var typeText = TypeNames.Of(arrayType);
                if (typeText is null || arrayType is not IArrayTypeSymbol)
                {
                    return Unsupported(initializer, "the type of this array initializer cannot be named in generated code");
                }

                var composite = (CompositeExpr)Composite(initializer, initializer.Expressions.Select(Value).ToArray());
                var pieces = composite.Pieces.ToList();
                pieces[0] = Code.Concat("new ", typeText, " ", pieces[0]);
                return composite with { Pieces = pieces.ToEquatableArray() };
            }

            case IsPatternExpressionSyntax isPattern:
            {
                if (_c.Suspends(isPattern.Pattern))
                {
                    return UnsupportedAround(isPattern.Pattern, "a suspension point inside a pattern is not supported; receive into a local before the 'is' expression");
                }

                var bound = Composite(isPattern, PatternLocals(isPattern.Pattern), Value(isPattern.Expression));
                return bound is CompositeExpr composite && CodeBuilder.IsNegated(isPattern.Pattern) ? composite with { PatternNegated = true } : bound;
            }

            case SwitchExpressionSyntax switchExpression:
                if (switchExpression.Arms.Any(a => _c.Suspends(a)))
                {
                    return UnsupportedAround(switchExpression, "a suspension point inside the arms of a switch expression is not supported; use a switch statement");
                }

                return Composite(switchExpression, Value(switchExpression.GoverningExpression));

            case ThrowExpressionSyntax throwExpression:
                // Only in `??` and `?:`, whose lowering puts the throw in its own branch as a throw statement.
                return new ThrowExpr(Bind(throwExpression.Expression));

            case RangeExpressionSyntax range:
                return Composite(range, new[] { range.LeftOperand, range.RightOperand }.Where(o => o is not null).Select(o => Value(o!)).ToArray());

            case AwaitExpressionSyntax awaitExpression:
                // `await X(inbox.Receive())`: the operand first (the receive spilled), then the await (async templates only;
                // TemplateParser reports an await in a synchronous one).
                return Composite(awaitExpression, Value(awaitExpression.Expression));

            case AnonymousFunctionExpressionSyntax:
                return Unsupported(expression, "a lambda cannot suspend the coroutine");

            case ConditionalAccessExpressionSyntax access:
                // Only the receiver suspends: `receiver?.rest` with the receiver evaluated first.
                return Composite(access, Value(access.Expression));

            default:
                if (expression.GetType().Name == "CollectionExpressionSyntax")
                {
                    // `[a, .. b]` (C# 12; Roslyn 4.8's API has no types for it): the elements are evaluated left to right,
                    // an expression element's value and a spread element's collection alike. Any other kind of element
                    // (a later C# version's) that suspends is not supported.
                    var elements = new List<ExpressionSyntax>();
                    foreach (var element in expression.ChildNodes())
                    {
                        var operand = element.GetType().Name is "ExpressionElementSyntax" or "SpreadElementSyntax"
                            ? element.ChildNodes().OfType<ExpressionSyntax>().SingleOrDefault()
                            : null;
                        if (operand is null)
                        {
                            if (_c.Suspends(element))
                            {
                                return UnsupportedAround(expression, "a suspension point inside this element of a collection expression is not supported; receive into a local first");
                            }

                            continue;
                        }

                        elements.Add(operand);
                    }

                    return Composite(expression, elements.Select(Value).ToArray());
                }

                return UnsupportedAround(expression, $"a suspension point inside {Describe(expression)} is not supported; receive into a local first");
        }
    }

    /// <summary>
    /// <c>$"...{a}...{b}..."</c>: the holes are the operands. Converted to <c>string</c>, <c>FormattableString</c> or
    /// <c>IFormattable</c>, every hole is evaluated, left to right, before the string is built, so the holes can be
    /// split. Converted to an interpolated string handler, the handler decides whether the holes are evaluated at
    /// all (<c>Debug.Assert(true, $"{...}")</c> evaluates none) and interleaves them with its own calls: not supported.
    /// </summary>
    private Expr BindInterpolatedString(InterpolatedStringExpressionSyntax interpolated)
    {
        if (HandlerType(interpolated) is { } handler)
        {
            return UnsupportedAround(interpolated, $"a suspension point in an interpolated string converted to the interpolated string handler '{handler}' is not supported: the handler decides whether and when the holes are evaluated; receive into a local first and use the local in the hole");
        }

        var holes = interpolated.Contents.OfType<InterpolationSyntax>().ToList();
        var bound = Composite(interpolated, holes.Select(i => Value(i.Expression)).ToArray());
        if (bound is not CompositeExpr composite)
        {
            return bound;
        }

        // A hole ends at its first ':' outside parentheses (the format): a lowered hole that may contain one (a
        // qualified name, `global::N.T.M()`) is parenthesized.
        // (A hole before the last one that suspends is kept in a temporary, unless it is a constant.)
        var lastSuspending = holes.FindLastIndex(h => _c.Suspends(h.Expression));
        var pieces = composite.Pieces.ToList();
        for (int i = 0; i < holes.Count; i++)
        {
            var operand = composite.Operands[i];
            var kept = i < lastSuspending && operand.Type is not null && operand.Value is not CodeExpr { IsStable: true };
            if (holes[i].Expression is not ParenthesizedExpressionSyntax && !kept && MayContainColon(operand.Value))
            {
                pieces[i] = Code.Concat(pieces[i], "(");
                pieces[i + 1] = Code.Concat(")", pieces[i + 1]);
            }
        }

        return composite with { Pieces = pieces.ToEquatableArray() };
    }

    /// <summary>The interpolated string handler type the string is converted to, if any (also through <c>+</c>).</summary>
    private string? HandlerType(InterpolatedStringExpressionSyntax interpolated)
    {
        for (var operation = _c.Model.GetOperation(interpolated, _c.CancellationToken); operation is not null; operation = operation.Parent)
        {
            switch (operation)
            {
                case Microsoft.CodeAnalysis.Operations.IInterpolatedStringHandlerCreationOperation creation:
                    return creation.Type?.ToDisplayString() ?? "?";
                case Microsoft.CodeAnalysis.Operations.IInterpolatedStringOperation or Microsoft.CodeAnalysis.Operations.IInterpolatedStringAdditionOperation:
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>Whether the lowered code of an expression may contain a ':' outside parentheses.</summary>
    private static bool MayContainColon(Expr expression) => expression switch
    {
        CodeExpr code => HasColon(code.Code),
        SuspendExpr => false,
        CompositeExpr composite => composite.Pieces.Any(HasColon) || composite.Operands.Any(o => MayContainColon(o.Value)),

        // Lowered to a temporary, or parenthesized.
        LogicalExpr or CoalesceExpr or ConditionalExpr or ConditionalAccessExpr or InitializerExpr => false,
        _ => true,
    };

    private static bool HasColon(Code code) => code.AllParts().Any(p => p is TextPart t && t.Value.Contains(':'));

    /// <summary><c>new T(args) { ... }</c>: create, then run each initializer entry in order (see <see cref="InitializerExpr"/>).</summary>
    private Expr BindInitializer(BaseObjectCreationExpressionSyntax creation, InitializerExpressionSyntax initializer)
    {
        var type = TypeOf(creation);
        if (type is null)
        {
            return Unsupported(creation, "the type of this object creation cannot be named in generated code");
        }

        var arguments = Arguments(creation.ArgumentList?.Arguments ?? default).ToArray();
        var created = Composite(creation, EquatableArray<int>.Empty, new[] { (SyntaxNode)initializer }, arguments);
        if (creation.ArgumentList is null && created is CompositeExpr composite)
        {
            // `new T { ... }` without parentheses: the creation alone needs them.
            var pieces = composite.Pieces.ToList();
            pieces[pieces.Count - 1] = Code.Concat(pieces[pieces.Count - 1].ToString().TrimEnd() == pieces[pieces.Count - 1].ToString() ? pieces[pieces.Count - 1] : Code.Text(pieces[pieces.Count - 1].ToString().TrimEnd()), "()");
            created = composite with { Pieces = pieces.ToEquatableArray() };
        }
        var items = new List<Expr>();
        foreach (var entry in initializer.Expressions)
        {
            switch (entry)
            {
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax member, Right: not InitializerExpressionSyntax } assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression):
                    items.Add(Prefixed("." + member.Identifier.Text + " = ", Bind(assignment.Right)));
                    break;
                case AssignmentExpressionSyntax { Left: ImplicitElementAccessSyntax index, Right: not InitializerExpressionSyntax } assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression):
                {
                    var operands = Arguments(index.ArgumentList.Arguments).Select(a => new Operand(Bind(a.Expression), TypeOf(a.Expression), a.Kind)).ToList();
                    operands.Add(new Operand(Bind(assignment.Right), TypeOf(assignment.Right), OperandKind.Value));
                    var pieces = new List<Code> { Code.Text("[") };
                    for (int i = 1; i < operands.Count - 1; i++)
                    {
                        pieces.Add(Code.Text(", "));
                    }

                    pieces.Add(Code.Text("] = "));
                    pieces.Add(Code.Empty);
                    items.Add(new CompositeExpr(pieces.ToEquatableArray(), operands.ToEquatableArray(), EquatableArray<int>.Empty));
                    break;
                }

                case InitializerExpressionSyntax complex when complex.IsKind(SyntaxKind.ComplexElementInitializerExpression):
                    items.Add(Call(".Add(", complex.Expressions.ToList()));
                    break;
                case AssignmentExpressionSyntax:
                    return Unsupported(entry, "a suspension point in an object initializer with a nested initializer is not supported; receive into locals first");
                default:
                    items.Add(Call(".Add(", new[] { entry }));
                    break;
            }
        }

        return new InitializerExpr(created, type, items.ToEquatableArray());
    }

    private CompositeExpr Call(string prefix, IReadOnlyList<ExpressionSyntax> arguments)
    {
        var pieces = new List<Code> { Code.Text(prefix) };
        for (int i = 1; i < arguments.Count; i++)
        {
            pieces.Add(Code.Text(", "));
        }

        pieces.Add(Code.Text(")"));
        var operands = arguments.Select(a => new Operand(Bind(a), TypeOf(a), OperandKind.Value));
        return new CompositeExpr(pieces.ToEquatableArray(), operands.ToEquatableArray(), EquatableArray<int>.Empty);
    }

    private static CompositeExpr Prefixed(string prefix, Expr value) => new(
        new EquatableArray<Code>(new[] { Code.Text(prefix), Code.Empty }),
        new EquatableArray<Operand>(new[] { new Operand(value, null, OperandKind.Value) }),
        EquatableArray<int>.Empty);

    /// <summary><c>receiver?.rest</c> where rest suspends: evaluated, suspension included, only for a non-null receiver.</summary>
    private Expr BindConditionalAccess(ConditionalAccessExpressionSyntax access)
    {
        var receiverType = _c.TypeOf(access.Expression);
        var receiverTypeText = TypeNames.Of(receiverType);
        if (receiverTypeText is null)
        {
            return Unsupported(access.Expression, "the type of this conditional access's receiver cannot be named in generated code");
        }

        var resultType = _c.TypeOf(access);
        var resultTypeText = resultType is null || resultType.SpecialType == SpecialType.System_Void ? null : TypeNames.Of(resultType);
        if (resultTypeText is null && resultType is { SpecialType: not SpecialType.System_Void })
        {
            return Unsupported(access, "the type of this conditional access cannot be named in generated code");
        }

        return new ConditionalAccessExpr(
            Bind(access.Expression),
            receiverTypeText,
            receiverType!.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T,
            Bind(access.WhenNotNull),
            resultTypeText);
    }

    private Expr BindAssignment(AssignmentExpressionSyntax assignment)
    {
        var op = assignment.OperatorToken.Text;
        if (_c.Suspends(assignment.Left))
        {
            var unsupported = UnsupportedAround(assignment.Left, "a suspension point inside the target of an assignment is not supported; receive into a local first");

            // The value is read too, so that what it cannot have is reported as well (each receive in the targets of
            // `a[x()] = b[y()] = 27` gets its diagnostic, not only the first).
            Bind(assignment.Right);
            return unsupported;
        }

        var targetSymbol = _c.Model.GetSymbolInfo(assignment.Left, _c.CancellationToken).Symbol;
        if (targetSymbol is IEventSymbol)
        {
            return UnsupportedAround(assignment, "a suspension point in an event subscription ('+=' or '-=' on an event) is not supported; receive into a local first");
        }

        var targetType = TypeOf(assignment.Left);
        if (targetType is null && op != "=")
        {
            return Unsupported(assignment.Left, "the type of this assignment's target cannot be named in generated code");
        }

        var isLocal = assignment.Left is IdentifierNameSyntax && _c.IsTemplateVariable(targetSymbol);
        Expr target;
        switch (assignment.Left)
        {
            case IdentifierNameSyntax or GenericNameSyntax:
                target = Opaque(assignment.Left);
                break;
            case MemberAccessExpressionSyntax access when IsTypeOrNamespace(access.Expression):
                target = Opaque(assignment.Left);
                break;
            case MemberAccessExpressionSyntax access:
                target = Composite(access, Receiver(access.Expression));
                break;
            case ElementAccessExpressionSyntax element:
                target = Composite(element, new[] { Receiver(element.Expression) }.Concat(Arguments(element.ArgumentList.Arguments)).ToArray());
                break;
            case TupleExpressionSyntax tuple when tuple.Arguments.All(a => a.Expression is IdentifierNameSyntax or DeclarationExpressionSyntax || a.Expression.IsKind(SyntaxKind.SimpleMemberAccessExpression) && ((MemberAccessExpressionSyntax)a.Expression).Expression is ThisExpressionSyntax):
                target = Opaque(assignment.Left);
                break;
            case DeclarationExpressionSyntax:
                target = Opaque(assignment.Left);
                break;
            default:
                return Unsupported(assignment.Left, "a suspension point in the value of an assignment to this kind of target is not supported; receive into a local first");
        }

        return new AssignExpr(target, op, Bind(assignment.Right), targetType ?? string.Empty, isLocal)
        {
            CallFree = _facts.Own(assignment, new SyntaxNode[] { assignment.Left, assignment.Right }),
        };
    }

    private readonly record struct OperandSyntax(ExpressionSyntax Expression, OperandKind Kind);

    private static OperandSyntax Value(ExpressionSyntax expression) => new(expression, OperandKind.Value);

    /// <summary>A receiver: a struct variable is referred to again (its methods may mutate it); anything else is a value.</summary>
    private OperandSyntax Receiver(ExpressionSyntax expression)
    {
        var type = _c.Model.GetTypeInfo(expression, _c.CancellationToken).Type;
        if (type is { IsValueType: true } && IsVariable(expression))
        {
            return new OperandSyntax(expression, OperandKind.Variable);
        }

        return Value(expression);
    }

    private bool IsVariable(ExpressionSyntax expression)
    {
        var symbol = _c.Model.GetSymbolInfo(expression, _c.CancellationToken).Symbol;
        return symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol
            || expression is ElementAccessExpressionSyntax
            || expression is ThisExpressionSyntax;
    }

    private bool IsTypeOrNamespace(ExpressionSyntax expression) =>
        _c.Model.GetSymbolInfo(expression, _c.CancellationToken).Symbol is ITypeSymbol or INamespaceSymbol;

    private IEnumerable<OperandSyntax> Arguments(SeparatedSyntaxList<ArgumentSyntax> arguments)
    {
        foreach (var argument in arguments)
        {
            yield return argument.RefKindKeyword != default
                ? new OperandSyntax(argument.Expression, OperandKind.Variable)
                : Value(argument.Expression);
        }
    }

    private Expr Opaque(ExpressionSyntax expression)
    {
        var code = CodeBuilder.Build(_c, expression);
        if (_facts.Of(expression))
        {
            code = code with { CallFree = true };
        }

        return new CodeExpr(WithReceiver(expression, code), TypeOf(expression), IsStable(expression));
    }

    /// <summary>A loop condition: bound as any expression, and marked when its constant value is <c>true</c>.</summary>
    public Expr BindCondition(ExpressionSyntax condition)
    {
        var bound = Bind(condition);
        return bound is CodeExpr code && _c.Model.GetConstantValue(condition, _c.CancellationToken) is { HasValue: true, Value: true }
            ? code with { IsConstantTrue = true }
            : bound;
    }

    /// <summary>Code that starts with the <c>.Member</c> or <c>[index]</c> of a conditional access gets its receiver's placeholder.</summary>
    private static Code WithReceiver(SyntaxNode node, Code code) =>
        node.GetFirstToken().Parent is MemberBindingExpressionSyntax or ElementBindingExpressionSyntax
            ? Code.Concat(new ConditionalReceiverPart(), code)
            : code;

    private bool IsStable(ExpressionSyntax expression)
    {
        if (expression is LiteralExpressionSyntax or ThisExpressionSyntax or TypeOfExpressionSyntax or DefaultExpressionSyntax)
        {
            return true;
        }

        if (expression is ParenthesizedExpressionSyntax p)
        {
            return IsStable(p.Expression);
        }

        return _c.Model.GetConstantValue(expression, _c.CancellationToken).HasValue;
    }

    private string? TypeOf(ExpressionSyntax expression) => TypeNames.Of(_c.TypeOf(expression));

    private EquatableArray<int> PatternLocals(PatternSyntax pattern)
    {
        var ids = new List<int>();
        foreach (var designation in pattern.DescendantNodesAndSelf().OfType<SingleVariableDesignationSyntax>())
        {
            if (_c.Model.GetDeclaredSymbol(designation, _c.CancellationToken) is ILocalSymbol local && _c.IsTemplateVariable(local))
            {
                ids.Add(_c.LocalId(local, designation));
            }
        }

        return ids.ToEquatableArray();
    }

    private Expr Composite(ExpressionSyntax node, params OperandSyntax[] operands) => Composite(node, EquatableArray<int>.Empty, operands);

    private Expr Composite(ExpressionSyntax node, EquatableArray<int> patternLocals, params OperandSyntax[] operands) =>
        Composite(node, patternLocals, System.Array.Empty<SyntaxNode>(), operands);

    /// <summary>
    /// Splits <paramref name="node"/> at its operands (given in evaluation order, which is source order): the
    /// text between them becomes the pieces, each operand is bound recursively.
    /// </summary>
    private Expr Composite(ExpressionSyntax node, EquatableArray<int> patternLocals, SyntaxNode[] excluded, params OperandSyntax[] operands)
    {
        var lastSuspending = -1;
        for (int i = 0; i < operands.Length; i++)
        {
            if (_c.Suspends(operands[i].Expression))
            {
                lastSuspending = i;
            }
        }

        var bound = new List<Operand>();
        for (int i = 0; i < operands.Length; i++)
        {
            var operand = operands[i];
            var value = Bind(operand.Expression);
            var type = TypeOf(operand.Expression);
            if (i < lastSuspending && operand.Kind == OperandKind.Value && type is null && !(value is CodeExpr { IsStable: true }))
            {
                _c.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, operand.Expression, _c.TemplateName,
                    $"the value of '{operand.Expression}' must be kept while the coroutine is suspended, but its type cannot be named; receive into a local before this statement, or give the value a named type");
            }

            bound.Add(new Operand(value, type, operand.Kind));
        }

        var pieces = Splitter.Split(_c, node, operands.Select(o => (SyntaxNode)o.Expression).ToList(), excluded);
        if (excluded.Length == 0 && _facts.Own(node, operands.Select(o => (SyntaxNode)o.Expression)))
        {
            // What the expression does with its operands (their conversions included) runs nothing.
            for (int i = 0; i < pieces.Count; i++)
            {
                pieces[i] = pieces[i] with { CallFree = true };
            }
        }

        if (operands.Length == 0 || node.GetFirstToken() != operands[0].Expression.GetFirstToken())
        {
            pieces[0] = WithReceiver(node, pieces[0]);
        }

        return new CompositeExpr(pieces.ToEquatableArray(), bound.ToEquatableArray(), patternLocals);
    }

    private Expr Unsupported(SyntaxNode node, string why)
    {
        _c.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, node, _c.TemplateName, why);
        return new CodeExpr(Code.Text("default!"), null, true);
    }

    public const string BranchTypeUnnamed = "a branch of this '?:' suspends, but its type cannot be named in generated code; receive into a local before this statement, or give the branches a named type";

    /// <summary>An expression that cannot contain a suspension point: reported at each suspension point in it.</summary>
    private Expr UnsupportedAround(SyntaxNode node, string why)
    {
        _c.ReportAtSuspensions(DiagnosticDescriptors.UnsupportedConstruct.Id, node, _c.TemplateName, why);
        return new CodeExpr(Code.Text("default!"), null, true);
    }

    /// <summary>The construct, in words, for a diagnostic ("a 'with' expression").</summary>
    private static string Describe(ExpressionSyntax expression) => expression.Kind() switch
    {
        SyntaxKind.WithExpression => "a 'with' expression",
        SyntaxKind.PreIncrementExpression or SyntaxKind.PostIncrementExpression => "an increment ('++')",
        SyntaxKind.PreDecrementExpression or SyntaxKind.PostDecrementExpression => "a decrement ('--')",
        SyntaxKind.StackAllocArrayCreationExpression or SyntaxKind.ImplicitStackAllocArrayCreationExpression => "a 'stackalloc' expression",
        SyntaxKind.RefExpression => "a 'ref' expression",
        SyntaxKind.ArrayCreationExpression => "the size of an array creation",
        SyntaxKind.PointerMemberAccessExpression or SyntaxKind.PointerIndirectionExpression or SyntaxKind.AddressOfExpression => "a pointer expression",
        SyntaxKind.ElementBindingExpression or SyntaxKind.MemberBindingExpression => "a conditional access",
        var kind => "a '" + kind + "' expression",
    };

    /// <summary>Cuts the text of a node around some of its descendants.</summary>
    private static class Splitter
    {
        public static List<Code> Split(TemplateContext context, SyntaxNode node, IReadOnlyList<SyntaxNode> operands, IReadOnlyList<SyntaxNode> excluded)
        {
            var skip = new HashSet<SyntaxNode>(excluded);
            var pieces = new List<Code>();
            var current = new List<SyntaxNodeOrToken>();
            var prefix = string.Empty;
            var set = new HashSet<SyntaxNode>(operands);
            Walk(node);
            pieces.Add(Code.Concat(prefix, CodeBuilder.BuildRange(context, node, Trim(current, node))));
            pieces[0] = TrimLeadingText(pieces[0]);
            return pieces;

            void Walk(SyntaxNode n)
            {
                foreach (var child in n.ChildNodesAndTokens())
                {
                    if (child.IsNode && skip.Contains(child.AsNode()!))
                    {
                        continue;
                    }

                    if (child.IsNode && set.Contains(child.AsNode()!))
                    {
                        // The operand is bound on its own, without its outer trivia: keep that trivia in the pieces.
                        var operand = child.AsNode()!;
                        pieces.Add(Code.Concat(prefix, CodeBuilder.BuildRange(context, node, current), CodeBuilder.Trivia(operand.GetLeadingTrivia())));
                        prefix = CodeBuilder.Trivia(operand.GetTrailingTrivia());
                        current = new List<SyntaxNodeOrToken>();
                        continue;
                    }

                    if (child.IsNode && child.AsNode()!.DescendantNodes().Any(set.Contains))
                    {
                        Walk(child.AsNode()!);
                        continue;
                    }

                    current.Add(child);
                }
            }
        }

        private static IEnumerable<SyntaxNodeOrToken> Trim(List<SyntaxNodeOrToken> items, SyntaxNode node)
        {
            var lastToken = node.GetLastToken();
            foreach (var item in items)
            {
                if (item.IsToken && item.AsToken() == lastToken)
                {
                    yield return item.AsToken().WithTrailingTrivia();
                }
                else
                {
                    yield return item;
                }
            }
        }

        private static Code TrimLeadingText(Code code)
        {
            if (code.Parts.Count > 0 && code.Parts[0] is TextPart t)
            {
                var parts = code.Parts.ToList();
                parts[0] = new TextPart(t.Value.TrimStart());
                return new Code(Code.Normalize(parts));
            }

            return code;
        }
    }
}
