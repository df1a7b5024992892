using System.Collections.Generic;
using System.Globalization;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// The states of a coroutine with <see cref="Count"/> suspension points, and the labels that go with them: the one
/// place that knows the numbering (it holds the number of each suspension point; the nodes do not). Suspension point
/// k (counted from 1 in the order of the lowered body) has three
/// entries into <c>__Step</c>: resume (state k: <c>Send</c> continues after it), throw (k + N: <c>Throw()</c> raises
/// the pending exception there) and close (k + 2N: <c>Close()</c> jumps to the code that handles
/// GeneratorExitException without throwing one, when no user code could observe it). The negative states
/// (Running, Finished, Created, ...) are the runtime's <c>CoroutineRuntime</c> constants.
/// </summary>
internal sealed class StateNumbering
{
    private readonly Dictionary<LSuspend, int> _numbers = new();

    /// <summary>Numbers <paramref name="suspensions"/>, given in the order of the lowered body, from 1.</summary>
    public StateNumbering(IReadOnlyList<LSuspend> suspensions)
    {
        for (int i = 0; i < suspensions.Count; i++)
        {
            _numbers.Add(suspensions[i], i + 1);
        }
    }

    /// <summary>N, the number of suspension points.</summary>
    public int Count => _numbers.Count;

    /// <summary>What to add to a parked state to reach its throw entry.</summary>
    public int ThrowOffset => Count;

    /// <summary>What to add to a parked state to reach its close entry.</summary>
    public int CloseOffset => 2 * Count;

    /// <summary>The state the coroutine parks in at <paramref name="suspend"/> (its resume entry).</summary>
    public int Parked(LSuspend suspend) => _numbers[suspend];

    public int ThrowEntry(LSuspend suspend) => Parked(suspend) + ThrowOffset;

    public int CloseEntry(LSuspend suspend) => Parked(suspend) + CloseOffset;

    public string ResumeLabel(LSuspend suspend) => "__resume" + Text(Parked(suspend));

    public string ThrowLabel(LSuspend suspend) => "__throw" + Text(Parked(suspend));

    public string CloseLabel(LSuspend suspend) => "__close" + Text(Parked(suspend));

    /// <summary>Where a <c>YieldFrom</c> suspension point parks again while its sub keeps yielding.</summary>
    public string DelegationLabel(LSuspend suspend) => "__delegate" + Text(Parked(suspend));

    /// <summary>Where a <c>YieldFrom</c> suspension point continues once its sub has finished.</summary>
    public string DelegationEndLabel(LSuspend suspend) => "__delegated" + Text(Parked(suspend));

    /// <summary>The field that holds the delegation of a <c>YieldFrom</c> suspension point (by its place in the source, counted from 1).</summary>
    public static string DelegationField(int point) => "__from" + Text(point + 1);

    /// <summary>The label in front of the <paramref name="index"/>-th try statement (from 1) that the dispatch jumps to.</summary>
    public static string TryEntryLabel(int index) => "__try" + Text(index);

    public static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
