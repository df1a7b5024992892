using CoroutineGen.Benchmarks.Implementations;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Prototypes;

/// <summary>
/// <c>--check-prototype</c>: drives the generated stages and the <see cref="PrototypeStages"/> through the same
/// scenarios (send, throw, close, re-entrancy, a finished target, GeneratorExit and other exceptions from the target,
/// implicit exceptions in a sink) and compares what an observer sees: results, exceptions, states and the calls the
/// target received. A prototype shape is only worth measuring if it behaves exactly like the generated one.
/// </summary>
internal static class PrototypeCheck
{
    private sealed record Stages(
        Func<ICoroutine<int>, ICoroutine<int>> Pass,
        Func<string, ICoroutine<string>, ICoroutine<string>> Grep,
        Func<ICoroutine<int>[], ICoroutine<int>> Broadcast,
        Func<Result, ICoroutine<int>> Count,
        Func<Result, ICoroutine<string>> CountStr);

    /// <summary>A target that records what it receives and misbehaves on request.</summary>
    private sealed class Target<T>(List<string> log, string name) : ICoroutine<T>
    {
        public Func<T, Exception?>? OnSend { get; set; }

        public Action? DuringSend { get; set; }

        public CoroutineState State { get; private set; } = CoroutineState.Suspended;

        public void Send(T value)
        {
            log.Add($"{name}.Send({value})");
            DuringSend?.Invoke();
            if (OnSend?.Invoke(value) is { } e) throw e;
        }

        public void Throw(Exception exception) => log.Add($"{name}.Throw({exception.GetType().Name})");

        public void Close()
        {
            log.Add($"{name}.Close()");
            State = CoroutineState.Closed;
        }

        public void Dispose() => Close();
    }

    public static int Run()
    {
        var generated = new Stages(GeneratedStages.Pass, GeneratedStages.Grep, GeneratedStages.Broadcast, GeneratedStages.Count, GeneratedStages.CountStr);
        var prototype = new Stages(PrototypeStages.Pass, PrototypeStages.Grep, PrototypeStages.Broadcast, PrototypeStages.Count, PrototypeStages.CountStr);
        var expected = Trace(generated);
        if (Environment.GetEnvironmentVariable("COROUTINEGEN_CHECK_VERBOSE") == "1") expected.ForEach(Console.WriteLine);
        var actual = Trace(prototype);
        int differences = 0;
        for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            string e = i < expected.Count ? expected[i] : "<missing>", a = i < actual.Count ? actual[i] : "<missing>";
            if (e != a)
            {
                Console.WriteLine($"line {i + 1}:\n  generated: {e}\n  prototype: {a}");
                differences++;
            }
        }

        Console.WriteLine(differences == 0
            ? $"prototype behaves like the generated stages: {expected.Count} trace lines identical"
            : $"{differences} of {expected.Count} trace lines differ");
        return differences == 0 ? 0 : 1;
    }

    private static List<string> Trace(Stages s)
    {
        var log = new List<string>();

        void Do(string what, Func<object?> action, Func<string> state)
        {
            string outcome;
            try
            {
                outcome = $"ok {action()}";
            }
            catch (Exception e)
            {
                outcome = $"{e.GetType().Name}: {e.Message}" + (e.InnerException is { } inner ? $" (inner {inner.GetType().Name})" : "");
            }

            log.Add($"{what} -> {outcome}; {state()}");
        }

        // pass: normal traffic, close, send after close, second close
        {
            var t = new Target<int>(log, "t");
            var p = s.Pass(t);
            Do("pass send 1, 2", () => { p.Send(1); p.Send(2); return null; }, () => $"{p.State}");
            Do("pass close", () => { p.Close(); return null; }, () => $"{p.State}");
            Do("pass send after close", () => { p.Send(3); return null; }, () => $"{p.State}");
            Do("pass close again", () => { p.Close(); return null; }, () => $"{p.State}");
        }

        // pass: the target has finished (StopIteration from target.Send: PEP 479)
        {
            var r = new Result();
            var sink = s.Count(r);
            var p = s.Pass(sink);
            sink.Close();
            Do("pass into finished sink", () => { p.Send(7); return null; }, () => $"{p.State} {sink.State}");
            Do("pass send again", () => { p.Send(8); return null; }, () => $"{p.State}");
        }

        // pass: GeneratorExitException from target.Send (the template's handler runs), and other exceptions
        foreach (var ex in new Func<Exception>[] { () => new GeneratorExitException("from target"), () => new InvalidCastException("bad") })
        {
            var t = new Target<int>(log, "t") { OnSend = v => v == 2 ? ex() : null };
            var p = s.Pass(t);
            Do("pass send 1", () => { p.Send(1); return null; }, () => $"{p.State}");
            Do("pass send 2 (target throws)", () => { p.Send(2); return null; }, () => $"{p.State}");
            Do("pass close after", () => { p.Close(); return null; }, () => $"{p.State}");
        }

        // pass: Throw of an ordinary exception and of GeneratorExitException at the suspension point
        foreach (var ex in new Func<Exception>[] { () => new ArgumentException("thrown in"), () => new GeneratorExitException("thrown in") })
        {
            var t = new Target<int>(log, "t");
            var p = s.Pass(t);
            Do("pass throw", () => { p.Throw(ex()); return null; }, () => $"{p.State}");
            Do("pass send after throw", () => { p.Send(1); return null; }, () => $"{p.State}");
        }

        // pass: re-entrancy and the state seen from inside the body
        {
            var t = new Target<int>(log, "t");
            var p = s.Pass(t);
            t.DuringSend = () =>
            {
                log.Add($"inside: {p.State}");
                try
                {
                    p.Send(99);
                }
                catch (Exception e)
                {
                    log.Add($"re-entrant send: {e.GetType().Name}: {e.Message}");
                }
            };
            Do("pass re-entrant", () => { p.Send(5); return null; }, () => $"{p.State}");
        }

        // grep: filtering, a null line (NullReferenceException inside the body), the finished target
        {
            var t = new Target<string>(log, "t");
            var g = s.Grep("py", t);
            Do("grep send", () => { g.Send("a python"); g.Send("java"); return null; }, () => $"{g.State}");
            Do("grep send null", () => { g.Send(null!); return null; }, () => $"{g.State}");
            Do("grep close", () => { g.Close(); return null; }, () => $"{g.State}");
        }

        // broadcast: traffic, one target throwing, close
        {
            var t1 = new Target<int>(log, "t1");
            var t2 = new Target<int>(log, "t2") { OnSend = v => v == 3 ? new InvalidOperationException("t2 fails") : null };
            var b = s.Broadcast([t1, t2]);
            Do("broadcast send 1", () => { b.Send(1); return null; }, () => $"{b.State}");
            Do("broadcast send 3", () => { b.Send(3); return null; }, () => $"{b.State}");
            var b2 = s.Broadcast([new Target<int>(log, "u1"), new Target<int>(log, "u2")]);
            Do("broadcast close", () => { b2.Send(4); b2.Close(); return null; }, () => $"{b2.State}");
        }

        // counting sinks: totals on close, Throw into them, a null line (implicit exception in the fast path)
        {
            var r = new Result();
            var c = s.Count(r);
            Do("count", () => { c.Send(1); c.Send(2); c.Close(); return $"{r.Count}/{r.Sum}"; }, () => $"{c.State}");
            var c2 = s.Count(r);
            Do("count throw", () => { c2.Send(5); c2.Throw(new ArgumentException("x")); return null; }, () => $"{c2.State} {r.Count}/{r.Sum}");
            Do("count send after", () => { c2.Send(6); return null; }, () => $"{c2.State}");
            var c3 = s.Count(r);
            Do("count throw GeneratorExit", () => { c3.Send(5); c3.Throw(new GeneratorExitException()); return null; }, () => $"{c3.State} {r.Count}/{r.Sum}");
            var cs = s.CountStr(r);
            Do("countstr", () => { cs.Send("abc"); return null; }, () => $"{cs.State}");
            Do("countstr null", () => { cs.Send(null!); return null; }, () => $"{cs.State}");
            Do("countstr close after", () => { cs.Close(); return $"{r.Count}/{r.Sum}"; }, () => $"{cs.State}");
        }

        return log;
    }
}
