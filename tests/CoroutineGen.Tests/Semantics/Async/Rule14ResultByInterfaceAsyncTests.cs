namespace CoroutineGen.Tests.Semantics.Async;

/// <summary>
/// Rule 14 of docs/semantics.md for async templates (docs/async.md): every coroutine of an <c>async Task&lt;R&gt;</c>
/// or <c>async ValueTask&lt;R&gt;</c> template implements <see cref="ICoroutineResult{TResult}"/> (through
/// <see cref="IAsyncReturningCoroutine{T, TResult}"/> or, two-way, <see cref="IAsyncReturningCoroutine{TIn, TOut, TResult}"/>),
/// so a scheduler that holds <see cref="IAsyncCoroutine{T}"/>s reads what one returned. Python's asynchronous
/// generators cannot return a value, so there is no twin: the tests assert what the sync rule says.
/// </summary>
public static partial class Rule14ResultByInterfaceAsyncTests
{
    [Coroutine(Prime = false)]
    internal static async Task<int> Summer(Inbox<int?> inbox, int count)
    {
        int total = 0;
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            total += inbox.Receive() ?? 0;
        }

        return total;
    }

    [Coroutine(Prime = false)]
    internal static async ValueTask<string> Namer(Inbox<int?> inbox)
    {
        var first = inbox.Receive();
        await Task.Yield();
        return $"name-{first}";
    }

    [Coroutine]
    internal static async Task<double> Mean(Inbox<double, double> inbox)
    {
        double total = 0;
        int count = 0;
        while (true)
        {
            double x = inbox.Yield(count == 0 ? 0 : total / count);
            await Task.Yield();
            if (double.IsNaN(x)) return total;
            total += x;
            count++;
        }
    }

    [Fact]
    public static async Task A_scheduler_reads_return_values_through_the_interface()
    {
        var results = new List<string>();
        var tasks = new List<(string Name, IAsyncCoroutine<int?> Task)> { ("summer", Summer(3)), ("namer", Namer()) };
        foreach (var (name, task) in tasks)
        {
            var value = 0;
            try
            {
                await task.SendAsync(null);
                while (true)
                {
                    await task.SendAsync(++value);
                }
            }
            catch (StopIterationException stop)
            {
                var result = task is ICoroutineResult<object?> r ? r.Result : task is ICoroutineResult<int> i ? i.Result : null;
                results.Add($"{name} returned {result} (StopIteration value {stop.Value})");
            }
        }

        Assert.Equal(new[] { "summer returned 6 (StopIteration value 6)", "namer returned name-1 (StopIteration value name-1)" }, results);
    }

    [Fact]
    public static async Task The_result_is_default_before_the_coroutine_returns_and_a_two_way_one_has_it_too()
    {
        ICoroutineResult<int> summer = Summer(2);
        Assert.Equal(0, summer.Result);
        var c = (IAsyncCoroutine<int?>)summer;
        await c.SendAsync(null);
        await c.SendAsync(40);
        await Assert.ThrowsAsync<StopIterationException>(async () => await c.SendAsync(2));
        Assert.Equal(42, summer.Result);

        IAsyncReturningCoroutine<double, double, double> mean = await Mean();
        Assert.Equal(0, mean.Current);
        Assert.Equal(2, await mean.SendAsync(2));
        Assert.Equal(3, await mean.SendAsync(4));
        Assert.Equal(0, mean.Result);
        var stop = await Assert.ThrowsAsync<StopIterationException>(async () => await mean.SendAsync(double.NaN));
        Assert.Equal(6.0, stop.Value);
        Assert.Equal(6.0, mean.Result);
    }
}
