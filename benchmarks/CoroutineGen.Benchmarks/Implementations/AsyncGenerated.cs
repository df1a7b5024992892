using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

/// <summary>
/// The A4 stages as <c>async</c> [Coroutine] templates (PEP 525's asynchronous generators driven by <c>asend</c>):
/// each pass-through stage awaits <c>target.SendAsync(x)</c> of the next, the sink sums. The generator turns each into
/// a sealed class implementing <see cref="IAsyncCoroutine{T}"/> whose factory primes it (a <c>ValueTask</c> of the
/// class).
/// </summary>
public static partial class AsyncGeneratedStages
{
    [Coroutine]
    public static async Task Pass(Inbox<int> inbox, IAsyncCoroutine<int> target)
    {
        try
        {
            while (true) await target.SendAsync(inbox.Receive());
        }
        catch (GeneratorExitException)
        {
            await target.CloseAsync();
        }
    }

    /// <summary>A pass-through stage that really awaits: <c>await Task.Yield()</c> before every <paramref name="every"/>-th message.</summary>
    [Coroutine]
    public static async Task PassYielding(Inbox<int> inbox, int every, IAsyncCoroutine<int> target)
    {
        int i = 0;
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                if (++i == every)
                {
                    i = 0;
                    await Task.Yield();
                }

                await target.SendAsync(x);
            }
        }
        catch (GeneratorExitException)
        {
            await target.CloseAsync();
        }
    }

    [Coroutine]
    public static async Task Sum(Inbox<int> inbox, Result result)
    {
        long count = 0, sum = 0;
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                count++;
                sum += x;
            }
        }
        catch (GeneratorExitException)
        {
            result.Add(count, sum);
        }
    }
}

/// <summary>
/// A4 with generated async coroutines, driven by <c>await head.SendAsync(i)</c>. With <c>yieldEvery</c> &gt; 0 the
/// last pass-through stage (the one in front of the sink) is <see cref="AsyncGeneratedStages.PassYielding"/>, so a
/// real await there suspends every stage above it and the driver.
/// </summary>
public sealed class GeneratedAsyncPipelines(int yieldEvery = 0) : IAsyncPipelines
{
    public string Name => yieldEvery == 0 ? "generated async" : $"generated async, Task.Yield every {yieldEvery}";

    public async ValueTask<Result> A4(int n)
    {
        var r = new Result();
        IAsyncCoroutine<int> head = await AsyncGeneratedStages.Sum(r);
        head = yieldEvery == 0
            ? await AsyncGeneratedStages.Pass(head)
            : await AsyncGeneratedStages.PassYielding(yieldEvery, head);
        for (int s = 1; s < AsyncRun.PassStages; s++) head = await AsyncGeneratedStages.Pass(head);
        for (int i = 0; i < n; i++) await head.SendAsync(i);
        await head.CloseAsync();
        return r;
    }
}
