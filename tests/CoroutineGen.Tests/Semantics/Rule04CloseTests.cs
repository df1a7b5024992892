using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 4 of docs/semantics.md, Close: a no-op on a finished coroutine; on a suspended one it raises a new
/// <see cref="GeneratorExitException"/> at the suspension point and <c>finally</c> blocks run. If it escapes or
/// the body returns, <c>Close</c> returns normally; if the body suspends again, <c>Close</c> throws
/// "coroutine ignored GeneratorExit" and the coroutine stays suspended; any other exception propagates.
/// <c>Dispose</c> is <c>Close</c>. Python 3.11's <c>close()</c> returns None in every case used here.
/// Each test is checked against its Python twin.
/// </summary>
public static partial class Rule04CloseTests
{
    // ------------------------------------------------------------------ GeneratorExit escapes: Close returns normally

    [Coroutine]
    internal static void Unguarded(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            string item = inbox.Receive();
            log.WriteLine($"got {item}");
        }
    }

    [Fact]
    public static void Close_of_a_coroutine_without_handlers_returns_normally_and_closes_it()
    {
        var trace = new Trace();
        var c = Unguarded(trace.Writer);
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("send", () => c.Send("b"));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def unguarded():
                while True:
                    item = (yield)
                    print(f"got {item}")
            c = unguarded()
            c.send("a")
            attempt("close", lambda: c.close())
            print(state(c))
            attempt("send", lambda: c.send("b"))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Nested(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            log.WriteLine("outer try");
            try
            {
                while (true)
                {
                    string item = inbox.Receive();
                    log.WriteLine($"got {item}");
                }
            }
            finally
            {
                log.WriteLine("inner finally");
            }
        }
        finally
        {
            log.WriteLine("outer finally");
        }
    }

    [Fact]
    public static void Close_runs_the_finally_blocks_innermost_first()
    {
        var trace = new Trace();
        var c = Nested(trace.Writer);
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def nested():
                try:
                    print("outer try")
                    try:
                        while True:
                            item = (yield)
                            print(f"got {item}")
                    finally:
                        print("inner finally")
                finally:
                    print("outer finally")
            c = nested()
            c.send("a")
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Layered(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    log.WriteLine($"got {inbox.Receive()}");
                }
                catch (ValueError)
                {
                    log.WriteLine("inner ValueError handler");
                }
                finally
                {
                    log.WriteLine("inner finally");
                }
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("GeneratorExit handler");
        }
        finally
        {
            log.WriteLine("outer finally");
        }

        log.WriteLine("after the try");
    }

    [Fact]
    public static void Close_unwinds_inner_finally_then_the_GeneratorExit_handler_then_outer_finally()
    {
        var trace = new Trace();
        var c = Layered(trace.Writer);
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def layered():
                try:
                    while True:
                        try:
                            print(f"got {(yield)}")
                        except ValueError:
                            print("inner ValueError handler")
                        finally:
                            print("inner finally")
                except GeneratorExit:
                    print("GeneratorExit handler")
                finally:
                    print("outer finally")
                print("after the try")
            c = layered()
            c.send("a")
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    internal sealed class Resource(string name, TextWriter log) : IDisposable
    {
        public void Dispose() => log.WriteLine($"{name} disposed");
    }

    [Coroutine]
    internal static void UsingStatement(Inbox<string> inbox, TextWriter log)
    {
        using (var file = new Resource("file", log))
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
    }

    [Coroutine]
    internal static void UsingDeclaration(Inbox<string> inbox, TextWriter log)
    {
        using var connection = new Resource("connection", log);
        while (true) log.WriteLine($"got {inbox.Receive()}");
    }

    [Fact]
    public static void Close_disposes_what_using_statements_and_declarations_hold()
    {
        var trace = new Trace();
        var c = UsingStatement(trace.Writer);
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        var d = UsingDeclaration(trace.Writer);
        d.Send("b");
        trace.Attempt("close", () => d.Close());
        trace.Print($"{Trace.State(c.State)} {Trace.State(d.State)}");

        PythonTwin.AssertSameTrace("""
            from contextlib import contextmanager
            @contextmanager
            def resource(name):
                try:
                    yield
                finally:
                    print(f"{name} disposed")
            @coroutine
            def using_statement():
                with resource("file"):
                    while True: print(f"got {(yield)}")
            @coroutine
            def using_declaration():
                with resource("connection"):
                    while True: print(f"got {(yield)}")
            c = using_statement()
            c.send("a")
            attempt("close", lambda: c.close())
            d = using_declaration()
            d.send("b")
            attempt("close", lambda: d.close())
            print(f"{state(c)} {state(d)}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static void CleanupWaits(Inbox<int> inbox, TextWriter log)
    {
        try
        {
            int x = inbox.Receive();
            if (x < 0) throw new ValueError($"negative {x}");
            log.WriteLine($"got {x}");
        }
        finally
        {
            log.WriteLine("cleanup waits");
            int y = inbox.Receive();
            log.WriteLine($"cleanup done with {y}");
        }

        log.WriteLine("after the try");
        inbox.Receive();
    }

    [Fact]
    public static void Close_while_a_finally_waits_with_a_pending_exception_raises_GeneratorExit_there_and_returns_normally()
    {
        var trace = new Trace();
        var c = CleanupWaits(trace.Writer);
        trace.Attempt("send -1", () => c.Send(-1));
        trace.Print(Trace.State(c.State));
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def cleanup_waits():
                try:
                    x = (yield)
                    if x < 0: raise ValueError(f"negative {x}")
                    print(f"got {x}")
                finally:
                    print("cleanup waits")
                    y = (yield)
                    print(f"cleanup done with {y}")
                print("after the try")
                yield
            c = cleanup_waits()
            attempt("send -1", lambda: c.send(-1))
            print(state(c))
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ the body finishes: Close returns normally

    [Coroutine]
    internal static void Printer(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine(inbox.Receive());
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("Going away. Goodbye");
        }
    }

    [Fact]
    public static void Handler_that_falls_off_the_end_lets_Close_return_normally()
    {
        var trace = new Trace();
        var c = Printer(trace.Writer);
        c.Send("hello");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def printer():
                try:
                    while True: print((yield))
                except GeneratorExit:
                    print("Going away. Goodbye")
            c = printer()
            c.send("hello")
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Returning(Inbox<int> inbox, TextWriter log)
    {
        int count = 0;
        try
        {
            while (true)
            {
                try
                {
                    inbox.Receive();
                    count++;
                    log.WriteLine($"count {count}");
                }
                catch (GeneratorExitException)
                {
                    log.WriteLine($"closing after {count}");
                    return;
                }
            }
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Handler_that_returns_lets_Close_return_normally()
    {
        var trace = new Trace();
        var c = Returning(trace.Writer);
        c.Send(10);
        c.Send(20);
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def returning():
                count = 0
                try:
                    while True:
                        try:
                            yield
                            count += 1
                            print(f"count {count}")
                        except GeneratorExit:
                            print(f"closing after {count}")
                            return
                finally:
                    print("finally")
            c = returning()
            c.send(10)
            c.send(20)
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Breaking(Inbox<string> inbox, TextWriter log)
    {
        var lines = new List<string>();
        while (true)
        {
            try
            {
                lines.Add(inbox.Receive());
            }
            catch (GeneratorExitException)
            {
                log.WriteLine("closing: leaving the loop");
                break;
            }
        }

        log.WriteLine($"collected {string.Join(",", lines)}");
    }

    [Fact]
    public static void Handler_that_breaks_out_of_the_loop_runs_the_rest_of_the_body_and_Close_returns_normally()
    {
        var trace = new Trace();
        var c = Breaking(trace.Writer);
        c.Send("x");
        c.Send("y");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def breaking():
                lines = []
                while True:
                    try:
                        lines.append((yield))
                    except GeneratorExit:
                        print("closing: leaving the loop")
                        break
                print(f"collected {','.join(lines)}")
            c = breaking()
            c.send("x")
            c.send("y")
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ the body suspends again: ignored GeneratorExit

#pragma warning disable CORO0007 // these templates suspend again after GeneratorExitException on purpose
    [Coroutine]
    internal static void LastOrder(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"order {inbox.Receive()}");
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("one last order, please");
        }

        string last = inbox.Receive();
        log.WriteLine($"last order {last}");
    }

    [Fact]
    public static void Body_that_suspends_after_the_handler_makes_Close_fail_and_stays_suspended_then_a_second_Close_works()
    {
        var trace = new Trace();
        var c = LastOrder(trace.Writer);
        c.Send("soup");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("second close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def last_order():
                try:
                    while True: print(f"order {(yield)}")
                except GeneratorExit:
                    print("one last order, please")
                last = (yield)
                print(f"last order {last}")
            c = last_order()
            c.send("soup")
            attempt("close", lambda: c.close())
            print(state(c))
            attempt("second close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void After_an_ignored_GeneratorExit_Send_resumes_at_the_new_suspension_point()
    {
        var trace = new Trace();
        var c = LastOrder(trace.Writer);
        trace.Attempt("close", () => c.Close());
        trace.Attempt("send tea", () => c.Send("tea"));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def last_order():
                try:
                    while True: print(f"order {(yield)}")
                except GeneratorExit:
                    print("one last order, please")
                last = (yield)
                print(f"last order {last}")
            c = last_order()
            attempt("close", lambda: c.close())
            attempt("send tea", lambda: c.send("tea"))
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Farewell(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                string command = inbox.Receive();
                log.WriteLine($"command {command}");
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("closing: waiting for a farewell");
            string farewell = inbox.Receive();
            log.WriteLine($"farewell {farewell}");
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Handler_that_suspends_makes_Close_fail_and_a_Send_then_finishes_the_handler()
    {
        var trace = new Trace();
        var c = Farewell(trace.Writer);
        c.Send("run");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("send bye", () => c.Send("bye"));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def farewell():
                try:
                    while True:
                        command = (yield)
                        print(f"command {command}")
                except GeneratorExit:
                    print("closing: waiting for a farewell")
                    farewell = (yield)
                    print(f"farewell {farewell}")
                finally:
                    print("finally")
            c = farewell()
            c.send("run")
            attempt("close", lambda: c.close())
            print(state(c))
            attempt("send bye", lambda: c.send("bye"))
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void Handler_that_suspends_is_left_by_a_second_Close()
    {
        var trace = new Trace();
        var c = Farewell(trace.Writer);
        trace.Attempt("close", () => c.Close());
        trace.Attempt("second close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def farewell():
                try:
                    while True:
                        command = (yield)
                        print(f"command {command}")
                except GeneratorExit:
                    print("closing: waiting for a farewell")
                    farewell = (yield)
                    print(f"farewell {farewell}")
                finally:
                    print("finally")
            c = farewell()
            attempt("close", lambda: c.close())
            attempt("second close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void TwoHandlers(Inbox<int> inbox, TextWriter log)
    {
        try
        {
            try
            {
                while (true) log.WriteLine($"got {inbox.Receive()}");
            }
            catch (GeneratorExitException)
            {
                log.WriteLine("inner handler waits");
                inbox.Receive();
                log.WriteLine("inner handler done");
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("outer handler");
        }
    }

    [Fact]
    public static void Second_Close_raises_at_the_receive_in_the_inner_handler_and_the_outer_handler_catches_it()
    {
        var trace = new Trace();
        var c = TwoHandlers(trace.Writer);
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("second close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def two_handlers():
                try:
                    try:
                        while True: print(f"got {(yield)}")
                    except GeneratorExit:
                        print("inner handler waits")
                        yield
                        print("inner handler done")
                except GeneratorExit:
                    print("outer handler")
            c = two_handlers()
            attempt("close", lambda: c.close())
            print(state(c))
            attempt("second close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Stubborn(Inbox<int> inbox, TextWriter log)
    {
        while (true)
        {
            try
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
            catch (GeneratorExitException)
            {
                log.WriteLine("not closing");
            }
        }
    }
#pragma warning restore CORO0007

    [Fact]
    public static void Body_that_always_swallows_GeneratorExit_makes_every_Close_fail()
    {
        var trace = new Trace();
        var c = Stubborn(trace.Writer);
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("close again", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("send 1", () => c.Send(1));
        trace.Attempt("throw", () => c.Throw(new ValueError("stop")));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def stubborn():
                while True:
                    try:
                        print(f"got {(yield)}")
                    except GeneratorExit:
                        print("not closing")
            c = stubborn()
            attempt("close", lambda: c.close())
            print(state(c))
            attempt("close again", lambda: c.close())
            print(state(c))
            attempt("send 1", lambda: c.send(1))
            attempt("throw", lambda: c.throw(ValueError("stop")))
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Flushing(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
        finally
        {
            log.WriteLine("flushing: waiting for an ack");
            string ack = inbox.Receive();
            log.WriteLine($"ack {ack}");
        }
    }

    [Fact]
    public static void Finally_block_that_suspends_during_Close_makes_Close_fail_and_a_second_Close_works()
    {
        var trace = new Trace();
        var c = Flushing(trace.Writer);
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("second close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def flushing():
                try:
                    while True: print(f"got {(yield)}")
                finally:
                    print("flushing: waiting for an ack")
                    ack = (yield)
                    print(f"ack {ack}")
            c = flushing()
            c.send("a")
            attempt("close", lambda: c.close())
            print(state(c))
            attempt("second close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void Finally_block_that_suspends_during_Close_rethrows_GeneratorExit_when_it_completes()
    {
        var trace = new Trace();
        var c = Flushing(trace.Writer);
        trace.Attempt("close", () => c.Close());
        trace.Attempt("send ok", () => c.Send("ok"));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def flushing():
                try:
                    while True: print(f"got {(yield)}")
                finally:
                    print("flushing: waiting for an ack")
                    ack = (yield)
                    print(f"ack {ack}")
            c = flushing()
            attempt("close", lambda: c.close())
            attempt("send ok", lambda: c.send("ok"))
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ other exceptions propagate out of Close

    [Coroutine]
    internal static void FailingCleanup(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("flushing");
            throw new ValueError("flush failed");
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Exception_thrown_by_the_GeneratorExit_handler_propagates_out_of_Close()
    {
        var trace = new Trace();
        var c = FailingCleanup(trace.Writer);
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("close again", () => c.Close());
        trace.Attempt("send", () => c.Send("b"));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def failing_cleanup():
                try:
                    while True: print(f"got {(yield)}")
                except GeneratorExit:
                    print("flushing")
                    raise ValueError("flush failed")
                finally:
                    print("finally")
            c = failing_cleanup()
            c.send("a")
            attempt("close", lambda: c.close())
            print(state(c))
            attempt("close again", lambda: c.close())
            attempt("send", lambda: c.send("b"))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void FailingFinally(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
        finally
        {
            log.WriteLine("releasing");
            throw new TypeError("release failed");
        }
    }

    [Fact]
    public static void Exception_thrown_by_a_finally_block_during_Close_propagates_out_of_Close()
    {
        var trace = new Trace();
        var c = FailingFinally(trace.Writer);
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def failing_finally():
                try:
                    while True: print(f"got {(yield)}")
                finally:
                    print("releasing")
                    raise TypeError("release failed")
            c = failing_finally()
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ finished coroutines: Close does nothing

    [Coroutine]
    internal static void Bounded(Inbox<int> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                if (x < 0) throw new ValueError($"negative {x}");
                if (x == 0) return;
                log.WriteLine($"got {x}");
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("GeneratorExit handler");
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Close_on_a_finished_coroutine_does_nothing()
    {
        var trace = new Trace();
        var returned = Bounded(trace.Writer);
        trace.Attempt("send 0", () => returned.Send(0));
        trace.Attempt("close after return", () => returned.Close());
        var failed = Bounded(trace.Writer);
        trace.Attempt("send -1", () => failed.Send(-1));
        trace.Attempt("close after exception", () => failed.Close());
        var closed = Bounded(trace.Writer);
        trace.Attempt("close", () => closed.Close());
        trace.Attempt("close again", () => closed.Close());
        trace.Attempt("and again", () => closed.Close());
        trace.Print($"{Trace.State(returned.State)} {Trace.State(failed.State)} {Trace.State(closed.State)}");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def bounded():
                try:
                    while True:
                        x = (yield)
                        if x < 0: raise ValueError(f"negative {x}")
                        if x == 0: return
                        print(f"got {x}")
                except GeneratorExit:
                    print("GeneratorExit handler")
                finally:
                    print("finally")
            returned = bounded()
            attempt("send 0", lambda: returned.send(0))
            attempt("close after return", lambda: returned.close())
            failed = bounded()
            attempt("send -1", lambda: failed.send(-1))
            attempt("close after exception", lambda: failed.close())
            closed = bounded()
            attempt("close", lambda: closed.close())
            attempt("close again", lambda: closed.close())
            attempt("and again", lambda: closed.close())
            print(f"{state(returned)} {state(failed)} {state(closed)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ Dispose is Close

    [Fact]
    public static void Dispose_closes_the_coroutine_so_using_runs_its_cleanup()
    {
        var trace = new Trace();
        PrinterCoroutine kept;
        using (var c = Printer(trace.Writer))
        {
            c.Send("inside using");
            kept = c;
        }

        trace.Print(Trace.State(kept.State));
        var d = Printer(trace.Writer);
        d.Dispose();
        d.Dispose();
        trace.Print(Trace.State(d.State));

        PythonTwin.AssertSameTrace("""
            from contextlib import closing
            @coroutine
            def printer():
                try:
                    while True: print((yield))
                except GeneratorExit:
                    print("Going away. Goodbye")
            with closing(printer()) as c:
                c.send("inside using")
                kept = c
            print(state(kept))
            d = printer()
            d.close()
            d.close()
            print(state(d))
            """, trace.Lines);
    }
    // ------------------------------------------------------------------ the handler rethrows GeneratorExit: still closed

    [Coroutine]
    internal static void Rethrowing(Inbox<string> inbox, bool newException, TextWriter log)
    {
        try
        {
            while (true) log.WriteLine($"got {inbox.Receive()}");
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("saving state");
            if (newException) throw new GeneratorExitException();
            throw;
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    private const string RethrowingTwin = """
        @coroutine
        def rethrowing(new_exception):
            try:
                while True:
                    print(f"got {(yield)}")
            except GeneratorExit:
                print("saving state")
                if new_exception: raise GeneratorExit()
                raise
            finally:
                print("finally")
        rethrows = rethrowing(False)
        attempt("close (throw;)", lambda: rethrows.close()); print(state(rethrows))
        raises_new = rethrowing(True)
        attempt("close (new GeneratorExit)", lambda: raises_new.close()); print(state(raises_new))
        """;

    /// <summary>A handler that rethrows GeneratorExit (or raises a new one) lets it escape: Close returns normally.</summary>
    [Fact]
    public static void A_GeneratorExit_rethrown_by_the_handler_means_closed()
    {
        var trace = new Trace();
        var rethrows = Rethrowing(false, trace.Writer);
        trace.Attempt("close (throw;)", () => rethrows.Close());
        trace.Print(Trace.State(rethrows.State));
        var raisesNew = Rethrowing(true, trace.Writer);
        trace.Attempt("close (new GeneratorExit)", () => raisesNew.Close());
        trace.Print(Trace.State(raisesNew.State));
        PythonTwin.AssertSameTrace(RethrowingTwin, trace.Lines);
    }
}
