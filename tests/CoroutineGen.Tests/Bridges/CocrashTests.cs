using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Bridges;

/// <summary>
/// Beazley's <c>cocrash.py</c>: two threads send into one generated coroutine. The second is refused with
/// "coroutine is already running" (Python: <c>ValueError: generator already executing</c>) and the coroutine goes on
/// unharmed. A <see cref="Gate"/> holds the first thread inside the body while the second sends, so the collision
/// happens every time (in the course it happens by chance). Each test is checked against its Python twin.
/// </summary>
/// <remarks>
/// Generated coroutines detect this reliably only when, as here, the first thread's entry happened before the
/// second call (the gate's events order them). Two calls that start at the same instant may both get in: the
/// generated state check is not atomic (docs/bridges.md, "Two threads, one coroutine").
/// </remarks>
public static partial class CocrashTests
{
    /// <summary>A printer that stops inside its body, at the gate, on each line containing "block".</summary>
    [Coroutine]
    internal static void BlockingPrinter(Inbox<string> inbox, Gate gate, List<string> log)
    {
        while (true)
        {
            string line = inbox.Receive();
            log.Add(line);
            if (line.Contains("block")) gate.Block();
        }
    }

    [Coroutine]
    internal static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
    {
        while (true)
        {
            string line = inbox.Receive();
            if (line.Contains(pattern)) target.Send(line);
        }
    }

    private const string PythonBlockingPrinter = """
        import threading

        class Gate:
            def __init__(self):
                self.entered = threading.Event()
                self.opened = threading.Event()
            def block(self):
                self.entered.set()
                self.opened.wait()

        @coroutine
        def blocking_printer(gate, log):
            while True:
                line = (yield)
                log.append(line)
                if "block" in line:
                    gate.block()

        """;

    [Fact]
    public static void A_send_from_a_second_thread_while_the_body_runs_is_refused_and_changes_nothing()
    {
        var trace = new Trace();
        var gate = new Gate();
        var log = new List<string>();
        var printer = BlockingPrinter(gate, log);

        var first = new BackgroundCall(() => printer.Send("block"));
        gate.WaitUntilEntered();
        trace.Print($"state while the first thread is inside: {printer.State}");
        trace.Attempt("send from a second thread", () => printer.Send("other"));
        trace.Print($"state after the refused send: {printer.State}");
        gate.Open();
        first.Wait();
        trace.Print($"state after the first thread's send: {printer.State}");
        trace.Attempt("send after", () => printer.Send("after"));
        trace.Print($"received: {string.Join(", ", log)}");
        printer.Close();
        trace.Print($"state: {printer.State}");

        PythonTwin.AssertSameTrace(PythonBlockingPrinter + """
            gate = Gate()
            log = []
            printer = blocking_printer(gate, log)
            first = threading.Thread(target=lambda: printer.send("block"))
            first.start()
            gate.entered.wait()
            print(f"state while the first thread is inside: {state(printer)}")
            attempt("send from a second thread", lambda: printer.send("other"))
            print(f"state after the refused send: {state(printer)}")
            gate.opened.set()
            first.join()
            print(f"state after the first thread's send: {state(printer)}")
            attempt("send after", lambda: printer.send("after"))
            print(f"received: {', '.join(log)}")
            printer.close()
            print(f"state: {state(printer)}")
            """, trace.Lines);
    }

    [Fact]
    public static void Close_and_Throw_from_a_second_thread_while_the_body_runs_are_refused_too()
    {
        var trace = new Trace();
        var gate = new Gate();
        var log = new List<string>();
        var printer = BlockingPrinter(gate, log);

        var first = new BackgroundCall(() => printer.Send("block"));
        gate.WaitUntilEntered();
        trace.Attempt("close from a second thread", printer.Close);
        trace.Attempt("throw from a second thread", () => printer.Throw(new InvalidCastException("nope")));
        trace.Print($"state: {printer.State}");
        gate.Open();
        first.Wait();
        trace.Print($"state after the first thread's send: {printer.State}");
        printer.Close();
        trace.Print($"received: {string.Join(", ", log)}; state: {printer.State}");

        PythonTwin.AssertSameTrace(PythonBlockingPrinter + """
            class InvalidCastException(Exception): pass

            gate = Gate()
            log = []
            printer = blocking_printer(gate, log)
            first = threading.Thread(target=lambda: printer.send("block"))
            first.start()
            gate.entered.wait()
            attempt("close from a second thread", printer.close)
            attempt("throw from a second thread", lambda: printer.throw(InvalidCastException("nope")))
            print(f"state: {state(printer)}")
            gate.opened.set()
            first.join()
            print(f"state after the first thread's send: {state(printer)}")
            printer.close()
            print(f"received: {', '.join(log)}; state: {state(printer)}")
            """, trace.Lines);
    }

    /// <summary>
    /// cocrash.py itself: two threaded greps share one printer. The foo worker is held inside the printer while the
    /// bar worker sends to it; the bar worker's grep fails with "already running", and the bar bridge reports that
    /// (Python: the bar thread dies with the error printed by the thread's exception hook).
    /// </summary>
    [Fact]
    public static void Two_threaded_greps_sharing_one_printer_one_worker_is_refused_and_its_bridge_reports_it()
    {
        var trace = new Trace();
        var gate = new Gate();
        var log = new List<string>();
        var printer = BlockingPrinter(gate, log);
        var foo = Coroutines.Threaded(Grep("foo", printer));
        var bar = Coroutines.Threaded(Grep("bar", printer));

        foo.Send("foo: block");
        gate.WaitUntilEntered();
        trace.Print($"printer while the foo worker is inside it: {printer.State}");
        bar.Send("bar: collides");
        var failure = Assert.Throws<CoroutineBridgeException>(bar.Close); // waits for the bar worker, which fails
        trace.Print($"a worker thread died: {Trace.Describe(failure.InnerException!)}");
        gate.Open();
        foo.Send("foo: after");
        foo.Close();
        trace.Print($"printer received: {string.Join(", ", log)}");
        trace.Print($"printer: {printer.State}");

        Assert.StartsWith(
            "The target of a threaded coroutine failed on the worker thread while receiving value #1 ",
            failure.Message,
            StringComparison.Ordinal);
        Assert.EndsWith("The target threw InvalidOperationException: coroutine is already running", failure.Message, StringComparison.Ordinal);
        Assert.Equal(CoroutineState.Closed, bar.State);
        PythonTwin.AssertSameTrace(PythonBlockingPrinter + """
            from queue import Queue

            # Beazley's threaded() (cothread.py)
            @coroutine
            def threaded(target):
                messages = Queue()
                def run_target():
                    while True:
                        item = messages.get()
                        if item is GeneratorExit:
                            target.close()
                            return
                        else:
                            target.send(item)
                threading.Thread(target=run_target).start()
                try:
                    while True:
                        item = (yield)
                        messages.put(item)
                except GeneratorExit:
                    messages.put(GeneratorExit)

            @coroutine
            def grep(pattern, target):
                while True:
                    line = (yield)
                    if pattern in line:
                        target.send(line)

            worker_died = threading.Event()
            def report(args):
                print(f"a worker thread died: {describe(args.exc_value)}")
                worker_died.set()
            threading.excepthook = report

            gate = Gate()
            log = []
            printer = blocking_printer(gate, log)
            foo = threaded(grep("foo", printer))
            bar = threaded(grep("bar", printer))
            foo.send("foo: block")
            gate.entered.wait()
            print(f"printer while the foo worker is inside it: {state(printer)}")
            bar.send("bar: collides")
            worker_died.wait()
            bar.close()
            gate.opened.set()
            foo.send("foo: after")
            foo.close()
            for t in threading.enumerate():
                if t is not threading.main_thread():
                    t.join()
            print(f"printer received: {', '.join(log)}")
            print(f"printer: {state(printer)}")
            """, trace.Lines);
    }
}
