using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 12, delegation: <c>inbox.YieldFrom(sub)</c> is Python's <c>yield from sub</c> (PEP 380). Each test runs a
/// C# program and its Python twin and compares what they print.
/// </summary>
public static partial class Rule12DelegationTests
{
    [Coroutine]
    internal static int Adder(Inbox<int?> inbox, TextWriter log)
    {
        var total = 0;
        try
        {
            while (true)
            {
                var x = inbox.Receive();
                if (x is null)
                {
                    break;
                }

                log.WriteLine($"adder got {x}");
                total += x.Value;
            }
        }
        finally
        {
            log.WriteLine("adder finally");
        }

        return total;
    }

    [Coroutine]
    internal static void Accumulate(Inbox<int?> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                var r = inbox.YieldFrom(Adder(log));
                log.WriteLine($"total {r}");
            }
        }
        finally
        {
            log.WriteLine("accumulate finally");
        }
    }

    [Fact]
    public static void Sends_go_to_the_sub_and_its_return_value_is_the_result()
    {
        var trace = new Trace();
        var c = Accumulate(trace.Writer);
        foreach (var v in new int?[] { 1, 2, null, 10, null, 5 })
        {
            trace.Attempt($"send {Trace.Format(v)}", () => c.Send(v));
        }

        trace.Print(Trace.State(c.State));
        trace.Attempt("close", c.Close);
        trace.Print(Trace.State(c.State));
        PythonTwin.AssertSameTrace("""
            def adder():
                total = 0
                try:
                    while True:
                        x = yield
                        if x is None:
                            break
                        print(f"adder got {x}")
                        total += x
                finally:
                    print("adder finally")
                return total
            @coroutine
            def accumulate():
                try:
                    while True:
                        r = yield from adder()
                        print(f"total {r}")
                finally:
                    print("accumulate finally")
            c = accumulate()
            for v in [1, 2, None, 10, None, 5]:
                attempt(f"send {v}", lambda: c.send(v))
            print(state(c))
            attempt("close", c.close)
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static string Echo(Inbox<string?, string> inbox, string name)
    {
        var sent = inbox.Yield($"{name} ready");
        while (sent != "stop")
        {
            try
            {
                sent = inbox.Yield($"{name} echo {sent}");
            }
            catch (ValueError e)
            {
                sent = inbox.Yield($"{name} caught {e.Message}");
            }
        }

        return $"{name} done";
    }

    [Coroutine]
    internal static void Relay(Inbox<string?, string> inbox)
    {
        var first = inbox.YieldFrom(Echo("a"));
        var second = inbox.Yield($"relay got {first}");
        var third = inbox.YieldFrom(Echo($"b-{second}"));
        inbox.Yield($"relay got {third}");
    }

    [Fact]
    public static void A_two_way_sub_yields_the_delegators_values_and_takes_its_throws()
    {
        var trace = new Trace();
        var r = Relay();
        trace.Print($"current {r.Current}");
        trace.Attempt("send x", () => r.Send("x"));
        trace.Attempt("throw", () => r.Throw(new ValueError("boom")));
        trace.Attempt("send stop", () => r.Send("stop"));
        trace.Attempt("send y", () => r.Send("y"));
        trace.Attempt("send z", () => r.Send("z"));
        trace.Attempt("throw key", () => r.Throw(new KeyError("k")));
        trace.Print(Trace.State(r.State));
        PythonTwin.AssertSameTrace("""
            class ValueError(Exception): pass
            class KeyError(Exception): pass
            def echo(name):
                sent = yield f"{name} ready"
                while sent != "stop":
                    try:
                        sent = yield f"{name} echo {sent}"
                    except ValueError as e:
                        sent = yield f"{name} caught {e}"
                return f"{name} done"
            def relay():
                first = yield from echo("a")
                second = yield f"relay got {first}"
                third = yield from echo(f"b-{second}")
                yield f"relay got {third}"
            r = relay()
            print(f"current {next(r)}")
            attempt("send x", lambda: r.send("x"))
            attempt("throw", lambda: r.throw(ValueError("boom")))
            attempt("send stop", lambda: r.send("stop"))
            attempt("send y", lambda: r.send("y"))
            attempt("send z", lambda: r.send("z"))
            attempt("throw key", lambda: r.throw(KeyError("k")))
            print(state(r))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Inner(Inbox<int> inbox, TextWriter log, bool ignoreExit)
    {
        while (true)
        {
            try
            {
                log.WriteLine($"inner got {inbox.Receive()}");
            }
#pragma warning disable CORO0007 // on purpose: with ignoreExit the loop receives again (ignored GeneratorExit)
            catch (GeneratorExitException)
            {
                log.WriteLine("inner exit");
                if (!ignoreExit)
                {
                    throw;
                }
            }
#pragma warning restore CORO0007
            finally
            {
                log.WriteLine("inner finally");
            }
        }
    }

    [Coroutine]
    internal static void Outer(Inbox<int> inbox, TextWriter log, bool ignoreExit, List<object> keep)
    {
        try
        {
            var inner = Inner(log, ignoreExit);
            keep.Add(inner);
            inbox.YieldFrom(inner);
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("outer exit");
            throw;
        }
        catch (Exception e)
        {
            log.WriteLine($"outer caught {Trace.Describe(e)}");
        }
        finally
        {
            log.WriteLine("outer finally");
        }
    }

    [Fact]
    public static void Close_closes_the_sub_first_and_a_thrown_GeneratorExit_is_not_passed_on()
    {
        var trace = new Trace();
        var keep = new List<object>();
        var a = Outer(trace.Writer, false, keep);
        trace.Attempt("send 1", () => a.Send(1));
        trace.Attempt("close", a.Close);
        trace.Print(Trace.State(a.State));
        var b = Outer(trace.Writer, false, keep);
        trace.Attempt("throw GeneratorExit", () => b.Throw(new GeneratorExitException()));
        trace.Print(Trace.State(b.State));
        var c = Outer(trace.Writer, true, keep);
        trace.Attempt("close ignoring", c.Close);
        trace.Print(Trace.State(c.State));
        PythonTwin.AssertSameTrace("""
            def inner(ignore_exit):
                while True:
                    try:
                        print(f"inner got {(yield)}")
                    except GeneratorExit:
                        print("inner exit")
                        if not ignore_exit:
                            raise
                    finally:
                        print("inner finally")
            @coroutine
            def outer(ignore_exit, keep):
                try:
                    i = inner(ignore_exit)
                    keep.append(i)  # CPython would close a dropped generator (C# has no such close)
                    yield from i
                except GeneratorExit:
                    print("outer exit")
                    raise
                except Exception as e:
                    print(f"outer caught {describe(e)}")
                finally:
                    print("outer finally")
            keep = []
            a = outer(False, keep)
            attempt("send 1", lambda: a.send(1))
            attempt("close", a.close)
            print(state(a))
            b = outer(False, keep)
            attempt("throw GeneratorExit", lambda: b.throw(GeneratorExit()))
            print(state(b))
            c = outer(True, keep)
            attempt("close ignoring", c.close)
            print(state(c))
            sys.stdout.flush()
            import os
            os._exit(0)  # no close of the ignoring generator at exit either
            """, trace.Lines);
    }

    // It never suspends (no CORO0006: a template that returns a value is a subroutine for YieldFrom).
    [Coroutine]
    internal static string? Quick(Inbox<int?> inbox, TextWriter log)
    {
        log.WriteLine("quick runs");
        return "quick result";
    }

    [Coroutine]
    internal static void TakesFinished(Inbox<int?> inbox, TextWriter log)
    {
        var quick = Quick(log);
        log.WriteLine($"first {Trace.Format(inbox.YieldFrom(quick))}");
        log.WriteLine($"second {Trace.Format(inbox.YieldFrom(quick))}");
        var adder = Adder(log);
        adder.Send(4);
        try
        {
            adder.Send(null);
        }
        catch (StopIterationException stop)
        {
            log.WriteLine($"adder stopped with {Trace.Format(stop.Value)}");
        }

        log.WriteLine($"finished adder {inbox.YieldFrom(adder)}");
        inbox.Receive();
    }

    [Fact]
    public static void A_sub_that_finished_while_priming_returns_its_value_once()
    {
        var trace = new Trace();
        var t = TakesFinished(trace.Writer);
        trace.Print(Trace.State(t.State));
        PythonTwin.AssertSameTrace("""
            def quick():
                print("quick runs")
                return "quick result"
                yield
            def adder():
                total = 0
                try:
                    while True:
                        x = yield
                        if x is None:
                            break
                        print(f"adder got {x}")
                        total += x
                finally:
                    print("adder finally")
                return total
            @coroutine
            def takes_finished():
                q = quick()
                print(f"first {(yield from q)}")
                print(f"second {(yield from q)}")
                a = adder()
                next(a)
                a.send(4)
                try:
                    a.send(None)
                except StopIteration as stop:
                    print(f"adder stopped with {stop.value}")
                print(f"finished adder {(yield from a) or 0}")
                yield
            t = takes_finished()
            print(state(t))
            """, trace.Lines);
    }

    [Coroutine(Prime = false)]
    internal static int Lazy(Inbox<int> inbox, TextWriter log)
    {
        log.WriteLine("lazy starts");
        var x = inbox.Receive();
        log.WriteLine($"lazy got {x}");
        return x * 10;
    }

    [Coroutine]
    internal static void StartsLazy(Inbox<int> inbox, TextWriter log)
    {
        var lazy = Lazy(log);
        log.WriteLine($"before: {lazy.State}");
        var r = inbox.YieldFrom(lazy);
        log.WriteLine($"lazy returned {r}");
        inbox.Receive();
    }

    [Coroutine]
    internal static void Loop(Inbox<int> inbox, List<ICoroutine<int>> self)
    {
        inbox.Receive();
        inbox.YieldFrom(self[0]);
    }

    [Fact]
    public static void A_created_sub_is_started_and_a_running_one_is_a_delegation_loop()
    {
        var trace = new Trace();
        var s = StartsLazy(trace.Writer);
        trace.Attempt("send 7", () => s.Send(7));
        var holder = new List<ICoroutine<int>>();
        var loop = Loop(holder);
        holder.Add(loop);
        trace.Attempt("send loop", () => loop.Send(1));
        trace.Print(Trace.State(loop.State));
        PythonTwin.AssertSameTrace("""
            def lazy():
                print("lazy starts")
                x = yield
                print(f"lazy got {x}")
                return x * 10
            @coroutine
            def starts_lazy():
                l = lazy()
                print(f"before: {state(l)}")
                r = yield from l
                print(f"lazy returned {r}")
                yield
            s = starts_lazy()
            attempt("send 7", lambda: s.send(7))
            holder = []
            @coroutine
            def loop(this):
                yield
                yield from this[0]
            l = loop(holder)
            holder.append(l)
            attempt("send loop", lambda: l.send(1))
            print(state(l))
            """, trace.Lines);
    }

    [Coroutine]
    internal static int Depth(Inbox<int> inbox, int level, TextWriter log)
    {
        if (level == 0)
        {
            var leaf = inbox.Receive();
            log.WriteLine($"leaf got {leaf}");
            return leaf;
        }

        var below = inbox.YieldFrom(Depth(level - 1, log)) + inbox.YieldFrom(Depth(level - 1, log));
        log.WriteLine($"level {level} sums {below}");
        return below;
    }

    [Coroutine]
    internal static int Weigh<T>(Inbox<T> inbox, Func<T, int> weigh)
    {
        var sum = 0;
        for (var i = 0; i < 2; i++)
        {
            sum += weigh(inbox.Receive());
        }

        return sum;
    }

    [Coroutine]
    internal static void Total<T>(Inbox<T> inbox, Func<T, int> weigh, TextWriter log)
    {
        while (true)
        {
            log.WriteLine($"pair weighs {inbox.YieldFrom(Weigh(weigh))}");
        }
    }

    [Fact]
    public static void Recursive_and_generic_templates_delegate_in_expressions()
    {
        var trace = new Trace();
        var d = Depth(2, trace.Writer);
        for (var i = 1; i <= 4; i++)
        {
            var value = i;
            trace.Attempt($"send {i}", () => d.Send(value));
        }

        var t = Total<string>(s => s.Length, trace.Writer);
        foreach (var word in new[] { "ab", "cde", "f", "" })
        {
            t.Send(word);
        }

        PythonTwin.AssertSameTrace("""
            def depth(level):
                if level == 0:
                    leaf = yield
                    print(f"leaf got {leaf}")
                    return leaf
                below = (yield from depth(level - 1)) + (yield from depth(level - 1))
                print(f"level {level} sums {below}")
                return below
            d = depth(2)
            next(d)
            for i in range(1, 5):
                attempt(f"send {i}", lambda: d.send(i))
            def weigh(w):
                s = 0
                for i in range(2):
                    s += w((yield))
                return s
            @coroutine
            def total(w):
                while True:
                    print(f"pair weighs {(yield from weigh(w))}")
            t = total(len)
            for word in ["ab", "cde", "f", ""]:
                t.send(word)
            """, trace.Lines);
    }

    // The examples of docs/semantics.md (rule 12) and docs/getting-started.md ("Delegation: YieldFrom"), as written there.
    [Coroutine]
    internal static int DocAdder(Inbox<int?> inbox)
    {
        var total = 0;
        for (var x = inbox.Receive(); x is not null; x = inbox.Receive()) total += x.Value;
        return total;
    }

    [Coroutine]
    internal static void DocAccumulate(Inbox<int?> inbox, TextWriter log)
    {
        while (true)
        {
            var total = inbox.YieldFrom(DocAdder());
            log.WriteLine($"total {total}");
        }
    }

    [Coroutine]
    internal static (string, string) ReadPair(Inbox<string> inbox)
    {
        var first = inbox.Receive();
        var second = inbox.Receive();
        return (first, second);
    }

    [Coroutine]
    internal static void Pairs(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            var (a, b) = inbox.YieldFrom(ReadPair());
            log.WriteLine($"{a} + {b}");
        }
    }

    [Fact]
    public static void The_documented_examples_print_what_the_docs_say()
    {
        var trace = new Trace();
        var acc = DocAccumulate(trace.Writer);
        acc.Send(1); acc.Send(2); acc.Send(null);
        acc.Send(10); acc.Send(null);
        acc.Close();
        trace.Print(Trace.State(acc.State));
        var pairs = Pairs(trace.Writer);
        pairs.Send("x");
        pairs.Send("y");
        pairs.Close();
        trace.Print(Trace.State(pairs.State));
        PythonTwin.AssertSameTrace("""
            def adder():
                total = 0
                while (x := (yield)) is not None: total += x
                return total
            @coroutine
            def accumulate():
                while True:
                    total = yield from adder()
                    print(f"total {total}")
            acc = accumulate()
            acc.send(1); acc.send(2); acc.send(None)
            acc.send(10); acc.send(None)
            acc.close()
            print(state(acc))
            def read_pair():
                first = yield
                second = yield
                return (first, second)
            @coroutine
            def pairs():
                while True:
                    a, b = yield from read_pair()
                    print(f"{a} + {b}")
            p = pairs()
            p.send("x")
            p.send("y")
            p.close()
            print(state(p))
            """, trace.Lines);
    }

    [Coroutine]
    internal static int Take(Inbox<int> inbox, string tag, TextWriter log)
    {
        var x = inbox.Receive();
        log.WriteLine($"{tag} took {x}");
        if (x == 13)
        {
            throw new ValueError($"{tag} unlucky");
        }

        return x;
    }

    [Coroutine]
    internal static void Everywhere(Inbox<int> inbox, TextWriter log)
    {
        var n = 0;
        while (n < 3)
        {
            n++;
            try
            {
                var v = inbox.YieldFrom(Take("body", log));
                log.WriteLine($"got {v}");
                if (v > 5 && inbox.YieldFrom(Take("and", log)) > 5)
                {
                    log.WriteLine("both big");
                }

                switch (inbox.YieldFrom(Take("switch", log)) % 2)
                {
                    case 0:
                        log.WriteLine($"even, then {(v > 1 ? inbox.YieldFrom(Take("then", log)) : -1)}");
                        break;
                    default:
                        throw new KeyError("odd");
                }
            }
            catch (ValueError e)
            {
                log.WriteLine($"caught {e.Message}, retry {inbox.YieldFrom(Take("catch", log))}");
            }
            finally
            {
                log.WriteLine($"finally {inbox.YieldFrom(Take("finally", log))}");
            }
        }
    }

    [Fact]
    public static void YieldFrom_in_conditions_switches_catch_and_finally_bodies()
    {
        var trace = new Trace();
        var e = Everywhere(trace.Writer);
        foreach (var v in new[] { 7, 8, 2, 4, 1, 13, 5, 6, 9, 3, 3, 2, 2, 2, 2 })
        {
            trace.Attempt($"send {v}", () => e.Send(v));
        }

        trace.Print(Trace.State(e.State));
        PythonTwin.AssertSameTrace("""
            class ValueError(Exception): pass
            class KeyError(Exception): pass
            def take(tag):
                x = yield
                print(f"{tag} took {x}")
                if x == 13:
                    raise ValueError(f"{tag} unlucky")
                return x
            @coroutine
            def everywhere():
                n = 0
                while n < 3:
                    n += 1
                    try:
                        v = yield from take("body")
                        print(f"got {v}")
                        if v > 5 and (yield from take("and")) > 5:
                            print("both big")
                        if (yield from take("switch")) % 2 == 0:
                            print(f"even, then {(yield from take('then')) if v > 1 else -1}")
                        else:
                            raise KeyError("odd")
                    except ValueError as e:
                        print(f"caught {e}, retry {(yield from take('catch'))}")
                    finally:
                        print(f"finally {(yield from take('finally'))}")
            e = everywhere()
            for v in [7, 8, 2, 4, 1, 13, 5, 6, 9, 3, 3, 2, 2, 2, 2]:
                attempt(f"send {v}", lambda: e.send(v))
            print(state(e))
            """, trace.Lines);
    }
}
