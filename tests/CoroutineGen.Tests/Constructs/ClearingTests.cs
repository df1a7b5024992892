using System.Runtime.CompilerServices;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// A parked coroutine keeps no dead object alive (§4: reference-typed fields are cleared when their value is dead
/// or their scope ends), and a finished coroutine keeps nothing, parameters included. Each test holds the coroutine
/// itself alive, drops every other reference, collects, and checks WeakReferences; a positive control shows each
/// object is alive while the coroutine still needs it, so the checks can fail.
/// </summary>
public static partial class ClearingTests
{
    internal sealed class Payload(string name)
    {
        public string Name { get; } = name;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Payload Make(Dictionary<string, WeakReference> refs, string name)
    {
        var payload = new Payload(name);
        refs[name] = new WeakReference(payload);
        return payload;
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Use(Payload p)
    {
        if (p.Name.Length == 0)
        {
            throw new InvalidOperationException();
        }
    }

    private static void Use(Payload p, int v)
    {
        if (p.Name.Length + v == int.MinValue)
        {
            throw new InvalidOperationException();
        }
    }

    private static bool TryMake(Func<string, Payload> make, string name, out Payload payload)
    {
        payload = make(name);
        return true;
    }

    // `hoisted` lives across the first receive and is dead at the second; `spilled` is an argument evaluated before
    // a receive (a spilled temporary); `local` is never live across a receive; `matched` is an out variable.
    [Coroutine]
    internal static void Loop(Inbox<int> inbox, Func<string, Payload> make)
    {
        var round = 0;
        while (true)
        {
            round++;
            var local = make($"local{round}");
            Use(local);
            var hoisted = make($"hoisted{round}");
            inbox.Receive();
            Use(hoisted);
            Use(make($"spilled{round}"), inbox.Receive());
            if (TryMake(make, $"matched{round}", out var matched))
            {
                inbox.Receive();
                Use(matched);
            }

            inbox.Receive();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ICoroutine<int> StartLoop(Dictionary<string, WeakReference> refs) => Loop(name => Make(refs, name));

    [Fact]
    public static void A_parked_coroutine_keeps_no_dead_object_alive()
    {
        var refs = new Dictionary<string, WeakReference>();
        var c = StartLoop(refs);

        // Parked at the first receive: `hoisted` is needed after it, `local` is not.
        Collect();
        Assert.True(refs["hoisted1"].IsAlive, "hoisted1 is still needed (control)");
        Assert.False(refs["local1"].IsAlive, "local1 is dead at the first receive");

        // Parked at the receive inside Use(make(...), inbox.Receive()): the spilled argument is needed.
        c.Send(0);
        Collect();
        Assert.True(refs["spilled1"].IsAlive, "spilled1 is still needed (control)");
        Assert.False(refs["hoisted1"].IsAlive, "hoisted1 is dead after its last use");

        // Parked inside the if: the out variable is needed.
        c.Send(0);
        Collect();
        Assert.True(refs["matched1"].IsAlive, "matched1 is still needed (control)");
        Assert.False(refs["spilled1"].IsAlive, "spilled1 is dead after the call");

        // Parked at the last receive of the iteration: nothing of this iteration is needed.
        c.Send(0);
        Collect();
        Assert.False(refs["matched1"].IsAlive, "matched1 is dead after its scope");
        Assert.False(refs["hoisted1"].IsAlive);
        Assert.False(refs["spilled1"].IsAlive);
        Assert.False(refs["local1"].IsAlive);

        // Next iteration, parked at its first receive: nothing of the first iteration is alive.
        c.Send(0);
        Collect();
        Assert.True(refs["hoisted2"].IsAlive, "hoisted2 is still needed (control)");
        Assert.All(refs.Where(kv => kv.Key.EndsWith('1')), kv => Assert.False(kv.Value.IsAlive, kv.Key));
        GC.KeepAlive(c);
    }

    // A caught exception and the exception given to Throw are not kept once the handler is done; an object
    // received and dropped is not kept either.
    [Coroutine]
    internal static void Handler(Inbox<Payload> inbox, Func<string, Payload> make)
    {
        while (true)
        {
            try
            {
                inbox.Receive();
            }
            catch (PayloadError e)
            {
                Use(e.Payload);
            }

            try
            {
                throw new PayloadError(make("thrown"));
            }
            catch (PayloadError e)
            {
                inbox.Receive();
                Use(e.Payload);
            }

            inbox.Receive();
        }
    }

    internal sealed class PayloadError(Payload payload) : Exception(payload.Name)
    {
        public Payload Payload { get; } = payload;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ICoroutine<Payload> StartHandler(Dictionary<string, WeakReference> refs) => Handler(name => Make(refs, name));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPayload(ICoroutine<Payload> c, Dictionary<string, WeakReference> refs)
    {
        var error = new PayloadError(Make(refs, "injected"));
        refs["error"] = new WeakReference(error);
        c.Throw(error);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SendPayload(ICoroutine<Payload> c, Dictionary<string, WeakReference> refs, string name) => c.Send(Make(refs, name));

    [Fact]
    public static void Handled_exceptions_and_received_values_are_not_kept()
    {
        var refs = new Dictionary<string, WeakReference>();
        var c = StartHandler(refs);
        ThrowPayload(c, refs);

        // Parked in the second handler: its exception is needed, the injected one is not.
        Collect();
        Assert.True(refs["thrown"].IsAlive, "the caught exception is still needed (control)");
        Assert.False(refs["error"].IsAlive, "the exception given to Throw is dead once handled");
        Assert.False(refs["injected"].IsAlive);

        SendPayload(c, refs, "sent");
        Collect();
        Assert.False(refs["thrown"].IsAlive, "the caught exception is dead after its handler");
        Assert.False(refs["sent"].IsAlive, "a received value that is dropped is not kept");
        GC.KeepAlive(c);
    }

    // A finished coroutine keeps nothing: not its parameters, not its hoisted locals, however it finished.
    [Coroutine]
    internal static void Holder(Inbox<string> inbox, Payload parameter, Func<string, Payload> make)
    {
        var hoisted = make("hoisted");
        try
        {
            while (true)
            {
                var cmd = inbox.Receive();
                Use(parameter);
                Use(hoisted);
                if (cmd == "return")
                {
                    return;
                }

                if (cmd == "raise")
                {
                    throw new ValueError("raised");
                }
            }
        }
        finally
        {
            Use(hoisted);
        }
    }

    internal sealed class ValueError(string message) : Exception(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ICoroutine<string> StartHolder(Dictionary<string, WeakReference> refs) =>
        Holder(Make(refs, "parameter"), name => Make(refs, name));

    [Theory]
    [InlineData("return")]
    [InlineData("raise")]
    [InlineData("close")]
    [InlineData("throw")]
    public static void A_finished_coroutine_keeps_nothing(string how)
    {
        var refs = new Dictionary<string, WeakReference>();
        var c = StartHolder(refs);
        c.Send("x");
        Collect();
        Assert.True(refs["parameter"].IsAlive, "the parameter is needed while suspended (control)");
        Assert.True(refs["hoisted"].IsAlive, "the hoisted local is needed while suspended (control)");
        switch (how)
        {
            case "return":
                Assert.Throws<StopIterationException>(() => c.Send("return"));
                break;
            case "raise":
                Assert.Throws<ValueError>(() => c.Send("raise"));
                break;
            case "close":
                c.Close();
                break;
            case "throw":
                Assert.Throws<TimeoutException>(() => c.Throw(new TimeoutException()));
                break;
        }

        Assert.Equal(CoroutineState.Closed, c.State);
        Collect();
        Assert.False(refs["parameter"].IsAlive, "a finished coroutine keeps no parameter");
        Assert.False(refs["hoisted"].IsAlive, "a finished coroutine keeps no local");
        GC.KeepAlive(c);
    }

    // A coroutine that finishes while priming keeps nothing either.
    [Coroutine]
    internal static void Immediate(Inbox<int> inbox, Payload parameter, bool stop)
    {
        Use(parameter);
        if (stop)
        {
            return;
        }

        inbox.Receive();
        Use(parameter);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ICoroutine<int> StartImmediate(Dictionary<string, WeakReference> refs, bool stop) => Immediate(Make(refs, "parameter"), stop);

    [Fact]
    public static void A_coroutine_that_finishes_while_priming_keeps_nothing()
    {
        var refs = new Dictionary<string, WeakReference>();
        var running = StartImmediate(refs, stop: false);
        Collect();
        Assert.True(refs["parameter"].IsAlive, "control");
        GC.KeepAlive(running);

        var c = StartImmediate(refs, stop: true);
        Assert.Equal(CoroutineState.Closed, c.State);
        Collect();
        Assert.False(refs["parameter"].IsAlive);
        GC.KeepAlive(c);
    }
}
