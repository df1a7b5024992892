using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// The part of the flattener that lowers <c>try</c> statements, following Roslyn's
/// <c>AsyncExceptionHandlerRewriter</c>:
/// <list type="bullet">
/// <item>A try statement stays a real C# try; its <c>finally</c> is guarded so that parking does not run it.</item>
/// <item>A catch clause that suspends, or that catches <c>GeneratorExitException</c>, is <em>moved</em>: the real
/// catch only stores the exception and jumps to the handler body placed after the try, where it may suspend and
/// where <c>Close()</c> can jump straight to it without throwing. <c>throw;</c> in it rethrows the stored exception.</item>
/// <item>A <c>finally</c> that suspends becomes a catch-all that stores the exception, the finally body after the
/// try, a rethrow, and a dispatch of the jumps that left the try (the pending branch).</item>
/// <item>A catch clause that would catch <c>GeneratorExitException</c> in C# (<c>catch</c>, <c>catch (Exception)</c>)
/// gets a filter so that it does not: in Python, <c>except Exception</c> does not catch <c>GeneratorExit</c>.</item>
/// </list>
/// </summary>
internal sealed partial class ControlFlowFlattener
{
    private string ExceptionType => _c.Model.NullableAnnotations ? "global::System.Exception?" : "global::System.Exception";

    private void LowerTry(TryStmt statement, List<LNode> output)
    {
        var finallySuspends = statement.Finally is not null && ContainsSuspension(statement.Finally);
        var anyMoved = statement.Catches.Any(c => c.Moves);
        if (finallySuspends)
        {
            LowerTryWithSuspendingFinally(statement, output);
        }
        else if (statement.Finally is not null && anyMoved)
        {
            // try { } catch { } finally { }  ==  try { try { } catch { } } finally { }: moved handlers run before the finally.
            var outer = KeptTry(LowerFinally(statement.Finally));
            _tries.Add(new TryScope());
            LowerTryCatches(statement.Body, statement.Catches, outer.Body);
            _tries.RemoveAt(_tries.Count - 1);
            output.Add(outer);
        }
        else if (anyMoved)
        {
            LowerTryCatches(statement.Body, statement.Catches, output);
        }
        else
        {
            var tryNode = KeptTry(statement.Finally is null ? null : LowerFinally(statement.Finally));
            foreach (var clause in statement.Catches)
            {
                tryNode.Catches.Add(PlainCatch(clause));
            }

            _tries.Add(new TryScope());
            Lower(statement.Body, tryNode.Body);
            _tries.RemoveAt(_tries.Count - 1);
            output.Add(tryNode);
        }
    }

    private List<LNode> LowerFinally(BlockStmt block)
    {
        var nodes = new List<LNode>();
        Lower(block, nodes);
        return nodes;
    }

    private LCatch PlainCatch(CatchClause clause)
    {
        var lowered = new LCatch
        {
            Type = clause.Type ?? "global::System.Exception",
            Local = clause.Local,
        };
        if (clause.Local is null && clause.ExcludesGeneratorExit)
        {
            lowered.VariableName = _c.NewLabel("caught");
        }

        var variable = clause.Local is { } local ? Code.Concat(new LocalPart(local)) : Code.Text(lowered.VariableName ?? string.Empty);
        lowered.Filter = Filter(clause, variable, clause.Filter);
        Lower(clause.Body, lowered.Body);
        return lowered;
    }

    /// <summary>The filter of a lowered catch: Python's "GeneratorExit is not an Exception", then the user's filter.</summary>
    private static Code? Filter(CatchClause clause, Code variable, Code? userFilter)
    {
        return clause.ExcludesGeneratorExit ? GeneratorExitFilter.Condition(variable, userFilter) : userFilter;
    }

    /// <summary>A try statement without finally whose catch clauses include moved ones.</summary>
    private void LowerTryCatches(BlockStmt body, EquatableArray<CatchClause> catches, List<LNode> output)
    {
        var exception = _c.NewTemp(ExceptionType, "exception");
        var end = _c.NewLabel("endtry");
        var handlers = catches.ToDictionary(c => c.Id, c => c.Moves ? _c.NewLabel("catch") : string.Empty);
        var scope = new TryScope();
        var exit = catches.FirstOrDefault(c => c.CatchesGeneratorExit && c.Moves);
        if (exit is not null)
        {
            scope.ExitLabel = handlers[exit.Id];
            scope.ExitObservable = exit.Local is not null || exit.Filter is not null;
            scope.ExitExceptionLocal = exit.UsesRethrow ? exception : null;
        }

        var tryNode = new LTry();
        _tries.Add(scope);
        Lower(body, tryNode.Body);
        _tries.RemoveAt(_tries.Count - 1);

        foreach (var clause in catches)
        {
            if (!clause.Moves)
            {
                tryNode.Catches.Add(PlainCatch(clause));
                continue;
            }

            var caught = _c.NewLabel("caught");
            var userFilter = clause.Filter is { } f && clause.Local is { } local
                ? f.Rewrite(p => p is LocalPart l && l.Local == local ? new TextPart(caught) : p)
                : clause.Filter;
            var filter = Filter(clause, Code.Text(caught), userFilter);
            var lowered = new LCatch
            {
                Type = clause.Type ?? "global::System.Exception",
                VariableName = filter is not null || clause.Local is not null || clause.UsesRethrow ? caught : null,
                Filter = filter,
            };
            if (clause.Local is not null || clause.UsesRethrow)
            {
                lowered.Body.Add(new LCode(Code.Concat(new LocalPart(exception), " = ", caught, ";"), null) { AssignedLocal = exception });
            }

            lowered.Body.Add(new LGoto(handlers[clause.Id]));
            tryNode.Catches.Add(lowered);
        }

        if (catches.Any(c => c.Moves && (c.Local is not null || c.UsesRethrow)))
        {
            output.Add(new LDecl(exception, Code.Text("null"), null));
        }

        output.Add(tryNode);
        output.Add(new LGoto(end));
        foreach (var clause in catches.Where(c => c.Moves))
        {
            output.Add(new LComment(clause.Type is null ? "catch" : $"catch ({clause.Type}), moved out of the catch clause"));
            output.Add(new LLabel(handlers[clause.Id]));
            if (clause.Local is { } local)
            {
                var cast = clause.Type is null or "global::System.Exception" ? Code.Concat(new LocalPart(exception), _c.NotNull) : Code.Concat("(", clause.Type, ")", new LocalPart(exception), _c.NotNull);
                output.Add(new LDecl(local, cast, clause.Span));
            }

            _rethrowLocals[clause.Id] = exception;
            Lower(clause.Body, output);
            output.Add(new LGoto(end));
        }

        output.Add(new LLabel(end));
    }

    /// <summary>A try statement whose finally suspends: the finally body runs after the try, then pending exceptions and jumps resume.</summary>
    private void LowerTryWithSuspendingFinally(TryStmt statement, List<LNode> output)
    {
        var frame = new FinallyFrame(
            _c.NewLabel("finally"),
            _c.NewTemp(ExceptionType, "pendingException"),
            _c.NewTemp("int", "pendingBranch", holdsReferences: false, isValueType: true));
        output.Add(new LDecl(frame.ExceptionLocal, Code.Text("null"), null));
        frame.BranchDeclaration = new LDecl(frame.BranchLocal, Code.Text("0"), null);
        output.Add(frame.BranchDeclaration);
        _finallyFrames.Add(frame);

        var tryNode = new LTry();
        var caught = _c.NewLabel("caught");
        var store = new LCatch { Type = "global::System.Exception", VariableName = caught };
        store.Body.Add(new LCode(Code.Concat(new LocalPart(frame.ExceptionLocal), " = ", caught, ";"), null) { AssignedLocal = frame.ExceptionLocal });
        tryNode.Catches.Add(store);

        var outerFrames = _frames;
        _frames = new FrameContext(frame, outerFrames);
        _tries.Add(new TryScope { IsFrame = true });
        if (statement.Catches.Count > 0)
        {
            LowerTryCatches(statement.Body, statement.Catches, tryNode.Body);
        }
        else
        {
            Lower(statement.Body, tryNode.Body);
        }

        // A jump recorded as the pending branch may never reach the finally: a finally nested in the body throws on
        // the way and a catch in the body handles that exception. Whatever falls into the finally from the body
        // leaves no jump pending (the fuzzer's return-replaced-by-a-finally's-throw).
        frame.BranchReset = new LCode(Code.Concat(new LocalPart(frame.BranchLocal), " = 0;"), null) { AssignedLocal = frame.BranchLocal };
        tryNode.Body.Add(frame.BranchReset);

        _tries.RemoveAt(_tries.Count - 1);
        _frames = outerFrames;

        output.Add(tryNode);
        output.Add(new LComment("finally (it suspends, so it runs after the try statement)"));
        output.Add(new LLabel(frame.Label));
        Lower(statement.Finally!, output);
        output.Add(new LCode(Code.Concat("if (", new LocalPart(frame.ExceptionLocal), " != null) global::CoroutineGen.CoroutineRuntime.Rethrow(", new LocalPart(frame.ExceptionLocal), ");"), null));
        var dispatch = new LFrameDispatch(frame);
        Emit(output, dispatch);
    }

    private static bool ContainsSuspension(Stmt statement) => statement switch
    {
        SuspendStmt => true,
        BlockStmt b => b.Statements.Any(ContainsSuspension),
        LabeledStmt l => ContainsSuspension(l.Statement),
        IfStmt i => ContainsSuspension(i.Then) || (i.Else is not null && ContainsSuspension(i.Else)),
        WhileStmt w => ContainsSuspension(w.Body),
        DoStmt d => ContainsSuspension(d.Body),
        ForStmt f => f.Initializers.Any(ContainsSuspension) || f.Incrementors.Any(ContainsSuspension) || ContainsSuspension(f.Body),
        ForEachStmt f => ContainsSuspension(f.Body),
        SwitchStmt s => s.Sections.Any(x => x.Statements.Any(ContainsSuspension)),
        TryStmt t => ContainsSuspension(t.Body) || t.Catches.Any(c => ContainsSuspension(c.Body)) || (t.Finally is not null && ContainsSuspension(t.Finally)),
        UsingStmt u => ContainsSuspension(u.Body),
        CheckedStmt c => ContainsSuspension(c.Block),
        _ => false,
    };

    /// <summary>How Close() gets from a suspension point to the code that handles GeneratorExitException.</summary>
    private CloseRoute CloseRouteHere()
    {
        for (int i = _tries.Count - 1; i >= 0; i--)
        {
            var scope = _tries[i];
            if (scope.IsFrame)
            {
                return CloseRoute.Throwing;
            }

            if (scope.ExitLabel is not null)
            {
                return scope.ExitObservable
                    ? CloseRoute.Throwing
                    : new CloseRoute(scope.ExitLabel, scope.ExitExceptionLocal);
            }
        }

        return new CloseRoute(FinishLabel);
    }
}

/// <summary>A try statement around the code being lowered, as Close() sees it.</summary>
internal sealed class TryScope
{
    /// <summary>Its finally suspends (a pending-branch frame): Close() must throw to get through it.</summary>
    public bool IsFrame { get; set; }

    /// <summary>The moved GeneratorExitException handler of this try, if it has one.</summary>
    public string? ExitLabel { get; set; }

    /// <summary>That handler has a variable or a filter: user code can observe the exception object.</summary>
    public bool ExitObservable { get; set; }

    /// <summary>That handler rethrows: it needs the exception in this local.</summary>
    public int? ExitExceptionLocal { get; set; }
}

/// <summary>A try statement whose finally suspends: jumps out of its body go through <see cref="Label"/>.</summary>
internal sealed class FinallyFrame
{
    public FinallyFrame(string label, int exceptionLocal, int branchLocal)
    {
        Label = label;
        ExceptionLocal = exceptionLocal;
        BranchLocal = branchLocal;
    }

    public string Label { get; }

    public int ExceptionLocal { get; }

    public int BranchLocal { get; }

    /// <summary>The jump targets left through this finally; branch number = index + 1.</summary>
    public List<int> Branches { get; } = new();

    /// <summary>The declaration of <see cref="BranchLocal"/> (dropped when no jump leaves through this finally).</summary>
    public LDecl? BranchDeclaration { get; set; }

    /// <summary>The reset of <see cref="BranchLocal"/> where the body falls into the finally (dropped with the declaration).</summary>
    public LCode? BranchReset { get; set; }
}

/// <summary>The finally frames around a point, innermost first.</summary>
internal sealed class FrameContext
{
    public FrameContext(FinallyFrame frame, FrameContext? parent)
    {
        Frame = frame;
        Parent = parent;
        Depth = (parent?.Depth ?? 0) + 1;
    }

    public FinallyFrame Frame { get; }

    public FrameContext? Parent { get; }

    public int Depth { get; }
}

/// <summary>After a suspending finally: continue with the jump that left the try (filled in by jump resolution).</summary>
internal sealed class LFrameDispatch : LNode
{
    public LFrameDispatch(FinallyFrame frame) => Frame = frame;

    public FinallyFrame Frame { get; }

    public List<LNode> Resolved { get; } = new();
}
