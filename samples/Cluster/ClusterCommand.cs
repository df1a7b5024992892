using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CoroutineGen.Samples.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace CoroutineGen.Samples.Cluster;

/// <summary>
/// The command line of the sample: starts two silos in this process, runs <c>read -> [grep ->] sink</c> in a grain on
/// the first and <c>printer</c> in a grain on the second, with an Orleans memory stream between them, and stops the
/// silos. The printer's output is the single-process sample's, line for line.
/// </summary>
public static class ClusterCommand
{
    /// <summary>The stream provider both silos configure.</summary>
    public const string StreamProvider = "pipeline";

    /// <summary>The stream namespace of the pipeline's stream.</summary>
    public const string StreamNamespace = "lines";

    /// <summary>Exit code: done.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the file cannot be read.</summary>
    public const int Failure = 1;

    /// <summary>Exit code: unknown option, missing pattern, more than one file.</summary>
    public const int BadUsage = 2;

    /// <summary>The one-line usage summary.</summary>
    public const string Usage = "usage: Cluster [--grep PATTERN]... [FILE]";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the sample.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="stdout">Where the printer writes.</param>
    /// <param name="stderr">Where errors, the usage line, which silo runs what, and Orleans's warnings go.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var patterns = new List<string>();
        string? file = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    stdout.WriteLine(Usage);
                    stdout.WriteLine();
                    stdout.WriteLine("Runs samples/Pipelines' follow -> grep -> printer across two Orleans silos started in this");
                    stdout.WriteLine("process: the file is read and grepped on the first silo, and printed on the second.");
                    return Success;
                case "--grep" when i + 1 < args.Length:
                    patterns.Add(args[++i]);
                    break;
                case "--grep":
                    return Bad("--grep needs a PATTERN");
                case var option when option.StartsWith('-') && option != "-":
                    return Bad($"unknown option {option}");
                case var path when file is null:
                    file = path;
                    break;
                default:
                    return Bad($"one FILE at most (got {file} and {args[i]})");
            }
        }

        file ??= PipelineCommand.BundledLog;
        if (!File.Exists(file))
        {
            stderr.WriteLine($"Cluster: no such file: {file}");
            return Failure;
        }

        // Two silos in this process, on free loopback ports; the second joins the first (localhost clustering: no
        // membership service, the first silo is the primary).
        var output = new PrinterOutput(stdout);
        int primaryPort = FreePort();
        using var first = StartSilo("first", primaryPort, FreePort(), primary: null, output, stderr);
        using var second = StartSilo("second", FreePort(), FreePort(), primary: new IPEndPoint(IPAddress.Loopback, primaryPort), output, stderr);
        await first.StartAsync();
        await second.StartAsync();
        try
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            await WaitForBothSilosAsync(grains);
            // The printer first, on the second silo, so it is subscribed before anything is published. A silo that has
            // just joined may not be offered to placement yet, and the hint is then ignored: a printer that lands on the
            // first silo is left idle (its stream is never published to) and a new pipeline is tried.
            string pipeline;
            IPrinterGrain printer;
            SiloAddress printerSilo;
            int attempts = 0;
            do
            {
                if (attempts++ > 0)
                {
                    await Task.Delay(100);
                }

                pipeline = Guid.NewGuid().ToString("N");
                (printer, printerSilo) = await PlaceAsync(grains.GetGrain<IPrinterGrain>(pipeline), SiloOf(second), p => p.StartAsync());
            }
            while (!printerSilo.Equals(SiloOf(second)) && attempts < PlacementAttempts);

            var (_, (readerSilo, lines)) = await PlaceAsync(grains.GetGrain<IReaderGrain>(pipeline), SiloOf(first),
                r => r.RunAsync(file, patterns));
            long printed = await printer.WaitAsync();
            stderr.WriteLine($"Cluster: read {lines} line(s) on silo {readerSilo}, printed {printed} on silo {printerSilo}");
            if (!readerSilo.Equals(SiloOf(first)) || !printerSilo.Equals(SiloOf(second)))
            {
                stderr.WriteLine($"Cluster: the grains were not placed as asked (reader on {SiloOf(first)}, printer on {SiloOf(second)})");
                return Failure;
            }

            return Success;
        }
        finally
        {
            using var stop = new CancellationTokenSource(StopTimeout);
            await second.StopAsync(stop.Token);
            await first.StopAsync(stop.Token);
        }

        int Bad(string error)
        {
            stderr.WriteLine($"Cluster: {error}");
            stderr.WriteLine(Usage);
            return BadUsage;
        }
    }

    private static IHost StartSilo(string name, int siloPort, int gatewayPort, IPEndPoint? primary, PrinterOutput output, TextWriter stderr)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new StderrLoggerProvider(name, stderr)).SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton(output);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort, primary, serviceId: "coroutinegen-cluster-sample", clusterId: "sample")
            .AddMemoryStreams(StreamProvider)
            .AddMemoryGrainStorage("PubSubStore"));
        return builder.Build();
    }

    /// <summary>
    /// Waits until the first silo sees both as active: a placement hint naming a silo the cluster does not know yet
    /// is ignored.
    /// </summary>
    private static async Task WaitForBothSilosAsync(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + StopTimeout;
        while ((await management.GetHosts(onlyActive: true)).Count < 2)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The second silo did not join the cluster within {StopTimeout.TotalSeconds:F0} s.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>How many pipelines to try before giving up on placing the printer on the second silo.</summary>
    private const int PlacementAttempts = 50;

    private static SiloAddress SiloOf(IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>Calls <paramref name="grain"/> for the first time with Orleans's placement hint: it is activated on <paramref name="silo"/>.</summary>
    private static async Task<(TGrain Grain, TResult Result)> PlaceAsync<TGrain, TResult>(TGrain grain, SiloAddress silo, Func<TGrain, Task<TResult>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return (grain, await call(grain));
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Orleans's errors, one line each on stderr, so that stdout carries only the pipeline's output.</summary>
    private sealed class StderrLoggerProvider(string silo, TextWriter stderr) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(silo, categoryName, stderr);

        public void Dispose()
        {
        }

        private sealed class Logger(string silo, string category, TextWriter stderr) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // The stream's pulling agents log the cancellation of their last read as an error when a silo stops.
                if (IsEnabled(logLevel) && exception is not OperationCanceledException)
                {
                    lock (stderr)
                    {
                        stderr.WriteLine($"Cluster [{silo} silo] {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
                    }
                }
            }
        }
    }
}
