namespace CoroutineGen.LspCheck.Lsp;

/// <summary>A zero-based LSP position (line, UTF-16 column).</summary>
internal readonly record struct Position(int Line, int Character)
{
    public object ToLsp() => new { line = Line, character = Character };

    public override string ToString() => $"{Line + 1}:{Character + 1}";
}

/// <summary>An LSP range.</summary>
internal readonly record struct Range(Position Start, Position End)
{
    public object ToLsp() => new { start = Start.ToLsp(), end = End.ToLsp() };

    public override string ToString() => $"{Start}-{End}";
}

/// <summary>A text change: replace <see cref="Length"/> characters at <see cref="Offset"/> with <see cref="NewText"/>.</summary>
internal sealed record TextChange(int Offset, int Length, string NewText);

/// <summary>
/// A document the client has opened, with the text the server should have: every change goes to the server as an
/// incremental <c>textDocument/didChange</c> (the unsaved buffer of an editor; nothing is written to disk).
/// </summary>
internal sealed class OpenDocument
{
    private readonly LspClient _client;

    private OpenDocument(LspClient client, string path, string text)
    {
        _client = client;
        Path = path;
        Uri = new Uri(path).AbsoluteUri;
        Text = text;
    }

    public string Path { get; }

    public string Uri { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    public string Text { get; private set; }

    public int Version { get; private set; } = 1;

    /// <summary>Opens the file as it is on disk (<c>textDocument/didOpen</c>).</summary>
    public static OpenDocument Open(LspClient client, string path)
    {
        var document = new OpenDocument(client, path, File.ReadAllText(path));
        client.Notify("textDocument/didOpen", new
        {
            textDocument = new { uri = document.Uri, languageId = "csharp", version = document.Version, text = document.Text },
        });
        return document;
    }

    public object Identifier => new { uri = Uri };

    public Position PositionAt(int offset)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new Position(line, offset - lineStart);
    }

    public Range RangeAt(int start, int end) => new(PositionAt(start), PositionAt(end));

    /// <summary>The offset of the only occurrence of <paramref name="text"/>; throws when there is not exactly one.</summary>
    public int Find(string text) => FindUnique(Text, text, Name);

    /// <summary>
    /// Applies <paramref name="change"/> (sent as one incremental change) and returns the change that undoes it.
    /// </summary>
    public TextChange Apply(TextChange change)
    {
        var range = RangeAt(change.Offset, change.Offset + change.Length);
        var removed = Text.Substring(change.Offset, change.Length);
        Text = Text[..change.Offset] + change.NewText + Text[(change.Offset + change.Length)..];
        Version++;
        _client.Notify("textDocument/didChange", new
        {
            textDocument = new { uri = Uri, version = Version },
            contentChanges = new[] { new { range = range.ToLsp(), text = change.NewText } },
        });
        return new TextChange(change.Offset, change.NewText.Length, removed);
    }

    /// <summary>
    /// The change that turns the only occurrence of <paramref name="find"/> into <paramref name="replacement"/>, as
    /// small as typing it would be (the common prefix and suffix are left alone).
    /// </summary>
    public TextChange Replace(string find, string replacement)
    {
        var offset = Find(find);
        var prefix = 0;
        while (prefix < find.Length && prefix < replacement.Length && find[prefix] == replacement[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < find.Length - prefix && suffix < replacement.Length - prefix &&
               find[find.Length - 1 - suffix] == replacement[replacement.Length - 1 - suffix])
        {
            suffix++;
        }

        return new TextChange(offset + prefix, find.Length - prefix - suffix, replacement[prefix..^suffix]);
    }

    /// <summary>
    /// Where <c>[|...|]</c> is in <paramref name="marked"/>, a snippet that occurs exactly once (markers removed) in
    /// the current text: the range a diagnostic, hover or definition is expected at.
    /// </summary>
    public Range Locate(string marked)
    {
        var start = marked.IndexOf("[|", StringComparison.Ordinal);
        var end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        if (start < 0 || end < start)
        {
            throw new ArgumentException($"'{marked}' has no [|...|] marker", nameof(marked));
        }

        var offset = Find(marked.Replace("[|", string.Empty).Replace("|]", string.Empty));
        return RangeAt(offset + start, offset + end);
    }

    public static int FindUnique(string text, string find, string where)
    {
        var first = text.IndexOf(find, StringComparison.Ordinal);
        if (first < 0 || text.IndexOf(find, first + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"'{find}' occurs {(first < 0 ? "nowhere" : "more than once")} in {where}");
        }

        return first;
    }
}
