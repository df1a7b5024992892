namespace CoroutineGen.Generators.Tests.Debugging;

/// <summary>
/// A template source with markers: <c>/*@name*/</c> marks a position, so that a test can name the line and column it
/// expects without counting by hand. The markers are removed from <see cref="Text"/> (a comment inside a statement
/// would change what the generator copies), and their positions are remembered.
/// </summary>
public sealed partial class TemplateSource
{
    private readonly Dictionary<string, int> _markers = new(StringComparer.Ordinal);

    public TemplateSource(string path, string text)
    {
        Path = path;
        var builder = new System.Text.StringBuilder();
        var rest = text.Replace("\r\n", "\n");
        for (var match = Marker().Match(rest); match.Success; match = Marker().Match(rest))
        {
            builder.Append(rest, 0, match.Index);
            if (!_markers.TryAdd(match.Groups[1].Value, builder.Length))
            {
                throw new ArgumentException($"The marker {match.Value} appears twice.", nameof(text));
            }

            rest = rest[(match.Index + match.Length)..];
        }

        Text = builder.Append(rest).ToString();
    }

    /// <summary>
    /// An absolute-looking path, as a real build passes to the compiler (the generator writes it into its
    /// <c>#line</c> directives, and the PDB and stack traces carry it).
    /// </summary>
    public static string AbsolutePath(string fileName) =>
        OperatingSystem.IsWindows() ? @"C:\src\CoroutineGen.Demo\" + fileName : "/home/dev/src/CoroutineGen.Demo/" + fileName;

    public string Path { get; }

    public string Text { get; }

    /// <summary>The 1-based line and column of the character that followed the marker <c>/*@name*/</c>.</summary>
    public (int Line, int Column) Position(string name)
    {
        if (!_markers.TryGetValue(name, out var offset))
        {
            throw new ArgumentException($"The source has no marker /*@{name}*/.", nameof(name));
        }

        var line = 1 + Text.AsSpan(0, offset).Count('\n');
        var column = offset - (offset == 0 ? 0 : Text.LastIndexOf('\n', offset - 1) + 1) + 1;
        return (line, column);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/\*@(\w+)\*/")]
    private static partial System.Text.RegularExpressions.Regex Marker();

    /// <summary>The 1-based line of the marker <c>/*@name*/</c>.</summary>
    public int Line(string name) => Position(name).Line;
}
