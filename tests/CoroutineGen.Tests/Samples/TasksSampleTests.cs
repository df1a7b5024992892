using System.Diagnostics;
using System.Text;
using CoroutineGen.Samples.Tasks;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// samples/Tasks, run as the real program (<c>dotnet Tasks.dll DEMO</c>: the demos print to the console, as
/// Beazley's print), each demo compared line by line with its Python original in samples/Tasks/python, run by
/// python3, and with the transcript the course gives for it.
/// </summary>
public sealed class TasksSampleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static TheoryData<string> DemoNames => new(Demos.Names);

    /// <summary>What each of Beazley's programs prints, as the course shows it.</summary>
    public static TheoryData<string, string[]> CourseTranscripts => new()
    {
        { "pyos1", ["Running foo()", "Part 1", "Resuming foo()", "Part 2"] },
        {
            "pyos3",
            [
                .. Repeat(5, "I'm foo", "I'm bar"),
                "I'm foo", "Task 2 terminated",
                .. Repeat(4, "I'm foo"),
                "Task 1 terminated",
            ]
        },
        {
            "pyos4",
            [
                .. Repeat(5, "I'm foo 1", "I'm bar 2"),
                "Task 1 terminated",
                .. Repeat(5, "I'm bar 2"),
                "Task 2 terminated",
            ]
        },
        { "pyos5", [.. Repeat(5, "I'm foo 2"), "Task 2 terminated", "main done", "Task 1 terminated"] },
        {
            "pyos6",
            [
                "I'm foo", "Waiting for child",
                .. Repeat(4, "I'm foo"),
                "Task 2 terminated", "Child done", "Task 1 terminated",
            ]
        },
        { "trampoline", ["4"] },
    };

    [Theory]
    [MemberData(nameof(DemoNames))]
    public void Each_demo_prints_what_its_Python_original_prints(string demo)
    {
        var (code, output, errors) = RunProgram(demo);

        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.NotEmpty(output);
        PythonTwin.AssertSame(PythonTwin.RunFile(PythonOriginal(demo)), output);
    }

    [Theory]
    [MemberData(nameof(CourseTranscripts))]
    public void The_course_demos_print_the_course_transcripts(string demo, string[] transcript)
    {
        var (code, output, errors) = RunProgram(demo);

        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.Equal(transcript, output);
    }

    [Fact]
    public void Without_an_argument_every_demo_runs_after_its_header_each_as_its_Python_original()
    {
        var (code, output, errors) = RunProgram();

        Assert.Equal(0, code);
        Assert.Empty(errors);
        var expected = Demos.Names.SelectMany(demo => PythonTwin.RunFile(PythonOriginal(demo)).Prepend(Demos.Header(demo))).ToList();
        PythonTwin.AssertSame(expected, output);
    }

    [Theory]
    [InlineData(new[] { "pyos2" }, "Tasks: no demo called pyos2")]
    [InlineData(new[] { "pyos1", "pyos3" }, "Tasks: one DEMO at most")]
    public void A_bad_argument_prints_the_reason_and_the_usage_line_and_exits_with_2(string[] args, string reason)
    {
        var (code, output, errors) = RunProgram(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(2, errors.Count);
        Assert.Equal(reason, errors[0]);
        Assert.StartsWith("usage: Tasks [DEMO]", errors[1], StringComparison.Ordinal);
    }

    private static IEnumerable<string> Repeat(int times, params string[] lines) =>
        Enumerable.Repeat(lines, times).SelectMany(group => group);

    /// <summary>samples/Tasks/python/DEMO.py, copied next to the test assembly by the sample's project.</summary>
    private static string PythonOriginal(string demo) => Path.Combine(AppContext.BaseDirectory, "python", demo + ".py");

    /// <summary>Runs the sample program with <paramref name="args"/> and returns its exit code and output lines.</summary>
    private static (int Code, IReadOnlyList<string> Out, IReadOnlyList<string> Err) RunProgram(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
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
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"samples/Tasks {string.Join(' ', args)} did not finish within {Patience.TotalSeconds} s");
        }

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
