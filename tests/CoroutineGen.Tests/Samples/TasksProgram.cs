using System.Diagnostics;
using System.Text;
using CoroutineGen.Samples.Tasks;

namespace CoroutineGen.Tests.Samples;

/// <summary>Runs the samples/Tasks program (<c>dotnet Tasks.dll ARGS</c>) to its end.</summary>
public static class TasksProgram
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Runs the sample program with <paramref name="args"/> and returns its exit code and output lines.</summary>
    public static (int Code, IReadOnlyList<string> Out, IReadOnlyList<string> Err) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(typeof(Demos).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"samples/Tasks {string.Join(' ', args)} did not finish within {Patience.TotalSeconds} s");
        }

        return (process.ExitCode, Lines(output.Result), Lines(error.Result));
    }

    private static List<string> Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
