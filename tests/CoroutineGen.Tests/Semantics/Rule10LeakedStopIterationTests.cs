using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 10 of docs/semantics.md (PEP 479): a <see cref="StopIterationException"/> escaping a template body does not pass for
/// "this coroutine finished"; it becomes <c>InvalidOperationException("coroutine raised StopIteration")</c> with the
/// original as <c>InnerException</c> (Python's RuntimeError with <c>__cause__</c>), and the coroutine is finished.
/// One caught inside the body is an ordinary exception. Each test is checked against its Python twin.
/// </summary>
public static partial class Rule10LeakedStopIterationTests
{
    // ------------------------------------------------------------------ target.Send into a finished coroutine

    [Coroutine]
    internal static void Relay(Inbox<string> inbox, ICoroutine<string> target, TextWriter log)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                log.WriteLine($"relaying {item}");
                target.Send(item);
            }
        }
        finally
        {
            log.WriteLine("relay finally");
        }
    }

    [Coroutine]
    internal static void Sink(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            string item = inbox.Receive();
            if (item == "last")
            {
                log.WriteLine("sink done");
                return;
            }

            log.WriteLine($"sink got {item}");
        }
    }

    private const string PythonRelay = """
        @coroutine
        def relay(target):
            try:
                while True:
                    item = (yield)
                    print(f"relaying {item}")
                    target.send(item)
            finally:
                print("relay finally")
        @coroutine
        def sink():
            while True:
                item = (yield)
                if item == "last":
                    print("sink done")
                    return
                print(f"sink got {item}")

        """;

    [Fact]
    public static void Send_into_a_closed_target_leaks_StopIteration_which_becomes_an_error_and_finishes_the_sender()
    {
        var trace = new Trace();
        var sink = Sink(trace.Writer);
        var relay = Relay(sink, trace.Writer);
        relay.Send("a");
        sink.Close();
        trace.Attempt("send b", () => relay.Send("b"));
        trace.Print($"relay {Trace.State(relay.State)}, sink {Trace.State(sink.State)}");
        trace.Attempt("send c", () => relay.Send("c"));

        PythonTwin.AssertSameTrace(PythonRelay + """
            s = sink()
            r = relay(s)
            r.send("a")
            s.close()
            attempt("send b", lambda: r.send("b"))
            print(f"relay {state(r)}, sink {state(s)}")
            attempt("send c", lambda: r.send("c"))
            """, trace.Lines);
    }

    [Fact]
    public static void Target_that_finishes_during_the_senders_Send_makes_both_finish_with_the_error()
    {
        var trace = new Trace();
        var sink = Sink(trace.Writer);
        var relay = Relay(sink, trace.Writer);
        relay.Send("a");
        trace.Attempt("send last", () => relay.Send("last"));
        trace.Print($"relay {Trace.State(relay.State)}, sink {Trace.State(sink.State)}");

        PythonTwin.AssertSameTrace(PythonRelay + """
            s = sink()
            r = relay(s)
            r.send("a")
            attempt("send last", lambda: r.send("last"))
            print(f"relay {state(r)}, sink {state(s)}")
            """, trace.Lines);
    }

    [Fact]
    public static void The_error_passes_unchanged_through_the_stages_further_up()
    {
        var trace = new Trace();
        var sink = Sink(trace.Writer);
        var relay = Relay(sink, trace.Writer);
        var head = Relay(relay, trace.Writer);
        sink.Close();
        Exception? fromRelay = null;
        try
        {
            head.Send("x");
            trace.Print("send x: ok");
        }
        catch (InvalidOperationException e)
        {
            trace.Print($"send x: {Trace.Describe(e)}");
            fromRelay = e;
        }

        trace.Print($"wrapped once: {Trace.Format(fromRelay?.InnerException is StopIterationException)}");
        trace.Print($"head {Trace.State(head.State)}, relay {Trace.State(relay.State)}, sink {Trace.State(sink.State)}");

        PythonTwin.AssertSameTrace(PythonRelay + """
            s = sink()
            r = relay(s)
            head = relay(r)
            s.close()
            from_relay = None
            try:
                head.send("x")
                print("send x: ok")
            except RuntimeError as e:
                print(f"send x: {describe(e)}")
                from_relay = e
            print(f"wrapped once: {isinstance(from_relay.__cause__, StopIteration)}")
            print(f"head {state(head)}, relay {state(r)}, sink {state(s)}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static int Tally(Inbox<string> inbox, int limit)
    {
        int count = 0;
        while (count < limit)
        {
            inbox.Receive();
            count++;
        }

        return count;
    }

    [Fact]
    public static void Leaked_StopIteration_keeps_the_targets_return_value_in_the_inner_exception()
    {
        var trace = new Trace();
        var tally = Tally(2);
        var relay = Relay(tally, trace.Writer);
        relay.Send("a");
        try
        {
            relay.Send("b");
            trace.Print("send b: ok");
        }
        catch (InvalidOperationException e)
        {
            trace.Print($"send b: {Trace.Describe(e)}");
            trace.Print($"inner value: {((StopIterationException)e.InnerException!).Value}");
        }

        trace.Print($"tally result: {tally.Result}");

        PythonTwin.AssertSameTrace(PythonRelay + """
            @coroutine
            def tally(limit):
                count = 0
                while count < limit:
                    yield
                    count += 1
                return count
            t = tally(2)
            r = relay(t)
            r.send("a")
            try:
                r.send("b")
                print("send b: ok")
            except RuntimeError as e:
                print(f"send b: {describe(e)}")
                print(f"inner value: {e.__cause__.value}")
                result = e.__cause__.value
            print(f"tally result: {result}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Apply(Inbox<int> inbox, Action<int> action, TextWriter log)
    {
        while (true)
        {
            int x = inbox.Receive();
            action(x);
            log.WriteLine($"applied {x}");
        }
    }

    [Fact]
    public static void The_inner_exception_is_the_StopIteration_object_that_escaped()
    {
        var trace = new Trace();
        var stop = new StopIterationException();
        var c = Apply(x => { if (x == 2) throw stop; }, trace.Writer);
        c.Send(1);
        try
        {
            c.Send(2);
            trace.Print("send 2: ok");
        }
        catch (Exception e)
        {
            trace.Print($"send 2: {Trace.Describe(e)}");
            trace.Print($"inner is the escaped object: {Trace.Format(ReferenceEquals(e.InnerException, stop))}");
        }

        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def apply(action):
                while True:
                    x = (yield)
                    action(x)
                    print(f"applied {x}")
            stop = StopIteration()
            def action(x):
                if x == 2: raise stop
            c = apply(action)
            c.send(1)
            try:
                c.send(2)
                print("send 2: ok")
            except Exception as e:
                print(f"send 2: {describe(e)}")
                print(f"inner is the escaped object: {e.__cause__ is stop}")
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ caught inside the body: ordinary

    [Coroutine]
    internal static void CarefulRelay(Inbox<string> inbox, ICoroutine<string> target, TextWriter log)
    {
        while (true)
        {
            string item = inbox.Receive();
            try
            {
                target.Send(item);
            }
            catch (StopIterationException)
            {
                log.WriteLine($"target finished, {item} dropped");
            }
        }
    }

    [Fact]
    public static void StopIteration_caught_inside_the_body_is_an_ordinary_exception()
    {
        var trace = new Trace();
        var sink = Sink(trace.Writer);
        var relay = CarefulRelay(sink, trace.Writer);
        trace.Attempt("send a", () => relay.Send("a"));
        trace.Attempt("send last", () => relay.Send("last"));
        trace.Attempt("send b", () => relay.Send("b"));
        trace.Print($"relay {Trace.State(relay.State)}, sink {Trace.State(sink.State)}");

        PythonTwin.AssertSameTrace(PythonRelay + """
            @coroutine
            def careful_relay(target):
                while True:
                    item = (yield)
                    try:
                        target.send(item)
                    except StopIteration:
                        print(f"target finished, {item} dropped")
            s = sink()
            r = careful_relay(s)
            attempt("send a", lambda: r.send("a"))
            attempt("send last", lambda: r.send("last"))
            attempt("send b", lambda: r.send("b"))
            print(f"relay {state(r)}, sink {state(s)}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static void StopsWithTarget(Inbox<string> inbox, ICoroutine<string> target, TextWriter log)
    {
        while (true)
        {
            string item = inbox.Receive();
            try
            {
                target.Send(item);
            }
            catch (Exception e)
            {
                log.WriteLine($"catch (Exception) got {Trace.Describe(e)}, returning");
                return;
            }
        }
    }

    [Fact]
    public static void StopIteration_caught_by_catch_Exception_lets_the_body_return_normally()
    {
        var trace = new Trace();
        var sink = Sink(trace.Writer);
        var relay = StopsWithTarget(sink, trace.Writer);
        trace.Attempt("send last", () => relay.Send("last"));
        trace.Print($"relay {Trace.State(relay.State)}");

        PythonTwin.AssertSameTrace(PythonRelay + """
            @coroutine
            def stops_with_target(target):
                while True:
                    item = (yield)
                    try:
                        target.send(item)
                    except Exception as e:
                        print(f"catch (Exception) got {describe(e)}, returning")
                        return
            s = sink()
            r = stops_with_target(s)
            attempt("send last", lambda: r.send("last"))
            print(f"relay {state(r)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ other ways for one to escape

    [Coroutine]
    internal static void StopInHandler(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("closing by throwing StopIteration");
            throw new StopIterationException();
        }
    }

    [Fact]
    public static void StopIteration_thrown_by_the_GeneratorExit_handler_makes_Close_throw_the_error()
    {
        var trace = new Trace();
        var c = StopInHandler(trace.Writer);
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("close again", () => c.Close());

        PythonTwin.AssertSameTrace("""
            @coroutine
            def stop_in_handler():
                try:
                    while True: print(f"got {(yield)}")
                except GeneratorExit:
                    print("closing by throwing StopIteration")
                    raise StopIteration()
            c = stop_in_handler()
            attempt("close", lambda: c.close())
            print(state(c))
            attempt("close again", lambda: c.close())
            """, trace.Lines);
    }

    [Fact]
    public static void StopIteration_thrown_in_with_Throw_and_not_caught_becomes_the_error()
    {
        var trace = new Trace();
        var sink = Sink(trace.Writer);
        var relay = Relay(sink, trace.Writer);
        trace.Attempt("throw", () => relay.Throw(new StopIterationException()));
        trace.Print($"relay {Trace.State(relay.State)}, sink {Trace.State(sink.State)}");
        sink.Close();

        PythonTwin.AssertSameTrace(PythonRelay + """
            s = sink()
            r = relay(s)
            attempt("throw", lambda: r.throw(StopIteration()))
            print(f"relay {state(r)}, sink {state(s)}")
            s.close()
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Tolerant(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            try
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
            catch (StopIterationException)
            {
                log.WriteLine("StopIteration caught, carrying on");
            }
        }
    }

    [Fact]
    public static void StopIteration_thrown_in_with_Throw_and_caught_is_ordinary()
    {
        var trace = new Trace();
        var c = Tolerant(trace.Writer);
        trace.Attempt("throw", () => c.Throw(new StopIterationException()));
        trace.Print(Trace.State(c.State));
        c.Send("a");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def tolerant():
                while True:
                    try:
                        print(f"got {(yield)}")
                    except StopIteration:
                        print("StopIteration caught, carrying on")
            c = tolerant()
            attempt("throw", lambda: c.throw(StopIteration()))
            print(state(c))
            c.send("a")
            """, trace.Lines);
    }

    [Fact]
    public static void StopIteration_leaking_while_priming_makes_the_factory_throw_the_error()
    {
        var trace = new Trace();
        var sink = Sink(trace.Writer);
        sink.Close();
        try
        {
            Prefilled(sink, trace.Writer);
            trace.Print("factory: ok");
        }
        catch (Exception e)
        {
            trace.Print($"factory: {Trace.Describe(e)}");
        }

        PythonTwin.AssertSameTrace(PythonRelay + """
            @coroutine
            def prefilled(target):
                print("sending the header")
                target.send("header")
                while True:
                    target.send((yield))
            s = sink()
            s.close()
            try:
                prefilled(s)
                print("factory: ok")
            except Exception as e:
                print(f"factory: {describe(e)}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Prefilled(Inbox<string> inbox, ICoroutine<string> target, TextWriter log)
    {
        log.WriteLine("sending the header");
        target.Send("header");
        while (true)
        {
            target.Send(inbox.Receive());
        }
    }
}
