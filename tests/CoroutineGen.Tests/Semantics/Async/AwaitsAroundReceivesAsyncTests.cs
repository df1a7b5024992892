using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// What only async templates can write around a receive (docs/async.md): <c>await foreach</c> and <c>await using</c>
/// (statement and declaration) with a receive in their body, where the asynchronous disposal runs in the right order
/// whether the loop ends, breaks, or the coroutine is closed or thrown into; and awaits next to a receive in one
/// expression, evaluated left to right across the suspension (the generator spills what is evaluated before the
/// receive). The Python twins: <c>async for</c> over an async generator inside <c>contextlib.aclosing</c> (C#'s
/// <c>await foreach</c> disposes its enumerator, Python's <c>async for</c> alone does not close what it iterates),
/// <c>async with</c>, and the same expressions with <c>(yield)</c>. Each test is checked against its Python twin.
/// </summary>
public static partial class AwaitsAroundReceivesAsyncTests
{
    internal static async IAsyncEnumerable<int> Numbers(int count, TextWriter log)
    {
        try
        {
            for (int i = 0; i < count; i++)
            {
                await Task.Yield();
                log.WriteLine($"producing {i}");
                yield return i;
            }

            log.WriteLine("numbers exhausted");
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("numbers disposed");
        }
    }

    private const string NumbersTwin = """
        from contextlib import aclosing
        async def numbers(count):
            try:
                for i in range(count):
                    await asyncio.sleep(0)
                    print(f"producing {i}")
                    yield i
                print("numbers exhausted")
            finally:
                await asyncio.sleep(0)
                print("numbers disposed")

        """;

    // ------------------------------------------------------------------ await foreach with a receive in its body

    [Coroutine]
    internal static async Task Labeler(Inbox<string> inbox, int count, TextWriter log)
    {
        try
        {
            await foreach (var i in Numbers(count, log))
            {
                string label = inbox.Receive();
                if (label == "stop") break;
                if (label == "bad") throw new ValueError($"bad label for {i}");
                await Task.Yield();
                log.WriteLine($"{label} {i}");
            }

            log.WriteLine("after the loop");
            inbox.Receive();
        }
        catch (ValueError e)
        {
            log.WriteLine($"caught {e.Message}");
        }
        finally
        {
            log.WriteLine("labeler finally");
        }
    }

    private const string LabelerTwin = NumbersTwin + """
        @acoroutine
        async def labeler(count):
            try:
                async with aclosing(numbers(count)) as it:
                    async for i in it:
                        label = (yield)
                        if label == "stop": break
                        if label == "bad": raise ValueError(f"bad label for {i}")
                        await asyncio.sleep(0)
                        print(f"{label} {i}")
                print("after the loop")
                yield
            except ValueError as e:
                print(f"caught {e}")
            finally:
                print("labeler finally")

        """;

    [Fact]
    public static async Task Await_foreach_around_a_receive_runs_to_the_end_of_the_sequence_then_disposes_it()
    {
        var trace = new Trace();
        var c = await Labeler(2, trace.Writer);
        await trace.AttemptAsync("send a", () => c.SendAsync("a"));
        await trace.AttemptAsync("send b", () => c.SendAsync("b"));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("send end", () => c.SendAsync("end"));

        PythonTwin.AssertSameAsyncTrace(LabelerTwin + """
            c = await labeler(2)
            await aattempt("send a", lambda: c.asend("a"))
            await aattempt("send b", lambda: c.asend("b"))
            print(astate(c))
            await aattempt("send end", lambda: c.asend("end"))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Await_foreach_disposes_the_sequence_on_break_on_an_exception_and_on_close()
    {
        var trace = new Trace();
        var broken = await Labeler(5, trace.Writer);
        await broken.SendAsync("a");
        await trace.AttemptAsync("send stop", () => broken.SendAsync("stop"));
        await trace.AttemptAsync("close", () => broken.CloseAsync());
        var failed = await Labeler(5, trace.Writer);
        await trace.AttemptAsync("send bad", () => failed.SendAsync("bad"));
        var thrown = await Labeler(5, trace.Writer);
        await trace.AttemptAsync("throw", () => thrown.ThrowAsync(new ValueError("thrown in")));
        var closed = await Labeler(5, trace.Writer);
        await closed.SendAsync("a");
        await trace.AttemptAsync("close", () => closed.CloseAsync());
        trace.Print($"{Trace.State(broken.State)} {Trace.State(failed.State)} {Trace.State(thrown.State)} {Trace.State(closed.State)}");

        PythonTwin.AssertSameAsyncTrace(LabelerTwin + """
            broken = await labeler(5)
            await broken.asend("a")
            await aattempt("send stop", lambda: broken.asend("stop"))
            await aattempt("close", lambda: broken.aclose())
            failed = await labeler(5)
            await aattempt("send bad", lambda: failed.asend("bad"))
            thrown = await labeler(5)
            await aattempt("throw", lambda: thrown.athrow(ValueError("thrown in")))
            closed = await labeler(5)
            await closed.asend("a")
            await aattempt("close", lambda: closed.aclose())
            print(f"{astate(broken)} {astate(failed)} {astate(thrown)} {astate(closed)}")
            """, trace.Lines);
    }

    internal static async IAsyncEnumerable<(int, string)> Pairs(TextWriter log, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token = default)
    {
        try
        {
            await Task.Yield();
            yield return (1, "one");
            await Task.Yield();
            yield return (2, "two");
        }
        finally
        {
            log.WriteLine($"pairs disposed, cancellable: {Trace.Format(token.CanBeCanceled)}");
        }
    }

    internal sealed class Closer(string name, TextWriter log) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Task.Yield();
            log.WriteLine($"{name} closed");
        }
    }

    [Coroutine]
    internal static async Task Configured(Inbox<string> inbox, TextWriter log)
    {
        await foreach (var (n, name) in Pairs(log).WithCancellation(inbox.CancellationToken).ConfigureAwait(false))
        {
            log.WriteLine($"{n} {name} {inbox.Receive()}");
        }

        var closer = new Closer("closer", log);
        await using (closer.ConfigureAwait(false))
        {
            log.WriteLine($"in await using {inbox.Receive()}");
        }

        await using var configured = new Closer("configured", log).ConfigureAwait(false);
        log.WriteLine($"after {inbox.Receive()}");
    }

    [Fact]
    public static async Task Configured_await_foreach_with_a_deconstruction_and_configured_await_using_around_receives()
    {
        var trace = new Trace();
        using var cts = new CancellationTokenSource();
        var c = await Configured(trace.Writer);
        await c.SendAsync("a", cts.Token);
        await c.SendAsync("b");
        await c.SendAsync("c");
        await trace.AttemptAsync("send d", () => c.SendAsync("d"));

        // The enumerator was created while priming, with the priming call's token (the default one): not cancellable.
        PythonTwin.AssertSameAsyncTrace("""
            from contextlib import aclosing
            async def pairs():
                try:
                    await asyncio.sleep(0)
                    yield (1, "one")
                    await asyncio.sleep(0)
                    yield (2, "two")
                finally:
                    print("pairs disposed, cancellable: False")
            class Closer:
                def __init__(self, name):
                    self.name = name
                async def __aenter__(self):
                    return self
                async def __aexit__(self, *exc):
                    await asyncio.sleep(0)
                    print(f"{self.name} closed")
            @acoroutine
            async def configured():
                async with aclosing(pairs()) as it:
                    async for (n, name) in it:
                        print(f"{n} {name} {(yield)}")
                async with Closer("closer"):
                    print(f"in await using {(yield)}")
                async with Closer("configured"):
                    print(f"after {(yield)}")
            c = await configured()
            await c.asend("a")
            await c.asend("b")
            await c.asend("c")
            await aattempt("send d", lambda: c.asend("d"))
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ await using with a receive in its body

    internal sealed class Resource(string name, TextWriter log) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            log.WriteLine($"{name} disposing");
            await Task.Yield();
            log.WriteLine($"{name} disposed");
        }
    }

    [Coroutine]
    internal static async Task Holder(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            await using (var outer = new Resource("outer", log))
            {
                await using var inner = new Resource("inner", log);
                await using var connection = new Resource("connection", log);
                while (true)
                {
                    string item = inbox.Receive();
                    if (item == "done") break;
                    if (item == "bad") throw new ValueError(item);
                    await Task.Yield();
                    log.WriteLine($"got {item}");
                }

                log.WriteLine("leaving the block");
            }

            log.WriteLine("after the block");
            inbox.Receive();
        }
        finally
        {
            log.WriteLine("holder finally");
        }
    }

    private const string HolderTwin = """
        class Resource:
            def __init__(self, name):
                self.name = name
            async def __aenter__(self):
                return self
            async def __aexit__(self, *exc):
                print(f"{self.name} disposing")
                await asyncio.sleep(0)
                print(f"{self.name} disposed")
        @acoroutine
        async def holder():
            try:
                async with Resource("outer"):
                    async with Resource("inner"), Resource("connection"):
                        while True:
                            item = (yield)
                            if item == "done": break
                            if item == "bad": raise ValueError(item)
                            await asyncio.sleep(0)
                            print(f"got {item}")
                        print("leaving the block")
                print("after the block")
                yield
            finally:
                print("holder finally")

        """;

    [Fact]
    public static async Task Await_using_around_a_receive_disposes_innermost_first_when_the_block_ends_fails_or_closes()
    {
        var trace = new Trace();
        var ended = await Holder(trace.Writer);
        await ended.SendAsync("a");
        await trace.AttemptAsync("send done", () => ended.SendAsync("done"));
        trace.Print(Trace.State(ended.State));
        await trace.AttemptAsync("close", () => ended.CloseAsync());
        var failed = await Holder(trace.Writer);
        await trace.AttemptAsync("send bad", () => failed.SendAsync("bad"));
        var closed = await Holder(trace.Writer);
        await closed.SendAsync("a");
        await trace.AttemptAsync("close", () => closed.CloseAsync());
        trace.Print($"{Trace.State(ended.State)} {Trace.State(failed.State)} {Trace.State(closed.State)}");

        PythonTwin.AssertSameAsyncTrace(HolderTwin + """
            ended = await holder()
            await ended.asend("a")
            await aattempt("send done", lambda: ended.asend("done"))
            print(astate(ended))
            await aattempt("close", lambda: ended.aclose())
            failed = await holder()
            await aattempt("send bad", lambda: failed.asend("bad"))
            closed = await holder()
            await closed.asend("a")
            await aattempt("close", lambda: closed.aclose())
            print(f"{astate(ended)} {astate(failed)} {astate(closed)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ awaits next to a receive in one expression

    internal static async Task<string> A(string name, TextWriter log)
    {
        log.WriteLine($"evaluating {name}");
        await Task.Yield();
        log.WriteLine($"evaluated {name}");
        return name;
    }

    internal static string F(string a, string b, string c, TextWriter log)
    {
        log.WriteLine($"F({a}, {b}, {c})");
        return a + b + c;
    }

    [Coroutine]
    internal static async Task Spilled(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            var joined = F(await A("a", log), inbox.Receive(), await A("b", log), log);
            log.WriteLine($"joined {joined}");
            var sum = (await A("x", log)).Length + inbox.Receive().Length + (await A("yz", log)).Length;
            log.WriteLine($"sum {sum}");
            log.WriteLine($"awaited {await A(inbox.Receive() + "!", log)}");
            string first = await A("first", log), second = inbox.Receive(), third = await A("third", log);
            log.WriteLine($"{first} {second} {third}");
        }
    }

    [Fact]
    public static async Task Awaits_and_receives_in_one_expression_are_evaluated_left_to_right()
    {
        var trace = new Trace();
        var c = await Spilled(trace.Writer);
        trace.Print("primed");
        await c.SendAsync("1");
        trace.Print("sent 1");
        await c.SendAsync("22");
        trace.Print("sent 22");
        await c.SendAsync("w");
        trace.Print("sent w");
        await c.SendAsync("second");
        trace.Print("sent second");
        await c.CloseAsync();

        PythonTwin.AssertSameAsyncTrace("""
            async def a(name):
                print(f"evaluating {name}")
                await asyncio.sleep(0)
                print(f"evaluated {name}")
                return name
            def f(x, y, z):
                print(f"F({x}, {y}, {z})")
                return x + y + z
            @acoroutine
            async def spilled():
                while True:
                    joined = f(await a("a"), (yield), await a("b"))
                    print(f"joined {joined}")
                    total = len(await a("x")) + len((yield)) + len(await a("yz"))
                    print(f"sum {total}")
                    print(f"awaited {await a((yield) + '!')}")
                    first = await a("first"); second = (yield); third = await a("third")
                    print(f"{first} {second} {third}")
            c = await spilled()
            print("primed")
            await c.asend("1")
            print("sent 1")
            await c.asend("22")
            print("sent 22")
            await c.asend("w")
            print("sent w")
            await c.asend("second")
            print("sent second")
            await c.aclose()
            """, trace.Lines);
    }

    [Coroutine]
    internal static async Task Conditional(Inbox<int> inbox, TextWriter log)
    {
        while (true)
        {
            int x = inbox.Receive();
            var text = x > 0 ? await A($"positive {inbox.Receive()}", log) : (await A("zero", log)) + inbox.Receive();
            log.WriteLine(text);
            if (x > 1 && (await A("check", log)).Length == inbox.Receive())
            {
                log.WriteLine("five");
            }
        }
    }

    [Fact]
    public static async Task Awaits_and_receives_in_conditional_and_short_circuit_operands_run_only_on_their_branch()
    {
        var trace = new Trace();
        var c = await Conditional(trace.Writer);
        await c.SendAsync(2);
        trace.Print("sent 2");
        await c.SendAsync(7);
        trace.Print("sent 7");
        await c.SendAsync(5);
        trace.Print("sent 5");
        await c.SendAsync(0);
        trace.Print("sent 0");
        await c.SendAsync(3);
        trace.Print("sent 3");
        await c.CloseAsync();

        PythonTwin.AssertSameAsyncTrace("""
            async def a(name):
                print(f"evaluating {name}")
                await asyncio.sleep(0)
                print(f"evaluated {name}")
                return name
            @acoroutine
            async def conditional():
                while True:
                    x = (yield)
                    text = await a(f"positive {(yield)}") if x > 0 else (await a("zero")) + str((yield))
                    print(text)
                    if x > 1 and len(await a("check")) == (yield):
                        print("five")
            c = await conditional()
            await c.asend(2)
            print("sent 2")
            await c.asend(7)
            print("sent 7")
            await c.asend(5)
            print("sent 5")
            await c.asend(0)
            print("sent 0")
            await c.asend(3)
            print("sent 3")
            await c.aclose()
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ which DisposeAsync runs: C# decides (no twin)

    // Python's async with and async for have nothing like C#'s choice of the method that disposes (a DisposeAsync
    // method found by pattern, the IAsyncDisposable interface, none at all for an await foreach enumerator that has no
    // DisposeAsync), so the oracle of these tests is the C# compiler: the same statements in an ordinary async method
    // (where the receives are values from a queue) print what the template must print.

    /// <summary>Disposed through a public DisposeAsync method found by pattern: it implements no interface.</summary>
    internal class PatternResource(string name, TextWriter log)
    {
        public async ValueTask DisposeAsync()
        {
            await Task.Yield();
            log.WriteLine($"{name} disposed by pattern");
        }
    }

    /// <summary>A struct that implements IAsyncDisposable explicitly: its DisposeAsync is not a member.</summary>
    internal readonly struct ExplicitResource(string name, TextWriter log) : IAsyncDisposable
    {
        ValueTask IAsyncDisposable.DisposeAsync()
        {
            log.WriteLine($"{name} disposed through the interface");
            return default;
        }
    }

    /// <summary>Both: C# calls the pattern method.</summary>
    internal sealed class DualResource(TextWriter log) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            log.WriteLine("dual disposed by pattern");
            return default;
        }

        ValueTask IAsyncDisposable.DisposeAsync()
        {
            log.WriteLine("dual disposed through the interface");
            return default;
        }
    }

    internal struct NullableResource(TextWriter log) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            log.WriteLine("nullable struct disposed");
            return default;
        }
    }

    [Coroutine]
    internal static async Task Resources(Inbox<string> inbox, TextWriter log)
    {
        await using (var pattern = new PatternResource("statement", log))
        {
            log.WriteLine($"1 {inbox.Receive()}");
        }

        await using (var explicitly = new ExplicitResource("explicit", log))
        {
            log.WriteLine($"2 {inbox.Receive()}");
        }

        await using (new DualResource(log))
        {
            log.WriteLine($"3 {inbox.Receive()}");
        }

        NullableResource? present = new NullableResource(log), absent = null;
        PatternResource? none = null;
        await using (present)
        await using (absent)
        await using (none)
        {
            log.WriteLine($"4 {inbox.Receive()}");
        }

        await using var declared = new PatternResource("declaration", log);
        log.WriteLine($"5 {inbox.Receive()}");
    }

    /// <summary><see cref="Resources"/> as an ordinary async method: what C# does.</summary>
    internal static async Task ResourcesInCSharp(Queue<string> inbox, TextWriter log)
    {
        await using (var pattern = new PatternResource("statement", log))
        {
            log.WriteLine($"1 {inbox.Dequeue()}");
        }

        await using (var explicitly = new ExplicitResource("explicit", log))
        {
            log.WriteLine($"2 {inbox.Dequeue()}");
        }

        await using (new DualResource(log))
        {
            log.WriteLine($"3 {inbox.Dequeue()}");
        }

        NullableResource? present = new NullableResource(log), absent = null;
        PatternResource? none = null;
        await using (present)
        await using (absent)
        await using (none)
        {
            log.WriteLine($"4 {inbox.Dequeue()}");
        }

        await using var declared = new PatternResource("declaration", log);
        log.WriteLine($"5 {inbox.Dequeue()}");
    }

    [Fact]
    public static async Task Await_using_disposes_through_the_DisposeAsync_CSharp_binds_pattern_interface_or_none_for_null()
    {
        var values = new[] { "a", "b", "c", "d", "e" };
        var expected = new Trace();
        await ResourcesInCSharp(new Queue<string>(values), expected.Writer);
        var trace = new Trace();
        var c = await Resources(trace.Writer);
        foreach (var value in values[..^1])
        {
            await c.SendAsync(value);
        }

        await Assert.ThrowsAsync<StopIterationException>(async () => await c.SendAsync(values[^1]));
        PythonTwin.AssertSame(expected.Lines, trace.Lines);
        Assert.Equal(CoroutineState.Closed, c.State);
    }

    /// <summary>An enumerator whose DisposeAsync is a method found by pattern.</summary>
    internal sealed class PatternSequence(TextWriter log)
    {
        public Enumerator GetAsyncEnumerator() => new(log);

        internal sealed class Enumerator(TextWriter log)
        {
            public int Current { get; private set; }

            public ValueTask<bool> MoveNextAsync() => new(++Current <= 2);

            public ValueTask DisposeAsync()
            {
                log.WriteLine("pattern enumerator disposed");
                return default;
            }
        }
    }

    /// <summary>A sealed enumerator that is only IDisposable: await foreach does not dispose it.</summary>
    internal sealed class SyncDisposableSequence(TextWriter log)
    {
        public Enumerator GetAsyncEnumerator() => new(log);

        internal sealed class Enumerator(TextWriter log) : IDisposable
        {
            public int Current { get; private set; }

            public ValueTask<bool> MoveNextAsync() => new(++Current <= 2);

            public void Dispose() => log.WriteLine("sync Dispose called");
        }
    }

    /// <summary>
    /// An enumerator type with no DisposeAsync whose object, at run time, is IAsyncDisposable: await foreach checks
    /// nothing at run time (unlike foreach with IDisposable), so it is not disposed.
    /// </summary>
    internal sealed class UncheckedSequence(TextWriter log)
    {
        public Enumerator GetAsyncEnumerator() => new Disposable(log);

        internal class Enumerator
        {
            public int Current { get; private set; }

            public ValueTask<bool> MoveNextAsync() => new(++Current <= 2);
        }

        internal sealed class Disposable(TextWriter log) : Enumerator, IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                log.WriteLine("run-time IAsyncDisposable disposed");
                return default;
            }
        }
    }

    [Coroutine]
    internal static async Task Enumerators(Inbox<string> inbox, TextWriter log)
    {
        await foreach (var i in new PatternSequence(log))
        {
            log.WriteLine($"pattern {i} {inbox.Receive()}");
        }

        await foreach (var i in new SyncDisposableSequence(log))
        {
            log.WriteLine($"sync {i} {inbox.Receive()}");
        }

        await foreach (var i in new UncheckedSequence(log))
        {
            log.WriteLine($"unchecked {i} {inbox.Receive()}");
        }

        log.WriteLine("end");
        inbox.Receive();
    }

    /// <summary><see cref="Enumerators"/> as an ordinary async method: what C# does.</summary>
    internal static async Task EnumeratorsInCSharp(Queue<string> inbox, TextWriter log)
    {
        await foreach (var i in new PatternSequence(log))
        {
            log.WriteLine($"pattern {i} {inbox.Dequeue()}");
        }

        await foreach (var i in new SyncDisposableSequence(log))
        {
            log.WriteLine($"sync {i} {inbox.Dequeue()}");
        }

        await foreach (var i in new UncheckedSequence(log))
        {
            log.WriteLine($"unchecked {i} {inbox.Dequeue()}");
        }

        log.WriteLine("end");
    }

    [Fact]
    public static async Task Await_foreach_disposes_its_enumerator_only_through_the_DisposeAsync_CSharp_binds()
    {
        var values = new[] { "a", "b", "c", "d", "e", "f" };
        var expected = new Trace();
        await EnumeratorsInCSharp(new Queue<string>(values), expected.Writer);
        var trace = new Trace();
        var c = await Enumerators(trace.Writer);
        foreach (var value in values)
        {
            await c.SendAsync(value);
        }

        PythonTwin.AssertSame(expected.Lines, trace.Lines);
        Assert.Equal(CoroutineState.Suspended, c.State);
    }

    // ------------------------------------------------------------------ a two-way coroutine yields what it awaited

    [Coroutine]
    internal static async Task Doubler(Inbox<string, string> inbox, TextWriter log)
    {
        string reply = "ready";
        while (true)
        {
            string request = inbox.Yield(await A(reply, log));
            reply = await A(request + request, log) + inbox.Yield(await A($"half of {request}", log));
        }
    }

    [Fact]
    public static async Task A_two_way_coroutine_yields_values_it_awaited_and_receives_between_awaits()
    {
        var trace = new Trace();
        var c = await Doubler(trace.Writer);
        trace.Print($"primed: {c.Current}");
        trace.Print($"send x: {await c.SendAsync("x")}");
        trace.Print($"send y: {await c.SendAsync("y")}");
        trace.Print($"send z: {await c.SendAsync("z")}");

        PythonTwin.AssertSameAsyncTrace("""
            async def a(name):
                print(f"evaluating {name}")
                await asyncio.sleep(0)
                print(f"evaluated {name}")
                return name
            async def doubler():
                reply = "ready"
                while True:
                    request = yield await a(reply)
                    reply = await a(request + request) + (yield await a(f"half of {request}"))
            c = doubler()
            print(f"primed: {await c.asend(None)}")
            print(f"send x: {await c.asend('x')}")
            print(f"send y: {await c.asend('y')}")
            print(f"send z: {await c.asend('z')}")
            """, trace.Lines);
    }
}
