using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Text;

namespace CoroutineGen;

/// <summary>What an <see cref="XmlEvent"/> reports.</summary>
public enum XmlEventKind
{
    /// <summary>The start tag of an element (SAX's <c>startElement</c>): <see cref="XmlEvent.Name"/> and
    /// <see cref="XmlEvent.Attributes"/> are set.</summary>
    Start,

    /// <summary>Character data (SAX's <c>characters</c>), CDATA sections included: <see cref="XmlEvent.Text"/> is set.</summary>
    Text,

    /// <summary>The end tag of an element (SAX's <c>endElement</c>); an empty element <c>&lt;a/&gt;</c> gives a
    /// <see cref="Start"/> and then an <see cref="End"/>. <see cref="XmlEvent.Name"/> is set.</summary>
    End,
}

/// <summary>
/// One parsing event of an XML document, as <see cref="Sources.FromXml(TextReader, ICoroutine{XmlEvent}, System.Threading.CancellationToken)"/>
/// sends them into a coroutine: the start of an element with its attributes, a piece of text, or the end of an
/// element (the three callbacks of a SAX <c>ContentHandler</c>, Python's <c>('start', (name, attrs))</c>,
/// <c>('text', text)</c> and <c>('end', name)</c> in Beazley's course). Immutable; equal when kind, name, text and
/// attributes are equal.
/// </summary>
/// <remarks>
/// No property is ever <c>null</c>: what does not apply to the kind is empty (<see cref="Name"/> of a text event,
/// <see cref="Text"/> of a start or end event, <see cref="Attributes"/> of anything but a start event). So a template
/// can match an event with a property pattern, <c>if (e is { Kind: XmlEventKind.Start, Name: "bus" })</c>.
/// </remarks>
public sealed class XmlEvent : IEquatable<XmlEvent>
{
    private static readonly IReadOnlyDictionary<string, string> NoAttributes =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    private XmlEvent(XmlEventKind kind, string name, IReadOnlyDictionary<string, string> attributes, string text)
    {
        Kind = kind;
        Name = name;
        Attributes = attributes;
        Text = text;
    }

    /// <summary>Start, text or end.</summary>
    public XmlEventKind Kind { get; }

    /// <summary>
    /// The element's name, as written in the document (with its prefix, if any: <c>p:item</c>), for
    /// <see cref="XmlEventKind.Start"/> and <see cref="XmlEventKind.End"/>; empty for <see cref="XmlEventKind.Text"/>.
    /// </summary>
    public string Name { get; }

    /// <summary>
    /// The attributes of a <see cref="XmlEventKind.Start"/> event, name to value, in document order (namespace
    /// declarations such as <c>xmlns:p</c> included, as SAX reports them without namespace processing); empty for
    /// the other kinds.
    /// </summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>The character data of a <see cref="XmlEventKind.Text"/> event; empty for the other kinds.</summary>
    public string Text { get; }

    /// <summary>Creates a <see cref="XmlEventKind.Start"/> event.</summary>
    /// <param name="name">The element's name.</param>
    /// <param name="attributes">Its attributes (copied), or <c>null</c> for none.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <c>null</c>, or an attribute value is.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static XmlEvent CreateStart(string name, IReadOnlyDictionary<string, string>? attributes = null)
    {
        CheckName(name);
        if (attributes is null || attributes.Count == 0)
        {
            return new XmlEvent(XmlEventKind.Start, name, NoAttributes, string.Empty);
        }

        var copy = new Dictionary<string, string>(attributes.Count);
        foreach (var attribute in attributes)
        {
            copy.Add(attribute.Key, attribute.Value ?? throw new ArgumentNullException(
                nameof(attributes), $"The value of the attribute '{attribute.Key}' is null."));
        }

        return new XmlEvent(XmlEventKind.Start, name, new ReadOnlyDictionary<string, string>(copy), string.Empty);
    }

    /// <summary>Creates a <see cref="XmlEventKind.Text"/> event.</summary>
    /// <param name="text">The character data.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <c>null</c>.</exception>
    public static XmlEvent CreateText(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        return new XmlEvent(XmlEventKind.Text, string.Empty, NoAttributes, text);
    }

    /// <summary>Creates an <see cref="XmlEventKind.End"/> event.</summary>
    /// <param name="name">The element's name.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <c>null</c>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static XmlEvent CreateEnd(string name)
    {
        CheckName(name);
        return new XmlEvent(XmlEventKind.End, name, NoAttributes, string.Empty);
    }

    /// <summary>Events built from a document the sources have already checked: no copy, no validation.</summary>
    internal static XmlEvent Start(string name, Dictionary<string, string>? attributes) =>
        new(XmlEventKind.Start, name, attributes is null ? NoAttributes : new ReadOnlyDictionary<string, string>(attributes), string.Empty);

    internal static XmlEvent End(string name) => new(XmlEventKind.End, name, NoAttributes, string.Empty);

    internal static XmlEvent Characters(string text) => new(XmlEventKind.Text, string.Empty, NoAttributes, text);

    /// <inheritdoc/>
    public bool Equals(XmlEvent? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Kind != other.Kind || Name != other.Name || Text != other.Text || Attributes.Count != other.Attributes.Count)
        {
            return false;
        }

        foreach (var attribute in Attributes)
        {
            if (!other.Attributes.TryGetValue(attribute.Key, out var value) || value != attribute.Value)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as XmlEvent);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        unchecked
        {
            int hash = ((int)Kind * 397) ^ StringComparer.Ordinal.GetHashCode(Name);
            hash = (hash * 397) ^ StringComparer.Ordinal.GetHashCode(Text);
            return (hash * 397) ^ Attributes.Count;
        }
    }

    /// <summary>
    /// The event for reading: <c>Start bus</c> (with its attributes: <c>Start a href="x"</c>), <c>Text "..."</c>
    /// (line breaks, tabs, quotes and backslashes escaped), <c>End bus</c>.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        XmlEventKind.Start => "Start " + Name + string.Concat(Attributes.Select(a => $" {a.Key}=\"{Escape(a.Value)}\"")),
        XmlEventKind.Text => "Text \"" + Escape(Text) + "\"",
        _ => "End " + Name,
    };

    private static void CheckName(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        if (name.Length == 0)
        {
            throw new ArgumentException("An element name cannot be empty.", nameof(name));
        }
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
