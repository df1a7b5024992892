using System.Runtime.CompilerServices;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks;

/// <summary>
/// <c>--probe WORKLOAD IMPL [RUNS]</c> (WORKLOAD: W1k1, W1k4, W2, W3; IMPL: hand, gen, pull, rx, async, proto, proto-finally, proto-core, proto-core-flag;
/// or WORKLOAD A4, the async chain, with IMPL: hand, gen, gen-yield1, gen-yield100, hand-yield1, hand-yield100, chan64, chan1024,
/// dataflow, dataflow1024, asyncenum):
/// one case in this process, outside BenchmarkDotNet, with the same controlled warm-up, then timed runs.
/// Meant for machine-code inspection, e.g.
/// <c>DOTNET_JitStdOutFile=jit.txt DOTNET_JitDisasm='*Send* W1' dotnet bin/Release/net10.0/CoroutineGen.Benchmarks.dll --probe W1k1 gen</c>;
/// whatever is compiled after <c>JitMarker:MeasurementStart</c> was compiled while measuring.
/// </summary>
internal static class Probe
{
    public static int Run(string[] args)
    {
        if (args.Length >= 2 && args[0] == "A4") return RunAsync(args);
        if (args.Length < 2 || !SendBenchmarks.ByName.TryGetValue(args[1], out var pipelines))
        {
            Console.Error.WriteLine($"usage: --probe W1k1|W1k4|W2|W3 {string.Join('|', SendBenchmarks.ByName.Keys)} [runs]");
            return 2;
        }

        SendBenchmarks bench = args[0] switch
        {
            "W1k1" => new W1PassThrough { K = 1 },
            "W1k4" => new W1PassThrough { K = 4 },
            "W2" => new W2Grep(),
            "W3" => new W3Broadcast(),
            _ => throw new ArgumentException($"unknown workload {args[0]}"),
        };
        int runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var ns = bench.Probe(pipelines, runs);
        Console.WriteLine($"{args[0]} {pipelines.Name}: {string.Join(" ", ns.Select(x => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))} ns/message; loadavg {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    /// <summary><c>--probe A4 IMPL [RUNS]</c>: the async workload (<see cref="AsyncPipelines.ByName"/>).</summary>
    private static int RunAsync(string[] args)
    {
        if (!AsyncPipelines.ByName.TryGetValue(args[1], out var pipelines))
        {
            Console.Error.WriteLine($"usage: --probe A4 {string.Join('|', AsyncPipelines.ByName.Keys)} [runs]");
            return 2;
        }

        int runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var ns = AsyncBenchmarks.Probe(pipelines, runs);
        Console.WriteLine($"A4 {pipelines.Name}: {string.Join(" ", ns.Select(x => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))} ns/message; loadavg {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }
}

/// <summary>Empty methods whose JIT compilation marks a point in a <c>DOTNET_JitStdOutFile</c> listing.</summary>
internal static class JitMarker
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void MeasurementStart()
    {
    }
}
