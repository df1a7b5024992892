using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Labels and <c>goto</c> written by the user, around receives: backward jumps that retry a receive, forward jumps
/// over one, jumps out of nested loops and out of a try whose finally receives. C# only: the oracle is the same body
/// run as an ordinary method, and a trace written from the specification.
/// </summary>
public static partial class GotoTests
{
    [Coroutine]
    internal static void Labels(Inbox<string> inbox, Trace t)
    {
        int tries = 0;
    retry:
        tries++;
        var x = inbox.Receive();
        if (x == "again" && tries < 3)
        {
            goto retry;
        }

        t.Print($"tries {tries} x {x}");
        if (x == "skip")
        {
            goto skipped;
        }

        t.Print("not skipped " + inbox.Receive());
    skipped:
        t.Print("at skipped");
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                if (inbox.Receive() == "out")
                {
                    goto done;
                }

                t.Print($"{i}{j}");
            }
        }

    done:
        t.Print("done");
        try
        {
            if (inbox.Receive() == "leave")
            {
                goto end;
            }

            t.Print("stayed");
        }
        finally
        {
            t.Print("finally " + inbox.Receive());
        }

        t.Print("after try");
    end:
        t.Print("end");
    }

    private static void PlainLabels(Func<string> receive, Trace t)
    {
        int tries = 0;
    retry:
        tries++;
        var x = receive();
        if (x == "again" && tries < 3)
        {
            goto retry;
        }

        t.Print($"tries {tries} x {x}");
        if (x == "skip")
        {
            goto skipped;
        }

        t.Print("not skipped " + receive());
    skipped:
        t.Print("at skipped");
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                if (receive() == "out")
                {
                    goto done;
                }

                t.Print($"{i}{j}");
            }
        }

    done:
        t.Print("done");
        try
        {
            if (receive() == "leave")
            {
                goto end;
            }

            t.Print("stayed");
        }
        finally
        {
            t.Print("finally " + receive());
        }

        t.Print("after try");
    end:
        t.Print("end");
    }

    [Theory]
    [InlineData("again", "again", "again", "x", "a", "b", "c", "d", "out", "leave", "f")]
    [InlineData("skip", "a", "out", "stay", "f")]
    [InlineData("again", "skip", "out", "leave")]
    [InlineData("skip", "1", "2", "3", "4", "5", "6", "7", "8", "9", "leave", "f")]
    public static void Gotos_match_the_same_body_run_as_an_ordinary_method(params string[] values)
    {
        var plain = new Trace();
        Drive.Plain<string>(plain, receive => PlainLabels(receive, plain), values);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => Labels(coroutine), values);
        Drive.AssertSame(plain, coroutine);
    }

    [Fact]
    public static void A_backward_goto_retries_the_receive()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => Labels(trace), "again", "again", "again", "x", "a", "b", "out", "leave", "f");
        Drive.AssertLines(
            trace,
            "send again",
            "send again",
            "send again",
            "tries 3 x again",
            "send x",
            "not skipped x",
            "at skipped",
            "send a",
            "00",
            "send b",
            "01",
            "send out",
            "done",
            "send leave",
            "send f",
            "finally f",
            "end",
            "finished");
    }
}
