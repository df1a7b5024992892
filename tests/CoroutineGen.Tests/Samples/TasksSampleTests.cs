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
        var (code, output, errors) = TasksProgram.Run(demo);

        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.NotEmpty(output);
        PythonTwin.AssertSame(PythonTwin.RunFile(PythonOriginal(demo)), output);
    }

    [Theory]
    [MemberData(nameof(CourseTranscripts))]
    public void The_course_demos_print_the_course_transcripts(string demo, string[] transcript)
    {
        var (code, output, errors) = TasksProgram.Run(demo);

        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.Equal(transcript, output);
    }

    [Fact]
    public void Without_an_argument_every_demo_runs_after_its_header_each_as_its_Python_original()
    {
        var (code, output, errors) = TasksProgram.Run();

        Assert.Equal(0, code);
        Assert.Empty(errors);
        var expected = Demos.Names.SelectMany(demo => PythonTwin.RunFile(PythonOriginal(demo)).Prepend(Demos.Header(demo))).ToList();
        PythonTwin.AssertSame(expected, output);
    }

    [Theory]
    [InlineData(new[] { "pyos2" }, "Tasks: no demo or server called pyos2")]
    [InlineData(new[] { "pyos1", "pyos3" }, "Tasks: a DEMO takes no options")]
    [InlineData(new[] { "echo", "--port", "0" }, "Tasks: no server called echo")]
    [InlineData(new[] { "echogood2", "--port", "x" }, "Tasks: --port needs a port number from 0 to 65535 (0: any free port), not x")]
    [InlineData(new[] { "echogood2", "--port", "65536" }, "Tasks: --port needs a port number from 0 to 65535 (0: any free port), not 65536")]
    [InlineData(new[] { "echoserver", "--port", "-1" }, "Tasks: --port needs a port number from 0 to 65535 (0: any free port), not -1")]
    [InlineData(new[] { "echoserver2", "--connections", "0" }, "Tasks: --connections needs a number of connections from 1 up, not 0")]
    [InlineData(new[] { "echobad", "--port" }, "Tasks: --port needs a value")]
    [InlineData(new[] { "echogood2", "--verbose" }, "Tasks: unknown option --verbose")]
    public void A_bad_argument_prints_the_reason_and_the_usage_and_exits_with_2(string[] args, string reason)
    {
        var (code, output, errors) = TasksProgram.Run(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal([reason, .. Program.Usage.Split('\n')], errors);
    }

    [Fact]
    public void Help_prints_the_usage_which_names_every_demo_and_server()
    {
        var (code, output, errors) = TasksProgram.Run("--help");

        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.Equal(Program.Usage.Split('\n'), output);
        Assert.All(Demos.Names.Concat(Servers.Names), name => Assert.Contains(name, Program.Usage, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Repeat(int times, params string[] lines) =>
        Enumerable.Repeat(lines, times).SelectMany(group => group);

    /// <summary>samples/Tasks/python/DEMO.py, copied next to the test assembly by the sample's project.</summary>
    private static string PythonOriginal(string demo) => Path.Combine(AppContext.BaseDirectory, "python", demo + ".py");
}
