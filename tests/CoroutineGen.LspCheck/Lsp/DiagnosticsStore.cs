using System.Text.Json.Nodes;

namespace CoroutineGen.LspCheck.Lsp;

/// <summary>One diagnostic as the server published it.</summary>
internal sealed record LspDiagnostic(string Code, int Severity, Range Range, string Message, string? Href = null)
{
    /// <summary>Errors and warnings: what an editor underlines (hints and information are left out).</summary>
    public bool IsErrorOrWarning => Severity is 1 or 2;

    public string SeverityName => Severity switch { 1 => "error", 2 => "warning", 3 => "information", 4 => "hint", _ => "?" };

    public override string ToString() => $"{Code} ({SeverityName}) at {Range}: {Message}";

    public static LspDiagnostic From(JsonNode node)
    {
        var range = node["range"]!;
        return new LspDiagnostic(
            node["code"]?.ToString() ?? string.Empty,
            (int?)node["severity"] ?? 1,
            new Range(PositionOf(range["start"]!), PositionOf(range["end"]!)),
            (string?)node["message"] ?? string.Empty,
            (string?)node["codeDescription"]?["href"]);
    }

    private static Position PositionOf(JsonNode node) => new((int)node["line"]!, (int)node["character"]!);
}

/// <summary>One <c>textDocument/publishDiagnostics</c>: the full set for a document at that moment.</summary>
internal sealed record DiagnosticsPush(int Sequence, TimeSpan ReceivedAt, string Uri, IReadOnlyList<LspDiagnostic> Diagnostics)
{
    public IEnumerable<LspDiagnostic> ErrorsAndWarnings => Diagnostics.Where(d => d.IsErrorOrWarning);

    public IEnumerable<LspDiagnostic> Coro => Diagnostics.Where(d => d.Code.StartsWith("CORO", StringComparison.Ordinal));

    public string Describe() => ErrorsAndWarnings.Any()
        ? string.Join("; ", ErrorsAndWarnings)
        : "no error or warning";
}

/// <summary>
/// Every diagnostics push the server made (csharp-ls pushes them when the client does not announce pull
/// diagnostics), in order, and a way to wait for one that satisfies a condition.
/// </summary>
internal sealed class DiagnosticsStore
{
    private readonly List<DiagnosticsPush> _pushes = [];
    private readonly object _gate = new();

    public DiagnosticsStore(LspClient client)
    {
        client.Notification += notification =>
        {
            if (notification.Method != "textDocument/publishDiagnostics" || notification.Params is not { } p)
            {
                return;
            }

            var diagnostics = p["diagnostics"]!.AsArray().Select(d => LspDiagnostic.From(d!)).ToList();
            lock (_gate)
            {
                _pushes.Add(new DiagnosticsPush(_pushes.Count, notification.ReceivedAt, Normalize((string)p["uri"]!), diagnostics));
                Monitor.PulseAll(_gate);
            }
        };
    }

    /// <summary>The sequence number the next push will get: pass it as <c>after</c> to ignore older pushes.</summary>
    public int Mark()
    {
        lock (_gate)
        {
            return _pushes.Count;
        }
    }

    /// <summary>The latest push for the document, if any.</summary>
    public DiagnosticsPush? Latest(OpenDocument document)
    {
        lock (_gate)
        {
            return _pushes.LastOrDefault(p => p.Uri == Normalize(document.Uri));
        }
    }

    /// <summary>
    /// The first push for <paramref name="document"/> with a sequence number of at least <paramref name="after"/>
    /// that satisfies <paramref name="condition"/>, or null when none came within <paramref name="timeout"/>.
    /// </summary>
    public DiagnosticsPush? WaitFor(OpenDocument document, int after, Func<DiagnosticsPush, bool> condition, TimeSpan timeout)
    {
        var uri = Normalize(document.Uri);
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            var next = after;
            while (true)
            {
                for (; next < _pushes.Count; next++)
                {
                    if (_pushes[next].Uri == uri && condition(_pushes[next]))
                    {
                        return _pushes[next];
                    }
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Every push for the document from <paramref name="after"/> on.</summary>
    public IReadOnlyList<DiagnosticsPush> Since(OpenDocument document, int after)
    {
        var uri = Normalize(document.Uri);
        lock (_gate)
        {
            return _pushes.Skip(after).Where(p => p.Uri == uri).ToList();
        }
    }

    private static string Normalize(string uri) =>
        System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : uri;
}
