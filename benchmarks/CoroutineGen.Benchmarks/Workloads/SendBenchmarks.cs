using BenchmarkDotNet.Attributes;
using CoroutineGen.Benchmarks.Implementations;
using CoroutineGen.Benchmarks.Prototypes;

namespace CoroutineGen.Benchmarks.Workloads;

/// <summary>
/// Shared shape of the per-workload benchmark classes: every benchmark pushes <see cref="N"/> messages (so the
/// figures are per message pushed by the source, <c>OperationsPerInvoke = N</c>), builds its pipeline, closes it and
/// throws unless the sinks' (count, sum) is right. The hand-written pipeline is the baseline.
/// </summary>
public abstract class SendBenchmarks
{
    /// <summary>Messages pushed per invocation.</summary>
    public const int N = 1_000_000;

    protected static readonly IPipelines Hand = new HandWrittenPipelines();
    protected static readonly IPipelines Gen = new GeneratedPipelines();
    protected static readonly IPipelines Pull = new PullPipelines();
    protected static readonly IPipelines Reactive = new RxPipelines();
    protected static readonly IPipelines Async = new AsyncBuilderPipelines();
    protected static readonly IPipelines Proto = new PrototypePipelines();
    protected static readonly IPipelines ProtoFin = new ProtoFinallyPipelines();
    protected static readonly IPipelines ProtoCor = new ProtoCorePipelines();
    protected static readonly IPipelines ProtoFlag = new ProtoCoreFlagPipelines();

    /// <summary>The implementations by the short names <c>--probe</c> takes.</summary>
    internal static readonly IReadOnlyDictionary<string, IPipelines> ByName = new Dictionary<string, IPipelines>
    {
        ["hand"] = Hand, ["gen"] = Gen, ["pull"] = Pull, ["rx"] = Reactive, ["async"] = Async, ["proto"] = Proto,
        ["proto-finally"] = ProtoFin, ["proto-core"] = ProtoCor, ["proto-core-flag"] = ProtoFlag,
    };

    /// <summary>
    /// Outside BenchmarkDotNet (<c>--probe</c>): the same warm-up, then <paramref name="runs"/> timed runs of
    /// <see cref="N"/> messages; returns ns per message of each run. For JIT disassembly and quick checks.
    /// </summary>
    internal double[] Probe(IPipelines pipelines, int runs)
    {
        Warm(pipelines);
        JitMarker.MeasurementStart();
        var ns = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            GC.Collect();
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            Run(pipelines, N);
            ns[r] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalNanoseconds / N;
        }

        return ns;
    }

    /// <summary>Runs the case with n messages and verifies its checksum.</summary>
    protected abstract long Run(IPipelines pipelines, int n);

    /// <summary>The controlled warm-up (<see cref="WarmUp"/>) and the send-path allocation report.</summary>
    protected virtual void Warm(IPipelines pipelines)
    {
        WarmUp.Case(n => Run(pipelines, n), N / 5);
        WarmUp.ReportSendAllocations($"{WorkloadName}, {pipelines.Name}{Describe()}", n => Run(pipelines, n), N);
    }

    /// <summary>The workload's name in reports.</summary>
    protected abstract string WorkloadName { get; }

    protected virtual string Describe() => "";
}

/// <summary>W1: source, k pass-through stages, counting sink (ints).</summary>
[MemoryDiagnoser]
public class W1PassThrough : SendBenchmarks
{
    [Params(1, 4)]
    public int K { get; set; }

    [GlobalSetup(Target = nameof(HandWritten))] public void SetupHand() => Warm(Hand);
    [GlobalSetup(Target = nameof(Generated))] public void SetupGen() => Warm(Gen);
    [GlobalSetup(Target = nameof(PullIterators))] public void SetupPull() => Warm(Pull);
    [GlobalSetup(Target = nameof(RxNet))] public void SetupRx() => Warm(Reactive);
    [GlobalSetup(Target = nameof(AsyncBuilder))] public void SetupAsync() => Warm(Async);
    [GlobalSetup(Target = nameof(Prototype))] public void SetupProto() => Warm(Proto);
    [GlobalSetup(Target = nameof(ProtoFinally))] public void SetupProtoFinally() => Warm(ProtoFin);
    [GlobalSetup(Target = nameof(ProtoCore))] public void SetupProtoCore() => Warm(ProtoCor);
    [GlobalSetup(Target = nameof(ProtoCoreFlag))] public void SetupProtoCoreFlag() => Warm(ProtoFlag);

    [Benchmark(Baseline = true, OperationsPerInvoke = N)] public long HandWritten() => Run(Hand, N);
    [Benchmark(OperationsPerInvoke = N)] public long Generated() => Run(Gen, N);
    [Benchmark(OperationsPerInvoke = N)] public long PullIterators() => Run(Pull, N);
    [Benchmark(OperationsPerInvoke = N)] public long RxNet() => Run(Reactive, N);
    [Benchmark(OperationsPerInvoke = N)] public long AsyncBuilder() => Run(Async, N);

    /// <summary>Today's emitted shape, hand-made (<see cref="PrototypeStages"/>): the control for the variants below.</summary>
    [Benchmark(OperationsPerInvoke = N)] public long Prototype() => Run(Proto, N);

    /// <summary>Handler-free shape, every target through the runtime helper (<see cref="FinallyStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long ProtoFinally() => Run(ProtoFin, N);

    /// <summary>Handler-free shape, generated targets through their core (<see cref="HandlerFreeStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long ProtoCore() => Run(ProtoCor, N);

    /// <summary>As <see cref="ProtoCore"/>, "the target is a core" decided at creation (<see cref="CoreFlagStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long ProtoCoreFlag() => Run(ProtoFlag, N);

    protected override long Run(IPipelines pipelines, int n) => Run(pipelines, K, n);

    protected override void Warm(IPipelines pipelines)
    {
        // As in the anchors: the k = 1 chain of the same implementation is warmed first.
        if (K != 1) WarmUp.Case(n => Run(pipelines, 1, n), N / 5);
        base.Warm(pipelines);
    }

    protected override string WorkloadName => "W1";

    protected override string Describe() => $" k={K}";

    private static long Run(IPipelines pipelines, int k, int n) =>
        Checksums.Verify(Workload.W1, n, pipelines.W1(k, n), pipelines.Name);
}

/// <summary>W2: grep for "python" over 1,000 cycled log lines, counting sink (strings).</summary>
[MemoryDiagnoser]
public class W2Grep : SendBenchmarks
{
    [GlobalSetup(Target = nameof(HandWritten))] public void SetupHand() => Warm(Hand);
    [GlobalSetup(Target = nameof(Generated))] public void SetupGen() => Warm(Gen);
    [GlobalSetup(Target = nameof(PullIterators))] public void SetupPull() => Warm(Pull);
    [GlobalSetup(Target = nameof(RxNet))] public void SetupRx() => Warm(Reactive);
    [GlobalSetup(Target = nameof(AsyncBuilder))] public void SetupAsync() => Warm(Async);
    [GlobalSetup(Target = nameof(Prototype))] public void SetupProto() => Warm(Proto);
    [GlobalSetup(Target = nameof(ProtoFinally))] public void SetupProtoFinally() => Warm(ProtoFin);
    [GlobalSetup(Target = nameof(ProtoCore))] public void SetupProtoCore() => Warm(ProtoCor);
    [GlobalSetup(Target = nameof(ProtoCoreFlag))] public void SetupProtoCoreFlag() => Warm(ProtoFlag);

    [Benchmark(Baseline = true, OperationsPerInvoke = N)] public long HandWritten() => Run(Hand, N);
    [Benchmark(OperationsPerInvoke = N)] public long Generated() => Run(Gen, N);
    [Benchmark(OperationsPerInvoke = N)] public long PullIterators() => Run(Pull, N);
    [Benchmark(OperationsPerInvoke = N)] public long RxNet() => Run(Reactive, N);
    [Benchmark(OperationsPerInvoke = N)] public long AsyncBuilder() => Run(Async, N);

    /// <summary>Today's emitted shape, hand-made (<see cref="PrototypeStages"/>): the control for the variants below.</summary>
    [Benchmark(OperationsPerInvoke = N)] public long Prototype() => Run(Proto, N);

    /// <summary>Handler-free shape, every target through the runtime helper (<see cref="FinallyStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long ProtoFinally() => Run(ProtoFin, N);

    /// <summary>Handler-free shape, generated targets through their core (<see cref="HandlerFreeStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long ProtoCore() => Run(ProtoCor, N);

    /// <summary>As <see cref="ProtoCore"/>, "the target is a core" decided at creation (<see cref="CoreFlagStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long ProtoCoreFlag() => Run(ProtoFlag, N);

    protected override string WorkloadName => "W2";

    protected override long Run(IPipelines pipelines, int n) =>
        Checksums.Verify(Workload.W2, n, pipelines.W2(n), pipelines.Name);

    protected override void Warm(IPipelines pipelines)
    {
        WarmUp.StringContains();
        base.Warm(pipelines);
    }
}

/// <summary>W3: source, broadcast stage, three counting sinks (ints).</summary>
[MemoryDiagnoser]
public class W3Broadcast : SendBenchmarks
{
    [GlobalSetup(Target = nameof(HandWritten))] public void SetupHand() => Warm(Hand);
    [GlobalSetup(Target = nameof(Generated))] public void SetupGen() => Warm(Gen);
    [GlobalSetup(Target = nameof(PullIterators))] public void SetupPull() => Warm(Pull);
    [GlobalSetup(Target = nameof(RxNet))] public void SetupRx() => Warm(Reactive);
    [GlobalSetup(Target = nameof(AsyncBuilder))] public void SetupAsync() => Warm(Async);
    [GlobalSetup(Target = nameof(Prototype))] public void SetupProto() => Warm(Proto);
    [GlobalSetup(Target = nameof(ProtoFinally))] public void SetupProtoFinally() => Warm(ProtoFin);
    [GlobalSetup(Target = nameof(ProtoCore))] public void SetupProtoCore() => Warm(ProtoCor);
    [GlobalSetup(Target = nameof(ProtoCoreFlag))] public void SetupProtoCoreFlag() => Warm(ProtoFlag);

    [Benchmark(Baseline = true, OperationsPerInvoke = N)] public long HandWritten() => Run(Hand, N);
    [Benchmark(OperationsPerInvoke = N)] public long Generated() => Run(Gen, N);

    /// <summary>Not a broadcast: one pull loop feeding three accumulators (see <see cref="PullPipelines"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long PullIterators() => Run(Pull, N);
    [Benchmark(OperationsPerInvoke = N)] public long RxNet() => Run(Reactive, N);
    [Benchmark(OperationsPerInvoke = N)] public long AsyncBuilder() => Run(Async, N);

    /// <summary>Today's emitted shape, hand-made (<see cref="PrototypeStages"/>): the control for the variants below.</summary>
    [Benchmark(OperationsPerInvoke = N)] public long Prototype() => Run(Proto, N);

    /// <summary>Handler-free shape, every target through the runtime helper (<see cref="FinallyStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long ProtoFinally() => Run(ProtoFin, N);

    /// <summary>Handler-free shape, generated targets through their core (<see cref="HandlerFreeStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long ProtoCore() => Run(ProtoCor, N);

    /// <summary>As <see cref="ProtoCore"/>, "the target is a core" decided at creation (<see cref="CoreFlagStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = N)] public long ProtoCoreFlag() => Run(ProtoFlag, N);

    protected override string WorkloadName => "W3";

    protected override long Run(IPipelines pipelines, int n) =>
        Checksums.Verify(Workload.W3, n, pipelines.W3(n), pipelines.Name);
}
