using System.Runtime.CompilerServices;

namespace CoroutineGen.Benchmarks.Prototypes;

/// <summary>
/// PROTOTYPE of what the runtime would add for the handler-free shape (<see cref="HandlerFreeStages"/>): the core
/// through which generated coroutines send to each other without exceptions. Defined here, not in
/// <c>src/CoroutineGen</c>, until the shape is chosen. Generated classes would implement it explicitly; user code
/// would not see it (<c>EditorBrowsable(Never)</c>).
/// </summary>
/// <remarks>
/// Invariant on purpose, unlike <see cref="ICoroutine{T}"/>: a stage tests its target with
/// <c>target is ICoroutineCore&lt;T&gt;</c>, which the JIT compiles (where dynamic PGO does not turn it into a method-table
/// compare, e.g. with <c>TieredPGO=0</c>) into a call of <c>CORINFO_HELP_ISINSTANCEOFINTERFACE</c>, a scan of the
/// interface map; for a variant interface it calls <c>CORINFO_HELP_ISINSTANCEOFANY</c>, the general cast with the
/// variance rules. A generated coroutine reached only through contravariance (an <c>ICoroutine&lt;object&gt;</c> used as
/// an <c>ICoroutine&lt;string&gt;</c>) is then not seen as a core and is sent to through the helper: same behaviour,
/// slower.
/// </remarks>
/// <typeparam name="T">The type of the values the coroutine receives.</typeparam>
public interface ICoroutineCore<T> : ICoroutine<T>
{
    /// <summary>
    /// <see cref="ICoroutine{T}.Send"/> that reports the two outcomes a caller must turn into its own behaviour as a
    /// result instead of an exception:
    /// <list type="bullet">
    /// <item><description><c>true</c>: the coroutine received <paramref name="value"/> and is suspended again;
    /// <paramref name="raised"/> is <c>null</c>.</description></item>
    /// <item><description><c>false</c>, <paramref name="raised"/> <c>null</c>: the coroutine was finished (nothing was
    /// delivered) or finished during this call, where <c>Send</c> throws a new
    /// <see cref="StopIterationException"/> without a value.</description></item>
    /// <item><description><c>false</c>, <paramref name="raised"/> a <see cref="GeneratorExitException"/>: it escaped the
    /// body (which is finished, as with any escaping exception); <c>Send</c> would have thrown it.</description></item>
    /// </list>
    /// Every other exception propagates, exactly as from <c>Send</c> (the coroutine finished, or, for
    /// "coroutine is already running", unchanged). A StopIterationException never escapes: one leaking from the body
    /// is already "coroutine raised StopIteration" (PEP 479).
    /// </summary>
    /// <param name="value">The value its pending receive returns.</param>
    /// <param name="raised">The GeneratorExitException that escaped the body, if any.</param>
    /// <returns>Whether the coroutine is suspended again.</returns>
    bool TrySendCore(T value, out Exception? raised);
}

/// <summary>PROTOTYPE of the runtime helpers the handler-free shape calls (they would join <c>CoroutineRuntime</c>).</summary>
public static class CoroutineCore
{
    /// <summary>
    /// Sends to a target that is not a <see cref="ICoroutineCore{T}"/> (hand-written, Rx adapters, coroutines of other
    /// generator versions), with the same contract as <see cref="ICoroutineCore{T}.TrySendCore"/> except that
    /// <paramref name="raised"/> also carries the <see cref="StopIterationException"/> the target threw (PEP 479 needs
    /// it as the inner exception). The only catch clauses of a stage's fast path are here: not inlined, shared, and
    /// entered only where the target is not generated.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TrySendOther<T>(ICoroutine<T> target, T value, out Exception? raised)
    {
        try
        {
            target.Send(value);
            raised = null;
            return true;
        }
        catch (StopIterationException e)
        {
            raised = e;
            return false;
        }
        catch (GeneratorExitException e)
        {
            raised = e;
            return false;
        }
    }

    /// <summary>
    /// What a public <c>Send</c> throws when its core returned <c>false</c>: a new StopIterationException (the
    /// coroutine is finished), or the GeneratorExitException that escaped the body, rethrown with its stack trace.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowFinished(Exception? raised)
    {
        if (raised is null)
        {
            throw new StopIterationException();
        }

        CoroutineRuntime.Rethrow(raised);
    }

    /// <summary>
    /// PEP 479 for a target that finished (<paramref name="raised"/> <c>null</c>: a generated target reported it, and
    /// there is no original exception, so a new StopIterationException stands in for the one its <c>Send</c> would
    /// have thrown) or whose <c>Send</c> threw a StopIterationException (the original, as inner exception).
    /// </summary>
    public static InvalidOperationException RaisedStopIteration(Exception? raised) =>
        CoroutineRuntime.RaisedStopIteration(raised as StopIterationException ?? new StopIterationException());
}
