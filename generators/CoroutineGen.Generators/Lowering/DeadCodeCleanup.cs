using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Model;

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
            changed = false;
            var referenced = new HashSet<string>();
            CollectTargets(body, referenced);
            changed |= Clean(body, referenced, unused);
        }
        while (changed);
    }

    /// <summary>Whether control can leave the end of the list normally (conservative: user code always can).</summary>
    public static bool CompletesNormally(List<LNode> nodes)
    {
        var last = nodes.LastOrDefault(n => n is not LComment);
        return last switch
        {
            null => true,
            LGoto => false,
            LSwitchDispatch dispatch => !dispatch.HasDefault,
            LTry t => CompletesNormally(t),
            _ => true,
        };
    }

    private static bool CompletesNormally(LTry tryNode) =>
        CompletesNormally(tryNode.Body) || tryNode.Catches.Any(c => CompletesNormally(c.Body));

    private static void CollectTargets(List<LNode> body, HashSet<string> referenced)
    {
        foreach (var node in LoweredBody.NodeLists(body).SelectMany(list => list))
        {
            switch (node)
            {
                case LGoto go:
                    referenced.Add(go.Target);
                    break;
                case LCondGoto condition:
                    referenced.Add(condition.Target);
                    break;
                case LCode code:
                    AddGotos(code.Code, referenced);
                    break;
                case LSwitchDispatch dispatch:
                    foreach (var label in dispatch.Cases)
                    {
                        referenced.Add(label.Target);
                    }

                    break;
                case LSuspend suspend when suspend.Close.Label is { } close:
                    referenced.Add(close);
                    break;
            }
        }
    }

    private static void AddGotos(Code code, HashSet<string> referenced)
    {
        foreach (var part in code.AllParts())
        {
            if (part is GotoPart go)
            {
                referenced.Add(go.Label);
            }
        }
    }

    private static bool Clean(List<LNode> nodes, HashSet<string> referenced, HashSet<LNode> unused)
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
                    remove = !label.Kept && !referenced.Contains(label.Name);
                    reachable |= !remove;
                    break;
                case LGoto go:
                    // Unreachable, or a jump to the label that follows anyway.
                    remove = !reachable || NextLabels(nodes, i + 1).Contains(go.Target);
                    reachable = remove && reachable;
                    break;
                case LTry tryNode:
                    changed |= Clean(tryNode.Body, referenced, unused);
                    foreach (var clause in tryNode.Catches)
                    {
                        changed |= Clean(clause.Body, referenced, unused);
                    }

                    if (tryNode.Finally is not null)
                    {
                        changed |= Clean(tryNode.Finally, referenced, unused);
                    }

                    reachable = reachable && CompletesNormally(tryNode);
                    break;
                case LComment:
                    break;
                case LSuspend:
                    // Its resume label is an entry point: what follows is reachable from the dispatch.
                    reachable = true;
                    break;
                case LSwitchDispatch dispatch:
                    // With a default label every value jumps to a section (the first section's label follows it).
                    reachable = reachable && !dispatch.HasDefault;
                    break;
                default:
                    remove = unused.Contains(node);
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

    /// <summary>The labels at position <paramref name="start"/> (comments skipped): the place a fall-through reaches.</summary>
    private static IEnumerable<string> NextLabels(List<LNode> nodes, int start)
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
}
