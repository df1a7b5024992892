using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using CoroutineGen.Samples.Tasks;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// An echo server of samples/Tasks (<c>dotnet Tasks.dll SERVER --port 0 ...</c>) or its Python original
/// (<c>python3 -u python/SERVER.py --port 0 ...</c>) running as a process: its output lines as they arrive, the
/// port it listens on (read from its <c>Listening on 127.0.0.1:PORT</c> line), its output with the ports
/// normalised, and a kill on <see cref="Dispose"/> if it still runs. Every wait fails the test after
/// <see cref="Patience"/>.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    /// <summary>How long a wait for the server's output or exit may take (dotnet starts slowly on a loaded machine).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _name;
    private readonly object _gate = new();
    private readonly List<string> _output = new();
    private readonly List<string> _errors = new();
    private bool _outputEnded;

    private ServerProcess(string name, string program, IEnumerable<string> args)
    {
        _name = name;
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        _process.OutputDataReceived += (_, e) => Add(_output, e.Data, isOutput: true);
        _process.ErrorDataReceived += (_, e) => Add(_errors, e.Data, isOutput: false);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            WaitFor("the line 'Listening on 127.0.0.1:PORT'", lines => lines.Any(line => ListeningLine().IsMatch(line)));
            Port = int.Parse(Output.Select(line => ListeningLine().Match(line)).First(match => match.Success).Groups[1].Value);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The port the server listens on, at 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The lines the server has written to standard output so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToList();
            }
        }
    }

    /// <summary>The lines the server has written to standard error so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return _errors.ToList();
            }
        }
    }

    /// <summary>
    /// <see cref="Output"/> with the ports, which differ from run to run, replaced by <c>PORT</c>:
    /// <c>Listening on 127.0.0.1:PORT</c>, <c>Connection from ('127.0.0.1', PORT)</c>.
    /// </summary>
    public IReadOnlyList<string> Transcript => Output.Select(Normalise).ToList();

    /// <summary>Starts <c>dotnet Tasks.dll SERVER --port 0 OPTIONS</c>, and waits until it listens.</summary>
    public static ServerProcess Sample(string server, params string[] options) =>
        new($"samples/Tasks {server}", "dotnet", [typeof(Servers).Assembly.Location, server, "--port", "0", .. options]);

    /// <summary>Starts <c>python3 -u python/SERVER.py --port 0 OPTIONS</c>, and waits until it listens.</summary>
    public static ServerProcess Python(string server, params string[] options) =>
        new($"python/{server}.py", "python3", ["-u", Path.Combine(AppContext.BaseDirectory, "python", server + ".py"), "--port", "0", .. options]);

    /// <summary>Replaces the ports in an output line by <c>PORT</c>.</summary>
    public static string Normalise(string line) => ClientAddress().Replace(ListeningLine().Replace(line, "Listening on 127.0.0.1:PORT"), "('127.0.0.1', PORT)");

    /// <summary>Waits until the server has written <paramref name="count"/> lines equal to <paramref name="line"/>.</summary>
    public void WaitForLine(string line, int count = 1) =>
        WaitFor($"{count} line(s) '{line}'", lines => lines.Count(l => l == line) >= count);

    /// <summary>Waits until the output lines satisfy <paramref name="condition"/>; fails if the server ends first, or after <see cref="Patience"/>.</summary>
    public void WaitFor(string what, Func<IReadOnlyList<string>, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        lock (_gate)
        {
            while (!condition(_output))
            {
                var left = deadline - DateTime.UtcNow;
                if (_outputEnded || left <= TimeSpan.Zero)
                {
                    Assert.Fail($"{_name}: {(_outputEnded ? "the output ended" : $"timed out after {Patience.TotalSeconds} s")} " +
                        $"waiting for {what}\n--- output ---\n{string.Join("\n", _output)}\n--- errors ---\n{string.Join("\n", _errors)}");
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Waits for the server to exit (killing it and failing after <see cref="Patience"/>), and returns its exit code.</summary>
    public int WaitForExit()
    {
        if (!_process.WaitForExit(Patience))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"{_name} did not exit within {Patience.TotalSeconds} s\n--- output ---\n{string.Join("\n", Output)}");
        }

        // Without a timeout, WaitForExit also waits until the output events have all been raised.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Whether the server is still running after <paramref name="period"/>.</summary>
    public bool RunsFor(TimeSpan period) => !_process.WaitForExit(period);

    /// <summary>Sends the server a signal (SIGINT: Ctrl+C), with the C library's <c>kill</c> (Linux and macOS).</summary>
    public void Signal(PosixSignal signal)
    {
        int number = signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "only SIGINT and SIGTERM, whose numbers are the same on Linux and macOS"),
        };
        if (Kill(_process.Id, number) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(Patience);
        }

        _process.Dispose();
    }

    private void Add(List<string> lines, string? line, bool isOutput)
    {
        lock (_gate)
        {
            if (line is not null)
            {
                lines.Add(line);
            }
            else if (isOutput)
            {
                _outputEnded = true;
            }

            Monitor.PulseAll(_gate);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"Listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"\('127\.0\.0\.1', \d+\)")]
    private static partial Regex ClientAddress();
}
