using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>How a fast path in <c>Send</c> handles an exception raised by its segment.</summary>
internal enum FastPathHandling
{
    /// <summary>
    /// No handler at all: the segment makes no call, creates nothing and throws nothing, so it can raise only an
    /// implicit exception (a <c>NullReferenceException</c>, an overflow, ...), which no enclosing template catch
    /// catches, and nothing can observe the coroutine while it runs. The state is Finished while the segment runs:
    /// that is what an escaping exception must leave behind.
    /// </summary>
    None,

    /// <summary>No template try encloses the segment: the two clauses of the full machine (PEP 479, finish on escape).</summary>
    MachineClauses,

    /// <summary>
    /// The enclosing template tries only catch <c>GeneratorExitException</c> (no variable, filter or finally): one
    /// comes back through the close entry of the suspension point, which jumps to the template's handler; anything
    /// else gets the machine's clauses.
    /// </summary>
    CloseEntry,

    /// <summary>
    /// Other enclosing template tries (no filters): every exception is raised again by the full machine at the throw
    /// entry of the suspension point, which is inside the same try statements as the segment.
    /// </summary>
    ThrowEntry,
}

/// <summary>
/// A fast path of <c>Send</c>: the code that runs when the coroutine, parked at <see cref="Suspend"/>, is resumed,
/// up to the next suspension point, copied out of the full state machine.
/// </summary>
internal sealed class FastPath
{
    public FastPath(LSuspension suspend, List<LNode> nodes, FastPathHandling handling, List<int> undeclared, List<FastPathAwait> awaits)
    {
        Suspend = suspend;
        Nodes = nodes;
        Handling = handling;
        Undeclared = undeclared;
        Awaits = awaits;
    }

    /// <summary>The suspension point the coroutine is parked at (its states and labels are the fast path's).</summary>
    public LSuspension Suspend { get; }

    /// <summary>The segment, in the order to write it: from the resume point on, then the loop head up to the next park.</summary>
    public List<LNode> Nodes { get; }

    public FastPathHandling Handling { get; }

    /// <summary>Locals of Send (not hoisted) that the segment uses but the full machine declares before it: declared with their default value.</summary>
    public List<int> Undeclared { get; }

    /// <summary>An async coroutine's fast path: its awaits (each followed by parking only), in the segment's order.</summary>
    public List<FastPathAwait> Awaits { get; }
}

/// <summary>
/// An await in an async coroutine's fast path (<see cref="FastAwaitPart"/>, numbered) and the suspension point the
/// segment parks at after it: when the awaitable is not complete, a method of its own awaits it, then parks there.
/// </summary>
internal sealed class FastPathAwait
{
    public FastPathAwait(FastAwaitPart await, LPark park)
    {
        Await = await;
        Park = park;
    }

    public FastAwaitPart Await { get; }

    public LPark Park { get; }
}

/// <summary>
/// Chooses the fast paths of a lowered coroutine (the last lowering pass). A suspension point gets one when it is
/// inside a loop, the code from its resume point always reaches a suspension point of the same statement list (the
/// same template try statements around it) without leaving that list, entering a try statement or a capture frame
/// dispatch, and it closes the loop on the way (jumps back to its head); at most <see cref="MaxFastPaths"/>, the first
/// suspension points first. A segment copies only the <see cref="LSuspension.Park"/> of the suspension points it reaches: it only parks.
/// </summary>
internal static class FastPathSelection
{
    private const string GeneratorExit = GeneratorExitFilter.ExceptionType;
    private const string StopIteration = "global::CoroutineGen.StopIterationException";

    /// <summary>At most this many fast paths per coroutine (each is a copy of its segment).</summary>
    private const int MaxFastPaths = 2;

    public static List<FastPath> Select(LoweredCoroutine coroutine)
    {
        var result = new List<FastPath>();
        if (coroutine.Suspensions.Any(s => s.From is not null))
        {
            // A YieldFrom parks in a loop of its own, which only __Step runs (a fast path would have to copy it).
            return result;
        }

        if (coroutine.Model.Body.DeclaresLocalFunctions)
        {
            // A local function declared by a statement of the body lives in __Step: a copy of its calls would not see it.
            return result;
        }

        var sites = new List<(LSuspension Suspend, List<LNode> List, int Index, List<LTry> Chain)>();
        Collect(coroutine.Body, new List<LTry>(), sites);
        var awaitNumber = 0;
        foreach (var (suspend, list, index, chain) in sites.OrderBy(s => s.Suspend.State))
        {
            if (result.Count < MaxFastPaths && TryBuild(coroutine, suspend, list, index, chain, ref awaitNumber) is { } path)
            {
                result.Add(path);
            }
        }

        return result;
    }

    private static void Collect(List<LNode> nodes, List<LTry> chain, List<(LSuspension, List<LNode>, int, List<LTry>)> sites)
    {
        for (int i = 0; i < nodes.Count; i++)
        {
            switch (nodes[i])
            {
                case LSuspension suspend:
                    sites.Add((suspend, nodes, i, chain.ToList()));
                    break;
                case LTry tryNode:
                    chain.Add(tryNode);
                    Collect(tryNode.Body, chain, sites);
                    chain.RemoveAt(chain.Count - 1);
                    break;
            }
        }
    }

    private static FastPath? TryBuild(LoweredCoroutine coroutine, LSuspension suspend, List<LNode> list, int index, List<LTry> chain, ref int awaitNumber)
    {
        // Only a suspension point inside a loop: its resume point is reached again from itself.
        Reachable(coroutine.Graph, list, suspend, stopAtSuspensions: false, out var cycle);
        if (!cycle.Contains(index))
        {
            return null;
        }

        // Only a segment that closes a loop (it jumps back to the loop's head): the code the coroutine runs for most
        // messages. This keeps the fast paths to the innermost loops, not every suspension point on the way.
        if (!Reachable(coroutine.Graph, list, suspend, stopAtSuspensions: true, out var reached) || !reached.Any(i => i <= index))
        {
            return null;
        }

        // In the order of the full machine (so that scopes and definite assignment are the same), entered by a jump
        // to the resume label right after the suspension point.
        var nodes = new List<LNode>();
        var resume = false;
        foreach (var i in reached.OrderBy(i => i))
        {
            if (!resume && i > index)
            {
                nodes.Add(new LLabel(suspend.Resume.Label, kept: true));
                resume = true;
            }

            // The suspension points it reaches only park: their entries are __Step's.
            nodes.Add(list[i] is LSuspension reachedPoint ? reachedPoint.Park : list[i]);
        }

        var undeclared = Undeclared(coroutine, nodes);
        if (undeclared is null)
        {
            return null;
        }

        var catches = chain.SelectMany(t => t.Catches).ToList();
        var anyFinally = chain.Any(t => t.Finally is not null);
        var anyFilter = catches.Any(c => c.Filter is not null);
        if (coroutine.Model.Signature.Async is not null)
        {
            // SendAsync reports every exception through its task, so its fast path always has a handler: the full
            // machine raises the exception again at the throw entry, inside the same try statements. A filter would run
            // after the finally blocks of the callees instead of before them.
            var awaits = new List<FastPathAwait>();
            return !anyFilter && AsyncSegment(coroutine, nodes, awaits, ref awaitNumber)
                ? new FastPath(suspend, nodes, FastPathHandling.ThrowEntry, undeclared, awaits)
                : null;
        }

        FastPathHandling handling;
        if (!anyFinally && catches.All(c => c.Type is GeneratorExit or StopIteration) && CallFree(coroutine, nodes))
        {
            handling = FastPathHandling.None;
        }
        else if (chain.Count == 0)
        {
            handling = FastPathHandling.MachineClauses;
        }
        else if (!anyFinally && !anyFilter && catches.All(c => c.Type == GeneratorExit && c.Local is null)
                 && suspend.Close is { ExceptionLocal: null })
        {
            handling = FastPathHandling.CloseEntry;
        }
        else if (!anyFilter)
        {
            handling = FastPathHandling.ThrowEntry;
        }
        else
        {
            // A filter would run after the finally blocks of the callees instead of before them.
            return null;
        }

        return new FastPath(suspend, nodes, handling, undeclared, new List<FastPathAwait>());
    }

    /// <summary>The method that awaits the <paramref name="number"/>-th await of a fast path when it is not complete at once.</summary>
    public static string AwaitThenParkMethod(int number) => "__AwaitThenPark" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The local of <c>SendAsync</c> holding the awaitable of the <paramref name="number"/>-th await of a fast path.</summary>
    public static string AwaitedLocal(int number) => "__awaited" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// An async coroutine's segment runs in <c>SendAsync</c>, a method that is not async: it can only have awaits after
    /// which it parks and does nothing else. Such a statement (every await of it at its end, see
    /// <see cref="CodeStmt.FastCode"/>) followed only by jumps to a park is copied as its fast code, its awaits numbered
    /// from <paramref name="number"/>; any other await (in an expression, a declaration, a loop, with code after it)
    /// keeps the suspension point on the full machine, which is async.
    /// </summary>
    private static bool AsyncSegment(LoweredCoroutine coroutine, List<LNode> nodes, List<FastPathAwait> awaits, ref int number)
    {
        var labels = new Dictionary<string, int>();
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is LLabel label)
            {
                labels[label.Name] = i;
            }
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            if (!Codes(nodes[i]).Any(c => c.AllParts().Any(p => p is AwaitPart)))
            {
                continue;
            }

            if (nodes[i] is not LCode { FastCode: { } fast } statement
                || fast.AllParts().Any(p => p is AwaitPart)
                || fast.AllParts().OfType<FastAwaitPart>().Any(f => f.Operand.AllParts().Any(p => p is LocalPart { InLambda: true }))
                || ParkAfter(nodes, i, labels) is not { } park
                || !YieldsFromFields(coroutine, park))
            {
                return false;
            }

            var next = number;
            var numbered = fast.Rewrite(p => p is FastAwaitPart f ? f with { Number = ++next } : p);
            number = next;
            foreach (var part in numbered.AllParts().OfType<FastAwaitPart>())
            {
                awaits.Add(new FastPathAwait(part, park));
            }

            nodes[i] = new LCode(numbered, statement.Span);
        }

        return true;
    }

    /// <summary>
    /// A two-way coroutine's park after an await that really waits runs in another method: the value it yields may
    /// read only fields (the locals of <c>SendAsync</c> are gone by then).
    /// </summary>
    private static bool YieldsFromFields(LoweredCoroutine coroutine, LPark park) =>
        park.Current?.Value is not { } yielded
        || yielded.AllParts().All(p => p is TextPart || (p is LocalPart { InLambda: false, IsDeclaration: false } local
            && coroutine.Locals[local.Local].IsField));

    /// <summary>The suspension point the segment parks at right after node <paramref name="index"/>, through labels and jumps only; null when other code runs first.</summary>
    private static LPark? ParkAfter(List<LNode> nodes, int index, Dictionary<string, int> labels)
    {
        var seen = new HashSet<int>();
        var i = index + 1;
        while (i < nodes.Count && seen.Add(i))
        {
            switch (nodes[i])
            {
                case LPark park:
                    return park;
                case LLabel or LComment:
                    i++;
                    break;
                case LGoto go when labels.TryGetValue(go.Target, out var target):
                    i = target;
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// The positions in <paramref name="list"/> of the nodes the resume of <paramref name="suspend"/> reaches (along the
    /// graph's fall-through and jump edges: not the exception edges, nor the assumed fall-through of copied code that
    /// only jumps or throws). With <paramref name="stopAtSuspensions"/>, a suspension point ends a path and false is
    /// returned when a path leaves the list or meets a node the fast path cannot copy; without, a suspension point
    /// continues at its resume and such paths just end (the walk then only tells whether the start is in a loop).
    /// </summary>
    internal static bool Reachable(ControlFlowGraph graph, List<LNode> list, LSuspension suspend, bool stopAtSuspensions, out HashSet<int> reached)
    {
        // A node of the list, or the resume of one of its suspension points (which continues in the list).
        bool InList(CfgNode node) => node.Kind switch
        {
            CfgNodeKind.Node => ReferenceEquals(node.List, list),
            CfgNodeKind.Resume => ReferenceEquals(graph.NodeOf(node.Node!).List, list),
            _ => false,
        };

        // A try statement or a capture frame dispatch is not copied into a fast path.
        static bool Copyable(CfgNode node) =>
            node.Kind == CfgNodeKind.Resume || node.Node is LSuspension or LLabel or LComment or LDecl or LGoto or LCondGoto or LCode or LSwitchDispatch;

        var nodes = graph.Reachable(
            new[] { graph.ResumeOf(suspend) },
            edge => edge.Kind is CfgEdgeKind.FallThrough or CfgEdgeKind.Jump || (!stopAtSuspensions && edge.Kind == CfgEdgeKind.Park),
            node => !InList(node) || !Copyable(node) || (stopAtSuspensions && node.Node is LSuspension && node.Kind == CfgNodeKind.Node));
        reached = new HashSet<int>(nodes.Where(n => n.Kind == CfgNodeKind.Node && ReferenceEquals(n.List, list)).Select(n => n.Position));

        // Every path stays in the list (it neither falls off its end nor jumps out of it or to a label that is not
        // in the body) and meets only nodes a fast path can copy.
        // (A resume's own jump, its close entry's, is not the segment's.)
        return nodes.All(n => InList(n) && Copyable(n) && (n.Kind == CfgNodeKind.Resume || !n.HasUnresolvedJump));
    }

    /// <summary>
    /// The locals of Send (not fields) the segment uses without declaring them; null when one of them cannot be
    /// declared with its default value. Liveness guarantees such a local is written in the segment before it is
    /// read (otherwise it would live across the suspension point and be a field).
    /// </summary>
    private static List<int>? Undeclared(LoweredCoroutine coroutine, List<LNode> nodes)
    {
        var declared = new HashSet<int>();
        var used = new HashSet<int>();
        foreach (var node in nodes)
        {
            if (node is LDecl declaration)
            {
                declared.Add(declaration.Local);
            }

            foreach (var code in Codes(node))
            {
                foreach (var part in code.AllParts())
                {
                    switch (part)
                    {
                        case LocalPart { IsDeclaration: true } local:
                            declared.Add(local.Local);
                            break;
                        case LocalPart local:
                            used.Add(local.Local);
                            break;
                        case DesignationPart designation:
                            declared.Add(designation.Local);
                            break;
                        case PatternDesignationPart pattern:
                            declared.Add(pattern.Local);
                            break;
                        case IsPatternPart isPattern:
                            foreach (var local in isPattern.Declared)
                            {
                                declared.Add(local);
                            }

                            break;
                    }
                }
            }
        }

        var result = new List<int>();
        foreach (var local in used.Where(l => !declared.Contains(l)).OrderBy(l => l))
        {
            if (coroutine.Locals[local].IsField)
            {
                continue;
            }

            var model = coroutine.Locals[local].Model;
            if (Constants(coroutine.Body).Contains(local))
            {
                // A const declared before the segment: its value is in its declaration, which is not copied.
                return null;
            }

            if (model.Type is null || model.Type == "var" || model.IsByRef || model.IsRefLike || model.Kind == LocalKind.Parameter)
            {
                return null;
            }

            result.Add(local);
        }

        return result;
    }

    /// <summary>The const locals declared anywhere in the lowered body (they are never hoisted).</summary>
    private static HashSet<int> Constants(List<LNode> body) => new(
        LoweredBody.NodeLists(body).SelectMany(list => list).OfType<LDecl>().Where(d => d.Constant is not null).Select(d => d.Local));

    private static IEnumerable<Code> Codes(LNode node)
    {
        switch (node)
        {
            case LCode code:
                yield return code.Code;
                break;
            case LDecl declaration:
                if (declaration.Initializer is { } initializer)
                {
                    yield return initializer;
                }

                if (declaration.Constant is { } constant)
                {
                    yield return constant;
                }

                break;
            case LCondGoto condition:
                yield return condition.Condition;
                break;
            case LPark { Current.Value: { } yielded }:
                yield return yielded;
                break;
            case LSwitchDispatch dispatch:
                foreach (var code in dispatch.Codes())
                {
                    yield return code;
                }

                break;
        }
    }

    // ------------------------------------------------------------------ call-free segments

    /// <summary>
    /// The segment provably runs no code but its own: every code it copies carries the binder's fact that it runs
    /// nothing but built-in operations (<see cref="Code.CallFree"/>, from the <c>IOperation</c> tree, see
    /// <c>Parsing/CallFacts.cs</c>: locals, constants, built-in operators on primitive values, assignments, identity and
    /// built-in numeric conversions, <c>.Length</c> of a string or array, <c>?:</c>, <c>if</c>, loops and jumps), and so
    /// does every code the lowering wrote in it (the sent value with its conversion where the template uses it, the
    /// yielded value with its conversion to the output type, the temporaries, gotos and <c>checked</c> wrappers). No
    /// invocation, object creation, member or indexer access, user-defined operator or conversion, lambda or throw:
    /// such code can raise only implicit exceptions.
    /// </summary>
    private static bool CallFree(LoweredCoroutine coroutine, List<LNode> nodes)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case LLabel or LComment or LGoto or LPark or LDecl or LCondGoto or LCode:
                    if (!Codes(node).All(code => CallFree(coroutine, code)))
                    {
                        return false;
                    }

                    continue;
                case LSwitchDispatch:
                    // A case label may convert, call a user's operator or Deconstruct, or run a when clause: a segment
                    // with a switch's dispatch is not call-free.
                    return false;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The code's fact, and no variable of a capture frame (its frame object is created by code the segment may not
    /// hold, and lambdas may write it).
    /// </summary>
    private static bool CallFree(LoweredCoroutine coroutine, Code code) =>
        code.CallFree && !code.AllParts().Any(p => p is LocalPart local && (local.InLambda || coroutine.Locals[local.Local].Frame is not null));
}
