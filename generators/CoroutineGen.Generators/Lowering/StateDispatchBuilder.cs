using System.Collections.Generic;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// Numbers the suspension points (see <see cref="StateNumbering"/> for what the states mean) and builds the dispatch
/// that resumes the body where it parked. C# cannot jump into a try block, so, as Roslyn does, the dispatch at the top
/// of <c>__Step</c> jumps to the label in front of the outermost try that contains the entry, and every try body
/// starts with a re-dispatch to the next level.
/// </summary>
internal static class StateDispatchBuilder
{
    public static (StateNumbering States, List<(int State, string Label)> Dispatch) Build(List<LNode> body, List<LSuspend> suspensions)
    {
        var states = new StateNumbering(suspensions);
        var top = new List<(int State, string Label)>();
        var tries = 0;
        Visit(body, top, states, ref tries);
        top.Sort((a, b) => a.State.CompareTo(b.State));
        return (states, top);
    }

    private static void Visit(List<LNode> nodes, List<(int State, string Label)> table, StateNumbering states, ref int tries)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case LSuspend suspend:
                    table.Add((states.Parked(suspend), states.ResumeLabel(suspend)));
                    table.Add((states.ThrowEntry(suspend), states.ThrowLabel(suspend)));
                    if (!suspend.Close.Throws)
                    {
                        table.Add((states.CloseEntry(suspend), states.CloseLabel(suspend)));
                    }

                    break;

                case LTry tryNode:
                    tryNode.EntryLabel = StateNumbering.TryEntryLabel(++tries);
                    Visit(tryNode.Body, tryNode.Dispatch, states, ref tries);
                    tryNode.Dispatch.Sort((a, b) => a.State.CompareTo(b.State));
                    foreach (var (state, _) in tryNode.Dispatch)
                    {
                        table.Add((state, tryNode.EntryLabel));
                    }

                    break;
            }
        }
    }
}
