using System.Collections.Generic;
using System.Linq;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// Removes what the flattening leaves behind but nothing uses: labels no jump targets (the end label of a
/// <c>while (true)</c>, the continue label of a loop without <c>continue</c>), generated gotos that cannot be
/// reached (the jump over the handlers after a try whose body never completes) or that jump to the very next
/// label, and the pending-branch variable of a finally frame that no jump leaves through. Keeps the generated
/// code free of unreachable-code and unused-label warnings, and shorter to read.
/// </summary>
internal static class DeadCodeCleanup
{
    public static void Run(List<LNode> body, IEnumerable<LNode> unusedDeclarations)
    {
        var unused = new HashSet<LNode>(unusedDeclarations);
        bool changed;
        do
        {
            // Each pass asks the graph of the body as the previous pass left it: built again, not patched.
            changed = Clean(body, ControlFlowGraph.Build(body), unused);
        }
        while (changed);
    }

    /// <summary>
    /// One pass over <paramref name="nodes"/>, in order, with the graph of the body as it was when the pass started:
    /// the labels its jumps name (<see cref="ControlFlowGraph.JumpTargets"/>), whether a node completes
    /// (<see cref="ControlFlowGraph.Completes"/>), the labels after a goto (<see cref="ControlFlowGraph.LabelsAfter"/>:
    /// the pass removes nodes only before the one it looks at, so what follows it is as the graph saw it).
    /// Reachability is the pass's own linear estimate, as it always was: what follows a node that does not complete
    /// is unreachable until a label that is kept or a suspension point's resume (entered by the dispatch).
    /// </summary>
    private static bool Clean(List<LNode> nodes, ControlFlowGraph graph, HashSet<LNode> unused)
    {
        var changed = false;
        var reachable = true;
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var remove = false;
            switch (node)
            {
                case LLabel label:
                    remove = !label.Kept && !graph.JumpTargets.Contains(label.Name);
                    reachable |= !remove;
                    break;
                case LGoto go:
                    // Unreachable, or a jump to the label that follows anyway.
                    remove = !reachable || graph.LabelsAfter(go).Contains(go.Target);
                    reachable = remove && reachable;
                    break;
                case LTry tryNode:
                {
                    var inner = Clean(tryNode.Body, graph, unused);
                    foreach (var clause in tryNode.Catches)
                    {
                        inner |= Clean(clause.Body, graph, unused);
                    }

                    if (tryNode.Finally is not null)
                    {
                        inner |= Clean(tryNode.Finally, graph, unused);
                    }

                    // Whether the try completes is asked of its blocks as they are now: when this pass removed nodes
                    // from them, of the graph of the try built again.
                    changed |= inner;
                    var completes = inner ? ControlFlowGraph.Build(new List<LNode> { tryNode }).Completes(tryNode) : graph.Completes(tryNode);
                    reachable = reachable && completes;
                    break;
                }

                case LComment:
                    break;
                case LSuspend:
                    // Its resume is an entry point: what follows is reachable from the dispatch.
                    reachable = true;
                    break;
                default:
                    // A switch's dispatch with a default label always jumps to a section (the first section's label
                    // follows it); copied code is taken to complete.
                    remove = unused.Contains(node);
                    reachable = reachable && graph.Completes(node);
                    break;
            }

            if (remove)
            {
                nodes.RemoveAt(i--);
                changed = true;
            }
        }

        return changed;
    }
}
