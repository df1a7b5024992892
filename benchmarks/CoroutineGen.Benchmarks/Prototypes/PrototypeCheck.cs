using CoroutineGen.Benchmarks.Implementations;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Prototypes;

/// <summary>
/// <c>--check-prototype</c>: drives the generated stages and every prototype shape (<see cref="PrototypeStages"/>,
/// today's; <see cref="FinallyStages"/>, <see cref="HandlerFreeStages"/>, <see cref="CoreFlagStages"/>, the
/// handler-free variants) through the same scenarios (send, throw, close, re-entrancy, a finished target, GeneratorExit
/// and other exceptions from the target, chains of stages of the same shape, so that generated-to-generated sends go
/// through the core, implicit exceptions in a sink) and compares what an observer sees: results, exceptions (type,
/// message, inner exception type, and which exception object it is), states and the calls the targets received. A
/// prototype shape is only worth measuring if it behaves exactly like the generated one.
/// <para>Lines starting with <c>[filter]</c> record what an exception filter up the stack sees while an ordinary
/// exception leaves a stage. The handler-free shapes release in a finally, which runs after the filters (the
/// generated catch-all releases and rethrows before them): such lines may differ for those shapes only, and are
/// printed as known differences instead of failing the check. Everything else must be identical.</para>
/// <para><c>COROUTINEGEN_CHECK_VERBOSE=1</c> prints the expected trace; <c>--check-prototype NAME</c> checks one shape.</para>
/// </summary>
internal static class PrototypeCheck
{
    private sealed record Stages(
        string Name,
        bool ReleasesInFinally,
        Func<ICoroutine<int>, ICoroutine<int>> Pass,
        Func<string, ICoroutine<string>, ICoroutine<string>> Grep,
        Func<ICoroutine<int>[], ICoroutine<int>> Broadcast,
        Func<Result, ICoroutine<int>> Count,
        Func<Result, ICoroutine<string>> CountStr);

    /// <summary>Exceptions the scripts create (by targets or passed to Throw), by name, to tell which object came out.</summary>
    private static readonly List<(Exception Exception, string Name)> Origins = [];

    private static T Origin<T>(T e, string name)
        where T : Exception
    {
        Origins.Add((e, name));
        return e;
    }

    private static string NameOf(Exception e) => Origins.FirstOrDefault(o => ReferenceEquals(o.Exception, e)).Name ?? "new";

    /// <summary>A target that records what it receives and misbehaves on request.</summary>
    private sealed class Target<T>(List<string> log, string name) : ICoroutine<T>
    {
        public Func<T, Exception?>? OnSend { get; set; }

        public Action? DuringSend { get; set; }

        public Func<Exception?>? OnClose { get; set; }

        public CoroutineState State { get; private set; } = CoroutineState.Suspended;

        public void Send(T value)
        {
            log.Add($"{name}.Send({value})");
            DuringSend?.Invoke();
            if (OnSend?.Invoke(value) is { } e) throw Origin(e, $"{name}.Send's");
        }

        public void Throw(Exception exception) => log.Add($"{name}.Throw({exception.GetType().Name})");

        public void Close()
        {
            log.Add($"{name}.Close()");
            State = CoroutineState.Closed;
            if (OnClose?.Invoke() is { } e) throw Origin(e, $"{name}.Close's");
        }

        public void Dispose() => Close();
    }

    public static int Run(string[] args)
    {
        var generated = new Stages("generated", false, GeneratedStages.Pass, GeneratedStages.Grep, GeneratedStages.Broadcast, GeneratedStages.Count, GeneratedStages.CountStr);
        Stages[] prototypes =
        [
            new("prototype", false, PrototypeStages.Pass, PrototypeStages.Grep, PrototypeStages.Broadcast, PrototypeStages.Count, PrototypeStages.CountStr),
            new("proto-finally", true, FinallyStages.Pass, FinallyStages.Grep, FinallyStages.Broadcast, HandlerFreeStages.Count, HandlerFreeStages.CountStr),
            new("proto-core", true, HandlerFreeStages.Pass, HandlerFreeStages.Grep, HandlerFreeStages.Broadcast, HandlerFreeStages.Count, HandlerFreeStages.CountStr),
            new("proto-core-flag", true, CoreFlagStages.Pass, CoreFlagStages.Grep, HandlerFreeStages.Broadcast, HandlerFreeStages.Count, HandlerFreeStages.CountStr),
        ];
        if (args.Length > 0)
        {
            prototypes = prototypes.Where(p => p.Name == args[0]).ToArray();
            if (prototypes.Length == 0)
            {
                Console.Error.WriteLine("usage: --check-prototype [prototype|proto-finally|proto-core|proto-core-flag]");
                return 2;
            }
        }

        var expected = Trace(generated);
        if (Environment.GetEnvironmentVariable("COROUTINEGEN_CHECK_VERBOSE") == "1") expected.ForEach(Console.WriteLine);
        int failed = 0;
        foreach (var prototype in prototypes)
        {
            var actual = Trace(prototype);
            int differences = 0, known = 0;
            for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
            {
                string e = i < expected.Count ? expected[i] : "<missing>", a = i < actual.Count ? actual[i] : "<missing>";
                if (e == a) continue;
                bool isKnown = prototype.ReleasesInFinally && e.StartsWith("[filter]", StringComparison.Ordinal) && a.StartsWith("[filter]", StringComparison.Ordinal);
                Console.WriteLine($"{prototype.Name}, line {i + 1}{(isKnown ? " (known difference: release in a finally runs after the filters)" : "")}:\n  generated: {e}\n  {prototype.Name}: {a}");
                if (isKnown) known++;
                else differences++;
            }

            Console.WriteLine(differences == 0
                ? $"{prototype.Name} behaves like the generated stages: {expected.Count} trace lines, {expected.Count - known} identical, {known} known differences"
                : $"{prototype.Name}: {differences} of {expected.Count} trace lines differ");
            if (differences != 0) failed++;
        }

        return failed == 0 ? 0 : 1;
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
                outcome = $"{e.GetType().Name}: {e.Message} [{NameOf(e)}]" + (e.InnerException is { } inner ? $" (inner {inner.GetType().Name} [{NameOf(inner)}])" : "");
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
            Do("pass throw", () => { p.Throw(Origin(ex(), "thrown in")); return null; }, () => $"{p.State}");
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
            Do("count throw", () => { c2.Send(5); c2.Throw(Origin(new ArgumentException("x"), "thrown in")); return null; }, () => $"{c2.State} {r.Count}/{r.Sum}");
            Do("count send after", () => { c2.Send(6); return null; }, () => $"{c2.State}");
            var c3 = s.Count(r);
            Do("count throw GeneratorExit", () => { c3.Send(5); c3.Throw(Origin(new GeneratorExitException(), "thrown in")); return null; }, () => $"{c3.State} {r.Count}/{r.Sum}");
            var cs = s.CountStr(r);
            Do("countstr", () => { cs.Send("abc"); return null; }, () => $"{cs.State}");
            Do("countstr null", () => { cs.Send(null!); return null; }, () => $"{cs.State}");
            Do("countstr close after", () => { cs.Close(); return $"{r.Count}/{r.Sum}"; }, () => $"{cs.State}");
        }

        // Throw(StopIterationException) at the suspension point: the template does not catch it, so PEP 479
        {
            var p = s.Pass(new Target<int>(log, "t"));
            Do("pass throw StopIteration", () => { p.Throw(Origin(new StopIterationException(), "thrown in")); return null; }, () => $"{p.State}");
            Do("pass close after", () => { p.Close(); return null; }, () => $"{p.State}");
        }

        // re-entrant Throw and Close from inside the body
        {
            var t = new Target<int>(log, "t");
            var p = s.Pass(t);
            t.DuringSend = () =>
            {
                foreach (var (what, act) in new (string, Action)[] { ("throw", () => p.Throw(new ArgumentException())), ("close", p.Close) })
                {
                    try
                    {
                        act();
                        log.Add($"re-entrant {what}: ok");
                    }
                    catch (Exception e)
                    {
                        log.Add($"re-entrant {what}: {e.GetType().Name}: {e.Message}; {p.State}");
                    }
                }
            };
            Do("pass re-entrant throw/close", () => { p.Send(5); return null; }, () => $"{p.State}");
        }

        // chains of stages of one shape (generated-to-generated sends: the core, in the handler-free shapes)
        {
            var r = new Result();
            var c = s.Count(r);
            var p2 = s.Pass(c);
            var p1 = s.Pass(p2);
            Do("chain traffic and close", () => { p1.Send(1); p1.Send(2); p1.Send(3); p1.Close(); return $"{r.Count}/{r.Sum}"; }, () => $"{p1.State} {p2.State} {c.State}");
            Do("chain send after close", () => { p1.Send(4); return null; }, () => $"{p1.State}");
        }

        {
            // the sink finished: PEP 479 in the stage next to it; that InvalidOperationException passes the other stage
            var r = new Result();
            var c = s.Count(r);
            var p2 = s.Pass(c);
            var p1 = s.Pass(p2);
            c.Close();
            Do("chain into finished sink", () => { p1.Send(1); return null; }, () => $"{p1.State} {p2.State} {c.State}");
            Do("chain close after PEP 479", () => { p1.Close(); p2.Close(); return null; }, () => $"{p1.State} {p2.State}");
        }

        {
            // the inner stage finishes during the call (its handler ran): PEP 479 in the outer one
            var t = new Target<int>(log, "t") { OnSend = v => new GeneratorExitException("from t") };
            var p2 = s.Pass(t);
            var p1 = s.Pass(p2);
            Do("chain, inner stage finishes", () => { p1.Send(1); return null; }, () => $"{p1.State} {p2.State}");
        }

        {
            // GeneratorExitException escaping a generated target (its handler raises it): the outer handler runs
            var t = new Target<int>(log, "t") { OnSend = v => new GeneratorExitException("from t.Send"), OnClose = () => new GeneratorExitException("from t.Close") };
            var p2 = s.Pass(t);
            var p1 = s.Pass(p2);
            Do("chain, GeneratorExit from the inner stage", () => { p1.Send(1); return null; }, () => $"{p1.State} {p2.State}");
            var t2 = new Target<int>(log, "t2") { OnSend = v => new GeneratorExitException("from t2.Send"), OnClose = () => new GeneratorExitException("from t2.Close") };
            var q = s.Pass(t2);
            Do("GeneratorExit escaping a handler", () => { q.Send(1); return null; }, () => $"{q.State}");
        }

        {
            // an ordinary exception from the innermost target finishes every stage it passes
            var t = new Target<int>(log, "t") { OnSend = v => v == 2 ? new InvalidCastException("bad") : null };
            var p2 = s.Pass(t);
            var p1 = s.Pass(p2);
            Do("chain, target throws", () => { p1.Send(1); p1.Send(2); return null; }, () => $"{p1.State} {p2.State}");
            Do("chain close after", () => { p1.Close(); return null; }, () => $"{p1.State} {p2.State}");
        }

        {
            // the handler raises an ordinary exception; Close absorbs a GeneratorExit from the handler, not others
            var t = new Target<int>(log, "t") { OnSend = v => new GeneratorExitException(), OnClose = () => new InvalidOperationException("close fails") };
            var p = s.Pass(t);
            Do("handler throws", () => { p.Send(1); return null; }, () => $"{p.State}");
            var u = new Target<int>(log, "u") { OnClose = () => new GeneratorExitException("from u.Close") };
            var q = s.Pass(u);
            Do("close, handler raises GeneratorExit", () => { q.Close(); return null; }, () => $"{q.State}");
            var w = new Target<int>(log, "w") { OnClose = () => new ArithmeticException("from w.Close") };
            var q2 = s.Pass(w);
            Do("close, handler throws", () => { q2.Close(); return null; }, () => $"{q2.State}");
        }

        {
            // cycles through the core: a broadcast that sends to itself, and pass -> broadcast -> the same pass
            var arr = new ICoroutine<int>[1];
            var b = s.Broadcast(arr);
            arr[0] = b;
            Do("broadcast to itself", () => { b.Send(1); return null; }, () => $"{b.State}");
            var arr2 = new ICoroutine<int>[1];
            var b2 = s.Broadcast(arr2);
            var p = s.Pass(b2);
            arr2[0] = p;
            Do("pass -> broadcast -> pass", () => { p.Send(1); return null; }, () => $"{p.State} {b2.State}");
        }

        {
            // re-entrancy through a chain: the innermost (non-generated) target sends to the outermost stage
            var fwd = new Target<int>(log, "fwd");
            var p2 = s.Pass(fwd);
            var p1 = s.Pass(p2);
            fwd.DuringSend = () =>
            {
                log.Add($"inside: {p1.State} {p2.State}");
                try
                {
                    p1.Send(99);
                }
                catch (Exception e)
                {
                    log.Add($"re-entrant send: {e.GetType().Name}: {e.Message}");
                }
            };
            Do("chain re-entrant, caught", () => { p1.Send(5); return null; }, () => $"{p1.State} {p2.State}");
            fwd.DuringSend = () => p1.Send(98);
            Do("chain re-entrant, not caught", () => { p1.Send(6); return null; }, () => $"{p1.State} {p2.State}");
        }

        {
            // a generated target of today's generator (no core): the helper path, with its original StopIteration
            var r = new Result();
            var foreign = GeneratedStages.Count(r);
            var p = s.Pass(foreign);
            Do("into a foreign generated sink", () => { p.Send(3); return null; }, () => $"{p.State} {foreign.State}");
            foreign.Close();
            Do("into the foreign sink, finished", () => { p.Send(4); return $"{r.Count}/{r.Sum}"; }, () => $"{p.State}");
        }

        // grep: GeneratorExit from the target, a finished sink, a live sink of the same shape
        {
            var t = new Target<string>(log, "t") { OnSend = v => new GeneratorExitException() };
            var g = s.Grep("py", t);
            Do("grep, target raises GeneratorExit", () => { g.Send("java"); g.Send("python"); return null; }, () => $"{g.State}");
            var r = new Result();
            var cs = s.CountStr(r);
            var g2 = s.Grep("py", cs);
            Do("grep into sink", () => { g2.Send("python"); g2.Send("java"); g2.Send("pypy"); g2.Close(); return $"{r.Count}/{r.Sum}"; }, () => $"{g2.State} {cs.State}");
            var cs2 = s.CountStr(r);
            var g3 = s.Grep("py", cs2);
            cs2.Close();
            Do("grep into finished sink", () => { g3.Send("java"); g3.Send("python"); return null; }, () => $"{g3.State}");
        }

        // broadcast: GeneratorExit from one target (handler closes all), a finished sink among the targets
        {
            var r = new Result();
            var c1 = s.Count(r);
            var t = new Target<int>(log, "t") { OnSend = v => v == 2 ? new GeneratorExitException() : null };
            var b = s.Broadcast([c1, t]);
            Do("broadcast, GeneratorExit from a target", () => { b.Send(1); b.Send(2); return $"{r.Count}/{r.Sum}"; }, () => $"{b.State} {c1.State}");
            var c2 = s.Count(r);
            var c3 = s.Count(r);
            var b2 = s.Broadcast([c2, c3]);
            c3.Close();
            Do("broadcast into a finished sink", () => { b2.Send(7); return null; }, () => $"{b2.State} {c2.State}");
            Do("broadcast close after", () => { b2.Close(); return $"{r.Count}/{r.Sum}"; }, () => $"{b2.State} {c2.State}");
        }

        // a non-generated target's own StopIterationException (its Send threw it): PEP 479 with that object as inner
        {
            var t = new Target<int>(log, "t") { OnSend = v => new StopIterationException(v) };
            var p = s.Pass(t);
            Do("pass, target throws StopIteration", () => { p.Send(1); return null; }, () => $"{p.State}");
            var ts = new Target<string>(log, "ts") { OnSend = v => new StopIterationException(v) };
            var g = s.Grep("py", ts);
            Do("grep, target throws StopIteration", () => { g.Send("python"); return null; }, () => $"{g.State}");
            var t1 = new Target<int>(log, "t1");
            var t2 = new Target<int>(log, "t2") { OnSend = v => new StopIterationException(v) };
            var b = s.Broadcast([t1, t2]);
            Do("broadcast, target throws StopIteration", () => { b.Send(1); return null; }, () => $"{b.State}");
        }

        // what an exception filter up the stack sees while an ordinary exception leaves the stages (see the summary)
        {
            var t = new Target<int>(log, "t") { OnSend = v => new InvalidCastException("bad") };
            var p2 = s.Pass(t);
            var p1 = s.Pass(p2);
            string seen = "";
            try
            {
                p1.Send(1);
            }
            catch (InvalidCastException) when (Note(() => seen = $"{p1.State} {p2.State}"))
            {
            }

            log.Add($"[filter] a filter above the chain sees {seen}");
            log.Add($"after the catch: {p1.State} {p2.State}");
        }

        return log;
    }

    private static bool Note(Action action)
    {
        action();
        return true;
    }
}
