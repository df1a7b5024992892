using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CoroutineGen;

namespace CoroutineGen.Samples.Pipelines;

/// <summary>
/// The command line of the sample: parses the arguments, builds <c>follow -> [grep -> ...] -> printer</c> and runs
/// it. Everything the program does is here, behind <see cref="Run"/>, so tests can drive it with their own writers
/// and cancellation token; <c>Program.Main</c> only connects it to the console and to Ctrl+C.
/// </summary>
public static class PipelineCommand
{
    /// <summary>Exit code: the input was read to its end, or <c>--follow</c> was stopped (Ctrl+C).</summary>
    public const int Success = 0;

    /// <summary>Exit code: the file could not be opened or read.</summary>
    public const int Failure = 1;

    /// <summary>Exit code: unknown option, missing pattern, more than one file.</summary>
    public const int BadUsage = 2;

    /// <summary>Exit code: Ctrl+C stopped a run without <c>--follow</c> before the end of the file (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>The one-line usage summary, written to stderr on bad usage.</summary>
    public const string Usage = "usage: Pipelines [--grep PATTERN]... [--follow] [--async [--tcp HOST:PORT]] [FILE]";

    /// <summary>The full help, written to stdout by <c>--help</c>.</summary>
    public static readonly string Help = string.Join(
        Environment.NewLine,
        Usage,
        "",
        "Sends each line of FILE (default: the bundled access-log) through a pipeline of coroutines,",
        "follow -> grep -> ... -> printer. The printer writes each line it receives and, when it is",
        "closed at the end of the input, \"Going away. Goodbye\".",
        "",
        "  --grep PATTERN  pass on only the lines that contain PATTERN (case-sensitive);",
        "                  repeat it to chain filters (a line must contain every PATTERN)",
        "  --follow        keep reading the lines appended to FILE, like tail -f, until Ctrl+C",
        "  --async         run the pipeline with async stages (async templates, awaited writes)",
        "  --tcp HOST:PORT with --async: send the lines to a TCP server instead of stdout",
        "  --              the next argument is the FILE, even if it starts with -",
        "  -h, --help      show this help",
        "",
        "Exit codes: 0 done (or --follow stopped with Ctrl+C), 1 the file cannot be read,",
        "2 bad usage, 130 Ctrl+C before the end of the file (without --follow).",
        "");

    /// <summary>The file read when no FILE is given: <c>access-log</c>, copied next to the program.</summary>
    public static string BundledLog => Path.Combine(AppContext.BaseDirectory, "access-log");

    /// <summary>Runs the sample.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="stdout">Where the printer writes (and <c>--help</c>).</param>
    /// <param name="stderr">Where errors and the usage line go.</param>
    /// <param name="cancellationToken">Ctrl+C: stops reading; the pipeline is closed, so the printer still says goodbye.</param>
    /// <returns>The exit code: <see cref="Success"/>, <see cref="Failure"/>, <see cref="BadUsage"/> or <see cref="Interrupted"/>.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        if (!Options.TryParse(args, out var options, out var error))
        {
            stderr.WriteLine($"Pipelines: {error}");
            stderr.WriteLine(Usage);
            return BadUsage;
        }

        if (options.Help)
        {
            stdout.Write(Help);
            return Success;
        }

        var path = options.File ?? BundledLog;
        FileStream input;
        try
        {
            // Opened here, before any stage exists, so a missing file is one line on stderr and nothing else.
            // FileShare.ReadWrite | Delete: the program writing the log can go on appending to it (and rotate it).
            input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            stderr.WriteLine($"Pipelines: no such file: {path}");
            return Failure;
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            stderr.WriteLine($"Pipelines: is a directory: {path}");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Pipelines: cannot open {path}: {e.Message}");
            return Failure;
        }

        using (input)
        {
            try
            {
                // The async pipeline runs to its end here: Run stays one synchronous entry point for both modes (a console
                // program has no synchronization context, so blocking on the task cannot deadlock).
                return options.Async
                    ? PumpAsync(input, options, stdout, cancellationToken).GetAwaiter().GetResult()
                    : Pump(input, options, stdout, cancellationToken);
            }
            catch (SocketException e)
            {
                stderr.WriteLine($"Pipelines: cannot send to {options.Tcp!.Value.Host}:{options.Tcp.Value.Port}: {e.Message}");
                return Failure;
            }
            catch (IOException e)
            {
                stderr.WriteLine($"Pipelines: cannot read {path}: {e.Message}");
                return Failure;
            }
        }
    }

    private static int Pump(FileStream input, Options options, TextWriter stdout, CancellationToken cancellationToken)
    {
        // Built back to front, as in Beazley's copipe.py: printer() first, then each grep(pattern, target) in front
        // of the stage it feeds. Every factory returns a primed coroutine (his @coroutine decorator).
        var stages = new List<ICoroutine<string>> { Stages.Printer(stdout) };
        for (int i = options.Patterns.Count - 1; i >= 0; i--)
        {
            stages.Insert(0, Stages.Grep(options.Patterns[i], stages[0]));
        }

        try
        {
            if (options.Follow)
            {
                // tail -f: the lines already in the file, then each line appended to it, until Ctrl+C cancels
                // the token. Follow then closes the first stage and throws OperationCanceledException: for this
                // program that is the normal way to stop following, so it is a success.
                try
                {
                    Sources.Follow(input, stages[0], cancellationToken: cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }

                return Success;
            }

            // Read to the end of the file; Follow closes the first stage there.
            using var reader = new StreamReader(input, leaveOpen: true);
            var lines = new InterruptibleReader(reader, cancellationToken);
            Sources.Follow(lines, stages[0]);
            return lines.Interrupted ? Interrupted : Success;
        }
        finally
        {
            // The source closed the first stage. The others are ours to close: a grep does not close its target,
            // and no garbage collector closes a coroutine in .NET. Front to back, so the printer says goodbye last.
            foreach (var stage in stages)
            {
                stage.Close();
            }
        }
    }

    /// <summary>
    /// <c>--async</c>: the same pipeline built from <see cref="AsyncStages"/> (async templates) and driven by the async
    /// sources. The printer (or the TCP sender) awaits each write; <c>--follow</c> reads the file with awaited reads
    /// and waits for new lines with an awaited delay, so no thread is blocked while the log is quiet.
    /// </summary>
    private static async Task<int> PumpAsync(FileStream input, Options options, TextWriter stdout, CancellationToken cancellationToken)
    {
        IAsyncCoroutine<string> sink = options.Tcp is { } tcp
            ? await AsyncStages.TcpSender(tcp.Host, tcp.Port)
            : await AsyncStages.Printer(stdout);
        var stages = new List<IAsyncCoroutine<string>> { sink };
        for (int i = options.Patterns.Count - 1; i >= 0; i--)
        {
            stages.Insert(0, await AsyncStages.Grep(options.Patterns[i], stages[0]));
        }

        try
        {
            if (options.Follow)
            {
                try
                {
                    await Sources.FollowAsync(input, stages[0], cancellationToken: cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }

                return Success;
            }

            using var reader = new StreamReader(input, leaveOpen: true);
            var lines = new InterruptibleReader(reader, cancellationToken);
            await Sources.FromLinesAsync(lines, stages[0]);
            return lines.Interrupted ? Interrupted : Success;
        }
        finally
        {
            // As in the synchronous pipeline: the source closed the first stage; close the others, front to back.
            foreach (var stage in stages)
            {
                await stage.CloseAsync();
            }
        }
    }

    /// <summary>A reader that reports the end of the input once the token is cancelled (Ctrl+C without --follow).</summary>
    private sealed class InterruptibleReader(TextReader inner, CancellationToken cancellationToken) : TextReader
    {
        /// <summary>Reading stopped because of the token while the input still had more.</summary>
        public bool Interrupted { get; private set; }

        public override string? ReadLine() => Stopped() ? null : inner.ReadLine();

        public override Task<string?> ReadLineAsync() => Stopped() ? Task.FromResult<string?>(null) : inner.ReadLineAsync();

        public override ValueTask<string?> ReadLineAsync(CancellationToken token) => Stopped() ? new ValueTask<string?>((string?)null) : inner.ReadLineAsync(token);

        public override int Read() => Stopped() ? -1 : inner.Read();

        public override int Peek() => Stopped() ? -1 : inner.Peek();

        private bool Stopped()
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            Interrupted |= inner.Peek() >= 0;
            return true;
        }
    }

    /// <summary>The parsed command line.</summary>
    private sealed class Options
    {
        public List<string> Patterns { get; } = new();

        public bool Follow { get; private set; }

        public bool Async { get; private set; }

        public (string Host, int Port)? Tcp { get; private set; }

        public bool Help { get; private set; }

        public string? File { get; private set; }

        public static bool TryParse(string[] args, out Options options, out string? error)
        {
            options = new Options();
            error = null;
            bool onlyFiles = false;
            for (int i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                if (!onlyFiles && arg.StartsWith('-') && arg != "-")
                {
                    switch (arg)
                    {
                        case "--grep":
                            if (i + 1 == args.Length)
                            {
                                error = "--grep needs a PATTERN";
                                return false;
                            }

                            // Taken as is, like grep -e: "--grep --follow" looks for "--follow".
                            options.Patterns.Add(args[++i]);
                            continue;
                        case "--follow":
                            options.Follow = true;
                            continue;
                        case "--async":
                            options.Async = true;
                            continue;
                        case "--tcp":
                            if (i + 1 == args.Length || !TryParseEndpoint(args[i + 1], out var endpoint))
                            {
                                error = "--tcp needs HOST:PORT (e.g. 127.0.0.1:9000)";
                                return false;
                            }

                            options.Tcp = endpoint;
                            i++;
                            continue;
                        case "-h":
                        case "--help":
                            options.Help = true;
                            continue;
                        case "--":
                            onlyFiles = true;
                            continue;
                        default:
                            error = $"unknown option {arg}";
                            return false;
                    }
                }

                if (options.File is not null)
                {
                    error = $"one FILE at most (got {options.File} and {arg})";
                    return false;
                }

                options.File = arg;
            }

            if (options.Tcp is not null && !options.Async)
            {
                error = "--tcp needs --async (the TCP sink is an async stage)";
                return false;
            }

            return true;
        }

        private static bool TryParseEndpoint(string text, out (string Host, int Port) endpoint)
        {
            endpoint = default;
            int colon = text.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
            {
                return false;
            }

            endpoint = (text[..colon], port);
            return true;
        }
    }
}
