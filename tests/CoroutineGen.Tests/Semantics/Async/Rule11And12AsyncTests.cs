using System.Runtime.CompilerServices;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rules 11 and 12 of docs/semantics.md have no twin tests for async templates, because neither behaviour exists on
/// both sides (docs/async.md):
/// <list type="bullet">
/// <item>Rule 11, no close by the garbage collector: CPython's asyncio closes an asynchronous generator that is
/// collected while suspended (the event loop's async generator hooks schedule its <c>aclose()</c>), and CoroutineGen
/// never does, sync or async (no reference counting; a finalizer would run at an unpredictable time, on the finalizer
/// thread). The one test here pins that difference: the twin shows CPython running the <c>finally</c>, C# does not.</item>
/// <item>Rule 12, delegation: Python forbids <c>yield from</c> in an asynchronous generator (a SyntaxError), and
/// <c>inbox.YieldFrom</c> in an async template is error CORO0004, so there is nothing to run.</item>
/// </list>
/// </summary>
public static partial class Rule11And12AsyncTests
{
    [Coroutine]
    internal static async Task Guarded(Inbox<string> inbox, TextWriter log)
    {
        try
        {
            while (true)
            {
                log.WriteLine($"got {inbox.Receive()}");
                await Task.CompletedTask;
            }
        }
        finally
        {
            log.WriteLine("finally");
        }
    }

    /// <summary>Creates the coroutine, sends it a value and drops it (every step completes synchronously).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateAndDrop(TextWriter log)
    {
        var primed = Guarded(log);
        Assert.True(primed.IsCompletedSuccessfully);
        var c = primed.Result;
        Assert.True(c.SendAsync("a").IsCompletedSuccessfully);
        return new WeakReference(c);
    }

    [Fact]
    public static async Task A_dropped_async_coroutine_is_collected_without_being_closed_where_CPython_closes_it()
    {
        var trace = new Trace();
        var dropped = CreateAndDrop(trace.Writer);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        trace.Print($"collected: {Trace.Format(!dropped.IsAlive)}");
        await Task.Yield();
        await Task.Yield();
        trace.Print("end");

        var python = PythonTwin.RunAsync("""
            import gc
            async def guarded():
                try:
                    while True:
                        print(f"got {(yield)}")
                finally:
                    print("finally")
            c = guarded()
            await c.asend(None)
            await c.asend("a")
            del c
            gc.collect()
            print("collected: True")
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            print("end")
            """);
        Assert.Equal(new[] { "got a", "collected: True", "finally", "end" }, python);
        Assert.Equal(new[] { "got a", "collected: True", "end" }, trace.Lines);
    }
}
