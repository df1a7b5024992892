namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>
/// The divergences the async programs of the fuzzer showed first, each shrunk to a minimal template and its twin and
/// run the way <c>FuzzTests.Repro</c> runs a dumped pair (the C# with the helpers of <see cref="FuzzSupport.CSharp"/>,
/// the twin with <see cref="FuzzSupport.PythonPrelude"/>). All three were the fuzzer's: CPython 3.11's async
/// generators differ from its generators where CoroutineGen follows the sync rules, and the prelude's
/// <c>athrow</c>, <c>aclose</c> and <c>astate</c> now say what the sync rules say. The generated code was right each
/// time; these pin both sides (docs/contributing/fuzzing.md, "Async programs").
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

    public static TheoryData<string> Cases => ["throw-into-finished", "close-twice-after-ignored-GeneratorExit", "created-with-a-closure"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_minimal_async_repro_matches_CPython(string name)
    {
        var (csharp, python) = name switch
        {
            "throw-into-finished" => (ThrowIntoFinishedCSharp, ThrowIntoFinishedPython),
            "close-twice-after-ignored-GeneratorExit" => (CloseTwiceCSharp, CloseTwicePython),
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
