using CoroutineGen.Generators.Lowering;
using CoroutineGen.Generators.Model;
using CoroutineGen.Generators.Parsing;
using CoroutineGen.Generators.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Tests.Emission;

/// <summary>
/// The control-flow graph of a lowered body (<see cref="ControlFlowGraph"/>), which liveness, dead-code cleanup and
/// fast-path selection query, checked on every template of the repository (<see cref="TemplateCorpus"/>): one node per
/// lowered node, the edges of a suspension point as the machine runs it, an edge into every label a jump names, and
/// the answers the passes asked of their own walks before the graph (kept below as oracles, as they were in
/// <c>Lowering/DeadCodeCleanup.cs</c> and <c>Lowering/FastPathSelection.cs</c>): whether a list falls off its end, the
/// labels after a goto, what a resume reaches before the next park.
/// </summary>
public sealed class ControlFlowGraphTests
{
    [Fact]
    public void The_graph_of_every_template_has_its_nodes_and_edges_and_answers_as_the_old_walks()
    {
        var problems = new List<string>();
        int templates = 0, lists = 0, listsNotFallingOff = 0, gotosBeforeLabels = 0, sites = 0, sitesInLoops = 0, sitesOk = 0, assumed = 0, guarded = 0;
        foreach (var (where, coroutine) in TemplateCorpus.Lowered())
        {
            templates++;
            var graph = coroutine.Graph;
            var nodeLists = LoweredBody.NodeLists(coroutine.Body).ToList();

            // One node per lowered node, at its place.
            var count = 0;
            foreach (var list in nodeLists)
            {
                for (int i = 0; i < list.Count; i++)
                {
                    count++;
                    var node = graph.NodeOf(list[i]);
                    Check(problems, where, "a lowered node's graph node is at its place", node.Kind == CfgNodeKind.Node && ReferenceEquals(node.List, list) && node.Position == i && ReferenceEquals(node.Node, list[i]));
                }
            }

            Check(problems, where, "the graph has one node per lowered node and no other of that kind", graph.Nodes.Count(n => n.Kind == CfgNodeKind.Node) == count);

            // Labels are unique: a jump means one place.
            var labels = nodeLists.SelectMany(l => l).OfType<LLabel>().Select(l => l.Name).ToList();
            Check(problems, where, "every label of the body is unique", labels.Count == labels.Distinct().Count());

            // A suspension point: its park leaves, the dispatch re-enters at its resume, where the throw entry raises
            // (exception edges to the handlers around it) and from where the close entry jumps.
            foreach (var suspension in coroutine.Suspensions)
            {
                var park = graph.NodeOf(suspension);
                var resume = graph.ResumeOf(suspension);
                Check(problems, where, "a park goes only to its resume (and the handlers around it)",
                    park.Successors.Count(e => e.Kind == CfgEdgeKind.Park) == 1 && park.Successors.Single(e => e.Kind == CfgEdgeKind.Park).To == resume.Index
                    && park.Successors.All(e => e.Kind is CfgEdgeKind.Park or CfgEdgeKind.Exception));
                Check(problems, where, "the dispatch enters at the resume", graph.Entry.Successors.Any(e => e.Kind == CfgEdgeKind.Dispatch && e.To == resume.Index));
                Check(problems, where, "the resume knows its park", resume.ParkedAt == park.Index);
                if (suspension.Close is { } close)
                {
                    var target = close.Target == ControlFlowFlattener.FinishLabel ? graph.Exit : graph.Nodes.Single(n => n.Node is LLabel l && l.Name == close.Target);
                    Check(problems, where, "the close entry jumps from the resume to the GeneratorExit handling", resume.Successors.Any(e => e.Kind == CfgEdgeKind.Close && e.To == target.Index));
                }
            }

            // A try statement: the edges into its handlers from its start (definite assignment) and from every node of
            // its body that runs code; a guarded finally may be skipped.
            foreach (var tryNode in nodeLists.SelectMany(l => l).OfType<LTry>())
            {
                var start = graph.NodeOf(tryNode);
                var entries = tryNode.Catches.Select(graph.CatchEntryOf).ToList();
                if (graph.FinallyEntryOf(tryNode) is { } finallyEntry)
                {
                    entries.Add(finallyEntry);
                    var join = graph.Nodes.Single(n => n.Kind == CfgNodeKind.FinallyJoin && n.Try == tryNode);
                    Check(problems, where, "a guarded finally may be skipped, another may not", finallyEntry.Successors.Any(e => e.Kind == CfgEdgeKind.GuardedFinally && e.To == join.Index) == tryNode.GuardsFinally);
                }

                foreach (var entry in entries)
                {
                    Check(problems, where, "a try reaches its handlers from its start", start.Successors.Any(e => e.Kind == CfgEdgeKind.HandlerEntry && e.To == entry.Index));
                    foreach (var node in tryNode.Body.Where(n => n is not (LComment or LLabel or LFrameDispatch)))
                    {
                        Check(problems, where, "every node of a try body that runs code may throw into the handlers", graph.NodeOf(node).Successors.Any(e => e.Kind == CfgEdgeKind.Exception && e.To == entry.Index));
                    }
                }
            }

            // Every label a jump names has an edge into it; a label without one is the user's (copied code may name it).
            foreach (var node in graph.Nodes.Where(n => n.Node is LLabel))
            {
                var label = (LLabel)node.Node!;
                var jumpedTo = graph.Nodes.Any(n => n.Successors.Any(e => e.To == node.Index && e.Kind is CfgEdgeKind.Jump or CfgEdgeKind.Close or CfgEdgeKind.PendingBranch));
                Check(problems, where, $"label {label.Name} is jumped to, or kept", jumpedTo || label.Kept);
                Check(problems, where, $"label {label.Name} is a jump target exactly when a jump names it", jumpedTo == graph.JumpTargets.Contains(label.Name) || label.Kept);
            }

            // Every list falls off its end as the old structural answer says, and every node completes as it says.
            foreach (var list in nodeLists)
            {
                lists++;
                listsNotFallingOff += OldCompletesNormally(list) ? 0 : 1;
                Check(problems, where, "a list falls off its end as the old answer says", graph.FallsOffEnd(list) == OldCompletesNormally(list));
                foreach (var tryNode in list.OfType<LTry>())
                {
                    Check(problems, where, "a try completes as the old answer says", graph.Completes(tryNode) == OldCompletesNormally(tryNode));
                }

                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is LGoto go)
                    {
                        var old = OldNextLabels(list, i + 1).ToList();
                        gotosBeforeLabels += old.Count > 0 ? 1 : 0;
                        Check(problems, where, "the labels after a goto are the old ones", graph.LabelsAfter(go).SequenceEqual(old));
                    }
                }
            }

            assumed += graph.Nodes.Sum(n => n.Successors.Count(e => e.Kind is CfgEdgeKind.AssumedFallThrough or CfgEdgeKind.AssumedFinallyFallThrough));
            guarded += graph.Nodes.Sum(n => n.Successors.Count(e => e.Kind == CfgEdgeKind.GuardedFinally));

            // What a resume reaches in its list: the same as the old walk, with and without stopping at parks.
            foreach (var (suspension, list, index) in Sites(coroutine.Body))
            {
                sites++;
                var labelsOfList = new Dictionary<string, int>();
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is LLabel label)
                    {
                        labelsOfList[label.Name] = i;
                    }
                }

                foreach (var stop in new[] { false, true })
                {
                    var oldOk = OldReachable(list, index + 1, labelsOfList, stop, out var oldReached);
                    var newOk = FastPathSelection.Reachable(graph, list, suspension, stop, out var newReached);
                    Check(problems, $"{where} #{suspension.State}", $"a resume reaches what the old walk reached (stopping at parks: {stop})", oldReached.SetEquals(newReached));
                    if (stop)
                    {
                        Check(problems, $"{where} #{suspension.State}", "a resume's segment stays in its list as the old walk said", oldOk == newOk);
                        sitesOk += newOk ? 1 : 0;
                    }
                    else
                    {
                        sitesInLoops += newReached.Contains(index) ? 1 : 0;
                    }
                }
            }
        }

        Assert.Empty(problems);

        // The corpus has every shape, so the checks above are not vacuous.
        Assert.True(templates > 50 && listsNotFallingOff > 0 && gotosBeforeLabels > 0 && sitesInLoops > 0 && sitesOk > 0 && sitesOk < sites && assumed > 0 && guarded > 0,
            $"templates {templates}, lists {lists} ({listsNotFallingOff} not falling off), gotos before labels {gotosBeforeLabels}, sites {sites} (in loops {sitesInLoops}, staying in their list {sitesOk}), assumed edges {assumed}, guarded finally edges {guarded}");
    }

    [Fact]
    public void Liveness_follows_the_assumed_fall_through_that_fast_paths_do_not()
    {
        // 'break' resolves to a goto: the copied statement only jumps; a 'throw' does not complete either. Fast-path
        // selection does not follow their fall-through, liveness and dead-code cleanup take them as completing (their
        // answers stay as they were).
        var coroutine = Lower("""
            using CoroutineGen;
            public static partial class T
            {
                [Coroutine]
                public static void Run(Inbox<int> inbox)
                {
                    while (true)
                    {
                        var x = inbox.Receive();
                        if (x == 0)
                        {
                            inbox.Receive();
                            break;
                        }

                        if (x == 1)
                        {
                            inbox.Receive();
                            throw new System.InvalidOperationException();
                        }
                    }
                }
            }
            """);
        var graph = coroutine.Graph;
        var jumpOnly = graph.Nodes.Where(n => n.Node is LCode code && (ControlFlowGraph.IsJump(code.Code) || code.IsThrow)).ToList();
        Assert.Equal(2, jumpOnly.Count);
        foreach (var node in jumpOnly)
        {
            Assert.DoesNotContain(node.Successors, e => e.Kind == CfgEdgeKind.FallThrough);
            Assert.Contains(node.Successors, e => e.Kind == CfgEdgeKind.AssumedFallThrough);
            Assert.True(graph.Completes(node.Node!));
        }
    }

    private static LoweredCoroutine Lower(string source)
    {
        var tree = NeverBreaksCheck.Parse(source, "T.cs");
        var compilation = NeverBreaksCheck.Empty.AddSyntaxTrees(NeverBreaksCheck.ImplicitUsingsTree, tree);
        var semanticModel = compilation.GetSemanticModel(tree);
        var syntax = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        var method = (IMethodSymbol)semanticModel.GetDeclaredSymbol(syntax)!;
        var model = TemplateParser.Parse(syntax, method, semanticModel, new CompilationContext(compilation), CancellationToken.None).Model;
        Assert.NotNull(model);
        var coroutine = CoroutineLowerer.Lower(model!).Coroutine;
        Assert.NotNull(coroutine);
        return coroutine!;
    }

    /// <summary>The suspension points in the body and in try bodies, with their list and position (fast-path selection's sites).</summary>
    private static IEnumerable<(LSuspension Suspension, List<LNode> List, int Index)> Sites(List<LNode> nodes)
    {
        for (int i = 0; i < nodes.Count; i++)
        {
            switch (nodes[i])
            {
                case LSuspension suspension:
                    yield return (suspension, nodes, i);
                    break;
                case LTry tryNode:
                    foreach (var site in Sites(tryNode.Body))
                    {
                        yield return site;
                    }

                    break;
            }
        }
    }

    // ------------------------------------------------------------------ the old walks (oracles)

    private static bool OldCompletesNormally(List<LNode> nodes)
    {
        var last = nodes.LastOrDefault(n => n is not LComment);
        return last switch
        {
            null => true,
            LGoto => false,
            LSwitchDispatch dispatch => !dispatch.HasDefault,
            LTry t => OldCompletesNormally(t),
            _ => true,
        };
    }

    private static bool OldCompletesNormally(LTry tryNode) =>
        OldCompletesNormally(tryNode.Body) || tryNode.Catches.Any(c => OldCompletesNormally(c.Body));

    private static IEnumerable<string> OldNextLabels(List<LNode> nodes, int start)
    {
        for (int i = start; i < nodes.Count; i++)
        {
            switch (nodes[i])
            {
                case LLabel label:
                    yield return label.Name;
                    continue;
                case LComment:
                    continue;
                default:
                    yield break;
            }
        }
    }

    private static bool OldReachable(List<LNode> list, int start, Dictionary<string, int> labels, bool stopAtSuspensions, out HashSet<int> reached)
    {
        reached = new HashSet<int>();
        var work = new Stack<int>();
        work.Push(start);
        var ok = true;
        while (work.Count > 0)
        {
            var i = work.Pop();
            if (i >= list.Count)
            {
                ok = false;
                continue;
            }

            if (!reached.Add(i))
            {
                continue;
            }

            void Jump(string target, ref bool fine)
            {
                if (labels.TryGetValue(target, out var at))
                {
                    work.Push(at);
                }
                else
                {
                    fine = false;
                }
            }

            switch (list[i])
            {
                case LSuspension:
                    if (!stopAtSuspensions)
                    {
                        work.Push(i + 1);
                    }

                    break;
                case LGoto go:
                    Jump(go.Target, ref ok);
                    break;
                case LCondGoto condition:
                    Jump(condition.Target, ref ok);
                    work.Push(i + 1);
                    break;
                case LCode code:
                    foreach (var part in code.Code.AllParts().OfType<GotoPart>())
                    {
                        Jump(part.Label, ref ok);
                    }

                    if (!ControlFlowGraph.IsJump(code.Code) && !code.IsThrow)
                    {
                        work.Push(i + 1);
                    }

                    break;
                case LSwitchDispatch dispatch:
                    foreach (var label in dispatch.Cases)
                    {
                        Jump(label.Target, ref ok);
                    }

                    if (!dispatch.HasDefault)
                    {
                        work.Push(i + 1);
                    }

                    break;
                case LLabel or LComment or LDecl:
                    work.Push(i + 1);
                    break;
                default:
                    ok = false;
                    break;
            }
        }

        return ok;
    }

    private static void Check(List<string> problems, string where, string what, bool holds)
    {
        if (!holds)
        {
            problems.Add($"{where}: {what}");
        }
    }
}
