using System.Collections.Generic;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// Numbers the suspension points and builds the dispatch that resumes the body where it parked. Each suspension
/// point k has three entry labels: resume (state k), throw (k + N: <c>Throw()</c> raises the pending exception
/// there) and close (k + 2N: <c>Close()</c> jumps to the code that handles GeneratorExitException). C# cannot
/// jump into a try block, so, as Roslyn does, the dispatch at the top of <c>Send</c> jumps to the label in front of
/// the outermost try that contains the entry, and every try body starts with a re-dispatch to the next level.
/// </summary>
internal static class StateDispatchBuilder
{
    public static List<(int State, string Label)> Build(List<LNode> body, List<LSuspend> suspensions)
    {
        var count = suspensions.Count;
        for (int i = 0; i < count; i++)
        {
            suspensions[i].Number = i + 1;
        }

        var top = new List<(int State, string Label)>();
        var tries = 0;
        Visit(body, top, count, ref tries);
        top.Sort((a, b) => a.State.CompareTo(b.State));
        return top;
    }

    public static string ResumeLabel(LSuspend suspend) => "__resume" + suspend.Number;

    public static string ThrowLabel(LSuspend suspend) => "__throw" + suspend.Number;

    public static string CloseLabel(LSuspend suspend) => "__close" + suspend.Number;

    /// <summary>The field that holds the delegation of a <c>YieldFrom</c> suspension point (by its place in the source, counted from 1).</summary>
    public static string DelegationField(int point) => "__from" + (point + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Where a <c>YieldFrom</c> suspension point parks again while its sub keeps yielding.</summary>
    public static string DelegationLabel(LSuspend suspend) => "__delegate" + suspend.Number;

    /// <summary>Where a <c>YieldFrom</c> suspension point continues once its sub has finished.</summary>
    public static string DelegationEndLabel(LSuspend suspend) => "__delegated" + suspend.Number;

    private static void Visit(List<LNode> nodes, List<(int State, string Label)> table, int count, ref int tries)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case LSuspend suspend:
                    table.Add((suspend.Number, ResumeLabel(suspend)));
                    table.Add((suspend.Number + count, ThrowLabel(suspend)));
                    if (!suspend.Close.Throws)
                    {
                        table.Add((suspend.Number + (2 * count), CloseLabel(suspend)));
                    }

                    break;

                case LTry tryNode:
                    tryNode.EntryLabel = "__try" + (++tries);
                    Visit(tryNode.Body, tryNode.Dispatch, count, ref tries);
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
