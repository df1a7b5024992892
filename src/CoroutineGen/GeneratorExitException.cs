using System;

namespace CoroutineGen;

/// <summary>
/// Raised at a coroutine's suspension point by <see cref="ICoroutine{T}.Close"/> (Python's <c>GeneratorExit</c>).
/// </summary>
/// <remarks>
/// Catch it to clean up, then finish: a coroutine that suspends again after catching it makes
/// <c>Close()</c> throw. As in Python, where <c>GeneratorExit</c> is not an <c>Exception</c>, generated code does
/// not let <c>catch (Exception)</c> or a bare <c>catch</c> in a template catch it: only a clause that names
/// <see cref="GeneratorExitException"/> does.
/// </remarks>
public sealed class GeneratorExitException : Exception
{
    private const string DefaultMessage = "The coroutine is being closed.";

    /// <summary>Creates the exception with the default message.</summary>
    public GeneratorExitException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message; <c>null</c> for the default one.</param>
    public GeneratorExitException(string? message)
        : base(message ?? DefaultMessage)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message; <c>null</c> for the default one.</param>
    /// <param name="innerException">The exception that caused this one, or <c>null</c>.</param>
    public GeneratorExitException(string? message, Exception? innerException)
        : base(message ?? DefaultMessage, innerException)
    {
    }
}
