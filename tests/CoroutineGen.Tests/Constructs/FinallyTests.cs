using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Receives inside finally blocks (Python: <c>yield</c> inside <c>finally</c>): the finally suspends while an
/// exception, a <c>return</c>, a <c>break</c> or a <c>continue</c> is pending, and the pending branch resumes after it;
/// Throw and Close driven into the suspended finally replace what was pending.
/// </summary>
public static partial class FinallyTests
{
    [Coroutine]
    internal static void Pending(Inbox<string> inbox, Trace t)
    {
        while (true)
        {
            try
            {
                var cmd = inbox.Receive();
                if (cmd == "break")
                {
                    break;
                }

                if (cmd == "continue")
                {
                    continue;
                }

                if (cmd == "return")
                {
                    return;
                }

                if (cmd == "raise")
                {
                    throw new ValueError("raised");
                }

                t.Print("body " + cmd);
            }
            finally
            {
                t.Print("finally waits");
                t.Print("finally got " + inbox.Receive());
            }

            t.Print("after try");
        }

        t.Print("after loop");
    }

    private const string PendingTwin = """
        def pending():
            while True:
                try:
                    cmd = (yield)
                    if cmd == "break":
                        break
                    if cmd == "continue":
                        continue
                    if cmd == "return":
                        return
                    if cmd == "raise":
                        raise ValueError("raised")
                    print("body " + cmd)
                finally:
                    print("finally waits")
                    print("finally got " + (yield))
                print("after try")
            print("after loop")
        script(pending, ["send:a", "send:x", "send:continue", "send:y", "send:break", "send:z"])
        script(pending, ["send:return", "send:w", "send:never"])
        script(pending, ["send:raise", "send:w", "send:never"])
        script(pending, ["send:raise", "throw:TypeError:replaces", "send:never"])
        script(pending, ["send:raise", "close", "send:never"])
        script(pending, ["send:return", "close"])
        script(pending, ["send:break", "throw:ValueError:in finally"])
        script(pending, ["throw:TypeError:in body", "send:w", "send:never"])
        script(pending, ["close"])
        """;

    private static readonly string[][] PendingScripts =
    [
        ["send:a", "send:x", "send:continue", "send:y", "send:break", "send:z"],
        ["send:return", "send:w", "send:never"],
        ["send:raise", "send:w", "send:never"],
        ["send:raise", "throw:TypeError:replaces", "send:never"],
        ["send:raise", "close", "send:never"],
        ["send:return", "close"],
        ["send:break", "throw:ValueError:in finally"],
        ["throw:TypeError:in body", "send:w", "send:never"],
        ["close"],
    ];

    [Fact]
    public static void A_branch_pending_in_a_finally_that_receives_matches_CPython()
    {
        var trace = new Trace();
        foreach (var script in PendingScripts)
        {
            Drive.Script(trace, () => Pending(trace), script);
        }

        Drive.AssertPython(PendingTwin, trace);
    }

    // break and return through two finally blocks that both receive; the pending branch crosses both.
    [Coroutine]
    internal static int TwoLevels(Inbox<string> inbox, Trace t)
    {
        int n = 0;
        while (true)
        {
            n++;
            try
            {
                try
                {
                    var cmd = inbox.Receive();
                    if (cmd == "break")
                    {
                        break;
                    }

                    if (cmd == "return")
                    {
                        return n * 100;
                    }

                    if (cmd == "continue")
                    {
                        continue;
                    }
                }
                finally
                {
                    t.Print("inner finally got " + inbox.Receive());
                }

                t.Print("between");
            }
            finally
            {
                t.Print("outer finally got " + inbox.Receive());
            }

            t.Print("loop end");
        }

        t.Print("after loop");
        return n;
    }

    private const string TwoLevelsTwin = """
        def two_levels():
            n = 0
            while True:
                n += 1
                try:
                    try:
                        cmd = (yield)
                        if cmd == "break":
                            break
                        if cmd == "return":
                            return n * 100
                        if cmd == "continue":
                            continue
                    finally:
                        print("inner finally got " + (yield))
                    print("between")
                finally:
                    print("outer finally got " + (yield))
                print("loop end")
            print("after loop")
            return n
        script(two_levels, ["send:a", "send:b", "send:c", "send:continue", "send:d", "send:e", "send:break", "send:f", "send:g"])
        script(two_levels, ["send:return", "send:f", "send:g"])
        script(two_levels, ["send:return", "send:f", "throw:ValueError:in outer"])
        script(two_levels, ["send:return", "close"])
        """;

    [Fact]
    public static void Branches_through_two_receiving_finally_blocks_match_CPython()
    {
        var trace = new Trace();
        Drive.Script(trace, () => TwoLevels(trace), "send:a", "send:b", "send:c", "send:continue", "send:d", "send:e", "send:break", "send:f", "send:g");
        Drive.Script(trace, () => TwoLevels(trace), "send:return", "send:f", "send:g");
        Drive.Script(trace, () => TwoLevels(trace), "send:return", "send:f", "throw:ValueError:in outer");
        Drive.Script(trace, () => TwoLevels(trace), "send:return", "close");
        Drive.AssertPython(TwoLevelsTwin, trace);
    }

    // A try/catch/finally whose catch suspends: the finally runs after the catch body, not before it.
    [Coroutine]
    internal static void CatchThenFinally(Inbox<string> inbox, Trace t)
    {
        try
        {
            if (inbox.Receive() == "raise")
            {
                throw new ValueError("v");
            }

            t.Print("no exception");
        }
        catch (ValueError e)
        {
            t.Print($"catch {e.Message} got {inbox.Receive()}");
        }
        finally
        {
            t.Print($"finally got {inbox.Receive()}");
        }

        t.Print("end");
    }

    private const string CatchThenFinallyTwin = """
        def catch_then_finally():
            try:
                if (yield) == "raise":
                    raise ValueError("v")
                print("no exception")
            except ValueError as e:
                print(f"catch {e} got {(yield)}")
            finally:
                print(f"finally got {(yield)}")
            print("end")
        script(catch_then_finally, ["send:raise", "send:a", "send:b"])
        script(catch_then_finally, ["send:x", "send:b"])
        script(catch_then_finally, ["send:raise", "throw:TypeError:in catch", "send:b", "send:c"])
        script(catch_then_finally, ["send:raise", "close"])
        script(catch_then_finally, ["send:raise", "send:a", "close"])
        """;

    [Fact]
    public static void The_finally_runs_after_a_catch_that_receives()
    {
        var trace = new Trace();
        Drive.Script(trace, () => CatchThenFinally(trace), "send:raise", "send:a", "send:b");
        Drive.Script(trace, () => CatchThenFinally(trace), "send:x", "send:b");
        Drive.Script(trace, () => CatchThenFinally(trace), "send:raise", "throw:TypeError:in catch", "send:b", "send:c");
        Drive.Script(trace, () => CatchThenFinally(trace), "send:raise", "close");
        Drive.Script(trace, () => CatchThenFinally(trace), "send:raise", "send:a", "close");
        Drive.AssertPython(CatchThenFinallyTwin, trace);
    }
}
