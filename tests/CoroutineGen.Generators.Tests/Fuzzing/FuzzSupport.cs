namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>
/// What every fuzzed program calls, once in C# (compiled with each batch) and once in Python (the prelude of the
/// batch's script). Both print the same line for the same event: <c>F</c>/<c>G</c>/<c>B</c> print their arguments,
/// <c>Res</c> prints when it is created and disposed, and exceptions are described as
/// <c>CoroutineGen.Tests.Infrastructure.Trace.Describe</c> and the twin prelude's <c>describe</c> do (Python's
/// exceptions under the names CoroutineGen maps them to), except that a KeyError prints its message without the
/// quotes Python's <c>str(KeyError)</c> adds.
/// </summary>
internal static class FuzzSupport
{
    /// <summary>The C# helpers, in namespace <c>Fuzz</c>.</summary>
    public const string CSharp = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Globalization;
        using System.Threading;
        using System.Threading.Tasks;
        using CoroutineGen;

        namespace Fuzz
        {
            public sealed class ValueError(string message) : Exception(message);

            public sealed class KeyError(string message) : Exception(message);

            public sealed class TypeError(string message) : Exception(message);

            /// <summary>A resource for 'using' (Python: a context manager).</summary>
            public sealed class Res : IDisposable
            {
                private readonly ICollection<string> _log;
                private readonly string _tag;

                public Res(ICollection<string> log, string tag)
                {
                    _log = log;
                    _tag = tag;
                    log.Add(tag + " enter");
                }

                public void Dispose() => _log.Add(_tag + " exit");
            }

            /// <summary>A resource for 'await using' (Python: an async context manager), whose DisposeAsync may really yield first.</summary>
            public sealed class ARes : IAsyncDisposable
            {
                private readonly ICollection<string> _log;
                private readonly string _tag;
                private readonly bool _yielding;

                public ARes(ICollection<string> log, string tag, bool yielding)
                {
                    _log = log;
                    _tag = tag;
                    _yielding = yielding;
                    log.Add(tag + " enter");
                }

                public async ValueTask DisposeAsync()
                {
                    if (_yielding)
                    {
                        await Task.Yield();
                    }

                    _log.Add(_tag + " exit");
                }
            }

            /// <summary>
            /// A single-threaded pump for the async drivers: what an await posts runs on the driver's thread, in order,
            /// only while the driver itself waits (as on asyncio's event loop), so an overlapping call sees the first
            /// one still in flight on both sides.
            /// </summary>
            public sealed class PumpContext : SynchronizationContext
            {
                private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();

                public override void Post(SendOrPostCallback d, object? state)
                {
                    try
                    {
                        _queue.Add((d, state));
                    }
                    catch (InvalidOperationException)
                    {
                        ThreadPool.QueueUserWorkItem(_ => d(state)); // the driver is done: nothing waits for this any more
                    }
                }

                public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("the fuzz pump only posts");

                public override SynchronizationContext CreateCopy() => this;

                public void Run()
                {
                    foreach (var (callback, state) in _queue.GetConsumingEnumerable())
                    {
                        callback(state);
                    }
                }

                public void Complete() => _queue.CompleteAdding();
            }

            public static class Fz
            {
                /// <summary>Runs an async driver to its end on a <see cref="PumpContext"/> on this thread.</summary>
                public static void Pump(Func<Task> main)
                {
                    var previous = SynchronizationContext.Current;
                    var context = new PumpContext();
                    SynchronizationContext.SetSynchronizationContext(context);
                    try
                    {
                        var task = main();
                        task.ContinueWith(_ => context.Complete(), TaskScheduler.Default);
                        context.Run();
                        task.GetAwaiter().GetResult();
                    }
                    finally
                    {
                        SynchronizationContext.SetSynchronizationContext(previous);
                    }
                }

                /// <summary>A completed task that prints first (Python: <c>await A(tag, x)</c>).</summary>
                public static Task<int> A(ICollection<string> log, string tag, int x)
                {
                    log.Add(tag + " " + x.ToString(CultureInfo.InvariantCulture));
                    return Task.FromResult(x);
                }

                /// <summary>A task that really yields, then prints (Python: <c>await AY(tag, x)</c>).</summary>
                public static async Task<int> AY(ICollection<string> log, string tag, int x)
                {
                    await Task.Yield();
                    log.Add(tag + " " + x.ToString(CultureInfo.InvariantCulture));
                    return x;
                }

                /// <summary>Really yields, then prints the tag (Python: <c>await pause(tag)</c>).</summary>
                public static async Task Pause(ICollection<string> log, string tag)
                {
                    await Task.Yield();
                    log.Add(tag);
                }

                public static int H(ICollection<string> log, string tag, int x, int y, int z)
                {
                    log.Add(tag + " " + x.ToString(CultureInfo.InvariantCulture) + " " + y.ToString(CultureInfo.InvariantCulture) + " " + z.ToString(CultureInfo.InvariantCulture));
                    return x + y + z;
                }

                /// <summary>An async sequence 0..n-1 that prints each item and "tag done" from its finally (Python: <c>seq</c>).</summary>
                public static async IAsyncEnumerable<int> Seq(ICollection<string> log, string tag, int n, bool yielding)
                {
                    try
                    {
                        for (int i = 0; i < n; i++)
                        {
                            if (yielding)
                            {
                                await Task.Yield();
                            }

                            log.Add(tag + " item " + i.ToString(CultureInfo.InvariantCulture));
                            yield return i;
                        }
                    }
                    finally
                    {
                        log.Add(tag + " done");
                    }
                }

                /// <summary>An async driver operation's outcome: null for a task without a value.</summary>
                public static async Task<string?> R(ValueTask task)
                {
                    await task;
                    return null;
                }

                public static async Task<string?> R(ValueTask<int> task) => (await task).ToString(CultureInfo.InvariantCulture);

                public static async Task AttemptAsync(ICollection<string> log, string label, Func<Task<string?>> action)
                {
                    try
                    {
                        var result = await action();
                        log.Add(result is null ? label + ": ok" : label + ": ok " + result);
                    }
                    catch (Exception e)
                    {
                        log.Add(label + ": " + D(e));
                    }
                }

                /// <summary>
                /// Starts <paramref name="first"/>, says whether it is still in flight (and the state), runs
                /// <paramref name="second"/> (which fails with "coroutine is already running" while the first is in
                /// flight), then awaits the first (Python: <c>overlap</c>). The stored closures are called while the
                /// first is in flight too: a local live across an await must not look cleared.
                /// </summary>
                public static async Task OverlapAsync(ICollection<string> log, string label, Func<Task<string?>> first, Func<string> state, string secondLabel, Func<Task<string?>> second, List<Func<string>> sink)
                {
                    Task<string?> task;
                    try
                    {
                        task = first();
                    }
                    catch (Exception e)
                    {
                        task = Task.FromException<string?>(e);
                    }

                    log.Add(label + (task.IsCompleted ? ": completed at once" : ": in flight") + ", state: " + state());
                    Closures(log, sink);
                    await AttemptAsync(log, secondLabel, second);
                    await AttemptAsync(log, label, () => task);
                }

                public static int F(ICollection<string> log, string tag, int x)
                {
                    log.Add(tag + " " + x.ToString(CultureInfo.InvariantCulture));
                    return x;
                }

                public static int G(ICollection<string> log, string tag, int x, int y)
                {
                    log.Add(tag + " " + x.ToString(CultureInfo.InvariantCulture) + " " + y.ToString(CultureInfo.InvariantCulture));
                    return x + y;
                }

                public static bool B(ICollection<string> log, string tag, bool b)
                {
                    log.Add(tag + (b ? " True" : " False"));
                    return b;
                }

                /// <summary>An exception as the Python prelude's describe writes it (Trace.Describe).</summary>
                public static string D(Exception e) => e switch
                {
                    StopIterationException { Value: null } => "StopIteration",
                    StopIterationException stop => "StopIteration(" + Convert.ToString(stop.Value, CultureInfo.InvariantCulture) + ")",
                    GeneratorExitException => "GeneratorExit",
                    InvalidOperationException { Message: "coroutine ignored GeneratorExit" } => "RuntimeError: coroutine ignored GeneratorExit",
                    InvalidOperationException { Message: "coroutine raised StopIteration", InnerException: { } inner } => "RuntimeError: coroutine raised StopIteration (inner: " + D(inner) + ")",
                    InvalidOperationException { Message: "coroutine is already running" } => "ValueError: coroutine is already running",
                    ArgumentException { ParamName: "value" } when e.Message.StartsWith("can't send a non-default value to a just-started coroutine", StringComparison.Ordinal)
                        => "TypeError: can't send non-None value to a just-started generator",
                    _ => e.GetType().Name + ": " + e.Message,
                };

                /// <summary>Drives a sub-coroutine the template created: starts it if it is created, sends it a value, closes it.</summary>
                public static void Poke(ICollection<string> log, string tag, ICoroutine<int> sub, int value)
                {
                    if (sub.State == CoroutineState.Created)
                    {
                        Attempt(log, tag + " start", () => sub.Send(default));
                    }

                    Attempt(log, tag + " send", () => sub.Send(value));
                    Attempt(log, tag + " close", sub.Close);
                }

                /// <summary>Poke for a two-way sub-coroutine: prints the values it yields.</summary>
                public static void Poke(ICollection<string> log, string tag, ICoroutine<int, int> sub, int value)
                {
                    if (sub.State == CoroutineState.Created)
                    {
                        Attempt(log, tag + " start", () => sub.Send(default));
                    }

                    Attempt(log, tag + " send", () => sub.Send(value));
                    Attempt(log, tag + " close", sub.Close);
                }

                /// <summary>Calls every closure the program stored (after each driver operation): what it returns, or what it throws.</summary>
                public static void Closures(ICollection<string> log, List<Func<string>> sink)
                {
                    if (sink.Count == 0)
                    {
                        return;
                    }

                    var parts = new List<string>();
                    foreach (var closure in sink)
                    {
                        try
                        {
                            parts.Add(closure() ?? "None");
                        }
                        catch (Exception e)
                        {
                            parts.Add(D(e));
                        }
                    }

                    log.Add("closures: " + string.Join(",", parts));
                }

                public static void Attempt(ICollection<string> log, string label, Action action)
                {
                    try
                    {
                        action();
                        log.Add(label + ": ok");
                    }
                    catch (Exception e)
                    {
                        log.Add(label + ": " + D(e));
                    }
                }

                public static void Attempt(ICollection<string> log, string label, Func<int> func)
                {
                    try
                    {
                        var result = func();
                        log.Add(label + ": ok " + result.ToString(CultureInfo.InvariantCulture));
                    }
                    catch (Exception e)
                    {
                        log.Add(label + ": " + D(e));
                    }
                }
            }
        }
        """;

    /// <summary>The Python helpers (the twin prelude's describe/state/attempt, and F, G, B, Res).</summary>
    public const string PythonPrelude = """
        import asyncio, dis, inspect, os, sys
        from contextlib import aclosing

        # CPython closes a suspended generator when it is collected; CoroutineGen does not (Rule 11 of docs/semantics.md).
        # Every generator a driver creates is kept here, and the script ends with finish(), which skips the
        # interpreter's own cleanup, so no close() runs behind the driver's back.
        KEEP = []

        def finish():
            sys.stdout.flush()
            os._exit(0)

        def describe(e):
            if isinstance(e, StopIteration):
                return "StopIteration" if e.value is None else f"StopIteration({e.value})"
            if isinstance(e, StopAsyncIteration):
                return "StopIteration"
            if isinstance(e, RuntimeError) and "asynchronous generator is already running" in str(e):
                return "ValueError: coroutine is already running"
            if isinstance(e, TypeError) and "just-started async generator" in str(e):
                return "TypeError: can't send non-None value to a just-started generator"
            if isinstance(e, GeneratorExit):
                return "GeneratorExit"
            if isinstance(e, RuntimeError) and "ignored GeneratorExit" in str(e):
                return "RuntimeError: coroutine ignored GeneratorExit"
            if isinstance(e, RuntimeError) and "raised StopIteration" in str(e):
                inner = e.__cause__
                return "RuntimeError: coroutine raised StopIteration" + (f" (inner: {describe(inner)})" if inner is not None else "")
            if isinstance(e, ValueError) and "already executing" in str(e):
                return "ValueError: coroutine is already running"
            if isinstance(e, KeyError):
                return f"KeyError: {e.args[0] if e.args else ''}"
            return f"{type(e).__name__}: {e}"

        def state(g):
            if inspect.isasyncgen(g):
                return astate(g)
            return {"GEN_CREATED": "Created", "GEN_RUNNING": "Running", "GEN_SUSPENDED": "Suspended", "GEN_CLOSED": "Closed"}[inspect.getgeneratorstate(g)]

        def astate(g):
            # inspect.getasyncgenstate is 3.12's; on 3.11, an async generator that has not started is still at its
            # RETURN_GENERATOR instruction.
            if hasattr(inspect, "getasyncgenstate"):
                return {"AGEN_CREATED": "Created", "AGEN_RUNNING": "Running", "AGEN_SUSPENDED": "Suspended", "AGEN_CLOSED": "Closed"}[inspect.getasyncgenstate(g)]
            if g.ag_frame is None:
                return "Closed"
            if g.ag_running:
                return "Running"
            return "Created" if g.ag_code.co_code[g.ag_frame.f_lasti] == dis.opmap["RETURN_GENERATOR"] else "Suspended"

        async def athrow(g, e):
            # CoroutineGen's ThrowAsync on a finished coroutine fails with the exception, as Throw (and CPython's
            # throw()) on a finished generator does; CPython 3.11's athrow() on a finished async generator completes
            # with None instead, so the twins raise it themselves there.
            if g.ag_frame is None:
                raise e
            return await g.athrow(e)

        async def aclose(g):
            # PEP 525's aclose() as collections.abc.AsyncGenerator defines it (the rule of sync close(), which
            # CoroutineGen's CloseAsync follows). CPython 3.11's native aclose() marks the generator closed even when
            # the body ignores GeneratorExit (suspends again): a second aclose() then only raises
            # StopAsyncIteration, without throwing into the body, and a later asend() resumes it.
            try:
                await athrow(g, GeneratorExit())
            except (GeneratorExit, StopAsyncIteration):
                return
            raise RuntimeError("async generator ignored GeneratorExit")

        async def aattempt(label, f):
            try:
                result = await f()
                print(f"{label}: ok" if result is None else f"{label}: ok {result}")
            except BaseException as e:
                print(f"{label}: {describe(e)}")

        class _Rest:
            # The rest of an awaitable that was stepped once by hand (overlap): the awaits in the fuzzed programs
            # only ever suspend with a bare yield (asyncio.sleep(0)), so each step yields that to the loop again.
            def __init__(self, aw, out):
                self.aw, self.out = aw, out
            def __await__(self):
                out = self.out
                while True:
                    yield out
                    try:
                        out = self.aw.send(None)
                    except StopIteration as e:
                        return e.value

        async def overlap(label, first, st, second_label, second, sink):
            # C#'s SendAsync runs synchronously to the body's first real suspension: step the asend awaitable once.
            aw = first()
            error, value, pending, out = None, None, False, None
            try:
                out = aw.send(None)
                pending = True
            except StopIteration as e:
                value = e.value
            except BaseException as e:
                error = e
            print(f"{label}: {'in flight' if pending else 'completed at once'}, state: {st()}")
            closures(sink)
            await aattempt(second_label, second)
            async def rest():
                if pending:
                    return await _Rest(aw, out)
                if error is not None:
                    raise error
                return value
            await aattempt(label, rest)

        async def completed(x):
            return x

        async def A(tag, x):
            print(f"{tag} {x}")
            return x

        async def AY(tag, x):
            await asyncio.sleep(0)
            print(f"{tag} {x}")
            return x

        async def pause(tag):
            await asyncio.sleep(0)
            print(tag)

        def H(tag, x, y, z):
            print(f"{tag} {x} {y} {z}")
            return x + y + z

        async def seq(tag, n, yielding):
            try:
                for i in range(n):
                    if yielding:
                        await asyncio.sleep(0)
                    print(f"{tag} item {i}")
                    yield i
            finally:
                print(f"{tag} done")

        class ARes:
            def __init__(self, tag, yielding):
                self.tag, self.yielding = tag, yielding
                print(f"{tag} enter")
            async def __aenter__(self):
                return self
            async def __aexit__(self, *exc):
                if self.yielding:
                    await asyncio.sleep(0)
                print(f"{self.tag} exit")
                return False

        def attempt(label, f):
            try:
                result = f()
                print(f"{label}: ok" if result is None else f"{label}: ok {result}")
            except BaseException as e:
                print(f"{label}: {describe(e)}")

        def closures(sink):
            if not sink:
                return
            parts = []
            for closure in sink:
                try:
                    parts.append(closure())
                except Exception as e:
                    parts.append(describe(e))
            print("closures: " + ",".join(parts))

        def F(tag, x):
            print(f"{tag} {x}")
            return x

        def G(tag, x, y):
            print(f"{tag} {x} {y}")
            return x + y

        def B(tag, b):
            print(f"{tag} {b}")
            return b

        def keep(g):
            KEEP.append(g)
            return g

        def primed(g):
            # A primed sub-template: its factory ran it to its first yield (a body that ends there is just closed).
            KEEP.append(g)
            try:
                next(g)
            except StopIteration:
                pass
            return g

        def poke(tag, g, value):
            if state(g) == "Created":
                attempt(tag + " start", lambda: g.send(None))
            attempt(tag + " send", lambda: g.send(value))
            attempt(tag + " close", g.close)

        class Res:
            def __init__(self, tag):
                self.tag = tag
                print(f"{tag} enter")
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                print(f"{self.tag} exit")
                return False

        """;
}
