using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CoroutineGen;

public static partial class Sinks
{
    /// <summary>
    /// Starts a child process and creates a sink that sends each value to it: the value is written to the child's
    /// standard input as one line of JSON (Beazley's <c>sendto</c>, with JSON Lines instead of pickle). The child
    /// drives its own pipeline with <see cref="Sources.FromJsonLines{T}"/>, which closes that pipeline at the end
    /// of its input.
    /// </summary>
    /// <typeparam name="T">The type of the values; the child reads them back as its own type with the same JSON
    /// shape.</typeparam>
    /// <param name="startInfo">The program to start and its arguments, environment and working directory. The
    /// bridge sets <see cref="ProcessStartInfo.RedirectStandardInput"/> and
    /// <see cref="ProcessStartInfo.RedirectStandardError"/> on it. The child's standard output is not redirected: it
    /// writes to this process's output, as a program started from a shell does.</param>
    /// <param name="options">How to write the JSON; <c>null</c> for the defaults of <see cref="JsonSerializer"/>.
    /// The child should read with the same options.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) sink; the child is already running.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="startInfo"/> is <c>null</c>.</exception>
    /// <exception cref="ArgumentException"><paramref name="startInfo"/> asks for
    /// <see cref="ProcessStartInfo.UseShellExecute"/> or <see cref="ProcessStartInfo.RedirectStandardOutput"/> (the
    /// bridge could not write to the child, or nobody would read its output), or <paramref name="options"/> has
    /// <c>WriteIndented</c> set.</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started (for example, it
    /// does not exist).</exception>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description><b><c>Send(v)</c></b> writes <c>v</c>'s JSON and <c>\n</c> to the child's input and
    /// flushes it; it does not wait for the child to handle it. When the pipe is full (the child is slow),
    /// <c>Send</c> blocks until the child reads (back-pressure). If the child has exited with a non-zero code (it
    /// crashed), <c>Send</c> throws <see cref="ChildProcessException"/>, with the exit code and what the child
    /// wrote to its standard error, and the bridge is finished. If the child exited with code 0 before its input ended
    /// (it had enough), <c>Send</c> throws <see cref="StopIterationException"/>, as a finished target's <c>Send</c>
    /// does: a source then stops quietly. A crash is seen at the first <c>Send</c> after the child has exited, or
    /// at <c>Close</c>.</description></item>
    /// <item><description><b><c>Close()</c></b> closes the child's input, so its source sees the end of the input
    /// and closes its pipeline, and waits for the child to exit. A non-zero exit code is thrown as
    /// <see cref="ChildProcessException"/>. <c>Dispose()</c> is <c>Close()</c>.</description></item>
    /// <item><description><b><c>Throw(e)</c></b> is not handled, as in Beazley's <c>sendto</c>: <c>e</c>
    /// propagates and the bridge is finished. It is not sent to the child. The child's input is closed and the
    /// bridge waits for it to exit, as for <c>Close</c>; if it fails, <c>Throw</c> throws an
    /// <see cref="AggregateException"/> of <c>e</c> and the <see cref="ChildProcessException"/>.</description></item>
    /// <item><description><b>Standard error.</b> The child's standard error is read line by line and written to this
    /// process's <see cref="Console.Error"/>, so it shows as if inherited; the bridge keeps it (its first and last
    /// lines, if it is long) for the exception.</description></item>
    /// <item><description><b>Waiting.</b> <c>Close</c> waits for the child without a time limit, so a child must
    /// exit at the end of its input. A child that closes its input but keeps running is waited for too.</description></item>
    /// <item><description><b>Forgetting to close.</b> Each value is flushed when sent, so nothing waits in this
    /// process. When this process exits, the system closes the pipe: the child sees the end of its input and
    /// finishes on its own, but nobody waits for it or sees its exit code.</description></item>
    /// </list>
    /// <code>
    /// // The child is this program, started again with the argument "child"; it runs
    /// // Sources.FromJsonLines(Console.In, pipeline) and exits.
    /// var start = new ProcessStartInfo(Environment.ProcessPath!) { ArgumentList = { "child" } };
    /// using var child = Sinks.ToChildProcess&lt;LogEntry&gt;(start);
    /// Sources.Follow(reader, Parse(child));
    /// </code>
    /// </remarks>
    public static ICoroutine<T> ToChildProcess<T>(ProcessStartInfo startInfo, JsonSerializerOptions? options = null)
    {
        if (startInfo is null)
        {
            throw new ArgumentNullException(nameof(startInfo));
        }

        if (startInfo.UseShellExecute)
        {
            throw new ArgumentException(
                "A child process bridge writes to the child's standard input, which needs UseShellExecute = false.", nameof(startInfo));
        }

        if (startInfo.RedirectStandardOutput)
        {
            throw new ArgumentException(
                "A child process bridge does not read the child's standard output: leave RedirectStandardOutput false, so that the " +
                "child writes to this process's output, or have the child write its results somewhere else.",
                nameof(startInfo));
        }

        return new ChildProcessSink<T>(startInfo, JsonLines.ForWriting(options, nameof(options)));
    }

    private sealed class ChildProcessSink<T> : PushCoroutine<T>
    {
        // How much of the child's standard error the exception keeps: the start (where .NET writes the exception) and
        // the end (where Python writes it).
        private const int ErrorHeadLines = 10;
        private const int ErrorTailLines = 30;

        private readonly Process _process;
        private readonly Stream _input;
        private readonly JsonSerializerOptions _options;
        private readonly string _name;
        private readonly List<string> _errorHead = new();
        private readonly Queue<string> _errorTail = new();
        private long _errorLinesLeftOut;
        private long _sent;

        public ChildProcessSink(ProcessStartInfo startInfo, JsonSerializerOptions options)
        {
            _options = options;
            startInfo.RedirectStandardInput = true;
            startInfo.RedirectStandardError = true;
            startInfo.StandardErrorEncoding ??= new UTF8Encoding(false);
            _process = new Process { StartInfo = startInfo };
            _process.ErrorDataReceived += OnErrorLine;
            try
            {
                _process.Start();
            }
            catch
            {
                _process.Dispose();
                throw;
            }

            _name = $"'{CommandLine(startInfo)}' (process id {_process.Id})";
            _process.BeginErrorReadLine();

            // The bytes are written as they are (UTF-8 JSON), whatever encoding Process chose for its writer.
            _input = _process.StandardInput.BaseStream;
        }

        protected override void OnSend(T value)
        {
            byte[] line;
            try
            {
                line = JsonLines.SerializeUtf8Line(value, _options);
            }
            catch (Exception error)
            {
                // The bridge is finished: end the child as Close would, so that it does not wait for ever.
                var childFailure = EndChild(sending: true, null, out _);
                if (childFailure is not null)
                {
                    throw new AggregateException(error, childFailure);
                }

                throw;
            }

            if (_process.HasExited)
            {
                ChildStoppedReading(null);
                return;
            }

            try
            {
                _input.Write(line, 0, line.Length);
                _input.Flush();
            }
            catch (IOException brokenPipe)
            {
                ChildStoppedReading(brokenPipe);
                return;
            }

            _sent++;
        }

        protected override void OnClose()
        {
            var failure = EndChild(sending: false, null, out _);
            if (failure is not null)
            {
                throw failure;
            }
        }

        protected override void OnThrow(Exception exception)
        {
            var failure = EndChild(sending: false, null, out _);
            if (failure is not null)
            {
                throw new AggregateException(exception, failure);
            }

            CoroutineRuntime.Rethrow(exception);
        }

        /// <summary>
        /// The child exited, or closed its input, before the bridge was closed: a crash is thrown; a child that
        /// exited with code 0 finishes the bridge (this <c>Send</c> throws <see cref="StopIterationException"/>).
        /// </summary>
        private void ChildStoppedReading(IOException? brokenPipe)
        {
            var failure = EndChild(sending: true, brokenPipe, out int exitCode);
            if (exitCode == 0)
            {
                Return();
                return;
            }

            throw failure!;
        }

        /// <summary>
        /// Closes the child's input, waits for it to exit and releases it. Returns the exception that reports a
        /// non-zero exit code, or <c>null</c>. <paramref name="sending"/>: called from <c>Send</c>, whose value is then
        /// not delivered.
        /// </summary>
        private ChildProcessException? EndChild(bool sending, IOException? brokenPipe, out int exitCode)
        {
            bool exitedBefore = _process.HasExited;
            try
            {
                _process.StandardInput.Dispose();
            }
            catch (IOException)
            {
                // A broken pipe: the child is gone or has closed its input. Its exit code says how it ended.
            }

            _process.WaitForExit(); // also waits until its standard error has been read to the end
            exitCode = _process.ExitCode;
            string standardError = StandardError();

            _process.Dispose();
            if (exitCode == 0)
            {
                return null;
            }

            string what;
            if (sending && (brokenPipe is not null || exitedBefore))
            {
                what = $"exited with code {exitCode} while the bridge was sending to it. {_sent} values had been written to its input (it " +
                    $"may not have read them all); value #{_sent + 1}, passed to this Send, was not delivered.";
            }
            else if (exitedBefore)
            {
                what = $"exited with code {exitCode} before the bridge closed its input; {_sent} values had been written to it (it may " +
                    "not have read them all).";
            }
            else
            {
                what = $"exited with code {exitCode} after the bridge closed its input ({_sent} values written).";
            }

            string shown = standardError.Length == 0
                ? "It wrote nothing to its standard error."
                : "Its standard error:\n  " + standardError.Replace("\n", "\n  ");
            return new ChildProcessException($"The child process {_name} {what}\n{shown}", exitCode, standardError, brokenPipe);
        }

        private void OnErrorLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return; // end of the stream
            }

            lock (_errorHead)
            {
                if (_errorHead.Count < ErrorHeadLines)
                {
                    _errorHead.Add(e.Data);
                }
                else
                {
                    _errorTail.Enqueue(e.Data);
                    if (_errorTail.Count > ErrorTailLines)
                    {
                        _errorTail.Dequeue();
                        _errorLinesLeftOut++;
                    }
                }
            }

            Console.Error.WriteLine(e.Data);
        }

        /// <summary>What the child wrote to its standard error, with the middle left out if it is long.</summary>
        private string StandardError()
        {
            lock (_errorHead)
            {
                var lines = new List<string>(_errorHead);
                if (_errorLinesLeftOut > 0)
                {
                    lines.Add($"... ({_errorLinesLeftOut} lines left out) ...");
                }

                lines.AddRange(_errorTail);
                return string.Join("\n", lines);
            }
        }

        private static string CommandLine(ProcessStartInfo startInfo)
        {
            var parts = new List<string> { startInfo.FileName };
            if (!string.IsNullOrEmpty(startInfo.Arguments))
            {
                parts.Add(startInfo.Arguments);
            }
#if !NETSTANDARD2_0
            parts.AddRange(startInfo.ArgumentList);
#endif
            return string.Join(" ", parts);
        }
    }
}
