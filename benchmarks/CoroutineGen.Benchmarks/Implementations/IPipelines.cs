using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

/// <summary>
/// One implementation of the three workloads. Each method builds its pipeline, pushes <c>n</c> messages from a
/// <c>for</c> loop (the source), closes the pipeline and returns the totals the sinks reported on close.
/// Every implementation has its own source loops, so the JIT's profile of one implementation's call sites never
/// sees another's receiver types.
/// </summary>
public interface IPipelines
{
    /// <summary>A short name for messages.</summary>
    string Name { get; }

    /// <summary>source, <paramref name="k"/> pass-through stages, counting sink.</summary>
    Result W1(int k, int n);

    /// <summary>source of cycled log lines, grep "python", counting sink.</summary>
    Result W2(int n);

    /// <summary>source, broadcast, three counting sinks.</summary>
    Result W3(int n);
}
