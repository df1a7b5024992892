using System.Runtime.CompilerServices;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// CPython's own tests of asynchronous generators (PEP 525; the <c>test_asyncgen</c> module of CPython 3.11's test
/// suite, classes <c>AsyncGenTest</c> and <c>AsyncGenAsyncioTest</c>), ported as twin tests: each C# test translates
/// one CPython test method and is named after it, and its Python twin is the CPython case's own generators, driven
/// the same way under <c>asyncio.run</c>, printing what the CPython test asserts instead of asserting it.
/// docs/async.md ("CPython's test_asyncgen, ported") lists every test method of both classes and what became of it.
/// </summary>
/// <remarks>
/// <para>
/// Priming and driving: CPython's generators are fresh when the tests call them, and <c>__anext__()</c> (what
/// <c>async for</c> and <c>anext()</c> call) is <c>asend(None)</c>. So the templates are
/// <c>[Coroutine(Prime = false)]</c> with a two-way inbox (<c>Inbox&lt;object?, TOut&gt;</c>), and
/// <see cref="ANext{TOut}"/> is <c>SendAsync(null)</c>; <see cref="ToList{TOut}"/> is CPython's <c>to_list</c> (or
/// an <c>async for</c>), <see cref="Iterate{TOut}"/> its <c>compare_generators</c>' iteration. The sync generators
/// those comparisons use are sync templates.
/// </para>
/// <para>
/// Awaits: <c>AsyncGenTest</c> runs its coroutines with its own loop, where <c>await awaitable()</c> suspends once and
/// <c>await awaitable(throw=True)</c> suspends and then raises <c>AwaitException</c> there; here they are
/// <see cref="Awaitable"/> (a <see cref="Task.Yield"/>, and a throw after it), and <c>asyncio.sleep(0)</c> in the
/// twins. <c>asyncio.sleep(0.01)</c> is <see cref="Task.Yield"/> / <c>asyncio.sleep(0)</c>; the timers that cancel a
/// future (<c>sleep_n_crash</c>) are a <see cref="Gate"/> whose wait the test cancels once the body has reached it.
/// </para>
/// <para>
/// Exceptions: <c>1 / 0</c> is <see cref="Div"/>, which throws a <see cref="ZeroDivisionError"/> (C# rejects a
/// constant division by zero, and code after a <c>throw</c> would be unreachable, an error here);
/// <c>StopAsyncIteration</c> and <c>StopIteration</c> are <see cref="StopIterationException"/>;
/// <c>asyncio.CancelledError</c> is <see cref="OperationCanceledException"/>. Python's bare <c>except:</c> catches
/// <c>GeneratorExit</c> too, so it is <c>catch (GeneratorExitException) { } catch { }</c> (a bare C# <c>catch</c> is
/// Python's <c>except Exception:</c>, rule 5). A closure's <c>nonlocal DONE</c> is a <see cref="StrongBox{T}"/>.
/// </para>
/// </remarks>
public static partial class AsyncGenCPythonTests
{
    internal sealed class AwaitException() : Exception(string.Empty);

    internal sealed class ZeroDivisionError() : Exception("division by zero");

    internal sealed class FooEr() : Exception(string.Empty);

    /// <summary>Python's <c>a / b</c> on ints, raising ZeroDivisionError.</summary>
    internal static int Div(int a, int b) => b == 0 ? throw new ZeroDivisionError() : a / b;

    /// <summary><c>await awaitable(throw=...)</c>: suspends once; with <paramref name="throws"/>, raises AwaitException there.</summary>
    internal static async Task Awaitable(bool throws = false)
    {
        await Task.Yield();
        if (throws) throw new AwaitException();
    }

    private const string Prelude = """
        class AwaitException(Exception):
            pass
        async def awaitable(*, throw=False):
            await asyncio.sleep(0)
            if throw:
                raise AwaitException
        async def to_list(gen):
            res = []
            async for i in gen:
                res.append(i)
            return res
        async def iterate(g):
            res = []
            while True:
                try:
                    res.append(await g.__anext__())
                except StopAsyncIteration:
                    res.append("STOP")
                    break
                except Exception as ex:
                    res.append(type(ex).__name__)
            return res
        def sync_iterate(g):
            res = []
            while True:
                try:
                    res.append(g.__next__())
                except StopIteration:
                    res.append("STOP")
                    break
                except Exception as ex:
                    res.append(type(ex).__name__)
            return res
        def show(values):
            return " ".join(str(v) for v in values)

        """;

    /// <summary><c>await g.__anext__()</c>: <c>asend(None)</c>.</summary>
    internal static ValueTask<TOut> ANext<TOut>(IAsyncCoroutine<object?, TOut> c) => c.SendAsync(null);

    /// <summary>CPython's <c>to_list</c>: <c>async for</c> until StopAsyncIteration.</summary>
    internal static async Task<List<TOut>> ToList<TOut>(IAsyncCoroutine<object?, TOut> c)
    {
        var list = new List<TOut>();
        while (true)
        {
            try
            {
                list.Add(await c.SendAsync(null));
            }
            catch (StopIterationException)
            {
                return list;
            }
        }
    }

    /// <summary><c>compare_generators</c>' <c>async_iterate</c>: values, exception names, then STOP.</summary>
    internal static async Task<List<object?>> Iterate<TOut>(IAsyncCoroutine<object?, TOut> c)
    {
        var result = new List<object?>();
        while (true)
        {
            try
            {
                result.Add(await c.SendAsync(null));
            }
            catch (StopIterationException)
            {
                result.Add("STOP");
                return result;
            }
            catch (Exception e)
            {
                result.Add(e.GetType().Name);
            }
        }
    }

    /// <summary><c>compare_generators</c>' <c>sync_iterate</c>, over a sync template.</summary>
    internal static List<object?> SyncIterate<TOut>(ICoroutine<object?, TOut> c)
    {
        var result = new List<object?>();
        while (true)
        {
            try
            {
                result.Add(c.Send(null));
            }
            catch (StopIterationException)
            {
                result.Add("STOP");
                return result;
            }
            catch (Exception e)
            {
                result.Add(e.GetType().Name);
            }
        }
    }

    internal static string Show<T>(IEnumerable<T> values) => string.Join(" ", values.Select(v => Repr(v)));

    /// <summary>Python's <c>str()</c> of the values these tests yield: ints, strings, tuples, StopIteration objects.</summary>
    internal static string Repr(object? value) => value switch
    {
        ITuple { Length: 1 } t => $"({Repr(t[0])},)",
        ITuple t => "(" + string.Join(", ", Enumerable.Range(0, t.Length).Select(i => Repr(t[i]))) + ")",
        StopIterationException stop => Trace.Format(stop.Value),
        _ => Trace.Format(value),
    };

    // ================================================================== AsyncGenTest

    // ------------------------------------------------------------------ test_async_gen_iteration_01

    [Coroutine(Prime = false)]
    internal static async Task Iteration01(Inbox<object?, int> inbox, TextWriter trace)
    {
        await Awaitable();
        var a = inbox.Yield(123);
        trace.WriteLine($"a is None: {Trace.Format(a is null)}");
        await Awaitable();
        inbox.Yield(456);
        await Awaitable();
        inbox.Yield(789);
    }

    [Fact]
    public static async Task Async_gen_iteration_01()
    {
        var trace = new Trace();
        trace.Print(Show(await ToList(Iteration01(trace.Writer))));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                await awaitable()
                a = yield 123
                print(f"a is None: {a is None}")
                await awaitable()
                yield 456
                await awaitable()
                yield 789
            print(show(await to_list(gen())))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_iteration_02

    [Coroutine(Prime = false)]
    internal static async Task Iteration02(Inbox<object?, int> inbox)
    {
        await Awaitable();
        inbox.Yield(123);
        await Awaitable();
    }

    [Fact]
    public static async Task Async_gen_iteration_02()
    {
        // The part that applies: what the awaitable of __anext__() yields to the event loop (('result',)) is the
        // runtime's business here (a ValueTask); its outcome is 123, then StopAsyncIteration without a value.
        var trace = new Trace();
        var g = Iteration02();
        await trace.AttemptAsync("anext", () => ANext(g));
        try
        {
            await ANext(g);
            trace.Print("StopAsyncIteration was not raised");
        }
        catch (StopIterationException stop)
        {
            trace.Print($"StopAsyncIteration, no args: {Trace.Format(stop.Value is null)}");
        }

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                await awaitable()
                yield 123
                await awaitable()
            g = gen()
            ai = g.__aiter__()
            await aattempt("anext", lambda: ai.__anext__())
            try:
                await ai.__anext__()
                print("StopAsyncIteration was not raised")
            except StopAsyncIteration as ex:
                print(f"StopAsyncIteration, no args: {not ex.args}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_exception_03

    [Coroutine(Prime = false)]
    internal static async Task Exception03(Inbox<object?, int> inbox)
    {
        await Awaitable();
        inbox.Yield(123);
        await Awaitable(throws: true);
        inbox.Yield(456);
    }

    [Fact]
    public static async Task Async_gen_exception_03()
    {
        var trace = new Trace();
        await trace.AttemptAsync("to_list", async () => Show(await ToList(Exception03())));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                await awaitable()
                yield 123
                await awaitable(throw=True)
                yield 456
            await aattempt("to_list", lambda: to_list(gen()))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_exception_04

    [Coroutine(Prime = false)]
    internal static async Task Exception04(Inbox<object?, int> inbox)
    {
        await Awaitable();
        inbox.Yield(123);
        Div(1, 0);
    }

    [Fact]
    public static async Task Async_gen_exception_04()
    {
        var trace = new Trace();
        var g = Exception04();
        await trace.AttemptAsync("anext", () => ANext(g));
        await trace.AttemptAsync("anext", () => ANext(g));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                await awaitable()
                yield 123
                1 / 0
            ai = gen().__aiter__()
            await aattempt("anext", lambda: ai.__anext__())
            await aattempt("anext", lambda: ai.__anext__())
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_exception_05, _06

    [Coroutine(Prime = false)]
    internal static async Task RaisesStop(Inbox<object?, int> inbox)
    {
        inbox.Yield(123);
        await Task.CompletedTask;
        throw new StopIterationException();
    }

    [Fact]
    public static async Task Async_gen_exception_05()
    {
        // raise StopAsyncIteration inside the generator: "async generator raised StopAsyncIteration".
        var trace = new Trace();
        await trace.AttemptAsync("to_list", async () => Show(await ToList(RaisesStop())));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                yield 123
                raise StopAsyncIteration
            await aattempt("to_list", lambda: to_list(gen()))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Async_gen_exception_06()
    {
        // raise StopIteration inside the generator: "async generator raised StopIteration". Both are a
        // StopIterationException in C#.
        var trace = new Trace();
        await trace.AttemptAsync("to_list", async () => Show(await ToList(RaisesStop())));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                yield 123
                raise StopIteration
            await aattempt("to_list", lambda: to_list(gen()))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_exception_07, _08, _09 (compare_generators)

#pragma warning disable CORO0007 // these bodies yield in finally blocks, which a close would reach: they are iterated, not closed
    [Coroutine(Prime = false)]
    internal static void Exception07Sync(Inbox<object?, int> inbox)
    {
        try
        {
            inbox.Yield(1);
            Div(1, 0);
        }
        finally
        {
            inbox.Yield(2);
            inbox.Yield(3);
        }

        inbox.Yield(100);
    }

    [Coroutine(Prime = false)]
    internal static async Task Exception07Async(Inbox<object?, int> inbox)
    {
        try
        {
            inbox.Yield(1);
            Div(1, 0);
        }
        finally
        {
            inbox.Yield(2);
            inbox.Yield(3);
        }

        await Task.CompletedTask;
        inbox.Yield(100);
    }

    [Fact]
    public static async Task Async_gen_exception_07()
    {
        var trace = new Trace();
        trace.Print($"sync:  {Show(SyncIterate(Exception07Sync()))}");
        trace.Print($"async: {Show(await Iterate(Exception07Async()))}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            def sync_gen():
                try:
                    yield 1
                    1 / 0
                finally:
                    yield 2
                    yield 3
                yield 100
            async def async_gen():
                try:
                    yield 1
                    1 / 0
                finally:
                    yield 2
                    yield 3
                yield 100
            print(f"sync:  {show(sync_iterate(sync_gen()))}")
            print(f"async: {show(await iterate(async_gen()))}")
            """, trace.Lines);
    }

    [Coroutine(Prime = false)]
    internal static void Exception08Sync(Inbox<object?, int> inbox)
    {
        try
        {
            inbox.Yield(1);
        }
        finally
        {
            inbox.Yield(2);
            Div(1, 0);
            inbox.Yield(3);
        }

        inbox.Yield(100);
    }

    [Coroutine(Prime = false)]
    internal static async Task Exception08Async(Inbox<object?, int> inbox)
    {
        try
        {
            inbox.Yield(1);
            await Awaitable();
        }
        finally
        {
            await Awaitable();
            inbox.Yield(2);
            Div(1, 0);
            inbox.Yield(3);
        }

        inbox.Yield(100);
    }

    [Fact]
    public static async Task Async_gen_exception_08()
    {
        var trace = new Trace();
        trace.Print($"sync:  {Show(SyncIterate(Exception08Sync()))}");
        trace.Print($"async: {Show(await Iterate(Exception08Async()))}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            def sync_gen():
                try:
                    yield 1
                finally:
                    yield 2
                    1 / 0
                    yield 3
                yield 100
            async def async_gen():
                try:
                    yield 1
                    await awaitable()
                finally:
                    await awaitable()
                    yield 2
                    1 / 0
                    yield 3
                yield 100
            print(f"sync:  {show(sync_iterate(sync_gen()))}")
            print(f"async: {show(await iterate(async_gen()))}")
            """, trace.Lines);
    }

    [Coroutine(Prime = false)]
    internal static async Task Exception09Async(Inbox<object?, int> inbox)
    {
        try
        {
            await Awaitable();
            inbox.Yield(1);
            Div(1, 0);
        }
        finally
        {
            inbox.Yield(2);
            await Awaitable();
            inbox.Yield(3);
        }

        inbox.Yield(100);
    }
#pragma warning restore CORO0007

    [Fact]
    public static async Task Async_gen_exception_09()
    {
        var trace = new Trace();
        trace.Print($"sync:  {Show(SyncIterate(Exception07Sync()))}");
        trace.Print($"async: {Show(await Iterate(Exception09Async()))}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            def sync_gen():
                try:
                    yield 1
                    1 / 0
                finally:
                    yield 2
                    yield 3
                yield 100
            async def async_gen():
                try:
                    await awaitable()
                    yield 1
                    1 / 0
                finally:
                    yield 2
                    await awaitable()
                    yield 3
                yield 100
            print(f"sync:  {show(sync_iterate(sync_gen()))}")
            print(f"async: {show(await iterate(async_gen()))}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_exception_10

    [Coroutine(Prime = false)]
    internal static async Task Exception10(Inbox<object?, int> inbox)
    {
        await Task.CompletedTask;
        inbox.Yield(123);
    }

    [Fact]
    public static async Task Async_gen_exception_10()
    {
        // gen().__anext__().send(100): a non-None value to a just-started generator.
        var trace = new Trace();
        var g = Exception10();
        await trace.AttemptAsync("send 100", () => g.SendAsync(100));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                yield 123
            try:
                gen().__anext__().send(100)
                print("send 100: ok")
            except TypeError as e:
                print(f"send 100: {describe(e)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_exception_11

    [Coroutine(Prime = false)]
    internal static void Exception11SyncGen(Inbox<object?, int> inbox)
    {
        inbox.Yield(10);
        inbox.Yield(20);
    }

#pragma warning disable CORO0007 // the GeneratorExit caught here was thrown into another generator and came back out of it
    [Coroutine(Prime = false)]
    internal static void Exception11SyncWrapper(Inbox<object?, int> inbox)
    {
        inbox.Yield(1);
        var sg = Exception11SyncGen();
        sg.Send(null);
        try
        {
            sg.Throw(new GeneratorExitException());
        }
        catch (GeneratorExitException)
        {
            inbox.Yield(2);
        }

        inbox.Yield(3);
    }

    [Coroutine(Prime = false)]
    internal static async Task Exception11AsyncGen(Inbox<object?, int> inbox)
    {
        inbox.Yield(10);
        await Task.CompletedTask;
        inbox.Yield(20);
    }

    [Coroutine(Prime = false)]
    internal static async Task Exception11AsyncWrapper(Inbox<object?, int> inbox)
    {
        inbox.Yield(1);
        var asg = Exception11AsyncGen();
        await asg.SendAsync(null);
        try
        {
            await asg.ThrowAsync(new GeneratorExitException());
        }
        catch (GeneratorExitException)
        {
            inbox.Yield(2);
        }

        inbox.Yield(3);
    }
#pragma warning restore CORO0007

    [Fact]
    public static async Task Async_gen_exception_11()
    {
        var trace = new Trace();
        trace.Print($"sync:  {Show(SyncIterate(Exception11SyncWrapper()))}");
        trace.Print($"async: {Show(await Iterate(Exception11AsyncWrapper()))}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            def sync_gen():
                yield 10
                yield 20
            def sync_gen_wrapper():
                yield 1
                sg = sync_gen()
                sg.send(None)
                try:
                    sg.throw(GeneratorExit())
                except GeneratorExit:
                    yield 2
                yield 3
            async def async_gen():
                yield 10
                yield 20
            async def async_gen_wrapper():
                yield 1
                asg = async_gen()
                await asg.asend(None)
                try:
                    await asg.athrow(GeneratorExit())
                except GeneratorExit:
                    yield 2
                yield 3
            print(f"sync:  {show(sync_iterate(sync_gen_wrapper()))}")
            print(f"async: {show(await iterate(async_gen_wrapper()))}")
            """, trace.Lines);
    }

    // ================================================================== AsyncGenAsyncioTest

    // ------------------------------------------------------------------ test_async_gen_asyncio_01

    [Coroutine(Prime = false)]
    internal static async Task Asyncio01(Inbox<object?, int> inbox)
    {
        inbox.Yield(1);
        await Task.Yield();
        inbox.Yield(2);
        await Task.Yield();
        return;
    }

    [Fact]
    public static async Task Async_gen_asyncio_01()
    {
        // Without the unreachable "yield 3" after the return (an error in C#).
        var trace = new Trace();
        trace.Print(Show(await ToList(Asyncio01())));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                yield 1
                await asyncio.sleep(0)
                yield 2
                await asyncio.sleep(0)
                return
                yield 3
            print(show(await to_list(gen())))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_02

    [Coroutine(Prime = false)]
    internal static async Task Asyncio02(Inbox<object?, int> inbox)
    {
        inbox.Yield(1);
        await Task.Yield();
        inbox.Yield(2);
        Div(1, 0);
        inbox.Yield(3);
    }

    [Fact]
    public static async Task Async_gen_asyncio_02()
    {
        var trace = new Trace();
        await trace.AttemptAsync("to_list", async () => Show(await ToList(Asyncio02())));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                yield 1
                await asyncio.sleep(0)
                yield 2
                1 / 0
                yield 3
            await aattempt("to_list", lambda: to_list(gen()))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_03

    /// <summary>CPython's <c>class Gen</c>, whose <c>__aiter__</c> is an async generator method: an instance template.</summary>
    internal sealed partial class Gen
    {
        [Coroutine(Prime = false)]
        internal async Task Aiter(Inbox<object?, int> inbox)
        {
            inbox.Yield(1);
            await Task.Yield();
            inbox.Yield(2);
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_03()
    {
        var trace = new Trace();
        trace.Print(Show(await ToList(new Gen().Aiter())));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            class Gen:
                async def __aiter__(self):
                    yield 1
                    await asyncio.sleep(0)
                    yield 2
            print(show(await to_list(Gen())))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_anext_04

    [Coroutine(Prime = false)]
    internal static async Task Anext04(Inbox<object?, int> inbox)
    {
        inbox.Yield(1);
        await Task.Yield();
        try
        {
            inbox.Yield(2);
            inbox.Yield(3);
        }
        catch (ZeroDivisionError)
        {
            inbox.Yield(1000);
        }

        await Task.Yield();
        inbox.Yield(4);
    }

    private const string Anext04Twin = """
        async def foo():
            yield 1
            await asyncio.sleep(0)
            try:
                yield 2
                yield 3
            except ZeroDivisionError:
                yield 1000
            await asyncio.sleep(0)
            yield 4

        """;

    [Fact]
    public static async Task Async_gen_asyncio_anext_04()
    {
        var trace = new Trace();
        trace.Print("run1");
        var it = Anext04();
        for (int i = 0; i < 6; i++)
        {
            await trace.AttemptAsync("anext", () => ANext(it));
        }

        // run2: it.__anext__().throw(ZeroDivisionError) throws into the generator where it is parked, at "yield 2".
        trace.Print("run2");
        it = Anext04();
        await trace.AttemptAsync("anext", () => ANext(it));
        await trace.AttemptAsync("anext", () => ANext(it));
        await trace.AttemptAsync("throw", () => it.ThrowAsync(new ZeroDivisionError()));
        await trace.AttemptAsync("anext", () => ANext(it));
        await trace.AttemptAsync("anext", () => ANext(it));

        PythonTwin.AssertSameAsyncTrace(Prelude + Anext04Twin + """
            print("run1")
            it = foo().__aiter__()
            for i in range(6):
                await aattempt("anext", lambda: it.__anext__())
            print("run2")
            it = foo().__aiter__()
            await aattempt("anext", lambda: it.__anext__())
            await aattempt("anext", lambda: it.__anext__())
            try:
                it.__anext__().throw(ZeroDivisionError)
                print("throw: StopIteration was not raised")
            except StopIteration as ex:
                print(f"throw: ok {ex.args[0]}")
            await aattempt("anext", lambda: it.__anext__())
            await aattempt("anext", lambda: it.__anext__())
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_anext_05

    [Coroutine(Prime = false)]
    internal static async Task Anext05(Inbox<int, int> inbox)
    {
        var v = inbox.Yield(1);
        await Task.CompletedTask;
        v = inbox.Yield(v);
        inbox.Yield(v * 100);
    }

    [Fact]
    public static async Task Async_gen_asyncio_anext_05()
    {
        // it.__anext__().send(v) delivers v to the generator, as asend(v) does; None is default(int) here.
        var trace = new Trace();
        var it = Anext05();
        await trace.AttemptAsync("send None", () => it.SendAsync(0));
        await trace.AttemptAsync("send 10", () => it.SendAsync(10));
        await trace.AttemptAsync("send 12", () => it.SendAsync(12));
        await trace.AttemptAsync("anext", () => it.SendAsync(0));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def foo():
                v = yield 1
                v = yield v
                yield v * 100
            it = foo().__aiter__()
            for label, value in [("send None", None), ("send 10", 10), ("send 12", 12)]:
                try:
                    it.__anext__().send(value)
                    print(f"{label}: StopIteration was not raised")
                except StopIteration as ex:
                    print(f"{label}: ok {ex.args[0]}")
            await aattempt("anext", lambda: it.__anext__())
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_anext_06

    [Coroutine(Prime = false)]
    internal static void BareExceptSync(Inbox<object?, object?> inbox)
    {
        try
        {
            inbox.Receive();
        }
        catch (GeneratorExitException)
        {
        }
        catch
        {
        }
    }

    [Coroutine(Prime = false)]
    internal static async Task BareExceptAsync(Inbox<object?, object?> inbox, StrongBox<int> done)
    {
        try
        {
            inbox.Receive();
        }
        catch (GeneratorExitException)
        {
        }
        catch
        {
        }

        await Task.CompletedTask;
        done.Value = 1;
    }

    [Fact]
    public static async Task Async_gen_asyncio_anext_06()
    {
        var trace = new Trace();
        var g = BareExceptSync();
        g.Send(null);
        trace.Attempt("sync send", () => g.Send(null));

        var done = new StrongBox<int>(0);
        var ag = BareExceptAsync(done);
        await ag.SendAsync(null);
        await trace.AttemptAsync("asend", () => ag.SendAsync(null));
        done.Value += 10;
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            def foo():
                try:
                    yield
                except:
                    pass
            g = foo()
            g.send(None)
            attempt("sync send", lambda: g.send(None))
            async def gen():
                nonlocal DONE
                try:
                    yield
                except:
                    pass
                DONE = 1
            ag = gen()
            await ag.asend(None)
            await aattempt("asend", lambda: ag.asend(None))
            DONE += 10
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_anext_tuple

    [Coroutine(Prime = false)]
    internal static async Task AnextTuple(Inbox<object?, Tuple<int>> inbox)
    {
        try
        {
            inbox.Yield(Tuple.Create(1));
        }
        catch (ZeroDivisionError)
        {
            await Task.CompletedTask;
            inbox.Yield(Tuple.Create(2));
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_anext_tuple()
    {
        // A tuple yielded is a value, not unpacked into StopIteration's arguments.
        var trace = new Trace();
        var it = AnextTuple();
        trace.Print($"anext: {Repr(await ANext(it))}");
        trace.Print($"throw: {Repr(await it.ThrowAsync(new ZeroDivisionError()))}");
        await trace.AttemptAsync("anext", () => ANext(it));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def foo():
                try:
                    yield (1,)
                except ZeroDivisionError:
                    yield (2,)
            it = foo().__aiter__()
            print(f"anext: {await it.__anext__()}")
            try:
                it.__anext__().throw(ZeroDivisionError)
            except StopIteration as ex:
                print(f"throw: {ex.args[0]}")
            await aattempt("anext", lambda: it.__anext__())
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_anext_stopiteration

    [Coroutine(Prime = false)]
    internal static async Task AnextStopIteration(Inbox<object?, StopIterationException> inbox)
    {
        try
        {
            inbox.Yield(new StopIterationException(1));
        }
        catch (ZeroDivisionError)
        {
            await Task.CompletedTask;
            inbox.Yield(new StopIterationException(3));
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_anext_stopiteration()
    {
        // A StopIteration object yielded is a value: it does not finish anything.
        var trace = new Trace();
        var it = AnextStopIteration();
        var v = await ANext(it);
        trace.Print($"anext: {v.GetType().Name} {v.Value}");
        v = await it.ThrowAsync(new ZeroDivisionError());
        trace.Print($"throw: {v.GetType().Name} {v.Value}");
        await trace.AttemptAsync("anext", () => ANext(it));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def foo():
                try:
                    yield StopIteration(1)
                except ZeroDivisionError:
                    yield StopIteration(3)
            it = foo().__aiter__()
            v = await it.__anext__()
            print(f"anext: {type(v).__name__}Exception {v.value}")
            try:
                it.__anext__().throw(ZeroDivisionError)
            except StopIteration as ex:
                v = ex.args[0]
            print(f"throw: {type(v).__name__}Exception {v.value}")
            await aattempt("anext", lambda: it.__anext__())
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_aclose_06

#pragma warning disable CORO0007 // the finally block yields: aclose() must fail
    [Coroutine(Prime = false)]
    internal static async Task Aclose06(Inbox<object?, int> inbox)
    {
        try
        {
            inbox.Yield(1);
            Div(1, 0);
        }
        finally
        {
            await Task.Yield();
            inbox.Yield(12);
        }
    }
#pragma warning restore CORO0007

    [Fact]
    public static async Task Async_gen_asyncio_aclose_06()
    {
        var trace = new Trace();
        var gen = Aclose06();
        await ANext(gen);
        await trace.AttemptAsync("aclose", () => gen.CloseAsync());

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def foo():
                try:
                    yield 1
                    1 / 0
                finally:
                    await asyncio.sleep(0)
                    yield 12
            gen = foo()
            it = gen.__aiter__()
            await it.__anext__()
            await aattempt("aclose", lambda: gen.aclose())
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_aclose_07

    [Coroutine(Prime = false)]
    internal static async Task Aclose07(Inbox<object?, int> inbox, StrongBox<int> done)
    {
        try
        {
            inbox.Yield(1);
            Div(1, 0);
        }
        finally
        {
            await Task.Yield();
            await Task.Yield();
            done.Value += 1;
        }

        done.Value += 1000;
    }

    [Fact]
    public static async Task Async_gen_asyncio_aclose_07()
    {
        var trace = new Trace();
        var done = new StrongBox<int>(0);
        var gen = Aclose07(done);
        await ANext(gen);
        await trace.AttemptAsync("aclose", () => gen.CloseAsync());
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            async def foo():
                nonlocal DONE
                try:
                    yield 1
                    1 / 0
                finally:
                    await asyncio.sleep(0)
                    await asyncio.sleep(0)
                    DONE += 1
                DONE += 1000
            gen = foo()
            it = gen.__aiter__()
            await it.__anext__()
            await aattempt("aclose", lambda: gen.aclose())
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_aclose_08

    [Coroutine(Prime = false)]
    internal static async Task Aclose08(Inbox<object?, int> inbox, Task fut, StrongBox<int> done)
    {
        try
        {
            inbox.Yield(1);
            await fut;
            done.Value += 1000;
            inbox.Yield(2);
        }
        finally
        {
            await Task.Yield();
            await Task.Yield();
            done.Value += 1;
        }

        done.Value += 1000;
    }

    [Fact]
    public static async Task Async_gen_asyncio_aclose_08()
    {
        // fut is a future nobody completes (CPython cancels it at the end to silence a warning).
        var trace = new Trace();
        var done = new StrongBox<int>(0);
        var fut = new TaskCompletionSource();
        var gen = Aclose08(fut.Task, done);
        await trace.AttemptAsync("anext", () => ANext(gen));
        await trace.AttemptAsync("aclose", () => gen.CloseAsync());
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            fut = asyncio.get_running_loop().create_future()
            async def foo():
                nonlocal DONE
                try:
                    yield 1
                    await fut
                    DONE += 1000
                    yield 2
                finally:
                    await asyncio.sleep(0)
                    await asyncio.sleep(0)
                    DONE += 1
                DONE += 1000
            gen = foo()
            it = gen.__aiter__()
            await aattempt("anext", lambda: it.__anext__())
            await aattempt("aclose", lambda: gen.aclose())
            print(f"DONE {DONE}")
            fut.cancel()
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_aclose_10

    [Fact]
    public static async Task Async_gen_asyncio_aclose_10()
    {
        // A bare except (here: catch (GeneratorExitException) and catch) swallows GeneratorExit, and the body ends.
        var trace = new Trace();
        var g = BareExceptSync();
        g.Send(null);
        trace.Attempt("sync close", () => g.Close());

        var done = new StrongBox<int>(0);
        var ag = BareExceptAsync(done);
        await ag.SendAsync(null);
        await trace.AttemptAsync("aclose", () => ag.CloseAsync());
        done.Value += 10;
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            def foo():
                try:
                    yield
                except:
                    pass
            g = foo()
            g.send(None)
            attempt("sync close", lambda: g.close())
            async def gen():
                nonlocal DONE
                try:
                    yield
                except:
                    pass
                DONE = 1
            ag = gen()
            await ag.asend(None)
            await aattempt("aclose", lambda: ag.aclose())
            DONE += 10
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_aclose_11

#pragma warning disable CORO0007 // the bare except swallows GeneratorExit and the body yields again: aclose() must fail
    [Coroutine(Prime = false)]
    internal static void SwallowsThenYieldsSync(Inbox<object?, object?> inbox)
    {
        try
        {
            inbox.Receive();
        }
        catch (GeneratorExitException)
        {
        }
        catch
        {
        }

        inbox.Receive();
    }

    [Coroutine(Prime = false)]
    internal static async Task SwallowsThenYieldsAsync(Inbox<object?, object?> inbox, StrongBox<int> done)
    {
        try
        {
            inbox.Receive();
        }
        catch (GeneratorExitException)
        {
        }
        catch
        {
        }

        await Task.CompletedTask;
        inbox.Receive();
        done.Value += 1;
    }
#pragma warning restore CORO0007

    [Fact]
    public static async Task Async_gen_asyncio_aclose_11()
    {
        var trace = new Trace();
        var g = SwallowsThenYieldsSync();
        g.Send(null);
        trace.Attempt("sync close", () => g.Close());

        var done = new StrongBox<int>(0);
        var ag = SwallowsThenYieldsAsync(done);
        await ag.SendAsync(null);
        await trace.AttemptAsync("aclose", () => ag.CloseAsync());
        done.Value += 10;
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            def foo():
                try:
                    yield
                except:
                    pass
                yield
            g = foo()
            g.send(None)
            attempt("sync close", lambda: g.close())
            async def gen():
                nonlocal DONE
                try:
                    yield
                except:
                    pass
                yield
                DONE += 1
            ag = gen()
            await ag.asend(None)
            await aattempt("aclose", lambda: ag.aclose())
            DONE += 10
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_aclose_12

    internal static async Task Target()
    {
        await Task.Yield();
        Div(1, 0);
    }

    [Coroutine(Prime = false)]
    internal static async Task Aclose12(Inbox<object?, int> inbox, StrongBox<int> done)
    {
        var task = Target();
        try
        {
            inbox.Yield(1);
        }
        finally
        {
            try
            {
                await task;
            }
            catch (ZeroDivisionError)
            {
                done.Value = 1;
            }
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_aclose_12()
    {
        // asyncio.create_task(target()): a task that runs on its own and fails; the finally block awaits it.
        var trace = new Trace();
        var done = new StrongBox<int>(0);
        var gen = Aclose12(done);
        await ANext(gen);
        await trace.AttemptAsync("aclose", () => gen.CloseAsync());
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            async def target():
                await asyncio.sleep(0)
                1 / 0
            async def foo():
                nonlocal DONE
                task = asyncio.create_task(target())
                try:
                    yield 1
                finally:
                    try:
                        await task
                    except ZeroDivisionError:
                        DONE = 1
            gen = foo()
            it = gen.__aiter__()
            await it.__anext__()
            await aattempt("aclose", lambda: gen.aclose())
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_asend_01

    [Coroutine(Prime = false)]
    internal static void Sgen(Inbox<int, int> inbox)
    {
        var v = inbox.Yield(1);
        inbox.Yield(v * 2);
    }

    [Coroutine(Prime = false)]
    internal static async Task Asend01(Inbox<int, int> inbox, StrongBox<int> done)
    {
        try
        {
            await Task.Yield();
            var v = inbox.Yield(1);
            await Task.Yield();
            inbox.Yield(v * 2);
            await Task.Yield();
            return;
        }
        finally
        {
            await Task.Yield();
            await Task.Yield();
            done.Value = 1;
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_asend_01()
    {
        var trace = new Trace();
        var sg = Sgen();
        trace.Print($"sync: {sg.Send(0)} {sg.Send(100)}");

        var done = new StrongBox<int>(0);
        var g = Asend01(done);
        await trace.AttemptAsync("asend None", () => g.SendAsync(0));
        await trace.AttemptAsync("asend 100", () => g.SendAsync(100));
        await trace.AttemptAsync("asend None", () => g.SendAsync(0));
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            def sgen():
                v = yield 1
                yield v * 2
            sg = sgen()
            print(f"sync: {sg.send(None)} {sg.send(100)}")
            async def gen():
                nonlocal DONE
                try:
                    await asyncio.sleep(0)
                    v = yield 1
                    await asyncio.sleep(0)
                    yield v * 2
                    await asyncio.sleep(0)
                    return
                finally:
                    await asyncio.sleep(0)
                    await asyncio.sleep(0)
                    DONE = 1
            g = gen()
            await aattempt("asend None", lambda: g.asend(None))
            await aattempt("asend 100", lambda: g.asend(100))
            await aattempt("asend None", lambda: g.asend(None))
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_asend_02

    internal static async Task SleepNCrash()
    {
        await Task.Yield();
        Div(1, 0);
    }

    [Coroutine(Prime = false)]
    internal static async Task Asend02(Inbox<int, int> inbox, StrongBox<int> done)
    {
        try
        {
            await Task.Yield();
            var v = inbox.Yield(1);
            await SleepNCrash();
            done.Value += 1000;
            inbox.Yield(v * 2);
        }
        finally
        {
            await Task.Yield();
            await Task.Yield();
            done.Value = 1;
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_asend_02()
    {
        var trace = new Trace();
        var done = new StrongBox<int>(0);
        var g = Asend02(done);
        await trace.AttemptAsync("asend None", () => g.SendAsync(0));
        await trace.AttemptAsync("asend 100", () => g.SendAsync(100));
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            async def sleep_n_crash():
                await asyncio.sleep(0)
                1 / 0
            async def gen():
                nonlocal DONE
                try:
                    await asyncio.sleep(0)
                    v = yield 1
                    await sleep_n_crash()
                    DONE += 1000
                    yield v * 2
                finally:
                    await asyncio.sleep(0)
                    await asyncio.sleep(0)
                    DONE = 1
            g = gen()
            await aattempt("asend None", lambda: g.asend(None))
            await aattempt("asend 100", lambda: g.asend(100))
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_asend_03

    /// <summary>
    /// CPython's <c>sleep_n_crash</c> that cancels its own future after half the delay: here the body waits at a gate
    /// whose wait the test cancels once the body is there (the Python twin cancels the future the same way).
    /// </summary>
    internal static Task SleepNCrash(Gate gate, CancellationToken cancelled) => gate.WaitAsync(cancelled);

    private const string CancellingSleepNCrash = """
        crash = Gate()
        futures = []
        async def sleep_n_crash():
            fut = asyncio.ensure_future(crash.wait())
            futures.append(fut)
            return await fut
        async def cancel_the_crash():
            await crash.reached.wait()
            futures[0].cancel()

        """;

    [Coroutine(Prime = false)]
    internal static async Task Asend03(Inbox<int, int> inbox, Gate crash, CancellationToken cancelled, StrongBox<int> done)
    {
        try
        {
            await Task.Yield();
            var v = inbox.Yield(1);
            await SleepNCrash(crash, cancelled);
            done.Value += 1000;
            inbox.Yield(v * 2);
        }
        finally
        {
            await Task.Yield();
            await Task.Yield();
            done.Value = 1;
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_asend_03()
    {
        var trace = new Trace();
        var done = new StrongBox<int>(0);
        var crash = new Gate();
        using var cts = new CancellationTokenSource();
        var g = Asend03(crash, cts.Token, done);
        await trace.AttemptAsync("asend None", () => g.SendAsync(0));
        var sending = g.SendAsync(100).AsTask();
        await crash.Reached;
        cts.Cancel();
        await trace.AttemptAsync("asend 100", () => sending);
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + CancellingSleepNCrash + """
            DONE = 0
            async def gen():
                nonlocal DONE
                try:
                    await asyncio.sleep(0)
                    v = yield 1
                    await sleep_n_crash()
                    DONE += 1000
                    yield v * 2
                finally:
                    await asyncio.sleep(0)
                    await asyncio.sleep(0)
                    DONE = 1
            g = gen()
            await aattempt("asend None", lambda: g.asend(None))
            sending = asyncio.ensure_future(g.asend(100))
            await cancel_the_crash()
            await aattempt("asend 100", lambda: sending)
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_athrow_01

    [Coroutine(Prime = false)]
    internal static void SgenAthrow(Inbox<int, int> inbox)
    {
        int v;
        try
        {
            v = inbox.Yield(1);
        }
        catch (FooEr)
        {
            v = 1000;
        }

        inbox.Yield(v * 2);
    }

    [Coroutine(Prime = false)]
    internal static async Task Athrow01(Inbox<int, int> inbox, StrongBox<int> done)
    {
        try
        {
            await Task.Yield();
            int v;
            try
            {
                v = inbox.Yield(1);
            }
            catch (FooEr)
            {
                v = 1000;
                await Task.Yield();
            }

            inbox.Yield(v * 2);
            await Task.Yield();
        }
        finally
        {
            await Task.Yield();
            await Task.Yield();
            done.Value = 1;
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_athrow_01()
    {
        var trace = new Trace();
        var sg = SgenAthrow();
        trace.Print($"sync: {sg.Send(0)} {sg.Throw(new FooEr())}");
        trace.Attempt("sync send", () => sg.Send(0));

        var done = new StrongBox<int>(0);
        var g = Athrow01(done);
        await trace.AttemptAsync("asend None", () => g.SendAsync(0));
        await trace.AttemptAsync("athrow FooEr", () => g.ThrowAsync(new FooEr()));
        await trace.AttemptAsync("asend None", () => g.SendAsync(0));
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            class FooEr(Exception):
                pass
            def sgen():
                try:
                    v = yield 1
                except FooEr:
                    v = 1000
                yield v * 2
            sg = sgen()
            print(f"sync: {sg.send(None)} {sg.throw(FooEr)}")
            attempt("sync send", lambda: sg.send(None))
            async def gen():
                nonlocal DONE
                try:
                    await asyncio.sleep(0)
                    try:
                        v = yield 1
                    except FooEr:
                        v = 1000
                        await asyncio.sleep(0)
                    yield v * 2
                    await asyncio.sleep(0)
                finally:
                    await asyncio.sleep(0)
                    await asyncio.sleep(0)
                    DONE = 1
            g = gen()
            await aattempt("asend None", lambda: g.asend(None))
            await aattempt("athrow FooEr", lambda: g.athrow(FooEr))
            await aattempt("asend None", lambda: g.asend(None))
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_athrow_02

    [Coroutine(Prime = false)]
    internal static async Task Athrow02(Inbox<int, int> inbox, Gate crash, CancellationToken cancelled, StrongBox<int> done)
    {
        try
        {
            await Task.Yield();
            int v = 0;
            try
            {
                v = inbox.Yield(1);
            }
            catch (FooEr)
            {
                await SleepNCrash(crash, cancelled);
            }

            inbox.Yield(v * 2);
            await Task.Yield();
        }
        finally
        {
            await Task.Yield();
            await Task.Yield();
            done.Value = 1;
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_athrow_02()
    {
        // v starts at 0 in C# (definite assignment); CPython's v is never read on the path the test takes.
        var trace = new Trace();
        var done = new StrongBox<int>(0);
        var crash = new Gate();
        using var cts = new CancellationTokenSource();
        var g = Athrow02(crash, cts.Token, done);
        await trace.AttemptAsync("asend None", () => g.SendAsync(0));
        var throwing = g.ThrowAsync(new FooEr()).AsTask();
        await crash.Reached;
        cts.Cancel();
        try
        {
            await throwing;
            trace.Print("CancelledError was not raised");
        }
        catch (OperationCanceledException)
        {
            trace.Print($"athrow FooEr: CancelledError, DONE {done.Value}");
        }

        PythonTwin.AssertSameAsyncTrace(Prelude + CancellingSleepNCrash + """
            DONE = 0
            class FooEr(Exception):
                pass
            async def gen():
                nonlocal DONE
                try:
                    await asyncio.sleep(0)
                    try:
                        v = yield 1
                    except FooEr:
                        await sleep_n_crash()
                    yield v * 2
                    await asyncio.sleep(0)
                finally:
                    await asyncio.sleep(0)
                    await asyncio.sleep(0)
                    DONE = 1
            g = gen()
            await aattempt("asend None", lambda: g.asend(None))
            throwing = asyncio.ensure_future(g.athrow(FooEr))
            await cancel_the_crash()
            try:
                await throwing
                print("CancelledError was not raised")
            except asyncio.CancelledError:
                print(f"athrow FooEr: CancelledError, DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_athrow_03

    [Fact]
    public static async Task Async_gen_asyncio_athrow_03()
    {
        var trace = new Trace();
        var g = BareExceptSync();
        g.Send(null);
        trace.Attempt("sync throw", () => g.Throw(new ValueError("v")));

        var done = new StrongBox<int>(0);
        var ag = BareExceptAsync(done);
        await ag.SendAsync(null);
        await trace.AttemptAsync("athrow", () => ag.ThrowAsync(new ValueError("v")));
        done.Value += 10;
        trace.Print($"DONE {done.Value}");

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            DONE = 0
            def foo():
                try:
                    yield
                except:
                    pass
            g = foo()
            g.send(None)
            attempt("sync throw", lambda: g.throw(ValueError))
            async def gen():
                nonlocal DONE
                try:
                    yield
                except:
                    pass
                DONE = 1
            ag = gen()
            await ag.asend(None)
            await aattempt("athrow", lambda: ag.athrow(ValueError))
            DONE += 10
            print(f"DONE {DONE}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_asyncio_athrow_tuple, _stopiteration

    [Coroutine(Prime = false)]
    internal static async Task AthrowValue(Inbox<object?, object> inbox, object value)
    {
        try
        {
            inbox.Yield(1);
        }
        catch (ZeroDivisionError)
        {
            await Task.Yield();
            inbox.Yield(value);
        }
    }

    [Fact]
    public static async Task Async_gen_asyncio_athrow_tuple()
    {
        var trace = new Trace();
        var g = AthrowValue(Tuple.Create(2));
        trace.Print($"asend: {Repr(await g.SendAsync(null))}");
        trace.Print($"athrow: {Repr(await g.ThrowAsync(new ZeroDivisionError()))}");
        await trace.AttemptAsync("asend", () => g.SendAsync(null));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                try:
                    yield 1
                except ZeroDivisionError:
                    await asyncio.sleep(0)
                    yield (2,)
            g = gen()
            print(f"asend: {await g.asend(None)}")
            print(f"athrow: {await g.athrow(ZeroDivisionError)}")
            await aattempt("asend", lambda: g.asend(None))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Async_gen_asyncio_athrow_stopiteration()
    {
        var trace = new Trace();
        var g = AthrowValue(new StopIterationException(2));
        trace.Print($"asend: {Repr(await g.SendAsync(null))}");
        var v = await g.ThrowAsync(new ZeroDivisionError());
        trace.Print($"athrow: {v.GetType().Name} {Repr(v)}");
        await trace.AttemptAsync("asend", () => g.SendAsync(null));

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def gen():
                try:
                    yield 1
                except ZeroDivisionError:
                    await asyncio.sleep(0)
                    yield StopIteration(2)
            g = gen()
            print(f"asend: {await g.asend(None)}")
            v = await g.athrow(ZeroDivisionError)
            print(f"athrow: {type(v).__name__}Exception {v.value}")
            await aattempt("asend", lambda: g.asend(None))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ test_async_gen_aclose_twice_with_different_coros, _after_exhaustion

    [Coroutine(Prime = false)]
    internal static async Task AsyncIterate(Inbox<object?, int> inbox)
    {
        inbox.Yield(1);
        await Task.CompletedTask;
        inbox.Yield(2);
    }

    [Fact]
    public static async Task Async_gen_aclose_twice_with_different_coros()
    {
        var trace = new Trace();
        var it = AsyncIterate();
        await trace.AttemptAsync("aclose", () => it.CloseAsync());
        await trace.AttemptAsync("aclose", () => it.CloseAsync());

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def async_iterate():
                yield 1
                yield 2
            it = async_iterate()
            await aattempt("aclose", lambda: it.aclose())
            await aattempt("aclose", lambda: it.aclose())
            """, trace.Lines);
    }

    [Fact]
    public static async Task Async_gen_aclose_after_exhaustion()
    {
        var trace = new Trace();
        var it = AsyncIterate();
        trace.Print(Show(await ToList(it)));
        await trace.AttemptAsync("aclose", () => it.CloseAsync());

        PythonTwin.AssertSameAsyncTrace(Prelude + """
            async def async_iterate():
                yield 1
                yield 2
            it = async_iterate()
            print(show(await to_list(it)))
            await aattempt("aclose", lambda: it.aclose())
            """, trace.Lines);
    }
}
