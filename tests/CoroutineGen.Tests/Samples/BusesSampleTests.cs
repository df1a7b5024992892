using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CoroutineGen.Samples.Buses;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// samples/Buses, driven through <see cref="BusesCommand.Run"/> (and once as the real program): every run is compared
/// with the sample's Python programs (samples/Buses/python, Beazley's buses.py and buses2.py over xml.sax) on the
/// same file, and the dictionaries built from every bus are compared with the Python stages' one by one.
/// </summary>
public sealed class BusesSampleTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>samples/Buses/python, copied next to the test assembly by the sample's project.</summary>
    private static readonly string PythonDirectory = Path.Combine(AppContext.BaseDirectory, "python");

    private readonly List<string> _files = new();

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string TempFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coroutinegen-buses-{Guid.NewGuid():N}.xml");
        _files.Add(path);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static string Py(object value) => JsonSerializer.Serialize(value);

    private static (int Code, IReadOnlyList<string> Out, IReadOnlyList<string> Err) Run(params string[] args)
    {
        var stdout = new LineCollector();
        var stderr = new LineCollector();
        var code = BusesCommand.Run(args, stdout, stderr);
        return (code, stdout.Lines, stderr.Lines);
    }

    /// <summary>Runs samples/Buses/python/<paramref name="program"/> as <c>python3 program args...</c> would.</summary>
    private static IReadOnlyList<string> PythonProgram(string program, params string[] args)
    {
        var path = Path.Combine(PythonDirectory, program);
        return PythonTwin.Run($"""
            import runpy, sys
            sys.path.insert(0, {Py(PythonDirectory)})
            sys.argv = {Py(new[] { path }.Concat(args).ToArray())}
            runpy.run_path({Py(path)}, run_name="__main__")
            """);
    }

    // ------------------------------------------------------------------ the bundled feed

    [Fact]
    public void The_bundled_feed_is_what_make_buses_xml_writes()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "make_buses_xml.py");
        var output = Path.Combine(Path.GetTempPath(), $"coroutinegen-buses-{Guid.NewGuid():N}.xml");
        _files.Add(output);

        PythonTwin.Run($"""
            import runpy, sys
            sys.argv = [{Py(script)}, {Py(output)}]
            runpy.run_path({Py(script)}, run_name="__main__")
            """);

        // Line breaks compared as \n: a checkout may have turned them into \r\n, which XML parsers read as \n anyway.
        var bundled = File.ReadAllText(BusesCommand.BundledFeed).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(bundled == File.ReadAllText(output), "buses.xml differs from what make_buses_xml.py writes: run it again");
        Assert.InRange(bundled.Length, 100_000, 300_000);
    }

    // ------------------------------------------------------------------ the program, against buses.py and buses2.py

    [Fact]
    public void Default_run_prints_the_route_22_buses_going_north_as_buses_py_does()
    {
        var (code, output, errors) = Run();

        Assert.Equal(BusesCommand.Success, code);
        Assert.Empty(errors);
        Assert.InRange(output.Count, 10, 40);
        Assert.All(output, line => Assert.Matches("""^22,\d+,"North Bound",4[12]\.\d+,-87\.\d+$""", line));
        PythonTwin.AssertSame(PythonProgram("buses.py"), output);
    }

    [Fact]
    public void Collect_text_prints_the_same_buses_as_buses2_py()
    {
        var (code, output, errors) = Run("--collect-text");

        Assert.Equal(BusesCommand.Success, code);
        Assert.Empty(errors);
        PythonTwin.AssertSame(PythonProgram("buses2.py"), output);
        Assert.Equal(Run().Out, output);
    }

    [Theory]
    [InlineData("66", "West Bound")]
    [InlineData("9", "South Bound")]
    [InlineData("147", "North Bound")]
    [InlineData("22", "East Bound")] // route 22 runs north and south: nothing
    [InlineData("999", "North Bound")] // no such route: nothing
    public void Other_routes_and_directions_match_buses_py_and_buses2_py(string route, string direction)
    {
        var plain = Run("--route", route, "--direction", direction);
        var collected = Run("--collect-text", "--route", route, "--direction", direction, BusesCommand.BundledFeed);

        Assert.Equal(BusesCommand.Success, plain.Code);
        Assert.Equal(BusesCommand.Success, collected.Code);
        Assert.All(plain.Out, line => Assert.StartsWith($"{route},", line, StringComparison.Ordinal));
        PythonTwin.AssertSame(PythonProgram("buses.py", BusesCommand.BundledFeed, route, direction), plain.Out);
        PythonTwin.AssertSame(PythonProgram("buses2.py", BusesCommand.BundledFeed, route, direction), collected.Out);
    }

    [Fact]
    public void A_small_feed_with_a_CDATA_stop_and_an_extra_element_prints_exactly_the_two_matching_buses()
    {
        var path = TempFile("""
            <?xml version="1.0"?>
            <buses>
              <bus>
                <id>501</id><route>22</route><direction>North Bound</direction>
                <latitude>41.5</latitude><longitude>-87.5</longitude>
                <finalStop><![CDATA[Clark & Howard]]></finalStop>
              </bus>
              <bus>
                <id>502</id><route>22</route><direction>South Bound</direction>
                <latitude>41.6</latitude><longitude>-87.6</longitude>
              </bus>
              <bus>
                <id>503</id><route>36</route><direction>North Bound</direction>
                <latitude>41.7</latitude><longitude>-87.7</longitude>
              </bus>
              <bus>
                <id>504</id><route>22</route><direction>North Bound</direction>
                <latitude>41.8</latitude><longitude>-87.8</longitude>
                <delayed>true</delayed>
              </bus>
            </buses>
            """);

        foreach (var (args, program) in new[] { (new[] { path }, "buses.py"), (new[] { "--collect-text", path }, "buses2.py") })
        {
            var (code, output, errors) = Run(args);

            Assert.Equal(BusesCommand.Success, code);
            Assert.Empty(errors);
            Assert.Equal(["22,501,\"North Bound\",41.5,-87.5", "22,504,\"North Bound\",41.8,-87.8"], output);
            PythonTwin.AssertSame(PythonProgram(program, path), output);
        }
    }

    // ------------------------------------------------------------------ every bus, dictionary by dictionary

    /// <summary>A bus as one line: <c>key=value|key=value...</c> in dictionary order, with <c>\</c>, <c>|</c> and line breaks escaped.</summary>
    private static string Show(IReadOnlyDictionary<string, string> bus) =>
        string.Join("|", bus.Select(field => field.Key + "=" + Escape(field.Value)));

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace("|", "\\|").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");

    private const string PythonShow = """
        def escape(text):
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")

        @coroutine
        def show():
            while True:
                bus = (yield)
                print("|".join(k + "=" + escape(v) for k, v in bus.items()))

        """;

    private static List<string> CSharpDicts(string path, bool collectText)
    {
        var lines = new List<string>();
        using var show = Sinks.Create<IReadOnlyDictionary<string, string>>(bus => lines.Add(Show(bus)));
        using ICoroutine<XmlEvent> toDicts = collectText ? BusStages.BusesToDictsOfWholeText(show) : BusStages.BusesToDicts(show);
        Sources.FromXml(path, collectText ? BusStages.TextCollector(toDicts) : toDicts);
        return lines;
    }

    private static IReadOnlyList<string> PythonDicts(string path, bool collectText) => PythonTwin.Run($"""
        import sys, xml.sax
        sys.path.insert(0, {Py(PythonDirectory)})
        import buses, buses2
        from cosax import EventHandler
        {PythonShow}
        path = {Py(path)}
        if {(collectText ? "True" : "False")}:
            xml.sax.parse(path, EventHandler(buses2.text_collector(buses2.buses_to_dicts(show()))))
        else:
            xml.sax.parse(path, EventHandler(buses.buses_to_dicts(show())))
        """);

    [Fact]
    public void BusesToDicts_builds_every_bus_as_buses_to_dicts_does()
    {
        var dicts = CSharpDicts(BusesCommand.BundledFeed, collectText: false);

        Assert.Equal(560, dicts.Count);
        Assert.StartsWith("id=", dicts[0], StringComparison.Ordinal);
        Assert.Contains(dicts, bus => bus.Contains("|finalStop=Clark & Howard|", StringComparison.Ordinal)); // CDATA unwrapped
        PythonTwin.AssertSame(PythonDicts(BusesCommand.BundledFeed, collectText: false), dicts);
    }

    [Fact]
    public void TextCollector_then_BusesToDictsOfWholeText_builds_every_bus_as_buses2_py_does()
    {
        var dicts = CSharpDicts(BusesCommand.BundledFeed, collectText: true);

        PythonTwin.AssertSame(PythonDicts(BusesCommand.BundledFeed, collectText: true), dicts);
        Assert.Equal(CSharpDicts(BusesCommand.BundledFeed, collectText: false), dicts);
    }

    [Fact]
    public void Text_split_by_references_line_breaks_and_CDATA_is_joined_the_same_way_by_both_pipelines_and_by_Python()
    {
        // Both Python's SAX and XmlReader split this text, in different places; every pipeline joins it whole.
        // <empty/> shows where buses2.py's idea differs: it keeps the last text seen, here the indentation before it.
        var path = TempFile(
            "<buses>\n  <bus>\n    <id>7</id>\n    <finalStop>Harrison &amp; Clark<![CDATA[ & Polk]]> &#x2192;\r\n terminal</finalStop>\n" +
            "    <empty/>\n  </bus>\n</buses>\n");

        foreach (var collectText in new[] { false, true })
        {
            var dicts = CSharpDicts(path, collectText);

            var expected = "id=7|finalStop=Harrison & Clark & Polk \u2192\\n terminal|empty=" + (collectText ? "\\n    " : "");
            Assert.Equal([expected], dicts);
            PythonTwin.AssertSame(PythonDicts(path, collectText), dicts);
        }
    }

    // ------------------------------------------------------------------ errors and usage

    [Fact]
    public void A_missing_file_is_one_line_on_stderr_and_exit_code_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coroutinegen-missing-{Guid.NewGuid():N}.xml");

        var (code, output, errors) = Run(path);

        Assert.Equal(BusesCommand.Failure, code);
        Assert.Equal([$"Buses: no such file: {path}"], errors);
        Assert.Empty(output);
    }

    [Fact]
    public void A_malformed_feed_prints_the_buses_before_the_error_then_the_error_and_exits_with_1()
    {
        var path = TempFile(
            "<buses><bus><id>1</id><route>22</route><direction>North Bound</direction><latitude>1</latitude><longitude>2</longitude></bus>" +
            "<bus><id>2</oops></bus></buses>");

        var (code, output, errors) = Run(path);

        Assert.Equal(BusesCommand.Failure, code);
        Assert.Equal(["22,1,\"North Bound\",1,2"], output);
        Assert.Single(errors);
        Assert.StartsWith($"Buses: {path} is not well-formed XML: ", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_bus_without_a_printed_field_is_reported_with_its_id_and_exit_code_1()
    {
        var path = TempFile("<buses><bus><id>9</id><route>22</route><direction>North Bound</direction><latitude>1</latitude></bus></buses>");

        var (code, output, errors) = Run(path);

        Assert.Equal(BusesCommand.Failure, code);
        Assert.Empty(output);
        Assert.Equal([$"Buses: {path}: a <bus> has no <longitude> element (bus 9)"], errors);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "Buses: unknown option --bogus")]
    [InlineData(new[] { "--route" }, "Buses: --route needs a value")]
    [InlineData(new[] { "--collect-text", "--direction" }, "Buses: --direction needs a value")]
    [InlineData(new[] { "a.xml", "b.xml" }, "Buses: one FILE at most (got a.xml and b.xml)")]
    public void Bad_usage_prints_the_reason_and_the_usage_line_and_exits_with_2(string[] args, string reason)
    {
        var (code, output, errors) = Run(args);

        Assert.Equal(BusesCommand.BadUsage, code);
        Assert.Equal([reason, BusesCommand.Usage], errors);
        Assert.Empty(output);
    }

    [Fact]
    public void Help_goes_to_stdout_and_exits_with_0()
    {
        var (code, output, errors) = Run("--help");

        Assert.Equal(BusesCommand.Success, code);
        Assert.Equal(BusesCommand.Usage, output[0]);
        Assert.Contains(output, line => line.TrimStart().StartsWith("--collect-text", StringComparison.Ordinal));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_real_program_prints_what_buses_py_prints()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(typeof(BusesCommand).Assembly.Location);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"samples/Buses did not finish within {Patience.TotalSeconds} s");
        }

        Assert.Equal(BusesCommand.Success, process.ExitCode);
        Assert.Equal("", await error);
        var lines = (await output).Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        PythonTwin.AssertSame(PythonProgram("buses.py"), lines);
    }
}
