using System.Text.Json.Nodes;

namespace CoroutineGen.LspCheck.Lsp;

/// <summary>
/// A csharp-ls session on one project folder. csharp-ls 0.28 reads its settings from the <c>csharp</c> section of
/// the client's configuration: it asks with a <c>workspace/configuration</c> request after <c>initialized</c>, and
/// takes changes from <c>workspace/didChangeConfiguration</c> (<c>{ "settings": { "csharp": { ... } } }</c>). It
/// does not read <c>initializationOptions</c> (the last check shows it). The client announces no pull-diagnostics
/// capability, so the server pushes diagnostics of the open documents (<c>textDocument/publishDiagnostics</c>).
/// </summary>
internal sealed class CSharpLs : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly LspClient _client;

    private CSharpLs(LspClient client, JsonObject settings)
    {
        _client = client;
        Settings = settings;
        Diagnostics = new DiagnosticsStore(client);
        client.ServerRequestHandler = Answer;
    }

    /// <summary>The <c>csharp</c> section this client answers <c>workspace/configuration</c> with.</summary>
    public JsonObject Settings { get; }

    public DiagnosticsStore Diagnostics { get; }

    public LspClient Client => _client;

    /// <summary>What the server said about itself in the <c>initialize</c> response.</summary>
    public string ServerInfo { get; private set; } = string.Empty;

    /// <summary>
    /// Starts <c>dotnet tool run csharp-ls</c> in <paramref name="toolDirectory"/> (where the tool manifest is) and
    /// initializes it on <paramref name="workspace"/>, with <paramref name="settings"/> as the <c>csharp</c>
    /// configuration section and <paramref name="initializationOptions"/> in <c>initialize</c>.
    /// </summary>
    public static CSharpLs Start(string toolDirectory, string workspace, string logPrefix, JsonObject settings, JsonNode? initializationOptions = null)
    {
        var client = LspClient.Start(toolDirectory, ["tool", "run", "csharp-ls", "--", "--loglevel", "info"],
            stderrLog: logPrefix + ".stderr.log", wireLog: logPrefix + ".wire.log");
        var server = new CSharpLs(client, settings);
        try
        {
            var root = new Uri(Path.TrimEndingDirectorySeparator(workspace)).AbsoluteUri;
            var result = client.Request("initialize", new
            {
                processId = Environment.ProcessId,
                clientInfo = new { name = "CoroutineGen.LspCheck", version = "1" },
                rootUri = root,
                workspaceFolders = new[] { new { uri = root, name = Path.GetFileName(workspace) } },
                initializationOptions,
                capabilities = new
                {
                    workspace = new
                    {
                        configuration = true,
                        workspaceFolders = true,
                        didChangeConfiguration = new { dynamicRegistration = false },
                    },
                    textDocument = new
                    {
                        synchronization = new { dynamicRegistration = false, didSave = true },
                        completion = new
                        {
                            completionItem = new { snippetSupport = false, documentationFormat = new[] { "markdown", "plaintext" } },
                        },
                        hover = new { contentFormat = new[] { "markdown", "plaintext" } },
                        signatureHelp = new { signatureInformation = new { documentationFormat = new[] { "markdown", "plaintext" } } },
                        definition = new { linkSupport = false },
                        codeAction = new
                        {
                            codeActionLiteralSupport = new
                            {
                                codeActionKind = new { valueSet = new[] { "", "quickfix", "refactor", "source" } },
                            },
                        },
                        publishDiagnostics = new { relatedInformation = true },
                    },
                    window = new { workDoneProgress = false },
                },
            }, TimeSpan.FromMinutes(2));
            server.ServerInfo = result?["serverInfo"]?.ToJsonString() ?? "(no serverInfo)";
            client.Notify("initialized", new { });
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Changes one setting of the <c>csharp</c> section and tells the server.</summary>
    public void ChangeSetting(string name, bool value)
    {
        lock (Settings)
        {
            Settings[name] = value;
        }

        _client.Notify("workspace/didChangeConfiguration", new JsonObject { ["settings"] = new JsonObject { ["csharp"] = CurrentSettings() } });
    }

    public JsonNode? Request(string method, object? parameters) => _client.Request(method, parameters, RequestTimeout);

    public void Dispose() => _client.Dispose();

    private JsonObject CurrentSettings()
    {
        lock (Settings)
        {
            return Settings.DeepClone().AsObject();
        }
    }

    private JsonNode? Answer(string method, JsonNode? parameters)
    {
        switch (method)
        {
            case "workspace/configuration":
                var answer = new JsonArray();
                foreach (var item in parameters?["items"]?.AsArray() ?? [])
                {
                    var section = (string?)item?["section"];
                    answer.Add(section switch
                    {
                        "csharp" => CurrentSettings(),
                        null or "" => new JsonObject { ["csharp"] = CurrentSettings() },
                        _ => null,
                    });
                }

                return answer;
            case "client/registerCapability":
            case "client/unregisterCapability":
            case "window/workDoneProgress/create":
            case "window/showMessageRequest":
            case "workspace/diagnostic/refresh":
            case "workspace/semanticTokens/refresh":
            case "workspace/inlayHint/refresh":
            case "workspace/codeLens/refresh":
                return null;
            default:
                throw new NotSupportedException(method);
        }
    }
}
