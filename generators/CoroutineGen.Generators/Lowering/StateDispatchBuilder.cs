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
    /// <returns>
    /// The numbering, the dispatch at the top of <c>__Step</c> (state to label, by state) and the re-dispatch of every
    /// try statement outside catch and finally blocks (<see cref="TryDispatch"/>; the others have none, <see cref="TryDispatch.None"/>).
    /// </returns>
    public static (StateNumbering States, List<(int State, string Label)> Dispatch, IReadOnlyDictionary<LTry, TryDispatch> Tries) Build(List<LNode> body, List<LSuspend> suspensions)
    {
        var states = new StateNumbering(suspensions);
        var top = new List<(int State, string Label)>();
        var tries = new Dictionary<LTry, TryDispatch>();
        Visit(body, top, states, tries);
        top.Sort((a, b) => a.State.CompareTo(b.State));
        return (states, top, tries);
    }

    private static void Visit(List<LNode> nodes, List<(int State, string Label)> table, StateNumbering states, Dictionary<LTry, TryDispatch> tries)
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
                {
                    var entries = new List<(int State, string Label)>();
                    var dispatch = new TryDispatch(StateNumbering.TryEntryLabel(tries.Count + 1), entries);
                    tries.Add(tryNode, dispatch);
                    Visit(tryNode.Body, entries, states, tries);
                    entries.Sort((a, b) => a.State.CompareTo(b.State));
                    foreach (var (state, _) in entries)
                    {
                        table.Add((state, dispatch.EntryLabel));
                    }

                    break;
                }
            }
        }
    }
}

/// <summary>
/// The re-dispatch at the top of a kept try statement's body (state to label, by state), and the label in front of
/// the try that the enclosing dispatch jumps to for those states; no entries: the try holds no entry, and neither is
/// written.
/// </summary>
internal sealed record TryDispatch(string EntryLabel, IReadOnlyList<(int State, string Label)> Entries)
{
    /// <summary>
    /// A try that no dispatch enters: one inside a catch or finally block, or a pending-branch dispatch (those hold no
    /// entry: a handler that suspends is moved out of its catch, a finally that suspends out of its try).
    /// </summary>
    public static readonly TryDispatch None = new(string.Empty, System.Array.Empty<(int State, string Label)>());

    /// <summary>The re-dispatch of <paramref name="tryNode"/> in <paramref name="tries"/>, or <see cref="None"/>.</summary>
    public static TryDispatch Of(IReadOnlyDictionary<LTry, TryDispatch> tries, LTry tryNode) =>
        tries.TryGetValue(tryNode, out var dispatch) ? dispatch : None;
}
