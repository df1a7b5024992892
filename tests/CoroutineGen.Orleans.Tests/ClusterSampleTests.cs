using CoroutineGen.Samples.Cluster;
using CoroutineGen.Samples.Pipelines;

namespace CoroutineGen.Orleans.Tests;

/// <summary>
/// samples/Cluster (two silos in one process, the pipeline split between them) prints what samples/Pipelines (one
/// process) prints for the same arguments.
/// </summary>
public sealed class ClusterSampleTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("coroutinegen-cluster-sample-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_split_pipeline_prints_the_bundled_log_as_the_single_process_one_does()
    {
        var (single, split) = await RunBothAsync([]);

        Assert.Equal(
            "It is summer day\nI am studying Coroutine in Python\nHi, ladies and gentlemen\nGoing away. Goodbye\n",
            single);
        Assert.Equal(single, split);
    }

    [Fact]
    public async Task The_split_pipeline_greps_a_longer_file_as_the_single_process_one_does()
    {
        var file = Path.Combine(_directory, "log");
        File.WriteAllLines(file, Enumerable.Range(0, 500).Select(i => $"{i} GET /{(i % 3 == 0 ? "python" : "ruby")}/page{i % 7}.html"));

        var (single, split) = await RunBothAsync(["--grep", "python", "--grep", "page1", file]);

        Assert.Equal(25, single.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // 24 lines and the goodbye
        Assert.Equal(single, split);
    }

    [Fact]
    public async Task Bad_usage_and_a_missing_file_end_before_any_silo_starts()
    {
        var stderr = new StringWriter();
        Assert.Equal(ClusterCommand.BadUsage, await ClusterCommand.RunAsync(["--bogus"], TextWriter.Null, stderr));
        Assert.Equal(ClusterCommand.Failure, await ClusterCommand.RunAsync([Path.Combine(_directory, "missing")], TextWriter.Null, stderr));
        Assert.Contains("unknown option --bogus", stderr.ToString());
        Assert.Contains("no such file", stderr.ToString());
    }

    private async Task<(string Single, string Split)> RunBothAsync(string[] args)
    {
        var single = new StringWriter();
        Assert.Equal(PipelineCommand.Success, PipelineCommand.Run(args, single, TextWriter.Null, CancellationToken.None));

        var split = new StringWriter();
        var stderr = new StringWriter();
        var code = await ClusterCommand.RunAsync(args, split, stderr);
        log.WriteLine(stderr.ToString());
        Assert.True(code == ClusterCommand.Success, $"samples/Cluster exited with {code}:\n{stderr}");
        Assert.Matches(@"^Cluster: read \d+ line\(s\) on silo S\S+, printed \d+ on silo S\S+\r?\n$", stderr.ToString());
        return (single.ToString().ReplaceLineEndings("\n"), split.ToString().ReplaceLineEndings("\n"));
    }
}
