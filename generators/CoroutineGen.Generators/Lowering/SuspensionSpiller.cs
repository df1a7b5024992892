using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// Moves every suspension point out of the expression it is in, keeping C#'s evaluation order (Roslyn's
/// <c>AwaitExpressionSpiller</c> technique, at the source level). Whatever an expression evaluates before a
/// suspension point is stored in a temporary first; the suspension becomes a <see cref="SuspendStmt"/> after
/// which the sent value is available as <c>value</c>; <c>&amp;&amp;</c>, <c>||</c>, <c>??</c> and <c>?:</c>
/// become branches so that a suspension in their right operand only happens when it is evaluated. Loops whose
/// condition suspends become <c>while (true)</c> loops that test it inside. The output has no
/// <see cref="Expr"/> left that suspends.
/// </summary>
internal sealed class SuspensionSpiller
{
    /// <summary>What a resumed suspension point evaluates to: the parameter of the generated <c>Send</c>.</summary>
    public const string SentValue = "value";

    private readonly LoweringContext _context;
    private int _nextTarget;

    public SuspensionSpiller(LoweringContext context)
    {
        _context = context;
        _nextTarget = context.Model.Body.JumpTargetCount;
    }

    /// <summary>Jump targets created here (for loops rebuilt as while loops) continue the parser's numbering.</summary>
    public int JumpTargetCount => _nextTarget;

    public BlockStmt SpillBlock(BlockStmt block) => new(block.Statements.SelectMany(SpillToList).ToEquatableArray(), block.Scope);

    private IEnumerable<Stmt> SpillToList(Stmt statement)
    {
        var spilled = Spill(statement);
        return spilled is BlockStmt { Scope: -1 } group ? group.Statements : new[] { spilled };
    }

    /// <summary>Groups statements without opening a scope (a block with scope -1 is spliced into its parent).</summary>
    private static Stmt Group(IEnumerable<Stmt> statements)
    {
        var list = statements.ToList();
        return list.Count == 1 ? list[0] : new BlockStmt(list.ToEquatableArray(), -1);
    }

    private Stmt Spill(Stmt statement)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        _context.CancellationToken.ThrowIfCancellationRequested();
        switch (statement)
        {
            case CodeStmt or SuspendStmt:
                return statement;

            case BlockStmt block:
                return SpillBlock(block);

            case LabeledStmt labeled:
                return labeled with { Statement = Spill(labeled.Statement) };

            case CheckedStmt checkedStatement:
                return checkedStatement with { Block = SpillBlock(checkedStatement.Block) };

            case ExprStmt { AwaitableType: { } awaitableType } awaitStatement:
            {
                // `await operand;` whose operand suspends: the operand spilled, then the await, a statement of its own.
                var pre = new List<Stmt>();
                var operand = SpillExpr(awaitStatement.Expression, pre, awaitStatement.Comment, awaitStatement.Span)!;
                pre.Add(new CodeStmt(Code.Concat(new AwaitPart(), " ", operand, ";"), awaitStatement.Span, FastCode: Code.Concat(new FastAwaitPart(operand, awaitableType, awaitStatement.Span))));
                return Group(pre);
            }

            case ExprStmt expression:
            {
                var pre = new List<Stmt>();
                var code = SpillExpr(expression.Expression, pre, expression.Comment, expression.Span, discard: true);
                if (code is not null && !code.IsEmpty)
                {
                    // Not a ref local: `r = value;` writes where r points, it reads r (a ref assignment does not suspend).
                    int? assigned = expression.Expression is AssignExpr { Operator: "=", TargetIsLocal: true } && code.Parts.Count > 0 && code.Parts[0] is LocalPart target
                        && !_context.Locals[target.Local].IsByRef ? target.Local : null;
                    pre.Add(new CodeStmt(Code.Quiet(code, ";"), expression.Span, assigned));
                }

                return Group(pre);
            }

            case LocalDeclStmt declaration when declaration.Initializer is not null and not CodeExpr:
            {
                var pre = new List<Stmt>();
                var code = SpillExpr(declaration.Initializer, pre, declaration.Comment, declaration.Span);
                pre.Add(declaration with { Initializer = new CodeExpr(code!, null, false) });
                return Group(pre);
            }

            case LocalDeclStmt:
                return statement;

            case ReturnStmt ret:
            {
                var pre = new List<Stmt>();
                var code = SpillExpr(ret.Value, pre, ret.Comment, ret.Span);
                pre.Add(new CodeStmt(Code.Concat(new ReturnPart(code)), ret.Span));
                return Group(pre);
            }

            case ThrowStmt thr:
            {
                var pre = new List<Stmt>();
                var code = SpillExpr(thr.Value, pre, thr.Comment, thr.Span);
                pre.Add(new CodeStmt(Code.Concat("throw ", code!, ";"), thr.Span, IsThrow: true));
                return Group(pre);
            }

            case IfStmt ifStatement:
            {
                var pre = new List<Stmt>();
                var condition = SpillExpr(ifStatement.Condition, pre, ifStatement.Comment, ifStatement.Span);
                pre.Add(ifStatement with { Condition = new CodeExpr(condition!, "bool", false), Then = Spill(ifStatement.Then), Else = ifStatement.Else is null ? null : Spill(ifStatement.Else) });
                return Group(pre);
            }

            case WhileStmt loop when loop.Condition is not CodeExpr:
            {
                // while (c) S  =>  while (true) { <c's suspensions>; if (!c) break; S }
                var body = new List<Stmt>();
                var condition = SpillExpr(loop.Condition, body, loop.Comment, loop.Span)!;
                body.Add(BreakUnless(condition.And(loop.CallFree), loop.Break, loop.Span));
                body.AddRange(SpillToList(loop.Body));
                return loop with { Condition = True, Body = new BlockStmt(body.ToEquatableArray(), -1) };
            }

            case WhileStmt loop:
                return loop with { Body = Spill(loop.Body) };

            case DoStmt loop when loop.Condition is not CodeExpr:
            {
                // do S while (c)  =>  while (true) { S; continue: <c's suspensions>; if (!c) break; }
                var test = new List<Stmt>();
                var condition = SpillExpr(loop.Condition, test, loop.Comment, loop.Span)!;
                test.Add(BreakUnless(condition.And(loop.CallFree), loop.Break, loop.Span));
                var body = SpillToList(loop.Body).ToList();
                body.Add(new LabeledStmt(loop.Continue, "continue", new BlockStmt(test.ToEquatableArray(), -1)));
                return new WhileStmt(True, new BlockStmt(body.ToEquatableArray(), -1), loop.Break, _nextTarget++, loop.Comment, loop.Span);
            }

            case DoStmt loop:
                return loop with { Body = Spill(loop.Body) };

            case ForStmt loop when (loop.Condition is not null and not CodeExpr) || loop.Incrementors.Any(i => i is not CodeStmt):
            {
                // for (init; c; inc) S  =>  init; while (true) { <c>; if (!c) break; S; continue: inc; }
                var result = loop.Initializers.SelectMany(SpillToList).ToList();
                var body = new List<Stmt>();
                if (loop.Condition is not null)
                {
                    var condition = SpillExpr(loop.Condition, body, loop.Comment, loop.Span)!;
                    body.Add(BreakUnless(condition.And(loop.CallFree), loop.Break, loop.Span));
                }

                body.AddRange(SpillToList(loop.Body));
                body.Add(new LabeledStmt(loop.Continue, "continue", new BlockStmt(loop.Incrementors.SelectMany(SpillToList).ToEquatableArray(), -1)));
                result.Add(new WhileStmt(True, new BlockStmt(body.ToEquatableArray(), -1), loop.Break, _nextTarget++, loop.Comment, loop.Span));
                return new BlockStmt(result.ToEquatableArray(), loop.Scope);
            }

            case ForStmt loop:
                return loop with { Initializers = loop.Initializers.SelectMany(SpillToList).ToEquatableArray(), Body = Spill(loop.Body) };

            case ForEachStmt loop:
            {
                var pre = new List<Stmt>();
                var collection = SpillExpr(loop.Collection, pre, loop.Comment, loop.Span)!;
                pre.Add(loop with { Collection = new CodeExpr(collection, loop.CollectionType, false), Body = Spill(loop.Body) });
                return Group(pre);
            }

            case SwitchStmt switchStatement:
            {
                var pre = new List<Stmt>();
                var governing = SpillExpr(switchStatement.Governing, pre, switchStatement.Comment, switchStatement.Span)!;
                pre.Add(switchStatement with
                {
                    Governing = new CodeExpr(governing, switchStatement.GoverningType, false),
                    Sections = switchStatement.Sections.Select(s => s with { Statements = s.Statements.SelectMany(SpillToList).ToEquatableArray() }).ToEquatableArray(),
                });
                return Group(pre);
            }

            case TryStmt tryStatement:
                return tryStatement with
                {
                    Body = SpillBlock(tryStatement.Body),
                    Catches = tryStatement.Catches.Select(c => c with { Body = SpillBlock(c.Body) }).ToEquatableArray(),
                    Finally = tryStatement.Finally is null ? null : SpillBlock(tryStatement.Finally),
                };

            case UsingStmt usingStatement:
                return SpillUsing(usingStatement, 0);

            default:
                _context.Report(DiagnosticDescriptors.InternalError.Id, null, _context.Signature.Name, "unexpected statement " + statement.GetType().Name);
                return statement;
        }
    }

    /// <summary><c>using (a = x, b = y) S</c> is <c>using (a = x) using (b = y) S</c>: each resource is acquired (and its suspensions happen) inside the previous one's scope.</summary>
    private Stmt SpillUsing(UsingStmt statement, int index)
    {
        var resource = statement.Resources[index];
        var pre = new List<Stmt>();
        var initializer = resource.Initializer is null ? null : SpillExpr(resource.Initializer, pre, statement.Comment, statement.Span);
        var body = index + 1 < statement.Resources.Count ? SpillUsing(statement, index + 1) : Spill(statement.Body);
        pre.Add(new UsingStmt(
            new EquatableArray<UsingResource>(new[] { resource with { Initializer = initializer is null ? null : new CodeExpr(initializer, resource.Type, false) } }),
            body,
            statement.Scope,
            statement.Comment,
            statement.Span,
            statement.IsAsync));
        return Group(pre);
    }

    private static readonly CodeExpr True = new(Code.Quiet("true"), "bool", true, IsConstantTrue: true);

    /// <summary><c>if (!(condition)) break;</c>: <paramref name="condition"/> carries the fact of its test (its conversion to <c>bool</c>).</summary>
    private static Stmt BreakUnless(Code condition, int breakTarget, SourceSpan span) =>
        new CodeStmt(Code.Quiet("if (!(", condition, ")) ", new JumpPart(breakTarget)), span);

    /// <summary>
    /// Appends to <paramref name="pre"/> the statements that evaluate <paramref name="expression"/> up to its last
    /// suspension point, and returns the code that finishes the evaluation (no suspension left in it).
    /// </summary>
    /// <summary>
    /// <see cref="SpillExpr"/> for an expression whose value is used. Only a throw expression has none, and C# allows
    /// one only where <see cref="SpillExpr"/> handles it (<c>??</c>, <c>?:</c>); anywhere else the template does not
    /// compile (CS8115), and the lowering writes <c>default!</c> for it rather than fail.
    /// </summary>
    private Code SpillValue(Expr expression, List<Stmt> pre, string comment, SourceSpan span) =>
        SpillExpr(expression, pre, comment, span) ?? Code.Text("default!");

    private Code? SpillExpr(Expr expression, List<Stmt> pre, string comment, SourceSpan span, bool discard = false)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expression)
        {
            case CodeExpr code:
                return code.Code;

            case SuspendExpr suspend:
            {
                // The yielded value's code carries the fact of its conversion to the output type, where the park stores it.
                var yielded = suspend.Yielded is null ? null : SpillExpr(suspend.Yielded, pre, comment, span)?.And(suspend.YieldedCallFree);
                pre.Add(new SuspendStmt(suspend.Point, yielded, comment, suspend.Span, suspend.From));
                if (suspend.From is { } from)
                {
                    // YieldFrom evaluates to the sub's return value, which the delegation hands over (and forgets) once
                    // the sub has finished: called even when the value is discarded, so the field lets go of the sub.
                    return Code.Text(StateNumbering.DelegationField(suspend.Point) + (from.ResultType is { } result ? $".Finish<{result}>()" : ".Finish()"));
                }

                // The sent value, a parameter of Send: call-free where the binder found its conversion at its use built in.
                return discard ? null : Code.Quiet(SentValue).And(suspend.ReceivedCallFree);
            }

            case CompositeExpr composite:
                return SpillComposite(composite, pre, comment, span);

            case LogicalExpr logical:
            {
                // (The binder's fact of the operator covers the operands' conversions to bool, here in the temporary's
                // declaration and assignment.)
                var left = SpillValue(logical.Left, pre, comment, span);
                if (!Suspends(logical.Right))
                {
                    return Code.Quiet("(", left, logical.IsAnd ? " && " : " || ", ((CodeExpr)logical.Right).Code, ")").And(logical.CallFree);
                }

                var temp = _context.NewTemp("bool", holdsReferences: false);
                pre.Add(Decl(temp, left, span, logical.CallFree));
                var right = new List<Stmt>();
                var rightCode = SpillValue(logical.Right, right, comment, span);
                right.Add(Assign(temp, rightCode, span, logical.CallFree));
                var test = logical.IsAnd ? Code.Concat(new LocalPart(temp)) : Code.Quiet("!", new LocalPart(temp));
                pre.Add(new IfStmt(new CodeExpr(test, "bool", false), new BlockStmt(right.ToEquatableArray(), -1), null, comment, span) { CallFree = true });
                return Code.Concat(new LocalPart(temp));
            }

            case CoalesceExpr coalesce:
            {
                var left = SpillValue(coalesce.Left, pre, comment, span);
                if (!Suspends(coalesce.Right))
                {
                    return Code.Concat("(", left, " ?? ", ((CodeExpr)coalesce.Right).Code, ")");
                }

                var leftTemp = _context.NewTemp(coalesce.LeftType);
                var rightTemp = _context.NewTemp(coalesce.RightType);
                pre.Add(Decl(leftTemp, left, span));
                pre.Add(Decl(rightTemp, Code.Text(coalesce.Right is ThrowExpr ? NeverRead : Default), span));
                var right = new List<Stmt>();
                var rightCode = SpillExpr(coalesce.Right, right, comment, span);
                if (rightCode is not null)
                {
                    right.Add(Assign(rightTemp, rightCode, span));
                }

                pre.Add(new IfStmt(new CodeExpr(Code.Quiet(new LocalPart(leftTemp), " is null"), "bool", false), new BlockStmt(right.ToEquatableArray(), -1), null, comment, span) { CallFree = true });
                return Code.Concat("(", new LocalPart(leftTemp), " ?? ", new LocalPart(rightTemp), ")");
            }

            case ConditionalExpr conditional:
            {
                // (The binder's fact of the operator covers the conversions of the condition to bool, here in the
                // temporary's declaration, and of the branches to the result, here in the final ?:.)
                var condition = SpillValue(conditional.Condition, pre, comment, span);
                if (!Suspends(conditional.WhenTrue) && !Suspends(conditional.WhenFalse))
                {
                    return Code.Quiet("(", condition, " ? ", ((CodeExpr)conditional.WhenTrue).Code, " : ", ((CodeExpr)conditional.WhenFalse).Code, ")").And(conditional.CallFree);
                }

                var test = _context.NewTemp("bool", holdsReferences: false);
                pre.Add(Decl(test, condition, span, conditional.CallFree));
                var whenTrue = Branch(conditional.WhenTrue, conditional.TrueType, pre, comment, span, out var trueStatements);
                var whenFalse = Branch(conditional.WhenFalse, conditional.FalseType, pre, comment, span, out var falseStatements);
                pre.Add(new IfStmt(
                    new CodeExpr(Code.Concat(new LocalPart(test)), "bool", false),
                    new BlockStmt(trueStatements.ToEquatableArray(), -1),
                    new BlockStmt(falseStatements.ToEquatableArray(), -1),
                    comment,
                    span) { CallFree = true });
                return Code.Quiet("(", new LocalPart(test), " ? ", whenTrue, " : ", whenFalse, ")").And(conditional.CallFree);
            }

            case AssignExpr assignment:
                return SpillAssignment(assignment, pre, comment, span, discard);

            case InitializerExpr initializer:
            {
                // new T(args) { items }  =>  t = new T(args); t.item1; t.item2; ...  (C#'s order: create, then initialize)
                var created = SpillValue(initializer.Creation, pre, comment, span);
                var temp = _context.NewTemp(initializer.Type);
                pre.Add(Decl(temp, created, span));
                foreach (var item in initializer.Items)
                {
                    var code = SpillValue(item, pre, comment, span);
                    pre.Add(new CodeStmt(Code.Concat(new LocalPart(temp), code, ";"), span));
                }

                return Code.Concat(new LocalPart(temp));
            }

            case ThrowExpr thrown:
            {
                // `x ?? throw e`, `c ? throw e : y`: the branch throws, it has no value (null tells the caller).
                var exception = SpillValue(thrown.Value, pre, comment, span);
                pre.Add(new CodeStmt(Code.Concat("throw ", exception, ";"), span, IsThrow: true));
                return null;
            }

            case ConditionalAccessExpr access:
            {
                // receiver?.rest  =>  t = receiver; if (t != null) { <rest's suspensions>; r = t.rest; }
                var receiver = SpillValue(access.Receiver, pre, comment, span);
                var target = _context.NewTemp(access.ReceiverType);
                pre.Add(Decl(target, receiver, span));
                var whenNotNull = new List<Stmt>();
                // Tested for null before the suspension, but the compiler's flow analysis does not see that across the resume.
                var value = access.ReceiverIsNullableValue ? Code.Concat(new LocalPart(target), ".GetValueOrDefault()") : Code.Concat(new LocalPart(target), "!");
                // Without a result, the rest is a statement: a nested conditional access (`a?.B?.M(x)`) then lowers
                // to nested ifs and leaves nothing to evaluate.
                var statement = discard || access.ResultType is null;
                var rest = SpillExpr(ExprRewriter.MapCode(access.WhenNotNull, c => c.Rewrite(p => p is ConditionalReceiverPart ? new CodeSplice(value) : p)), whenNotNull, comment, span, discard: statement);
                int? result = null;
                if (statement)
                {
                    if (rest is not null && !rest.IsEmpty)
                    {
                        whenNotNull.Add(new CodeStmt(Code.Concat(rest, ";"), span));
                    }
                }
                else
                {
                    result = _context.NewTemp(access.ResultType!);
                    pre.Add(Decl(result.Value, Code.Text(Default), span));
                    whenNotNull.Add(Assign(result.Value, rest!, span));
                }

                pre.Add(new IfStmt(new CodeExpr(Code.Concat(new LocalPart(target), " != null"), "bool", false), new BlockStmt(whenNotNull.ToEquatableArray(), -1), null, comment, span));
                return result is null ? null : Code.Concat(new LocalPart(result.Value));
            }

            default:
                _context.Report(DiagnosticDescriptors.InternalError.Id, span, _context.Signature.Name, "unexpected expression " + expression.GetType().Name);
                return Code.Text(Default);
        }
    }

    private const string Default = "default";

    /// <summary>The initial value of the temporary of a branch that throws: it is never read, whatever its nullability.</summary>
    private const string NeverRead = "default!";

    /// <summary>A branch of <c>?:</c>: evaluated inside the if statement when it suspends, inline otherwise.</summary>
    private Code Branch(Expr branch, string? type, List<Stmt> pre, string comment, SourceSpan span, out List<Stmt> statements)
    {
        statements = new List<Stmt>();
        if (!Suspends(branch))
        {
            return ((CodeExpr)branch).Code;
        }

        if (type is null)
        {
            _context.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, span, _context.Signature.Name, Parsing.ExpressionBinder.BranchTypeUnnamed);
            return Code.Text(Default);
        }

        // A temporary of the branch's own type: storing the branch's value converts nothing.
        var temp = _context.NewTemp(type);
        pre.Add(Decl(temp, Code.Quiet(branch is ThrowExpr ? NeverRead : Default), span, callFree: true));
        var code = SpillExpr(branch, statements, comment, span);
        if (code is not null)
        {
            statements.Add(Assign(temp, code, span, callFree: true));
        }

        return Code.Concat(new LocalPart(temp));
    }

    private Code SpillComposite(CompositeExpr composite, List<Stmt> pre, string comment, SourceSpan span)
    {
        var last = -1;
        for (int i = 0; i < composite.Operands.Count; i++)
        {
            if (Suspends(composite.Operands[i].Value))
            {
                last = i;
            }
        }

        var codes = new List<Code>();
        for (int i = 0; i < composite.Operands.Count; i++)
        {
            var operand = composite.Operands[i];
            if (i < last)
            {
                codes.Add(operand.Kind == OperandKind.Variable
                    ? SpillVariable(operand.Value, pre, comment, span)
                    : Keep(operand, pre, comment, span));
            }
            else
            {
                codes.Add(SpillValue(operand.Value, pre, comment, span));
            }
        }

        var pieces = new List<object>();
        for (int i = 0; i < composite.Pieces.Count; i++)
        {
            pieces.Add(composite.Pieces[i]);
            if (i < codes.Count)
            {
                pieces.Add(codes[i]);
            }
        }

        var result = Code.Concat(pieces.ToArray());
        return composite.PatternLocals.IsEmpty ? result : Code.Concat(new IsPatternPart(result, composite.PatternLocals, composite.PatternNegated));
    }

    /// <summary>An operand evaluated before a later suspension point: its value is stored in a temporary (unless it cannot change).</summary>
    private Code Keep(Operand operand, List<Stmt> pre, string comment, SourceSpan span)
    {
        var code = SpillValue(operand.Value, pre, comment, span);
        if (operand.Value is CodeExpr { IsStable: true } || IsUnchangingLocal(code))
        {
            return code;
        }

        if (operand.Type is null)
        {
            // The parser reported this operand already (CORO0004); keep the lowering going.
            return code;
        }

        // A temporary of the operand's own type: storing it converts nothing. (Where the binder gave no type but the
        // converted one, the operand is a lambda, a tuple, a target-typed creation... whose own code is not call-free.)
        var temp = _context.NewTemp(operand.Type);
        pre.Add(Decl(temp, code, span, callFree: true));
        return Code.Concat(new LocalPart(temp));
    }

    /// <summary>A variable evaluated before a later suspension point: its operands (receiver, indices) are kept, the variable is referred to again.</summary>
    private Code SpillVariable(Expr variable, List<Stmt> pre, string comment, SourceSpan span)
    {
        if (variable is CompositeExpr composite)
        {
            var codes = composite.Operands.Select(o => o.Kind == OperandKind.Variable ? SpillVariable(o.Value, pre, comment, span) : Keep(o, pre, comment, span)).ToList();
            var pieces = new List<object>();
            for (int i = 0; i < composite.Pieces.Count; i++)
            {
                pieces.Add(composite.Pieces[i]);
                if (i < codes.Count)
                {
                    pieces.Add(codes[i]);
                }
            }

            return Code.Concat(pieces.ToArray());
        }

        return SpillValue(variable, pre, comment, span);
    }

    private Code? SpillAssignment(AssignExpr assignment, List<Stmt> pre, string comment, SourceSpan span, bool discard)
    {
        var target = SpillVariable(assignment.Target, pre, comment, span);
        if (assignment.Operator == "??=")
        {
            var value = new List<Stmt>();
            var valueCode = SpillValue(assignment.Value, value, comment, span);
            value.Add(new CodeStmt(Code.Concat(target, " = ", valueCode, ";"), span));
            pre.Add(new IfStmt(new CodeExpr(Code.Concat(target, " is null"), "bool", false), new BlockStmt(value.ToEquatableArray(), -1), null, comment, span));
            return discard ? null : target;
        }

        var localTarget = assignment.TargetIsLocal && assignment.Target is CodeExpr { Code.Parts: [LocalPart local] }
            && !_context.Locals[local.Local].IsCaptured && !Mentions(assignment.Value, local.Local);
        if (assignment.Operator == "=" || localTarget)
        {
            // A template local cannot change while the coroutine is parked, so `x op= <suspends>` may read x after
            // resuming, unless the value itself may write x (`x += (x = 10) + inbox.Receive()`: C# reads x first).
            var value = SpillValue(assignment.Value, pre, comment, span);
            return Code.Quiet(target, " ", assignment.Operator, " ", value).And(assignment.CallFree);
        }

        // `target op= <suspends>` reads target before suspending (C# evaluates the left operand first).
        // (A temporary of the target's own type: storing its value converts nothing.)
        var old = _context.NewTemp(assignment.TargetType);
        pre.Add(Decl(old, target, span, callFree: true));
        var rest = SpillValue(assignment.Value, pre, comment, span);
        var op = assignment.Operator.Substring(0, assignment.Operator.Length - 1);
        // `x -= a + b` is `x = (T)(x - (a + b))`: the value keeps its own parentheses. (The cast is the compound
        // assignment's own conversion of the result, which the binder's fact covers.)
        return Code.Quiet(target, " = (", assignment.TargetType, ")(", new LocalPart(old), " ", op, " (", rest, "))").And(assignment.CallFree);
    }

    /// <summary>Whether <paramref name="expression"/> refers to <paramref name="local"/> anywhere (an unknown node: yes).</summary>
    private static bool Mentions(Expr expression, int local)
    {
        static bool InCode(Code code, int local) => code.AllParts().Any(p => p is LocalPart l && l.Local == local
            || p is DesignationPart d && d.Local == local || p is PatternDesignationPart pd && pd.Local == local);

        return expression switch
        {
            CodeExpr c => InCode(c.Code, local),
            SuspendExpr s => s.Yielded is { } yielded && Mentions(yielded, local),
            CompositeExpr c => c.Pieces.Any(p => InCode(p, local)) || c.Operands.Any(o => Mentions(o.Value, local)),
            LogicalExpr l => Mentions(l.Left, local) || Mentions(l.Right, local),
            CoalesceExpr c => Mentions(c.Left, local) || Mentions(c.Right, local),
            ConditionalExpr c => Mentions(c.Condition, local) || Mentions(c.WhenTrue, local) || Mentions(c.WhenFalse, local),
            AssignExpr a => Mentions(a.Target, local) || Mentions(a.Value, local),
            InitializerExpr i => Mentions(i.Creation, local) || i.Items.Any(item => Mentions(item, local)),
            ConditionalAccessExpr c => Mentions(c.Receiver, local) || Mentions(c.WhenNotNull, local),
            _ => true,
        };
    }

    /// <summary>
    /// A template local or parameter that nothing writes after its declaration and no lambda captures: while the
    /// coroutine is parked no code can change it, so it need not be copied.
    /// </summary>
    private bool IsUnchangingLocal(Code code) =>
        code.Parts.Count == 1 && code.Parts[0] is LocalPart local
        && _context.Locals[local.Local] is { IsCaptured: false, IsReassigned: false, Kind: not LocalKind.Temporary };

    /// <summary>A temporary's declaration; <paramref name="callFree"/>: storing the value converts nothing, or only quietly.</summary>
    private static Stmt Decl(int temp, Code value, SourceSpan span, bool callFree = false) =>
        new LocalDeclStmt(temp, new CodeExpr(value, null, false), false, false, string.Empty, span) { CallFree = callFree };

    /// <summary><c>temp = value;</c>; <paramref name="callFree"/>: storing the value converts nothing, or only quietly.</summary>
    private static Stmt Assign(int temp, Code value, SourceSpan span, bool callFree = false) =>
        new CodeStmt(Code.Quiet(new LocalPart(temp), " = ", value, ";").And(callFree), span, temp);

    public static bool Suspends(Expr expression) => expression switch
    {
        CodeExpr => false,
        SuspendExpr => true,
        CompositeExpr c => c.Operands.Any(o => Suspends(o.Value)),
        LogicalExpr l => Suspends(l.Left) || Suspends(l.Right),
        CoalesceExpr c => Suspends(c.Left) || Suspends(c.Right),
        ConditionalExpr c => Suspends(c.Condition) || Suspends(c.WhenTrue) || Suspends(c.WhenFalse),
        AssignExpr a => Suspends(a.Target) || Suspends(a.Value),
        InitializerExpr i => Suspends(i.Creation) || i.Items.Any(Suspends),
        ConditionalAccessExpr c => Suspends(c.Receiver) || Suspends(c.WhenNotNull),
        ThrowExpr t => Suspends(t.Value),
        _ => false,
    };
}
