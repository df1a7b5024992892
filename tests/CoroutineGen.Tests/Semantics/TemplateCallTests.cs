using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Templates that create coroutines (docs/getting-started.md, "Templates that create coroutines"): a template calls
/// another template's factory, or its own, and drives the coroutine it gets, as a Python generator function calls
/// another one. Each test is checked against its Python twin.
/// </summary>
public static partial class TemplateCallTests
{
    // ------------------------------------------------------------------ a sink per key

    [Coroutine]
    internal static void KeySink(Inbox<string> inbox, string key, TextWriter log)
    {
        log.WriteLine($"open {key}");
        try
        {
            while (true) log.WriteLine($"{key} <- {inbox.Receive()}");
        }
        finally
        {
            log.WriteLine($"close {key}");
        }
    }

    [Coroutine]
    internal static void Router(Inbox<(string Key, string Value)> inbox, TextWriter log)
    {
        var sinks = new Dictionary<string, KeySinkCoroutine>();
        try
        {
            while (true)
            {
                var item = inbox.Receive();
                if (!sinks.TryGetValue(item.Key, out var sink))
                {
                    sink = KeySink(item.Key, log);
                    sinks.Add(item.Key, sink);
                }

                sink.Send(item.Value);
            }
        }
        finally
        {
            foreach (var sink in sinks.Values) sink.Close();
            log.WriteLine($"router closed {sinks.Count}");
        }
    }

    [Fact]
    public static void A_template_creates_a_sink_per_key_and_closes_them_all()
    {
        var trace = new Trace();
        var router = Router(trace.Writer);
        trace.Attempt("send a 1", () => router.Send(("a", "1")));
        trace.Attempt("send b 2", () => router.Send(("b", "2")));
        trace.Attempt("send a 3", () => router.Send(("a", "3")));
        trace.Attempt("close", () => router.Close());
        trace.Print(Trace.State(router.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def key_sink(key):
                print(f"open {key}")
                try:
                    while True:
                        print(f"{key} <- {(yield)}")
                finally:
                    print(f"close {key}")

            @coroutine
            def router():
                sinks = {}
                try:
                    while True:
                        key, value = (yield)
                        sink = sinks.get(key)
                        if sink is None:
                            sink = key_sink(key)
                            sinks[key] = sink
                        sink.send(value)
                finally:
                    for sink in sinks.values():
                        sink.close()
                    print(f"router closed {len(sinks)}")

            r = router()
            attempt("send a 1", lambda: r.send(("a", "1")))
            attempt("send b 2", lambda: r.send(("b", "2")))
            attempt("send a 3", lambda: r.send(("a", "3")))
            attempt("close", lambda: r.close())
            print(state(r))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ recursion

    [Coroutine]
    internal static int Chain(Inbox<int> inbox, int depth, TextWriter log)
    {
        var next = depth > 0 ? Chain(depth - 1, log) : null;
        var total = 0;
        while (true)
        {
            var value = inbox.Receive();
            if (value < 0)
            {
                log.WriteLine($"{depth}: done at {total}");
                if (next is not null)
                {
                    try
                    {
                        next.Send(value);
                    }
                    catch (StopIterationException stop)
                    {
                        log.WriteLine($"{depth}: below returned {stop.Value}");
                        return total + (int)stop.Value!;
                    }
                }

                return total;
            }

            total += value;
            log.WriteLine($"{depth}: {value}");
            next?.Send(value * 2);
        }
    }

    [Fact]
    public static void A_recursive_template_drives_its_own_coroutines()
    {
        var trace = new Trace();
        var chain = Chain(2, trace.Writer);
        trace.Attempt("send 1", () => chain.Send(1));
        trace.Attempt("send 3", () => chain.Send(3));
        trace.Attempt("send -1", () => chain.Send(-1));
        trace.Print(Trace.State(chain.State));
        trace.Print(chain.Result);

        PythonTwin.AssertSameTrace("""
            @coroutine
            def chain(depth):
                next_ = chain(depth - 1) if depth > 0 else None
                total = 0
                while True:
                    value = (yield)
                    if value < 0:
                        print(f"{depth}: done at {total}")
                        if next_ is not None:
                            try:
                                next_.send(value)
                            except StopIteration as stop:
                                print(f"{depth}: below returned {stop.value}")
                                return total + stop.value
                        return total
                    total += value
                    print(f"{depth}: {value}")
                    if next_ is not None:
                        next_.send(value * 2)

            c = chain(2)
            attempt("send 1", lambda: c.send(1))
            attempt("send 3", lambda: c.send(3))
            result = None
            try:
                c.send(-1)
                print("send -1: ok")
            except StopIteration as e:
                result = e.value
                print(f"send -1: {describe(e)}")
            print(state(c))
            print(result)
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ yielding new coroutines

    [Coroutine]
    internal static void Adder(Inbox<int, int> inbox, int start)
    {
        var total = start;
        while (true) total += inbox.Yield(total);
    }

    [Coroutine]
    internal static void Spawner(Inbox<int, ICoroutine<int, int>?> inbox, TextWriter log)
    {
        var start = inbox.Yield(null);
        while (true)
        {
            log.WriteLine($"spawn {start}");
            start = inbox.Yield(Adder(start));
        }
    }

    [Fact]
    public static void A_template_yields_the_coroutines_it_creates()
    {
        var trace = new Trace();
        var spawner = Spawner(trace.Writer);
        var a = spawner.Send(10)!;
        trace.Print(a.Current);
        trace.Print(a.Send(5));
        var b = spawner.Send(100)!;
        trace.Print(b.Send(1));
        trace.Print(a.Send(1));
        a.Close();
        b.Close();
        spawner.Close();
        trace.Print($"{Trace.State(a.State)} {Trace.State(b.State)} {Trace.State(spawner.State)}");

        PythonTwin.AssertSameTrace("""
            def adder(start):
                total = start
                while True:
                    total += (yield total)

            def spawner():
                start = (yield None)
                while True:
                    print(f"spawn {start}")
                    g = adder(start)
                    current[g] = next(g)
                    start = (yield g)

            current = {}
            s = spawner()
            next(s)
            a = s.send(10)
            print(current[a])
            print(a.send(5))
            b = s.send(100)
            print(b.send(1))
            print(a.send(1))
            a.close()
            b.close()
            s.close()
            print(f"{state(a)} {state(b)} {state(s)}")
            """, trace.Lines);
    }
}
