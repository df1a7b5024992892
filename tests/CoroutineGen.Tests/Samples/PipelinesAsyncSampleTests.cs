using System.Net;
using System.Net.Sockets;
using CoroutineGen.Samples.Pipelines;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// samples/Pipelines with <c>--async</c>: the same pipeline built from async templates (AsyncStages) and driven by the
/// async sources must print exactly what the synchronous one prints (and so what CPython's does), follow a growing file,
/// and with <c>--tcp</c> deliver every line to a real TCP server on 127.0.0.1.
/// </summary>
public sealed partial class PipelinesSampleTests
{
    [Theory]
    [InlineData(new object[] { new string[0] })]
    [InlineData(new object[] { new[] { "--grep", "Python" } })]
    [InlineData(new object[] { new[] { "--grep", "i", "--grep", "n" } })]
    public void Async_mode_prints_what_the_synchronous_pipeline_and_CPython_print(string[] grep)
    {
        var synchronous = Run(grep);
        var asynchronous = Run([.. grep, "--async"]);

        Assert.Equal(PipelineCommand.Success, asynchronous.Code);
        Assert.Empty(asynchronous.Err);
        Assert.Equal(synchronous.Out, asynchronous.Out);
        var patterns = grep.Where((_, i) => i % 2 == 1).ToArray();
        PythonTwin.AssertSame(Python($"run({Py(PipelineCommand.BundledLog)}, {Py(patterns)})"), asynchronous.Out);
    }

    [Fact]
    public void Async_mode_cancelled_before_the_end_closes_every_stage_and_exits_with_130()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var (code, output, errors) = Run(cancelled.Token, "--async", "--grep", "a", "--grep", "b");

        Assert.Equal(PipelineCommand.Interrupted, code);
        Assert.Equal([Goodbye], output);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Async_follow_sends_each_appended_line_until_cancelled_then_says_goodbye()
    {
        var path = TempFile(SeedLines);
        using var stop = new CancellationTokenSource();
        var stdout = new LineCollector();
        var stderr = new LineCollector();
        var run = StartRun(["--async", "--follow", "--grep", "python", path], stdout, stderr, stop.Token);

        using (var writer = OpenWriter(path))
        {
            foreach (var line in CourseLines)
            {
                Append(writer, line + "\n");
            }
        }

        stdout.WaitUntil(lines => lines.Contains(CourseLines[5]), Patience, "L6");
        stop.Cancel();
        var code = await run.WaitAsync(Patience);

        Assert.Equal(PipelineCommand.Success, code);
        Assert.Equal([CourseLines[0], CourseLines[5], Goodbye], stdout.Lines);
        Assert.Empty(stderr.Lines);
    }

    [Fact]
    public async Task Async_tcp_mode_delivers_every_matching_line_and_the_goodbye_to_a_server_on_127_0_0_1()
    {
        var path = TempFile(CourseLines);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var reader = new StreamReader(client.GetStream());
            var lines = new List<string>();
            while (await reader.ReadLineAsync() is { } line)
            {
                lines.Add(line);
            }

            return lines; // the sender closed the connection
        });

        var (code, output, errors) = Run("--async", "--tcp", $"127.0.0.1:{port}", "--grep", "python", path);

        Assert.Equal(PipelineCommand.Success, code);
        Assert.Empty(errors);
        Assert.Empty(output); // everything went to the socket
        Assert.Equal([CourseLines[0], CourseLines[5], Goodbye], await received.WaitAsync(Patience));
    }

    [Fact]
    public void Async_tcp_mode_with_no_server_is_one_line_on_stderr_and_exit_code_1()
    {
        // A port that was free a moment ago: nothing listens there now.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (code, output, errors) = Run("--async", "--tcp", $"127.0.0.1:{port}");

        Assert.Equal(PipelineCommand.Failure, code);
        Assert.Empty(output);
        var error = Assert.Single(errors);
        Assert.StartsWith($"Pipelines: cannot send to 127.0.0.1:{port}: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--tcp", "127.0.0.1:9000" }, "Pipelines: --tcp needs --async (the TCP sink is an async stage)")]
    [InlineData(new[] { "--async", "--tcp" }, "Pipelines: --tcp needs HOST:PORT (e.g. 127.0.0.1:9000)")]
    [InlineData(new[] { "--async", "--tcp", "localhost" }, "Pipelines: --tcp needs HOST:PORT (e.g. 127.0.0.1:9000)")]
    [InlineData(new[] { "--async", "--tcp", "localhost:0" }, "Pipelines: --tcp needs HOST:PORT (e.g. 127.0.0.1:9000)")]
    public void Bad_async_usage_prints_the_reason_and_the_usage_line_and_exits_with_2(string[] args, string reason)
    {
        var (code, output, errors) = Run(args);

        Assert.Equal(PipelineCommand.BadUsage, code);
        Assert.Equal([reason, PipelineCommand.Usage], errors);
        Assert.Empty(output);
    }
}
