using CoroutineGen.Generators.Lowering;
using CoroutineGen.Generators.Tests.Robustness;

namespace CoroutineGen.Generators.Tests.Emission;

/// <summary>
/// The lowering hands the emitter the whole machine: every suspension point of the body is written out
/// (<see cref="SuspensionEntries"/>) as an <see cref="LSuspension"/> whose park and entries carry the states that
/// <see cref="StateNumbering"/> defines and that the dispatch tables jump to, and the fast paths park with the very
/// same nodes. Checked on every template of the repository (<see cref="TemplateCorpus"/>); the goldens check how it
/// is printed.
/// </summary>
public sealed class LoweredMachineTests
{
    [Fact]
    public void Every_suspension_point_is_lowered_to_its_park_and_entries_with_the_dispatched_states()
    {
        var problems = new List<string>();
        int templates = 0, delegations = 0, throwingCloses = 0, closesStoringTheException = 0, entriesResetting = 0, fastPathParks = 0, clearingParks = 0;
        foreach (var (where, coroutine) in TemplateCorpus.Lowered())
        {
            templates++;
            var inBody = new List<LSuspension>();
            var dispatched = new HashSet<(int State, string Label)>(coroutine.Dispatch);
            Walk(coroutine, coroutine.Body, inBody, dispatched, problems, where);

            var n = coroutine.States.Count;
            Check(problems, where, "the suspension points are those of the body, in the order of their states 1..N",
                inBody.OrderBy(s => s.State).SequenceEqual(coroutine.Suspensions)
                && coroutine.Suspensions.Select(s => s.State).SequenceEqual(Enumerable.Range(1, n)));
            foreach (var s in coroutine.Suspensions)
            {
                var at = $"{where} #{s.State}";
                Check(problems, at, "the resume entry is the parked state", s.Resume.State == s.State);
                Check(problems, at, "the throw entry is state + N", s.Throw.State == s.State + n);
                Check(problems, at, "the close entry is state + 2N", s.Close is null || s.Close.State == s.State + (2 * n));
                var order = new LNode?[] { s.Park, s.Close, s.Throw, s.Resume }.OfType<LNode>().Select(e => s.Nodes.ToList().IndexOf(e)).ToList();
                Check(problems, at, "the park, close, throw and resume entries are printed in that order", order.All(i => i >= 0) && order.SequenceEqual(order.OrderBy(i => i)));
                Check(problems, at, "the dispatch jumps to each entry with its state",
                    dispatched.Contains((s.Resume.State, s.Resume.Label)) && dispatched.Contains((s.Throw.State, s.Throw.Label))
                    && (s.Close is null || dispatched.Contains((s.Close.State, s.Close.Label))));
                Check(problems, at, "a delegation's entries all go to the same sub",
                    (s.From is null) == (s.Throw.Delegation is null) && s.Throw.Delegation == s.Resume.Delegation && (s.Close is null || s.Close.Delegation == s.Throw.Delegation));
                delegations += s.From is null ? 0 : 1;
                throwingCloses += s.Close is null ? 1 : 0;
                closesStoringTheException += s.Close?.ExceptionLocal is null ? 0 : 1;
                entriesResetting += s.Throw.ResetsEntry ? 1 : 0;
                clearingParks += s.Park.Cleared.Count > 0 ? 1 : 0;
            }

            Check(problems, where, "the top dispatch has every entry's state, once",
                coroutine.Dispatch.Select(d => d.State).OrderBy(x => x).SequenceEqual(
                    coroutine.Suspensions.SelectMany(s => new[] { s.State, s.Throw.State }.Concat(s.Close is null ? Array.Empty<int>() : new[] { s.Close.State })).OrderBy(x => x)));
            foreach (var path in coroutine.FastPaths)
            {
                var parks = path.Nodes.OfType<LPark>().ToList();
                Check(problems, where, "a fast path parks with the parks of the machine", parks.Count > 0 && parks.All(p => coroutine.Suspensions.Any(s => ReferenceEquals(s.Park, p))));
                Check(problems, where, "a fast path resumes a suspension point of the machine", coroutine.Suspensions.Contains(path.Suspend));
                fastPathParks += parks.Count;
            }
        }

        Assert.Empty(problems);

        // The corpus has every shape of entry, so the checks above are not vacuous.
        Assert.True(templates > 50, $"{templates} templates");
        Assert.True(delegations > 0 && throwingCloses > 0 && closesStoringTheException > 0 && entriesResetting > 0 && fastPathParks > 0 && clearingParks > 0,
            $"delegations {delegations}, throwing closes {throwingCloses}, closes storing the exception {closesStoringTheException}, entries resetting __entry {entriesResetting}, fast-path parks {fastPathParks}, parks clearing fields {clearingParks}");
    }

    private static void Walk(LoweredCoroutine coroutine, IReadOnlyList<LNode> nodes, List<LSuspension> suspensions, HashSet<(int, string)> dispatched, List<string> problems, string where)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case LSuspend:
                    problems.Add($"{where}: an LSuspend is left in the body");
                    break;
                case LSuspension suspension:
                    suspensions.Add(suspension);
                    Walk(coroutine, suspension.Nodes, suspensions, dispatched, problems, where);
                    break;
                case LTry tryNode:
                    dispatched.UnionWith(coroutine.DispatchOf(tryNode).Entries);
                    Walk(coroutine, tryNode.Body, suspensions, dispatched, problems, where);
                    foreach (var clause in tryNode.Catches)
                    {
                        Walk(coroutine, clause.Body, suspensions, dispatched, problems, where);
                    }

                    if (tryNode.Finally is { } finallyNodes)
                    {
                        Walk(coroutine, finallyNodes, suspensions, dispatched, problems, where);
                    }

                    break;
                case LFrameDispatch frameDispatch:
                    Walk(coroutine, frameDispatch.Resolved, suspensions, dispatched, problems, where);
                    break;
            }
        }
    }

    private static void Check(List<string> problems, string where, string what, bool holds)
    {
        if (!holds)
        {
            problems.Add($"{where}: {what}");
        }
    }
}
