using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Locals with the same name in sibling scopes (of different types, some living across a receive, some not), a
/// loop-body local that starts fresh each iteration, and user names that look like the generator's own (locals,
/// parameters and labels named value, state, exception, __state, __t1, __resume1...).
/// </summary>
public static partial class ScopeTests
{
    [Coroutine]
    internal static void Siblings(Inbox<int> inbox, Trace t)
    {
        {
            int x = inbox.Receive();
            inbox.Receive();
            t.Print($"block one x {x}");
        }

        {
            string x = "s" + inbox.Receive();
            inbox.Receive();
            t.Print($"block two x {x}");
        }

        for (int i = 0; i < 2; i++)
        {
            var x = (long)inbox.Receive() * 1000;
            t.Print($"loop x {x}");
        }

        for (int i = 10; i < 12; i++)
        {
            double x = inbox.Receive() / 2.0;
            inbox.Receive();
            t.Print($"second loop i {i} x {x}");
        }

        if (inbox.Receive() > 0)
        {
            var y = "then";
            inbox.Receive();
            t.Print(y);
        }
        else
        {
            var y = 42;
            inbox.Receive();
            t.Print(y);
        }
    }

    private const string SiblingsTwin = """
        def siblings():
            x = (yield)
            (yield)
            print(f"block one x {x}")
            x = "s" + str((yield))
            (yield)
            print(f"block two x {x}")
            for i in range(2):
                x = (yield) * 1000
                print(f"loop x {x}")
            for i in range(10, 12):
                x = (yield) / 2.0
                (yield)
                print(f"second loop i {i} x {x:g}")
            if (yield) > 0:
                y = "then"
                (yield)
                print(y)
            else:
                y = 42
                (yield)
                print(y)
        drive(siblings(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 11])
        """;

    [Fact]
    public static void Same_named_locals_in_sibling_scopes_keep_their_own_values()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Siblings(trace), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 11);
        Drive.AssertPython(SiblingsTwin, trace);
    }

    // A local declared without initializer in a loop body is definitely assigned before use each iteration; one
    // declared with an initializer starts over each iteration even when it was hoisted.
    [Coroutine]
    internal static void FreshPerIteration(Inbox<int> inbox, Trace t)
    {
        for (int round = 0; round < 3; round++)
        {
            var list = new List<int>();
            int count = 0;
            list.Add(inbox.Receive());
            count++;
            list.Add(inbox.Receive());
            count++;
            t.Print($"round {round}: {string.Join(",", list)} count {count}");
        }
    }

    [Fact]
    public static void A_loop_body_local_starts_over_each_iteration()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => FreshPerIteration(trace), 1, 2, 3, 4, 5, 6);
        Drive.AssertLines(
            trace,
            "send 1", "send 2", "round 0: 1,2 count 2",
            "send 3", "send 4", "round 1: 3,4 count 2",
            "send 5", "send 6", "round 2: 5,6 count 2",
            "finished");
    }

    // Names the generated code uses for itself (the Send parameter `value`, the Throw parameter `exception`, the
    // local `state`, fields and labels starting with two underscores) are ordinary user names in a template.
    [Coroutine]
    internal static void GeneratedLookalikes(Inbox<int> inbox, Trace t, int value, string exception)
    {
        int state = inbox.Receive();
        int __state = state * 2;
        int __entry = inbox.Receive();
        int __t1 = value + 1;
        int t1 = 7;
        var __pending = "pending";
        int __current = __entry + 1;
        inbox.Receive();
        t.Print($"{value} {exception} {state} {__state} {__entry} {__t1} {t1} {__pending} {__current}");
        goto resume1;
    resume1:
        t.Print("label resume1");
    finish:
        t.Print("label finish " + inbox.Receive());
        if (state > 0)
        {
            state = 0;
            goto finish;
        }
    }

    [Fact]
    public static void User_names_that_look_generated_are_kept_apart()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => GeneratedLookalikes(trace, 5, "ex"), 3, 4, 0, 8, 9);
        Drive.AssertLines(
            trace,
            "send 3",
            "send 4",
            "send 0",
            "5 ex 3 6 4 6 7 pending 5",
            "label resume1",
            "send 8",
            "label finish 8",
            "send 9",
            "label finish 9",
            "finished");
    }
}
