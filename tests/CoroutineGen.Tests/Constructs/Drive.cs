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

    /// <summary>
    /// Runs a script of operations on a primed coroutine, each printed as "op: ok" or "op: &lt;exception&gt;", then its
    /// state: <c>send:v</c>, <c>throw:ValueError:message</c> (or TypeError, KeyError), <c>close</c>. The Python side is
    /// <c>script(g, ops)</c> in <see cref="PythonDrive"/>.
    /// </summary>
    public static void Script(Trace trace, Func<ICoroutine<string>> start, params string[] ops)
    {
        trace.Print($"--- {string.Join(" ", ops)}");
        ICoroutine<string> coroutine;
        try
        {
            coroutine = start();
        }
        catch (Exception e)
        {
            trace.Print($"start: {Trace.Describe(e)}");
            return;
        }

        foreach (var op in ops)
        {
            var parts = op.Split(':', 3);
            switch (parts[0])
            {
                case "send":
                    trace.Attempt(op, () => coroutine.Send(parts[1]));
                    break;
                case "throw":
                    Exception exception = parts[1] switch
                    {
                        "ValueError" => new ValueError(parts[2]),
                        "TypeError" => new TypeError(parts[2]),
                        _ => throw new ArgumentException(op),
                    };
                    trace.Attempt(op, () => coroutine.Throw(exception));
                    break;
                case "close":
                    trace.Attempt(op, coroutine.Close);
                    break;
                default:
                    throw new ArgumentException(op);
            }
        }

        trace.Print(coroutine.State.ToString());
    }

    /// <summary>The Python side of the protocol: <c>drive(g, values)</c> for a generator object that is not started yet.</summary>
    public const string PythonDrive = """
        # Generators that are left suspended stay referenced and the interpreter leaves without finalizing them:
        # CPython would close them when they are collected, and CoroutineGen does not (rule 11).
        # (An uncaught exception in the twin still ends it with exit code 1.)
        import atexit, os
        _alive = []
        _failed = []
        _excepthook = sys.excepthook
        def _record(*args):
            _failed.append(args)
            _excepthook(*args)
        sys.excepthook = _record
        def _leave():
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1 if _failed else 0)
        atexit.register(_leave)

        def drive(g, values):
            _alive.append(g)
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

        def script(f, ops):
            print("--- " + " ".join(ops))
            try:
                g = f()
                _alive.append(g)
                next(g)
            except BaseException as e:
                print(f"start: {describe(e)}")
                return
            for op in ops:
                parts = op.split(":", 2)
                if parts[0] == "send":
                    attempt(op, lambda: g.send(parts[1]))
                elif parts[0] == "throw":
                    kind = {"ValueError": ValueError, "TypeError": TypeError}[parts[1]]
                    attempt(op, lambda: g.throw(kind(parts[2])))
                elif parts[0] == "close":
                    attempt(op, lambda: g.close())
                else:
                    raise ValueError(op)
            print(state(g))

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
