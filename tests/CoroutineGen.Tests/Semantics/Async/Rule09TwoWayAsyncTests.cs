using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 9 of docs/semantics.md for async templates (docs/async.md): with an <c>Inbox&lt;TIn, TOut&gt;</c>,
/// <c>x = inbox.Yield(o)</c> is <c>x = yield o</c> inside <c>async def</c>: <c>SendAsync</c> (a
/// <see cref="ValueTask{TResult}"/>) completes with the value the body yields next, after its awaits; so does a
/// handled <c>ThrowAsync</c>. <c>Current</c> holds the last value yielded (after priming, the first one).
/// <c>inbox.Receive()</c> yields <c>default</c> (Python's bare <c>yield</c>: <c>None</c>). Through
/// <see cref="IAsyncCoroutine{T}"/> the value is dropped. Each test is checked against its Python twin, where
/// <c>asend</c> returns what the generator yields.
/// </summary>
public static partial class Rule09TwoWayAsyncTests
{
    [Coroutine]
    internal static async Task Averager(Inbox<double, double> inbox, TextWriter log)
    {
        double total = 0, average = 0;
        int count = 0;
        while (true)
        {
            double value;
            try
            {
                value = inbox.Yield(average);
            }
            catch (ValueError e)
            {
                await Task.Yield();
                log.WriteLine($"ignoring {e.Message}");
                continue;
            }

            await Task.Yield();
            total += value;
            count++;
            average = total / count;
            log.WriteLine($"{count} values");
        }
    }

    [Fact]
    public static async Task SendAsync_completes_with_the_next_value_yielded_after_the_awaits_and_Current_holds_it()
    {
        var trace = new Trace();
        var a = await Averager(trace.Writer);
        trace.Print($"primed: {Trace.Format(a.Current)}");
        trace.Print($"send 10: {Trace.Format(await a.SendAsync(10))}");
        trace.Print($"send 20: {Trace.Format(await a.SendAsync(20))}");
        trace.Print($"current: {Trace.Format(a.Current)}");
        trace.Print($"throw: {Trace.Format(await a.ThrowAsync(new ValueError("noise")))}");
        trace.Print($"send 0: {Trace.Format(await a.SendAsync(0))}");
        IAsyncCoroutine<double> oneWay = a;
        await oneWay.SendAsync(90);
        trace.Print($"current after a one-way send: {Trace.Format(a.Current)}");
        await a.CloseAsync();

        PythonTwin.AssertSameAsyncTrace("""
            async def averager():
                total = 0.0; count = 0; average = 0.0
                while True:
                    try:
                        value = yield average
                    except ValueError as e:
                        await asyncio.sleep(0)
                        print(f"ignoring {e}")
                        continue
                    await asyncio.sleep(0)
                    total += value; count += 1
                    average = total / count
                    print(f"{count} values")
            a = averager()
            current = await a.asend(None)
            print(f"primed: {current}")
            print(f"send 10: {await a.asend(10)}")
            current = await a.asend(20)
            print(f"send 20: {current}")
            print(f"current: {current}")
            print(f"throw: {await a.athrow(ValueError('noise'))}")
            print(f"send 0: {await a.asend(0)}")
            current = await a.asend(90)
            print(f"current after a one-way send: {current}")
            await a.aclose()
            """, trace.Lines);
    }

    [Coroutine]
    internal static async Task Echoer(Inbox<string, string?> inbox, TextWriter log)
    {
        while (true)
        {
            var request = inbox.Receive();
            await Task.Yield();
            log.WriteLine($"request {request}");
            var reply = inbox.Yield(request.ToUpperInvariant());
            log.WriteLine($"reply acknowledged with {reply}");
        }
    }

    [Fact]
    public static async Task Receive_on_a_two_way_inbox_yields_default()
    {
        var trace = new Trace();
        var c = await Echoer(trace.Writer);
        trace.Print($"primed: {Trace.Format(c.Current)}");
        trace.Print($"send a: {Trace.Format(await c.SendAsync("a"))}");
        trace.Print($"send ok: {Trace.Format(await c.SendAsync("ok"))}");
        trace.Print($"send b: {Trace.Format(await c.SendAsync("b"))}");

        PythonTwin.AssertSameAsyncTrace("""
            async def echoer():
                while True:
                    request = (yield)
                    await asyncio.sleep(0)
                    print(f"request {request}")
                    reply = (yield request.upper())
                    print(f"reply acknowledged with {reply}")
            c = echoer()
            print(f"primed: {await c.asend(None)}")
            print(f"send a: {await c.asend('a')}")
            print(f"send ok: {await c.asend('ok')}")
            print(f"send b: {await c.asend('b')}")
            """, trace.Lines);
    }

    [Coroutine]
    internal static async Task Countdown(Inbox<object?, int> inbox, int from, TextWriter log)
    {
        try
        {
            for (int i = from; i > 0; i--)
            {
                await Task.Yield();
                inbox.Yield(i);
            }
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("countdown finally");
        }
    }

    [Fact]
    public static async Task Two_way_SendAsync_fails_with_StopIteration_when_the_body_finishes()
    {
        var trace = new Trace();
        var c = await Countdown(2, trace.Writer);
        trace.Print($"primed: {c.Current}");
        await trace.AttemptAsync("next", () => c.SendAsync(null));
        trace.Print($"{Trace.State(c.State)}, current {c.Current}");
        await trace.AttemptAsync("next", () => c.SendAsync(null));
        trace.Print(Trace.State(c.State));
        await trace.AttemptAsync("next", () => c.SendAsync(null));

        PythonTwin.AssertSameAsyncTrace("""
            async def countdown(start):
                try:
                    for i in range(start, 0, -1):
                        await asyncio.sleep(0)
                        yield i
                finally:
                    await asyncio.sleep(0)
                    print("countdown finally")
            c = countdown(2)
            current = await c.asend(None)
            print(f"primed: {current}")
            async def step():
                nonlocal current
                current = await c.asend(None)
                return current
            await aattempt("next", step)
            print(f"{astate(c)}, current {current}")
            await aattempt("next", step)
            print(astate(c))
            await aattempt("next", step)
            """, trace.Lines);
    }
}
