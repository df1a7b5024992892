using BenchmarkDotNet.Attributes;
using CoroutineGen.Benchmarks.Implementations;
using CoroutineGen.Benchmarks.Prototypes;

namespace CoroutineGen.Benchmarks.Workloads;

/// <summary>A target that does nothing, so that creating or closing a pass-through stage measures the stage alone.</summary>
public sealed class NullTarget : ICoroutine<int>
{
    public CoroutineState State => CoroutineState.Suspended;

    public void Send(int value)
    {
    }

    public void Throw(Exception exception)
    {
    }

    public void Close()
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>Creating and priming one pass-through stage (the object is returned, so it really reaches the heap).</summary>
[MemoryDiagnoser]
public class Create
{
    private readonly ICoroutine<int> _target = new NullTarget();

    [Benchmark(Baseline = true)] public object HandWritten() => new HandPass(_target);
    [Benchmark] public object Generated() => GeneratedStages.Pass(_target);
    [Benchmark] public object AsyncBuilder() => AsyncStages.Pass(_target);

    /// <summary>The candidate emitted shape (<see cref="PrototypeStages"/>).</summary>
    [Benchmark] public object Prototype() => PrototypeStages.Pass(_target);

    /// <summary>The handler-free variants (<see cref="FinallyStages"/>, <see cref="HandlerFreeStages"/>, <see cref="CoreFlagStages"/>).</summary>
    [Benchmark] public object ProtoFinally() => FinallyStages.Pass(_target);
    [Benchmark] public object ProtoCore() => HandlerFreeStages.Pass(_target);
    [Benchmark] public object ProtoCoreFlag() => CoreFlagStages.Pass(_target);
}

/// <summary>
/// Closing one primed pass-through stage. Each iteration creates <see cref="M"/> primed stages first
/// ([IterationSetup], not timed) and the benchmark closes them all: figures are per <c>Close()</c>.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1, 1)]
[IterationCount(30)]
public class Close
{
    public const int M = 100_000;

    private readonly ICoroutine<int> _target = new NullTarget();
    private readonly ICoroutine<int>[] _stages = new ICoroutine<int>[M];

    [IterationSetup(Target = nameof(HandWritten))]
    public void SetupHand()
    {
        for (int i = 0; i < M; i++) _stages[i] = new HandPass(_target);
    }

    [IterationSetup(Target = nameof(Generated))]
    public void SetupGen()
    {
        for (int i = 0; i < M; i++) _stages[i] = GeneratedStages.Pass(_target);
    }

    [IterationSetup(Target = nameof(AsyncBuilder))]
    public void SetupAsync()
    {
        for (int i = 0; i < M; i++) _stages[i] = AsyncStages.Pass(_target);
    }

    [IterationSetup(Target = nameof(Prototype))]
    public void SetupProto()
    {
        for (int i = 0; i < M; i++) _stages[i] = PrototypeStages.Pass(_target);
    }

    [IterationSetup(Target = nameof(ProtoFinally))]
    public void SetupProtoFinally()
    {
        for (int i = 0; i < M; i++) _stages[i] = FinallyStages.Pass(_target);
    }

    [IterationSetup(Target = nameof(ProtoCore))]
    public void SetupProtoCore()
    {
        for (int i = 0; i < M; i++) _stages[i] = HandlerFreeStages.Pass(_target);
    }

    [IterationSetup(Target = nameof(ProtoCoreFlag))]
    public void SetupProtoCoreFlag()
    {
        for (int i = 0; i < M; i++) _stages[i] = CoreFlagStages.Pass(_target);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = M)] public void HandWritten() => CloseAll();
    [Benchmark(OperationsPerInvoke = M)] public void Generated() => CloseAll();
    [Benchmark(OperationsPerInvoke = M)] public void AsyncBuilder() => CloseAll();

    /// <summary>The candidate emitted shape (<see cref="PrototypeStages"/>).</summary>
    [Benchmark(OperationsPerInvoke = M)] public void Prototype() => CloseAll();

    /// <summary>The handler-free variants: their Close() is the generated one (catch (GeneratorExitException) around __Step).</summary>
    [Benchmark(OperationsPerInvoke = M)] public void ProtoFinally() => CloseAll();
    [Benchmark(OperationsPerInvoke = M)] public void ProtoCore() => CloseAll();
    [Benchmark(OperationsPerInvoke = M)] public void ProtoCoreFlag() => CloseAll();

    private void CloseAll()
    {
        foreach (var stage in _stages) stage.Close();
    }
}
