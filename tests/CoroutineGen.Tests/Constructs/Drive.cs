using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// One driver protocol for the construct tests, written three times: for a generated coroutine, for the same body
/// run as an ordinary C# method whose <c>receive</c> is a <see cref="Func{T}"/> (the oracle for C#'s evaluation
/// order), and for a Python generator (<see cref="PythonDrive"/>). Each prints the same lines for the same events:
/// <c>send v</c> before a value is handed to the body, <c>finished</c> (or <c>finished r</c>) when the body returns,
/// <c>error: ...</c> when an exception escapes it, and, when the values run out while the body still waits for one,
/// <c>close</c> followed by <c>closed</c> (or <c>close: ...</c>).
/// </summary>
public static class Drive
{
    /// <summary>Primes the coroutine (<paramref name="start"/> calls the factory), sends <paramref name="values"/>, closes it if it still waits.</summary>
    public static void Coroutine<T>(Trace trace, Func<ICoroutine<T>> start, params T[] values)
    {
        ICoroutine<T> coroutine;
        try
        {
            coroutine = start();
        }
        catch (Exception e)
        {
            trace.Print($"error: {Trace.Describe(e)}");
            return;
        }

        if (coroutine.State == CoroutineState.Closed)
        {
            trace.Print("finished");
            return;
        }

        foreach (var value in values)
        {
            trace.Print($"send {Trace.Format(value)}");
            try
            {
                coroutine.Send(value);
            }
            catch (StopIterationException stop)
            {
                trace.Print(stop.Value is null ? "finished" : $"finished {Trace.Format(stop.Value)}");
                return;
            }
            catch (Exception e)
            {
                trace.Print($"error: {Trace.Describe(e)}");
                return;
            }
        }

        trace.Print("close");
        try
        {
            coroutine.Close();
            trace.Print("closed");
        }
        catch (Exception e)
        {
            trace.Print($"close: {Trace.Describe(e)}");
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> as an ordinary method: each call of its <c>receive</c> takes the next value (and
    /// prints <c>send v</c>); once they run out, it prints <c>close</c> and throws <see cref="GeneratorExitException"/>,
    /// as <see cref="ICoroutine{T}.Close"/> raises it at the suspension point.
    /// </summary>
    public static void Plain<T>(Trace trace, Action<Func<T>> body, params T[] values) =>
        Plain<T>(trace, receive =>
        {
            body(receive);
            return null;
        }, values);

    /// <summary>As <see cref="Plain{T}(Trace, Action{Func{T}}, T[])"/> for a body that returns a value (printed after <c>finished</c>).</summary>
    public static void Plain<T>(Trace trace, Func<Func<T>, object?> body, params T[] values)
    {
        int next = 0;
        bool closing = false;
        T Receive()
        {
            if (closing)
            {
                throw new InvalidOperationException("coroutine ignored GeneratorExit");
            }

            if (next < values.Length)
            {
                var value = values[next++];
                trace.Print($"send {Trace.Format(value)}");
                return value;
            }

            trace.Print("close");
            closing = true;
            throw new GeneratorExitException();
        }

        try
        {
            var result = body(Receive);
            if (closing)
            {
                trace.Print("closed");
            }
            else
            {
                trace.Print(result is null ? "finished" : $"finished {Trace.Format(result)}");
            }
        }
        catch (GeneratorExitException) when (closing)
        {
            trace.Print("closed");
        }
        catch (Exception e)
        {
            trace.Print(closing ? $"close: {Trace.Describe(e)}" : $"error: {Trace.Describe(e)}");
        }
    }

    /// <summary>The Python side of the protocol: <c>drive(g, values)</c> for a generator object that is not started yet.</summary>
    public const string PythonDrive = """
        def drive(g, values):
            def finished(e):
                print("finished" if e.value is None else f"finished {e.value}")
            try:
                next(g)
            except StopIteration as e:
                finished(e)
                return
            except BaseException as e:
                print(f"error: {describe(e)}")
                return
            for v in values:
                print(f"send {v}")
                try:
                    g.send(v)
                except StopIteration as e:
                    finished(e)
                    return
                except BaseException as e:
                    print(f"error: {describe(e)}")
                    return
            print("close")
            try:
                g.close()
                print("closed")
            except BaseException as e:
                print(f"close: {describe(e)}")

        """;

    /// <summary>Asserts that the coroutine's trace matches the Python twin's (run after <see cref="PythonDrive"/>).</summary>
    public static void AssertPython(string twin, Trace trace) => PythonTwin.AssertSameTrace(PythonDrive + twin, trace.Lines);

    /// <summary>Asserts that the coroutine's trace is the ordinary method's, line by line.</summary>
    public static void AssertSame(Trace plain, Trace coroutine)
    {
        Assert.NotEmpty(plain.Lines);
        var count = Math.Max(plain.Lines.Count, coroutine.Lines.Count);
        for (int i = 0; i < count; i++)
        {
            var p = i < plain.Lines.Count ? plain.Lines[i] : "<end of output>";
            var c = i < coroutine.Lines.Count ? coroutine.Lines[i] : "<end of output>";
            if (p != c)
            {
                Assert.Fail(
                    $"The coroutine's trace differs from the ordinary method's at line {i + 1}:\n  method:    {p}\n  coroutine: {c}\n" +
                    $"--- method ---\n{string.Join("\n", plain.Lines)}\n--- coroutine ---\n{string.Join("\n", coroutine.Lines)}");
            }
        }
    }

    /// <summary>Asserts that <paramref name="trace"/> is exactly <paramref name="expected"/> (a trace written by hand from the C# specification).</summary>
    public static void AssertLines(Trace trace, params string[] expected)
    {
        var count = Math.Max(expected.Length, trace.Lines.Count);
        for (int i = 0; i < count; i++)
        {
            var e = i < expected.Length ? expected[i] : "<end of output>";
            var c = i < trace.Lines.Count ? trace.Lines[i] : "<end of output>";
            if (e != c)
            {
                Assert.Fail(
                    $"The trace differs from the expected one at line {i + 1}:\n  expected: {e}\n  actual:   {c}\n" +
                    $"--- expected ---\n{string.Join("\n", expected)}\n--- actual ---\n{string.Join("\n", trace.Lines)}");
            }
        }
    }
}
