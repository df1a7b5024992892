using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// Writes out every suspension point of the body (the last pass that changes it): each <see cref="LSuspend"/>, in try
/// bodies, catch and finally blocks and pending-branch dispatches too, becomes an <see cref="LSuspension"/> holding the
/// park (the fields cleared before parking, the yielded value of a two-way template, the state), the close entry (none
/// when <c>Close()</c> must throw a real exception), the throw entry and the resume entry, with their states and
/// labels from <see cref="StateNumbering"/>; for <c>inbox.YieldFrom(sub)</c> the delegation around them (start, park
/// again while the sub parks, close the sub first, pass a throw or a send to the sub, continue once it finished). The
/// emitter prints these nodes: it computes no state and builds no label.
/// </summary>
internal static class SuspensionEntries
{
    /// <summary>Replaces the suspension points of <paramref name="body"/>; returns them in the order of their states.</summary>
    /// <param name="cleared">What <see cref="HoistingAnalysis"/> clears before parking at each suspension point (none if absent).</param>
    public static List<LSuspension> Build(List<LNode> body, List<LSuspend> suspensions, StateNumbering states, IReadOnlyDictionary<LSuspend, List<int>> cleared, bool twoWay)
    {
        // With a try statement in the body, __entry tells each try's re-dispatch where to go: an entry resets it.
        var resetsEntry = body.Any(n => n is LTry);
        var built = new Dictionary<LSuspend, LSuspension>();
        var result = new List<LSuspension>();
        foreach (var suspend in suspensions.OrderBy(states.Parked))
        {
            var suspension = Build(suspend, states, cleared.TryGetValue(suspend, out var fields) ? fields : new List<int>(), twoWay, resetsEntry);
            built.Add(suspend, suspension);
            result.Add(suspension);
        }

        Replace(body, built);
        return result;
    }

    private static LSuspension Build(LSuspend suspend, StateNumbering states, List<int> cleared, bool twoWay, bool resetsEntry)
    {
        var state = states.Parked(suspend);
        var delegation = suspend.From is null
            ? null
            : new DelegationTargets(StateNumbering.DelegationField(suspend.Point), states.DelegationLabel(suspend), states.DelegationEndLabel(suspend));

        // Two-way: the value yielded (a delegation yields what its sub yielded).
        ParkValue? current = !twoWay ? null
            : delegation is null ? new ParkValue(suspend.Yielded, suspend.Span)
            : new ParkValue(Code.Text(delegation.Field + ".Current"), null);
        var park = new LPark(state, cleared, current, delegation is null ? suspend.Comment : null);
        var close = suspend.Close.Throws
            ? null
            : new LCloseEntry(states.CloseEntry(suspend), states.CloseLabel(suspend), suspend.Close.Label!, suspend.Close.ExceptionLocal, delegation, resetsEntry);
        var throwEntry = new LThrowEntry(states.ThrowEntry(suspend), states.ThrowLabel(suspend), delegation, resetsEntry);
        var resume = new LResumeEntry(state, states.ResumeLabel(suspend), delegation, resetsEntry);

        var nodes = new List<LNode>();
        if (delegation is not null)
        {
            nodes.Add(new LComment(suspend.Comment));
            nodes.Add(new LDelegationStart(delegation, suspend.Yielded!, suspend.Span));
            nodes.Add(new LLabel(delegation.ParkLabel));
        }

        nodes.Add(park);
        if (close is not null)
        {
            nodes.Add(close);
        }

        nodes.Add(throwEntry);
        nodes.Add(resume);
        if (delegation is not null)
        {
            nodes.Add(new LLabel(delegation.EndLabel));
        }

        return new LSuspension(suspend, park, close, throwEntry, resume, nodes);
    }

    private static void Replace(List<LNode> body, Dictionary<LSuspend, LSuspension> built)
    {
        foreach (var list in LoweredBody.NodeLists(body))
        {
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] is LSuspend suspend)
                {
                    list[i] = built[suspend];
                }
            }
        }
    }
}
