using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 14, return values by interface: code that holds coroutines by their interfaces (a scheduler, a trampoline)
/// reads a finished coroutine's return value through <see cref="ICoroutineResult{TResult}"/>, without knowing the
/// generated class, as Python code reads <c>StopIteration.value</c>. Also Python's bare <c>x = yield</c> in a
/// generator that yields values: <c>Receive()</c> on a two-way inbox yields <c>default</c>.
/// </summary>
public static partial class Rule14ResultByInterfaceTests
{
    [Coroutine(Prime = false)]
    internal static int Summer(Inbox<int?> inbox, int count, TextWriter log)
    {
        int total = 0;
        for (int i = 0; i < count; i++)
        {
            total += inbox.Receive() ?? 0;
        }

        log.WriteLine($"summed {total}");
        return total;
    }

    [Coroutine(Prime = false)]
    internal static string Namer(Inbox<int?> inbox, TextWriter log)
    {
        var first = inbox.Receive();
        log.WriteLine($"named {first}");
        return $"name-{first}";
    }

    [Fact]
    public static void A_scheduler_reads_return_values_through_the_interface()
    {
        var trace = new Trace();
        // The scheduler knows only ICoroutine<int?>: it starts each task, feeds it until it finishes, and reports
        // what it returned.
        var tasks = new List<(string Name, ICoroutine<int?> Task)> { ("summer", Summer(3, trace.Writer)), ("namer", Namer(trace.Writer)) };
        foreach (var (name, task) in tasks)
        {
            var value = 0;
            try
            {
                task.Send(null);
                while (true)
                {
                    task.Send(++value);
                }
            }
            catch (StopIterationException stop)
            {
                var result = task is ICoroutineResult<object?> r ? r.Result : task is ICoroutineResult<int> i ? i.Result : null;
                trace.Print($"{name} returned {Trace.Format(result)} (StopIteration value {Trace.Format(stop.Value)})");
            }
        }

        PythonTwin.AssertSameTrace("""
            def summer(count):
                total = 0
                for i in range(count):
                    total += (yield) or 0
                print(f"summed {total}")
                return total
            def namer():
                first = (yield)
                print(f"named {first}")
                return f"name-{first}"
            for name, task in [("summer", summer(3)), ("namer", namer())]:
                value = 0
                try:
                    task.send(None)
                    while True:
                        value += 1
                        task.send(value)
                except StopIteration as stop:
                    print(f"{name} returned {stop.value} (StopIteration value {stop.value})")
            """, trace.Lines);
    }

    [Fact]
    public static void The_result_is_default_before_the_coroutine_returns()
    {
        ICoroutineResult<int> summer = Summer(2, TextWriter.Null);
        Assert.Equal(0, summer.Result);
        var c = (ICoroutine<int?>)summer;
        c.Send(null);
        c.Send(40);
        Assert.Throws<StopIterationException>(() => c.Send(2));
        Assert.Equal(42, summer.Result);
    }

    // ------------------------------------------------------------------ bare yield in a two-way coroutine

    [Coroutine]
    internal static void Echoer(Inbox<string, string?> inbox, TextWriter log)
    {
        while (true)
        {
            var request = inbox.Receive();     // x = yield: yields None
            log.WriteLine($"request {request}");
            var reply = inbox.Yield(request.ToUpperInvariant());
            log.WriteLine($"reply acknowledged with {reply}");
        }
    }

    [Fact]
    public static void Receive_on_a_two_way_inbox_yields_default()
    {
        var trace = new Trace();
        var c = Echoer(trace.Writer);
        trace.Print($"primed: {Trace.Format(c.Current)}");
        trace.Print($"send a: {Trace.Format(c.Send("a"))}");
        trace.Print($"send ok: {Trace.Format(c.Send("ok"))}");
        trace.Print($"send b: {Trace.Format(c.Send("b"))}");

        PythonTwin.AssertSameTrace("""
            def echoer():
                while True:
                    request = (yield)
                    print(f"request {request}")
                    reply = (yield request.upper())
                    print(f"reply acknowledged with {reply}")
            c = echoer()
            print(f"primed: {next(c)}")
            print(f"send a: {c.send('a')}")
            print(f"send ok: {c.send('ok')}")
            print(f"send b: {c.send('b')}")
            """, trace.Lines);
    }
}
