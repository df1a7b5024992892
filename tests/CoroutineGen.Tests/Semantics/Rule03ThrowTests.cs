using System.Runtime.CompilerServices;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 3 of docs/semantics.md, Throw: <c>Throw(e)</c> raises <c>e</c> at the suspension point. Caught and suspended again:
/// <c>Throw</c> returns normally; caught and finished: <see cref="StopIterationException"/>; uncaught:
/// <c>e</c> propagates with its stack trace and the coroutine is finished; on a finished coroutine <c>Throw</c>
/// throws <c>e</c> itself and runs nothing. Each test is checked against its Python twin.
/// </summary>
public static partial class Rule03ThrowTests
{
    // ------------------------------------------------------------------ caught, then suspended again

    [Coroutine]
    internal static void Tolerant(Inbox<int> inbox, TextWriter log)
    {
        while (true)
        {
            try
            {
                int x = inbox.Receive();
                log.WriteLine($"got {x}");
            }
            catch (ValueError e)
            {
                log.WriteLine($"handled {e.Message}");
            }
            finally
            {
                log.WriteLine("finally");
            }
        }
    }

    [Fact]
    public static void Throw_caught_by_the_body_that_suspends_again_returns_normally()
    {
        var trace = new Trace();
        var c = Tolerant(trace.Writer);
        c.Send(1);
        trace.Attempt("throw", () => c.Throw(new ValueError("bad input")));
        trace.Print(Trace.State(c.State));
        c.Send(2);
        c.Close();

        PythonTwin.AssertSameTrace("""
            @coroutine
            def tolerant():
                while True:
                    try:
                        x = (yield)
                        print(f"got {x}")
                    except ValueError as e:
                        print(f"handled {e}")
                    finally:
                        print("finally")
            c = tolerant()
            c.send(1)
            attempt("throw", lambda: c.throw(ValueError("bad input")))
            print(state(c))
            c.send(2)
            c.close()
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Inspecting(Inbox<string> inbox, Action<Exception> seen, TextWriter log)
    {
        while (true)
        {
            try
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
            catch (Exception e)
            {
                seen(e);
                log.WriteLine($"caught {e.GetType().Name}: {e.Message}");
            }
        }
    }

    [Fact]
    public static void Body_catches_the_very_exception_object_that_was_thrown_in()
    {
        var trace = new Trace();
        var injected = new TypeError("wrong type");
        var c = Inspecting(e => trace.Print($"same object: {Trace.Format(ReferenceEquals(e, injected))}"), trace.Writer);
        c.Throw(injected);
        c.Send("after");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def inspecting(seen):
                while True:
                    try:
                        print(f"got {(yield)}")
                    except Exception as e:
                        seen(e)
                        print(f"caught {type(e).__name__}: {e}")
            injected = TypeError("wrong type")
            c = inspecting(lambda e: print(f"same object: {e is injected}"))
            c.throw(injected)
            c.send("after")
            """, trace.Lines);
    }

    [Coroutine]
    internal static void TwoPhases(Inbox<string> inbox, TextWriter log)
    {
        string header;
        try
        {
            header = inbox.Receive();
        }
        catch (ValueError)
        {
            log.WriteLine("phase 1 handler");
            header = "default header";
        }

        log.WriteLine($"header: {header}");
        while (true)
        {
            try
            {
                string body = inbox.Receive();
                log.WriteLine($"body: {body}");
            }
            catch (ValueError)
            {
                log.WriteLine("phase 2 handler");
            }
        }
    }

    [Fact]
    public static void Throw_is_raised_at_the_current_suspension_point()
    {
        var trace = new Trace();
        var c = TwoPhases(trace.Writer);
        c.Throw(new ValueError("no header"));
        c.Send("x");
        c.Throw(new ValueError("bad body"));
        c.Send("y");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def two_phases():
                try:
                    header = (yield)
                except ValueError:
                    print("phase 1 handler")
                    header = "default header"
                print(f"header: {header}")
                while True:
                    try:
                        body = (yield)
                        print(f"body: {body}")
                    except ValueError:
                        print("phase 2 handler")
            c = two_phases()
            c.throw(ValueError("no header"))
            c.send("x")
            c.throw(ValueError("bad body"))
            c.send("y")
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Correcting(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    log.WriteLine($"got {inbox.Receive()}");
                }
                catch (ValueError e) when (e.Message.StartsWith("retry"))
                {
                    log.WriteLine($"{e.Message}: waiting for a correction");
                    string fix = inbox.Receive();
                    log.WriteLine($"corrected with {fix} after {e.Message}");
                }
                finally
                {
                    log.WriteLine("inner finally");
                }
            }
        }
        finally
        {
            log.WriteLine("outer finally");
        }
    }

    private const string PythonCorrecting = """
        @coroutine
        def correcting():
            try:
                while True:
                    try:
                        print(f"got {(yield)}")
                    except ValueError as e:
                        if not str(e).startswith("retry"): raise
                        print(f"{e}: waiting for a correction")
                        fix = (yield)
                        print(f"corrected with {fix} after {e}")
                    finally:
                        print("inner finally")
            finally:
                print("outer finally")

        """;

    [Fact]
    public static void Throw_caught_by_a_handler_that_receives_returns_normally_and_Send_resumes_the_handler()
    {
        var trace = new Trace();
        var c = Correcting(trace.Writer);
        trace.Attempt("throw", () => c.Throw(new ValueError("retry 1")));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send fix", () => c.Send("fix"));
        trace.Attempt("send next", () => c.Send("next"));
        c.Close();

        PythonTwin.AssertSameTrace(PythonCorrecting + """
            c = correcting()
            attempt("throw", lambda: c.throw(ValueError("retry 1")))
            print(state(c))
            attempt("send fix", lambda: c.send("fix"))
            attempt("send next", lambda: c.send("next"))
            c.close()
            """, trace.Lines);
    }

    [Fact]
    public static void Throw_while_suspended_in_a_handler_raises_there_and_unwinds_the_finally_blocks()
    {
        var trace = new Trace();
        var c = Correcting(trace.Writer);
        trace.Attempt("throw", () => c.Throw(new ValueError("retry 1")));
        trace.Attempt("throw again", () => c.Throw(new ValueError("retry 2")));
        trace.Print(Trace.State(c.State));
        trace.Attempt("throw not retry", () => c.Throw(new ValueError("other")));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace(PythonCorrecting + """
            c = correcting()
            attempt("throw", lambda: c.throw(ValueError("retry 1")))
            attempt("throw again", lambda: c.throw(ValueError("retry 2")))
            print(state(c))
            attempt("throw not retry", lambda: c.throw(ValueError("other")))
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void AskBeforeRethrow(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            try
            {
                log.WriteLine($"got {inbox.Receive()}");
            }
            catch (ValueError)
            {
                log.WriteLine("rethrow?");
                string answer = inbox.Receive();
                if (answer == "yes") throw;
                log.WriteLine("swallowed");
            }
        }
    }

    [Fact]
    public static void Rethrow_after_the_handler_received_throws_the_same_exception_object()
    {
        var trace = new Trace();
        var c = AskBeforeRethrow(trace.Writer);
        c.Throw(new ValueError("first"));
        c.Send("no");
        var boom = new ValueError("second");
        c.Throw(boom);
        try
        {
            c.Send("yes");
            trace.Print("send yes: ok");
        }
        catch (Exception e)
        {
            trace.Print($"send yes: {Trace.Describe(e)}");
            trace.Print($"same object: {Trace.Format(ReferenceEquals(e, boom))}");
        }

        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def ask_before_rethrow():
                while True:
                    try:
                        print(f"got {(yield)}")
                    except ValueError:
                        print("rethrow?")
                        answer = (yield)
                        if answer == "yes": raise
                        print("swallowed")
            c = ask_before_rethrow()
            c.throw(ValueError("first"))
            c.send("no")
            boom = ValueError("second")
            c.throw(boom)
            try:
                c.send("yes")
                print("send yes: ok")
            except Exception as e:
                print(f"send yes: {describe(e)}")
                print(f"same object: {e is boom}")
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ caught, then finished

    [Coroutine]
    internal static void StopsOnError(Inbox<int> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                log.WriteLine($"got {x}");
            }
        }
        catch (ValueError e)
        {
            log.WriteLine($"stopping: {e.Message}");
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    [Fact]
    public static void Throw_caught_by_the_body_that_then_finishes_throws_StopIteration()
    {
        var trace = new Trace();
        var c = StopsOnError(trace.Writer);
        c.Send(1);
        trace.Attempt("throw", () => c.Throw(new ValueError("fatal")));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send", () => c.Send(2));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def stops_on_error():
                try:
                    while True:
                        x = (yield)
                        print(f"got {x}")
                except ValueError as e:
                    print(f"stopping: {e}")
                finally:
                    print("finally")
            c = stops_on_error()
            c.send(1)
            attempt("throw", lambda: c.throw(ValueError("fatal")))
            print(state(c))
            attempt("send", lambda: c.send(2))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void ReturnsFromHandler(Inbox<int> inbox, TextWriter log)
    {
        while (true)
        {
            try
            {
                int x = inbox.Receive();
                log.WriteLine($"got {x}");
            }
            catch (ValueError)
            {
                log.WriteLine("returning from handler");
                return;
            }
        }
    }

    [Fact]
    public static void Throw_caught_by_a_handler_that_returns_throws_StopIteration()
    {
        var trace = new Trace();
        var c = ReturnsFromHandler(trace.Writer);
        trace.Attempt("throw", () => c.Throw(new ValueError("quit")));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def returns_from_handler():
                while True:
                    try:
                        x = (yield)
                        print(f"got {x}")
                    except ValueError:
                        print("returning from handler")
                        return
            c = returns_from_handler()
            attempt("throw", lambda: c.throw(ValueError("quit")))
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ uncaught

    [Fact]
    public static void Throw_not_caught_propagates_the_same_exception_and_finishes_the_coroutine()
    {
        var trace = new Trace();
        var c = StopsOnError(trace.Writer);
        var injected = new TypeError("not handled here");
        try
        {
            c.Throw(injected);
            trace.Print("throw: ok");
        }
        catch (Exception e)
        {
            trace.Print($"throw: {Trace.Describe(e)}");
            trace.Print($"same object: {Trace.Format(ReferenceEquals(e, injected))}");
        }

        trace.Print(Trace.State(c.State));
        trace.Attempt("send", () => c.Send(1));
        trace.Attempt("close", () => c.Close());

        PythonTwin.AssertSameTrace("""
            @coroutine
            def stops_on_error():
                try:
                    while True:
                        x = (yield)
                        print(f"got {x}")
                except ValueError as e:
                    print(f"stopping: {e}")
                finally:
                    print("finally")
            c = stops_on_error()
            injected = TypeError("not handled here")
            try:
                c.throw(injected)
                print("throw: ok")
            except Exception as e:
                print(f"throw: {describe(e)}")
                print(f"same object: {e is injected}")
            print(state(c))
            attempt("send", lambda: c.send(1))
            attempt("close", lambda: c.close())
            """, trace.Lines);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailOriginally() => throw new ValueError("original failure");

    [Coroutine]
    internal static void Passive(Inbox<int> inbox, TextWriter log)
    {
        while (true)
        {
            log.WriteLine($"got {inbox.Receive()}");
        }
    }

    [Fact]
    public static void Throw_not_caught_keeps_the_stack_trace_the_exception_already_had()
    {
        var trace = new Trace();
        var c = Passive(trace.Writer);
        Exception failure;
        try
        {
            FailOriginally();
            return;
        }
        catch (ValueError e)
        {
            failure = e;
        }

        try
        {
            c.Throw(failure);
        }
        catch (ValueError e)
        {
            trace.Print(Trace.Describe(e));
            trace.Print($"same object: {Trace.Format(ReferenceEquals(e, failure))}");
            trace.Print($"trace still shows where it was raised: {Trace.Format(e.StackTrace!.Contains(nameof(FailOriginally)))}");
        }

        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            import traceback
            def fail_originally():
                raise ValueError("original failure")
            @coroutine
            def passive():
                while True:
                    print(f"got {(yield)}")
            c = passive()
            try:
                fail_originally()
            except ValueError as e:
                failure = e
            try:
                c.throw(failure)
            except ValueError as e:
                print(describe(e))
                print(f"same object: {e is failure}")
                names = [frame.name for frame in traceback.extract_tb(e.__traceback__)]
                print(f"trace still shows where it was raised: {'fail_originally' in names}")
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Typed(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                try
                {
                    log.WriteLine($"got {inbox.Receive()}");
                }
                catch (ValueError e) when (e.Message.StartsWith("retry"))
                {
                    log.WriteLine($"retrying after {e.Message}");
                }
            }
        }
        catch (TypeError e)
        {
            log.WriteLine($"outer handler: {e.Message}");
            throw new ValueError($"wrapped {e.Message}");
        }
    }

    [Fact]
    public static void Only_matching_handlers_catch_what_Throw_raises()
    {
        var trace = new Trace();
        var c = Typed(trace.Writer);
        trace.Attempt("throw retry", () => c.Throw(new ValueError("retry 1")));
        trace.Attempt("throw type", () => c.Throw(new TypeError("bad type")));
        trace.Print(Trace.State(c.State));

        var d = Typed(trace.Writer);
        trace.Attempt("throw other", () => d.Throw(new ValueError("giving up")));
        trace.Print(Trace.State(d.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def typed():
                try:
                    while True:
                        try:
                            print(f"got {(yield)}")
                        except ValueError as e:
                            if not str(e).startswith("retry"): raise
                            print(f"retrying after {e}")
                except TypeError as e:
                    print(f"outer handler: {e}")
                    raise ValueError(f"wrapped {e}")
            c = typed()
            attempt("throw retry", lambda: c.throw(ValueError("retry 1")))
            attempt("throw type", lambda: c.throw(TypeError("bad type")))
            print(state(c))
            d = typed()
            attempt("throw other", lambda: d.throw(ValueError("giving up")))
            print(state(d))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ on a finished coroutine

    [Fact]
    public static void Throw_on_a_finished_coroutine_throws_the_exception_itself_and_runs_nothing()
    {
        var trace = new Trace();
        var c = StopsOnError(trace.Writer);
        trace.Attempt("finish", () => c.Throw(new ValueError("done")));
        var late = new TypeError("too late");
        try
        {
            c.Throw(late);
            trace.Print("throw: ok");
        }
        catch (Exception e)
        {
            trace.Print($"throw: {Trace.Describe(e)}");
            trace.Print($"same object: {Trace.Format(ReferenceEquals(e, late))}");
        }

        trace.Attempt("throw a ValueError", () => c.Throw(new ValueError("also too late")));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def stops_on_error():
                try:
                    while True:
                        x = (yield)
                        print(f"got {x}")
                except ValueError as e:
                    print(f"stopping: {e}")
                finally:
                    print("finally")
            c = stops_on_error()
            attempt("finish", lambda: c.throw(ValueError("done")))
            late = TypeError("too late")
            try:
                c.throw(late)
                print("throw: ok")
            except Exception as e:
                print(f"throw: {describe(e)}")
                print(f"same object: {e is late}")
            attempt("throw a ValueError", lambda: c.throw(ValueError("also too late")))
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void Throw_on_a_coroutine_closed_by_Close_throws_the_exception_itself()
    {
        var trace = new Trace();
        var c = Tolerant(trace.Writer);
        c.Close();
        trace.Print(Trace.State(c.State));
        trace.Attempt("throw", () => c.Throw(new ValueError("after close")));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def tolerant():
                while True:
                    try:
                        x = (yield)
                        print(f"got {x}")
                    except ValueError as e:
                        print(f"handled {e}")
                    finally:
                        print("finally")
            c = tolerant()
            c.close()
            print(state(c))
            attempt("throw", lambda: c.throw(ValueError("after close")))
            print(state(c))
            """, trace.Lines);
    }
}
