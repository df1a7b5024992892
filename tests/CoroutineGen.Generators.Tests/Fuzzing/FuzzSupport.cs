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
        using System.Collections.Generic;
        using System.Globalization;
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

            public static class Fz
            {
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
        import inspect, os, sys

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
            return {"GEN_CREATED": "Created", "GEN_RUNNING": "Running", "GEN_SUSPENDED": "Suspended", "GEN_CLOSED": "Closed"}[inspect.getgeneratorstate(g)]

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
