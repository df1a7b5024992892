using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Diagnostics;

/// <summary>
/// A diagnostic found while parsing or lowering a template, as plain data: the descriptor id, where (in the
/// template's file) and the message arguments. The analyzer turns it into a real <c>Diagnostic</c> with a live
/// location; the generator only looks at whether there are errors.
/// </summary>
internal sealed record DiagnosticInfo(string Id, SourceSpan Span, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(string id, SourceSpan span, params string[] arguments) =>
        new(id, span, new EquatableArray<string>(arguments));

    public bool IsError => DiagnosticDescriptors.IsError(Id);

    public override string ToString() => $"{Id} {Span}: {string.Join(" | ", Arguments)}";
}
