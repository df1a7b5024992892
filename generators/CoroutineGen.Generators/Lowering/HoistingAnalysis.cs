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
    private readonly Dictionary<string, int> _labels = new();
    private readonly List<(int From, string Label)> _pendingGotos = new();
    private readonly HashSet<int> _constants = new();

    /// <summary>The entry of each try statement whose body starts with a re-dispatch (it contains a suspension point).</summary>
    private readonly List<int> _redispatchedBodies = new();

    private IReadOnlyDictionary<LTry, TryDispatch> _tries = new Dictionary<LTry, TryDispatch>();

    public HoistingAnalysis(LoweringContext context) => _c = context;

    public bool[] Hoisted { get; private set; } = System.Array.Empty<bool>();

    private sealed class Instruction
    {
        public HashSet<int> Successors { get; } = new();

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

        public LSuspend? Resume { get; set; }

        /// <summary>For a resume instruction: the instruction that parked (what is live there must survive parking).</summary>
        public int? ParkedAt { get; set; }

        public bool[] MaybeSet { get; set; } = System.Array.Empty<bool>();

        public bool[] LiveIn { get; set; } = System.Array.Empty<bool>();
    }

    /// <param name="tries">The re-dispatch of each try (<see cref="StateDispatchBuilder"/>): a body re-dispatched on entry skips the assignments before it.</param>
    public void Run(List<LNode> body, IReadOnlyDictionary<LTry, TryDispatch> tries)
    {
        _tries = tries;
        var exit = Add(new Instruction());
        _labels[ControlFlowFlattener.FinishLabel] = exit;
        var last = Build(body, new List<int>());
        Connect(last, exit);
        foreach (var (from, label) in _pendingGotos)
        {
            if (_labels.TryGetValue(label, out var to))
            {
                _instructions[from].Successors.Add(to);
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

    private int Add(Instruction instruction)
    {
        _instructions.Add(instruction);
        return _instructions.Count - 1;
    }

    private void Connect(IEnumerable<int> from, int to)
    {
        foreach (var f in from)
        {
            _instructions[f].Successors.Add(to);
        }
    }

    /// <summary>
    /// Adds the instructions of <paramref name="nodes"/>; returns the instructions whose fall-through leaves the
    /// list. <paramref name="handlers"/> are the entries of the catch and finally blocks around it (exception edges).
    /// </summary>
    private List<int> Build(List<LNode> nodes, List<int> handlers)
    {
        var open = new List<int>();
        foreach (var node in nodes)
        {
            switch (node)
            {
                case LLabel label:
                {
                    var index = Add(new Instruction());
                    _labels[label.Name] = index;
                    Connect(open, index);
                    open = new List<int> { index };
                    break;
                }

                case LGoto go:
                {
                    var index = Plain(open, handlers);
                    _pendingGotos.Add((index, go.Target));
                    open = new List<int>();
                    break;
                }

                case LCondGoto condition:
                {
                    var index = Plain(open, handlers);
                    Uses(_instructions[index], condition.Condition);
                    _pendingGotos.Add((index, condition.Target));
                    open = new List<int> { index };
                    break;
                }

                case LCode code:
                {
                    var index = Plain(open, handlers);
                    Uses(_instructions[index], code.Code, skipFirst: code.AssignedLocal is not null);
                    _instructions[index].Kill = code.AssignedLocal;
                    foreach (var go in code.Code.AllParts().OfType<GotoPart>())
                    {
                        _pendingGotos.Add((index, go.Label));
                    }

                    open = new List<int> { index };
                    break;
                }

                case LSwitchDispatch dispatch:
                {
                    // One instruction, as the switch statement it is: it reads the governing local (and what the
                    // labels read), binds the labels' temporaries, writes the copied pattern variables, and jumps to
                    // the sections; it falls through to what follows only without a default label.
                    var index = Plain(open, handlers);
                    Uses(_instructions[index], dispatch.Codes());
                    foreach (var label in dispatch.Cases)
                    {
                        _pendingGotos.Add((index, label.Target));
                    }

                    open = dispatch.HasDefault ? new List<int>() : new List<int> { index };
                    break;
                }

                case LDecl declaration:
                {
                    var index = Plain(open, handlers);
                    if (declaration.Constant is not null)
                    {
                        _constants.Add(declaration.Local);
                    }
                    else if (declaration.Initializer is { } initializer)
                    {
                        Uses(_instructions[index], initializer);
                        _instructions[index].Kill = declaration.Local;
                    }

                    open = new List<int> { index };
                    break;
                }

                case LSuspend suspend:
                {
                    var park = Plain(open, handlers);
                    if (suspend.Yielded is { } yielded)
                    {
                        Uses(_instructions[park], yielded);
                    }

                    // Parking and resuming are one (delayed) step of control flow: values flow across it.
                    var resume = Add(new Instruction { Resume = suspend, ParkedAt = park });
                    _instructions[park].Successors.Add(resume);
                    foreach (var handler in handlers)
                    {
                        _instructions[resume].Successors.Add(handler);
                    }

                    if (suspend.Close.Label is { } closeTarget)
                    {
                        _pendingGotos.Add((resume, closeTarget));
                    }

                    open = new List<int> { resume };
                    break;
                }

                case LTry tryNode:
                {
                    var entry = Plain(open, handlers);
                    var after = new List<int>();
                    var innerHandlers = new List<int>(handlers);
                    var catchEntries = new List<(LCatch Catch, int Entry)>();
                    foreach (var clause in tryNode.Catches)
                    {
                        // The catch defines its variable, then evaluates the filter.
                        var catchEntry = Add(new Instruction { Kill = clause.Local });
                        if (clause.Filter is { } filter)
                        {
                            Uses(_instructions[catchEntry], filter);
                            if (clause.Local is { } variable)
                            {
                                _instructions[catchEntry].Uses.Remove(variable);
                            }
                        }

                        catchEntries.Add((clause, catchEntry));
                        innerHandlers.Add(catchEntry);
                    }

                    int? finallyEntry = null;
                    if (tryNode.Finally is not null)
                    {
                        finallyEntry = Add(new Instruction());
                        innerHandlers.Add(finallyEntry.Value);
                    }

                    // C#'s definite assignment takes the state at the start of a catch or finally block to be the
                    // state at the start of the try: an assignment in the try body does not count there (the body
                    // may throw before it), so the handlers are reached from the try's entry too.
                    foreach (var (_, catchEntry) in catchEntries)
                    {
                        _instructions[entry].Successors.Add(catchEntry);
                    }

                    if (finallyEntry is { } finallyStart)
                    {
                        _instructions[entry].Successors.Add(finallyStart);
                    }

                    var gotosBefore = _pendingGotos.Count;
                    var bodyEntry = _instructions.Count;
                    var bodyEnd = Build(tryNode.Body, innerHandlers);
                    _instructions[entry].Successors.Add(bodyEntry < _instructions.Count ? bodyEntry : entry);
                    if (TryDispatch.Of(_tries, tryNode).Entries.Count > 0)
                    {
                        _redispatchedBodies.Add(entry);
                    }

                    // An empty body (or one of comments only: a 'using var' that ends its block lowers to an empty
                    // try) falls through from the try's entry.
                    after.AddRange(bodyEntry < _instructions.Count ? bodyEnd : new List<int> { entry });
                    foreach (var (clause, catchEntry) in catchEntries)
                    {
                        var handlerSet = finallyEntry is null ? handlers : new List<int>(handlers) { finallyEntry.Value };
                        var first = _instructions.Count;
                        var end = Build(clause.Body, handlerSet);
                        _instructions[catchEntry].Successors.Add(first < _instructions.Count ? first : catchEntry);
                        after.AddRange(first < _instructions.Count ? end : new List<int> { catchEntry });
                    }

                    if (finallyEntry is { } fin)
                    {
                        // Every way out of the try goes through the finally: its end continues to all of them. Each
                        // target once: the join's own gotos are exits of the enclosing try, so with duplicates their
                        // number doubled with every nested finally (2^n: 32 nested try/finally ran out of memory).
                        var exits = _pendingGotos.Skip(gotosBefore).Select(g => g.Label).Distinct().ToList();
                        Connect(after, fin);
                        var first = _instructions.Count;
                        var end = Build(tryNode.Finally!, handlers);
                        _instructions[fin].Successors.Add(first < _instructions.Count ? first : fin);
                        var join = Add(new Instruction());
                        Connect(first < _instructions.Count - 1 ? end : new List<int> { fin }, join);

                        // A guarded finally ('if (__state < 0)': parking must not run it, see LTry.GuardsFinally)
                        // may skip its body, so C#'s definite assignment takes its assignments for conditional: a
                        // local the finally assigns and the code after the try reads must be a field if a dispatch
                        // path reaches the try.
                        if (tryNode.GuardsFinally)
                        {
                            _instructions[fin].Successors.Add(join);
                        }
                        foreach (var label in exits)
                        {
                            _pendingGotos.Add((join, label));
                        }

                        after = new List<int> { join };
                    }

                    open = after;
                    break;
                }

                case LFrameDispatch dispatch:
                {
                    foreach (var resolved in dispatch.Resolved.OfType<LCode>())
                    {
                        var index = Plain(open, handlers);
                        Uses(_instructions[index], resolved.Code);
                        foreach (var go in resolved.Code.AllParts().OfType<GotoPart>())
                        {
                            _pendingGotos.Add((index, go.Label));
                        }

                        open = new List<int> { index };
                    }

                    break;
                }

                case LComment:
                    break;
            }
        }

        return open;
    }

    private int Plain(List<int> open, List<int> handlers)
    {
        var index = Add(new Instruction());
        Connect(open, index);
        foreach (var handler in handlers)
        {
            _instructions[index].Successors.Add(handler);
        }

        return index;
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
        var predecessors = new List<int>[_instructions.Count];
        for (int i = 0; i < _instructions.Count; i++)
        {
            predecessors[i] = new List<int>();
            _instructions[i].MaybeSet = new bool[count];
        }

        for (int i = 0; i < _instructions.Count; i++)
        {
            foreach (var successor in _instructions[i].Successors)
            {
                predecessors[successor].Add(i);
            }
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
                foreach (var successor in instruction.Successors)
                {
                    var live = _instructions[successor].LiveIn;
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
