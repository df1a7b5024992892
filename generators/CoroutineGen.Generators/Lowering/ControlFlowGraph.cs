using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>What a node of the <see cref="ControlFlowGraph"/> stands for.</summary>
internal enum CfgNodeKind
{
    /// <summary>The top of <c>__Step</c>: the body starts here (state 0), and the dispatch jumps from here to the resume entries.</summary>
    Entry,

    /// <summary>The end of the body (<see cref="ControlFlowFlattener.FinishLabel"/>): the coroutine finishes.</summary>
    Exit,

    /// <summary>A lowered node of a list (<see cref="CfgNode.Node"/> at <see cref="CfgNode.Position"/> of <see cref="CfgNode.List"/>); for a suspension point, its park.</summary>
    Node,

    /// <summary>Where a suspension point continues once resumed (its resume entry; its throw entry raises there, its close entry jumps from there).</summary>
    Resume,

    /// <summary>The entry of a catch clause (<see cref="CfgNode.Catch"/>): it defines its variable, then evaluates the filter.</summary>
    CatchEntry,

    /// <summary>The entry of the finally block of <see cref="CfgNode.Try"/>.</summary>
    FinallyEntry,

    /// <summary>The end of the finally block of <see cref="CfgNode.Try"/>: from here control goes where it was going when it entered the finally.</summary>
    FinallyJoin,
}

/// <summary>Why control can go from one node of the <see cref="ControlFlowGraph"/> to another.</summary>
internal enum CfgEdgeKind
{
    /// <summary>
    /// To the next node of the list, or out of the end of the list to what follows it (the node after the try
    /// statement, the entry of its finally block, the end of a finally to its join, the end of the body).
    /// </summary>
    FallThrough,

    /// <summary>
    /// The fall-through of copied code that only jumps or throws (<see cref="LCode.IsThrow"/>, a <c>break</c> resolved
    /// to a goto): it does not complete, but liveness and dead-code cleanup do not read the code and assume it may
    /// (their answers, and so the generated code, stay as they were); fast-path selection does not follow it.
    /// </summary>
    AssumedFallThrough,

    /// <summary>
    /// Out of the end of a try statement with a finally whose body and catch blocks all end in a jump: control never
    /// falls out of it, but liveness always assumed it did (kept so that its answers stay as they were); dead-code
    /// cleanup does not follow it.
    /// </summary>
    AssumedFinallyFallThrough,

    /// <summary>A goto, a conditional goto, a goto in copied code, a switch dispatch's case, a pending branch's dispatch.</summary>
    Jump,

    /// <summary>From a node inside a try body (or a catch block, when there is a finally) to the catch and finally entries around it.</summary>
    Exception,

    /// <summary>
    /// From a try statement to its catch and finally entries: C#'s definite assignment takes the state at the start
    /// of a handler to be the state at the start of the try (the body may throw before any of its assignments).
    /// </summary>
    HandlerEntry,

    /// <summary>From a guarded finally's entry straight to its join: parking skips the block (<see cref="LTry.GuardsFinally"/>).</summary>
    GuardedFinally,

    /// <summary>From a finally's join to the target of every jump that left its try: the jump continues after the finally.</summary>
    PendingBranch,

    /// <summary>
    /// From a park to its resume: the machine leaves the method there and a later call re-enters at the resume entry
    /// (a delayed step: what is live at the resume must survive parking).
    /// </summary>
    Park,

    /// <summary>From the entry of <c>__Step</c> to a resume: the dispatch jumps to the resume entry of the parked state.</summary>
    Dispatch,

    /// <summary>From a resume to the code that handles GeneratorExitException: the close entry jumps there (<see cref="CloseRoute"/>).</summary>
    Close,
}

/// <summary>An edge of the <see cref="ControlFlowGraph"/>.</summary>
internal readonly struct CfgEdge
{
    public CfgEdge(int to, CfgEdgeKind kind)
    {
        To = to;
        Kind = kind;
    }

    /// <summary>The index of the node it goes to (<see cref="ControlFlowGraph.Nodes"/>).</summary>
    public int To { get; }

    public CfgEdgeKind Kind { get; }
}

/// <summary>A node of the <see cref="ControlFlowGraph"/>.</summary>
internal sealed class CfgNode
{
    internal CfgNode(int index, CfgNodeKind kind, LNode? node = null, List<LNode>? list = null, int position = -1)
    {
        Index = index;
        Kind = kind;
        Node = node;
        List = list;
        Position = position;
    }

    /// <summary>Its index in <see cref="ControlFlowGraph.Nodes"/>.</summary>
    public int Index { get; }

    public CfgNodeKind Kind { get; }

    /// <summary>The lowered node (<see cref="CfgNodeKind.Node"/>, and the suspension point of a <see cref="CfgNodeKind.Resume"/>).</summary>
    public LNode? Node { get; }

    /// <summary>The list <see cref="Node"/> is in (<see cref="CfgNodeKind.Node"/> only).</summary>
    public List<LNode>? List { get; }

    /// <summary>The position of <see cref="Node"/> in <see cref="List"/> when the graph was built.</summary>
    public int Position { get; }

    /// <summary>The catch clause of a <see cref="CfgNodeKind.CatchEntry"/>.</summary>
    public LCatch? Catch { get; internal set; }

    /// <summary>The try statement of a catch entry, finally entry or finally join.</summary>
    public LTry? Try { get; internal set; }

    /// <summary>For a <see cref="CfgNodeKind.Resume"/>: the node of its park.</summary>
    public int? ParkedAt { get; internal set; }

    /// <summary>For a lowered node: control can get from it to the position after it (<see cref="ControlFlowGraph.Completes"/>).</summary>
    internal bool CompletesNormally { get; set; }

    /// <summary>Where control can go next.</summary>
    public IReadOnlyList<CfgEdge> Successors => _successors;

    /// <summary>A jump of the node goes to a label that is not in the body (no edge stands for it).</summary>
    public bool HasUnresolvedJump { get; internal set; }

    internal readonly List<CfgEdge> _successors = new();
}

/// <summary>
/// The control-flow graph of a lowered body, built by one builder (<see cref="Build"/>) and immutable once built:
/// one node per lowered node of every list (the bodies, catch and finally blocks of try statements, a pending-branch
/// dispatch's branches), plus the entry and end of <c>__Step</c>, a resume node per suspension point, the entry of
/// each catch clause and of each finally block, and the join at the end of each finally block. Its edges are the
/// ways control goes as the machine runs (<see cref="CfgEdgeKind"/>): fall-through, jumps to labels, a switch
/// dispatch's cases, the exception edges into catch and finally blocks, the finally's join continuing every jump
/// that left its try, a park leaving the method and the dispatch re-entering at the resume (the throw entry raising
/// there, the close entry jumping to the GeneratorExit handler). It is built from the body as it is (with
/// <see cref="LSuspend"/>s or, after <see cref="SuspensionEntries"/>, <see cref="LSuspension"/>s); a pass that changes
/// the body builds it again. Queried by <see cref="HoistingAnalysis"/> (liveness over every edge),
/// <see cref="DeadCodeCleanup"/> (jump targets, whether a node or a list completes, the labels after a node) and
/// <see cref="FastPathSelection"/> (what a resume reaches before the next park), and by the emitter (whether the body
/// falls off its end).
/// </summary>
internal sealed class ControlFlowGraph
{
    private readonly List<CfgNode> _nodes = new();
    private readonly Dictionary<string, int> _labels = new();
    private readonly List<(int From, string Label, CfgEdgeKind Kind)> _pendingJumps = new();
    private readonly Dictionary<LNode, int> _nodeOf = new();
    private readonly Dictionary<LNode, int> _resumeOf = new();
    private readonly Dictionary<LCatch, int> _catchEntryOf = new();
    private readonly Dictionary<LTry, int> _finallyEntryOf = new();
    private readonly Dictionary<List<LNode>, bool> _fallsOffEnd = new();
    private readonly Dictionary<LNode, string[]> _labelsAfter = new();
    private readonly HashSet<string> _jumpTargets = new();

    private ControlFlowGraph()
    {
    }

    public IReadOnlyList<CfgNode> Nodes => _nodes;

    /// <summary>The top of <c>__Step</c>.</summary>
    public CfgNode Entry { get; private set; } = null!;

    /// <summary>The end of the body (<see cref="ControlFlowFlattener.FinishLabel"/>).</summary>
    public CfgNode Exit { get; private set; } = null!;

    /// <summary>Every label some jump of the body names (a goto, a conditional goto, copied code, a switch dispatch's case, a close entry), whether or not it is in the body.</summary>
    public IReadOnlyCollection<string> JumpTargets => _jumpTargets;

    /// <summary>The node of a lowered node of the body (a suspension point's: its park).</summary>
    public CfgNode NodeOf(LNode node) => _nodes[_nodeOf[node]];

    /// <summary>The resume node of a suspension point (<see cref="LSuspend"/> or <see cref="LSuspension"/>) of the body.</summary>
    public CfgNode ResumeOf(LNode suspension) => _nodes[_resumeOf[suspension]];

    /// <summary>The entry of a catch clause of the body.</summary>
    public CfgNode CatchEntryOf(LCatch clause) => _nodes[_catchEntryOf[clause]];

    /// <summary>The entry of the finally block of a try statement of the body (null: it has none).</summary>
    public CfgNode? FinallyEntryOf(LTry tryNode) => _finallyEntryOf.TryGetValue(tryNode, out var index) ? _nodes[index] : null;

    /// <summary>
    /// Whether control can get from <paramref name="node"/> (not a comment) to the position after it in its list: it
    /// has a fall-through (assumed for copied code: <see cref="CfgEdgeKind.AssumedFallThrough"/>) or, for a try
    /// statement, its body or a catch block does. A suspension point's park leaves the method; what follows it is
    /// reached from its resume, so it completes.
    /// </summary>
    public bool Completes(LNode node) => NodeOf(node).CompletesNormally;

    /// <summary>Whether control can fall off the end of <paramref name="list"/>, a list of the body, in the same sense as <see cref="Completes"/>.</summary>
    public bool FallsOffEnd(List<LNode> list) => _fallsOffEnd[list];

    /// <summary>The labels right after <paramref name="go"/> in its list (comments skipped): where its fall-through would be.</summary>
    public IReadOnlyList<string> LabelsAfter(LGoto go) => _labelsAfter[go];

    /// <summary>
    /// The nodes reached from <paramref name="start"/> along the edges <paramref name="follow"/> accepts, the start
    /// nodes included; a node <paramref name="stop"/> accepts is reached but not left.
    /// </summary>
    public HashSet<CfgNode> Reachable(IEnumerable<CfgNode> start, System.Func<CfgEdge, bool> follow, System.Func<CfgNode, bool> stop)
    {
        var reached = new HashSet<CfgNode>();
        var work = new Stack<CfgNode>(start);
        while (work.Count > 0)
        {
            var node = work.Pop();
            if (!reached.Add(node) || stop(node))
            {
                continue;
            }

            foreach (var edge in node.Successors)
            {
                if (follow(edge))
                {
                    work.Push(_nodes[edge.To]);
                }
            }
        }

        return reached;
    }

    /// <summary>The predecessors of every node (by index), for the forward analyses.</summary>
    public List<int>[] Predecessors()
    {
        var predecessors = new List<int>[_nodes.Count];
        for (int i = 0; i < _nodes.Count; i++)
        {
            predecessors[i] = new List<int>();
        }

        foreach (var node in _nodes)
        {
            foreach (var edge in node.Successors)
            {
                predecessors[edge.To].Add(node.Index);
            }
        }

        return predecessors;
    }

    /// <summary>Builds the graph of a lowered body (or of any list of lowered nodes, taken as a body).</summary>
    public static ControlFlowGraph Build(List<LNode> body)
    {
        var graph = new ControlFlowGraph();
        graph.BuildBody(body);
        return graph;
    }

    private void BuildBody(List<LNode> body)
    {
        Entry = _nodes[Add(CfgNodeKind.Entry)];
        Exit = _nodes[Add(CfgNodeKind.Exit)];
        _labels[ControlFlowFlattener.FinishLabel] = Exit.Index;
        var last = BuildList(body, new List<int>(), new List<(int, CfgEdgeKind)> { (Entry.Index, CfgEdgeKind.FallThrough) });
        Connect(last, Exit.Index);
        foreach (var (from, label, kind) in _pendingJumps)
        {
            _jumpTargets.Add(label);
            if (_labels.TryGetValue(label, out var to))
            {
                // Each edge once (two gotos of a node, or two cases of a dispatch, may name the same label); the
                // edges built before these are distinct by construction.
                if (!_nodes[from]._successors.Any(e => e.To == to && e.Kind == kind))
                {
                    AddEdge(from, to, kind);
                }
            }
            else
            {
                _nodes[from].HasUnresolvedJump = true;
            }
        }

        foreach (var resume in _resumeOf.Values)
        {
            AddEdge(Entry.Index, resume, CfgEdgeKind.Dispatch);
        }
    }

    private int Add(CfgNodeKind kind, LNode? node = null, List<LNode>? list = null, int position = -1)
    {
        var index = _nodes.Count;
        _nodes.Add(new CfgNode(index, kind, node, list, position));
        if (kind == CfgNodeKind.Node)
        {
            _nodeOf[node!] = index;
        }

        return index;
    }

    private void AddEdge(int from, int to, CfgEdgeKind kind) => _nodes[from]._successors.Add(new CfgEdge(to, kind));

    private void Connect(List<(int Node, CfgEdgeKind Kind)> open, int to)
    {
        foreach (var (from, kind) in open)
        {
            AddEdge(from, to, kind);
        }
    }

    /// <summary>The node falls through to what follows it (the open ends of the list are then just this node).</summary>
    private static List<(int, CfgEdgeKind)> Open(int node, CfgEdgeKind kind = CfgEdgeKind.FallThrough) => new() { (node, kind) };

    /// <summary>
    /// <see cref="Open"/> in the list of open ends that <see cref="BuildList"/> walks with (read by now, and kept by no
    /// one: a caller copies what it keeps), rather than a new list per node.
    /// </summary>
    private static List<(int, CfgEdgeKind)> Reopen(List<(int Node, CfgEdgeKind Kind)> open, int node, CfgEdgeKind kind = CfgEdgeKind.FallThrough)
    {
        open.Clear();
        open.Add((node, kind));
        return open;
    }

    /// <summary>The gotos of copied code, its nested code included, in order (what <see cref="Code.AllParts"/> yields, without its iterators).</summary>
    private void AddJumps(Code code, int from)
    {
        var parts = code.Parts;
        for (int i = 0; i < parts.Count; i++)
        {
            if (parts[i] is GotoPart go)
            {
                _pendingJumps.Add((from, go.Label, CfgEdgeKind.Jump));
            }

            foreach (var nested in parts[i].Children())
            {
                AddJumps(nested, from);
            }
        }
    }

    /// <summary>Whether a set of open ends lets control complete normally (the assumed fall-through of copied code counts, not the one out of a finally nothing completes into).</summary>
    private static bool CompletesNormally(List<(int Node, CfgEdgeKind Kind)> open)
    {
        foreach (var (_, kind) in open)
        {
            if (kind is CfgEdgeKind.FallThrough or CfgEdgeKind.AssumedFallThrough)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Adds the nodes of <paramref name="nodes"/>, entered from <paramref name="open"/>; returns the open ends whose
    /// fall-through leaves the list. <paramref name="handlers"/> are the entries of the catch and finally blocks
    /// around it (exception edges from every node that runs code).
    /// </summary>
    private List<(int Node, CfgEdgeKind Kind)> BuildList(List<LNode> nodes, List<int> handlers, List<(int Node, CfgEdgeKind Kind)> open)
    {
        for (int position = 0; position < nodes.Count; position++)
        {
            var node = nodes[position];
            switch (node)
            {
                case LComment:
                {
                    // Transparent: control passes through it as it arrived (none when nothing falls into it).
                    var index = Add(CfgNodeKind.Node, node, nodes, position);
                    Connect(open, index);
                    if (open.Count > 0)
                    {
                        var kind = open.Any(o => o.Kind == CfgEdgeKind.FallThrough) ? CfgEdgeKind.FallThrough
                            : open.Any(o => o.Kind == CfgEdgeKind.AssumedFallThrough) ? CfgEdgeKind.AssumedFallThrough
                            : CfgEdgeKind.AssumedFinallyFallThrough;
                        open = Reopen(open, index, kind);
                    }

                    continue;
                }

                case LLabel label:
                {
                    var index = Add(CfgNodeKind.Node, node, nodes, position);
                    _labels[label.Name] = index;
                    Connect(open, index);
                    open = Reopen(open, index);
                    break;
                }

                case LGoto go:
                {
                    var index = Plain(node, nodes, position, open, handlers);
                    _pendingJumps.Add((index, go.Target, CfgEdgeKind.Jump));
                    open.Clear();
                    break;
                }

                case LCondGoto condition:
                {
                    var index = Plain(node, nodes, position, open, handlers);
                    _pendingJumps.Add((index, condition.Target, CfgEdgeKind.Jump));
                    open = Reopen(open, index);
                    break;
                }

                case LCode code:
                {
                    var index = Plain(node, nodes, position, open, handlers);
                    AddJumps(code.Code, index);
                    open = Reopen(open, index, code.IsThrow || IsJump(code.Code) ? CfgEdgeKind.AssumedFallThrough : CfgEdgeKind.FallThrough);
                    break;
                }

                case LSwitchDispatch dispatch:
                {
                    // One node, as the switch statement it is: it jumps to the sections; it falls through to what
                    // follows only without a default label.
                    var index = Plain(node, nodes, position, open, handlers);
                    foreach (var label in dispatch.Cases)
                    {
                        _pendingJumps.Add((index, label.Target, CfgEdgeKind.Jump));
                    }

                    if (dispatch.HasDefault)
                    {
                        open.Clear();
                    }
                    else
                    {
                        open = Reopen(open, index);
                    }
                    break;
                }

                case LDecl:
                {
                    var index = Plain(node, nodes, position, open, handlers);
                    open = Reopen(open, index);
                    break;
                }

                case LSuspend or LSuspension:
                {
                    // The park (which evaluates the yielded value) leaves the method; the dispatch re-enters at the
                    // resume, where the throw entry raises the pending exception (inside the same try statements) and
                    // from where the close entry jumps to the GeneratorExit handling.
                    var park = Plain(node, nodes, position, open, handlers);
                    var resume = Add(CfgNodeKind.Resume, node);
                    _nodes[resume].ParkedAt = park;
                    _resumeOf[node] = resume;
                    AddEdge(park, resume, CfgEdgeKind.Park);
                    foreach (var handler in handlers)
                    {
                        AddEdge(resume, handler, CfgEdgeKind.Exception);
                    }

                    var closeTarget = node is LSuspend suspend ? suspend.Close.Label : ((LSuspension)node).Close?.Target;
                    if (closeTarget is not null)
                    {
                        _pendingJumps.Add((resume, closeTarget, CfgEdgeKind.Close));
                    }

                    open = Reopen(open, resume);
                    break;
                }

                case LTry tryNode:
                    open = BuildTry(tryNode, nodes, position, open, handlers);
                    break;

                case LFrameDispatch dispatch:
                {
                    // The pending-branch dispatch after a finally that suspends: its resolved branches, in order.
                    var index = Add(CfgNodeKind.Node, node, nodes, position);
                    Connect(open, index);
                    open = BuildList(dispatch.Resolved, handlers, Open(index));
                    break;
                }

                default:
                {
                    var index = Plain(node, nodes, position, open, handlers);
                    open = Reopen(open, index);
                    break;
                }
            }

            _nodes[_nodeOf[node]].CompletesNormally = CompletesNormally(open);
        }

        _fallsOffEnd[nodes] = CompletesNormally(open);
        RecordLabelsAfter(nodes);
        return open;
    }

    private List<(int, CfgEdgeKind)> BuildTry(LTry tryNode, List<LNode> nodes, int position, List<(int Node, CfgEdgeKind Kind)> open, List<int> handlers)
    {
        var entry = Plain(tryNode, nodes, position, open, handlers);
        var innerHandlers = new List<int>(handlers);
        var catchEntries = new List<(LCatch Catch, int Entry)>();
        foreach (var clause in tryNode.Catches)
        {
            var catchEntry = Add(CfgNodeKind.CatchEntry);
            _nodes[catchEntry].Catch = clause;
            _nodes[catchEntry].Try = tryNode;
            _catchEntryOf[clause] = catchEntry;
            catchEntries.Add((clause, catchEntry));
            innerHandlers.Add(catchEntry);
        }

        int? finallyEntry = null;
        if (tryNode.Finally is not null)
        {
            finallyEntry = Add(CfgNodeKind.FinallyEntry);
            _nodes[finallyEntry.Value].Try = tryNode;
            _finallyEntryOf[tryNode] = finallyEntry.Value;
            innerHandlers.Add(finallyEntry.Value);
        }

        foreach (var (_, catchEntry) in catchEntries)
        {
            AddEdge(entry, catchEntry, CfgEdgeKind.HandlerEntry);
        }

        if (finallyEntry is { } finallyStart)
        {
            AddEdge(entry, finallyStart, CfgEdgeKind.HandlerEntry);
        }

        var jumpsBefore = _pendingJumps.Count;
        var after = new List<(int Node, CfgEdgeKind Kind)>();
        after.AddRange(BuildList(tryNode.Body, innerHandlers, Open(entry)));
        foreach (var (clause, catchEntry) in catchEntries)
        {
            var handlerSet = finallyEntry is null ? handlers : new List<int>(handlers) { finallyEntry.Value };
            after.AddRange(BuildList(clause.Body, handlerSet, Open(catchEntry)));
        }

        if (finallyEntry is not { } fin)
        {
            return after;
        }

        // Every way out of the try goes through the finally: its end continues to all of them. Each target once:
        // the join's own jumps are exits of the enclosing try, so with duplicates their number doubled with every
        // nested finally (2^n: 32 nested try/finally ran out of memory).
        var exits = _pendingJumps.Skip(jumpsBefore).Select(j => j.Label).Distinct().ToList();
        var completes = CompletesNormally(after);
        // The ends of the body and catch blocks fall through into the finally (out of their lists).
        Connect(after, fin);

        var end = BuildList(tryNode.Finally!, handlers, Open(fin));
        var join = Add(CfgNodeKind.FinallyJoin);
        _nodes[join].Try = tryNode;
        Connect(end, join);

        // A guarded finally ('if (__state < 0)': parking must not run it, see LTry.GuardsFinally) may skip its body.
        if (tryNode.GuardsFinally)
        {
            AddEdge(fin, join, CfgEdgeKind.GuardedFinally);
        }

        foreach (var label in exits)
        {
            _pendingJumps.Add((join, label, CfgEdgeKind.PendingBranch));
        }

        return Open(join, completes ? CfgEdgeKind.FallThrough : CfgEdgeKind.AssumedFinallyFallThrough);
    }

    /// <summary>A node that runs code: it may throw, so it has an exception edge to every handler around it.</summary>
    private int Plain(LNode node, List<LNode> nodes, int position, List<(int Node, CfgEdgeKind Kind)> open, List<int> handlers)
    {
        var index = Add(CfgNodeKind.Node, node, nodes, position);
        Connect(open, index);
        foreach (var handler in handlers)
        {
            AddEdge(index, handler, CfgEdgeKind.Exception);
        }

        return index;
    }

    private void RecordLabelsAfter(List<LNode> nodes)
    {
        var following = new List<string>();
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            switch (nodes[i])
            {
                case LGoto go:
                    _labelsAfter[go] = following.ToArray();
                    following.Clear();
                    break;
                case LLabel label:
                    following.Insert(0, label.Name);
                    break;
                case LComment:
                    break;
                default:
                    following.Clear();
                    break;
            }
        }
    }

    /// <summary>A statement that is only a jump (a <c>break</c>, <c>continue</c> or <c>goto</c>): it does not fall through.</summary>
    public static bool IsJump(Code code) =>
        code.Parts.Count(p => p is GotoPart) == 1 && code.Parts.All(p => p is GotoPart || (p is TextPart t && string.IsNullOrWhiteSpace(t.Value)));
}
