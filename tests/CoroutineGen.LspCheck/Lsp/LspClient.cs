using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoroutineGen.PackageTests.Infrastructure;

namespace CoroutineGen.LspCheck.Lsp;

/// <summary>A notification from the server, stamped with the client's clock when it was read.</summary>
internal sealed record ServerNotification(TimeSpan ReceivedAt, string Method, JsonNode? Params);

/// <summary>An error response from the server.</summary>
internal sealed class LspException(string method, JsonNode? error)
    : Exception($"{method} failed: {error?.ToJsonString()}");

/// <summary>
/// A minimal language-server client over stdio: JSON-RPC 2.0 messages with <c>Content-Length</c> framing. Requests
/// are synchronous (the check does one thing at a time); a reader thread reads every message, completes the pending
/// request a response answers, answers the server's own requests through <see cref="ServerRequestHandler"/>, and
/// raises <see cref="Notification"/> for notifications. Every message in both directions goes to the wire log.
/// </summary>
internal sealed class LspClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };

    private readonly Process _process;
    private readonly Stream _toServer;
    private readonly Stream _fromServer;
    private readonly object _writeLock = new();
    private readonly ConcurrentDictionary<long, (string Method, TaskCompletionSource<JsonNode?> Response)> _pending = new();
    private readonly Stopwatch _clock;
    private readonly StreamWriter _wireLog;
    private readonly Thread _reader;
    private long _nextId;
    private volatile bool _closed;

    private LspClient(Process process, Stopwatch clock, StreamWriter wireLog)
    {
        _process = process;
        _clock = clock;
        _wireLog = wireLog;
        _toServer = process.StandardInput.BaseStream;
        _fromServer = process.StandardOutput.BaseStream;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "lsp-reader" };
    }

    /// <summary>Answers a request the server sends (method, params) with a result; null answers <c>null</c>.</summary>
    public Func<string, JsonNode?, JsonNode?>? ServerRequestHandler { get; set; }

    /// <summary>Raised on the reader thread for every notification.</summary>
    public event Action<ServerNotification>? Notification;

    /// <summary>The client's clock (started when the server was).</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts <c>dotnet <paramref name="arguments"/></c> in <paramref name="workingDirectory"/> as the server, its
    /// standard error going to <paramref name="stderrLog"/> and the wire log to <paramref name="wireLog"/>.
    /// </summary>
    public static LspClient Start(string workingDirectory, IReadOnlyList<string> arguments, string stderrLog, string wireLog)
    {
        var start = new ProcessStartInfo(DotNet.Executable)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // As for the child builds: the server's MSBuild must find the SDK itself, not the outer `dotnet run`'s.
        foreach (var name in DotNet.InheritedBuildVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        var process = new Process { StartInfo = start };
        var stderr = new StreamWriter(stderrLog, append: false, Encoding.UTF8) { AutoFlush = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.WriteLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginErrorReadLine();

        var client = new LspClient(process, Stopwatch.StartNew(), new StreamWriter(wireLog, append: false, Encoding.UTF8) { AutoFlush = true });
        client._reader.Start();
        return client;
    }

    /// <summary>Sends a request and waits for its result (an error response throws <see cref="LspException"/>).</summary>
    public JsonNode? Request(string method, object? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (method, response);
        Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = ToNode(parameters) });
        try
        {
            if (!response.Task.Wait(timeout))
            {
                throw new TimeoutException($"{method}: no response within {timeout.TotalSeconds:F0} s");
            }
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }

        return response.Task.Result;
    }

    /// <summary>Sends a notification.</summary>
    public void Notify(string method, object? parameters) =>
        Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = ToNode(parameters) });

    /// <summary>
    /// Ends the session politely (<c>shutdown</c>, <c>exit</c>) when the server still answers, then makes sure the
    /// server and every process it started are gone. Safe to call more than once and from any thread.
    /// </summary>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                Request("shutdown", null, TimeSpan.FromSeconds(10));
                Notify("exit", null);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is TimeoutException or LspException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // It does not answer: it is killed below.
        }
        finally
        {
            Kill();
            _closed = true;
            lock (_writeLock)
            {
                _wireLog.Dispose();
            }
        }
    }

    /// <summary>Kills the server's process tree at once (for Ctrl+C and process exit).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        _ => JsonSerializer.SerializeToNode(value, Json),
    };

    private void Send(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        lock (_writeLock)
        {
            if (_closed)
            {
                throw new ObjectDisposedException(nameof(LspClient));
            }

            Log(">>", message.ToJsonString());
            _toServer.Write(header);
            _toServer.Write(body);
            _toServer.Flush();
        }
    }

    private void Log(string direction, string text)
    {
        lock (_writeLock)
        {
            if (!_closed)
            {
                _wireLog.WriteLine($"{_clock.Elapsed.TotalSeconds,9:F3} {direction} {text}");
            }
        }
    }

    private void ReadLoop()
    {
        try
        {
            while (ReadMessage() is { } message)
            {
                Dispatch(message);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The server went away.
        }

        foreach (var (_, pending) in _pending.Values)
        {
            pending.TrySetException(new IOException("the language server closed its output"));
        }
    }

    private JsonObject? ReadMessage()
    {
        var contentLength = -1;
        while (true)
        {
            var line = ReadHeaderLine();
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (contentLength < 0)
        {
            throw new IOException("a message without Content-Length");
        }

        var body = new byte[contentLength];
        _fromServer.ReadExactly(body);
        var text = Encoding.UTF8.GetString(body);
        Log("<<", text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private string? ReadHeaderLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = _fromServer.ReadByte();
            if (b < 0)
            {
                return null;
            }

            if (b == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add((byte)b);
        }
    }

    private void Dispatch(JsonObject message)
    {
        var method = (string?)message["method"];
        var id = message["id"];
        if (method is not null && id is not null)
        {
            JsonObject response;
            try
            {
                response = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = ServerRequestHandler?.Invoke(method, message["params"]) };
            }
            catch (NotSupportedException)
            {
                response = new JsonObject
                {
                    ["jsonrpc"] = "2.0",
                    ["id"] = id.DeepClone(),
                    ["error"] = new JsonObject { ["code"] = -32601, ["message"] = $"{method} is not supported by this client" },
                };
            }

            try
            {
                Send(response);
            }
            catch (ObjectDisposedException)
            {
            }
        }
        else if (id is not null)
        {
            if (_pending.TryGetValue(id.GetValue<long>(), out var pending))
            {
                if (message["error"] is { } error)
                {
                    pending.Response.TrySetException(new LspException(pending.Method, error));
                }
                else
                {
                    pending.Response.TrySetResult(message["result"]);
                }
            }
        }
        else if (method is not null)
        {
            Notification?.Invoke(new ServerNotification(_clock.Elapsed, method, message["params"]));
        }
    }
}
