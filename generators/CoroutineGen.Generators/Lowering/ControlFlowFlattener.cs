using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// Flattens the spilled body into labels and gotos. C# cannot jump into a block, and every resume point must be
/// reachable from the dispatch at the top of <c>__Step</c>, so every statement that contains a suspension point is
/// taken apart: blocks are spliced, loops, <c>if</c>, <c>switch</c>, <c>foreach</c> and <c>using</c> become
/// labels and conditional gotos. A <c>try</c> statement stays a real try (the dispatcher re-dispatches inside it,
/// see <see cref="StateDispatchBuilder"/>); the part in <c>ControlFlowFlattener.ExceptionHandlers.cs</c> rewrites its
/// handlers, the part in <c>ControlFlowFlattener.Jumps.cs</c> resolves the jumps.
/// Statements without a suspension point are copied as they are.
/// </summary>
internal sealed partial class ControlFlowFlattener
{
    /// <summary>The label after the body, outside every try: finishing the coroutine.</summary>
    public const string FinishLabel = "__finish";

    /// <summary>The jump target id of <see cref="FinishLabel"/> (what <c>return</c> jumps to).</summary>
    public const int FinishTarget = -1;

    private readonly LoweringContext _c;
    private readonly Dictionary<int, (string Label, FrameContext? Frames)> _targets = new();
    private readonly Dictionary<int, int> _rethrowLocals = new();
    private readonly List<TryScope> _tries = new();
    private readonly List<LNode> _unresolved = new();
    private readonly List<FinallyFrame> _finallyFrames = new();
    private FrameContext? _frames;
    private bool? _checked;

    public ControlFlowFlattener(LoweringContext context) => _c = context;

    /// <summary>The suspension points, in the order they appear in the lowered code.</summary>
    public List<LSuspend> Suspensions { get; } = new();

    public List<LNode> Flatten(BlockStmt body)
    {
        var output = new List<LNode>();
        LowerBlockStatements(body.Statements, output);
        ResolveJumps(output);
        DeadCodeCleanup.Run(output, _finallyFrames.Where(f => f.Branches.Count == 0).SelectMany(f => new LNode?[] { f.BranchDeclaration, f.BranchReset }).OfType<LNode>());
        return output;
    }

    // ------------------------------------------------------------------ statements

    private void Lower(Stmt statement, List<LNode> output)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        _c.CancellationToken.ThrowIfCancellationRequested();
        switch (statement)
        {
            case CodeStmt code:
                if (!code.Code.IsEmpty)
                {
                    Emit(output, new LCode(Checked(code.Code, statement: true), code.Span) { AssignedLocal = _checked is null ? code.AssignedLocal : null, IsThrow = code.IsThrow, FastCode = _checked is null ? code.FastCode : null });
                }

                break;

            case BlockStmt block:
                EnterScope(block.Scope, output);
                LowerBlockStatements(block.Statements, output);
                break;

            case LocalDeclStmt declaration:
                LowerDeclaration(declaration, output);
                break;

            case SuspendStmt suspend:
            {
                var node = new LSuspend(suspend.Point, suspend.Yielded is null ? null : Checked(suspend.Yielded), suspend.Comment, suspend.Span, CloseRouteHere(), suspend.From);
                Suspensions.Add(node);
                output.Add(node);
                break;
            }

            case LabeledStmt labeled:
                output.Add(new LLabel(labeled.Label == "continue" ? DefineTarget(labeled.Target, labeled.Label) : DefineUserLabel(labeled.Target, labeled.Label), labeled.KeepLabel));
                Lower(labeled.Statement, output);
                break;

            case IfStmt ifStatement:
                LowerIf(ifStatement, output);
                break;

            case WhileStmt loop:
            {
                output.Add(new LComment(loop.Comment));
                var top = DefineTarget(loop.Continue, "while");
                var end = DefineTarget(loop.Break, "while_end");
                output.Add(new LLabel(top));
                var condition = (CodeExpr)loop.Condition;
                if (!condition.IsConstantTrue)
                {
                    Emit(output, new LCondGoto(Checked(condition.Code).And(loop.CallFree), false, end, loop.Span));
                }

                Lower(loop.Body, output);
                output.Add(new LGoto(top));
                output.Add(new LLabel(end));
                break;
            }

            case DoStmt loop:
            {
                output.Add(new LComment("do ... " + loop.Comment));
                var top = _c.NewLabel("do");
                var next = DefineTarget(loop.Continue, "do_continue");
                var end = DefineTarget(loop.Break, "do_end");
                output.Add(new LLabel(top));
                Lower(loop.Body, output);
                output.Add(new LLabel(next));
                Emit(output, new LCondGoto(Checked(((CodeExpr)loop.Condition).Code).And(loop.CallFree), true, top, loop.Span));
                output.Add(new LLabel(end));
                break;
            }

            case ForStmt loop:
            {
                output.Add(new LComment(loop.Comment));
                EnterScope(loop.Scope, output);
                foreach (var initializer in loop.Initializers)
                {
                    Lower(initializer, output);
                }

                var top = _c.NewLabel("for");
                var next = DefineTarget(loop.Continue, "for_continue");
                var end = DefineTarget(loop.Break, "for_end");
                output.Add(new LLabel(top));
                if (loop.Condition is CodeExpr { IsConstantTrue: false } condition)
                {
                    Emit(output, new LCondGoto(Checked(condition.Code).And(loop.CallFree), false, end, loop.Span));
                }

                Lower(loop.Body, output);
                output.Add(new LLabel(next));
                foreach (var incrementor in loop.Incrementors)
                {
                    Lower(incrementor, output);
                }

                output.Add(new LGoto(top));
                output.Add(new LLabel(end));
                break;
            }

            case ForEachStmt loop:
                LowerForEach(loop, output);
                break;

            case SwitchStmt switchStatement:
                LowerSwitch(switchStatement, output);
                break;

            case TryStmt tryStatement:
                LowerTry(tryStatement, output);
                break;

            case UsingStmt usingStatement:
                LowerUsing(usingStatement, output);
                break;

            case CheckedStmt checkedStatement:
            {
                var saved = _checked;
                _checked = checkedStatement.IsChecked;
                output.Add(new LComment(checkedStatement.IsChecked ? "checked" : "unchecked"));
                LowerBlockStatements(checkedStatement.Block.Statements, output);
                _checked = saved;
                break;
            }

            default:
                _c.Report(DiagnosticDescriptors.InternalError.Id, null, _c.Signature.Name, "the flattener met " + statement.GetType().Name);
                break;
        }
    }

    /// <summary>The statements of a block; a <c>using var</c> declaration turns the rest of the block into a try/finally that disposes it.</summary>
    private void LowerBlockStatements(EquatableArray<Stmt> statements, List<LNode> output)
    {
        for (int i = 0; i < statements.Count; i++)
        {
            if (statements[i] is LocalDeclStmt { IsUsing: true } declaration)
            {
                LowerDeclaration(declaration, output);
                var rest = new BlockStmt(new EquatableArray<Stmt>(statements.Skip(i + 1).ToArray()), -1);
                LowerWithDisposal(rest, declaration.Local, output, declaration.IsAwaitUsing);
                return;
            }

            Lower(statements[i], output);
        }
    }

    private void LowerDeclaration(LocalDeclStmt declaration, List<LNode> output)
    {
        if (declaration.IsConst)
        {
            output.Add(new LDecl(declaration.Local, null, declaration.Span, ((CodeExpr)declaration.Initializer!).Code));
            return;
        }

        // The initializer's code, and its conversion to the local's type (the binder's fact).
        var initializer = declaration.Initializer is CodeExpr code ? Checked(code.Code).And(declaration.CallFree) : null;
        Emit(output, new LDecl(declaration.Local, initializer, declaration.Span));
    }

    private void LowerIf(IfStmt ifStatement, List<LNode> output)
    {
        output.Add(new LComment(ifStatement.Comment));
        var condition = ((CodeExpr)ifStatement.Condition).Code.And(ifStatement.CallFree);
        var end = _c.NewLabel("endif");
        if (ifStatement.Else is null)
        {
            Emit(output, new LCondGoto(Checked(condition), false, end, ifStatement.Span));
            Lower(ifStatement.Then, output);
        }
        else
        {
            var otherwise = _c.NewLabel("else");
            Emit(output, new LCondGoto(Checked(condition), false, otherwise, ifStatement.Span));
            Lower(ifStatement.Then, output);
            output.Add(new LGoto(end));
            output.Add(new LLabel(otherwise));
            Lower(ifStatement.Else, output);
        }

        output.Add(new LLabel(end));
    }

    private void LowerSwitch(SwitchStmt switchStatement, List<LNode> output)
    {
        output.Add(new LComment(switchStatement.Comment));
        EnterScope(switchStatement.Scope, output);
        var governing = _c.NewTemp(switchStatement.GoverningType);
        Emit(output, new LDecl(governing, Checked(((CodeExpr)switchStatement.Governing).Code), switchStatement.Span));
        var end = DefineTarget(switchStatement.Break, "switch_end");
        var sectionLabels = switchStatement.Sections.Select(s => DefineTarget(s.Target, "case")).ToList();

        // Pattern variables of case labels are bound by the dispatch switch and copied to where the section (now
        // after the switch) can see them.
        var dispatch = new LSwitchDispatch(governing, switchStatement.Span);
        for (int s = 0; s < switchStatement.Sections.Count; s++)
        {
            var section = switchStatement.Sections[s];
            foreach (var label in section.Labels)
            {
                var code = label.Label;
                var copies = new List<(int Local, int Temporary)>();
                foreach (var local in label.Declared)
                {
                    var temp = _c.NewTemp(_c.Locals[local].Type ?? "object", "case");
                    code = code.Rewrite(p => p switch
                    {
                        // The pattern declares the temporary: a local of the dispatch, never a field.
                        PatternDesignationPart d when d.Local == local => new LocalPart(temp, IsDeclaration: true),
                        LocalPart l when l.Local == local => new LocalPart(temp),
                        _ => p,
                    });
                    output.Add(new LDecl(local, null, null));
                    // The copy defines the variable (for liveness: it is not live before the switch).
                    copies.Add((local, temp));
                }

                // A case label is a pattern and a condition: no statement in it jumps out of the template's code, so
                // the dispatch has nothing for jump resolution (its own jumps are to the section labels).
                if (code.AllParts().Any(p => p is JumpPart or ReturnPart or RethrowPart))
                {
                    _c.Report(DiagnosticDescriptors.InternalError.Id, null, _c.Signature.Name, "a case label jumps out of the template's code");
                }

                var lowered = new LCaseLabel(code, sectionLabels[s]);
                lowered.Copies.AddRange(copies);
                dispatch.Cases.Add(lowered);
                dispatch.HasDefault |= label.IsDefault;
            }
        }

        output.Add(dispatch);
        if (!dispatch.HasDefault)
        {
            output.Add(new LGoto(end));
        }

        for (int s = 0; s < switchStatement.Sections.Count; s++)
        {
            output.Add(new LLabel(sectionLabels[s]));
            LowerBlockStatements(switchStatement.Sections[s].Statements, output);
        }

        output.Add(new LLabel(end));
    }

    private void LowerForEach(ForEachStmt loop, List<LNode> output)
    {
        output.Add(new LComment(loop.Comment));
        var collection = ((CodeExpr)loop.Collection).Code;
        var next = DefineTarget(loop.Continue, "foreach");
        var end = DefineTarget(loop.Break, "foreach_end");
        if (loop.Kind == ForEachKind.Array)
        {
            var array = _c.NewTemp(loop.CollectionType, "array");
            var index = _c.NewTemp("int", "index", holdsReferences: false, isValueType: true);
            Emit(output, new LDecl(array, collection, loop.Span));
            output.Add(new LDecl(index, Code.Text("-1"), null));
            output.Add(new LLabel(next));
            output.Add(new LCode(Code.Concat(new LocalPart(index), "++;"), null));
            output.Add(new LCondGoto(Code.Concat(new LocalPart(index), " < ", new LocalPart(array), ".Length"), false, end, null));
            EnterScope(loop.Scope, output);
            DeclareIterationVariables(loop, Code.Concat(new LocalPart(array), "[", new LocalPart(index), "]"), output);
            Lower(loop.Body, output);
            output.Add(new LGoto(next));
            output.Add(new LLabel(end));
            return;
        }

        var enumerator = _c.NewTemp(loop.EnumeratorType, "enumerator", isValueType: loop.EnumeratorIsValueType);
        Emit(output, new LDecl(enumerator, Code.Concat(loop.GetEnumeratorPrefix, collection, loop.GetEnumeratorSuffix), loop.Span));
        var body = new List<LNode>();
        body.Add(new LLabel(next));
        body.Add(new LCondGoto(loop.IsAsync ? Code.Concat(new AwaitPart(), " ", new LocalPart(enumerator), ".MoveNextAsync()") : Code.Concat(new LocalPart(enumerator), ".MoveNext()"), false, end, null));
        EnterScope(loop.Scope, body);
        DeclareIterationVariables(loop, Code.Concat(new LocalPart(enumerator), ".Current"), body);
        Lower(loop.Body, body);
        body.Add(new LGoto(next));
        if (!loop.EnumeratorIsDisposable)
        {
            output.AddRange(body);
            output.Add(new LLabel(end));
            return;
        }

        var dispose = loop.IsAsync
            ? AsyncDispose(enumerator)
            : loop.EnumeratorIsValueType
            ? Code.Concat("global::CoroutineGen.CoroutineRuntime.DisposeValue(ref ", new LocalPart(enumerator), ");")
            : Code.Concat("(", new LocalPart(enumerator), " as global::System.IDisposable)?.Dispose();");
        var tryNode = KeptTry(new List<LNode> { new LCode(dispose, null) });
        LowerInTry(tryNode, body);
        output.Add(tryNode);
        output.Add(new LLabel(end));
    }

    private void DeclareIterationVariables(ForEachStmt loop, Code current, List<LNode> output)
    {
        var value = loop.CurrentConversion.Length > 0 ? Code.Concat("(", loop.CurrentConversion, ")", current) : current;
        if (loop.Deconstruction is { } deconstruction)
        {
            output.Add(new LCode(Code.Concat(deconstruction, " = ", value, ";"), loop.Span));
            foreach (var variable in loop.IterationVariables)
            {
                _c.ForceHoisted.Add(variable);
            }
        }
        else if (loop.IterationVariables.Count == 1)
        {
            output.Add(new LDecl(loop.IterationVariables[0], value, loop.Span));
        }
    }

    private void LowerUsing(UsingStmt usingStatement, List<LNode> output)
    {
        output.Add(new LComment(usingStatement.Comment));
        EnterScope(usingStatement.Scope, output);
        var resource = usingStatement.Resources[0];
        int local;
        if (resource.Local is { } declared)
        {
            local = declared;
            Emit(output, new LDecl(declared, resource.Initializer is CodeExpr init ? Checked(init.Code) : null, usingStatement.Span));
        }
        else
        {
            local = _c.NewTemp(resource.Type, "resource", isValueType: resource.IsValueType);
            Emit(output, new LDecl(local, Checked(((CodeExpr)resource.Initializer!).Code), usingStatement.Span));
        }

        LowerWithDisposal(usingStatement.Body, local, output, usingStatement.IsAsync);
    }

    /// <summary>
    /// <c>await using</c>, an <c>await foreach</c>'s enumerator (one the binder found a <c>DisposeAsync</c> for): an
    /// <c>await using</c> of the hoisted local, so that the compiler picks the method exactly as it does for the
    /// template's own statement: a <c>DisposeAsync</c> found by pattern first (a class or struct that implements no
    /// interface, a configured <c>ConfigureAwait(false)</c> disposable), else <c>IAsyncDisposable</c> (explicit
    /// implementations too), nothing for null.
    /// </summary>
    private static Code AsyncDispose(int local) => Code.Concat(new AwaitPart(), " using (", new LocalPart(local), ") { }");

    /// <summary>Lowers <paramref name="body"/> inside a try whose finally disposes <paramref name="local"/>.</summary>
    private void LowerWithDisposal(Stmt body, int local, List<LNode> output, bool isAsync = false)
    {
        var info = _c.Locals[local];
        var isNonNullableValue = info.IsValueType && info.Type is { } type && !type.EndsWith("?", System.StringComparison.Ordinal);
        var dispose = isAsync
            ? AsyncDispose(local)
            : isNonNullableValue
            ? Code.Concat("global::CoroutineGen.CoroutineRuntime.DisposeValue(ref ", new LocalPart(local), ");")
            : Code.Concat("((global::System.IDisposable)", new LocalPart(local), ")?.Dispose();");
        var tryNode = KeptTry(new List<LNode> { new LCode(dispose, null) });
        var inner = new List<LNode>();
        _tries.Add(new TryScope());
        Lower(body, inner);
        _tries.RemoveAt(_tries.Count - 1);
        tryNode.Body.AddRange(inner);
        output.Add(tryNode);
    }

    /// <summary>
    /// A try statement kept as a real try, with <paramref name="finallyNodes"/> (if any) as its finally block. The
    /// finally block is guarded (<see cref="LTry.GuardsFinally"/>): parking returns from inside the try, and that return
    /// must not run it; it runs when the body really leaves the try (the state is then negative: running, or finished).
    /// </summary>
    private static LTry KeptTry(List<LNode>? finallyNodes) => new() { Finally = finallyNodes, GuardsFinally = finallyNodes is not null };

    /// <summary>Lowers already flattened nodes as the body of a try that has no handler (only a finally).</summary>
    private static void LowerInTry(LTry tryNode, List<LNode> body) => tryNode.Body.AddRange(body);

    // ------------------------------------------------------------------ helpers

    /// <summary>Entering a block whose variables lambdas capture: a fresh frame for this execution of it.</summary>
    private void EnterScope(int scope, List<LNode> output)
    {
        if (scope >= 0 && _c.Frames.TryGetValue(scope, out var frame))
        {
            output.Add(new LCode(Code.Text($"{frame.Field} = new {frame.ClassName}();"), null));
        }
    }

    /// <summary>Records where a jump target lands (its label, and the finally frames around it).</summary>
    private string DefineTarget(int target, string hint)
    {
        var label = _c.NewLabel(hint);
        _targets[target] = (label, _frames);
        return label;
    }

    /// <summary>A label the user wrote: it keeps its name (C# makes label names unique in a method), so gotos copied as text still find it.</summary>
    private string DefineUserLabel(int target, string label)
    {
        _c.GeneratedNames.Add(label);
        _targets[target] = (label, _frames);
        return label;
    }

    /// <summary>Adds a node whose code may jump or return: it is resolved once every target is known.</summary>
    private void Emit(List<LNode> output, LNode node)
    {
        output.Add(node);
        _unresolved.Add(node);
        _nodeFrames[node] = _frames;
    }

    private readonly Dictionary<LNode, FrameContext?> _nodeFrames = new();

    /// <summary>Wraps code in the checked/unchecked context of an enclosing <c>checked</c> block that was flattened.</summary>
    private Code Checked(Code code, bool statement = false)
    {
        if (_checked is not { } isChecked)
        {
            return code;
        }

        var keyword = isChecked ? "checked" : "unchecked";
        if (statement)
        {
            // A statement wrapped in a block: locals it declares through `out var` or patterns must outlive it.
            foreach (var part in code.AllParts())
            {
                if (part is DesignationPart d)
                {
                    _c.ForceHoisted.Add(d.Local);
                }
                else if (part is PatternDesignationPart p)
                {
                    _c.ForceHoisted.Add(p.Local);
                }
            }

            return Code.Quiet(keyword, " { ", code, " }");
        }

        // (A checked context runs nothing: it makes overflow throw, an implicit exception.)
        return Code.Quiet(keyword, "(", code, ")");
    }
}
