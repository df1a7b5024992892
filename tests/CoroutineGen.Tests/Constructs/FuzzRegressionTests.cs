using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Generator bugs the differential fuzzer found (docs/contributing/fuzzing.md), each as the smallest template that
/// showed it, driven against its Python twin: locals read in a try before its suspension point, catch-alls nested
/// in catch-alls, a <c>return</c> before a <c>using</c> declaration in a block that does not suspend, a compound
/// assignment whose right side assigns its target, a <c>using</c> declaration in a finally that suspends, and a
/// <c>throw;</c> in a GeneratorExit handler reached by <c>Close()</c>.
/// </summary>
public static partial class FuzzRegressionTests
{
    internal sealed class Resource : IDisposable
    {
        private readonly Trace _t;
        private readonly string _name;

        public Resource(Trace t, string name)
        {
            _t = t;
            _name = name;
            t.Print($"open {name}");
        }

        public void Dispose() => _t.Print($"dispose {_name}");
    }

    private const string ResourceTwin = """
        class Resource:
            def __init__(self, name):
                self.name = name
                print(f"open {name}")
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                print(f"dispose {self.name}")
                return False
        """;

    // unassigned-local-in-try: `a` is only read before the receives, so it is not live at any resume point; the
    // dispatch still reaches the try through its entry label, past `int a = 1` (C#'s CS0165 in the generated code).
    // The same for `b`, declared in the outer try and read in the inner one, for `mode`, read by the handler's
    // nested try, and for the exception a moved catch keeps for the `throw;` of its nested try.
    [Coroutine]
    internal static void LocalsReadInTryBeforeItsReceive(Inbox<string> inbox, Trace t)
    {
        int a = 1;
        try
        {
            t.Print($"a={a}");
            var mode = inbox.Receive();
            int b = 2;
            try
            {
                t.Print($"b={b}");
                t.Print("inner got " + inbox.Receive());
                if (mode == "raise")
                {
                    throw new ValueError(mode);
                }
            }
            catch (ValueError)
            {
                try
                {
                    if (mode == "raise")
                    {
                        throw;
                    }

                    t.Print("handler got " + inbox.Receive());
                }
                finally
                {
                    t.Print("handler finally");
                }
            }
            finally
            {
                t.Print("inner finally");
            }
        }
        catch (Exception e)
        {
            t.Print("caught " + e.Message);
        }
        finally
        {
            t.Print("finally");
        }
    }

    private const string LocalsReadInTryBeforeItsReceiveTwin = """
        def locals_read():
            a = 1
            try:
                print(f"a={a}")
                mode = (yield)
                b = 2
                try:
                    print(f"b={b}")
                    print("inner got " + (yield))
                    if mode == "raise":
                        raise ValueError(mode)
                except ValueError:
                    try:
                        if mode == "raise":
                            raise
                        print("handler got " + (yield))
                    finally:
                        print("handler finally")
                finally:
                    print("inner finally")
            except Exception as e:
                print(f"caught {e}")
            finally:
                print("finally")
        script(locals_read, ["send:keep", "send:x"])
        script(locals_read, ["send:raise", "send:x"])
        script(locals_read, ["send:keep", "throw:ValueError:v", "send:y"])
        script(locals_read, ["send:keep", "throw:ValueError:v", "throw:TypeError:t"])
        script(locals_read, ["throw:TypeError:t"])
        script(locals_read, ["send:keep", "close"])
        """;

    [Fact]
    public static void Locals_read_in_a_try_before_its_receive_match_CPython()
    {
        var trace = new Trace();
        Drive.Script(trace, () => LocalsReadInTryBeforeItsReceive(trace), "send:keep", "send:x");
        Drive.Script(trace, () => LocalsReadInTryBeforeItsReceive(trace), "send:raise", "send:x");
        Drive.Script(trace, () => LocalsReadInTryBeforeItsReceive(trace), "send:keep", "throw:ValueError:v", "send:y");
        Drive.Script(trace, () => LocalsReadInTryBeforeItsReceive(trace), "send:keep", "throw:ValueError:v", "throw:TypeError:t");
        Drive.Script(trace, () => LocalsReadInTryBeforeItsReceive(trace), "throw:TypeError:t");
        Drive.Script(trace, () => LocalsReadInTryBeforeItsReceive(trace), "send:keep", "close");
        Drive.AssertPython(ResourceTwin + "\n" + LocalsReadInTryBeforeItsReceiveTwin, trace);
    }

    // nested-catch-all-exception-name: both catch-alls get the GeneratorExit filter, and each needs a variable for it;
    // the inner one's must not shadow the outer one's (CS0136).
    [Coroutine]
    internal static void NestedCatchAlls(Inbox<string> inbox, Trace t)
    {
        var x = inbox.Receive();
        try
        {
            t.Print("try " + x);
            throw new ValueError(x);
        }
        catch (Exception)
        {
            try
            {
                t.Print("inner");
                throw new TypeError("inner " + x);
            }
            catch
            {
                try
                {
                    t.Print("innermost");
                    throw new ValueError("innermost");
                }
                catch (Exception)
                {
                    t.Print("innermost catch");
                }
            }
        }

        t.Print("after " + inbox.Receive());
    }

    private const string NestedCatchAllsTwin = """
        def nested_catch_alls():
            x = (yield)
            try:
                print("try " + x)
                raise ValueError(x)
            except Exception:
                try:
                    print("inner")
                    raise TypeError("inner " + x)
                except Exception:
                    try:
                        print("innermost")
                        raise ValueError("innermost")
                    except Exception:
                        print("innermost catch")
            print("after " + (yield))
        script(nested_catch_alls, ["send:a", "send:b"])
        script(nested_catch_alls, ["send:a", "close"])
        """;

    [Fact]
    public static void Nested_catch_alls_match_CPython()
    {
        var trace = new Trace();
        Drive.Script(trace, () => NestedCatchAlls(trace), "send:a", "send:b");
        Drive.Script(trace, () => NestedCatchAlls(trace), "send:a", "close");
        Drive.AssertPython(NestedCatchAllsTwin, trace);
    }

    // goto-past-using-declaration: the `return` and `break` of a block that does not suspend become gotos, and C#
    // rejects a goto before a `using` declaration of its block that jumps to a label after it (CS8648).
    [Coroutine]
    internal static void JumpsBeforeUsingDeclaration(Inbox<string> inbox, Trace t)
    {
        while (true)
        {
            var x = inbox.Receive();
            {
                if (x == "return")
                {
                    return;
                }

                if (x == "break")
                {
                    break;
                }

                using var r = new Resource(t, x);
                if (x == "late")
                {
                    return;
                }

                t.Print("using " + x);
            }
        }

        t.Print("after loop " + inbox.Receive());
    }

    private const string JumpsBeforeUsingDeclarationTwin = """
        def jumps():
            while True:
                x = (yield)
                if x == "return":
                    return
                if x == "break":
                    break
                with Resource(x):
                    if x == "late":
                        return
                    print("using " + x)
            print("after loop " + (yield))
        script(jumps, ["send:a", "send:return", "send:b"])
        script(jumps, ["send:a", "send:break", "send:b"])
        script(jumps, ["send:late", "send:b"])
        """;

    [Fact]
    public static void Jumps_before_a_using_declaration_match_CPython()
    {
        var trace = new Trace();
        Drive.Script(trace, () => JumpsBeforeUsingDeclaration(trace), "send:a", "send:return", "send:b");
        Drive.Script(trace, () => JumpsBeforeUsingDeclaration(trace), "send:a", "send:break", "send:b");
        Drive.Script(trace, () => JumpsBeforeUsingDeclaration(trace), "send:late", "send:b");
        Drive.AssertPython(ResourceTwin + "\n" + JumpsBeforeUsingDeclarationTwin, trace);
    }

    // compound-assignment-target-read-after-spill: C# reads the target of `a += e` before evaluating e, so the
    // assignment inside e does not count (a = 1 + (10 + v)). Reading the target first, `x -= v + y` must still
    // subtract the whole value (it was lowered to `x = (int)(old - v + y)`).
    [Coroutine]
    internal static void CompoundAssignmentWhoseValueAssignsItsTarget(Inbox<int> inbox, Trace t, int[] array)
    {
        int a = 1;
        a += (a = 10) + inbox.Receive();
        t.Print($"a={a}");
        int b = 1;
        b *= b++ + inbox.Receive();
        t.Print($"b={b}");
        int c = 5;
        c -= inbox.Receive() + c;
        t.Print($"c={c}");
        array[0] -= inbox.Receive() + 1;
        t.Print($"array={array[0]}");
    }

    private const string CompoundAssignmentWhoseValueAssignsItsTargetTwin = """
        def compound():
            a = 1
            a = a + ((a := 10) + (yield))
            print(f"a={a}")
            b = 1
            b = b * (((b := b + 1) - 1) + (yield))
            print(f"b={b}")
            c = 5
            c = c - ((yield) + c)
            print(f"c={c}")
            array[0] -= (yield) + 1
            print(f"array={array[0]}")
        array = [20]
        drive(compound(), [3, 4, 2, 5])
        """;

    [Fact]
    public static void A_compound_assignment_reads_its_target_before_its_value_as_CPython_does()
    {
        var trace = new Trace();
        Drive.Coroutine(trace, () => CompoundAssignmentWhoseValueAssignsItsTarget(trace, [20]), 3, 4, 2, 5);
        Drive.AssertPython(CompoundAssignmentWhoseValueAssignsItsTargetTwin, trace);
    }

    [Fact]
    public static void A_compound_assignment_whose_value_assigns_its_target_matches_the_ordinary_method()
    {
        var plain = new Trace();
        Drive.Plain<int>(plain, receive =>
        {
            var t = plain;
            int a = 1;
            a += (a = 10) + receive();
            t.Print($"a={a}");
            int b = 1;
            b *= b++ + receive();
            t.Print($"b={b}");
            int c = 5;
            c -= receive() + c;
            t.Print($"c={c}");
            int[] array = [20];
            array[0] -= receive() + 1;
            t.Print($"array={array[0]}");
        }, 3, 4, 2, 5);
        var coroutine = new Trace();
        Drive.Coroutine(coroutine, () => CompoundAssignmentWhoseValueAssignsItsTarget(coroutine, [20]), 3, 4, 2, 5);
        Drive.AssertSame(plain, coroutine);
    }

    // using-declaration-in-suspending-finally: the `using` declaration after the finally's receive lowers to a try
    // whose body is empty; the exception that entered the finally must still be rethrown when it ends.
    [Coroutine]
    internal static void UsingDeclarationInSuspendingFinally(Inbox<string> inbox, Trace t)
    {
        try
        {
            t.Print("got " + inbox.Receive());
        }
        finally
        {
            t.Print("finally");
            var y = inbox.Receive();
            t.Print("finally got " + y);
            if (y == "nested")
            {
                using var inner = new Resource(t, "inner");
            }

            using var r = new Resource(t, "r");
        }

        t.Print("after " + inbox.Receive());
    }

    private const string UsingDeclarationInSuspendingFinallyTwin = """
        def using_in_finally():
            try:
                print("got " + (yield))
            finally:
                print("finally")
                y = (yield)
                print("finally got " + y)
                if y == "nested":
                    with Resource("inner"):
                        pass
                with Resource("r"):
                    pass
            print("after " + (yield))
        script(using_in_finally, ["throw:ValueError:v", "send:x"])
        script(using_in_finally, ["throw:ValueError:v", "send:nested"])
        script(using_in_finally, ["send:a", "send:b", "send:c"])
        script(using_in_finally, ["send:a", "send:nested", "close"])
        """;

    [Fact]
    public static void A_using_declaration_in_a_finally_that_receives_keeps_the_pending_exception_as_CPython_does()
    {
        var trace = new Trace();
        Drive.Script(trace, () => UsingDeclarationInSuspendingFinally(trace), "throw:ValueError:v", "send:x");
        Drive.Script(trace, () => UsingDeclarationInSuspendingFinally(trace), "throw:ValueError:v", "send:nested");
        Drive.Script(trace, () => UsingDeclarationInSuspendingFinally(trace), "send:a", "send:b", "send:c");
        Drive.Script(trace, () => UsingDeclarationInSuspendingFinally(trace), "send:a", "send:nested", "close");
        Drive.AssertPython(ResourceTwin + "\n" + UsingDeclarationInSuspendingFinallyTwin, trace);
    }

    // The same with the `using` declaration deeper, in an `if`: the code compiled, and the exception was dropped.
    [Coroutine]
    internal static void UsingDeclarationInAnIfOfASuspendingFinally(Inbox<string> inbox, Trace t)
    {
        try
        {
            t.Print("got " + inbox.Receive());
        }
        finally
        {
            var y = inbox.Receive();
            if (y == "use")
            {
                using var r = new Resource(t, "r");
            }
        }

        t.Print("after " + inbox.Receive());
    }

    private const string UsingDeclarationInAnIfOfASuspendingFinallyTwin = """
        def using_in_if():
            try:
                print("got " + (yield))
            finally:
                y = (yield)
                if y == "use":
                    with Resource("r"):
                        pass
            print("after " + (yield))
        script(using_in_if, ["throw:ValueError:v", "send:use"])
        script(using_in_if, ["throw:ValueError:v", "send:x"])
        script(using_in_if, ["send:a", "send:use", "send:c"])
        """;

    [Fact]
    public static void A_using_declaration_in_an_if_of_a_finally_that_receives_keeps_the_pending_exception_as_CPython_does()
    {
        var trace = new Trace();
        Drive.Script(trace, () => UsingDeclarationInAnIfOfASuspendingFinally(trace), "throw:ValueError:v", "send:use");
        Drive.Script(trace, () => UsingDeclarationInAnIfOfASuspendingFinally(trace), "throw:ValueError:v", "send:x");
        Drive.Script(trace, () => UsingDeclarationInAnIfOfASuspendingFinally(trace), "send:a", "send:use", "send:c");
        Drive.AssertPython(ResourceTwin + "\n" + UsingDeclarationInAnIfOfASuspendingFinallyTwin, trace);
    }

    // close-rethrow-in-generatorexit-handler: Close() reaches the handler without throwing (no user code can see the
    // exception object); its `throw;` must end the coroutine as a closed one, as CPython's close() does.
    [Coroutine]
    internal static void GeneratorExitHandlerRethrows(Inbox<string> inbox, Trace t)
    {
        try
        {
            t.Print("got " + inbox.Receive());
            t.Print("got " + inbox.Receive());
        }
        catch (GeneratorExitException)
        {
            t.Print("closing");
            throw;
        }
    }

    private const string GeneratorExitHandlerRethrowsTwin = """
        def rethrows():
            try:
                print("got " + (yield))
                print("got " + (yield))
            except GeneratorExit:
                print("closing")
                raise
        script(rethrows, ["close", "close", "send:x"])
        script(rethrows, ["send:a", "close"])
        """;

    [Fact]
    public static void A_GeneratorExit_handler_that_rethrows_closes_as_CPython_does()
    {
        var trace = new Trace();
        Drive.Script(trace, () => GeneratorExitHandlerRethrows(trace), "close", "close", "send:x");
        Drive.Script(trace, () => GeneratorExitHandlerRethrows(trace), "send:a", "close");
        Drive.AssertPython(GeneratorExitHandlerRethrowsTwin, trace);
    }

    // return-replaced-by-a-finally's-throw (found by the async fuzzer, seed 12270, but not async): the return records
    // itself as the pending branch of the outer try, whose finally suspends, before the inner finally throws; the
    // outer catch handles the exception and falls into the suspending finally, which then still took the return.
    [Coroutine]
    internal static void ReturnReplacedByAFinallysThrow(Inbox<string> inbox, Trace t)
    {
        for (int i = 0; i < 2; i++)
        {
            try
            {
                try
                {
                    if (i == 0)
                    {
                        return;
                    }

                    t.Print("body " + i);
                }
                finally
                {
                    throw new ValueError("f" + i);
                }
            }
            catch (ValueError e)
            {
                t.Print("caught " + e.Message);
            }
            finally
            {
                t.Print("got " + inbox.Receive());
            }
        }

        t.Print("end " + inbox.Receive());
    }

    private const string ReturnReplacedByAFinallysThrowTwin = """
        def return_replaced():
            for i in range(2):
                try:
                    try:
                        if i == 0:
                            return
                        print("body " + str(i))
                    finally:
                        raise ValueError("f" + str(i))
                except ValueError as e:
                    print("caught " + str(e))
                finally:
                    print("got " + (yield))
            print("end " + (yield))
        script(return_replaced, ["send:a", "send:b", "send:c", "send:d"])
        script(return_replaced, ["send:a", "close"])
        """;

    [Fact]
    public static void A_return_replaced_by_an_exception_from_a_finally_is_forgotten_as_CPython_forgets_it()
    {
        var trace = new Trace();
        Drive.Script(trace, () => ReturnReplacedByAFinallysThrow(trace), "send:a", "send:b", "send:c", "send:d");
        Drive.Script(trace, () => ReturnReplacedByAFinallysThrow(trace), "send:a", "close");
        Drive.AssertPython(ReturnReplacedByAFinallysThrowTwin, trace);
    }
}
