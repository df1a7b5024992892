using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace CoroutineGen.Tests.Bridges;

/// <summary>
/// <see cref="Sinks.ToChildProcess{T}"/> with python3 children (python3 is on every machine the tests run on: it is
/// their oracle). The children read JSON Lines from stdin, which also shows that the wire format is not .NET's
/// own; the C# child (<see cref="Sources.FromJsonLines{T}"/> in a real process) is samples/Bridges, tested in
/// Samples/BridgesSampleTests.
/// </summary>
public sealed class ChildProcessTests : IDisposable
{
    public sealed record Entry(string Host, int Status, string? Note);

    /// <summary>Writes each value it reads to the file named by its argument, then "end of input".</summary>
    private const string EchoToFile = """
        import json, sys
        with open(sys.argv[1], "w", encoding="utf-8") as out:
            for line in sys.stdin:
                value = json.loads(line)
                out.write(json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n")
                out.flush()
            out.write("end of input\n")
        """;

    private readonly List<string> _files = new();

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string TempFile(string extension, string? content = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coroutinegen-child-{Guid.NewGuid():N}{extension}");
        _files.Add(path);
        if (content is not null)
        {
            File.WriteAllText(path, content, new UTF8Encoding(false));
        }

        return path;
    }

    /// <summary>How to start python3 on <paramref name="script"/> with <paramref name="arguments"/>.</summary>
    private ProcessStartInfo Python(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { ArgumentList = { "-X", "utf8", TempFile(".py", script) } };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Sends increasing numbers until the bridge throws; fails the test if it never does.</summary>
    private static Exception SendUntilItFails(ICoroutine<int> bridge)
    {
        var deadline = DateTime.UtcNow + Gate.Patience;
        for (int i = 1; DateTime.UtcNow < deadline; i++)
        {
            try
            {
                bridge.Send(i);
            }
            catch (Exception e)
            {
                return e;
            }
        }

        throw new Xunit.Sdk.XunitException($"the bridge accepted values for {Gate.Patience.TotalSeconds} s after the child died");
    }

    [Fact]
    public void Values_reach_the_child_in_order_and_Close_waits_until_it_has_handled_the_end_of_its_input()
    {
        var output = TempFile(".txt");
        var bridge = Sinks.ToChildProcess<Entry>(Python(EchoToFile, output));

        bridge.Send(new Entry("10.0.0.1", 200, null));
        bridge.Send(new Entry("10.0.0.2", 404, "two\nlines"));
        bridge.Send(new Entry("h\u00f4te", 500, "\u00e9 \u2713 \U0001F600"));
        bridge.Close();

        Assert.Equal(
            [
                "{\"Host\": \"10.0.0.1\", \"Note\": null, \"Status\": 200}",
                "{\"Host\": \"10.0.0.2\", \"Note\": \"two\\nlines\", \"Status\": 404}",
                "{\"Host\": \"h\u00f4te\", \"Note\": \"\u00e9 \u2713 \U0001F600\", \"Status\": 500}",
                "end of input",
            ],
            File.ReadAllLines(output, Encoding.UTF8));
        Assert.Equal(CoroutineState.Closed, bridge.State);
    }

    [Fact]
    public void A_child_that_crashes_mid_stream_makes_the_next_Send_throw_with_its_exit_code_and_stderr()
    {
        var bridge = Sinks.ToChildProcess<int>(Python("""
            import sys
            for n, line in enumerate(sys.stdin, 1):
                if n == 2:
                    raise ValueError(f"the child gives up at line {n}")
            """));

        var error = Assert.IsType<ChildProcessException>(SendUntilItFails(bridge));

        Assert.Equal(1, error.ExitCode);
        Assert.StartsWith("Traceback (most recent call last):", error.StandardError, StringComparison.Ordinal);
        Assert.EndsWith("ValueError: the child gives up at line 2", error.StandardError, StringComparison.Ordinal);
        Assert.Matches(
            @"^The child process 'python3 -X utf8 \S+\.py' \(process id \d+\) exited with code 1 while the bridge was sending to it\. " +
            @"\d+ values had been written to its input \(it may not have read them all\); value #\d+, passed to this Send, was not delivered\.\n" +
            @"Its standard error:\n  Traceback \(most recent call last\):\n(  .*\n)*  ValueError: the child gives up at line 2$",
            error.Message);
        Assert.Equal(CoroutineState.Closed, bridge.State);
        bridge.Close(); // already reported: nothing more
        Assert.Throws<StopIterationException>(() => bridge.Send(0));
    }

    [Fact]
    public void A_child_that_exits_with_a_non_zero_code_at_the_end_of_its_input_makes_Close_throw()
    {
        var bridge = Sinks.ToChildProcess<int>(Python("""
            import sys
            count = sum(1 for _ in sys.stdin)
            print(f"child: read {count} values, and fails at the end", file=sys.stderr)
            sys.exit(4)
            """));
        bridge.Send(1);
        bridge.Send(2);
        bridge.Send(3);

        var error = Assert.Throws<ChildProcessException>(bridge.Close);

        Assert.Equal(4, error.ExitCode);
        Assert.Equal("child: read 3 values, and fails at the end", error.StandardError);
        Assert.Null(error.InnerException);
        Assert.Matches(
            @"^The child process 'python3 -X utf8 \S+\.py' \(process id \d+\) exited with code 4 after the bridge closed its input " +
            @"\(3 values written\)\.\nIts standard error:\n  child: read 3 values, and fails at the end$",
            error.Message);
        Assert.Equal(CoroutineState.Closed, bridge.State);
    }

    [Fact]
    public void A_child_that_wrote_nothing_to_stderr_says_so()
    {
        var bridge = Sinks.ToChildProcess<int>(Python("import sys\nsys.stdin.read()\nsys.exit(9)\n"));

        var error = Assert.Throws<ChildProcessException>(bridge.Close);

        Assert.Equal(9, error.ExitCode);
        Assert.Equal("", error.StandardError);
        Assert.EndsWith("(0 values written).\nIt wrote nothing to its standard error.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_standard_error_keeps_its_first_10_and_last_30_lines()
    {
        var bridge = Sinks.ToChildProcess<int>(Python("""
            import sys
            sys.stdin.read()
            for n in range(1, 101):
                print(f"line {n}", file=sys.stderr)
            sys.exit(3)
            """));

        var error = Assert.Throws<ChildProcessException>(bridge.Close);

        Assert.Equal(
            [
                .. Enumerable.Range(1, 10).Select(n => $"line {n}"),
                "... (60 lines left out) ...",
                .. Enumerable.Range(71, 30).Select(n => $"line {n}"),
            ],
            error.StandardError.Split('\n'));
        Assert.EndsWith("Its standard error:\n  line 1\n  line 2\n  line 3\n  line 4\n  line 5\n  line 6\n  line 7\n  line 8\n  line 9\n  " +
            "line 10\n  ... (60 lines left out) ...\n  line 71\n" + string.Join("\n", Enumerable.Range(72, 29).Select(n => $"  line {n}")),
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_child_that_exits_with_code_0_before_its_input_ends_finishes_the_bridge_and_a_source_stops_quietly()
    {
        var bridge = Sinks.ToChildProcess<int>(Python("import sys\nsys.stdin.readline()\n"));

        long sent = Sources.FromEnumerable(Enumerable.Range(1, 100_000_000), bridge);

        Assert.True(sent < 100_000_000);
        Assert.Equal(CoroutineState.Closed, bridge.State);
    }

    [Fact]
    public void Throw_is_not_sent_to_the_child_which_sees_the_end_of_its_input_and_is_waited_for()
    {
        var output = TempFile(".txt");
        var bridge = Sinks.ToChildProcess<int>(Python(EchoToFile, output));
        bridge.Send(1);
        bridge.Send(2);
        var hosed = new TimeoutException("You're hosed");

        Assert.Same(hosed, Assert.Throws<TimeoutException>(() => bridge.Throw(hosed)));

        Assert.Equal(["1", "2", "end of input"], File.ReadAllLines(output));
        Assert.Equal(CoroutineState.Closed, bridge.State);
    }

    [Fact]
    public void Throw_when_the_child_then_fails_throws_both()
    {
        var bridge = Sinks.ToChildProcess<int>(Python("import sys\nsys.stdin.read()\nsys.exit(2)\n"));
        var hosed = new TimeoutException("You're hosed");

        var both = Assert.Throws<AggregateException>(() => bridge.Throw(hosed));

        Assert.Same(hosed, both.InnerExceptions[0]);
        Assert.Equal(2, Assert.IsType<ChildProcessException>(both.InnerExceptions[1]).ExitCode);
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    [Fact]
    public void A_value_that_cannot_be_serialized_finishes_the_bridge_and_ends_the_child_normally()
    {
        var output = TempFile(".txt");
        var bridge = Sinks.ToChildProcess<Node>(Python(EchoToFile, output));
        bridge.Send(new Node());
        var loop = new Node();
        loop.Next = loop;

        Assert.Throws<JsonException>(() => bridge.Send(loop));

        Assert.Equal(CoroutineState.Closed, bridge.State);
        Assert.Equal(["{\"Next\": null}", "end of input"], File.ReadAllLines(output)); // the child was ended and waited for
    }

    [Fact]
    public void Dispose_closes_the_childs_input_and_waits_for_it()
    {
        var output = TempFile(".txt");
        using (var bridge = Sinks.ToChildProcess<string>(Python(EchoToFile, output)))
        {
            bridge.Send("only");
        }

        Assert.Equal(["\"only\"", "end of input"], File.ReadAllLines(output));
    }

    [Fact]
    public void The_bridge_redirects_stdin_and_stderr_and_leaves_stdout_alone()
    {
        var start = Python("import sys\nsys.stdin.read()\n");

        Sinks.ToChildProcess<int>(start).Close();

        Assert.True(start.RedirectStandardInput);
        Assert.True(start.RedirectStandardError);
        Assert.False(start.RedirectStandardOutput);
    }

    [Fact]
    public void Bad_arguments_are_rejected_before_anything_starts()
    {
        Assert.Throws<ArgumentNullException>(() => Sinks.ToChildProcess<int>(null!));

        var shell = Assert.Throws<ArgumentException>(() => Sinks.ToChildProcess<int>(new ProcessStartInfo("python3") { UseShellExecute = true }));
        Assert.Contains("UseShellExecute = false", shell.Message, StringComparison.Ordinal);

        var stdout = Assert.Throws<ArgumentException>(() => Sinks.ToChildProcess<int>(new ProcessStartInfo("python3") { RedirectStandardOutput = true }));
        Assert.StartsWith("A child process bridge does not read the child's standard output", stdout.Message, StringComparison.Ordinal);

        var indented = Assert.Throws<ArgumentException>(() =>
            Sinks.ToChildProcess<int>(new ProcessStartInfo("python3"), new JsonSerializerOptions { WriteIndented = true }));
        Assert.Equal("options", indented.ParamName);
    }

    [Fact]
    public void A_program_that_does_not_exist_cannot_be_started()
    {
        var missing = $"coroutinegen-no-such-program-{Guid.NewGuid():N}";

        var error = Assert.Throws<Win32Exception>(() => Sinks.ToChildProcess<int>(new ProcessStartInfo(missing)));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
