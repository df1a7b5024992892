using System;

namespace CoroutineGen;

/// <summary>
/// Thrown by <c>Send</c> or <c>Throw</c> when the coroutine is finished or finishes during the call (Python's
/// <c>StopIteration</c>). <see cref="Value"/> carries the template's return value, if it has one.
/// </summary>
/// <remarks>
/// Besides the three standard constructors, <see cref="StopIterationException(object?)"/> creates one that carries a
/// return value, as Python's <c>StopIteration(value)</c> does. A <see cref="string"/> argument picks the message
/// constructor: to carry a string value, pass it as an <see cref="object"/>
/// (<c>new StopIterationException((object)text)</c>).
/// </remarks>
public sealed class StopIterationException : Exception
{
    private const string DefaultMessage = "The coroutine has finished.";

    /// <summary>Creates the exception for a coroutine that returned no value, with the default message.</summary>
    public StopIterationException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception with a message; <see cref="Value"/> is <c>null</c>.</summary>
    /// <param name="message">The message; <c>null</c> for the default one.</param>
    public StopIterationException(string? message)
        : base(message ?? DefaultMessage)
    {
    }

    /// <summary>
    /// Creates the exception with a message and the exception that caused it; <see cref="Value"/> is <c>null</c>.
    /// </summary>
    /// <param name="message">The message; <c>null</c> for the default one.</param>
    /// <param name="innerException">The exception that caused this one, or <c>null</c>.</param>
    public StopIterationException(string? message, Exception? innerException)
        : base(message ?? DefaultMessage, innerException)
    {
    }

    /// <summary>Creates the exception for a coroutine that returned <paramref name="value"/>, with the default message.</summary>
    /// <param name="value">The value the template returned. A <see cref="string"/> must be passed as an
    /// <see cref="object"/>, or the message constructor is chosen.</param>
    public StopIterationException(object? value)
        : base(DefaultMessage)
    {
        Value = value;
    }

    /// <summary>The value the template returned (<c>null</c> for <c>void</c> templates).</summary>
    public object? Value { get; }
}
