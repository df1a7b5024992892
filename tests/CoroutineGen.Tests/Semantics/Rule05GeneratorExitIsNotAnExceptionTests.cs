using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 5 of docs/semantics.md: <see cref="GeneratorExitException"/> is not an ordinary error. Python's <c>except Exception:</c>
/// does not catch <c>GeneratorExit</c>; CoroutineGen keeps that, so <c>catch</c>, <c>catch (Exception)</c> and
/// <c>catch (Exception e) when (...)</c> do not catch it, while a clause naming <see cref="GeneratorExitException"/>
/// does, and <c>finally</c> blocks still run. C#'s <c>catch</c> and <c>catch (Exception)</c> both translate to
/// Python's <c>except Exception:</c> (that is what the rule makes them mean). Each test is checked against its
/// Python twin.
/// </summary>
public static partial class Rule05GeneratorExitIsNotAnExceptionTests
{
    // ------------------------------------------------------------------ catch (Exception)

    [Coroutine]
    internal static void CatchAll(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
        }
        catch (Exception e)
        {
            log.WriteLine($"catch (Exception): {e.Message}");
        }
        finally
        {
            log.WriteLine("finally");
        }

        log.WriteLine("after the try");
        while (true)
        {
            log.WriteLine($"later got {inbox.Receive()}");
        }
    }

    [Fact]
    public static void Catch_Exception_does_not_catch_GeneratorExit_but_finally_runs()
    {
        var trace = new Trace();
        var c = CatchAll(trace.Writer);
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def catch_all():
                try:
                    while True:
                        print(f"got {(yield)}")
                except Exception as e:
                    print(f"catch (Exception): {e}")
                finally:
                    print("finally")
                print("after the try")
                while True:
                    print(f"later got {(yield)}")
            c = catch_all()
            c.send("a")
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void Catch_Exception_still_catches_ordinary_exceptions()
    {
        var trace = new Trace();
        var c = CatchAll(trace.Writer);
        trace.Attempt("throw", () => c.Throw(new ValueError("ordinary")));
        trace.Print(Trace.State(c.State));
        c.Send("b");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def catch_all():
                try:
                    while True:
                        print(f"got {(yield)}")
                except Exception as e:
                    print(f"catch (Exception): {e}")
                finally:
                    print("finally")
                print("after the try")
                while True:
                    print(f"later got {(yield)}")
            c = catch_all()
            attempt("throw", lambda: c.throw(ValueError("ordinary")))
            print(state(c))
            c.send("b")
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ bare catch

    [Coroutine]
    internal static void BareCatch(Inbox<int> inbox, TextWriter log)
    {
        int errors = 0;
        while (true)
        {
            try
            {
                int x = inbox.Receive();
                log.WriteLine($"100 / {x} = {100 / x}");
            }
            catch
            {
                errors++;
                log.WriteLine($"error #{errors}, carrying on");
            }
            finally
            {
                log.WriteLine("finally");
            }
        }
    }

    [Fact]
    public static void Bare_catch_does_not_catch_GeneratorExit()
    {
        var trace = new Trace();
        var c = BareCatch(trace.Writer);
        c.Send(4);
        c.Send(0);
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        var d = BareCatch(trace.Writer);
        trace.Attempt("throw GeneratorExit", () => d.Throw(new GeneratorExitException()));
        trace.Print(Trace.State(d.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def bare_catch():
                errors = 0
                while True:
                    try:
                        x = (yield)
                        print(f"100 / {x} = {100 // x}")
                    except Exception:
                        errors += 1
                        print(f"error #{errors}, carrying on")
                    finally:
                        print("finally")
            c = bare_catch()
            c.send(4)
            c.send(0)
            attempt("close", lambda: c.close())
            print(state(c))
            d = bare_catch()
            attempt("throw GeneratorExit", lambda: d.throw(GeneratorExit()))
            print(state(d))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void BareCatchWithFilter(Inbox<int> inbox, Func<bool> retry, TextWriter log)
    {
        while (true)
        {
            try
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
            catch when (retry())
            {
                log.WriteLine("retrying");
            }
        }
    }

    [Fact]
    public static void Bare_catch_with_a_filter_does_not_catch_GeneratorExit_even_when_the_filter_is_true()
    {
        var trace = new Trace();
        var c = BareCatchWithFilter(() => true, trace.Writer);
        c.Throw(new ValueError("transient"));
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        var d = BareCatchWithFilter(() => true, trace.Writer);
        trace.Attempt("throw GeneratorExit", () => d.Throw(new GeneratorExitException()));
        trace.Print(Trace.State(d.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def bare_catch_with_filter(retry):
                while True:
                    try:
                        print(f"got {(yield)}")
                    except Exception:
                        if not retry(): raise
                        print("retrying")
            c = bare_catch_with_filter(lambda: True)
            c.throw(ValueError("transient"))
            attempt("close", lambda: c.close())
            print(state(c))
            d = bare_catch_with_filter(lambda: True)
            attempt("throw GeneratorExit", lambda: d.throw(GeneratorExit()))
            print(state(d))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ catch (Exception e) when (...)

    [Coroutine]
    internal static void Filtered(Inbox<string> inbox, Func<Exception, bool> shouldHandle, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    log.WriteLine($"got {inbox.Receive()}");
                }
                catch (Exception e) when (shouldHandle(e))
                {
                    log.WriteLine($"handled {e.Message}");
                }
                finally
                {
                    log.WriteLine("finally");
                }
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("outer catch (GeneratorExitException)");
        }
    }

    [Fact]
    public static void Catch_Exception_with_a_filter_does_not_catch_GeneratorExit_and_the_filter_never_sees_it()
    {
        var trace = new Trace();
        var c = Filtered(e => { trace.Print($"filter sees {e.GetType().Name}"); return true; }, trace.Writer);
        trace.Attempt("throw", () => c.Throw(new ValueError("minor")));
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def filtered(should_handle):
                try:
                    while True:
                        try:
                            print(f"got {(yield)}")
                        except Exception as e:
                            if not should_handle(e): raise
                            print(f"handled {e}")
                        finally:
                            print("finally")
                except GeneratorExit:
                    print("outer catch (GeneratorExitException)")
            def should_handle(e):
                print(f"filter sees {type(e).__name__}")
                return True
            c = filtered(should_handle)
            attempt("throw", lambda: c.throw(ValueError("minor")))
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ only a clause naming GeneratorExitException

    [Coroutine]
    internal static void BothClauses(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("catch (GeneratorExitException)");
        }
        catch (Exception e)
        {
            log.WriteLine($"catch (Exception): {e.Message}");
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Only_the_clause_naming_GeneratorExitException_catches_it()
    {
        var trace = new Trace();
        var closed = BothClauses(trace.Writer);
        trace.Attempt("close", () => closed.Close());
        trace.Print(Trace.State(closed.State));
        var thrown = BothClauses(trace.Writer);
        trace.Attempt("throw", () => thrown.Throw(new TypeError("ordinary")));
        trace.Print(Trace.State(thrown.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def both_clauses():
                try:
                    while True:
                        print(f"got {(yield)}")
                except GeneratorExit:
                    print("catch (GeneratorExitException)")
                except Exception as e:
                    print(f"catch (Exception): {e}")
                finally:
                    print("finally")
            closed = both_clauses()
            attempt("close", lambda: closed.close())
            print(state(closed))
            thrown = both_clauses()
            attempt("throw", lambda: thrown.throw(TypeError("ordinary")))
            print(state(thrown))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void InnerCatchAll(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    log.WriteLine($"got {inbox.Receive()}");
                }
                catch (Exception e)
                {
                    log.WriteLine($"inner catch (Exception): {e.Message}");
                }
                finally
                {
                    log.WriteLine("inner finally");
                }
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("outer catch (GeneratorExitException)");
        }
    }

    [Fact]
    public static void GeneratorExit_passes_an_inner_catch_Exception_and_reaches_an_outer_clause_naming_it()
    {
        var trace = new Trace();
        var c = InnerCatchAll(trace.Writer);
        c.Throw(new ValueError("ordinary"));
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def inner_catch_all():
                try:
                    while True:
                        try:
                            print(f"got {(yield)}")
                        except Exception as e:
                            print(f"inner catch (Exception): {e}")
                        finally:
                            print("inner finally")
                except GeneratorExit:
                    print("outer catch (GeneratorExitException)")
            c = inner_catch_all()
            c.throw(ValueError("ordinary"))
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void RetryingWorker(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    log.WriteLine($"got {inbox.Receive()}");
                }
                catch (Exception e)
                {
                    log.WriteLine($"{e.Message}: waiting before retrying");
                    inbox.Receive();
                    log.WriteLine("retrying");
                }
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("catch (GeneratorExitException)");
        }
    }

    private const string PythonRetryingWorker = """
        @coroutine
        def retrying_worker():
            try:
                while True:
                    try:
                        print(f"got {(yield)}")
                    except Exception as e:
                        print(f"{e}: waiting before retrying")
                        yield
                        print("retrying")
            except GeneratorExit:
                print("catch (GeneratorExitException)")

        """;

    [Fact]
    public static void Catch_Exception_whose_body_receives_does_not_catch_GeneratorExit()
    {
        var trace = new Trace();
        var c = RetryingWorker(trace.Writer);
        c.Send("a");
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        var d = RetryingWorker(trace.Writer);
        trace.Attempt("throw GeneratorExit", () => d.Throw(new GeneratorExitException()));
        trace.Print(Trace.State(d.State));

        PythonTwin.AssertSameTrace(PythonRetryingWorker + """
            c = retrying_worker()
            c.send("a")
            attempt("close", lambda: c.close())
            print(state(c))
            d = retrying_worker()
            attempt("throw GeneratorExit", lambda: d.throw(GeneratorExit()))
            print(state(d))
            """, trace.Lines);
    }

    [Fact]
    public static void Close_while_parked_inside_a_catch_Exception_body_reaches_the_clause_naming_GeneratorExit()
    {
        var trace = new Trace();
        var c = RetryingWorker(trace.Writer);
        trace.Attempt("throw", () => c.Throw(new ValueError("timeout")));
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace(PythonRetryingWorker + """
            c = retrying_worker()
            attempt("throw", lambda: c.throw(ValueError("timeout")))
            attempt("close", lambda: c.close())
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ a GeneratorExitException not from Close

    [Fact]
    public static void GeneratorExit_thrown_in_with_Throw_is_not_caught_by_catch_Exception_and_propagates()
    {
        var trace = new Trace();
        var c = CatchAll(trace.Writer);
        trace.Attempt("throw GeneratorExit", () => c.Throw(new GeneratorExitException()));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def catch_all():
                try:
                    while True:
                        print(f"got {(yield)}")
                except Exception as e:
                    print(f"catch (Exception): {e}")
                finally:
                    print("finally")
                print("after the try")
                while True:
                    print(f"later got {(yield)}")
            c = catch_all()
            attempt("throw GeneratorExit", lambda: c.throw(GeneratorExit()))
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void GeneratorExit_thrown_in_with_Throw_and_caught_by_its_clause_is_ordinary_for_Throw()
    {
        var trace = new Trace();
        var c = InnerCatchAll(trace.Writer);
        trace.Attempt("throw GeneratorExit", () => c.Throw(new GeneratorExitException()));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def inner_catch_all():
                try:
                    while True:
                        try:
                            print(f"got {(yield)}")
                        except Exception as e:
                            print(f"inner catch (Exception): {e}")
                        finally:
                            print("inner finally")
                except GeneratorExit:
                    print("outer catch (GeneratorExitException)")
            c = inner_catch_all()
            attempt("throw GeneratorExit", lambda: c.throw(GeneratorExit()))
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Worker(Inbox<string> inbox, Action<string> handle, TextWriter log)
    {
        while (true)
        {
            try
            {
                string job = inbox.Receive();
                handle(job);
                log.WriteLine($"done {job}");
            }
            catch (Exception e)
            {
                log.WriteLine($"job failed: {e.Message}");
            }
        }
    }

    [Fact]
    public static void GeneratorExit_raised_by_code_the_body_calls_is_not_caught_by_catch_Exception()
    {
        var trace = new Trace();
        var c = Worker(job =>
        {
            if (job == "bad") throw new ValueError("bad job");
            if (job == "exit") throw new GeneratorExitException();
        }, trace.Writer);
        c.Send("good");
        c.Send("bad");
        trace.Attempt("send exit", () => c.Send("exit"));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def worker(handle):
                while True:
                    try:
                        job = (yield)
                        handle(job)
                        print(f"done {job}")
                    except Exception as e:
                        print(f"job failed: {e}")
            def handle(job):
                if job == "bad": raise ValueError("bad job")
                if job == "exit": raise GeneratorExit()
            c = worker(handle)
            c.send("good")
            c.send("bad")
            attempt("send exit", lambda: c.send("exit"))
            print(state(c))
            """, trace.Lines);
    }
}
