using System.Collections.Generic;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

// The lowered form of a template body: flat lists of statements, labels and gotos, with real try statements kept
// (their bodies re-dispatched on entry). This is what the emitter writes out, nearly one node per line. These
// types live only inside one lowering; the flattener builds its nodes up as it goes (their lists, a resolved jump),
// and the later passes return what they compute about a node (a state number, the fields to clear) instead of
// writing it into the node (the re-dispatch of each try is StateDispatchBuilder's TryDispatch).
// The suspension points the emitter prints (LSuspension and its parts) are immutable.

/// <summary>A node of the lowered body.</summary>
internal abstract class LNode
{
}

/// <summary><c>name:</c></summary>
internal sealed class LLabel : LNode
{
    public LLabel(string name, bool kept = false)
    {
        Name = name;
        Kept = kept;
    }

    public string Name { get; }

    /// <summary>A user's label that copied code may jump to by name: never removed as unreferenced.</summary>
    public bool Kept { get; }
}

/// <summary><c>goto target;</c></summary>
internal sealed class LGoto : LNode
{
    public LGoto(string target) => Target = target;

    public string Target { get; }
}

/// <summary><c>if (condition) goto target;</c> or, when <see cref="JumpIfTrue"/> is false, <c>if (!(condition)) goto target;</c></summary>
internal sealed class LCondGoto : LNode
{
    public LCondGoto(Code condition, bool jumpIfTrue, string target, SourceSpan? span)
    {
        Condition = condition;
        JumpIfTrue = jumpIfTrue;
        Target = target;
        Span = span;
    }

    public Code Condition { get; }

    public bool JumpIfTrue { get; }

    public string Target { get; }

    public SourceSpan? Span { get; }
}

/// <summary>Statements copied from the template (or generated), written as they are.</summary>
internal sealed class LCode : LNode
{
    public LCode(Code code, SourceSpan? span)
    {
        Code = code;
        Span = span;
    }

    public Code Code { get; set; }

    public SourceSpan? Span { get; }

    /// <summary>The code starts with <c>local = </c>: it kills the local's old value (for liveness).</summary>
    public int? AssignedLocal { get; set; }

    /// <summary>A <c>throw</c> statement: what follows it is reached only by a jump.</summary>
    public bool IsThrow { get; set; }

    /// <summary>Async templates: the code as a fast path runs it (see <see cref="CodeStmt.FastCode"/>), or null.</summary>
    public Code? FastCode { get; set; }
}

/// <summary>
/// The dispatch of a switch statement that suspends: a real <c>switch</c> on <see cref="Governing"/> whose every case
/// label jumps to its section, which the flattening placed after it (a section that suspends cannot stay inside the
/// switch). The pattern variables a label declares are bound to temporaries of the dispatch (a pattern cannot bind a
/// field) and copied to the template's variables before the jump.
/// </summary>
internal sealed class LSwitchDispatch : LNode
{
    public LSwitchDispatch(int governing, SourceSpan? span)
    {
        Governing = governing;
        Span = span;
    }

    /// <summary>The temporary holding the value switched on (read by the dispatch).</summary>
    public int Governing { get; }

    /// <summary>Where the template's switch statement is (its governing expression).</summary>
    public SourceSpan? Span { get; }

    /// <summary>Every case label of every section, in the template's order.</summary>
    public List<LCaseLabel> Cases { get; } = new();

    /// <summary>A <c>default:</c> label: the dispatch always jumps, it never falls through.</summary>
    public bool HasDefault { get; set; }

    /// <summary>
    /// The code the dispatch runs, for the passes that read code by its parts (liveness, the fast paths' checks): the
    /// governing local (read), each case label (which declares its temporaries), and each copy (<c>local = temporary;</c>:
    /// it declares the pattern variable and reads the temporary). Its jumps are <see cref="LCaseLabel.Target"/>.
    /// </summary>
    public IEnumerable<Code> Codes()
    {
        yield return Code.Concat(new LocalPart(Governing));
        foreach (var label in Cases)
        {
            yield return label.Label;
            foreach (var (local, temporary) in label.Copies)
            {
                yield return Code.Concat(new LocalPart(local, IsDeclaration: true), " = ", new LocalPart(temporary), ";");
            }
        }
    }
}

/// <summary>A case label of an <see cref="LSwitchDispatch"/>.</summary>
internal sealed class LCaseLabel
{
    public LCaseLabel(Code label, string target)
    {
        Label = label;
        Target = target;
    }

    /// <summary>
    /// The label as the template wrote it (<c>case int n when n &gt; 0:</c>, <c>default:</c>), its pattern variables
    /// renamed to the temporaries it declares.
    /// </summary>
    public Code Label { get; }

    /// <summary>Each pattern variable of the label and the temporary the label binds it to: <c>local = temporary;</c> where the label matches.</summary>
    public List<(int Local, int Temporary)> Copies { get; } = new();

    /// <summary>The label of the section (after the dispatch) the case jumps to.</summary>
    public string Target { get; }
}

/// <summary>A comment line explaining the lowered statements after it.</summary>
internal sealed class LComment : LNode
{
    public LComment(string text) => Text = text;

    public string Text { get; }
}

/// <summary>
/// A local's declaration: <c>T x = init;</c> while it stays a local, <c>__x = init;</c> once hoisted (nothing
/// when hoisted without initializer). <see cref="Constant"/> holds a whole <c>const</c> declaration.
/// </summary>
internal sealed class LDecl : LNode
{
    public LDecl(int local, Code? initializer, SourceSpan? span, Code? constant = null)
    {
        Local = local;
        Initializer = initializer;
        Span = span;
        Constant = constant;
    }

    public int Local { get; }

    public Code? Initializer { get; }

    public SourceSpan? Span { get; }

    public Code? Constant { get; }
}

/// <summary>How Close() reaches the code that handles GeneratorExitException at a suspension point.</summary>
/// <param name="Label">Jump there (a moved GeneratorExitException handler, or the end of the body); C# runs the finally blocks on the way.</param>
/// <param name="ExceptionLocal">The handler reads the exception (it rethrows): store a fresh GeneratorExitException here first.</param>
internal sealed record CloseRoute(string? Label, int? ExceptionLocal = null)
{
    /// <summary>User code could observe the exception (a catch variable, a filter, a finally that suspends): Close() throws a real one.</summary>
    public static CloseRoute Throwing { get; } = new(Label: null);

    /// <summary>Close() throws a real exception: no close entry.</summary>
    public bool Throws => Label is null;
}

/// <summary>
/// A suspension point, as the flattener places it: park, resume right after. Its state is <see cref="StateNumbering"/>'s
/// and the fields cleared before parking are <see cref="HoistingAnalysis"/>'s; <see cref="SuspensionEntries"/> puts it
/// all together into an <see cref="LSuspension"/>.
/// </summary>
internal sealed class LSuspend : LNode
{
    public LSuspend(int point, Code? yielded, string comment, SourceSpan span, CloseRoute close, YieldFromModel? from)
    {
        Point = point;
        Yielded = yielded;
        Comment = comment;
        Span = span;
        Close = close;
        From = from;
    }

    public int Point { get; }

    public Code? Yielded { get; }

    public string Comment { get; }

    public SourceSpan Span { get; }

    /// <summary>How Close() reaches the GeneratorExitException handling from here (the flattener's decision).</summary>
    public CloseRoute Close { get; }

    /// <summary>
    /// For <c>inbox.YieldFrom(sub)</c>: <see cref="Yielded"/> is the sub, and Send/Throw/Close go to it (through
    /// the delegation field) until it finishes; only then does the code after this point run.
    /// </summary>
    public YieldFromModel? From { get; }
}

/// <summary>
/// A suspension point with its entries written out (<see cref="SuspensionEntries"/>, which replaces every
/// <see cref="LSuspend"/> of the body): <see cref="Nodes"/> is what <c>__Step</c> holds there, in order: the park and
/// the entries the dispatch jumps to (close, throw, resume), and for <c>inbox.YieldFrom(sub)</c> the delegation around
/// them. A fast path copies only <see cref="Park"/>. Immutable: every number and label in it is the lowering's.
/// </summary>
internal sealed class LSuspension : LNode
{
    public LSuspension(LSuspend suspend, LPark park, LCloseEntry? close, LThrowEntry throwEntry, LResumeEntry resume, IReadOnlyList<LNode> nodes)
    {
        Point = suspend.Point;
        Comment = suspend.Comment;
        Span = suspend.Span;
        From = suspend.From;
        Park = park;
        Close = close;
        Throw = throwEntry;
        Resume = resume;
        Nodes = nodes;
    }

    /// <summary>The suspension point's place in the source (counted from 0; a <c>YieldFrom</c>'s delegation field is named after it).</summary>
    public int Point { get; }

    /// <summary>The template's statement, as the comments and <c>ToString()</c> show it.</summary>
    public string Comment { get; }

    public SourceSpan Span { get; }

    /// <summary>For <c>inbox.YieldFrom(sub)</c>: the entries go to the sub first (see <see cref="LDelegationStart"/>).</summary>
    public YieldFromModel? From { get; }

    /// <summary>The state the coroutine parks in here (its resume entry).</summary>
    public int State => Park.State;

    public LPark Park { get; }

    /// <summary>Where <c>Close()</c> enters without throwing; null when user code must see a real GeneratorExitException.</summary>
    public LCloseEntry? Close { get; }

    public LThrowEntry Throw { get; }

    public LResumeEntry Resume { get; }

    /// <summary>Everything <c>__Step</c> runs at this suspension point, in order.</summary>
    public IReadOnlyList<LNode> Nodes { get; }
}

/// <summary>Two-way templates: the value <c>__current</c> gets before parking (null: <c>default</c>), mapped to <see cref="Span"/> when there is one.</summary>
internal sealed record ParkValue(Code? Value, SourceSpan? Span);

/// <summary>
/// Parking: clear the fields dead here (<see cref="Cleared"/>), set <c>__current</c> (two-way templates), store
/// <see cref="State"/>, and leave the method. How it leaves is the printer's (a return from <c>__Step</c>, a
/// completed task from an async fast path, ...): the same node is printed in <c>__Step</c> and in the fast paths.
/// </summary>
internal sealed class LPark : LNode
{
    public LPark(int state, IReadOnlyList<int> cleared, ParkValue? current, string? comment)
    {
        State = state;
        Cleared = cleared;
        Current = current;
        Comment = comment;
    }

    public int State { get; }

    /// <summary>Hoisted reference-holding locals that are dead here: set to <c>default</c> before parking.</summary>
    public IReadOnlyList<int> Cleared { get; }

    /// <summary>Two-way templates only: what <c>__current</c> gets (the yielded value).</summary>
    public ParkValue? Current { get; }

    /// <summary>The comment line in front of the park (null: a <c>YieldFrom</c>'s park, whose comment is in front of the delegation).</summary>
    public string? Comment { get; }
}

/// <summary>The labels and field of a <c>YieldFrom</c> suspension point's delegation.</summary>
/// <param name="Field">The delegation field (<c>global::CoroutineGen.Delegation</c>), shared by the entries.</param>
/// <param name="ParkLabel">Where the coroutine parks again while the sub keeps parking.</param>
/// <param name="EndLabel">Where the code after the suspension point continues once the sub has finished.</param>
internal sealed record DelegationTargets(string Field, string ParkLabel, string EndLabel);

/// <summary><c>if (!field.Start(sub)) goto end;</c>: starts delegating to the sub (it may have finished already).</summary>
internal sealed class LDelegationStart : LNode
{
    public LDelegationStart(DelegationTargets delegation, Code sub, SourceSpan span)
    {
        Delegation = delegation;
        Sub = sub;
        Span = span;
    }

    public DelegationTargets Delegation { get; }

    public Code Sub { get; }

    public SourceSpan Span { get; }
}

/// <summary>
/// The close entry (state <see cref="State"/>): <c>Close()</c> jumps to <see cref="Target"/>, the code that handles
/// GeneratorExitException (C# runs the finally blocks on the way), after storing a fresh GeneratorExitException in
/// <see cref="ExceptionLocal"/> when that code reads it. A delegation closes its sub first.
/// </summary>
internal sealed class LCloseEntry : LNode
{
    public LCloseEntry(int state, string label, string target, int? exceptionLocal, DelegationTargets? delegation, bool resetsEntry)
    {
        State = state;
        Label = label;
        Target = target;
        ExceptionLocal = exceptionLocal;
        Delegation = delegation;
        ResetsEntry = resetsEntry;
    }

    public int State { get; }

    public string Label { get; }

    public string Target { get; }

    public int? ExceptionLocal { get; }

    public DelegationTargets? Delegation { get; }

    /// <summary><c>__entry = -1;</c> first: no try re-dispatches from here on (the body has try statements).</summary>
    public bool ResetsEntry { get; }
}

/// <summary>An entry into <c>__Step</c> at a suspension point: its state, its label, and what it does first.</summary>
internal abstract class LEntry : LNode
{
    protected LEntry(int state, string label, DelegationTargets? delegation, bool resetsEntry)
    {
        State = state;
        Label = label;
        Delegation = delegation;
        ResetsEntry = resetsEntry;
    }

    public int State { get; }

    public string Label { get; }

    public DelegationTargets? Delegation { get; }

    /// <inheritdoc cref="LCloseEntry.ResetsEntry"/>
    public bool ResetsEntry { get; }
}

/// <summary>
/// The throw entry (state <see cref="LEntry.State"/>): <c>Throw()</c> raises the pending exception here, inside the try
/// statements around the suspension point. A delegation passes it to the sub, and parks again if the sub handled it.
/// </summary>
internal sealed class LThrowEntry : LEntry
{
    public LThrowEntry(int state, string label, DelegationTargets? delegation, bool resetsEntry)
        : base(state, label, delegation, resetsEntry)
    {
    }
}

/// <summary>
/// The resume entry (state <see cref="LEntry.State"/>, the parked state): <c>Send</c> continues here. A delegation sends
/// the value to the sub, and parks again while the sub does.
/// </summary>
internal sealed class LResumeEntry : LEntry
{
    public LResumeEntry(int state, string label, DelegationTargets? delegation, bool resetsEntry)
        : base(state, label, delegation, resetsEntry)
    {
    }
}

/// <summary>A catch clause of a lowered try statement.</summary>
internal sealed class LCatch
{
    /// <summary>The caught type as source (never null: a bare catch is written <c>catch (System.Exception e)</c>).</summary>
    public string Type { get; set; } = "global::System.Exception";

    /// <summary>The template local it declares, if any.</summary>
    public int? Local { get; set; }

    /// <summary>A generated variable name, used when <see cref="Local"/> is null but a name is needed.</summary>
    public string? VariableName { get; set; }

    public Code? Filter { get; set; }

    public List<LNode> Body { get; } = new();
}

/// <summary>A try statement kept in the lowered code.</summary>
internal sealed class LTry : LNode
{
    public List<LNode> Body { get; } = new();

    public List<LCatch> Catches { get; } = new();

    public List<LNode>? Finally { get; set; }

    /// <summary>
    /// The finally block runs only when the coroutine is not parking (<c>if (__state &lt; 0)</c>): parking returns
    /// from inside the try, which must not run it. Set by the flattener where it creates the try; liveness
    /// (<see cref="HoistingAnalysis"/>) takes the block's assignments for conditional when it is set.
    /// </summary>
    public bool GuardsFinally { get; set; }
}

/// <summary>The one walk over the nesting of a lowered body, for the passes that look at every node wherever it is.</summary>
internal static class LoweredBody
{
    /// <summary>
    /// <paramref name="nodes"/> and every list of nodes nested in it, outer lists first: the bodies, catch blocks and
    /// finally blocks of try statements and the resolved branches of a finally frame's dispatch. Each node is in
    /// exactly one of them; a pass that needs the nesting itself (the enclosing try statements of a node, the order of
    /// execution) walks the tree as it is instead.
    /// </summary>
    public static IEnumerable<List<LNode>> NodeLists(List<LNode> nodes)
    {
        var pending = new Stack<List<LNode>>();
        pending.Push(nodes);
        while (pending.Count > 0)
        {
            var list = pending.Pop();
            yield return list;
            for (int i = list.Count - 1; i >= 0; i--)
            {
                switch (list[i])
                {
                    case LTry tryNode:
                        if (tryNode.Finally is { } finallyNodes)
                        {
                            pending.Push(finallyNodes);
                        }

                        for (int c = tryNode.Catches.Count - 1; c >= 0; c--)
                        {
                            pending.Push(tryNode.Catches[c].Body);
                        }

                        pending.Push(tryNode.Body);
                        break;
                    case LFrameDispatch dispatch:
                        pending.Push(dispatch.Resolved);
                        break;
                }
            }
        }
    }
}
