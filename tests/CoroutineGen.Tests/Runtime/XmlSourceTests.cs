using System.Text;
using System.Xml;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Runtime;

/// <summary>
/// Sources.FromXml: the events it sends, compared with what Python's xml.sax reports to a ContentHandler (Beazley's
/// cosax.py), and the source rules (closing, errors, early stop, ownership).
/// </summary>
public sealed class XmlSourceTests : IDisposable
{
    private readonly List<string> _files = new();

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// The Python side: a ContentHandler that forwards its callbacks into a coroutine as cosax.py's EventHandler
    /// does, and a printer that writes each event as <see cref="XmlEvent.ToString"/> does. <c>coalesce</c> joins
    /// adjacent text events first, since SAX and XmlReader split text in different places.
    /// </summary>
    private const string PythonSax = """
        import xml.sax

        class EventHandler(xml.sax.ContentHandler):
            def __init__(self, target):
                self.target = target
            def startElement(self, name, attrs):
                self.target.send(("start", (name, dict(attrs.items()))))
            def characters(self, text):
                self.target.send(("text", text))
            def endElement(self, name):
                self.target.send(("end", name))

        def escape(text):
            return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")

        def show(event, value):
            if event == "start":
                name, attrs = value
                return "Start " + name + "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
            if event == "text":
                return 'Text "' + escape(value) + '"'
            return "End " + value

        @coroutine
        def printer():
            while True:
                event, value = (yield)
                print(show(event, value))

        @coroutine
        def text_collector(target):
            # buses2.py's idea: join consecutive text events, then pass the next event on.
            chunks = []
            try:
                while True:
                    event, value = (yield)
                    if event == "text":
                        chunks.append(value)
                        continue
                    if chunks:
                        target.send(("text", "".join(chunks)))
                        chunks = []
                    target.send((event, value))
            except GeneratorExit:
                if chunks:
                    target.send(("text", "".join(chunks)))

        def parse(path, coalesce):
            target = printer()
            if coalesce:
                target = text_collector(target)
            xml.sax.parse(path, EventHandler(target))
            target.close()

        """;

    /// <summary>What the Python side prints for <paramref name="xml"/>, written to a UTF-8 file for it to parse.</summary>
    private IReadOnlyList<string> Python(string xml, bool coalesce)
    {
        var path = TempFile(Encoding.UTF8.GetBytes(xml));
        return PythonTwin.Run(PythonSax + $"parse({System.Text.Json.JsonSerializer.Serialize(path)}, {(coalesce ? "True" : "False")})\n");
    }

    private static List<string> Events(string xml)
    {
        var events = new List<string>();
        Sources.FromXml(new StringReader(xml), Sinks.Create<XmlEvent>(e => events.Add(e.ToString())));
        return events;
    }

    /// <summary>Adjacent text events joined into one, as the Python side's text_collector does.</summary>
    private static List<string> Coalesced(string xml)
    {
        var events = new List<string>();
        var text = new StringBuilder();
        void Flush()
        {
            if (text.Length > 0)
            {
                events.Add(XmlEvent.CreateText(text.ToString()).ToString());
                text.Clear();
            }
        }

        Sources.FromXml(new StringReader(xml), Sinks.Create<XmlEvent>(
            e =>
            {
                if (e.Kind == XmlEventKind.Text)
                {
                    text.Append(e.Text);
                    return;
                }

                Flush();
                events.Add(e.ToString());
            },
            Flush));
        return events;
    }

    private string TempFile(byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coroutinegen-xml-{Guid.NewGuid():N}.xml");
        _files.Add(path);
        File.WriteAllBytes(path, content);
        return path;
    }

    // ------------------------------------------------------------------ the events, against xml.sax

    [Fact]
    public void Start_text_and_end_events_match_xml_sax_event_for_event()
    {
        // No line break and no reference inside text, where SAX would split it: so the events are the same one for one.
        const string Xml = """<?xml version="1.0"?><r a="1" b="two words" xmlns:p="urn:p"><x>hi there</x><e/><p:y p:z="2">Z</p:y><c><![CDATA[<not a tag> & more]]></c></r>""";

        var events = Events(Xml);

        Assert.Equal(
            [
                "Start r a=\"1\" b=\"two words\" xmlns:p=\"urn:p\"",
                "Start x", "Text \"hi there\"", "End x",
                "Start e", "End e",
                "Start p:y p:z=\"2\"", "Text \"Z\"", "End p:y",
                "Start c", "Text \"<not a tag> & more\"", "End c",
                "End r",
            ],
            events);
        PythonTwin.AssertSame(Python(Xml, coalesce: false), events);
    }

    [Fact]
    public void With_adjacent_text_joined_a_messy_document_matches_xml_sax()
    {
        const string Xml =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- a comment -->\n<?pi data?>\n" +
            "<buses>\r\n  <bus>\n    <id>1</id>\n    <name>Clark &amp; Howard &#x2192; &lt;north&gt;</name>\n" +
            "    <finalStop>before <![CDATA[Kedzie & \"Lake\"]]> after</finalStop>\n    <empty></empty><self/>\n" +
            "    <note>two\nlines\twith tab</note>  <!-- inside --> <?inside pi?>\n  </bus>\n\u00e9t\u00e9 \U0001F68C</buses>\n\n";

        var events = Coalesced(Xml);

        PythonTwin.AssertSame(Python(Xml, coalesce: true), events);
        Assert.Contains("Text \"Clark & Howard \u2192 <north>\"", events);
        Assert.Contains("Text \"before Kedzie & \\\"Lake\\\" after\"", events);
        Assert.Contains("Text \"two\\nlines\\twith tab\"", events);
    }

    [Fact]
    public void Whitespace_only_text_between_elements_is_sent_as_SAX_sends_it()
    {
        var events = Events("<a>\n  <b>x</b>\n</a>");

        Assert.Equal(["Start a", "Text \"\\n  \"", "Start b", "Text \"x\"", "End b", "Text \"\\n\"", "End a"], events);
    }

    [Fact]
    public void Whitespace_outside_the_root_element_comments_and_processing_instructions_are_not_sent()
    {
        var events = Events("<?xml version=\"1.0\"?>\n\n<!-- c --><?pi x?>\n<a><!-- c --><?pi y?></a>\n  \n");

        Assert.Equal(["Start a", "End a"], events);
    }

    [Fact]
    public void Line_breaks_are_normalised_to_newlines()
    {
        var events = Events("<a>one\r\ntwo\rthree</a>");

        Assert.Equal(["Start a", "Text \"one\\ntwo\\nthree\"", "End a"], events);
    }

    // ------------------------------------------------------------------ source rules

    [Fact]
    public void Returns_the_number_of_events_and_closes_the_target()
    {
        var probe = new ProbeStage<XmlEvent>();

        long count = Sources.FromXml(new StringReader("<a>x<b/></a>"), probe);

        Assert.Equal(5, count);
        Assert.Equal(["send Start a", "send Text \"x\"", "send Start b", "send End b", "send End a", "close"], probe.Log);
    }

    [Fact]
    public void A_malformed_document_sends_the_events_before_the_error_then_closes_the_target_and_throws_XmlException()
    {
        var probe = new ProbeStage<XmlEvent>();

        var error = Assert.Throws<XmlException>(() => Sources.FromXml(new StringReader("<a><b>x</c></a>"), probe));

        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["send Start a", "send Start b", "send Text \"x\"", "close"], probe.Log);
    }

    [Fact]
    public void A_document_type_declaration_is_refused_and_the_target_closed()
    {
        var probe = new ProbeStage<XmlEvent>();
        const string Bomb = "<!DOCTYPE a [<!ENTITY e \"eeeeeeeeee\"><!ENTITY f \"&e;&e;&e;&e;&e;\">]><a>&f;</a>";

        Assert.Throws<XmlException>(() => Sources.FromXml(new StringReader(Bomb), probe));

        Assert.Equal(["close"], probe.Log);
    }

    [Fact]
    public void A_reader_with_its_own_settings_can_accept_a_document_type_declaration_and_skip_whitespace()
    {
        const string Xml = "<!DOCTYPE a [<!ENTITY who \"world\">]>\n<a>\n  <b>hello &who;</b>\n</a>";
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(new StringReader(Xml), settings);
        var events = new List<string>();

        Sources.FromXml(reader, Sinks.Create<XmlEvent>(e => events.Add(e.ToString())));

        Assert.Equal(["Start a", "Start b", "Text \"hello world\"", "End b", "End a"], events);
    }

    [Fact]
    public void A_reader_already_positioned_on_an_element_is_read_from_that_element()
    {
        using var reader = XmlReader.Create(new StringReader("<?xml version=\"1.0\"?><a k=\"v\"><b/></a>"));
        reader.MoveToContent();
        reader.MoveToAttribute("k");
        var events = new List<string>();

        long count = Sources.FromXml(reader, Sinks.Create<XmlEvent>(e => events.Add(e.ToString())));

        Assert.Equal(4, count);
        Assert.Equal(["Start a k=\"v\"", "Start b", "End b", "End a"], events);
        Assert.Equal(ReadState.EndOfFile, reader.ReadState);
    }

    [Fact]
    public void Stops_parsing_when_the_target_finishes()
    {
        // The document is broken after the second event: the error is never reached.
        var take2 = SourcesTests.TakeStage<XmlEvent>(2);

        long count = Sources.FromXml(new StringReader("<a><b>text</oops>"), take2);

        Assert.Equal(2, count);
        Assert.Equal(["send Start a", "send Start b"], take2.Log);
        Assert.Equal(CoroutineState.Closed, take2.State);
    }

    [Fact]
    public void A_target_error_propagates_unchanged()
    {
        var boom = new FormatException("bad event");
        var probe = new ProbeStage<XmlEvent> { OnSendHook = (_, e) => { if (e.Kind == XmlEventKind.Text) throw boom; } };

        Assert.Same(boom, Assert.Throws<FormatException>(() => Sources.FromXml(new StringReader("<a>x</a>"), probe)));
        Assert.Equal(["send Start a", "send Text \"x\""], probe.Log);
        Assert.Equal(CoroutineState.Closed, probe.State);
    }

    [Fact]
    public void The_stream_overload_detects_the_encoding_and_leaves_the_stream_open()
    {
        var utf16 = new MemoryStream(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("<a>\u00e9\u20ac</a>")).ToArray());
        var latin1 = new MemoryStream(Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\u00e9</a>"));
        var events = new List<string>();
        var sink = Sinks.Create<XmlEvent>(e => events.Add(e.ToString()));

        Sources.FromXml(utf16, Sinks.Create<XmlEvent>(e => events.Add(e.ToString())));
        Sources.FromXml(latin1, sink);

        Assert.Equal(["Start a", "Text \"\u00e9\u20ac\"", "End a", "Start a", "Text \"caf\u00e9\"", "End a"], events);
        Assert.True(utf16.CanRead && latin1.CanRead, "the caller's streams must not be disposed");
    }

    [Fact]
    public void The_text_reader_overload_leaves_the_reader_open()
    {
        var reader = new StringReader("<a/>");

        Sources.FromXml(reader, Sinks.Null<XmlEvent>());

        Assert.Equal(-1, reader.Peek()); // read to the end, and not disposed (Peek would throw)
    }

    [Fact]
    public void The_path_overload_reads_the_file_and_closes_it()
    {
        var path = TempFile(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("<a>\u00fc</a>")).ToArray());
        var events = new List<string>();

        Assert.Equal(3, Sources.FromXml(path, Sinks.Create<XmlEvent>(e => events.Add(e.ToString()))));

        Assert.Equal(["Start a", "Text \"\u00fc\"", "End a"], events);
        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None); // not still open
    }

    [Fact]
    public void The_path_overload_closes_the_target_when_the_file_does_not_exist()
    {
        var probe = new ProbeStage<XmlEvent>();
        var path = Path.Combine(Path.GetTempPath(), $"coroutinegen-missing-{Guid.NewGuid():N}.xml");

        Assert.Throws<FileNotFoundException>(() => Sources.FromXml(path, probe));

        Assert.Equal(["close"], probe.Log);
    }

    [Fact]
    public void Argument_errors_are_reported_before_anything_happens()
    {
        var probe = new ProbeStage<XmlEvent>();
        var unreadable = new MemoryStream();
        unreadable.Dispose();

        Assert.Throws<ArgumentNullException>(() => Sources.FromXml((TextReader)null!, probe));
        Assert.Throws<ArgumentNullException>(() => Sources.FromXml((Stream)null!, probe));
        Assert.Throws<ArgumentNullException>(() => Sources.FromXml((string)null!, probe));
        Assert.Throws<ArgumentNullException>(() => Sources.FromXml((XmlReader)null!, probe));
        Assert.Throws<ArgumentNullException>(() => Sources.FromXml(new StringReader("<a/>"), null!));
        Assert.Throws<ArgumentException>(() => Sources.FromXml(unreadable, probe));
        Assert.Empty(probe.Log);
    }

    // ------------------------------------------------------------------ XmlEvent

    [Fact]
    public void XmlEvent_factories_fill_what_applies_and_leave_the_rest_empty()
    {
        var start = XmlEvent.CreateStart("bus", new Dictionary<string, string> { ["id"] = "7" });
        var text = XmlEvent.CreateText("22");
        var end = XmlEvent.CreateEnd("bus");

        Assert.Equal((XmlEventKind.Start, "bus", "", "7"), (start.Kind, start.Name, start.Text, start.Attributes["id"]));
        Assert.Equal((XmlEventKind.Text, "", "22", 0), (text.Kind, text.Name, text.Text, text.Attributes.Count));
        Assert.Equal((XmlEventKind.End, "bus", "", 0), (end.Kind, end.Name, end.Text, end.Attributes.Count));
        Assert.Empty(XmlEvent.CreateStart("bus").Attributes);
    }

    [Fact]
    public void XmlEvent_copies_the_attributes_and_does_not_let_them_change()
    {
        var attributes = new Dictionary<string, string> { ["id"] = "7" };
        var start = XmlEvent.CreateStart("bus", attributes);
        attributes["id"] = "8";

        Assert.Equal("7", start.Attributes["id"]);
        Assert.Throws<NotSupportedException>(() => ((IDictionary<string, string>)start.Attributes)["id"] = "9");
    }

    [Fact]
    public void XmlEvent_equality_compares_kind_name_text_and_attributes()
    {
        var a = XmlEvent.CreateStart("bus", new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" });
        var b = XmlEvent.CreateStart("bus", new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" });

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, XmlEvent.CreateStart("bus", new Dictionary<string, string> { ["x"] = "1", ["y"] = "3" }));
        Assert.NotEqual(a, XmlEvent.CreateStart("bus"));
        Assert.NotEqual(XmlEvent.CreateStart("bus"), XmlEvent.CreateEnd("bus"));
        Assert.Equal(XmlEvent.CreateText("x"), XmlEvent.CreateText("x"));
        Assert.NotEqual(XmlEvent.CreateText("x"), XmlEvent.CreateText("y"));
        Assert.False(XmlEvent.CreateText("x").Equals(null));
    }

    [Fact]
    public void XmlEvent_factories_reject_bad_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => XmlEvent.CreateStart(null!));
        Assert.Throws<ArgumentException>(() => XmlEvent.CreateStart(""));
        Assert.Throws<ArgumentNullException>(() => XmlEvent.CreateStart("a", new Dictionary<string, string> { ["k"] = null! }));
        Assert.Throws<ArgumentNullException>(() => XmlEvent.CreateText(null!));
        Assert.Throws<ArgumentNullException>(() => XmlEvent.CreateEnd(null!));
        Assert.Throws<ArgumentException>(() => XmlEvent.CreateEnd(""));
    }
}
