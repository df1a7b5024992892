using System;
using System.ComponentModel;
using System.Runtime.ExceptionServices;

namespace CoroutineGen;

/// <summary>
/// The state of one <c>inbox.YieldFrom(sub)</c> of a receiving coroutine while it delegates: the sub, and its return
/// value once it has finished. A generated state machine keeps one in a field per <c>YieldFrom</c> call of its
/// template and forwards its <c>Send</c>, <c>Throw</c> and <c>Close</c> here while it is parked there, as PEP 380's
/// expansion of <c>yield from</c> does. Not meant for user code: the members may change between versions.
/// </summary>
/// <typeparam name="T">The type of the values sent in.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct Delegation<T>
{
    private ICoroutine<T>? _sub;
    private object? _result;

    /// <summary>
    /// Starts delegating to <paramref name="sub"/>: a primed sub is left where it is parked, a created one is started
    /// with <c>Send(default)</c>.
    /// </summary>
    /// <param name="sub">The sub-coroutine.</param>
    /// <returns><c>true</c> if the sub is parked (the delegator parks too); <c>false</c> if it has finished.</returns>
    public bool Start(ICoroutine<T> sub)
    {
        switch (Delegations.Check(sub?.State, sub, out _result))
        {
            case CoroutineState.Suspended:
                _sub = sub;
                return true;
            case CoroutineState.Created:
                _sub = sub;
                return Send(default!);
            default:
                return false;
        }
    }

    /// <summary>Sends <paramref name="value"/> to the sub.</summary>
    /// <param name="value">The value sent to the delegator.</param>
    /// <returns><c>true</c> if the sub parked again; <c>false</c> if it finished (its return value is kept).</returns>
    public bool Send(T value)
    {
        var sub = _sub!;
        try
        {
            sub.Send(value);
            return true;
        }
        catch (StopIterationException stop)
        {
            _sub = null;
            _result = stop.Value;
            return false;
        }
        catch
        {
            _sub = null;
            throw;
        }
    }

    /// <summary>
    /// Passes <paramref name="exception"/> on to the sub (<c>sub.Throw</c>). A <see cref="GeneratorExitException"/>
    /// is not passed on: the sub is closed and the exception is then raised here, in the delegator.
    /// </summary>
    /// <param name="exception">The exception thrown into the delegator.</param>
    /// <returns><c>true</c> if the sub handled it and parked again; <c>false</c> if it finished.</returns>
    public bool Throw(Exception exception)
    {
        var sub = _sub!;
        _sub = null;
        if (exception is GeneratorExitException)
        {
            sub.Close();
            ExceptionDispatchInfo.Capture(exception).Throw();
        }

        try
        {
            sub.Throw(exception);
            _sub = sub;
            return true;
        }
        catch (StopIterationException stop)
        {
            _result = stop.Value;
            return false;
        }
    }

    /// <summary>Closes the sub: the delegator is being closed.</summary>
    public void Close()
    {
        var sub = _sub;
        _sub = null;
        sub?.Close();
    }

    /// <summary>Ends the delegation of a sub that returns no value.</summary>
    public void Finish() => this = default;

    /// <summary>Ends the delegation and returns the sub's return value.</summary>
    /// <typeparam name="TResult">The sub's return type.</typeparam>
    /// <returns>The value the sub returned.</returns>
    public TResult Finish<TResult>()
    {
        var result = _result;
        this = default;
        return Delegations.Cast<TResult>(result);
    }
}

/// <summary>
/// The state of one <c>inbox.YieldFrom(sub)</c> of a bidirectional coroutine while it delegates: see
/// <see cref="Delegation{T}"/>. <see cref="Current"/> is the value the sub yielded last, which the delegator yields.
/// Not meant for user code: the members may change between versions.
/// </summary>
/// <typeparam name="TIn">The type of the values sent in.</typeparam>
/// <typeparam name="TOut">The type of the values yielded back.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct Delegation<TIn, TOut>
{
    private ICoroutine<TIn, TOut>? _sub;
    private object? _result;
    private TOut _current;

    /// <summary>The value the sub yielded last: the delegator yields it too.</summary>
    public readonly TOut Current => _current;

    /// <summary>
    /// Starts delegating to <paramref name="sub"/>: a primed sub is left where it is parked (its
    /// <see cref="ICoroutine{TIn, TOut}.Current"/> is the first value yielded), a created one is started with
    /// <c>Send(default)</c>.
    /// </summary>
    /// <param name="sub">The sub-coroutine.</param>
    /// <returns><c>true</c> if the sub is parked (the delegator parks too); <c>false</c> if it has finished.</returns>
    public bool Start(ICoroutine<TIn, TOut> sub)
    {
        switch (Delegations.Check(sub?.State, sub, out _result))
        {
            case CoroutineState.Suspended:
                _sub = sub;
                _current = sub!.Current;
                return true;
            case CoroutineState.Created:
                _sub = sub;
                return Send(default!);
            default:
                return false;
        }
    }

    /// <summary>Sends <paramref name="value"/> to the sub.</summary>
    /// <param name="value">The value sent to the delegator.</param>
    /// <returns><c>true</c> if the sub yielded again (<see cref="Current"/>); <c>false</c> if it finished.</returns>
    public bool Send(TIn value)
    {
        var sub = _sub!;
        try
        {
            _current = sub.Send(value);
            return true;
        }
        catch (StopIterationException stop)
        {
            _sub = null;
            _current = default!;
            _result = stop.Value;
            return false;
        }
        catch
        {
            _sub = null;
            _current = default!;
            throw;
        }
    }

    /// <summary>
    /// Passes <paramref name="exception"/> on to the sub (<c>sub.Throw</c>). A <see cref="GeneratorExitException"/>
    /// is not passed on: the sub is closed and the exception is then raised here, in the delegator.
    /// </summary>
    /// <param name="exception">The exception thrown into the delegator.</param>
    /// <returns><c>true</c> if the sub handled it and yielded again (<see cref="Current"/>); <c>false</c> if it finished.</returns>
    public bool Throw(Exception exception)
    {
        var sub = _sub!;
        _sub = null;
        _current = default!;
        if (exception is GeneratorExitException)
        {
            sub.Close();
            ExceptionDispatchInfo.Capture(exception).Throw();
        }

        try
        {
            _current = sub.Throw(exception);
            _sub = sub;
            return true;
        }
        catch (StopIterationException stop)
        {
            _result = stop.Value;
            return false;
        }
    }

    /// <summary>Closes the sub: the delegator is being closed.</summary>
    public void Close()
    {
        var sub = _sub;
        this = default;
        sub?.Close();
    }

    /// <summary>Ends the delegation of a sub that returns no value.</summary>
    public void Finish() => this = default;

    /// <summary>Ends the delegation and returns the sub's return value.</summary>
    /// <typeparam name="TResult">The sub's return type.</typeparam>
    /// <returns>The value the sub returned.</returns>
    public TResult Finish<TResult>()
    {
        var result = _result;
        this = default;
        return Delegations.Cast<TResult>(result);
    }
}

/// <summary>
/// Implemented by generated coroutines whose template returns a value, for <c>YieldFrom</c>: a body that finished
/// while the factory primed it returned a value nobody has seen, which a <c>YieldFrom</c> on it returns (as Python's
/// <c>yield from</c> on a fresh generator that returns at once does). Not meant for user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ICoroutinePrimingResult
{
    /// <summary>Hands out the return value of a body that finished while being primed, once.</summary>
    /// <param name="result">The return value.</param>
    /// <returns>Whether there was one to hand out.</returns>
    bool TakePrimingResult(out object? result);
}

/// <summary>What the two delegation structs share.</summary>
internal static class Delegations
{
    /// <summary>
    /// The sub's state (<paramref name="state"/>, null for a null sub) when a delegation starts. A running sub is a delegation loop (it throws, as Python's "generator
    /// already executing" does); a finished one gives its return value only if it finished while being primed.
    /// </summary>
    public static CoroutineState Check(CoroutineState? state, object? sub, out object? result)
    {
        result = null;
        if (state is not { } known)
        {
            throw new ArgumentNullException(nameof(sub), "YieldFrom needs a coroutine to delegate to, not null.");
        }

        if (known == CoroutineState.Running)
        {
            throw CoroutineErrors.AlreadyRunning();
        }

        if (known == CoroutineState.Closed && sub is ICoroutinePrimingResult priming)
        {
            priming.TakePrimingResult(out result);
        }

        return known;
    }

    public static TResult Cast<TResult>(object? result) => result switch
    {
        TResult typed => typed,
        null => default!,
        _ => throw new InvalidCastException(
            $"The sub-coroutine returned a {result.GetType()}, which YieldFrom cannot return as a {typeof(TResult)}."),
    };
}
