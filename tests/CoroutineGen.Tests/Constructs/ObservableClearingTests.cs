using System.Collections.Concurrent;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// Clearing (a parked coroutine drops what is dead, a finished one drops everything) is an optimisation: it must
/// never change what code can observe. A variable a lambda or local function captured keeps its value after the
/// coroutine finishes, as a closure does in C# and in Python; a value a suspension point yields is computed before
/// anything it reads is cleared; a local that a catch or the code after a yield still reads is not cleared. Each
/// test compares its trace with CPython's.
/// </summary>
public static partial class ObservableClearingTests
{
    // ---- closures outlive the coroutine ----

    [Coroutine]
    internal static void Keep(Inbox<int> inbox, string name, List<Func<string>> sink)
    {
        string local = name + "!";
        sink.Add(() => name);
        sink.Add(() => local);
        while (true)
        {
            inbox.Receive();
        }
    }

    private const string KeepTwin = """
        def show(label, sink):
            print(f"{label}: " + ",".join(str(f()) for f in sink))

        @coroutine
        def keep(name, sink):
            local = name + "!"
            sink.append(lambda: name)
            sink.append(lambda: local)
            while True:
                yield

        for how in ["close", "throw", "send"]:
            sink = []
            g = keep("n", sink)
            show("primed", sink)
            attempt("send 1", lambda: g.send(1))
            show("after send", sink)
            if how == "close":
                attempt("close", lambda: g.close())
            elif how == "throw":
                attempt("throw", lambda: g.throw(ValueError("bad")))
            else:
                attempt("send 2", lambda: g.send(2))
            show(f"after {how}", sink)
            print(state(g))
        """;

    private static void Show(Trace t, string label, List<Func<string>> sink) =>
        t.Print($"{label}: " + string.Join(",", sink.Select(f => Trace.Format(f()))));

    [Fact]
    public static void Captured_locals_and_parameters_keep_their_values_after_the_coroutine_finishes()
    {
        var t = new Trace();
        foreach (var how in new[] { "close", "throw", "send" })
        {
            var sink = new List<Func<string>>();
            var g = Keep("n", sink);
            Show(t, "primed", sink);
            t.Attempt("send 1", () => g.Send(1));
            Show(t, "after send", sink);
            switch (how)
            {
                case "close":
                    t.Attempt("close", g.Close);
                    break;
                case "throw":
                    t.Attempt("throw", () => g.Throw(new ValueError("bad")));
                    break;
                default:
                    t.Attempt("send 2", () => g.Send(2));
                    break;
            }

            Show(t, $"after {how}", sink);
            t.Print(g.State.ToString());
        }

        PythonTwin.AssertSameTrace(KeepTwin, t.Lines);
    }

    // An instance template whose lambdas use `this`: the coroutine keeps no `this` once finished, the lambdas do.
    internal sealed partial class Counter
    {
        public string Name { get; set; } = "c";

        [Coroutine]
        internal void Watch(Inbox<int> inbox, List<Func<string>> sink)
        {
            sink.Add(() => Name);
            sink.Add(() => this.Name + "?");
            while (true)
            {
                inbox.Receive();
            }
        }
    }

    private const string WatchTwin = """
        class Counter:
            def __init__(self):
                self.name = "c"
            @coroutine
            def watch(self, sink):
                sink.append(lambda: self.name)
                sink.append(lambda: self.name + "?")
                while True:
                    yield
        def show(label, sink):
            print(f"{label}: " + ",".join(str(f()) for f in sink))
        sink = []
        g = Counter().watch(sink)
        show("primed", sink)
        attempt("send 1", lambda: g.send(1))
        attempt("close", lambda: g.close())
        show("after close", sink)
        """;

    [Fact]
    public static void Lambdas_that_use_this_keep_it_after_the_coroutine_finishes()
    {
        var t = new Trace();
        var sink = new List<Func<string>>();
        var g = new Counter().Watch(sink);
        Show(t, "primed", sink);
        t.Attempt("send 1", () => g.Send(1));
        t.Attempt("close", g.Close);
        Show(t, "after close", sink);
        PythonTwin.AssertSameTrace(WatchTwin, t.Lines);
    }

    // A local function and a lambda that read a captured parameter and a captured local the body keeps changing,
    // called after every operation, however the coroutine finishes (close, return, an exception, a throw).
    [Coroutine]
    internal static int Tally(Inbox<string> inbox, string prefix, List<Func<string>> sink)
    {
        string seen = prefix;
        string Describe() => $"{prefix}:{seen}";
        sink.Add(Describe);
        sink.Add(() => seen.ToUpperInvariant());
        while (true)
        {
            try
            {
                var item = inbox.Receive();
                if (item == "stop")
                {
                    return seen.Length;
                }

                seen = seen + "+" + item;
            }
            catch (ValueError e)
            {
                seen = seen + "!" + e.Message;
            }
        }
    }

    private const string TallyTwin = """
        @coroutine
        def tally(prefix, sink):
            seen = prefix
            def describe():
                return f"{prefix}:{seen}"
            sink.append(describe)
            sink.append(lambda: seen.upper())
            while True:
                try:
                    item = yield
                    if item == "stop":
                        return len(seen)
                    seen = seen + "+" + item
                except ValueError as e:
                    seen = seen + "!" + str(e)

        def closures(sink):
            attempt("closures", lambda: ",".join(f() for f in sink))

        scripts = [
            [("send", "a"), ("throw", ValueError("x")), ("send", "b"), ("close", None), ("send", "c"), ("close", None)],
            [("send", "a"), ("send", "stop")],
            [("send", "a"), ("throw", TypeError("t"))],
            [("close", None)],
        ]
        for ops in scripts:
            sink = []
            g = tally("p", sink)
            closures(sink)
            for op, arg in ops:
                if op == "send":
                    attempt(f"send {arg}", lambda: g.send(arg))
                elif op == "throw":
                    attempt(f"throw {type(arg).__name__}", lambda: g.throw(arg))
                else:
                    attempt("close", lambda: g.close())
                print(state(g))
                closures(sink)
        """;

    [Fact]
    public static void Closures_see_the_last_values_after_send_throw_return_and_close()
    {
        var t = new Trace();
        var scripts = new (string Op, object? Arg)[][]
        {
            [("send", "a"), ("throw", new ValueError("x")), ("send", "b"), ("close", null), ("send", "c"), ("close", null)],
            [("send", "a"), ("send", "stop")],
            [("send", "a"), ("throw", new TypeError("t"))],
            [("close", null)],
        };
        foreach (var ops in scripts)
        {
            var sink = new List<Func<string>>();
            var g = Tally("p", sink);
            void Closures() => t.Attempt("closures", () => string.Join(",", sink.Select(f => f())));
            Closures();
            foreach (var (op, arg) in ops)
            {
                switch (op)
                {
                    case "send":
                        t.Attempt($"send {arg}", () => g.Send((string)arg!));
                        break;
                    case "throw":
                        t.Attempt($"throw {arg!.GetType().Name}", () => g.Throw((Exception)arg));
                        break;
                    default:
                        t.Attempt("close", g.Close);
                        break;
                }

                t.Print(g.State.ToString());
                Closures();
            }
        }

        PythonTwin.AssertSameTrace(TallyTwin, t.Lines);
    }

    // Beazley's cothread.py: a local function runs on a thread and sends to the template's target; on close the
    // template tells it to stop, and the thread then closes the target, after the coroutine has finished.
    [Coroutine]
    internal static void Threaded(Inbox<string> inbox, ICoroutine<string> target, ManualResetEventSlim gate, List<Thread> threads, List<string> errors)
    {
        var messages = new BlockingCollection<string?>();
        void RunTarget()
        {
            gate.Wait();
            while (true)
            {
                var item = messages.Take();
                if (item is null)
                {
                    target.Close();
                    return;
                }

                target.Send(item);
            }
        }

        var thread = new Thread(Guarded(RunTarget, errors));
        threads.Add(thread);
        thread.Start();
        try
        {
            while (true)
            {
                messages.Add(inbox.Receive());
            }
        }
        catch (GeneratorExitException)
        {
            messages.Add(null);
        }
    }

    // What the thread throws is recorded, not left to crash the test host.
    private static ThreadStart Guarded(Action body, List<string> errors) => () =>
    {
        try
        {
            body();
        }
        catch (Exception e)
        {
            lock (errors)
            {
                errors.Add(e.GetType().Name);
            }
        }
    };

    [Coroutine]
    internal static void Collect(Inbox<string> inbox, List<string> log)
    {
        try
        {
            while (true)
            {
                log.Add($"target got {inbox.Receive()}");
            }
        }
        catch (GeneratorExitException)
        {
            log.Add("target closed");
        }
    }

    private const string ThreadedTwin = """
        import threading, queue
        def sink_coroutine(log):
            @coroutine
            def sink():
                try:
                    while True:
                        log.append(f"target got {(yield)}")
                except GeneratorExit:
                    log.append("target closed")
            return sink()

        def guarded(body, errors):
            def run():
                try:
                    body()
                except Exception as e:
                    errors.append(type(e).__name__)
            return run

        @coroutine
        def threaded(target, gate, threads, errors):
            messages = queue.Queue()
            def run_target():
                gate.wait()
                while True:
                    item = messages.get()
                    if item is None:
                        target.close()
                        return
                    target.send(item)
            thread = threading.Thread(target=guarded(run_target, errors))
            threads.append(thread)
            thread.start()
            try:
                while True:
                    messages.put((yield))
            except GeneratorExit:
                messages.put(None)

        log = []; errors = []; threads = []
        gate = threading.Event()
        g = threaded(sink_coroutine(log), gate, threads, errors)
        attempt("send a", lambda: g.send("a"))
        attempt("send b", lambda: g.send("b"))
        attempt("close", lambda: g.close())
        print(state(g))
        gate.set()
        threads[0].join()
        for line in log: print(line)
        print(f"errors {len(errors)}")
        """;

    [Fact]
    public static void A_thread_started_by_the_template_uses_captured_parameters_after_close()
    {
        var t = new Trace();
        var log = new List<string>();
        var errors = new List<string>();
        var threads = new List<Thread>();
        using var gate = new ManualResetEventSlim();
        var g = Threaded(Collect(log), gate, threads, errors);
        t.Attempt("send a", () => g.Send("a"));
        t.Attempt("send b", () => g.Send("b"));
        t.Attempt("close", g.Close);
        t.Print(g.State.ToString());
        gate.Set();
        Assert.True(threads[0].Join(TimeSpan.FromSeconds(30)), "the thread finished");
        foreach (var line in log)
        {
            t.Print(line);
        }

        t.Print($"errors {errors.Count}");
        PythonTwin.AssertSameTrace(ThreadedTwin, t.Lines);
    }

    // ---- two-way coroutines yield what they read ----

    // `label` is read by the second yield of the same statement, after the first one resumes, and by nothing after
    // the second: it must not be cleared before the second yields it.
    [Coroutine]
    internal static int Labels(Inbox<int, string> inbox, Trace t)
    {
        string label = "x";
        int a = inbox.Yield(label) + inbox.Yield(label + "!");
        t.Print($"a {a}");
        return a;
    }

    // The yielded local is assigned again on every path after the yield (the try body and the catch): it is dead
    // after resuming, but the yield itself reads it.
    [Coroutine]
    internal static void Recover(Inbox<int, string> inbox)
    {
        string last = "start";
        while (true)
        {
            try
            {
                var v = inbox.Yield(last);
                last = $"got {v}";
            }
            catch (ArgumentException)
            {
                last = "recovered";
            }
        }
    }

    [Coroutine]
    internal static void Lengths(Inbox<int, int> inbox)
    {
        string last = "start";
        while (true)
        {
            try
            {
                var v = inbox.Yield(last.Length);
                last = string.Concat(Enumerable.Repeat("got", v));
            }
            catch (ArgumentException)
            {
                last = "recovered";
            }
        }
    }

    private const string YieldTwin = """
        class ArgumentException(Exception): pass

        def labels():
            label = "x"
            a = (yield label) + (yield label + "!")
            print(f"a {a}")
            return a

        g = labels()
        print(f"current {next(g)}")
        attempt("send 1", lambda: g.send(1))
        attempt("send 2", lambda: g.send(2))
        print(state(g))

        def recover():
            last = "start"
            while True:
                try:
                    v = yield last
                    last = f"got {v}"
                except ArgumentException:
                    last = "recovered"

        g = recover()
        print(f"current {next(g)}")
        attempt("send 1", lambda: g.send(1))
        attempt("throw", lambda: g.throw(ArgumentException("bad")))
        attempt("send 2", lambda: g.send(2))
        attempt("close", lambda: g.close())
        print(state(g))

        def lengths():
            last = "start"
            while True:
                try:
                    v = yield len(last)
                    last = "got" * v
                except ArgumentException:
                    last = "recovered"

        g = lengths()
        print(f"current {next(g)}")
        attempt("send 2", lambda: g.send(2))
        attempt("throw", lambda: g.throw(ArgumentException("bad")))
        attempt("send 3", lambda: g.send(3))
        attempt("close", lambda: g.close())
        print(state(g))
        """;

    [Fact]
    public static void A_yield_reads_its_operand_before_anything_is_cleared()
    {
        var t = new Trace();
        var labels = Labels(t);
        t.Print($"current {labels.Current}");
        t.Attempt("send 1", () => labels.Send(1));
        t.Attempt("send 2", () => labels.Send(2));
        t.Print(labels.State.ToString());

        var recover = Recover();
        t.Print($"current {recover.Current}");
        t.Attempt("send 1", () => recover.Send(1));
        t.Attempt("throw", () => recover.Throw(new ArgumentException("bad")));
        t.Attempt("send 2", () => recover.Send(2));
        t.Attempt("close", recover.Close);
        t.Print(recover.State.ToString());

        var lengths = Lengths();
        t.Print($"current {lengths.Current}");
        t.Attempt("send 2", () => lengths.Send(2));
        t.Attempt("throw", () => lengths.Throw(new ArgumentException("bad")));
        t.Attempt("send 3", () => lengths.Send(3));
        t.Attempt("close", lengths.Close);
        t.Print(lengths.State.ToString());

        PythonTwin.AssertSameTrace(YieldTwin, t.Lines);
    }
}
