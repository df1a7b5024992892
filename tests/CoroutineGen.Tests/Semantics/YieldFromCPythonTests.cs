using System.Runtime.CompilerServices;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// CPython's own tests of <c>yield from</c> (PEP 380; the <c>test_yield_from</c> module of CPython's test suite,
/// class <c>TestPEP380Operation</c>), ported as twin tests: each C# test is the translation of one CPython test
/// method (named after it), and its Python twin is the CPython case's own generators, printing what the CPython test
/// collects in its trace or asserts, instead of asserting it. docs/contributing/cpython-yield-from.md lists every
/// CPython test method and what became of it.
/// </summary>
/// <remarks>
/// <para>
/// Priming: CPython's generators are fresh (created, not started) when the test calls them, the test drives the
/// outermost one with <c>next()</c> or a <c>for</c> loop, and <c>yield from</c> starts the sub. So the templates are
/// <c>[Coroutine(Prime = false)]</c>: the C# test starts the delegator with <c>Send(default)</c> (<c>next()</c>),
/// and <c>YieldFrom</c> starts the sub. Where a case is about when the sub starts (its initial <c>next()</c>), a
/// second test runs it with a primed sub: the factory, called in the <c>YieldFrom</c> argument, runs the sub to its
/// first yield there, which is where <c>yield from</c> starts a fresh one, so the twin is the same.
/// </para>
/// <para>
/// CPython's templates append to a list <c>trace</c>; here they write to a <see cref="TextWriter"/> parameter named
/// <c>trace</c>, and the twins print. Values are printed with <see cref="Str"/> and <see cref="Repr"/>, Python's
/// <c>%s</c> and <c>%r</c> for the values these tests use (<c>None</c>, ints, strings, tuples, StopIteration).
/// Python's <c>ValueError: generator already executing</c> is <c>InvalidOperationException("coroutine is already
/// running")</c>, <c>RuntimeError: generator ignored GeneratorExit</c> is <c>InvalidOperationException("coroutine
/// ignored GeneratorExit")</c> (semantics.md, "Differences by design"); the prelude's <c>describe</c> prints both
/// alike.
/// </para>
/// <para>
/// Python iterators that are not generators (<c>yield from range(3)</c>, and the test's own iterator classes) are
/// hand-written <see cref="ICoroutine{TIn, TOut}"/> classes with the same behaviour: <see cref="PythonIterator"/>
/// and the classes next to the tests that use them.
/// </para>
/// </remarks>
public static partial class YieldFromCPythonTests
{
    // ------------------------------------------------------------------ test_delegation_of_initial_next_to_subgenerator

    [Coroutine(Prime = false)]
    internal static void InitialNextG1(Inbox<object?, int> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g1");
        inbox.YieldFrom(InitialNextG2(trace));
        trace.WriteLine("Finishing g1");
    }

    [Coroutine(Prime = false)]
    internal static void InitialNextG2(Inbox<object?, int> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g2");
        inbox.Yield(42);
        trace.WriteLine("Finishing g2");
    }

    private const string InitialNextTwin = """
        def g1():
            print("Starting g1")
            yield from g2()
            print("Finishing g1")
        def g2():
            print("Starting g2")
            yield 42
            print("Finishing g2")
        for x in g1():
            print("Yielded %s" % (x,))
        """;

    [Fact]
    public static void Delegation_of_initial_next_to_subgenerator()
    {
        // The sub is created (Prime = false): YieldFrom starts it, as yield from starts a fresh generator.
        var trace = new Trace();
        For(InitialNextG1(trace.Writer), x => trace.Print($"Yielded {x}"));
        PythonTwin.AssertSameTrace(InitialNextTwin, trace.Lines);
    }

    [Coroutine(Prime = false)]
    internal static void InitialNextPrimedG1(Inbox<object?, int> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g1");
        inbox.YieldFrom(InitialNextPrimedG2(trace));
        trace.WriteLine("Finishing g1");
    }

    [Coroutine]
    internal static void InitialNextPrimedG2(Inbox<object?, int> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g2");
        inbox.Yield(42);
        trace.WriteLine("Finishing g2");
    }

    [Fact]
    public static void Delegation_of_initial_next_to_a_primed_subgenerator()
    {
        // The same case with a primed sub: its factory runs it to "yield 42" inside the YieldFrom argument; YieldFrom
        // sends it nothing more, and 42 (its Current) is the first value g1 yields. Same twin.
        var trace = new Trace();
        For(InitialNextPrimedG1(trace.Writer), x => trace.Print($"Yielded {x}"));
        PythonTwin.AssertSameTrace(InitialNextTwin, trace.Lines);
    }

    // ------------------------------------------------------------------ test_raising_exception_in_initial_next_call

    [Coroutine(Prime = false)]
    internal static void RaisingInitialG1(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g1");
            inbox.YieldFrom(RaisingInitialG2(trace));
        }
        finally
        {
            trace.WriteLine("Finishing g1");
        }
    }

    /// <summary>
    /// CPython's g2 of this case contains no <c>yield</c>: it is a plain function, which raises when g1 calls it (in
    /// the <c>yield from</c> operand, inside g1's <c>try</c>). So here it is a plain method, not a template.
    /// </summary>
    internal static ICoroutine<object?, string> RaisingInitialG2(TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g2");
            throw new ValueError("spanish inquisition occurred");
        }
        finally
        {
            trace.WriteLine("Finishing g2");
        }
    }

    [Fact]
    public static void Raising_exception_in_initial_next_call()
    {
        var trace = new Trace();
        try
        {
            For(RaisingInitialG1(trace.Writer), x => trace.Print($"Yielded {x}"));
            trace.Print("subgenerator failed to raise ValueError");
        }
        catch (ValueError e)
        {
            trace.Print($"caught ValueError: {e.Message}");
        }

        PythonTwin.AssertSameTrace("""
            def g1():
                try:
                    print("Starting g1")
                    yield from g2()
                finally:
                    print("Finishing g1")
            def g2():
                try:
                    print("Starting g2")
                    raise ValueError("spanish inquisition occurred")
                finally:
                    print("Finishing g2")
            try:
                for x in g1():
                    print("Yielded %s" % (x,))
            except ValueError as e:
                print("caught ValueError: %s" % (e.args[0],))
            else:
                print("subgenerator failed to raise ValueError")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_delegation_of_next_call_to_subgenerator

    [Coroutine(Prime = false)]
    internal static void NextCallG1(Inbox<object?, string> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g1");
        inbox.Yield("g1 ham");
        inbox.YieldFrom(NextCallG2(trace));
        inbox.Yield("g1 eggs");
        trace.WriteLine("Finishing g1");
    }

    [Coroutine(Prime = false)]
    internal static void NextCallG2(Inbox<object?, string> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g2");
        inbox.Yield("g2 spam");
        inbox.Yield("g2 more spam");
        trace.WriteLine("Finishing g2");
    }

    [Fact]
    public static void Delegation_of_next_call_to_subgenerator()
    {
        var trace = new Trace();
        For(NextCallG1(trace.Writer), x => trace.Print($"Yielded {x}"));
        PythonTwin.AssertSameTrace("""
            def g1():
                print("Starting g1")
                yield "g1 ham"
                yield from g2()
                yield "g1 eggs"
                print("Finishing g1")
            def g2():
                print("Starting g2")
                yield "g2 spam"
                yield "g2 more spam"
                print("Finishing g2")
            for x in g1():
                print("Yielded %s" % (x,))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_raising_exception_in_delegated_next_call

    [Coroutine(Prime = false)]
    internal static void DelegatedNextRaisesG1(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g1");
            inbox.Yield("g1 ham");
            inbox.YieldFrom(DelegatedNextRaisesG2(trace));
            inbox.Yield("g1 eggs");
        }
        finally
        {
            trace.WriteLine("Finishing g1");
        }
    }

    [Coroutine(Prime = false)]
    internal static void DelegatedNextRaisesG2(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g2");
            inbox.Yield("g2 spam");
            throw new ValueError("hovercraft is full of eels");
            // CPython's unreachable `yield "g2 more spam"` after the raise is left out (C# rejects unreachable code).
        }
        finally
        {
            trace.WriteLine("Finishing g2");
        }
    }

    [Fact]
    public static void Raising_exception_in_delegated_next_call()
    {
        var trace = new Trace();
        try
        {
            For(DelegatedNextRaisesG1(trace.Writer), x => trace.Print($"Yielded {x}"));
            trace.Print("subgenerator failed to raise ValueError");
        }
        catch (ValueError e)
        {
            trace.Print($"caught ValueError: {e.Message}");
        }

        PythonTwin.AssertSameTrace("""
            def g1():
                try:
                    print("Starting g1")
                    yield "g1 ham"
                    yield from g2()
                    yield "g1 eggs"
                finally:
                    print("Finishing g1")
            def g2():
                try:
                    print("Starting g2")
                    yield "g2 spam"
                    raise ValueError("hovercraft is full of eels")
                    yield "g2 more spam"
                finally:
                    print("Finishing g2")
            try:
                for x in g1():
                    print("Yielded %s" % (x,))
            except ValueError as e:
                print("caught ValueError: %s" % (e.args[0],))
            else:
                print("subgenerator failed to raise ValueError")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_delegation_of_send

    [Coroutine(Prime = false)]
    internal static void SendG1(Inbox<int?, string> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g1");
        var x = inbox.Yield("g1 ham");
        trace.WriteLine($"g1 received {Str(x)}");
        inbox.YieldFrom(SendG2(trace));
        x = inbox.Yield("g1 eggs");
        trace.WriteLine($"g1 received {Str(x)}");
        trace.WriteLine("Finishing g1");
    }

    [Coroutine(Prime = false)]
    internal static void SendG2(Inbox<int?, string> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g2");
        var x = inbox.Yield("g2 spam");
        trace.WriteLine($"g2 received {Str(x)}");
        x = inbox.Yield("g2 more spam");
        trace.WriteLine($"g2 received {Str(x)}");
        trace.WriteLine("Finishing g2");
    }

    [Fact]
    public static void Delegation_of_send()
    {
        var trace = new Trace();
        var g = SendG1(trace.Writer);
        var y = Next(g);
        int? x = 1;
        try
        {
            while (true)
            {
                y = g.Send(x);
                trace.Print($"Yielded {y}");
                x += 1;
            }
        }
        catch (StopIterationException)
        {
        }

        PythonTwin.AssertSameTrace("""
            def g1():
                print("Starting g1")
                x = yield "g1 ham"
                print("g1 received %s" % (x,))
                yield from g2()
                x = yield "g1 eggs"
                print("g1 received %s" % (x,))
                print("Finishing g1")
            def g2():
                print("Starting g2")
                x = yield "g2 spam"
                print("g2 received %s" % (x,))
                x = yield "g2 more spam"
                print("g2 received %s" % (x,))
                print("Finishing g2")
            g = g1()
            y = next(g)
            x = 1
            try:
                while 1:
                    y = g.send(x)
                    print("Yielded %s" % (y,))
                    x += 1
            except StopIteration:
                pass
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_handling_exception_while_delegating_send

    [Coroutine(Prime = false)]
    internal static void SendRaisesG1(Inbox<int?, string> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g1");
        var x = inbox.Yield("g1 ham");
        trace.WriteLine($"g1 received {Str(x)}");
        inbox.YieldFrom(SendRaisesG2(trace));
        x = inbox.Yield("g1 eggs");
        trace.WriteLine($"g1 received {Str(x)}");
        trace.WriteLine("Finishing g1");
    }

    [Coroutine(Prime = false)]
    internal static void SendRaisesG2(Inbox<int?, string> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g2");
        var x = inbox.Yield("g2 spam");
        trace.WriteLine($"g2 received {Str(x)}");
        throw new ValueError("hovercraft is full of eels");
        // CPython's unreachable rest of g2 after the raise is left out (C# rejects unreachable code).
    }

    [Fact]
    public static void Handling_exception_while_delegating_send()
    {
        var trace = new Trace();
        void Run()
        {
            var g = SendRaisesG1(trace.Writer);
            var y = Next(g);
            int? x = 1;
            try
            {
                while (true)
                {
                    y = g.Send(x);
                    trace.Print($"Yielded {y}");
                    x += 1;
                }
            }
            catch (StopIterationException)
            {
                trace.Print("StopIteration");
            }
        }

        trace.Attempt("run", Run);   // CPython: self.assertRaises(ValueError, run)
        PythonTwin.AssertSameTrace("""
            def g1():
                print("Starting g1")
                x = yield "g1 ham"
                print("g1 received %s" % (x,))
                yield from g2()
                x = yield "g1 eggs"
                print("g1 received %s" % (x,))
                print("Finishing g1")
            def g2():
                print("Starting g2")
                x = yield "g2 spam"
                print("g2 received %s" % (x,))
                raise ValueError("hovercraft is full of eels")
                x = yield "g2 more spam"
                print("g2 received %s" % (x,))
                print("Finishing g2")
            def run():
                g = g1()
                y = next(g)
                x = 1
                try:
                    while 1:
                        y = g.send(x)
                        print("Yielded %s" % (y,))
                        x += 1
                except StopIteration:
                    print("StopIteration")
            attempt("run", run)
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_delegating_close

    [Coroutine(Prime = false)]
    internal static void CloseG1(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g1");
            inbox.Yield("g1 ham");
            inbox.YieldFrom(CloseG2(trace));
            inbox.Yield("g1 eggs");
        }
        finally
        {
            trace.WriteLine("Finishing g1");
        }
    }

    [Coroutine(Prime = false)]
    internal static void CloseG2(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g2");
            inbox.Yield("g2 spam");
            inbox.Yield("g2 more spam");
        }
        finally
        {
            trace.WriteLine("Finishing g2");
        }
    }

    [Fact]
    public static void Delegating_close()
    {
        var trace = new Trace();
        var g = CloseG1(trace.Writer);
        for (int i = 0; i < 2; i++)
        {
            var x = Next(g);
            trace.Print($"Yielded {x}");
        }

        g.Close();
        PythonTwin.AssertSameTrace("""
            def g1():
                try:
                    print("Starting g1")
                    yield "g1 ham"
                    yield from g2()
                    yield "g1 eggs"
                finally:
                    print("Finishing g1")
            def g2():
                try:
                    print("Starting g2")
                    yield "g2 spam"
                    yield "g2 more spam"
                finally:
                    print("Finishing g2")
            g = g1()
            for i in range(2):
                x = next(g)
                print("Yielded %s" % (x,))
            g.close()
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_handing_exception_while_delegating_close

    [Coroutine(Prime = false)]
    internal static void CloseRaisesG1(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g1");
            inbox.Yield("g1 ham");
            inbox.YieldFrom(CloseRaisesG2(trace));
            inbox.Yield("g1 eggs");
        }
        finally
        {
            trace.WriteLine("Finishing g1");
        }
    }

    [Coroutine(Prime = false)]
    internal static void CloseRaisesG2(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g2");
            inbox.Yield("g2 spam");
            inbox.Yield("g2 more spam");
        }
        finally
        {
            trace.WriteLine("Finishing g2");
            throw new ValueError("nybbles have exploded with delight");
        }
    }

    [Fact]
    public static void Handing_exception_while_delegating_close()
    {
        // CPython also asserts that the ValueError's __context__ is the GeneratorExit it replaced: .NET has no
        // implicit exception context (an exception thrown from a finally block simply replaces the one in flight).
        var trace = new Trace();
        try
        {
            var g = CloseRaisesG1(trace.Writer);
            for (int i = 0; i < 2; i++)
            {
                var x = Next(g);
                trace.Print($"Yielded {x}");
            }

            g.Close();
            trace.Print("subgenerator failed to raise ValueError");
        }
        catch (ValueError e)
        {
            trace.Print($"caught ValueError: {e.Message}");
        }

        PythonTwin.AssertSameTrace("""
            def g1():
                try:
                    print("Starting g1")
                    yield "g1 ham"
                    yield from g2()
                    yield "g1 eggs"
                finally:
                    print("Finishing g1")
            def g2():
                try:
                    print("Starting g2")
                    yield "g2 spam"
                    yield "g2 more spam"
                finally:
                    print("Finishing g2")
                    raise ValueError("nybbles have exploded with delight")
            try:
                g = g1()
                for i in range(2):
                    x = next(g)
                    print("Yielded %s" % (x,))
                g.close()
            except ValueError as e:
                print("caught ValueError: %s" % (e.args[0],))
            else:
                print("subgenerator failed to raise ValueError")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_delegating_throw

    [Coroutine(Prime = false)]
    internal static void ThrowG1(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g1");
            inbox.Yield("g1 ham");
            inbox.YieldFrom(ThrowG2(trace));
            inbox.Yield("g1 eggs");
        }
        finally
        {
            trace.WriteLine("Finishing g1");
        }
    }

    [Coroutine(Prime = false)]
    internal static void ThrowG2(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g2");
            inbox.Yield("g2 spam");
            inbox.Yield("g2 more spam");
        }
        finally
        {
            trace.WriteLine("Finishing g2");
        }
    }

    [Fact]
    public static void Delegating_throw()
    {
        var trace = new Trace();
        try
        {
            var g = ThrowG1(trace.Writer);
            for (int i = 0; i < 2; i++)
            {
                var x = Next(g);
                trace.Print($"Yielded {x}");
            }

            var e = new ValueError("tomato ejected");
            g.Throw(e);
            trace.Print("subgenerator failed to raise ValueError");
        }
        catch (ValueError e)
        {
            trace.Print($"caught ValueError: {e.Message}");
        }

        PythonTwin.AssertSameTrace("""
            def g1():
                try:
                    print("Starting g1")
                    yield "g1 ham"
                    yield from g2()
                    yield "g1 eggs"
                finally:
                    print("Finishing g1")
            def g2():
                try:
                    print("Starting g2")
                    yield "g2 spam"
                    yield "g2 more spam"
                finally:
                    print("Finishing g2")
            try:
                g = g1()
                for i in range(2):
                    x = next(g)
                    print("Yielded %s" % (x,))
                e = ValueError("tomato ejected")
                g.throw(e)
            except ValueError as e:
                print("caught ValueError: %s" % (e.args[0],))
            else:
                print("subgenerator failed to raise ValueError")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_value_attribute_of_StopIteration_exception

    [Fact]
    public static void Value_attribute_of_StopIteration_exception()
    {
        // The part that applies: a StopIteration made without a value has the value None, one made with a value has
        // it. CPython's test also prints str(e), and assigns e.value: StopIterationException's message is fixed (the
        // prelude's describe prints the exception instead) and its Value is read-only.
        var trace = new Trace();
        void Pex(StopIterationException e)
        {
            trace.Print(Trace.Describe(e));
            trace.Print($"value = {Str(e.Value)}");
        }

        var e = new StopIterationException();
        Pex(e);
        e = new StopIterationException((object)"spam"); // a string argument alone would be the message
        Pex(e);
        PythonTwin.AssertSameTrace("""
            def pex(e):
                print(describe(e))
                print("value = %s" % (e.value,))
            e = StopIteration()
            pex(e)
            e = StopIteration("spam")
            pex(e)
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_exception_value_crash

    [Coroutine(Prime = false)]
    internal static void ValueCrashG1(Inbox<object?, string> inbox)
    {
        inbox.YieldFrom(ValueCrashG2());
    }

    [Coroutine(Prime = false)]
    internal static List<int> ValueCrashG2(Inbox<object?, string> inbox)
    {
        inbox.Yield("g2");
        return [42];
    }

    [Fact]
    public static void Exception_value_crash()
    {
        // CPython's case was a reference-counting crash on the StopIteration value; what it asserts is that a
        // delegator that ignores the value its sub returns yields the sub's values.
        var trace = new Trace();
        trace.Print(ListRepr(List(ValueCrashG1())));
        PythonTwin.AssertSameTrace("""
            def g1():
                yield from g2()
            def g2():
                yield "g2"
                return [42]
            print(list(g1()))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_generator_return_value

    [Coroutine(Prime = false)]
    internal static void ReturnValueG1(Inbox<object?, string> inbox, TextWriter trace)
    {
        trace.WriteLine("Starting g1");
        inbox.Yield("g1 ham");
        var ret = inbox.YieldFrom(ReturnValueG2(trace));
        trace.WriteLine($"g2 returned {Repr(ret)}");
        foreach (var v in new object[] { 1, Tuple.Create(2), new StopIterationException(3) })
        {
            ret = inbox.YieldFrom(ReturnValueG2(trace, v));
            trace.WriteLine($"g2 returned {Repr(ret)}");
        }

        inbox.Yield("g1 eggs");
        trace.WriteLine("Finishing g1");
    }

    [Coroutine(Prime = false)]
    internal static object? ReturnValueG2(Inbox<object?, string> inbox, TextWriter trace, object? v = null)
    {
        trace.WriteLine("Starting g2");
        inbox.Yield("g2 spam");
        inbox.Yield("g2 more spam");
        trace.WriteLine("Finishing g2");
        if (v is not null)   // Python's `if v:`: v is None or one of the truthy values above
        {
            return v;
        }

        return null;
    }

    [Fact]
    public static void Generator_return_value()
    {
        var trace = new Trace();
        For(ReturnValueG1(trace.Writer), x => trace.Print($"Yielded {x}"));
        PythonTwin.AssertSameTrace("""
            def g1():
                print("Starting g1")
                yield "g1 ham"
                ret = yield from g2()
                print("g2 returned %r" % (ret,))
                for v in 1, (2,), StopIteration(3):
                    ret = yield from g2(v)
                    print("g2 returned %r" % (ret,))
                yield "g1 eggs"
                print("Finishing g1")
            def g2(v = None):
                print("Starting g2")
                yield "g2 spam"
                yield "g2 more spam"
                print("Finishing g2")
                if v:
                    return v
            for x in g1():
                print("Yielded %s" % (x,))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_delegation_of_next_to_non_generator

    [Coroutine(Prime = false)]
    internal static void NextToNonGeneratorG(Inbox<object?, int> inbox)
    {
        inbox.YieldFrom(Range(3));
    }

    [Fact]
    public static void Delegation_of_next_to_non_generator()
    {
        var trace = new Trace();
        For(NextToNonGeneratorG(), x => trace.Print($"Yielded {x}"));
        PythonTwin.AssertSameTrace("""
            def g():
                yield from range(3)
            for x in g():
                print("Yielded %s" % (x,))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_conversion_of_sendNone_to_next

    [Coroutine(Prime = false)]
    internal static void SendNoneG(Inbox<object?, int> inbox)
    {
        inbox.YieldFrom(Range(3));
    }

    [Fact]
    public static void Conversion_of_sendNone_to_next()
    {
        // Send(null) to the delegator is next() for the iterator, which has no send.
        var trace = new Trace();
        var gi = SendNoneG();
        for (int x = 0; x < 3; x++)
        {
            var y = gi.Send(null);
            trace.Print($"Yielded: {y}");
        }

        PythonTwin.AssertSameTrace("""
            def g():
                yield from range(3)
            gi = g()
            for x in range(3):
                y = gi.send(None)
                print("Yielded: %s" % (y,))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_delegation_of_close_to_non_generator

    [Coroutine(Prime = false)]
    internal static void CloseToNonGeneratorG(Inbox<object?, int> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("starting g");
            inbox.YieldFrom(Range(3));
            trace.WriteLine("g should not be here");
        }
        finally
        {
            trace.WriteLine("finishing g");
        }
    }

    [Fact]
    public static void Delegation_of_close_to_non_generator()
    {
        // CPython asserts that close() writes nothing to stderr (no unraisable error because the iterator has no
        // close method); here both sides print whether close raised.
        var trace = new Trace();
        var gi = CloseToNonGeneratorG(trace.Writer);
        Next(gi);
        trace.Attempt("close", gi.Close);
        PythonTwin.AssertSameTrace("""
            def g():
                try:
                    print("starting g")
                    yield from range(3)
                    print("g should not be here")
                finally:
                    print("finishing g")
            gi = g()
            next(gi)
            attempt("close", gi.close)
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_delegating_throw_to_non_generator

    [Coroutine(Prime = false)]
    internal static void ThrowToNonGeneratorG(Inbox<object?, int> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g");
            inbox.YieldFrom(Range(10));
        }
        finally
        {
            trace.WriteLine("Finishing g");
        }
    }

    [Fact]
    public static void Delegating_throw_to_non_generator()
    {
        var trace = new Trace();
        try
        {
            var gi = ThrowToNonGeneratorG(trace.Writer);
            for (int i = 0; i < 5; i++)
            {
                var x = Next(gi);
                trace.Print($"Yielded {x}");
            }

            var e = new ValueError("tomato ejected");
            gi.Throw(e);
            trace.Print("subgenerator failed to raise ValueError");
        }
        catch (ValueError e)
        {
            trace.Print($"caught ValueError: {e.Message}");
        }

        PythonTwin.AssertSameTrace("""
            def g():
                try:
                    print("Starting g")
                    yield from range(10)
                finally:
                    print("Finishing g")
            try:
                gi = g()
                for i in range(5):
                    x = next(gi)
                    print("Yielded %s" % (x,))
                e = ValueError("tomato ejected")
                gi.throw(e)
            except ValueError as e:
                print("caught ValueError: %s" % (e.args[0],))
            else:
                print("subgenerator failed to raise ValueError")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_attempting_to_send_to_non_generator

    [Coroutine(Prime = false)]
    internal static void SendToNonGeneratorG(Inbox<object?, int> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("starting g");
            inbox.YieldFrom(Range(3));
            trace.WriteLine("g should not be here");
        }
        finally
        {
            trace.WriteLine("finishing g");
        }
    }

    [Fact]
    public static void Attempting_to_send_to_non_generator()
    {
        // CPython asserts that the AttributeError's message names "send"; here both sides print it.
        var trace = new Trace();
        try
        {
            var gi = SendToNonGeneratorG(trace.Writer);
            Next(gi);
            for (int x = 0; x < 3; x++)
            {
                var y = gi.Send(42);
                trace.Print($"Should not have yielded: {y}");
            }

            trace.Print("was able to send into non-generator");
        }
        catch (AttributeError e)
        {
            trace.Print($"caught AttributeError: {e.Message}");
        }

        PythonTwin.AssertSameTrace("""
            def g():
                try:
                    print("starting g")
                    yield from range(3)
                    print("g should not be here")
                finally:
                    print("finishing g")
            try:
                gi = g()
                next(gi)
                for x in range(3):
                    y = gi.send(42)
                    print("Should not have yielded: %s" % (y,))
            except AttributeError as e:
                print("caught AttributeError: %s" % (e.args[0],))
            else:
                print("was able to send into non-generator")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_exception_in_initial_next_call

    [Coroutine(Prime = false)]
    internal static void InitialNextErrorG1(Inbox<object?, int> inbox, TextWriter trace)
    {
        trace.WriteLine("g1 about to yield from g2");
        inbox.YieldFrom(InitialNextErrorG2());
        trace.WriteLine("g1 should not be here");
    }

    [Coroutine(Prime = false)]
    internal static void InitialNextErrorG2(Inbox<object?, int> inbox)
    {
        var zero = 0;
        inbox.Yield(1 / zero);   // Python: yield 1/0
    }

    private const string InitialNextErrorTwin = """
        def g1():
            print("g1 about to yield from g2")
            yield from g2()
            print("g1 should not be here")
        def g2():
            yield 1/0
        def run():
            gi = g1()
            next(gi)
        try:
            run()
        except ZeroDivisionError:
            print("ZeroDivisionError")
        else:
            print("run did not raise ZeroDivisionError")
        """;

    [Fact]
    public static void Exception_in_initial_next_call()
    {
        // CPython: self.assertRaises(ZeroDivisionError, run); .NET's is DivideByZeroException.
        var trace = new Trace();
        try
        {
            var gi = InitialNextErrorG1(trace.Writer);
            Next(gi);
            trace.Print("run did not raise ZeroDivisionError");
        }
        catch (DivideByZeroException)
        {
            trace.Print("ZeroDivisionError");
        }

        PythonTwin.AssertSameTrace(InitialNextErrorTwin, trace.Lines);
    }

    [Coroutine(Prime = false)]
    internal static void InitialNextErrorPrimedG1(Inbox<object?, int> inbox, TextWriter trace)
    {
        trace.WriteLine("g1 about to yield from g2");
        inbox.YieldFrom(InitialNextErrorPrimedG2());
        trace.WriteLine("g1 should not be here");
    }

    [Coroutine]
    internal static void InitialNextErrorPrimedG2(Inbox<object?, int> inbox)
    {
        var zero = 0;
        inbox.Yield(1 / zero);
    }

    [Fact]
    public static void Exception_in_initial_next_call_of_a_primed_subgenerator()
    {
        // The same case with a primed sub: the exception comes out of its factory, in the YieldFrom argument, where
        // yield from's first next() raises it in CPython. Same twin.
        var trace = new Trace();
        try
        {
            var gi = InitialNextErrorPrimedG1(trace.Writer);
            Next(gi);
            trace.Print("run did not raise ZeroDivisionError");
        }
        catch (DivideByZeroException)
        {
            trace.Print("ZeroDivisionError");
        }

        PythonTwin.AssertSameTrace(InitialNextErrorTwin, trace.Lines);
    }

    // ------------------------------------------------------------------ test_attempted_yield_from_loop

    [Coroutine(Prime = false)]
    internal static void LoopG1(Inbox<object?, string> inbox, StrongBox<ICoroutine<object?, string>?> gi, TextWriter trace)
    {
        trace.WriteLine("g1: starting");
        inbox.Yield("y1");
        trace.WriteLine("g1: about to yield from g2");
        inbox.YieldFrom(LoopG2(gi, trace));
        trace.WriteLine("g1 should not be here");
    }

    [Coroutine(Prime = false)]
    internal static void LoopG2(Inbox<object?, string> inbox, StrongBox<ICoroutine<object?, string>?> gi, TextWriter trace)
    {
        trace.WriteLine("g2: starting");
        inbox.Yield("y2");
        trace.WriteLine("g2: about to yield from g1");
        inbox.YieldFrom(gi.Value!);
        trace.WriteLine("g2 should not be here");
    }

    [Fact]
    public static void Attempted_yield_from_loop()
    {
        // gi is CPython's closure variable, which g2 reads: here a box that both templates get.
        var trace = new Trace();
        var gi = new StrongBox<ICoroutine<object?, string>?>();
        try
        {
            gi.Value = LoopG1(gi, trace.Writer);
            For(gi.Value, y => trace.Print($"Yielded: {y}"));
            trace.Print("subgenerator didn't raise ValueError");
        }
        catch (InvalidOperationException e)   // Python's ValueError: generator already executing
        {
            trace.Print($"caught {Trace.Describe(e)}");
        }

        PythonTwin.AssertSameTrace("""
            def g1():
                print("g1: starting")
                yield "y1"
                print("g1: about to yield from g2")
                yield from g2()
                print("g1 should not be here")

            def g2():
                print("g2: starting")
                yield "y2"
                print("g2: about to yield from g1")
                yield from gi
                print("g2 should not be here")
            try:
                gi = g1()
                for y in gi:
                    print("Yielded: %s" % (y,))
            except ValueError as e:
                print("caught %s" % (describe(e),))
            else:
                print("subgenerator didn't raise ValueError")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_returning_value_from_delegated_throw

    [Coroutine(Prime = false)]
    internal static void DelegatedThrowReturnsG1(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g1");
            inbox.Yield("g1 ham");
            inbox.YieldFrom(DelegatedThrowReturnsG2(trace));
            inbox.Yield("g1 eggs");
        }
        finally
        {
            trace.WriteLine("Finishing g1");
        }
    }

    [Coroutine(Prime = false)]
    internal static void DelegatedThrowReturnsG2(Inbox<object?, string> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Starting g2");
            inbox.Yield("g2 spam");
            inbox.Yield("g2 more spam");
        }
        catch (LunchError)
        {
            trace.WriteLine("Caught LunchError in g2");
            inbox.Yield("g2 lunch saved");
            inbox.Yield("g2 yet more spam");
        }
    }

    internal sealed class LunchError(string message) : Exception(message);

    [Fact]
    public static void Returning_value_from_delegated_throw()
    {
        var trace = new Trace();
        var g = DelegatedThrowReturnsG1(trace.Writer);
        for (int i = 0; i < 2; i++)
        {
            var x = Next(g);
            trace.Print($"Yielded {x}");
        }

        var e = new LunchError("tomato ejected");
        g.Throw(e);
        For(g, x => trace.Print($"Yielded {x}"));
        PythonTwin.AssertSameTrace("""
            def g1():
                try:
                    print("Starting g1")
                    yield "g1 ham"
                    yield from g2()
                    yield "g1 eggs"
                finally:
                    print("Finishing g1")
            def g2():
                try:
                    print("Starting g2")
                    yield "g2 spam"
                    yield "g2 more spam"
                except LunchError:
                    print("Caught LunchError in g2")
                    yield "g2 lunch saved"
                    yield "g2 yet more spam"
            class LunchError(Exception):
                pass
            g = g1()
            for i in range(2):
                x = next(g)
                print("Yielded %s" % (x,))
            e = LunchError("tomato ejected")
            g.throw(e)
            for x in g:
                print("Yielded %s" % (x,))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_next_and_return_with_value

    [Coroutine(Prime = false)]
    internal static object? NextAndReturnG(Inbox<object?> inbox, object? r, TextWriter trace)
    {
        trace.WriteLine("g starting");
        inbox.Receive();
        trace.WriteLine($"g returning {Repr(r)}");
        return r;
    }

    [Fact]
    public static void Next_and_return_with_value()
    {
        var trace = new Trace();
        void F(object? r)
        {
            var gi = NextAndReturnG(r, trace.Writer);
            gi.Send(null);
            try
            {
                trace.Print("f resuming g");
                gi.Send(null);
                trace.Print("f SHOULD NOT BE HERE");
            }
            catch (StopIterationException e)
            {
                trace.Print($"f caught {Repr(e)}");
            }
        }

        F(null);
        F(1);
        F(Tuple.Create(2));
        F(new StopIterationException(3));
        PythonTwin.AssertSameTrace("""
            def f(r):
                gi = g(r)
                next(gi)
                try:
                    print("f resuming g")
                    next(gi)
                    print("f SHOULD NOT BE HERE")
                except StopIteration as e:
                    print("f caught %r" % (e,))
            def g(r):
                print("g starting")
                yield
                print("g returning %r" % (r,))
                return r
            f(None)
            f(1)
            f((2,))
            f(StopIteration(3))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_send_and_return_with_value

    [Coroutine(Prime = false)]
    internal static object? SendAndReturnG(Inbox<object?> inbox, object? r, TextWriter trace)
    {
        trace.WriteLine("g starting");
        var x = inbox.Receive();
        trace.WriteLine($"g received {Repr(x)}");
        trace.WriteLine($"g returning {Repr(r)}");
        return r;
    }

    [Fact]
    public static void Send_and_return_with_value()
    {
        var trace = new Trace();
        void F(object? r)
        {
            var gi = SendAndReturnG(r, trace.Writer);
            gi.Send(null);
            try
            {
                trace.Print("f sending spam to g");
                gi.Send("spam");
                trace.Print("f SHOULD NOT BE HERE");
            }
            catch (StopIterationException e)
            {
                trace.Print($"f caught {Repr(e)}");
            }
        }

        F(null);
        F(1);
        F(Tuple.Create(2));
        F(new StopIterationException(3));
        PythonTwin.AssertSameTrace("""
            def f(r):
                gi = g(r)
                next(gi)
                try:
                    print("f sending spam to g")
                    gi.send("spam")
                    print("f SHOULD NOT BE HERE")
                except StopIteration as e:
                    print("f caught %r" % (e,))
            def g(r):
                print("g starting")
                x = yield
                print("g received %r" % (x,))
                print("g returning %r" % (r,))
                return r
            f(None)
            f(1)
            f((2,))
            f(StopIteration(3))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_catching_exception_from_subgen_and_returning

    [Coroutine(Prime = false)]
    internal static object? CatchingInner(Inbox<object?, object?> inbox, object? value, TextWriter trace)
    {
        try
        {
            inbox.Yield(1);
        }
        catch (ValueError)
        {
            trace.WriteLine("inner caught ValueError");
        }

        return value;
    }

    [Coroutine(Prime = false)]
    internal static void CatchingOuter(Inbox<object?, object?> inbox, object? value, TextWriter trace)
    {
        var v = inbox.YieldFrom(CatchingInner(value, trace));
        trace.WriteLine($"inner returned {Repr(v)} to outer");
        inbox.Yield(v);
    }

    [Fact]
    public static void Catching_exception_from_subgen_and_returning()
    {
        // value and trace are CPython's closure variables (the loop variable and the list): here parameters.
        // CPython's g.throw(ValueError) instantiates ValueError() with no message.
        var trace = new Trace();
        foreach (var value in new object[] { 2, Tuple.Create(2), new StopIterationException(2) })
        {
            var g = CatchingOuter(value, trace.Writer);
            trace.Print(Next(g));
            trace.Print(Repr(g.Throw(new ValueError(""))));
        }

        PythonTwin.AssertSameTrace("""
            def inner():
                try:
                    yield 1
                except ValueError:
                    print("inner caught ValueError")
                return value

            def outer():
                v = yield from inner()
                print("inner returned %r to outer" % (v,))
                yield v

            for value in 2, (2,), StopIteration(2):
                g = outer()
                print(next(g))
                print(repr(g.throw(ValueError)))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_throwing_GeneratorExit_into_subgen_that_returns

    // These three cases have one-way coroutines (bare yields, driven by next()): Inbox<object?>, Send(null) is next().

    [Coroutine(Prime = false)]
    internal static void GeneratorExitReturnsF(Inbox<object?> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Enter f");
            inbox.Receive();
            trace.WriteLine("Exit f");
        }
        catch (GeneratorExitException)
        {
            return;
        }
    }

    [Coroutine(Prime = false)]
    internal static void GeneratorExitReturnsG(Inbox<object?> inbox, TextWriter trace)
    {
        trace.WriteLine("Enter g");
        inbox.YieldFrom(GeneratorExitReturnsF(trace));
        trace.WriteLine("Exit g");
    }

    [Fact]
    public static void Throwing_GeneratorExit_into_subgen_that_returns()
    {
        var trace = new Trace();
        try
        {
            var gi = GeneratorExitReturnsG(trace.Writer);
            gi.Send(null);
            gi.Throw(new GeneratorExitException());
            trace.Print("subgenerator failed to raise GeneratorExit");
        }
        catch (GeneratorExitException)
        {
            trace.Print("caught GeneratorExit");
        }

        PythonTwin.AssertSameTrace("""
            def f():
                try:
                    print("Enter f")
                    yield
                    print("Exit f")
                except GeneratorExit:
                    return
            def g():
                print("Enter g")
                yield from f()
                print("Exit g")
            try:
                gi = g()
                next(gi)
                gi.throw(GeneratorExit)
            except GeneratorExit:
                print("caught GeneratorExit")
            else:
                print("subgenerator failed to raise GeneratorExit")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_throwing_GeneratorExit_into_subgenerator_that_yields

#pragma warning disable CORO0007 // f suspends again after GeneratorExitException: that is the case
    [Coroutine(Prime = false)]
    internal static void GeneratorExitYieldsF(Inbox<object?> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Enter f");
            inbox.Receive();
            trace.WriteLine("Exit f");
        }
        catch (GeneratorExitException)
        {
            inbox.Receive();
        }
    }
#pragma warning restore CORO0007

    [Coroutine(Prime = false)]
    internal static void GeneratorExitYieldsG(Inbox<object?> inbox, TextWriter trace)
    {
        trace.WriteLine("Enter g");
        inbox.YieldFrom(GeneratorExitYieldsF(trace));
        trace.WriteLine("Exit g");
    }

    [Fact]
    public static void Throwing_GeneratorExit_into_subgenerator_that_yields()
    {
        var trace = new Trace();
        try
        {
            var gi = GeneratorExitYieldsG(trace.Writer);
            gi.Send(null);
            gi.Throw(new GeneratorExitException());
            trace.Print("subgenerator failed to raise GeneratorExit");
        }
        catch (InvalidOperationException e)   // Python's RuntimeError: generator ignored GeneratorExit
        {
            trace.Print($"caught {Trace.Describe(e)}");
        }

        PythonTwin.AssertSameTrace("""
            def f():
                try:
                    print("Enter f")
                    yield
                    print("Exit f")
                except GeneratorExit:
                    yield
            def g():
                print("Enter g")
                yield from f()
                print("Exit g")
            try:
                gi = g()
                next(gi)
                gi.throw(GeneratorExit)
            except RuntimeError as e:
                print("caught %s" % (describe(e),))
            else:
                print("subgenerator failed to raise GeneratorExit")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_throwing_GeneratorExit_into_subgen_that_raises

    [Coroutine(Prime = false)]
    internal static void GeneratorExitRaisesF(Inbox<object?> inbox, TextWriter trace)
    {
        try
        {
            trace.WriteLine("Enter f");
            inbox.Receive();
            trace.WriteLine("Exit f");
        }
        catch (GeneratorExitException)
        {
            throw new ValueError("Vorpal bunny encountered");
        }
    }

    [Coroutine(Prime = false)]
    internal static void GeneratorExitRaisesG(Inbox<object?> inbox, TextWriter trace)
    {
        trace.WriteLine("Enter g");
        inbox.YieldFrom(GeneratorExitRaisesF(trace));
        trace.WriteLine("Exit g");
    }

    [Fact]
    public static void Throwing_GeneratorExit_into_subgen_that_raises()
    {
        // CPython also asserts that the ValueError's __context__ is the GeneratorExit: .NET has no implicit exception
        // context (a catch clause that throws a new exception does not link it to the one it caught).
        var trace = new Trace();
        try
        {
            var gi = GeneratorExitRaisesG(trace.Writer);
            gi.Send(null);
            gi.Throw(new GeneratorExitException());
            trace.Print("subgenerator failed to raise ValueError");
        }
        catch (ValueError e)
        {
            trace.Print($"caught ValueError: {e.Message}");
        }

        PythonTwin.AssertSameTrace("""
            def f():
                try:
                    print("Enter f")
                    yield
                    print("Exit f")
                except GeneratorExit:
                    raise ValueError("Vorpal bunny encountered")
            def g():
                print("Enter g")
                yield from f()
                print("Exit g")
            try:
                gi = g()
                next(gi)
                gi.throw(GeneratorExit)
            except ValueError as e:
                print("caught ValueError: %s" % (e.args[0],))
            else:
                print("subgenerator failed to raise ValueError")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_yield_from_empty

    [Coroutine(Prime = false)]
    internal static void EmptyG(Inbox<object?, int> inbox)
    {
        inbox.YieldFrom(EmptyTuple());
    }

    [Fact]
    public static void Yield_from_empty()
    {
        var trace = new Trace();
        trace.Attempt("next", () => Next(EmptyG()));   // CPython: self.assertRaises(StopIteration, next, g())
        PythonTwin.AssertSameTrace("""
            def g():
                yield from ()
            attempt("next", lambda: next(g()))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_delegating_generators_claim_to_be_running

    // g1 is CPython's global, which two() reads while one() (that is, g1) is delegating to it: here a box. The CPython
    // test has four parts (iteration, send, throw, close), ported as four tests.

    [Coroutine(Prime = false)]
    internal static void ClaimOne(Inbox<int?, int> inbox, StrongBox<ICoroutine<int?, int>?> g1)
    {
        inbox.Yield(0);
        inbox.YieldFrom(ClaimTwo(g1));
        inbox.Yield(3);
    }

    [Coroutine(Prime = false)]
    internal static void ClaimTwo(Inbox<int?, int> inbox, StrongBox<ICoroutine<int?, int>?> g1)
    {
        inbox.Yield(1);
        try
        {
            inbox.YieldFrom(g1.Value!);
        }
        catch (InvalidOperationException)   // Python: except ValueError (generator already executing)
        {
        }

        inbox.Yield(2);
    }

    private const string ClaimTwin = """
        def one():
            yield 0
            yield from two()
            yield 3
        def two():
            yield 1
            try:
                yield from g1
            except ValueError:
                pass
            yield 2

        """;

    [Fact]
    public static void Delegating_generators_claim_to_be_running()
    {
        // Check with basic iteration.
        var trace = new Trace();
        var g1 = new StrongBox<ICoroutine<int?, int>?>();
        g1.Value = ClaimOne(g1);
        trace.Print(ListRepr(List(g1.Value)));
        PythonTwin.AssertSameTrace(ClaimTwin + """
            g1 = one()
            print(list(g1))
            """, trace.Lines);
    }

    [Fact]
    public static void Delegating_generators_claim_to_be_running_with_send()
    {
        // Check with send.
        var trace = new Trace();
        var g1 = new StrongBox<ICoroutine<int?, int>?>();
        g1.Value = ClaimOne(g1);
        var res = new List<int> { Next(g1.Value) };
        try
        {
            while (true)
            {
                res.Add(g1.Value.Send(42));
            }
        }
        catch (StopIterationException)
        {
        }

        trace.Print(ListRepr(res));
        PythonTwin.AssertSameTrace(ClaimTwin + """
            g1 = one()
            res = [next(g1)]
            try:
                while True:
                    res.append(g1.send(42))
            except StopIteration:
                pass
            print(res)
            """, trace.Lines);
    }

    [Coroutine(Prime = false)]
    internal static void ClaimThrowOne(Inbox<int?, int> inbox, StrongBox<ICoroutine<int?, int>?> g1)
    {
        try
        {
            inbox.Yield(0);
        }
        catch (MyErr)
        {
        }

        inbox.YieldFrom(ClaimThrowTwo(g1));
        try
        {
            inbox.Yield(3);
        }
        catch (MyErr)
        {
        }
    }

    [Coroutine(Prime = false)]
    internal static void ClaimThrowTwo(Inbox<int?, int> inbox, StrongBox<ICoroutine<int?, int>?> g1)
    {
        try
        {
            inbox.Yield(1);
        }
        catch (MyErr)
        {
        }

        try
        {
            inbox.YieldFrom(g1.Value!);
        }
        catch (InvalidOperationException)   // Python: except ValueError (generator already executing)
        {
        }

        try
        {
            inbox.Yield(2);
        }
        catch (MyErr)
        {
        }
    }

    internal sealed class MyErr() : Exception("MyErr");

    [Fact]
    public static void Delegating_generators_claim_to_be_running_with_throw()
    {
        // Check with throw. CPython's bare `except:` checks the list and re-raises: any other exception fails the
        // test there, and propagates out of this test here.
        var trace = new Trace();
        var g1 = new StrongBox<ICoroutine<int?, int>?>();
        g1.Value = ClaimThrowOne(g1);
        var res = new List<int> { Next(g1.Value) };
        try
        {
            while (true)
            {
                res.Add(g1.Value.Throw(new MyErr()));
            }
        }
        catch (StopIterationException)
        {
        }

        trace.Print(ListRepr(res));
        PythonTwin.AssertSameTrace("""
            class MyErr(Exception):
                pass
            def one():
                try:
                    yield 0
                except MyErr:
                    pass
                yield from two()
                try:
                    yield 3
                except MyErr:
                    pass
            def two():
                try:
                    yield 1
                except MyErr:
                    pass
                try:
                    yield from g1
                except ValueError:
                    pass
                try:
                    yield 2
                except MyErr:
                    pass
            g1 = one()
            res = [next(g1)]
            try:
                while True:
                    res.append(g1.throw(MyErr))
            except StopIteration:
                pass
            print(res)
            """, trace.Lines);
    }

    /// <summary>
    /// CPython's <c>MyIt</c>: an iterator (not a generator) whose <c>__next__</c> returns 42 and whose <c>close()</c>
    /// checks that the delegator closing it says it is running: <c>g1.gi_running</c>, and <c>next(g1)</c> raises
    /// ValueError. It has no <c>send</c> and no <c>throw</c>, as <see cref="PythonIterator"/>.
    /// </summary>
    private sealed class MyIt(StrongBox<ICoroutine<object?, int>?> g1, Trace trace) : ICoroutine<object?, int>
    {
        public CoroutineState State { get; private set; } = CoroutineState.Created;

        public int Current { get; private set; }

        public int Send(object? value)
        {
            if (value is not null)
            {
                throw new AttributeError("'MyIt' object has no attribute 'send'");
            }

            State = CoroutineState.Suspended;
            return Current = 42;
        }

        public int Throw(Exception exception) => throw exception;

        public void Close()
        {
            trace.Print($"g1 state in close: {Trace.State(g1.Value!.State)}");   // CPython: self.assertTrue(g1.gi_running)
            trace.Attempt("next(g1) in close", () => Next(g1.Value!));           // CPython: self.assertRaises(ValueError, next, g1)
        }

        public void Dispose() => Close();

        void ICoroutine<object?>.Send(object? value) => Send(value);

        void ICoroutine<object?>.Throw(Exception exception) => Throw(exception);
    }

    [Coroutine(Prime = false)]
    internal static void ClaimCloseOne(Inbox<object?, int> inbox, StrongBox<ICoroutine<object?, int>?> g1, Trace trace)
    {
        inbox.YieldFrom(new MyIt(g1, trace));
    }

    [Fact]
    public static void Delegating_generators_claim_to_be_running_with_close()
    {
        // Check with close.
        var trace = new Trace();
        var g1 = new StrongBox<ICoroutine<object?, int>?>();
        g1.Value = ClaimCloseOne(g1, trace);
        Next(g1.Value);
        g1.Value.Close();
        PythonTwin.AssertSameTrace("""
            class MyIt(object):
                def __iter__(self):
                    return self
                def __next__(self):
                    return 42
                def close(self_):
                    print("g1 state in close: %s" % (state(g1),))
                    attempt("next(g1) in close", lambda: next(g1))
            def one():
                yield from MyIt()
            g1 = one()
            next(g1)
            g1.close()
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_custom_iterator_return

    /// <summary>
    /// CPython's <c>MyIter</c>: an iterator whose <c>__next__</c> raises <c>StopIteration(42)</c> at once, so
    /// <c>yield from</c> evaluates to 42. It returns a value, so it is an <see cref="IReturningCoroutine{TIn, TOut, TResult}"/>.
    /// </summary>
    private sealed class MyIter : IReturningCoroutine<object?, object?, int>
    {
        public CoroutineState State { get; private set; } = CoroutineState.Created;

        public object? Current => null;

        public int Result { get; private set; }

        public object? Send(object? value)
        {
            State = CoroutineState.Closed;
            Result = 42;
            throw new StopIterationException(42);
        }

        public object? Throw(Exception exception) => throw exception;

        public void Close()
        {
        }

        public void Dispose() => Close();

        void ICoroutine<object?>.Send(object? value) => Send(value);

        void ICoroutine<object?>.Throw(Exception exception) => Throw(exception);
    }

    [Coroutine(Prime = false)]
    internal static void CustomIteratorReturnGen(Inbox<object?, object?> inbox, StrongBox<int?> ret)
    {
        ret.Value = inbox.YieldFrom(new MyIter());
    }

    [Fact]
    public static void Custom_iterator_return()
    {
        // ret is CPython's nonlocal: here a box.
        var trace = new Trace();
        var ret = new StrongBox<int?>();
        trace.Print(ListRepr(List(CustomIteratorReturnGen(ret))));
        trace.Print(ret.Value);
        PythonTwin.AssertSameTrace("""
            class MyIter:
                def __iter__(self):
                    return self
                def __next__(self):
                    raise StopIteration(42)
            def gen():
                global ret
                ret = yield from MyIter()
            ret = None
            print(list(gen()))
            print(ret)
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_send_tuple_with_custom_generator

    /// <summary>
    /// CPython's <c>MyGen</c>: <c>__next__</c> returns 42, <c>send(what)</c> stores <c>what</c> and returns None.
    /// <c>yield from</c> calls <c>__next__</c> for a None sent to the delegator and <c>send</c> for anything else:
    /// here both are <c>Send</c>.
    /// </summary>
    private sealed class MyGen(StrongBox<object?> v) : ICoroutine<object?, object?>
    {
        public CoroutineState State { get; private set; } = CoroutineState.Created;

        public object? Current { get; private set; }

        public object? Send(object? what)
        {
            State = CoroutineState.Suspended;
            if (what is null)
            {
                return Current = 42;
            }

            v.Value = what;
            return Current = null;
        }

        public object? Throw(Exception exception) => throw exception;

        public void Close()
        {
        }

        public void Dispose() => Close();

        void ICoroutine<object?>.Send(object? value) => Send(value);

        void ICoroutine<object?>.Throw(Exception exception) => Throw(exception);
    }

    [Coroutine(Prime = false)]
    internal static void SendTupleOuter(Inbox<object?, object?> inbox, StrongBox<object?> v)
    {
        // CPython: v = yield from MyGen(). That v is a local of outer (not the test's v), and it is never assigned:
        // MyGen never finishes. MyGen returns no value here, so the statement is the YieldFrom alone.
        inbox.YieldFrom(new MyGen(v));
    }

    [Fact]
    public static void Send_tuple_with_custom_generator()
    {
        // CPython's case was a tuple sent through yield from arriving as several arguments of send; it asserts that
        // send gets the tuple. v is CPython's nonlocal: here a box. Both sides also print what next and send return.
        var trace = new Trace();
        var v = new StrongBox<object?>();
        var g = SendTupleOuter(v);
        trace.Print($"next: {Repr(Next(g))}");
        trace.Print($"send: {Repr(g.Send(Tuple.Create(1, 2, 3, 4)))}");
        trace.Print(Repr(v.Value));
        PythonTwin.AssertSameTrace("""
            class MyGen:
                def __iter__(self):
                    return self
                def __next__(self):
                    return 42
                def send(self, what):
                    global v
                    v = what
                    return None
            def outer():
                v = yield from MyGen()
            g = outer()
            print("next: %r" % (next(g),))
            v = None
            print("send: %r" % (g.send((1, 2, 3, 4)),))
            print(repr(v))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ Python's iterators, for, next, list, str, repr

    /// <summary>
    /// A Python iterator that is not a generator, such as <c>iter(range(3))</c>, as a hand-written coroutine: it has
    /// <c>__next__</c> and nothing else. <c>Send(null)</c> is <c>next()</c>: the next item, or StopIteration once
    /// exhausted (it is <c>Created</c> before the first one, <c>Closed</c> after the last). Sending anything else is
    /// what <c>yield from</c> gets from an iterator without <c>send</c>: AttributeError. <c>Throw(e)</c> raises
    /// <c>e</c> as it is, which is what <c>yield from</c> does in the delegator when the iterator has no
    /// <c>throw</c>; <c>Close()</c> does nothing (it has no <c>close</c>).
    /// </summary>
    private sealed class PythonIterator(string typeName, IEnumerable<int> items) : ICoroutine<object?, int>
    {
        private readonly IEnumerator<int> _items = items.GetEnumerator();

        public CoroutineState State { get; private set; } = CoroutineState.Created;

        public int Current { get; private set; }

        public int Send(object? value)
        {
            if (value is not null)
            {
                throw new AttributeError($"'{typeName}' object has no attribute 'send'");
            }

            if (State == CoroutineState.Closed || !_items.MoveNext())
            {
                State = CoroutineState.Closed;
                throw new StopIterationException();
            }

            State = CoroutineState.Suspended;
            return Current = _items.Current;
        }

        public int Throw(Exception exception) => throw exception;

        public void Close()
        {
        }

        public void Dispose() => Close();

        void ICoroutine<object?>.Send(object? value) => Send(value);

        void ICoroutine<object?>.Throw(Exception exception) => Throw(exception);
    }

    /// <summary>Python's <c>iter(range(stop))</c>.</summary>
    private static PythonIterator Range(int stop) => new("range_iterator", Enumerable.Range(0, stop));

    /// <summary>Python's <c>iter(())</c>.</summary>
    private static PythonIterator EmptyTuple() => new("tuple_iterator", []);

    /// <summary>Python's AttributeError, for an iterator without <c>send</c>.</summary>
    internal sealed class AttributeError(string message) : Exception(message);

    /// <summary>Python's <c>next(g)</c> on a generator: <c>Send(default)</c>.</summary>
    private static TOut Next<TIn, TOut>(ICoroutine<TIn, TOut> g) => g.Send(default!);

    /// <summary>
    /// Python's <c>for x in g: body(x)</c>: <c>next(g)</c> until it raises StopIteration, which ends the loop; any
    /// other exception propagates.
    /// </summary>
    private static void For<TIn, TOut>(ICoroutine<TIn, TOut> g, Action<TOut> body)
    {
        while (true)
        {
            TOut x;
            try
            {
                x = Next(g);
            }
            catch (StopIterationException)
            {
                return;
            }

            body(x);
        }
    }

    /// <summary>Python's <c>list(g)</c>.</summary>
    private static List<TOut> List<TIn, TOut>(ICoroutine<TIn, TOut> g)
    {
        var items = new List<TOut>();
        For(g, items.Add);
        return items;
    }

    /// <summary>Python's <c>print(items)</c> of a list.</summary>
    private static string ListRepr<T>(IEnumerable<T> items) => "[" + string.Join(", ", items.Select(i => Repr(i))) + "]";

    /// <summary>Python's <c>%s</c> (<c>str</c>) of the values these tests pass to it: None, ints and strings.</summary>
    internal static string Str(object? value) => value is string s ? s : Repr(value);

    /// <summary>Python's <c>%r</c> (<c>repr</c>) of the values these tests use: None, ints, strings, tuples, StopIteration.</summary>
    internal static string Repr(object? value) => value switch
    {
        string s => $"'{s}'",
        StopIterationException { Value: null } => "StopIteration()",
        StopIterationException stop => $"StopIteration({Repr(stop.Value)})",
        ITuple { Length: 1 } one => $"({Repr(one[0])},)",
        ITuple tuple => "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Repr(tuple[i]))) + ")",
        _ => Trace.Format(value),
    };
}
