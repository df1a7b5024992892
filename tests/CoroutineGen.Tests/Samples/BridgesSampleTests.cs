using System.Diagnostics;
using System.Text;
using CoroutineGen.Samples.Bridges;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// samples/Bridges, run as the real program (<c>dotnet Bridges.dll DEMO</c>; coprocess starts the same program again
/// as its child, whose output goes to the same stdout): each deterministic demo is compared line by line with its
/// Python original in samples/Bridges/python, run by python3, and with the answer worked out from the log itself.
/// </summary>
public sealed class BridgesSampleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>The demos whose output does not depend on timing: they run the same stages, so they print the same.</summary>
    public static TheoryData<string> DeterministicDemos => new(["pipeline", "cothread", "coprocess"]);

    /// <summary>
    /// What the stages must print, worked out from data/access-log without them: <c>host,"path"</c> of each GET
    /// request that got a 404, in order.
    /// </summary>
    private static List<string> ExpectedRequests()
    {
        var expected = new List<string>();
        foreach (var line in File.ReadLines(Demos.AccessLog))
        {
            var request = line.Split('"')[1].Split(' '); // GET /path HTTP/1.1
            var status = line.Split('"')[2].Trim().Split(' ')[0];
            if (request[0] == "GET" && status == "404")
            {
                expected.Add($"{line.Split(' ')[0]},\"{request[1]}\"");
            }
        }

        return expected;
    }

    [Fact]
    public void The_log_has_GET_requests_that_got_a_404_and_others()
    {
        var lines = File.ReadAllLines(Demos.AccessLog);
        var expected = ExpectedRequests();

        Assert.Equal(120, lines.Length);
        Assert.Equal(24, expected.Count);
        Assert.Equal("10.0.0.3,\"/swig/swig-1.3.28rc2.tar.gz\"", expected[0]);
    }

    [Theory]
    [MemberData(nameof(DeterministicDemos))]
    public void Each_demo_prints_the_404_GET_requests_like_its_Python_original(string demo)
    {
        var (code, output, errors) = RunProgram(demo);

        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.Equal(ExpectedRequests(), output);
        PythonTwin.AssertSame(PythonTwin.RunFile(PythonOriginal(demo)), output);
    }

    [Fact]
    public void Without_an_argument_every_demo_runs_after_its_header()
    {
        var (code, output, errors) = RunProgram();

        Assert.Equal(0, code);
        var expected = ExpectedRequests();
        var cocrash = output.ToList().IndexOf(Demos.Header("cocrash"));
        Assert.Equal(
            [
                Demos.Header("pipeline"), .. expected,
                Demos.Header("cothread"), .. expected,
                Demos.Header("coprocess"), .. expected,
                Demos.Header("cocrash"),
            ],
            output.Take(cocrash + 1));
        AssertCocrashOutput(output.Skip(cocrash + 1).ToList(), errors);
    }

    [Fact]
    public void Cocrash_prints_its_two_lines_until_the_threads_collide_then_reports_the_collision_and_ends()
    {
        var (code, output, errors) = RunProgram("cocrash");

        Assert.Equal(0, code);
        AssertCocrashOutput(output, errors);
    }

    [Fact]
    public void The_Python_cocrash_prints_only_its_two_lines_too()
    {
        var output = PythonTwin.RunFile(PythonOriginal("cocrash")); // exits 0 even when a thread dies, like the C#

        Assert.NotEmpty(output);
        Assert.All(output, line => Assert.True(line is "foo is nice" or "bar is bad", $"unexpected line '{line}'"));
    }

    /// <summary>
    /// When the worker threads collide (nearly always), one bridge reports "coroutine is already running" on stderr
    /// and fewer than all lines are printed; on a run where they never collide (the course: "it may occasionally
    /// work"), every line is printed and stderr is empty.
    /// </summary>
    private static void AssertCocrashOutput(IReadOnlyList<string> output, IReadOnlyList<string> errors)
    {
        Assert.All(output, line => Assert.True(line is "foo is nice" or "bar is bad", $"unexpected line '{line}'"));
        if (errors.Count == 0)
        {
            Assert.Equal(2 * Demos.CocrashRounds, output.Count);
            return;
        }

        var report = Assert.Single(errors);
        Assert.StartsWith("cocrash: The target of a threaded coroutine failed on the worker thread while receiving value #", report, StringComparison.Ordinal);
        Assert.EndsWith("The target threw InvalidOperationException: coroutine is already running", report, StringComparison.Ordinal);
        Assert.True(output.Count < 2 * Demos.CocrashRounds, $"all {output.Count} lines were printed although a worker failed");
    }

    [Theory]
    [InlineData(new[] { "cobroadcast" }, "Bridges: no demo called cobroadcast")]
    [InlineData(new[] { "pipeline", "cothread" }, "Bridges: one DEMO at most")]
    public void A_bad_argument_prints_the_reason_and_the_usage_line_and_exits_with_2(string[] args, string reason)
    {
        var (code, output, errors) = RunProgram(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(2, errors.Count);
        Assert.Equal(reason, errors[0]);
        Assert.StartsWith("usage: Bridges [DEMO]", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_child_reads_JSON_lines_and_prints_the_404_GET_requests()
    {
        var input = new StringBuilder();
        input.Append("{\"Host\":\"10.0.0.1\",\"Time\":\"t\",\"Method\":\"GET\",\"Path\":\"/missing\",\"Status\":404,\"Bytes\":133}\n");
        input.Append("{\"Host\":\"10.0.0.2\",\"Time\":\"t\",\"Method\":\"POST\",\"Path\":\"/missing\",\"Status\":404,\"Bytes\":133}\n");
        input.Append("{\"Host\":\"10.0.0.3\",\"Time\":\"t\",\"Method\":\"GET\",\"Path\":\"/found\",\"Status\":200,\"Bytes\":1}\n");

        var (code, output, errors) = RunProgramWithInput(input.ToString(), Demos.ChildArgument);

        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.Equal(["10.0.0.1,\"/missing\""], output);
    }

    [Fact]
    public void A_child_that_gets_a_value_it_cannot_read_crashes_and_the_parents_next_Send_reports_its_stderr()
    {
        // The C# child reads LogEntry objects; a JSON string on line 1 makes its FromJsonLines throw, unhandled.
        var bridge = Sinks.ToChildProcess<string>(Demos.ChildStartInfo());
        var deadline = DateTime.UtcNow + Patience;
        ChildProcessException? crash = null;
        while (crash is null && DateTime.UtcNow < deadline)
        {
            try
            {
                bridge.Send("not a log entry");
            }
            catch (ChildProcessException e)
            {
                crash = e;
            }
        }

        Assert.NotNull(crash);
        Assert.NotEqual(0, crash.ExitCode);
        Assert.StartsWith(
            "Unhandled exception. System.Text.Json.JsonException: Line 1 of the JSON Lines input is not a valid LogEntry: ",
            crash.StandardError,
            StringComparison.Ordinal);
        Assert.Contains("while the bridge was sending to it", crash.Message, StringComparison.Ordinal);
        Assert.Contains("\nIts standard error:\n  Unhandled exception. System.Text.Json.JsonException: Line 1", crash.Message, StringComparison.Ordinal);
    }

    /// <summary>samples/Bridges/python/DEMO.py, copied next to the test assembly by the sample's project.</summary>
    private static string PythonOriginal(string demo) => Path.Combine(AppContext.BaseDirectory, "python", demo + ".py");

    private static (int Code, IReadOnlyList<string> Out, IReadOnlyList<string> Err) RunProgram(params string[] args) =>
        RunProgramWithInput(null, args);

    /// <summary>Runs the sample program with <paramref name="args"/> (and <paramref name="input"/> on stdin).</summary>
    private static (int Code, IReadOnlyList<string> Out, IReadOnlyList<string> Err) RunProgramWithInput(string? input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(typeof(Demos).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"samples/Bridges {string.Join(' ', args)} did not finish within {Patience.TotalSeconds} s");
        }

        process.WaitForExit();
        return (process.ExitCode, Lines(output.Result), Lines(error.Result));
    }

    private static List<string> Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
