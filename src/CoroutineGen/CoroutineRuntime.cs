using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace CoroutineGen;

/// <summary>
/// Helpers called by generated state machines. Not meant for user code: the members may change between versions.
/// </summary>
/// <remarks>
/// Generated coroutines keep their state in one <see cref="int"/>: <see cref="Created"/> (0) before priming, a
/// positive number while parked at that resume point, <see cref="Running"/> while the body executes and
/// <see cref="Finished"/> once it is done. The throw helpers keep exception construction out of the generated
/// <c>Send</c> methods, which stay small on their hot path.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CoroutineRuntime
{
    /// <summary>The state of a coroutine that has not been primed yet.</summary>
    public const int Created = 0;

    /// <summary>The state of a coroutine whose body is executing.</summary>
    public const int Running = -1;

    /// <summary>The state of a finished coroutine.</summary>
    public const int Finished = -2;

    /// <summary>
    /// The state of a coroutine whose body finished while its factory primed it, with its return value not yet taken
    /// by a <c>YieldFrom</c> (see <see cref="ICoroutinePrimingResult"/>). Public code sees it as closed.
    /// </summary>
    public const int FinishedWhilePriming = -3;

    /// <summary>Maps a generated state number to <see cref="CoroutineState"/>.</summary>
    /// <param name="state">The state field of a generated coroutine.</param>
    /// <returns>The public state.</returns>
    public static CoroutineState ToState(int state) => state switch
    {
        Created => CoroutineState.Created,
        Running => CoroutineState.Running,
        Finished => CoroutineState.Closed,
        _ => state > 0 ? CoroutineState.Suspended : CoroutineState.Closed,
    };

    /// <summary>Throws the error for resuming a coroutine that is not suspended: running or finished.</summary>
    /// <param name="state">The state field (<see cref="Running"/> or <see cref="Finished"/>).</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowNotSuspended(int state)
    {
        if (state == Running)
        {
            throw CoroutineErrors.AlreadyRunning();
        }

        throw new StopIterationException();
    }

    /// <summary>
    /// Checks the value that starts a coroutine created without priming: only <c>default</c> may (Python's
    /// <c>send(None)</c>); anything else throws and leaves the coroutine created, as Python's TypeError does.
    /// </summary>
    /// <typeparam name="T">The type of the values sent in.</typeparam>
    /// <param name="value">The value passed to <c>Send</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckStartValue<T>(T value)
    {
        if (!System.Collections.Generic.EqualityComparer<T>.Default.Equals(value, default!))
        {
            throw CoroutineErrors.NonDefaultStartValue(value);
        }
    }

    /// <summary>Throws the error for a re-entrant <c>Send</c>, <c>Throw</c> or <c>Close</c>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowAlreadyRunning() => throw CoroutineErrors.AlreadyRunning();

    /// <summary>Throws <see cref="StopIterationException"/> for a coroutine that has just finished.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowStopIteration() => throw new StopIterationException();

    /// <summary>Throws <see cref="StopIterationException"/> carrying a template's return value.</summary>
    /// <param name="value">The returned value.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowStopIteration(object? value) => throw new StopIterationException(value);

    /// <summary>Throws the error <c>Close()</c> reports when the body suspended again after <see cref="GeneratorExitException"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowIgnoredGeneratorExit() => throw CoroutineErrors.IgnoredGeneratorExit();

    /// <summary>
    /// The exception that replaces a <see cref="StopIterationException"/> escaping a template body (PEP 479):
    /// a leaked StopIteration must not pass for "this coroutine finished".
    /// </summary>
    /// <param name="leaked">The exception that escaped.</param>
    /// <returns>An <see cref="InvalidOperationException"/> with <paramref name="leaked"/> as its inner exception.</returns>
    public static InvalidOperationException RaisedStopIteration(StopIterationException leaked) =>
        CoroutineErrors.RaisedStopIteration(leaked);

    /// <summary>Throws <paramref name="exception"/>, keeping the stack trace it already has.</summary>
    /// <param name="exception">The exception to raise.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Rethrow(Exception exception) => ExceptionDispatchInfo.Capture(exception).Throw();

    /// <summary>Disposes a struct resource in place (as <c>using</c> does: no boxing, so the variable sees the call).</summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="resource">The variable holding the resource.</param>
    public static void DisposeValue<T>(ref T resource)
        where T : struct, IDisposable => resource.Dispose();

    /// <summary>Stores <paramref name="value"/> in <paramref name="target"/> and returns <c>true</c> (lets a pattern variable reach a field).</summary>
    /// <typeparam name="T">The variable's type.</typeparam>
    /// <param name="target">The field that holds the variable.</param>
    /// <param name="value">The value the pattern bound.</param>
    /// <returns>Always <c>true</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Store<T>(out T target, T value)
    {
        target = value;
        return true;
    }
}
