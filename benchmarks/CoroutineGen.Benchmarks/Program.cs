using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace CoroutineGen.Benchmarks;

/// <summary>
/// Entry point. Options of our own (the rest goes to BenchmarkDotNet, e.g. <c>--filter '*W1*'</c>):
/// <list type="bullet">
/// <item><description><c>--quick</c>: short jobs (3 warm-up and 3 measured iterations, shortened controlled warm-up): minutes, not half an hour;</description></item>
/// <item><description><c>--pgo-only</c> / <c>--nopgo-only</c>: only the default-settings job, or only the <c>DOTNET_TieredPGO=0</c> job
/// (by default both run, and BenchmarkDotNet prints the ratios per job).</description></item>
/// </list>
/// <c>--probe</c> runs one case outside BenchmarkDotNet (see <see cref="Probe"/>); <c>--check-prototype</c> compares the
/// prototype emission's behaviour with the generated stages' (see <see cref="Prototypes.PrototypeCheck"/>);
/// <c>--probe-eh</c> shows which exception-handling shapes the JIT inlines (see <see cref="EhInliningProbe"/>).
/// Without <c>--filter</c> every benchmark runs (BenchmarkSwitcher would otherwise show a menu and run nothing).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--probe") return Probe.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--check-prototype") return Prototypes.PrototypeCheck.Run(args[1..]);
        if (args.Length > 0 && args[0] == "--probe-eh") return EhInliningProbe.Run();

        var rest = new List<string>();
        bool quick = false, pgo = true, noPgo = true;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--quick": quick = true; break;
                case "--pgo-only": noPgo = false; break;
                case "--nopgo-only": pgo = false; break;
                default: rest.Add(arg); break;
            }
        }

        if (!pgo && !noPgo)
        {
            Console.Error.WriteLine("--pgo-only and --nopgo-only exclude each other");
            return 2;
        }

        if (!rest.Contains("--filter") && !rest.Contains("-f") && !rest.Contains("--list"))
        {
            rest.Add("--filter");
            rest.Add("*");
        }

        // Median and Min beside the Mean: the machine is shared, and preemption only ever adds time.
        // The build of BenchmarkDotNet's boilerplate project (generator included) takes minutes when other work loads the
        // two cores; the default timeout (2 min) then fails every case.
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min)
            .WithBuildTimeout(TimeSpan.FromMinutes(15));
        if (pgo) config.AddJob(MakeJob("PGO", quick, tieredPgo: true));
        if (noPgo) config.AddJob(MakeJob("NoPGO", quick, tieredPgo: false));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), config);
        return 0;
    }

    private static Job MakeJob(string id, bool quick, bool tieredPgo)
    {
        var job = (quick ? Job.ShortRun : Job.Default.WithWarmupCount(5).WithIterationCount(15).WithLaunchCount(1))
            .WithGcServer(false)
            .WithGcConcurrent(false)
            .WithId(quick ? id + "-quick" : id);
        var env = new List<EnvironmentVariable>();
        if (!tieredPgo) env.Add(new EnvironmentVariable("DOTNET_TieredPGO", "0"));
        if (quick) env.Add(new EnvironmentVariable("COROUTINEGEN_BENCH_QUICK", "1"));
        return env.Count == 0 ? job : job.WithEnvironmentVariables(env.ToArray());
    }
}
