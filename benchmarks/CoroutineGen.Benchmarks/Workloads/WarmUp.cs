using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CoroutineGen.Benchmarks.Workloads;

/// <summary>
/// The warm-up protocol (docs/performance.md, "What is measured", warm-up order), run in each benchmark's [GlobalSetup] before BenchmarkDotNet's
/// own pilot and warm-up. BenchmarkDotNet already runs every benchmark case in a process of its own, so each case
/// is warmed alone; within the process:
/// <list type="number">
/// <item><description>library code first: <c>string.Contains</c> reaches its final tier before any W2 code is compiled;</description></item>
/// <item><description>for W1 k = 4, the same implementation's k = 1 chain first, as in the anchors (the pass stage's
/// call-site profile is trained on k = 1; the k = 4 rows are "profile trained on k = 1" numbers);</description></item>
/// <item><description>phase A: a few large runs with idle gaps longer than the 100 ms tiering delay, until nothing more
/// is JIT-compiled, so the stage methods reach tier 1 with their receiver-type profiles;</description></item>
/// <item><description>phase B: many tiny runs until quiet, so the driver (the source loop) tiers up last, when its
/// inlinees' profiles exist.</description></item>
/// </list>
/// Setting COROUTINEGEN_BENCH_QUICK=1 (the <c>--quick</c> jobs do) shortens both phases.
/// </summary>
public static class WarmUp
{
    private static readonly bool Quick = Environment.GetEnvironmentVariable("COROUTINEGEN_BENCH_QUICK") == "1";

    /// <summary>Gets <c>string.Contains</c> to its final tier (before any W2 code is compiled).</summary>
    public static void StringContains()
    {
        for (int p = 0; p < (Quick ? 3 : 5); p++)
        {
            var sw = Stopwatch.StartNew();
            long hits = 0;
            while (sw.ElapsedMilliseconds < 60) hits += ContainsLoop(Data.Lines, Data.Pattern);
            Thread.Sleep(150);
            GC.KeepAlive(hits);
        }
    }

    /// <summary>Warms one case: phase A with runs of <paramref name="largeN"/> messages, then phase B with tiny runs.</summary>
    /// <param name="run">Runs the case with n messages and verifies its checksum.</param>
    /// <param name="largeN">Messages per phase-A run.</param>
    public static void Case(Action<int> run, int largeN)
    {
        int maxA = Quick ? 6 : 12, minA = Quick ? 3 : 5;
        int quiet = 0;
        for (int call = 0; call < maxA && (call < minA || quiet < 3); call++)
        {
            long before = System.Runtime.JitInfo.GetCompiledMethodCount();
            run(largeN);
            Thread.Sleep(150);
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == before ? quiet + 1 : 0;
        }

        // Bursts of ~30 ms of tiny runs plus 60 ms idle; stop after two bursts in which nothing was compiled.
        int maxB = Quick ? 10 : 24;
        quiet = 0;
        for (int b = 0; b < maxB && (b < 3 || quiet < 2); b++)
        {
            long before = System.Runtime.JitInfo.GetCompiledMethodCount();
            var burst = Stopwatch.StartNew();
            do run(500); while (burst.ElapsedMilliseconds < 30);
            Thread.Sleep(60);
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == before ? quiet + 1 : 0;
        }
    }

    /// <summary>
    /// Bytes allocated per message on the send path: the allocations of a run of <paramref name="n"/> messages minus
    /// those of a run of none (building and closing the pipeline). Printed into the BenchmarkDotNet log.
    /// </summary>
    /// <param name="benchmark">Workload and implementation, as the report shows them.</param>
    /// <param name="run">Runs the case with n messages and verifies its checksum.</param>
    /// <param name="n">Messages of the measured run.</param>
    /// <param name="allThreads">Count every thread's allocations (<c>GC.GetTotalAllocatedBytes(precise: true)</c>), for
    /// pipelines whose work continues on thread-pool threads (real awaits, channels, dataflow).</param>
    public static void ReportSendAllocations(string benchmark, Action<int> run, int n, bool allThreads = false)
    {
        Func<long> allocated = allThreads ? () => GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread;
        run(n); // first, so that nothing measured below is a first-time allocation (the checksum cache for n, say)
        run(0);
        long b0 = allocated();
        run(0);
        long b1 = allocated();
        run(n);
        long b2 = allocated();
        long perPipeline = b1 - b0, sendPath = b2 - b1 - perPipeline;
        string job = Environment.GetEnvironmentVariable("DOTNET_TieredPGO") == "0" ? " (TieredPGO=0)" : "";
        Console.WriteLine($"// send-path allocations: {benchmark}{job}: {(double)sendPath / n:F4} B/message over {n:N0} messages ({perPipeline} B to build and close the pipeline)");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ContainsLoop(string[] lines, string pattern)
    {
        long hits = 0;
        foreach (var line in lines)
        {
            if (line.Contains(pattern)) hits++;
        }

        return hits;
    }
}
