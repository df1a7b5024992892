using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Xml;

namespace CoroutineGen;

// The XML source: Beazley's event-driven parsing (Part 3 of his course), where a SAX ContentHandler forwards its
// callbacks into a coroutine, written on System.Xml.XmlReader.
public static partial class Sources
{
    /// <summary>
    /// Parses the XML document in <paramref name="reader"/> and sends its events (element start, text, element end,
    /// as <see cref="XmlEvent"/>s) to <paramref name="target"/>, in document order, then closes the target: what a
    /// SAX <c>ContentHandler</c> that forwards its callbacks into a coroutine does.
    /// </summary>
    /// <param name="reader">The document; not disposed.</param>
    /// <param name="target">The coroutine that receives the events.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and <see cref="OperationCanceledException"/>
    /// is thrown. Checked before each event is sent.</param>
    /// <returns>The number of events the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="XmlException">The document is not well-formed, or has a document type declaration (the
    /// events before the error have been sent, then the target is closed).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the target
    /// is closed first).</exception>
    /// <remarks>
    /// <para>What is sent, as Python's <c>xml.sax</c> reports it to a <c>ContentHandler</c>:</para>
    /// <list type="bullet">
    /// <item><description>A start tag is an <see cref="XmlEventKind.Start"/> event with the element's name as
    /// written (prefix included) and its attributes; an end tag an <see cref="XmlEventKind.End"/> event; an empty
    /// element <c>&lt;a/&gt;</c> both.</description></item>
    /// <item><description>Character data is an <see cref="XmlEventKind.Text"/> event, with entity and character
    /// references replaced (<c>&amp;amp;</c> is <c>&amp;</c>) and line breaks normalised to <c>\n</c>. A CDATA
    /// section is text too, unwrapped. <b>Whitespace-only text is sent</b> (the line breaks and indentation
    /// between elements), as SAX sends it; whitespace outside the root element is not, as in SAX.</description></item>
    /// <item><description>The text of one element may arrive in several <see cref="XmlEventKind.Text"/> events
    /// (here: one for each run of text and one for each CDATA section), so join the pieces until the next tag.
    /// SAX parsers split text too, in other places (Python's splits at line breaks and entity references), so
    /// programs that join the pieces behave the same with both.</description></item>
    /// <item><description>The XML declaration, comments and processing instructions are not sent.</description></item>
    /// </list>
    /// <para>A document type declaration (<c>&lt;!DOCTYPE ...&gt;</c>) is refused with an <see cref="XmlException"/>,
    /// so that no entity declared in it can expand without bound and nothing external is fetched. To accept one,
    /// or to change anything else about parsing (skip whitespace-only text with
    /// <see cref="XmlReaderSettings.IgnoreWhitespace"/>, say), create the <see cref="XmlReader"/> yourself and use
    /// <see cref="FromXml(XmlReader, ICoroutine{XmlEvent}, CancellationToken)"/>.</para>
    /// <para>See <see cref="Sources"/> for what happens when the target finishes early or something throws.</para>
    /// </remarks>
    public static long FromXml(TextReader reader, ICoroutine<XmlEvent> target, CancellationToken cancellationToken = default)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        long count;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var xml = XmlReader.Create(reader, CreateXmlSettings());
            count = SendXmlEvents(xml, target, cancellationToken);
        }
        catch (Exception failure)
        {
            Delivery.CloseAfterFailure(target, failure);
            throw;
        }

        target.Close();
        return count;
    }

    /// <summary>
    /// Parses the XML document in <paramref name="stream"/> and sends its events to <paramref name="target"/>, then
    /// closes the target; see <see cref="FromXml(TextReader, ICoroutine{XmlEvent}, CancellationToken)"/>.
    /// </summary>
    /// <param name="stream">The document, read from its current position; not disposed. Its encoding is
    /// detected from its byte order mark or XML declaration (UTF-8 without either).</param>
    /// <param name="target">The coroutine that receives the events.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and <see cref="OperationCanceledException"/>
    /// is thrown.</param>
    /// <returns>The number of events the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read.</exception>
    /// <exception cref="XmlException">The document is not well-formed, or has a document type declaration (the
    /// target is closed first).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the target
    /// is closed first).</exception>
    public static long FromXml(Stream stream, ICoroutine<XmlEvent> target, CancellationToken cancellationToken = default)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        long count;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var xml = XmlReader.Create(stream, CreateXmlSettings());
            count = SendXmlEvents(xml, target, cancellationToken);
        }
        catch (Exception failure)
        {
            Delivery.CloseAfterFailure(target, failure);
            throw;
        }

        target.Close();
        return count;
    }

    /// <summary>
    /// Parses the XML file at <paramref name="path"/> and sends its events to <paramref name="target"/>, then
    /// closes the target; see <see cref="FromXml(TextReader, ICoroutine{XmlEvent}, CancellationToken)"/>. This is
    /// Python's <c>xml.sax.parse(path, handler)</c>.
    /// </summary>
    /// <param name="path">The file (a path, not a URI: nothing is downloaded). It is opened for reading and closed
    /// when the method ends. Its encoding is detected from its byte order mark or XML declaration.</param>
    /// <param name="target">The coroutine that receives the events.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and <see cref="OperationCanceledException"/>
    /// is thrown.</param>
    /// <returns>The number of events the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist (the target is closed first; so for the
    /// other errors opening it, such as <see cref="UnauthorizedAccessException"/>).</exception>
    /// <exception cref="XmlException">The document is not well-formed, or has a document type declaration (the
    /// target is closed first).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the target
    /// is closed first).</exception>
    public static long FromXml(string path, ICoroutine<XmlEvent> target, CancellationToken cancellationToken = default)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        long count;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
            using var xml = XmlReader.Create(stream, CreateXmlSettings());
            count = SendXmlEvents(xml, target, cancellationToken);
        }
        catch (Exception failure)
        {
            Delivery.CloseAfterFailure(target, failure);
            throw;
        }

        target.Close();
        return count;
    }

    /// <summary>
    /// Sends the events of the document <paramref name="reader"/> reads to <paramref name="target"/>, then closes
    /// the target: for a reader created with your own <see cref="XmlReaderSettings"/> (to accept a document type
    /// declaration, to skip whitespace-only text, to validate...). See
    /// <see cref="FromXml(TextReader, ICoroutine{XmlEvent}, CancellationToken)"/> for the events.
    /// </summary>
    /// <param name="reader">The reader; not disposed. A new reader is read from the start; a reader that is
    /// already positioned on a node is read from that node on (an element's start is sent, then its content). It
    /// is read to its end.</param>
    /// <param name="target">The coroutine that receives the events.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and <see cref="OperationCanceledException"/>
    /// is thrown.</param>
    /// <returns>The number of events the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="XmlException">The reader found an error (the target is closed first).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the target
    /// is closed first).</exception>
    /// <remarks>
    /// Whitespace-only text is sent unless the reader was created with
    /// <see cref="XmlReaderSettings.IgnoreWhitespace"/>; comments and processing instructions are never sent.
    /// Entity references the reader does not expand (a reader that reports
    /// <see cref="XmlNodeType.EntityReference"/> nodes) are not sent either.
    /// </remarks>
    public static long FromXml(XmlReader reader, ICoroutine<XmlEvent> target, CancellationToken cancellationToken = default)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        long count;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            count = SendXmlEvents(reader, target, cancellationToken);
        }
        catch (Exception failure)
        {
            Delivery.CloseAfterFailure(target, failure);
            throw;
        }

        target.Close();
        return count;
    }

    /// <summary>
    /// The settings of the readers the sources create: every text node (whitespace included), no comments or
    /// processing instructions, no document type declaration, nothing resolved, the input left open.
    /// </summary>
    private static XmlReaderSettings CreateXmlSettings() => new()
    {
        IgnoreWhitespace = false,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CloseInput = false,
    };

    /// <summary>Reads to the end, sending each event; returns early when the target finishes.</summary>
    private static long SendXmlEvents(XmlReader reader, ICoroutine<XmlEvent> target, CancellationToken cancellationToken)
    {
        long count = 0;
        if (reader.NodeType == XmlNodeType.Attribute)
        {
            reader.MoveToElement();
        }

        // A new reader has no current node yet; one the caller already positioned starts at its current node.
        bool more = reader.ReadState == ReadState.Interactive || reader.Read();
        while (more)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                {
                    var name = reader.Name;
                    Dictionary<string, string>? attributes = null;
                    if (reader.MoveToFirstAttribute())
                    {
                        attributes = new Dictionary<string, string>();
                        do
                        {
                            attributes.Add(reader.Name, reader.Value);
                        }
                        while (reader.MoveToNextAttribute());

                        reader.MoveToElement();
                    }

                    bool empty = reader.IsEmptyElement;
                    if (!SendXmlEvent(target, XmlEvent.Start(name, attributes), cancellationToken, ref count)
                        || (empty && !SendXmlEvent(target, XmlEvent.End(name), cancellationToken, ref count)))
                    {
                        return count;
                    }

                    break;
                }

                case XmlNodeType.EndElement:
                    if (!SendXmlEvent(target, XmlEvent.End(reader.Name), cancellationToken, ref count))
                    {
                        return count;
                    }

                    break;
                case XmlNodeType.Whitespace when reader.Depth == 0:
                    // Between the XML declaration, the root element and the end: SAX does not report it.
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    if (!SendXmlEvent(target, XmlEvent.Characters(reader.Value), cancellationToken, ref count))
                    {
                        return count;
                    }

                    break;
            }

            more = reader.Read();
        }

        return count;
    }

    private static bool SendXmlEvent(ICoroutine<XmlEvent> target, XmlEvent value, CancellationToken cancellationToken, ref long count)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Deliver(target, value, ref count);
    }
}
