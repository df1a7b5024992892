using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// Decides which locals must become fields: those live at a resume point (read after it before being written,
/// on some path), found by a backward liveness analysis over the flattened code, plus parameters, captured locals
/// used in more than one place and locals the lowering had to take out of their scope. It also finds, for each
/// suspension point, the reference-holding fields that are dead there, so that a parked coroutine keeps no
/// garbage alive. Locals that must be hoisted but cannot live in a field (ref locals, ref structs, anonymous
/// types) are reported.
/// </summary>
internal sealed class HoistingAnalysis
{
    private readonly LoweringContext _c;
    private readonly List<Instruction> _instructions = new();
    private readonly HashSet<int> _constants = new();
    private ControlFlowGraph? _graph;

    /// <summary>The entry of each try statement whose body starts with a re-dispatch (it contains a suspension point).</summary>
    private readonly List<int> _redispatchedBodies = new();

    public HoistingAnalysis(LoweringContext context) => _c = context;

    public bool[] Hoisted { get; private set; } = System.Array.Empty<bool>();

    /// <summary>What liveness knows of a node of the <see cref="ControlFlowGraph"/> (same index): what it reads and writes.</summary>
    private sealed class Instruction
    {
        public Instruction(CfgNode node) => Node = node;

        public CfgNode Node { get; }

        public HashSet<int> Uses { get; } = new();

        public HashSet<int> Kills { get; } = new();

        public int? Kill
        {
            set
            {
                if (value is { } kill)
                {
                    Kills.Add(kill);
                }
            }
        }

        /// <summary>For a resume: its suspension point.</summary>
        public LSuspend? Resume { get; set; }

        /// <summary>For a resume instruction: the instruction that parked (what is live there must survive parking).</summary>
        public int? ParkedAt { get; set; }

        public bool[] MaybeSet { get; set; } = System.Array.Empty<bool>();

        public bool[] LiveIn { get; set; } = System.Array.Empty<bool>();
    }

    /// <param name="tries">The re-dispatch of each try (<see cref="StateDispatchBuilder"/>): a body re-dispatched on entry skips the assignments before it.</param>
    public void Run(List<LNode> body, IReadOnlyDictionary<LTry, TryDispatch> tries)
    {
        // Liveness follows every edge of the graph: exception edges, the finally edges (a guarded finally may be
        // skipped), the edges into the handlers from the start of each try (C#'s definite assignment), the park ->
        // resume edge (values flow across parking), and the assumed fall-throughs (copied code that only jumps or
        // throws, a finally nothing completes into), which it always took.
        var graph = _graph = ControlFlowGraph.Build(body);
        foreach (var node in graph.Nodes)
        {
            _instructions.Add(Describe(node));
            if (node.Node is LTry tryNode && node.Kind == CfgNodeKind.Node && TryDispatch.Of(tries, tryNode).Entries.Count > 0)
            {
                _redispatchedBodies.Add(node.Index);
            }
        }

        Solve();

        var count = _c.Locals.Count;
        var hoisted = new bool[count];
        var resumes = _instructions.Where(i => i.Resume is not null).ToList();
        foreach (var resume in resumes)
        {
            for (int l = 0; l < count; l++)
            {
                hoisted[l] |= resume.LiveIn[l];
            }
        }

        // The dispatch at the top of Send reaches a resume point inside a try by jumping to the label in front of
        // the try; the try body's re-dispatch then jumps on. C#'s definite assignment does not know the state, so
        // it also sees the path dispatch -> try -> re-dispatch falls through -> the body, which skips every
        // assignment made before the try. A local live at the start of such a body (read there before being
        // written) is therefore a field, which is always definitely assigned and keeps the value the normal path
        // stored before the try. (The entry leads to the body and, as C# sees it, to the try's handlers.)
        foreach (var tryEntry in _redispatchedBodies)
        {
            var live = _instructions[tryEntry].LiveIn;
            for (int l = 0; l < count; l++)
            {
                hoisted[l] |= live[l];
            }
        }

        var references = new int[count];
        foreach (var instruction in _instructions)
        {
            foreach (var use in instruction.Uses)
            {
                references[use]++;
            }

            foreach (var kill in instruction.Kills)
            {
                if (!instruction.Uses.Contains(kill))
                {
                    references[kill]++;
                }
            }
        }

        for (int l = 0; l < count; l++)
        {
            var local = _c.Locals[l];
            if (local.Kind == LocalKind.Parameter || _c.ForceHoisted.Contains(l) || (local.IsCaptured && references[l] > 1))
            {
                hoisted[l] = true;
            }

            if (_constants.Contains(l) || _c.FrameOf.ContainsKey(l))
            {
                hoisted[l] = false;
            }
        }

        Hoisted = hoisted;
        Report(hoisted);

        // Clearing is an optimisation and must never change what code can observe, so this is the one place that
        // decides it, and it only clears what nothing can read any more:
        // * Before parking, a reference field that may hold something is cleared if no path from the park reads it:
        //   liveness is taken at the park itself, which reads the yielded operand (the park computes the value to
        //   yield after the clearing) and continues to the resume point, the catch and finally blocks around it
        //   (Throw) and the close path. Parameters are kept while the coroutine runs.
        // * Once finished, the coroutine drops every reference field but those a lambda or local function reads:
        //   a closure can outlive the coroutine, and keeps what it captured (as in C# and in Python). Capture frames
        //   are never emptied; the coroutine only drops its own reference to the current frame.
        SolveMaybeSet();
        foreach (var resume in resumes)
        {
            var park = _instructions[resume.ParkedAt!.Value];
            for (int l = 0; l < count; l++)
            {
                if (hoisted[l] && park.MaybeSet[l] && !park.LiveIn[l] && MayClear(_c.Locals[l]) && _c.Locals[l].Kind != LocalKind.Parameter)
                {
                    if (!ClearedBeforeParking.TryGetValue(resume.Resume!, out var cleared))
                    {
                        ClearedBeforeParking[resume.Resume!] = cleared = new List<int>();
                    }

                    cleared.Add(l);
                }
            }
        }

        ReleasedOnFinish = Enumerable.Range(0, count).Where(l => hoisted[l] && !_c.FrameOf.ContainsKey(l) && MayClear(_c.Locals[l])).ToList();
    }

    /// <summary>For each suspension point, the hoisted reference-holding locals dead there: their fields are cleared before parking.</summary>
    public Dictionary<LSuspend, List<int>> ClearedBeforeParking { get; } = new();

    /// <summary>The hoisted locals (parameters included) whose fields the coroutine clears when it finishes.</summary>
    public List<int> ReleasedOnFinish { get; private set; } = new();

    /// <summary>
    /// Whether clearing the local's field can release anything and can never be observed: a local captured by a
    /// lambda or local function is shared with the closure, which may read it at any time, even after the
    /// coroutine finished, so it is never cleared.
    /// </summary>
    private static bool MayClear(LocalModel local) => local.HoldsReferences && !local.IsCaptured;

    private void Report(bool[] hoisted)
    {
        for (int l = 0; l < hoisted.Length; l++)
        {
            var local = _c.Locals[l];
            if (!hoisted[l] || local.Kind == LocalKind.Parameter)
            {
                continue;
            }

            string? problem = null;
            if (local.IsByRef)
            {
                problem = $"the ref local '{local.Name}' is used after a suspension point, but a ref cannot be kept in the state machine; take the ref again after the suspension point";
            }
            else if (local.IsRefLike)
            {
                problem = $"the local '{local.Name}' of ref struct type '{local.Type}' is used after a suspension point, but a ref struct cannot be kept in the state machine; keep what it points into (an array, a string) in a local and create the span again after the suspension point";
            }
            else if (local.Type is null)
            {
                problem = local.AnonymousType is { } anonymous
                    ? $"the local '{local.Name}' is used after a suspension point, so it must become a field of the state machine, but its type '{anonymous}' is or contains an anonymous type, which a field cannot be declared with; use a tuple or a record instead of the anonymous type (for example '(A: 1, B: 2)' instead of 'new {{ A = 1, B = 2 }}'), or compute the value after the suspension point"
                    : $"the local '{local.Name}' is used after a suspension point, so it must become a field of the state machine, but its type cannot be named in generated code; give it a type that can be named";
            }
            else if (local.IsCaptured && local.Scope != 0 && local.Kind != LocalKind.Temporary)
            {
                problem = $"the local '{local.Name}' is captured by a lambda or local function and lives across a suspension point, but it is declared in a nested block; declare it at the top level of the template body";
            }

            // One explanation per local: an earlier pass (CaptureFrames) may already have reported it.
            if (problem is not null && !_c.Diagnostics.Any(d => d.IsError && d.Span == local.Span))
            {
                _c.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, local.Span, _c.Signature.Name, problem);
            }
        }
    }

    /// <summary>What a node of the graph reads and declares (as the statement it stands for runs).</summary>
    private Instruction Describe(CfgNode node)
    {
        var instruction = new Instruction(node);
        switch (node.Kind)
        {
            case CfgNodeKind.Resume:
                instruction.Resume = (LSuspend)node.Node!;
                instruction.ParkedAt = node.ParkedAt;
                break;
            case CfgNodeKind.CatchEntry:
            {
                // The catch defines its variable, then evaluates the filter.
                var clause = node.Catch!;
                instruction.Kill = clause.Local;
                if (clause.Filter is { } filter)
                {
                    Uses(instruction, filter);
                    if (clause.Local is { } variable)
                    {
                        instruction.Uses.Remove(variable);
                    }
                }

                break;
            }

            case CfgNodeKind.Node:
                switch (node.Node)
                {
                    case LCondGoto condition:
                        Uses(instruction, condition.Condition);
                        break;
                    case LCode code:
                        Uses(instruction, code.Code, skipFirst: code.AssignedLocal is not null);
                        instruction.Kill = code.AssignedLocal;
                        break;
                    case LSwitchDispatch dispatch:
                        // One instruction, as the switch statement it is: it reads the governing local (and what the
                        // labels read), binds the labels' temporaries, writes the copied pattern variables.
                        Uses(instruction, dispatch.Codes());
                        break;
                    case LDecl declaration:
                        if (declaration.Constant is not null)
                        {
                            _constants.Add(declaration.Local);
                        }
                        else if (declaration.Initializer is { } initializer)
                        {
                            Uses(instruction, initializer);
                            instruction.Kill = declaration.Local;
                        }

                        break;
                    case LSuspend { Yielded: { } yielded }:
                        // The park evaluates the yielded value.
                        Uses(instruction, yielded);
                        break;
                }

                break;
        }

        return instruction;
    }

    /// <summary>
    /// Records what <paramref name="code"/> reads and what it declares. A local declared in the code (by a
    /// declarator, <c>out var</c> or a pattern) is defined there: its uses in the same code do not reach back to
    /// before it, and the declaration kills it (a variable cannot be read before its declaration).
    /// </summary>
    private static void Uses(Instruction instruction, Code code, bool skipFirst = false) => Uses(instruction, new[] { code }, skipFirst);

    /// <summary>What several pieces of code that run as one statement read and declare (a declaration in one is seen by all).</summary>
    private static void Uses(Instruction instruction, IEnumerable<Code> codes, bool skipFirst = false)
    {
        var parts = codes.SelectMany(c => c.AllParts()).ToList();
        var declared = new HashSet<int>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case LocalPart { IsDeclaration: true } d:
                    declared.Add(d.Local);
                    break;
                case DesignationPart d:
                    declared.Add(d.Local);
                    break;
                case PatternDesignationPart p:
                    declared.Add(p.Local);
                    break;
            }
        }

        var first = true;
        foreach (var part in parts)
        {
            if (part is LocalPart local)
            {
                if (!(skipFirst && first) && !declared.Contains(local.Local))
                {
                    instruction.Uses.Add(local.Local);
                }

                first = false;
            }
        }

        foreach (var local in declared)
        {
            instruction.Kills.Add(local);
        }
    }

    /// <summary>Forward: which locals may hold a value at each instruction (set by a kill or touched by a use), across suspensions.</summary>
    private void SolveMaybeSet()
    {
        var count = _c.Locals.Count;
        var predecessors = _graph!.Predecessors();
        foreach (var instruction in _instructions)
        {
            instruction.MaybeSet = new bool[count];
        }

        var changed = true;
        while (changed)
        {
            changed = false;
            for (int i = 0; i < _instructions.Count; i++)
            {
                var instruction = _instructions[i];
                var set = new bool[count];
                foreach (var p in predecessors[i])
                {
                    var before = _instructions[p].MaybeSet;
                    for (int l = 0; l < count; l++)
                    {
                        set[l] |= before[l];
                    }
                }

                foreach (var kill in instruction.Kills)
                {
                    set[kill] = true;
                }

                foreach (var use in instruction.Uses)
                {
                    set[use] = true;
                }

                for (int l = 0; l < count; l++)
                {
                    if (set[l] != instruction.MaybeSet[l])
                    {
                        instruction.MaybeSet = set;
                        changed = true;
                        break;
                    }
                }
            }
        }
    }

    private void Solve()
    {
        var count = _c.Locals.Count;
        foreach (var instruction in _instructions)
        {
            instruction.LiveIn = new bool[count];
        }

        var changed = true;
        while (changed)
        {
            changed = false;
            for (int i = _instructions.Count - 1; i >= 0; i--)
            {
                var instruction = _instructions[i];
                var liveOut = new bool[count];
                foreach (var edge in instruction.Node.Successors)
                {
                    var live = _instructions[edge.To].LiveIn;
                    for (int l = 0; l < count; l++)
                    {
                        liveOut[l] |= live[l];
                    }
                }

                foreach (var kill in instruction.Kills)
                {
                    liveOut[kill] = false;
                }

                foreach (var use in instruction.Uses)
                {
                    liveOut[use] = true;
                }

                for (int l = 0; l < count; l++)
                {
                    if (liveOut[l] != instruction.LiveIn[l])
                    {
                        instruction.LiveIn = liveOut;
                        changed = true;
                        break;
                    }
                }
            }
        }
    }
}
