using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Diagnostics;

/// <summary>
/// A diagnostic found while parsing or lowering a template, as plain data: the descriptor id, where (in the
/// template's file) and the message arguments. The analyzer turns it into a real <c>Diagnostic</c> with a live
/// location; the generator only looks at whether there are errors. <see cref="FilePath"/> is set only for a
/// location outside the template's own file (another part of a partial type).
/// </summary>
internal sealed record DiagnosticInfo(string Id, SourceSpan Span, EquatableArray<string> Arguments)
{
    public string? FilePath { get; init; }

    public static DiagnosticInfo Create(string id, SourceSpan span, params string[] arguments) =>
        new(id, span, new EquatableArray<string>(arguments));

    public bool IsError => DiagnosticDescriptors.IsError(Id);

    public override string ToString() => $"{Id} {Span}: {string.Join(" | ", Arguments)}";
}
