using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

/// <summary>
/// A4 as four consumer tasks joined by bounded <see cref="Channel{T}"/>s: source → channel → pass → channel → pass →
/// channel → pass → channel → sum. Single reader and single writer per channel (the fastest options that fit), the
/// idiomatic loops: the source writes with <c>TryWrite</c> and awaits <c>WriteAsync</c> only when the channel is full;
/// each stage drains with <c>WaitToReadAsync</c> / <c>TryRead</c>. Completion travels down the chain; the run ends
/// when the sink's task has completed.
/// </summary>
public sealed class ChannelPipelines(int capacity) : IAsyncPipelines
{
    public string Name => $"Channel<T> bounded {capacity}";

    public async ValueTask<Result> A4(int n)
    {
        var options = new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        };
        var channels = new Channel<int>[AsyncRun.PassStages + 1];
        for (int c = 0; c < channels.Length; c++) channels[c] = Channel.CreateBounded<int>(options);

        var r = new Result();
        var tasks = new Task[channels.Length];
        for (int s = 0; s < AsyncRun.PassStages; s++)
        {
            var (reader, writer) = (channels[s].Reader, channels[s + 1].Writer); // a copy per task, not the loop variable
            tasks[s] = Task.Run(() => PassAsync(reader, writer));
        }

        var last = channels[^1].Reader;
        tasks[^1] = Task.Run(() => SumAsync(last, r));

        var head = channels[0].Writer;
        try
        {
            for (int i = 0; i < n; i++)
            {
                if (!head.TryWrite(i)) await head.WriteAsync(i);
            }
        }
        finally
        {
            head.Complete();
        }

        await Task.WhenAll(tasks);
        return r;
    }

    private static async Task PassAsync(ChannelReader<int> reader, ChannelWriter<int> writer)
    {
        Exception? error = null;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out int x))
                {
                    if (!writer.TryWrite(x)) await writer.WriteAsync(x);
                }
            }
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
        finally
        {
            writer.TryComplete(error);
        }
    }

    private static async Task SumAsync(ChannelReader<int> reader, Result result)
    {
        long count = 0, sum = 0;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out int x))
            {
                count++;
                sum += x;
            }
        }

        result.Add(count, sum);
    }
}

/// <summary>
/// A4 in TPL Dataflow: three <see cref="TransformBlock{TInput,TOutput}"/> (identity) and an
/// <see cref="ActionBlock{TInput}"/> that sums, linked with <c>PropagateCompletion</c>. Unbounded (capacity 0): the
/// source <c>Post</c>s everything; bounded: <c>Post</c>, and <c>await SendAsync</c> when the head declines. The run ends
/// when the sink's completion task has.
/// </summary>
public sealed class DataflowPipelines(int boundedCapacity) : IAsyncPipelines
{
    public string Name => boundedCapacity == 0 ? "TPL Dataflow unbounded" : $"TPL Dataflow bounded {boundedCapacity}";

    public async ValueTask<Result> A4(int n)
    {
        // SingleProducerConstrained only where it holds: the benchmark thread is the head's one producer. A linked
        // block is offered messages by its source's tasks, which may run on different threads one after another; with
        // the constraint on every block, the unbounded pipeline hung twice (every thread idle, the sink never
        // completing) during the TieredPGO=0 job's warm-up.
        var options = new ExecutionDataflowBlockOptions
        {
            BoundedCapacity = boundedCapacity == 0 ? DataflowBlockOptions.Unbounded : boundedCapacity,
        };
        var headOptions = new ExecutionDataflowBlockOptions
        {
            BoundedCapacity = options.BoundedCapacity,
            SingleProducerConstrained = true,
        };
        var link = new DataflowLinkOptions { PropagateCompletion = true };

        var head = new TransformBlock<int, int>(x => x, headOptions);
        var tail = head;
        for (int s = 1; s < AsyncRun.PassStages; s++)
        {
            var next = new TransformBlock<int, int>(x => x, options);
            tail.LinkTo(next, link);
            tail = next;
        }

        long count = 0, sum = 0;
        var sink = new ActionBlock<int>(
            x =>
            {
                count++;
                sum += x;
            },
            options);
        tail.LinkTo(sink, link);

        for (int i = 0; i < n; i++)
        {
            if (!head.Post(i) && !await head.SendAsync(i)) throw new InvalidOperationException("the head block declined a message");
        }

        head.Complete();
        await sink.Completion;
        var r = new Result();
        r.Add(count, sum);
        return r;
    }
}

/// <summary>
/// A4 as a pull pipeline of async iterators: an <c>async IAsyncEnumerable</c> source, three pass-through iterators
/// (<c>await foreach ... yield return</c>) and an <c>await foreach</c> that sums. Nothing really awaits (every
/// <c>MoveNextAsync</c> completes synchronously), as in the generated chain.
/// </summary>
public sealed class AsyncEnumerablePipelines : IAsyncPipelines
{
    public string Name => "IAsyncEnumerable (async iterators)";

    public async ValueTask<Result> A4(int n)
    {
        IAsyncEnumerable<int> e = Source(n);
        for (int s = 0; s < AsyncRun.PassStages; s++) e = Pass(e);
        long count = 0, sum = 0;
        await foreach (int x in e)
        {
            count++;
            sum += x;
        }

        var r = new Result();
        r.Add(count, sum);
        return r;
    }

#pragma warning disable CS1998 // an async iterator that never awaits: the source of a pull pipeline
    private static async IAsyncEnumerable<int> Source(int n)
    {
        for (int i = 0; i < n; i++) yield return i;
    }
#pragma warning restore CS1998

    private static async IAsyncEnumerable<int> Pass(IAsyncEnumerable<int> source)
    {
        await foreach (int x in source) yield return x;
    }
}
