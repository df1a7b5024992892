using System;

namespace CoroutineGen;

/// <summary>
/// Thrown by <c>Send</c> or <c>Throw</c> when the coroutine is finished or finishes during the call (Python's
/// <c>StopIteration</c>). <see cref="Value"/> carries the template's return value, if it has one.
/// </summary>
public sealed class StopIterationException : Exception
{
    /// <summary>Creates the exception for a coroutine that returned no value.</summary>
    public StopIterationException()
        : base("The coroutine has finished.")
    {
    }

    /// <summary>Creates the exception for a coroutine that returned <paramref name="value"/>.</summary>
    /// <param name="value">The value the template returned.</param>
    public StopIterationException(object? value)
        : base("The coroutine has finished.")
    {
        Value = value;
    }

    /// <summary>The value the template returned (<c>null</c> for <c>void</c> templates).</summary>
    public object? Value { get; }
}
