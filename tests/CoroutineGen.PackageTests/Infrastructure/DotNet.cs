using System.Diagnostics;
using System.Text;

namespace CoroutineGen.PackageTests.Infrastructure;

/// <summary>What a child <c>dotnet</c> process did.</summary>
public sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, string StandardOutput, string Output, TimeSpan Duration)
{
    /// <summary>A failure message: the command, where it ran, how it ended and everything it printed.</summary>
    public string Describe(string what) =>
        $"{what}\n`{CommandLine}` in {WorkingDirectory} exited with code {ExitCode} after {Duration.TotalSeconds:F1} s. " +
        $"Its output (stdout and stderr):\n{Output}";
}

/// <summary>Runs the <c>dotnet</c> CLI as a child process, with a timeout and the whole output captured.</summary>
internal static class DotNet
{
    /// <summary>
    /// The <c>dotnet</c> that runs these tests (the CLI sets DOTNET_HOST_PATH), else the one on PATH. Internal, like
    /// <see cref="InheritedBuildVariables"/>: tests/CoroutineGen.LspCheck links this file and starts its language
    /// server the same way.
    /// </summary>
    internal static string Executable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// Variables the outer <c>dotnet test</c> may have set that would point a child build at the outer one's
    /// MSBuild instead of letting the child SDK find its own.
    /// </summary>
    internal static readonly string[] InheritedBuildVariables =
    [
        "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "DOTNET_CLI_TELEMETRY_SESSIONID",
    ];

    /// <summary>
    /// Runs <c>dotnet <paramref name="arguments"/></c> in <paramref name="workingDirectory"/> and returns when it has
    /// exited. Throws a <see cref="TimeoutException"/> (after killing the process tree) with the output so far when
    /// it takes longer than <paramref name="timeout"/>.
    /// </summary>
    public static ProcessResult Run(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in InheritedBuildVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No MSBuild worker nodes left behind holding this process's output pipes.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        var commandLine = "dotnet " + string.Join(" ", arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        var stdout = new StringBuilder();
        var combined = new StringBuilder();
        var stdoutClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderrClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                stdoutClosed.TrySetResult();
                return;
            }

            lock (combined)
            {
                stdout.AppendLine(e.Data);
                combined.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                stderrClosed.TrySetResult();
                return;
            }

            lock (combined)
            {
                combined.AppendLine(e.Data);
            }
        };

        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Could not start `{commandLine}` in {workingDirectory}: {e.Message}", e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(30));
            }
            catch (InvalidOperationException)
            {
                // It exited between the timeout and the kill.
            }

            string partial;
            lock (combined)
            {
                partial = combined.ToString();
            }

            throw new TimeoutException(
                $"`{commandLine}` in {workingDirectory} did not finish within {timeout.TotalSeconds:F0} s and was killed. " +
                $"Output so far:\n{partial}");
        }

        // The process has exited; give the readers a bounded time to drain the pipes. (A grandchild that inherited
        // them, such as a build server, could keep them open: that must not hang the test.)
        Task.WaitAll([stdoutClosed.Task, stderrClosed.Task], TimeSpan.FromSeconds(15));
        clock.Stop();

        lock (combined)
        {
            return new ProcessResult(commandLine, workingDirectory, process.ExitCode, stdout.ToString(), combined.ToString(), clock.Elapsed);
        }
    }
}
