using BenchmarkDotNet.Attributes;
using CoroutineGen.Benchmarks.Implementations;

namespace CoroutineGen.Benchmarks.Workloads;

/// <summary>
/// Shared shape of the async benchmark classes (docs/performance.md, "Async coroutines"). Workload A4: a for loop
/// (the source) pushes <see cref="N"/> ints through a four-stage pipeline, three pass-through stages and a summing
/// sink; the pipeline is built, completed (closed) and waited for inside the invocation, and the sink's (count, sum)
/// is checked. <c>OperationsPerInvoke = N</c>: every figure is per message. The same warm-up as the other workloads
/// (<see cref="WarmUp"/>); the send-path allocations are counted on every thread, since continuations may run on the
/// thread pool.
/// </summary>
public abstract class AsyncBenchmarks
{
    /// <summary>
    /// Messages pushed per invocation: fewer than the synchronous workloads' million, because a real await per
    /// message or a channel hop costs microseconds; building the pipeline (a few microseconds for four tasks) is
    /// still amortized to a few hundredths of a nanosecond per message.
    /// </summary>
    public const int N = 100_000;

    protected static readonly IPipelines SyncHand = new HandWrittenPipelines();
    protected static readonly IPipelines SyncGen = new GeneratedPipelines();

    /// <summary>
    /// The class's name in the send-path report (AsyncSend, AsyncAwaits, AsyncPipelines; report.py reads it). Not
    /// <c>GetType().Name</c>: BenchmarkDotNet runs a generated subclass.
    /// </summary>
    protected abstract string WorkloadName { get; }

    /// <summary>The synchronous four-stage chain (<c>Send</c>): W1 with three pass-through stages, sink included.</summary>
    protected static long RunSync(IPipelines pipelines, int n) =>
        Checksums.Verify(Workload.W1, n, pipelines.W1(AsyncRun.PassStages, n), pipelines.Name);

    protected static long RunAsync(IAsyncPipelines pipelines, int n) =>
        Checksums.Verify(Workload.W1, n, AsyncRun.Wait(pipelines.A4(n)), pipelines.Name);

    protected void Warm(IPipelines pipelines)
    {
        WarmUp.Case(n => RunSync(pipelines, n), N / 5);
        WarmUp.ReportSendAllocations($"{WorkloadName}, {pipelines.Name} (sync Send)", n => RunSync(pipelines, n), N);
    }

    protected void Warm(IAsyncPipelines pipelines)
    {
        WarmUp.Case(n => RunAsync(pipelines, n), N / 5);
        WarmUp.ReportSendAllocations($"{WorkloadName}, {pipelines.Name}", n => RunAsync(pipelines, n), N, allThreads: true);
    }

    /// <summary>Outside BenchmarkDotNet (<c>--probe</c>): the same warm-up, then timed runs; ns per message of each run.</summary>
    internal static double[] Probe(IAsyncPipelines pipelines, int runs)
    {
        WarmUp.Case(n => RunAsync(pipelines, n), N / 5);
        JitMarker.MeasurementStart();
        var ns = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            GC.Collect();
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            RunAsync(pipelines, N);
            ns[r] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalNanoseconds / N;
        }

        return ns;
    }
}

/// <summary>
/// (a) <c>SendAsync</c> through generated async stages that never really await, against the same four stages as
/// synchronous generated templates (<c>Send</c>) and hand-written async classes (the baseline). Targets: generated
/// <c>SendAsync</c> at most 2× generated <c>Send</c>, and 0 bytes per message.
/// </summary>
[MemoryDiagnoser]
public class AsyncSend : AsyncBenchmarks
{
    protected override string WorkloadName => nameof(AsyncSend);

    private static readonly IAsyncPipelines Hand = new HandWrittenAsyncPipelines();
    private static readonly IAsyncPipelines Gen = new GeneratedAsyncPipelines();

    [GlobalSetup(Target = nameof(HandWritten))] public void SetupHand() => Warm(Hand);
    [GlobalSetup(Target = nameof(Generated))] public void SetupGen() => Warm(Gen);
    [GlobalSetup(Target = nameof(SyncHandWritten))] public void SetupSyncHand() => Warm(SyncHand);
    [GlobalSetup(Target = nameof(SyncGenerated))] public void SetupSyncGen() => Warm(SyncGen);

    /// <summary>Hand-written <see cref="IAsyncCoroutine{T}"/> classes: the async baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N)] public long HandWritten() => RunAsync(Hand, N);

    /// <summary>Async templates, <c>await target.SendAsync(x)</c> into the next stage.</summary>
    [Benchmark(OperationsPerInvoke = N)] public long Generated() => RunAsync(Gen, N);

    /// <summary>The same four stages hand-written synchronously (<see cref="HandWrittenPipelines"/>, <c>Send</c>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long SyncHandWritten() => RunSync(SyncHand, N);

    /// <summary>The same four stages as synchronous templates (<see cref="GeneratedPipelines"/>, <c>Send</c>): the reference of the 2× target.</summary>
    [Benchmark(OperationsPerInvoke = N)] public long SyncGenerated() => RunSync(SyncGen, N);
}

/// <summary>
/// (b) The same four async stages, the last pass-through stage really awaiting: <c>await Task.Yield()</c> before
/// every <see cref="YieldEvery"/>-th message (1: every message). The await suspends that stage, the two stages above
/// it and the driver, and resumes them on the thread pool: what a real await costs in time and allocations.
/// </summary>
[MemoryDiagnoser]
public class AsyncAwaits : AsyncBenchmarks
{
    protected override string WorkloadName => nameof(AsyncAwaits);

    [Params(1, 100)]
    public int YieldEvery { get; set; }

    [GlobalSetup(Target = nameof(HandWritten))] public void SetupHand() => Warm(new HandWrittenAsyncPipelines(YieldEvery));
    [GlobalSetup(Target = nameof(Generated))] public void SetupGen() => Warm(new GeneratedAsyncPipelines(YieldEvery));

    /// <summary>Hand-written stages; the yielding one awaits in a pooled async method only when it yields.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N)] public long HandWritten() => RunAsync(new HandWrittenAsyncPipelines(YieldEvery), N);

    /// <summary>Async templates; the yielding one is <see cref="AsyncGeneratedStages.PassYielding"/>.</summary>
    [Benchmark(OperationsPerInvoke = N)] public long Generated() => RunAsync(new GeneratedAsyncPipelines(YieldEvery), N);
}

/// <summary>
/// (c) The four-stage async pipeline against the alternatives doing the same work per message: bounded
/// <see cref="System.Threading.Channels.Channel{T}"/>s between four consumer tasks, TPL Dataflow (three
/// TransformBlocks and an ActionBlock), and a pull pipeline of async iterators. The generated async chain (no real
/// await) is the baseline; target: at least 10× faster per message than Channels and Dataflow.
/// </summary>
[MemoryDiagnoser]
public class AsyncPipelines : AsyncBenchmarks
{
    protected override string WorkloadName => nameof(AsyncPipelines);

    private static readonly IAsyncPipelines Gen = new GeneratedAsyncPipelines();
    private static readonly IAsyncPipelines Chan64 = new ChannelPipelines(64);
    private static readonly IAsyncPipelines Chan1024 = new ChannelPipelines(1024);
    private static readonly IAsyncPipelines FlowUnbounded = new DataflowPipelines(0);
    private static readonly IAsyncPipelines Flow1024 = new DataflowPipelines(1024);
    private static readonly IAsyncPipelines AsyncEnum = new AsyncEnumerablePipelines();

    /// <summary>The short names <c>--probe</c> takes (<c>--probe A4 NAME</c>).</summary>
    internal static readonly IReadOnlyDictionary<string, IAsyncPipelines> ByName = new Dictionary<string, IAsyncPipelines>
    {
        ["hand"] = new HandWrittenAsyncPipelines(), ["gen"] = Gen, ["gen-yield1"] = new GeneratedAsyncPipelines(1),
        ["gen-yield100"] = new GeneratedAsyncPipelines(100), ["hand-yield1"] = new HandWrittenAsyncPipelines(1),
        ["hand-yield100"] = new HandWrittenAsyncPipelines(100), ["chan64"] = Chan64, ["chan1024"] = Chan1024,
        ["dataflow"] = FlowUnbounded, ["dataflow1024"] = Flow1024, ["asyncenum"] = AsyncEnum,
    };

    [GlobalSetup(Target = nameof(Generated))] public void SetupGen() => Warm(Gen);
    [GlobalSetup(Target = nameof(Channels64))] public void SetupChan64() => Warm(Chan64);
    [GlobalSetup(Target = nameof(Channels1024))] public void SetupChan1024() => Warm(Chan1024);
    [GlobalSetup(Target = nameof(DataflowUnbounded))] public void SetupFlowUnbounded() => Warm(FlowUnbounded);
    [GlobalSetup(Target = nameof(Dataflow1024))] public void SetupFlow1024() => Warm(Flow1024);
    [GlobalSetup(Target = nameof(AsyncEnumerable))] public void SetupAsyncEnum() => Warm(AsyncEnum);

    /// <summary>The generated async chain of <see cref="AsyncSend.Generated"/>, measured again in this class.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = N)] public long Generated() => RunAsync(Gen, N);

    /// <summary>Four consumer tasks, bounded channels of 64.</summary>
    [Benchmark(OperationsPerInvoke = N)] public long Channels64() => RunAsync(Chan64, N);

    /// <summary>Four consumer tasks, bounded channels of 1,024.</summary>
    [Benchmark(OperationsPerInvoke = N)] public long Channels1024() => RunAsync(Chan1024, N);

    /// <summary>TPL Dataflow, unbounded blocks (the source posts everything).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long DataflowUnbounded() => RunAsync(FlowUnbounded, N);

    /// <summary>TPL Dataflow, blocks bounded to 1,024 (the source awaits SendAsync when the head is full).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long Dataflow1024() => RunAsync(Flow1024, N);

    /// <summary>Async iterators pulled by <c>await foreach</c>.</summary>
    [Benchmark(OperationsPerInvoke = N)] public long AsyncEnumerable() => RunAsync(AsyncEnum, N);
}
