using System.Diagnostics;
using System.Text;

namespace CoroutineGen.Tests.Infrastructure;

/// <summary>
/// Runs the Python twin of a test with python3 (the oracle: CPython's generators) and compares its output with the
/// C# trace, line by line. A missing python3 fails the test with a message that says so; it never skips.
/// </summary>
public static class PythonTwin
{
    /// <summary>
    /// Helpers every twin gets: <c>describe(e)</c> writes an exception the way <see cref="Trace.Describe"/> does,
    /// <c>state(g)</c> writes a generator's state as <see cref="CoroutineState"/> names, <c>coroutine</c> is
    /// Beazley's priming decorator, <c>attempt(label, f)</c> prints what calling f did.
    /// </summary>
    public const string Prelude = """
        import inspect, sys

        def coroutine(func):
            def start(*args, **kwargs):
                g = func(*args, **kwargs)
                next(g)
                return g
            return start

        def describe(e):
            if isinstance(e, StopIteration):
                return "StopIteration" if e.value is None else f"StopIteration({e.value})"
            if isinstance(e, GeneratorExit):
                return "GeneratorExit"
            if isinstance(e, RuntimeError) and "ignored GeneratorExit" in str(e):
                return "RuntimeError: coroutine ignored GeneratorExit"
            if isinstance(e, RuntimeError) and "raised StopIteration" in str(e):
                inner = e.__cause__
                return "RuntimeError: coroutine raised StopIteration" + (f" (inner: {describe(inner)})" if inner is not None else "")
            if isinstance(e, ValueError) and "already executing" in str(e):
                return "ValueError: coroutine is already running"
            return f"{type(e).__name__}: {e}"

        def state(g):
            return {"GEN_CREATED": "Created", "GEN_RUNNING": "Running", "GEN_SUSPENDED": "Suspended", "GEN_CLOSED": "Closed"}[inspect.getgeneratorstate(g)]

        def attempt(label, f):
            try:
                result = f()
                print(f"{label}: ok" if result is None else f"{label}: ok {result}")
            except BaseException as e:
                print(f"{label}: {describe(e)}")

        """;

    /// <summary>
    /// Helpers for the twins of async templates (CPython's asynchronous generators, PEP 525, driven by asyncio), added
    /// after the <see cref="Prelude"/>: <c>acoroutine</c> is the async priming decorator (<c>await g.asend(None)</c>;
    /// call it as <c>c = await printer()</c>, like the C# <c>var c = await Printer()</c>), <c>astate(g)</c> writes an
    /// async generator's state as <see cref="CoroutineState"/> names, <c>await aattempt(label, f)</c> prints what
    /// awaiting <c>f()</c> did, as <see cref="Trace.AttemptAsync(string, Func{Task})"/> does, <c>Gate</c> is the
    /// twin of <see cref="Gate"/>, <c>pep525_aclose(g)</c> is PEP 525's <c>aclose()</c> for the tests that close again after
    /// a GeneratorExit the body ignored (where CPython's own <c>aclose()</c> differs, docs/async.md). <c>describe</c> is
    /// extended with the async generators' errors, written as their C# counterparts are (see
    /// <see cref="Trace.Describe"/>).
    /// </summary>
    /// <remarks>
    /// <c>astate</c>: Python 3.11 has no <c>inspect.getasyncgenstate</c> (3.12 adds it). <c>ag_running</c> is true from the
    /// start of an <c>asend</c>/<c>athrow</c>/<c>aclose</c> until it completes, awaits in the body included (the
    /// C# <c>Running</c>); a finished generator has no frame (<c>Closed</c>, checked first: CPython 3.11 leaves
    /// <c>ag_running</c> set on a generator whose <c>aclose()</c> was cancelled, though its frame is gone); otherwise it is
    /// parked at a <c>yield</c>
    /// (<c>Suspended</c>) or has not started (<c>Created</c>), which the instruction its frame stopped at tells apart.
    /// </remarks>
    public const string AsyncPrelude = """
        import asyncio, dis

        def acoroutine(func):
            async def start(*args, **kwargs):
                g = func(*args, **kwargs)
                await g.asend(None)
                return g
            return start

        _describe_sync = describe

        def describe(e):
            if isinstance(e, StopAsyncIteration):
                return "StopIteration"
            if isinstance(e, asyncio.CancelledError):
                return "CancelledError"
            if isinstance(e, RuntimeError) and "asynchronous generator is already running" in str(e):
                return "ValueError: coroutine is already running"
            if isinstance(e, RuntimeError) and "raised StopAsyncIteration" in str(e):
                inner = e.__cause__
                return "RuntimeError: coroutine raised StopIteration" + (f" (inner: {describe(inner)})" if inner is not None else "")
            if isinstance(e, TypeError) and "can't send non-None value to a just-started async generator" in str(e):
                return "TypeError: can't send non-None value to a just-started generator"
            return _describe_sync(e)

        def astate(g):
            frame = g.ag_frame
            if frame is None:
                return "Closed"
            if g.ag_running:
                return "Running"
            if dis.opname[frame.f_code.co_code[frame.f_lasti]] == "YIELD_VALUE":
                return "Suspended"
            return "Created"

        # PEP 525's aclose(), as collections.abc.AsyncGenerator defines it: the sync close() with awaits. CPython's own
        # aclose() marks the generator closed when it starts, so after a GeneratorExit the body ignored, its aclose() and
        # athrow() raise StopAsyncIteration without resuming it (asend() still does); CoroutineGen's CloseAsync, like
        # this one and like the sync Close, raises GeneratorExit there again.
        async def pep525_aclose(g):
            try:
                await g.athrow(GeneratorExit)
            except (GeneratorExit, StopAsyncIteration):
                pass
            else:
                raise RuntimeError("asynchronous generator ignored GeneratorExit")

        class Gate:
            def __init__(self):
                self.reached = asyncio.Event()
                self.opened = asyncio.Event()
            async def wait(self):
                self.reached.set()
                await self.opened.wait()
            def open(self):
                self.opened.set()

        async def aattempt(label, f):
            try:
                result = await f()
                print(f"{label}: ok" if result is None else f"{label}: ok {result}")
            except BaseException as e:
                print(f"{label}: {describe(e)}")

        """;

    /// <summary>
    /// Runs <paramref name="main"/> as the body of <c>async def main()</c> under <c>asyncio.run</c> (after the
    /// <see cref="Prelude"/> and the <see cref="AsyncPrelude"/>) and returns its output lines.
    /// </summary>
    public static IReadOnlyList<string> RunAsync(string main) => Run(AsyncScript(main));

    /// <summary>
    /// Asserts that the C# trace equals the output of <paramref name="main"/> run as the body of <c>async def main()</c>
    /// by <c>asyncio.run</c>, with the <see cref="AsyncPrelude"/>: the twin of a test of async templates.
    /// </summary>
    public static void AssertSameAsyncTrace(string main, IReadOnlyList<string> csharpTrace) => AssertSameTrace(AsyncScript(main), csharpTrace);

    private static string AsyncScript(string main)
    {
        var body = new StringBuilder();
        foreach (var line in main.Replace("\r\n", "\n").Split('\n'))
        {
            body.Append(line.Length == 0 ? string.Empty : "    ").Append(line).Append('\n');
        }

        return AsyncPrelude + "\nasync def main():\n" + body + "    pass\n\nasyncio.run(main())\n";
    }

    /// <summary>Runs <paramref name="script"/> (after the <see cref="Prelude"/>) and returns its output lines.</summary>
    public static IReadOnlyList<string> Run(string script)
    {
        var file = Path.Combine(Path.GetTempPath(), $"coroutinegen-twin-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, Prelude + "\n" + script, new UTF8Encoding(false));
        try
        {
            return Execute(file, $"--- script ---\n{script}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Runs the Python program <paramref name="path"/> as it is (without the <see cref="Prelude"/>), as
    /// <c>python3 path</c> would, and returns its output lines.
    /// </summary>
    public static IReadOnlyList<string> RunFile(string path) => Execute(Path.GetFullPath(path), $"--- program ---\n{path}");

    private static IReadOnlyList<string> Execute(string file, string shownOnFailure)
    {
        var start = new ProcessStartInfo("python3", $"-X utf8 \"{file}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "python3 is needed to run the Python twin of this test (CPython is the oracle for the semantics), " +
                "but it could not be started: " + e.Message + ". Install Python 3.11 or later and put python3 on PATH.", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the Python twin did not finish within 60 s");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"the Python twin failed (exit code {process.ExitCode}):\n{error.Result}\n{shownOnFailure}");
            }

            return Lines(output.Result);
        }
    }

    /// <summary>Asserts that the C# trace equals the Python twin's output, showing the first difference and both traces.</summary>
    public static void AssertSameTrace(string pythonScript, IReadOnlyList<string> csharpTrace)
    {
        var expected = Run(pythonScript);
        AssertSame(expected, csharpTrace);
    }

    public static void AssertSame(IReadOnlyList<string> python, IReadOnlyList<string> csharp)
    {
        var count = Math.Max(python.Count, csharp.Count);
        for (int i = 0; i < count; i++)
        {
            var p = i < python.Count ? python[i] : "<end of output>";
            var c = i < csharp.Count ? csharp[i] : "<end of output>";
            if (p != c)
            {
                var message = new StringBuilder()
                    .AppendLine($"The C# trace differs from CPython's at line {i + 1}:")
                    .AppendLine($"  python: {p}")
                    .AppendLine($"  c#:     {c}")
                    .AppendLine("--- python ---")
                    .AppendLine(string.Join("\n", python))
                    .AppendLine("--- c# ---")
                    .AppendLine(string.Join("\n", csharp));
                Assert.Fail(message.ToString());
            }
        }
    }

    private static List<string> Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
