using System;

namespace CoroutineGen;

/// <summary>
/// The coroutine on the other side of a bridge failed: the target that a
/// <see cref="Coroutines.Threaded{T}(ICoroutine{T}, int)"/> bridge drives on its worker thread threw, or the child
/// process of a <see cref="Sinks.ToChildProcess{T}(System.Diagnostics.ProcessStartInfo, System.Text.Json.JsonSerializerOptions?)"/>
/// bridge failed.
/// </summary>
/// <remarks>
/// The failure happens on another thread or in another process, so it cannot propagate out of the call that caused
/// it. The bridge reports it to its own caller instead: from the next <c>Send</c>, or from <c>Close</c>. The message
/// says which value failed and which values were not delivered; <see cref="Exception.InnerException"/> is what the
/// target threw (for a thread bridge).
/// </remarks>
public class CoroutineBridgeException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public CoroutineBridgeException()
        : base("The coroutine on the other side of a bridge failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what was not delivered.</param>
    public CoroutineBridgeException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception for a failure on the other side.</summary>
    /// <param name="message">What failed, where, and what was not delivered.</param>
    /// <param name="innerException">The exception thrown on the other side.</param>
    public CoroutineBridgeException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The child process of a <see cref="Sinks.ToChildProcess{T}(System.Diagnostics.ProcessStartInfo, System.Text.Json.JsonSerializerOptions?)"/>
/// bridge exited with a non-zero exit code: while the bridge was still sending to it (reported by the next
/// <c>Send</c>), or after its input was closed (reported by <c>Close</c>).
/// </summary>
public sealed class ChildProcessException : CoroutineBridgeException
{
    /// <summary>Creates the exception with a generic message, no exit code (-1) and no standard error.</summary>
    public ChildProcessException()
        : this("The child process of a bridge failed.")
    {
    }

    /// <summary>Creates the exception with no exit code (-1) and no standard error.</summary>
    /// <param name="message">What happened.</param>
    public ChildProcessException(string? message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with no exit code (-1) and no standard error.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The exception that showed the failure, if any.</param>
    public ChildProcessException(string? message, Exception? innerException)
        : base(message, innerException)
    {
        ExitCode = -1;
        StandardError = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, with what the child wrote to its standard error.</param>
    /// <param name="exitCode">The child's exit code.</param>
    /// <param name="standardError">What the child wrote to its standard error (see <see cref="StandardError"/>).</param>
    /// <param name="innerException">The error writing to the child's input (a broken pipe), if that is how the
    /// failure showed; otherwise <c>null</c>.</param>
    public ChildProcessException(string message, int exitCode, string standardError, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
        StandardError = standardError ?? throw new ArgumentNullException(nameof(standardError));
    }

    /// <summary>The child's exit code (on Unix, 128 + the signal number for a child killed by a signal).</summary>
    public int ExitCode { get; }

    /// <summary>
    /// What the child wrote to its standard error, as lines joined with <c>\n</c> (empty if it wrote nothing): for a
    /// .NET or Python child that crashed, its exception and stack trace. Long output keeps its first 10 and last 30
    /// lines, with a line saying how many were left out between them.
    /// </summary>
    public string StandardError { get; }
}
