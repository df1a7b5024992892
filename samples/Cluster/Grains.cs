using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using CoroutineGen;
using CoroutineGen.Orleans;
using CoroutineGen.Samples.Pipelines;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Streams;

namespace CoroutineGen.Samples.Cluster;

/// <summary>The first half of the pipeline: reads the file and sends each line through the greps into the stream.</summary>
public interface IReaderGrain : IGrainWithStringKey
{
    /// <summary>Reads <paramref name="path"/> through <c>grep -> ... -> sink</c> and closes every stage.</summary>
    /// <returns>The silo it ran on and the number of lines read.</returns>
    Task<(SiloAddress Silo, long Lines)> RunAsync(string path, List<string> patterns);
}

/// <summary>The second half: a printer driven from the stream.</summary>
public interface IPrinterGrain : IGrainWithStringKey
{
    /// <summary>Subscribes a printer to the stream (before the reader starts).</summary>
    /// <returns>The silo it runs on.</returns>
    Task<SiloAddress> StartAsync();

    /// <summary>Waits until the stream has closed the printer.</summary>
    /// <returns>The number of lines it printed.</returns>
    [AlwaysInterleave]
    Task<long> WaitAsync();
}

/// <summary>Where the printer writes: the console of the process its silo runs in (tests give their own writer).</summary>
public sealed class PrinterOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}

public sealed class ReaderGrain(ILocalSiloDetails silo) : Grain, IReaderGrain
{
    public Task<(SiloAddress Silo, long Lines)> RunAsync(string path, List<string> patterns)
    {
        var stream = this.GetStreamProvider(ClusterCommand.StreamProvider)
            .GetStream<CoroutineMessage<string>>(ClusterCommand.StreamNamespace, this.GetPrimaryKeyString());

        // Built back to front as in samples/Pipelines, with the stream's sink where the printer was.
        var stages = new List<ICoroutine<string>> { OrleansStreams.ToStream(stream) };
        for (int i = patterns.Count - 1; i >= 0; i--)
        {
            stages.Insert(0, Stages.Grep(patterns[i], stages[0]));
        }

        long lines;
        try
        {
            using var reader = new StreamReader(path);
            lines = Sources.Follow(reader, stages[0]);
        }
        finally
        {
            // Follow closed the first stage; close the rest front to back. Closing the sink publishes the close,
            // which makes the printer on the other silo say goodbye.
            foreach (var stage in stages)
            {
                stage.Close();
            }
        }

        return Task.FromResult((silo.SiloAddress, lines));
    }
}

public sealed class PrinterGrain(ILocalSiloDetails silo, PrinterOutput output) : Grain, IPrinterGrain
{
    private CoroutineStreamSubscription? _subscription;

    public async Task<SiloAddress> StartAsync()
    {
        var stream = this.GetStreamProvider(ClusterCommand.StreamProvider)
            .GetStream<CoroutineMessage<string>>(ClusterCommand.StreamNamespace, this.GetPrimaryKeyString());
        _subscription = await OrleansStreams.SubscribeAsync(stream, Stages.Printer(output.Writer));
        return silo.SiloAddress;
    }

    public Task<long> WaitAsync() =>
        _subscription?.Completion ?? Task.FromException<long>(new InvalidOperationException("The printer was not started."));
}
