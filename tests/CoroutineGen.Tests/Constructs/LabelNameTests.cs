using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// User labels named like the lowering's own (<c>__finish</c>, <c>__resume1</c>, <c>__try1</c>, <c>__case1</c>...): they
/// are renamed in the generated code, in their declaration and in every goto, so they cannot collide. C# only: the
/// oracle is the same body run as an ordinary method.
/// </summary>
public static partial class LabelNameTests
{
    [Coroutine]
    internal static void Labels(Inbox<string> inbox, Trace t)
    {
        int round = 0;
    __resume1:
        round++;
        var x = inbox.Receive();
        if (x == "again")
        {
            goto __resume1;
        }

        if (x == "skip")
        {
            goto __finish;
        }

        try
        {
        __try1:
            t.Print($"round {round} got {inbox.Receive()}");
            if (round++ < 3)
            {
                goto __try1;
            }
        }
        finally
        {
            t.Print("finally");
        }

    __finish:
        t.Print($"finish after {round}");
        {
            // Copied as it is (no receive in this block): its label is renamed there too.
            int i = 0;
        __case1:
            if (i++ < 2)
            {
                goto __case1;
            }

            t.Print($"i {i}");
        }

        t.Print("end " + inbox.Receive());
    }

    private static void PlainLabels(Func<string> receive, Trace t)
    {
        int round = 0;
    __resume1:
        round++;
        var x = receive();
        if (x == "again")
        {
            goto __resume1;
        }

        if (x == "skip")
        {
            goto __finish;
        }

        try
        {
        __try1:
            t.Print($"round {round} got {receive()}");
            if (round++ < 3)
            {
                goto __try1;
            }
        }
        finally
        {
            t.Print("finally");
        }

    __finish:
        t.Print($"finish after {round}");
        {
            int i = 0;
        __case1:
            if (i++ < 2)
            {
                goto __case1;
            }

            t.Print($"i {i}");
        }

        t.Print("end " + receive());
    }

    [Theory]
    [InlineData("again", "again", "x", "a", "b", "c", "d")]
    [InlineData("skip", "e")]
    [InlineData("again", "skip")]
    public static void Labels_named_like_generated_ones_match_the_same_body_run_as_an_ordinary_method(params string[] values)
    {
        var plain = new Trace();
        Drive.Plain<string>(plain, receive => PlainLabels(receive, plain), values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Labels(coroutine), values);
        Drive.AssertSame(plain, coroutine);
    }
}
