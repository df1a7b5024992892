using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 10 of docs/semantics.md for async templates (docs/async.md, PEP 479 and PEP 525): a
/// <see cref="StopIterationException"/> escaping an async template's body (an awaited <c>target.SendAsync</c> into a
/// finished target, or a sync <c>target.Send</c>) becomes <c>InvalidOperationException("coroutine raised
/// StopIteration")</c> with the original as <c>InnerException</c>, and the coroutine is finished. Python: an
/// asynchronous generator that lets <c>StopAsyncIteration</c> (from <c>await target.asend(x)</c>) or
/// <c>StopIteration</c> out raises <c>RuntimeError: async generator raised StopAsyncIteration</c> (or
/// <c>StopIteration</c>), with the original as <c>__cause__</c>. One caught in the body is ordinary. Each test is
/// checked against its Python twin.
/// </summary>
public static partial class Rule10LeakedStopIterationAsyncTests
{
    [Coroutine]
    internal static async Task Relay(Inbox<string> inbox, IAsyncCoroutine<string> target, TextWriter log)
    {
        try
        {
            while (true)
            {
                string item = inbox.Receive();
                log.WriteLine($"relaying {item}");
                await target.SendAsync(item);
            }
        }
        finally
        {
            await Task.Yield();
            log.WriteLine("relay finally");
        }
    }

    [Coroutine]
    internal static async Task Sink(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            string item = inbox.Receive();
            await Task.Yield();
            if (item == "last")
            {
                log.WriteLine("sink done");
                return;
            }

            log.WriteLine($"sink got {item}");
        }
    }

    private const string PythonRelay = """
        @acoroutine
        async def relay(target):
            try:
                while True:
                    item = (yield)
                    print(f"relaying {item}")
                    await target.asend(item)
            finally:
                await asyncio.sleep(0)
                print("relay finally")
        @acoroutine
        async def sink():
            while True:
                item = (yield)
                await asyncio.sleep(0)
                if item == "last":
                    print("sink done")
                    return
                print(f"sink got {item}")

        """;

    [Fact]
    public static async Task SendAsync_into_a_closed_target_leaks_StopIteration_which_becomes_an_error_and_finishes_the_sender()
    {
        var trace = new Trace();
        var sink = await Sink(trace.Writer);
        var relay = await Relay(sink, trace.Writer);
        await relay.SendAsync("a");
        await sink.CloseAsync();
        await trace.AttemptAsync("send b", () => relay.SendAsync("b"));
        trace.Print($"relay {Trace.State(relay.State)}, sink {Trace.State(sink.State)}");
        await trace.AttemptAsync("send c", () => relay.SendAsync("c"));

        PythonTwin.AssertSameAsyncTrace(PythonRelay + """
            s = await sink()
            r = await relay(s)
            await r.asend("a")
            await s.aclose()
            await aattempt("send b", lambda: r.asend("b"))
            print(f"relay {astate(r)}, sink {astate(s)}")
            await aattempt("send c", lambda: r.asend("c"))
            """, trace.Lines);
    }

    [Fact]
    public static async Task Target_that_finishes_during_the_senders_SendAsync_makes_both_finish_with_the_error()
    {
        var trace = new Trace();
        var sink = await Sink(trace.Writer);
        var relay = await Relay(sink, trace.Writer);
        await relay.SendAsync("a");
        Exception? error = null;
        try
        {
            await relay.SendAsync("last");
        }
        catch (Exception e)
        {
            error = e;
        }

        trace.Print($"send last: {Trace.Describe(error!)}");
        trace.Print($"inner is a StopIteration: {Trace.Format(error!.InnerException is StopIterationException)}");
        trace.Print($"relay {Trace.State(relay.State)}, sink {Trace.State(sink.State)}");

        PythonTwin.AssertSameAsyncTrace(PythonRelay + """
            s = await sink()
            r = await relay(s)
            await r.asend("a")
            try:
                await r.asend("last")
            except BaseException as e:
                error = e
            print(f"send last: {describe(error)}")
            print(f"inner is a StopIteration: {isinstance(error.__cause__, StopAsyncIteration)}")
            print(f"relay {astate(r)}, sink {astate(s)}")
            """, trace.Lines);
    }

    // ------------------------------------------------------------------ a sync target's StopIteration, and one caught

    [Coroutine]
    internal static void SyncSink(Inbox<string> inbox, TextWriter log)
    {
        log.WriteLine($"sync sink got {inbox.Receive()}");
    }

    [Coroutine]
    internal static async Task Mixed(Inbox<string> inbox, ICoroutine<string> target, IAsyncCoroutine<string> asyncTarget, TextWriter log)
    {
        while (true)
        {
            string item = inbox.Receive();
            await Task.Yield();
            try
            {
                await asyncTarget.SendAsync(item);
            }
            catch (StopIterationException)
            {
                log.WriteLine("the async target has finished: carrying on");
            }

            target.Send(item);
            log.WriteLine($"sent {item}");
        }
    }

    [Fact]
    public static async Task A_caught_StopIteration_is_ordinary_and_a_sync_targets_leaked_one_is_an_error_too()
    {
        var trace = new Trace();
        var asyncSink = await Sink(trace.Writer);
        var m = await Mixed(SyncSink(trace.Writer), asyncSink, trace.Writer);
        await trace.AttemptAsync("send last", () => m.SendAsync("last"));
        trace.Print($"mixed {Trace.State(m.State)}");

        PythonTwin.AssertSameAsyncTrace(PythonRelay + """
            @coroutine
            def sync_sink():
                print(f"sync sink got {(yield)}")
            @acoroutine
            async def mixed(target, async_target):
                while True:
                    item = (yield)
                    await asyncio.sleep(0)
                    try:
                        await async_target.asend(item)
                    except StopAsyncIteration:
                        print("the async target has finished: carrying on")
                    target.send(item)
                    print(f"sent {item}")
            m = await mixed(sync_sink(), await sink())
            await aattempt("send last", lambda: m.asend("last"))
            print(f"mixed {astate(m)}")
            """, trace.Lines);
    }
}
