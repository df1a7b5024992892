using System.Text;
using System.Text.Json;

namespace CoroutineGen.Tests.Bridges;

/// <summary>
/// The JSON Lines framing of the process bridge, in memory: <see cref="Sinks.ToJsonLines{T}"/> writes one compact
/// JSON value per line and flushes it, <see cref="Sources.FromJsonLines{T}"/> reads them back and closes its target.
/// </summary>
public sealed class JsonLinesTests
{
    public sealed record Entry(string Host, int Status, string? Note);

    private static readonly Entry[] Entries =
    [
        new("10.0.0.1", 200, null),
        new("10.0.0.2", 404, "two\nlines and a \"quote\""),
        new("h\u00f4te", 500, "\u00e9 \u2713 \U0001F600"),
    ];

    /// <summary>A writer that records its text, how often it was flushed, and whether it was disposed.</summary>
    private sealed class RecordingWriter : StringWriter
    {
        public int Flushes { get; private set; }

        public bool Disposed { get; private set; }

        public override void Flush()
        {
            Flushes++;
            base.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    [Fact]
    public void Values_written_as_JSON_lines_read_back_equal_and_the_reader_closes_its_target()
    {
        var writer = new StringWriter();
        var sink = Sinks.ToJsonLines<Entry>(writer, leaveOpen: true);
        foreach (var entry in Entries)
        {
            sink.Send(entry);
        }

        sink.Close();
        var received = new List<Entry>();
        bool closed = false;

        long count = Sources.FromJsonLines(new StringReader(writer.ToString()), Sinks.Create<Entry>(received.Add, () => closed = true));

        Assert.Equal(3, count);
        Assert.Equal(Entries, received);
        Assert.True(closed);
        Assert.Equal(
            "{\"Host\":\"10.0.0.1\",\"Status\":200,\"Note\":null}\n" +
            "{\"Host\":\"10.0.0.2\",\"Status\":404,\"Note\":\"two\\nlines and a \\u0022quote\\u0022\"}\n" +
            "{\"Host\":\"h\\u00F4te\",\"Status\":500,\"Note\":\"\\u00E9 \\u2713 \\uD83D\\uDE00\"}\n",
            writer.ToString());
    }

    [Fact]
    public void Each_value_is_one_line_flushed_as_soon_as_it_is_sent()
    {
        var writer = new RecordingWriter();
        var sink = Sinks.ToJsonLines<int>(writer);

        sink.Send(1);
        Assert.Equal("1\n", writer.ToString());
        Assert.Equal(1, writer.Flushes);
        sink.Send(22);
        Assert.Equal("1\n22\n", writer.ToString());
        Assert.Equal(2, writer.Flushes);
        Assert.False(writer.Disposed);
    }

    [Fact]
    public void Close_disposes_the_writer_unless_leaveOpen()
    {
        var owned = new RecordingWriter();
        var kept = new RecordingWriter();

        Sinks.ToJsonLines<int>(owned).Close();
        Sinks.ToJsonLines<int>(kept, leaveOpen: true).Close();

        Assert.True(owned.Disposed);
        Assert.False(kept.Disposed);
    }

    [Fact]
    public void Throw_is_not_handled_and_the_writer_is_disposed_all_the_same()
    {
        var writer = new RecordingWriter();
        var sink = Sinks.ToJsonLines<int>(writer);
        sink.Send(1);
        var hosed = new TimeoutException("You're hosed");

        Assert.Same(hosed, Assert.Throws<TimeoutException>(() => sink.Throw(hosed)));

        Assert.True(writer.Disposed);
        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.Equal("1\n", writer.ToString());
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    [Fact]
    public void A_value_the_serializer_cannot_write_finishes_the_sink_and_releases_the_writer()
    {
        var writer = new RecordingWriter();
        var sink = Sinks.ToJsonLines<Node>(writer);
        var loop = new Node();
        loop.Next = loop;

        Assert.Throws<JsonException>(() => sink.Send(loop)); // a cycle

        Assert.Equal(CoroutineState.Closed, sink.State);
        Assert.True(writer.Disposed);
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void Both_sides_use_the_options_they_are_given()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var writer = new StringWriter();
        var sink = Sinks.ToJsonLines<Entry>(writer, web);
        sink.Send(Entries[0]);
        sink.Close();
        var received = new List<Entry>();

        Sources.FromJsonLines(new StringReader(writer.ToString()), Sinks.Create<Entry>(received.Add), web);

        Assert.Equal("{\"host\":\"10.0.0.1\",\"status\":200,\"note\":null}\n", writer.ToString());
        Assert.Equal([Entries[0]], received);
    }

    [Fact]
    public void Indented_JSON_is_refused_since_a_value_must_fit_on_one_line()
    {
        var indented = new JsonSerializerOptions { WriteIndented = true };

        var error = Assert.Throws<ArgumentException>(() => Sinks.ToJsonLines<int>(new StringWriter(), indented));

        Assert.Equal("options", error.ParamName);
        Assert.StartsWith("JSON Lines needs one value per line: use JsonSerializerOptions with WriteIndented = false.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"Host\":\"a\",\"Status\":1}\n{\"Host\":\"b\",\"Status\":\"two\"}\n{\"Host\":\"c\",\"Status\":3}\n", "Line 2 of the JSON Lines input is not a valid Entry: ")]
    [InlineData("{\"Host\":\"a\",\"Status\":1}\n\n", "Line 2 of the JSON Lines input is not a valid Entry: ")]
    [InlineData("{\"Host\":\"a\",\"Status\":1}\r\n{\"Host\":", "Line 2 of the JSON Lines input is not a valid Entry: ")]
    public void A_line_that_is_not_a_value_stops_the_source_with_its_line_number_after_closing_the_target(string input, string message)
    {
        var received = new List<Entry>();
        bool closed = false;

        var error = Assert.Throws<JsonException>(() =>
            Sources.FromJsonLines(new StringReader(input), Sinks.Create<Entry>(received.Add, () => closed = true)));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.LineNumber); // zero-based, like JsonException's own
        Assert.IsType<JsonException>(error.InnerException);
        Assert.Equal([new Entry("a", 1, null)], received);
        Assert.True(closed);
    }

    [Fact]
    public void A_target_that_finishes_stops_the_reading_quietly()
    {
        var input = new StringReader("1\n2\n3\n4\n");
        var seen = new List<int>();

        long count = Sources.FromJsonLines(input, ThreadedTests.TakeTwo(seen));

        Assert.Equal(2, count);
        Assert.Equal([1, 2], seen);
        Assert.Equal("3", input.ReadLine()); // nothing more was read
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Sinks.ToJsonLines<int>(null!));
        Assert.Throws<ArgumentNullException>(() => Sources.FromJsonLines(null!, Sinks.Null<int>()));
        Assert.Throws<ArgumentNullException>(() => Sources.FromJsonLines<int>(new StringReader(""), null!));
    }

    [Fact]
    public void The_JSON_is_UTF8_safe_ASCII_by_default_so_any_reader_encoding_works()
    {
        var writer = new StringWriter();
        var sink = Sinks.ToJsonLines<Entry>(writer);
        sink.Send(Entries[2]);

        Assert.All(writer.ToString(), c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4} in {writer}"));
        Assert.Equal(Encoding.ASCII.GetByteCount(writer.ToString()), Encoding.UTF8.GetByteCount(writer.ToString()));
    }
}
