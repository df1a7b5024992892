namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>
/// The divergences the async programs of the fuzzer showed first, each shrunk to a minimal template and its twin and
/// run the way <c>FuzzTests.Repro</c> runs a dumped pair (the C# with the helpers of <see cref="FuzzSupport.CSharp"/>,
/// the twin with <see cref="FuzzSupport.PythonPrelude"/>). All three were the fuzzer's: CPython 3.11's async
/// generators differ from its generators where CoroutineGen follows the sync rules, and the prelude's
/// <c>athrow</c>, <c>aclose</c> and <c>astate</c> now say what the sync rules say. The generated code was right each
/// time; these pin both sides (docs/contributing/fuzzing.md, "Async programs"). Then a probe of what the fuzzer does
/// not generate, and the first generator bug the async fuzzer found (not an async one).
/// </summary>
public sealed class AsyncFuzzRegressionTests
{
    /// <summary>
    /// ThrowAsync into a finished coroutine fails with the exception (as Throw does); CPython 3.11's athrow() on a
    /// finished async generator completed with None (fuzzer seeds 2, 3, 6 and 59 of the first async run).
    /// </summary>
    private const string ThrowIntoFinishedCSharp = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using CoroutineGen;

        namespace Fuzz
        {
            public static partial class ThrowIntoFinished
            {
                [Coroutine]
                public static async Task Run(Inbox<int> inbox, ICollection<string> log)
                {
                    log.Add("got " + inbox.Receive());
                    await Task.Yield();
                }

                public static void Drive(ICollection<string> log) => Fz.Pump(() => DriveAsync(log));

                private static async Task DriveAsync(ICollection<string> log)
                {
                    IAsyncCoroutine<int> co = await Run(log);
                    log.Add("state: " + co.State);
                    await Fz.AttemptAsync(log, "send 1", () => Fz.R(co.SendAsync(1)));
                    await Fz.AttemptAsync(log, "throw ValueError(late)", () => Fz.R(co.ThrowAsync(new ValueError("late"))));
                    await Fz.AttemptAsync(log, "throw GeneratorExit", () => Fz.R(co.ThrowAsync(new GeneratorExitException())));
                    await Fz.AttemptAsync(log, "close", () => Fz.R(co.CloseAsync()));
                    log.Add("state: " + co.State);
                }
            }
        }
        """;

    private const string ThrowIntoFinishedPython = """
        async def coro():
            print("got " + str((yield)))
            await asyncio.sleep(0)

        async def adrive():
            sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
            g = coro()
            KEEP.append(g)
            await g.asend(None)
            print('state: ' + state(g))
            await aattempt('send 1', lambda: g.asend(1))
            await aattempt('throw ValueError(late)', lambda: athrow(g, ValueError('late')))
            await aattempt('throw GeneratorExit', lambda: athrow(g, GeneratorExit()))
            await aattempt('close', lambda: aclose(g))
            print('state: ' + state(g))

        def drive():
            asyncio.run(adrive())
        """;

    /// <summary>
    /// A second CloseAsync after the body ignored GeneratorExit throws it again at the new suspension point (as Close
    /// does); CPython 3.11's native aclose() had marked the generator closed, so its second aclose() raised
    /// StopAsyncIteration without running anything and the next asend resumed the body (seeds 67 and 166).
    /// </summary>
    private const string CloseTwiceCSharp = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using CoroutineGen;

        namespace Fuzz
        {
            public static partial class CloseTwice
            {
                [Coroutine]
                public static async Task Run(Inbox<int> inbox, ICollection<string> log)
                {
                    try
                    {
                        inbox.Receive();
                    }
                    catch (GeneratorExitException)
                    {
                        await Task.Yield();
                        log.Add("ignored");
                        log.Add("got " + inbox.Receive());
                    }

                    log.Add("end");
                }

                public static void Drive(ICollection<string> log) => Fz.Pump(() => DriveAsync(log));

                private static async Task DriveAsync(ICollection<string> log)
                {
                    IAsyncCoroutine<int> co = await Run(log);
                    await Fz.AttemptAsync(log, "close", () => Fz.R(co.CloseAsync()));
                    log.Add("state: " + co.State);
                    await Fz.AttemptAsync(log, "close", () => Fz.R(co.CloseAsync()));
                    log.Add("state: " + co.State);
                    await Fz.AttemptAsync(log, "send 2", () => Fz.R(co.SendAsync(2)));
                }
            }
        }
        """;

    private const string CloseTwicePython = """
        async def coro():
            try:
                (yield)
            except GeneratorExit:
                await asyncio.sleep(0)
                print("ignored")
                print("got " + str((yield)))
            print("end")

        async def adrive():
            sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
            g = coro()
            KEEP.append(g)
            await g.asend(None)
            await aattempt('close', lambda: aclose(g))
            print('state: ' + state(g))
            await aattempt('close', lambda: aclose(g))
            print('state: ' + state(g))
            await aattempt('send 2', lambda: g.asend(2))

        def drive():
            asyncio.run(adrive())
        """;

    /// <summary>
    /// An unprimed async coroutine is Created until it starts; the twin's state read CPython 3.11's frame at
    /// instruction 0, which is not where a generator with cells (a closure over a local) waits (seed 37).
    /// </summary>
    private const string CreatedWithClosureCSharp = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using CoroutineGen;

        namespace Fuzz
        {
            public static partial class CreatedWithClosure
            {
                [Coroutine(Prime = false)]
                public static async Task Run(Inbox<int> inbox, ICollection<string> log, List<Func<string>> sink)
                {
                    string text = "t";
                    sink.Add(() => text);
                    text = "t" + inbox.Receive();
                    await Task.Yield();
                    text = "t" + inbox.Receive();
                }

                public static void Drive(ICollection<string> log) => Fz.Pump(() => DriveAsync(log));

                private static async Task DriveAsync(ICollection<string> log)
                {
                    var sink = new List<Func<string>>();
                    IAsyncCoroutine<int> co = Run(log, sink);
                    log.Add("state: " + co.State);
                    await Fz.AttemptAsync(log, "send 5", () => Fz.R(co.SendAsync(5)));
                    log.Add("state: " + co.State);
                    await Fz.AttemptAsync(log, "start", () => Fz.R(co.SendAsync(default)));
                    log.Add("state: " + co.State);
                    await Fz.AttemptAsync(log, "send 1", () => Fz.R(co.SendAsync(1)));
                    log.Add("state: " + co.State);
                    Fz.Closures(log, sink);
                }
            }
        }
        """;

    private const string CreatedWithClosurePython = """
        async def coro(sink):
            text = 't'
            sink.append(lambda: text)
            text = 't' + str((yield))
            await asyncio.sleep(0)
            text = 't' + str((yield))

        async def adrive():
            sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
            sink = []
            g = coro(sink)
            KEEP.append(g)
            print('state: ' + state(g))
            await aattempt('send 5', lambda: g.asend(5))
            print('state: ' + state(g))
            await aattempt('start', lambda: g.asend(None))
            print('state: ' + state(g))
            await aattempt('send 1', lambda: g.asend(1))
            print('state: ' + state(g))
            closures(sink)

        def drive():
            asyncio.run(adrive())
        """;

    /// <summary>
    /// Not a divergence: a hand-written probe of what the fuzzer does not generate, which matched CPython when the
    /// async fuzzer came in. A CloseAsync and a ThrowAsync in flight (their finally and handler await) with a second
    /// call made meanwhile, an <c>await using</c> whose DisposeAsync throws after a real yield (on close and on a
    /// throw), and <c>await using</c> of the coroutine itself (DisposeAsync is CloseAsync).
    /// </summary>
    private const string OverlapsAndThrowingDisposalCSharp = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using CoroutineGen;

        namespace Fuzz
        {
            public sealed class BadRes : IAsyncDisposable
            {
                private readonly ICollection<string> _log;
                public BadRes(ICollection<string> log) { _log = log; log.Add("bad enter"); }
                public async ValueTask DisposeAsync() { await Task.Yield(); _log.Add("bad exit"); throw new ValueError("from dispose"); }
            }

            public static partial class OverlapsAndThrowingDisposal
            {
                [Coroutine]
                public static async Task Run(Inbox<int> inbox, ICollection<string> log)
                {
                    try
                    {
                        while (true)
                        {
                            log.Add("got " + inbox.Receive());
                        }
                    }
                    finally
                    {
                        await Task.Yield();
                        log.Add("fin");
                    }
                }

                [Coroutine]
                public static async ValueTask Run2(Inbox<int, int> inbox, ICollection<string> log)
                {
                    int a = 0;
                    while (true)
                    {
                        try
                        {
                            a = inbox.Yield(a + 1);
                        }
                        catch (ValueError e)
                        {
                            await Fz.Pause(log, "handler " + e.Message);
                            a = inbox.Yield(a + 10);
                        }
                    }
                }

                [Coroutine]
                public static async Task Run3(Inbox<int> inbox, ICollection<string> log)
                {
                    await using (new BadRes(log))
                    {
                        log.Add("got " + inbox.Receive());
                        log.Add("got " + inbox.Receive());
                    }
                }

                public static void Drive(ICollection<string> log) => Fz.Pump(() => DriveAsync(log));

                private static async Task DriveAsync(ICollection<string> log)
                {
                    var sink = new List<Func<string>>();
                    IAsyncCoroutine<int> co = await Run(log);
                    await Fz.OverlapAsync(log, "close", () => Fz.R(co.CloseAsync()), () => co.State.ToString(), "while running: send 1", () => Fz.R(co.SendAsync(1)), sink);
                    log.Add("state: " + co.State);
                    IAsyncCoroutine<int, int> c2 = await Run2(log);
                    log.Add("prime " + c2.Current);
                    await Fz.OverlapAsync(log, "throw", () => Fz.R(c2.ThrowAsync(new ValueError("v"))), () => c2.State.ToString(), "while running: close", () => Fz.R(c2.CloseAsync()), sink);
                    log.Add("state: " + c2.State);
                    await Fz.AttemptAsync(log, "send 5", () => Fz.R(c2.SendAsync(5)));
                    await Fz.AttemptAsync(log, "throw", () => Fz.R(c2.ThrowAsync(new ValueError("w"))));
                    await Fz.AttemptAsync(log, "close", () => Fz.R(c2.CloseAsync()));
                    log.Add("state: " + c2.State);
                    IAsyncCoroutine<int> c3 = await Run3(log);
                    await Fz.AttemptAsync(log, "send 1", () => Fz.R(c3.SendAsync(1)));
                    await Fz.AttemptAsync(log, "close", () => Fz.R(c3.CloseAsync()));
                    log.Add("state: " + c3.State);
                    IAsyncCoroutine<int> c4 = await Run3(log);
                    await Fz.AttemptAsync(log, "throw", () => Fz.R(c4.ThrowAsync(new KeyError("k"))));
                    log.Add("state: " + c4.State);
                    await using (var c5 = await Run(log))
                    {
                        await Fz.AttemptAsync(log, "send 7", () => Fz.R(c5.SendAsync(7)));
                    }
                    log.Add("disposed");
                }
            }
        }
        """;

    private const string OverlapsAndThrowingDisposalPython = """
        class BadRes:
            def __init__(self):
                print("bad enter")
            async def __aenter__(self):
                return self
            async def __aexit__(self, *exc):
                await asyncio.sleep(0)
                print("bad exit")
                raise ValueError("from dispose")

        async def run():
            try:
                while True:
                    print("got " + str((yield)))
            finally:
                await asyncio.sleep(0)
                print("fin")

        async def run2():
            a = 0
            while True:
                try:
                    a = (yield a + 1)
                except ValueError as e:
                    await pause("handler " + str(e))
                    a = (yield a + 10)

        async def run3():
            async with BadRes():
                print("got " + str((yield)))
                print("got " + str((yield)))

        async def adrive():
            sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
            sink = []
            g = run(); KEEP.append(g)
            await g.asend(None)
            await overlap('close', lambda: aclose(g), lambda: state(g), 'while running: send 1', lambda: g.asend(1), sink)
            print('state: ' + state(g))
            g2 = run2(); KEEP.append(g2)
            print('prime ' + str(await g2.asend(None)))
            await overlap('throw', lambda: athrow(g2, ValueError('v')), lambda: state(g2), 'while running: close', lambda: aclose(g2), sink)
            print('state: ' + state(g2))
            await aattempt('send 5', lambda: g2.asend(5))
            await aattempt('throw', lambda: athrow(g2, ValueError('w')))
            await aattempt('close', lambda: aclose(g2))
            print('state: ' + state(g2))
            g3 = run3(); KEEP.append(g3)
            await g3.asend(None)
            await aattempt('send 1', lambda: g3.asend(1))
            await aattempt('close', lambda: aclose(g3))
            print('state: ' + state(g3))
            g4 = run3(); KEEP.append(g4)
            await g4.asend(None)
            await aattempt('throw', lambda: athrow(g4, KeyError('k')))
            print('state: ' + state(g4))
            g5 = run(); KEEP.append(g5)
            await g5.asend(None)
            await aattempt('send 7', lambda: g5.asend(7))
            await aclose(g5)
            print("disposed")

        def drive():
            asyncio.run(adrive())
        """;

    /// <summary>
    /// A generator bug, sync and async alike (seed 12270 of the run of seeds 10000-13999): a <c>return</c> in a try
    /// whose finally throws, inside a try whose catch handles that exception and whose finally suspends. The return
    /// recorded itself as the outer finally's pending branch before the inner finally threw, and the outer finally
    /// still took it after the catch: the coroutine finished instead of going round the loop. Fixed in
    /// ControlFlowFlattener.LowerTryWithSuspendingFinally (the body that falls into the finally resets the pending
    /// branch); the sync twin of this is FuzzRegressionTests.ReturnReplacedByAFinallysThrow in CoroutineGen.Tests.
    /// </summary>
    private const string ReturnReplacedCSharp = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using CoroutineGen;

        namespace Fuzz
        {
            public static partial class ReturnReplaced
            {
                [Coroutine]
                public static async Task RunAsync(Inbox<int> inbox, ICollection<string> log)
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

                                log.Add("body " + i);
                            }
                            finally
                            {
                                throw new ValueError("f" + i);
                            }
                        }
                        catch (ValueError e)
                        {
                            log.Add("caught " + e.Message);
                        }
                        finally
                        {
                            log.Add("got " + inbox.Receive());
                        }
                    }

                    log.Add("end " + inbox.Receive());
                }

                [Coroutine]
                public static void RunSync(Inbox<int> inbox, ICollection<string> log)
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

                                log.Add("body " + i);
                            }
                            finally
                            {
                                throw new ValueError("f" + i);
                            }
                        }
                        catch (ValueError e)
                        {
                            log.Add("caught " + e.Message);
                        }
                        finally
                        {
                            log.Add("got " + inbox.Receive());
                        }
                    }

                    log.Add("end " + inbox.Receive());
                }

                public static void Drive(ICollection<string> log)
                {
                    log.Add("--- sync");
                    ICoroutine<int> s = RunSync(log);
                    for (int v = 1; v <= 4; v++)
                    {
                        var value = v;
                        Fz.Attempt(log, "send " + v, () => s.Send(value));
                        log.Add("state: " + s.State);
                    }

                    log.Add("--- async");
                    Fz.Pump(() => DriveAsync(log));
                }

                private static async Task DriveAsync(ICollection<string> log)
                {
                    IAsyncCoroutine<int> co = await RunAsync(log);
                    for (int v = 1; v <= 4; v++)
                    {
                        var value = v;
                        await Fz.AttemptAsync(log, "send " + v, () => Fz.R(co.SendAsync(value)));
                        log.Add("state: " + co.State);
                    }
                }
            }
        }
        """;

    private const string ReturnReplacedPython = """
        def run_sync():
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
                    print("got " + str((yield)))
            print("end " + str((yield)))

        async def run_async():
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
                    print("got " + str((yield)))
            print("end " + str((yield)))

        async def adrive():
            sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
            g = run_async(); KEEP.append(g)
            await g.asend(None)
            for v in range(1, 5):
                await aattempt(f'send {v}', lambda: g.asend(v))
                print('state: ' + state(g))

        def drive():
            print('--- sync')
            s = run_sync(); KEEP.append(s)
            next(s)
            for v in range(1, 5):
                attempt(f'send {v}', lambda: s.send(v))
                print('state: ' + state(s))
            print('--- async')
            asyncio.run(adrive())
        """;

    public static TheoryData<string> Cases => ["throw-into-finished", "close-twice-after-ignored-GeneratorExit", "created-with-a-closure", "overlaps-and-throwing-disposal", "return-replaced-by-a-finally-throw"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_minimal_async_repro_matches_CPython(string name)
    {
        var (csharp, python) = name switch
        {
            "throw-into-finished" => (ThrowIntoFinishedCSharp, ThrowIntoFinishedPython),
            "close-twice-after-ignored-GeneratorExit" => (CloseTwiceCSharp, CloseTwicePython),
            "overlaps-and-throwing-disposal" => (OverlapsAndThrowingDisposalCSharp, OverlapsAndThrowingDisposalPython),
            "return-replaced-by-a-finally-throw" => (ReturnReplacedCSharp, ReturnReplacedPython),
            _ => (CreatedWithClosureCSharp, CreatedWithClosurePython),
        };
        var directory = Directory.CreateTempSubdirectory("coroutinegen-async-fuzz-");
        try
        {
            var prefix = Path.Combine(directory.FullName, name);
            File.WriteAllText(prefix + ".cs", csharp);
            File.WriteAllText(prefix + ".py", PythonPrinter.Standalone(python));
            var (csharpTrace, pythonTrace, failure, _) = FuzzRunner.RunFiles(prefix + ".cs", prefix + ".py");
            Assert.True(failure is null, failure + Environment.NewLine + "python:" + Environment.NewLine + string.Join(Environment.NewLine, pythonTrace)
                + Environment.NewLine + "c#:" + Environment.NewLine + string.Join(Environment.NewLine, csharpTrace));
            Assert.NotEmpty(csharpTrace);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
