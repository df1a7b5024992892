using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CoroutineGen.Samples.Pipelines;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// samples/Pipelines, driven through <see cref="PipelineCommand.Run"/>: the seed pipeline's output, options, errors
/// and the tail -f mode, each run also compared with the same pipeline built from Beazley's Python coroutines.
/// </summary>
public sealed partial class PipelinesSampleTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The seed's three lines: the bundled access-log, exactly.</summary>
    private static readonly string[] SeedLines =
    [
        "It is summer day",
        "I am studying Coroutine in Python",
        "Hi, ladies and gentlemen",
    ];

    /// <summary>The course's pipeline fixture (Beazley's course, Part 2), lines L1 to L6.</summary>
    private static readonly string[] CourseLines =
    [
        "1.2.3.4 - - [24/Feb/2008:00:08:59 -0600] \"GET /python/python.html HTTP/1.1\" 404 133",
        "1.2.3.4 - - [24/Feb/2008:00:09:00 -0600] \"GET /ply/PLYTalk.pdf HTTP/1.1\" 200 79526",
        "1.2.3.4 - - [24/Feb/2008:00:09:01 -0600] \"GET /cgi-bin/wiki.pl?DeveloperInfo/SwigInPython HTTP/1.1\" 200 1704",
        "1.2.3.4 - - [24/Feb/2008:00:09:02 -0600] \"GET /swig/swig-1.3.28rc2.tar.gz HTTP/1.1\" 200 3972567",
        "1.2.3.4 - - [24/Feb/2008:00:09:03 -0600] \"GET /favicon.ico HTTP/1.1\" 404 133",
        "1.2.3.4 - - [24/Feb/2008:00:09:04 -0600] \"GET /python/ply/index.html HTTP/1.1\" 200 1000",
    ];

    private const string Goodbye = "Going away. Goodbye";

    /// <summary>
    /// Beazley's printer and grep (the seed's printer says goodbye), the sample's way of building and closing the
    /// pipeline, and two sources: reading a file to its end, and his follow with a stop condition.
    /// </summary>
    private const string PythonPipeline = """
        import threading, time

        @coroutine
        def printer():
            try:
                while True:
                    line = (yield)
                    print(line)
            except GeneratorExit:
                print("Going away. Goodbye")

        @coroutine
        def grep(pattern, target):
            while True:
                line = (yield)
                if pattern in line:
                    target.send(line)

        def pipeline(patterns):
            stages = [printer()]
            for pattern in reversed(patterns):
                stages.insert(0, grep(pattern, stages[0]))
            return stages

        def read_to_end(thefile, target):
            for line in thefile:
                target.send(line.rstrip("\n"))
            target.close()

        def follow(thefile, target, stopped):
            # cofollow.py's follow, starting at the top of the file as the sample does (the course seeks to the end
            # first), and stopping once `stopped` is set and everything written has been read (the sample: Ctrl+C).
            while True:
                line = thefile.readline()
                if not line:
                    if stopped.is_set():
                        break
                    time.sleep(0.1)
                    continue
                target.send(line.rstrip("\n"))
            target.close()

        def run(path, patterns):
            stages = pipeline(patterns)
            with open(path, encoding="utf-8") as f:
                read_to_end(f, stages[0])
            for stage in stages:
                stage.close()

        def run_follow(path, patterns, appended):
            stages = pipeline(patterns)
            stopped = threading.Event()
            def writer():
                for line in appended:
                    time.sleep(0.02)
                    with open(path, "a", encoding="utf-8") as w:
                        w.write(line + "\n")
                stopped.set()
            with open(path, encoding="utf-8") as f:
                appender = threading.Thread(target=writer)
                appender.start()
                follow(f, stages[0], stopped)
                appender.join()
            for stage in stages:
                stage.close()

        """;

    private readonly List<string> _files = new();

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string TempFile(IEnumerable<string> lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coroutinegen-pipelines-{Guid.NewGuid():N}.log");
        _files.Add(path);
        File.WriteAllText(path, string.Concat(lines.Select(line => line + "\n")), new UTF8Encoding(false));
        return path;
    }

    private static (int Code, IReadOnlyList<string> Out, IReadOnlyList<string> Err) Run(params string[] args) =>
        Run(CancellationToken.None, args);

    private static (int Code, IReadOnlyList<string> Out, IReadOnlyList<string> Err) Run(CancellationToken token, params string[] args)
    {
        var stdout = new LineCollector();
        var stderr = new LineCollector();
        var code = PipelineCommand.Run(args, stdout, stderr, token);
        return (code, stdout.Lines, stderr.Lines);
    }

    /// <summary>A value as a Python literal (JSON strings and lists of strings are valid Python).</summary>
    private static string Py(object value) => JsonSerializer.Serialize(value);

    private static IReadOnlyList<string> Python(string call) => PythonTwin.Run(PythonPipeline + call + "\n");

    [Fact]
    public void The_bundled_access_log_holds_exactly_the_seeds_three_lines()
    {
        Assert.Equal(string.Concat(SeedLines.Select(line => line + "\n")), File.ReadAllText(PipelineCommand.BundledLog));
    }

    [Fact]
    public void Default_run_prints_the_bundled_log_then_goodbye_and_matches_CPython()
    {
        var (code, output, errors) = Run();

        Assert.Equal(PipelineCommand.Success, code);
        Assert.Equal([.. SeedLines, Goodbye], output);
        Assert.Empty(errors);
        PythonTwin.AssertSame(Python($"run({Py(PipelineCommand.BundledLog)}, [])"), output);
    }

    [Theory]
    [InlineData(new[] { "Python" }, new[] { "I am studying Coroutine in Python" })]
    [InlineData(new[] { "python" }, new string[0])] // case-sensitive, like Python's `in`
    [InlineData(new[] { "a" }, new[] { "It is summer day", "I am studying Coroutine in Python", "Hi, ladies and gentlemen" })]
    [InlineData(new[] { "" }, new[] { "It is summer day", "I am studying Coroutine in Python", "Hi, ladies and gentlemen" })]
    [InlineData(new[] { "i", "n" }, new[] { "I am studying Coroutine in Python", "Hi, ladies and gentlemen" })] // chained
    public void Grep_passes_the_lines_containing_every_pattern_and_matches_CPython(string[] patterns, string[] expected)
    {
        var args = patterns.SelectMany(pattern => new[] { "--grep", pattern }).ToArray();

        var (code, output, errors) = Run(args);

        Assert.Equal(PipelineCommand.Success, code);
        Assert.Equal([.. expected, Goodbye], output);
        Assert.Empty(errors);
        PythonTwin.AssertSame(Python($"run({Py(PipelineCommand.BundledLog)}, {Py(patterns)})"), output);
    }

    [Fact]
    public void A_file_argument_replaces_the_bundled_log()
    {
        var path = TempFile(CourseLines);

        var (code, output, errors) = Run(path);

        Assert.Equal(PipelineCommand.Success, code);
        Assert.Equal([.. CourseLines, Goodbye], output);
        Assert.Empty(errors);
        PythonTwin.AssertSame(Python($"run({Py(path)}, [])"), output);
    }

    [Fact]
    public void Grep_python_over_the_course_fixture_prints_L1_and_L6_like_copipe()
    {
        var path = TempFile(CourseLines);

        var (code, output, errors) = Run("--grep", "python", path);

        Assert.Equal(PipelineCommand.Success, code);
        Assert.Equal([CourseLines[0], CourseLines[5], Goodbye], output);
        Assert.Empty(errors);
        PythonTwin.AssertSame(Python($"run({Py(path)}, [\"python\"])"), output);
    }

    [Fact]
    public void A_file_named_like_an_option_is_read_after_the_double_dash()
    {
        var path = TempFile(SeedLines);
        var dashed = Path.Combine(Path.GetDirectoryName(path)!, "-" + Path.GetFileName(path));
        File.Move(path, dashed);
        _files.Add(dashed);

        var (code, output, _) = Run("--", dashed);

        Assert.Equal(PipelineCommand.Success, code);
        Assert.Equal([.. SeedLines, Goodbye], output);
    }

    [Fact]
    public void A_missing_file_is_one_line_on_stderr_and_exit_code_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coroutinegen-missing-{Guid.NewGuid():N}.log");

        var (code, output, errors) = Run(path);

        Assert.Equal(PipelineCommand.Failure, code);
        Assert.Equal([$"Pipelines: no such file: {path}"], errors);
        Assert.Empty(output); // no pipeline was built, so no goodbye either
    }

    [Fact]
    public void A_directory_is_one_line_on_stderr_and_exit_code_1()
    {
        var directory = Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar);

        var (code, output, errors) = Run(directory);

        Assert.Equal(PipelineCommand.Failure, code);
        Assert.Equal([$"Pipelines: is a directory: {directory}"], errors);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "Pipelines: unknown option --bogus")]
    [InlineData(new[] { "-f" }, "Pipelines: unknown option -f")]
    [InlineData(new[] { "--grep" }, "Pipelines: --grep needs a PATTERN")]
    [InlineData(new[] { "--follow", "--grep" }, "Pipelines: --grep needs a PATTERN")]
    [InlineData(new[] { "a.log", "b.log" }, "Pipelines: one FILE at most (got a.log and b.log)")]
    public void Bad_usage_prints_the_reason_and_the_usage_line_and_exits_with_2(string[] args, string reason)
    {
        var (code, output, errors) = Run(args);

        Assert.Equal(PipelineCommand.BadUsage, code);
        Assert.Equal([reason, PipelineCommand.Usage], errors);
        Assert.Empty(output);
    }

    [Fact]
    public void Help_goes_to_stdout_and_exits_with_0()
    {
        var (code, output, errors) = Run("--help");

        Assert.Equal(PipelineCommand.Success, code);
        Assert.Equal(PipelineCommand.Usage, output[0]);
        Assert.Contains(output, line => line.TrimStart().StartsWith("--follow", StringComparison.Ordinal));
        Assert.Empty(errors);
    }

    [Fact]
    public void Cancelled_before_the_end_of_the_file_closes_every_stage_and_exits_with_130()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var (code, output, errors) = Run(cancelled.Token, "--grep", "a", "--grep", "b");

        Assert.Equal(PipelineCommand.Interrupted, code);
        Assert.Equal([Goodbye], output);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Follow_sends_the_lines_in_the_file_then_each_appended_line_until_cancelled_then_says_goodbye()
    {
        var path = TempFile(SeedLines);
        using var stop = new CancellationTokenSource();
        var stdout = new LineCollector();
        var stderr = new LineCollector();
        var run = StartRun(["--follow", path], stdout, stderr, stop.Token);

        stdout.WaitUntil(lines => lines.Count == 3, Patience, "the three lines already in the file");
        using (var writer = OpenWriter(path))
        {
            Append(writer, "appended 1\n");
            stdout.WaitUntil(lines => lines.Count == 4, Patience, "the first appended line");
            Append(writer, "appended 2\nappended 3\n");
            stdout.WaitUntil(lines => lines.Count == 6, Patience, "the other two appended lines");
            Append(writer, "half a line"); // no newline yet: tail -f waits for the rest, and cancellation drops it
        }

        stop.Cancel();
        var code = await run.WaitAsync(Patience); // TimeoutException if Run does not return after cancellation
        Assert.Equal(PipelineCommand.Success, code);
        Assert.Equal([.. SeedLines, "appended 1", "appended 2", "appended 3", Goodbye], stdout.Lines);
        Assert.Empty(stderr.Lines);
    }

    [Fact]
    public async Task Follow_with_grep_matches_CPython_following_the_same_appends()
    {
        var path = TempFile(SeedLines);
        using var stop = new CancellationTokenSource();
        var stdout = new LineCollector();
        var stderr = new LineCollector();
        var run = StartRun(["--follow", "--grep", "python", path], stdout, stderr, stop.Token);

        using (var writer = OpenWriter(path))
        {
            foreach (var line in CourseLines)
            {
                Append(writer, line + "\n");
            }
        }

        // L6 is the last line appended and it matches: once it is printed, every line has been through grep.
        stdout.WaitUntil(lines => lines.Contains(CourseLines[5]), Patience, "L6");
        stop.Cancel();
        var code = await run.WaitAsync(Patience);

        Assert.Equal(PipelineCommand.Success, code);
        Assert.Equal([CourseLines[0], CourseLines[5], Goodbye], stdout.Lines);
        Assert.Empty(stderr.Lines);
        var twinFile = TempFile(SeedLines);
        PythonTwin.AssertSame(Python($"run_follow({Py(twinFile)}, [\"python\"], {Py(CourseLines)})"), stdout.Lines);
    }

    /// <summary>
    /// The real program: SIGINT (what Ctrl+C sends) reaches Console.CancelKeyPress, the source stops, the pipeline is
    /// closed, the printer says goodbye and the exit code is 0. Needs a POSIX system (kill -INT).
    /// </summary>
    [Fact]
    public void Ctrl_C_stops_the_real_program_following_a_file_and_the_printer_says_goodbye()
    {
        var path = TempFile(SeedLines);
        var program = typeof(PipelineCommand).Assembly.Location;

        // Started through python3, which resets SIGINT to its default first: a process started in the background
        // by a non-interactive shell (as CI runners do) inherits SIGINT as ignored, and .NET keeps it ignored.
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[]
                 {
                     "-c",
                     "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])",
                     "dotnet", program, "--follow", "--grep", "a", path,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = new LineCollector();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                stdout.WriteLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            stdout.WaitUntil(lines => lines.Count == 3, Patience, "the three lines already in the file");
            using (var writer = OpenWriter(path))
            {
                Append(writer, "appended after start\n");
            }

            stdout.WaitUntil(lines => lines.Count == 4, Patience, "the appended line");
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
                Assert.Equal(0, kill.ExitCode);
            }

            Assert.True(process.WaitForExit(Patience), "the program did not exit after SIGINT");
            process.WaitForExit(); // drains the redirected output
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        Assert.Equal("", stderr.ToString());
        Assert.Equal(PipelineCommand.Success, process.ExitCode);
        Assert.Equal([.. SeedLines, "appended after start", Goodbye], stdout.Lines);
    }

    private static Task<int> StartRun(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken token) =>
        Task.Factory.StartNew(
            () => PipelineCommand.Run(args, stdout, stderr, token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static FileStream OpenWriter(string path) => new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);

    private static void Append(FileStream writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write(bytes, 0, bytes.Length);
        writer.Flush();
    }
}
