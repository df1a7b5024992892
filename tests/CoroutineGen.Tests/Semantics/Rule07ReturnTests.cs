using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// Rule 7 of docs/semantics.md, return: <c>return;</c> finishes the coroutine; a template with a return type finishes
/// with <c>return r;</c>, and then <c>Result</c> and <see cref="StopIterationException.Value"/> both hold <c>r</c>,
/// the same object; later resumes throw a <see cref="StopIterationException"/> without a value.
/// Python's <c>StopIteration.value</c> is both <c>Value</c> and <c>Result</c> in the twins. Each test is checked
/// against its Python twin.
/// </summary>
public static partial class Rule07ReturnTests
{
    // ------------------------------------------------------------------ return; in void templates

    [Coroutine]
    internal static void UntilStop(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            string word = inbox.Receive();
            if (word == "stop")
            {
                log.WriteLine("stopping");
                return;
            }

            log.WriteLine($"word {word}");
        }
    }

    [Fact]
    public static void Return_finishes_the_coroutine_and_Send_throws_StopIteration()
    {
        var trace = new Trace();
        var c = UntilStop(trace.Writer);
        trace.Attempt("send go", () => c.Send("go"));
        trace.Attempt("send stop", () => c.Send("stop"));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send go", () => c.Send("go"));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def until_stop():
                while True:
                    word = (yield)
                    if word == "stop":
                        print("stopping")
                        return
                    print(f"word {word}")
            c = until_stop()
            attempt("send go", lambda: c.send("go"))
            attempt("send stop", lambda: c.send("stop"))
            print(state(c))
            attempt("send go", lambda: c.send("go"))
            """, trace.Lines);
    }

    [Coroutine]
    internal static void Grid(Inbox<int> inbox, int size, TextWriter log)
    {
        try
        {
            for (int row = 0; row < size; row++)
            {
                try
                {
                    for (int column = 0; column < size; column++)
                    {
                        int cell = inbox.Receive();
                        if (cell < 0)
                        {
                            log.WriteLine($"abort at {row},{column}");
                            return;
                        }

                        log.WriteLine($"{row},{column} = {cell}");
                    }
                }
                finally
                {
                    log.WriteLine($"row {row} finally");
                }
            }

            log.WriteLine("grid complete");
        }
        finally
        {
            log.WriteLine("outer finally");
        }

        log.WriteLine("after the try");
    }

    [Fact]
    public static void Return_from_nested_loops_runs_every_finally_block_before_StopIteration()
    {
        var trace = new Trace();
        var c = Grid(2, trace.Writer);
        trace.Attempt("send 5", () => c.Send(5));
        trace.Attempt("send 6", () => c.Send(6));
        trace.Attempt("send 7", () => c.Send(7));
        trace.Attempt("send -1", () => c.Send(-1));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def grid(size):
                try:
                    for row in range(size):
                        try:
                            for column in range(size):
                                cell = (yield)
                                if cell < 0:
                                    print(f"abort at {row},{column}")
                                    return
                                print(f"{row},{column} = {cell}")
                        finally:
                            print(f"row {row} finally")
                    print("grid complete")
                finally:
                    print("outer finally")
                print("after the try")
            c = grid(2)
            attempt("send 5", lambda: c.send(5))
            attempt("send 6", lambda: c.send(6))
            attempt("send 7", lambda: c.send(7))
            attempt("send -1", lambda: c.send(-1))
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void Falling_off_the_end_after_the_loops_is_a_return_too()
    {
        var trace = new Trace();
        var c = Grid(1, trace.Writer);
        trace.Attempt("send 9", () => c.Send(9));
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def grid(size):
                try:
                    for row in range(size):
                        try:
                            for column in range(size):
                                cell = (yield)
                                if cell < 0:
                                    print(f"abort at {row},{column}")
                                    return
                                print(f"{row},{column} = {cell}")
                        finally:
                            print(f"row {row} finally")
                    print("grid complete")
                finally:
                    print("outer finally")
                print("after the try")
            c = grid(1)
            attempt("send 9", lambda: c.send(9))
            print(state(c))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ return r; in templates with a return type

    [Coroutine]
    internal static int Summer(Inbox<int> inbox, TextWriter log)
    {
        int total = 0;
        while (true)
        {
            int x = inbox.Receive();
            if (x == 0) break;
            total += x;
            log.WriteLine($"running total {total}");
        }

        return total;
    }

    [Fact]
    public static void Returned_value_is_in_StopIteration_Value_and_in_Result()
    {
        var trace = new Trace();
        var c = Summer(trace.Writer);
        c.Send(3);
        c.Send(4);
        try
        {
            c.Send(0);
            trace.Print("send 0: ok");
        }
        catch (StopIterationException stop)
        {
            trace.Print($"send 0: {Trace.Describe(stop)}");
            trace.Print($"value: {stop.Value}");
        }

        trace.Print($"result: {c.Result}");
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def summer():
                total = 0
                while True:
                    x = (yield)
                    if x == 0: break
                    total += x
                    print(f"running total {total}")
                return total
            c = summer()
            c.send(3)
            c.send(4)
            try:
                c.send(0)
                print("send 0: ok")
            except StopIteration as stop:
                print(f"send 0: {describe(stop)}")
                print(f"value: {stop.value}")
                result = stop.value
            print(f"result: {result}")
            print(state(c))
            """, trace.Lines);
    }

    [Fact]
    public static void Resuming_after_the_return_throws_StopIteration_without_a_value_and_Result_stays()
    {
        var trace = new Trace();
        var c = Summer(trace.Writer);
        c.Send(5);
        trace.Attempt("send 0", () => c.Send(0));
        trace.Attempt("send 0 again", () => c.Send(0));
        trace.Attempt("send 1", () => c.Send(1));
        trace.Print($"result: {c.Result}");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def summer():
                total = 0
                while True:
                    x = (yield)
                    if x == 0: break
                    total += x
                    print(f"running total {total}")
                return total
            c = summer()
            c.send(5)
            try:
                c.send(0)
            except StopIteration as stop:
                print(f"send 0: {describe(stop)}")
                result = stop.value
            attempt("send 0 again", lambda: c.send(0))
            attempt("send 1", lambda: c.send(1))
            print(f"result: {result}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static List<string> Collect(Inbox<string> inbox, List<string> into, TextWriter log)
    {
        while (true)
        {
            string item = inbox.Receive();
            if (item == "end") return into;
            into.Add(item);
            log.WriteLine($"{into.Count} collected");
        }
    }

    [Fact]
    public static void Returned_object_is_the_same_object_in_Value_and_Result()
    {
        var trace = new Trace();
        var bag = new List<string>();
        var c = Collect(bag, trace.Writer);
        c.Send("x");
        c.Send("y");
        try
        {
            c.Send("end");
        }
        catch (StopIterationException stop)
        {
            trace.Print($"value is the list: {Trace.Format(ReferenceEquals(stop.Value, bag))}");
        }

        trace.Print($"result is the list: {Trace.Format(ReferenceEquals(c.Result, bag))}");
        trace.Print($"contents: {string.Join(",", c.Result)}");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def collect(into):
                while True:
                    item = (yield)
                    if item == "end": return into
                    into.append(item)
                    print(f"{len(into)} collected")
            bag = []
            c = collect(bag)
            c.send("x")
            c.send("y")
            try:
                c.send("end")
            except StopIteration as stop:
                print(f"value is the list: {stop.value is bag}")
                result = stop.value
            print(f"result is the list: {result is bag}")
            print(f"contents: {','.join(result)}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static string? FirstLong(Inbox<string> inbox, int minLength, TextWriter log)
    {
        for (int i = 0; i < 3; i++)
        {
            string word = inbox.Receive();
            if (word.Length >= minLength) return word;
            log.WriteLine($"{word} is too short");
        }

        log.WriteLine("giving up");
        return null;
    }

    [Fact]
    public static void Returning_null_gives_a_StopIteration_without_a_value()
    {
        var trace = new Trace();
        var found = FirstLong(4, trace.Writer);
        found.Send("ab");
        trace.Attempt("send abcd", () => found.Send("abcd"));
        trace.Print($"result: {Trace.Format(found.Result)}");
        var missing = FirstLong(4, trace.Writer);
        missing.Send("a");
        missing.Send("b");
        trace.Attempt("send c", () => missing.Send("c"));
        trace.Print($"result: {Trace.Format(missing.Result)}");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def first_long(min_length):
                for i in range(3):
                    word = (yield)
                    if len(word) >= min_length: return word
                    print(f"{word} is too short")
                print("giving up")
                return None
            def result_of(label, g, value):
                try:
                    g.send(value)
                    print(f"{label}: ok")
                except StopIteration as stop:
                    print(f"{label}: {describe(stop)}")
                    return stop.value
            found = first_long(4)
            found.send("ab")
            print(f"result: {result_of('send abcd', found, 'abcd')}")
            missing = first_long(4)
            missing.send("a")
            missing.send("b")
            print(f"result: {result_of('send c', missing, 'c')}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static int CountUntilError(Inbox<string> inbox, TextWriter log)
    {
        int count = 0;
        while (true)
        {
            try
            {
                inbox.Receive();
                count++;
            }
            catch (ValueError e)
            {
                log.WriteLine($"stopping on {e.Message}");
                return count;
            }
        }
    }

    [Fact]
    public static void Return_with_a_value_from_a_handler_makes_Throw_throw_StopIteration_with_it()
    {
        var trace = new Trace();
        var c = CountUntilError(trace.Writer);
        c.Send("a");
        c.Send("b");
        trace.Attempt("throw", () => c.Throw(new ValueError("end of stream")));
        trace.Print($"result: {c.Result}");
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def count_until_error():
                count = 0
                while True:
                    try:
                        yield
                        count += 1
                    except ValueError as e:
                        print(f"stopping on {e}")
                        return count
            c = count_until_error()
            c.send("a")
            c.send("b")
            try:
                c.throw(ValueError("end of stream"))
            except StopIteration as stop:
                print(f"throw: {describe(stop)}")
                result = stop.value
            print(f"result: {result}")
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static int Counted(Inbox<string> inbox, TextWriter log)
    {
        int count = 0;
        try
        {
            while (true)
            {
                string line = inbox.Receive();
                if (line == "done") return count;
                count++;
            }
        }
        finally
        {
            log.WriteLine($"finally sees count {count}");
            count = -1;
            log.WriteLine("finally reset count");
        }
    }

    [Fact]
    public static void Returned_value_is_taken_before_the_finally_blocks_run()
    {
        var trace = new Trace();
        var c = Counted(trace.Writer);
        c.Send("a");
        c.Send("b");
        trace.Attempt("send done", () => c.Send("done"));
        trace.Print($"result: {c.Result}");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def counted():
                count = 0
                try:
                    while True:
                        line = (yield)
                        if line == "done": return count
                        count += 1
                finally:
                    print(f"finally sees count {count}")
                    count = -1
                    print("finally reset count")
            c = counted()
            c.send("a")
            c.send("b")
            try:
                c.send("done")
            except StopIteration as stop:
                print(f"send done: {describe(stop)}")
                result = stop.value
            print(f"result: {result}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static int Doubler(Inbox<int> inbox, TextWriter log)
    {
        log.WriteLine("waiting for the number to double");
        return inbox.Receive() * 2;
    }

    [Fact]
    public static void Return_expression_may_receive()
    {
        var trace = new Trace();
        var c = Doubler(trace.Writer);
        trace.Attempt("send 21", () => c.Send(21));
        trace.Print($"result: {c.Result}");

        PythonTwin.AssertSameTrace("""
            @coroutine
            def doubler():
                print("waiting for the number to double")
                return (yield) * 2
            c = doubler()
            try:
                c.send(21)
            except StopIteration as stop:
                print(f"send 21: {describe(stop)}")
                result = stop.value
            print(f"result: {result}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static int Configured(Inbox<int> inbox, int preset, TextWriter log)
    {
        if (preset > 0)
        {
            log.WriteLine($"preset {preset}, no input needed");
            return preset;
        }

        return inbox.Receive();
    }

    [Fact]
    public static void Value_returned_while_priming_is_in_Result_of_the_closed_coroutine()
    {
        var trace = new Trace();
        var c = Configured(7, trace.Writer);
        trace.Print(Trace.State(c.State));
        trace.Print($"result: {c.Result}");
        trace.Attempt("send 1", () => c.Send(1));

        PythonTwin.AssertSameTrace("""
            def configured(preset):
                if preset > 0:
                    print(f"preset {preset}, no input needed")
                    return preset
                return (yield)
            c = configured(7)
            try:
                next(c)
            except StopIteration as stop:
                result = stop.value
            print(state(c))
            print(f"result: {result}")
            attempt("send 1", lambda: c.send(1))
            """, trace.Lines);
    }

    [Coroutine]
    internal static int ReturnThenConfirm(Inbox<int> inbox, TextWriter log)
    {
        try
        {
            int x = inbox.Receive();
            log.WriteLine($"returning {x}");
            return x;
        }
        finally
        {
            log.WriteLine("finally waits for a confirmation");
            int confirmation = inbox.Receive();
            log.WriteLine($"confirmed with {confirmation}");
        }
    }

    [Fact]
    public static void Return_inside_a_try_whose_finally_receives_suspends_there_and_finishes_with_the_value_later()
    {
        var trace = new Trace();
        var c = ReturnThenConfirm(trace.Writer);
        trace.Attempt("send 1", () => c.Send(1));
        trace.Print(Trace.State(c.State));
        trace.Attempt("send 2", () => c.Send(2));
        trace.Print($"result: {c.Result}");
        trace.Print(Trace.State(c.State));

        PythonTwin.AssertSameTrace("""
            @coroutine
            def return_then_confirm():
                try:
                    x = (yield)
                    print(f"returning {x}")
                    return x
                finally:
                    print("finally waits for a confirmation")
                    confirmation = (yield)
                    print(f"confirmed with {confirmation}")
            c = return_then_confirm()
            attempt("send 1", lambda: c.send(1))
            print(state(c))
            try:
                c.send(2)
            except StopIteration as stop:
                print(f"send 2: {describe(stop)}")
                result = stop.value
            print(f"result: {result}")
            print(state(c))
            """, trace.Lines);
    }

    [Coroutine]
    internal static int Average(Inbox<int> inbox, TextWriter log)
    {
        int sum = 0;
        int count = 0;
        try
        {
            while (true)
            {
                sum += inbox.Receive();
                count++;
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine($"closing after {count} values");
            return count == 0 ? 0 : sum / count;
        }
    }

    [Fact]
    public static void Template_with_a_return_type_whose_GeneratorExit_handler_returns_a_value_closes_normally()
    {
        var trace = new Trace();
        var c = Average(trace.Writer);
        c.Send(4);
        c.Send(8);
        trace.Attempt("close", () => c.Close());
        trace.Print(Trace.State(c.State));
        trace.Attempt("send", () => c.Send(1));

        // close()'s own return value differs between Python versions (None on 3.11, the value on 3.13): not printed.
        PythonTwin.AssertSameTrace("""
            @coroutine
            def average():
                total = 0
                count = 0
                try:
                    while True:
                        total += (yield)
                        count += 1
                except GeneratorExit:
                    print(f"closing after {count} values")
                    return 0 if count == 0 else total // count
            def close(g):
                g.close()
            c = average()
            c.send(4)
            c.send(8)
            attempt("close", lambda: close(c))
            print(state(c))
            attempt("send", lambda: c.send(1))
            """, trace.Lines);
    }
}
