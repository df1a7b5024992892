using System;
using System.Threading;

namespace CoroutineGen;

/// <summary>
/// Base class for a hand-written push coroutine: it gives a class with an <see cref="OnSend"/> method exactly the
/// life cycle and error rules of a generated coroutine (docs/semantics.md), so hand-written and generated stages mix
/// freely in one pipeline. Every helper of the library (<see cref="Coroutines.Broadcast{T}(ICoroutine{T}[])"/>,
/// the <see cref="Sinks"/>) is built on it.
/// </summary>
/// <typeparam name="T">The type of the values it receives.</typeparam>
/// <remarks>
/// <para>A subclass behaves exactly like the coroutine generated from this template, where <c>OnSend</c>,
/// <c>OnThrow</c> and <c>OnClose</c> are the overridable parts:</para>
/// <code>
/// [Coroutine]
/// static void Stage(Inbox&lt;T&gt; inbox)
/// {
///     while (true)
///     {
///         T item;
///         try
///         {
///             item = inbox.Receive();
///         }
///         catch (GeneratorExitException)   // Close(), or Throw(new GeneratorExitException())
///         {
///             OnClose();
///             return;
///         }
///         catch (Exception e)              // Throw(e): the default OnThrow rethrows e
///         {
///             OnThrow(e);
///             continue;
///         }
///         OnSend(item);
///     }
/// }
/// </code>
/// <para>So the rules are:</para>
/// <list type="bullet">
/// <item><description>A new instance is already primed: <see cref="State"/> starts at
/// <see cref="CoroutineState.Suspended"/> (never <see cref="CoroutineState.Created"/>), and is
/// <see cref="CoroutineState.Running"/> while one of the <c>On*</c> methods runs.</description></item>
/// <item><description><see cref="Send"/>, <see cref="Throw"/> or <see cref="Close"/> while it is running (a pipeline
/// cycle, or a call from another thread) throws <see cref="InvalidOperationException"/>
/// (<c>"coroutine is already running"</c>) and changes nothing.</description></item>
/// <item><description>An exception escaping <see cref="OnSend"/>, <see cref="OnThrow"/> or <see cref="OnClose"/>
/// finishes the coroutine and propagates unchanged, except a <see cref="StopIterationException"/> (say from a
/// <c>target.Send</c> into a finished sink), which becomes <see cref="InvalidOperationException"/>
/// (<c>"coroutine raised StopIteration"</c>) with the original as
/// <see cref="Exception.InnerException"/> (PEP 479).</description></item>
/// <item><description><see cref="Send"/> on a finished coroutine throws <see cref="StopIterationException"/>;
/// <see cref="Throw"/> on a finished coroutine throws the exception passed in; <see cref="Close"/> on a finished
/// coroutine does nothing; <see cref="Dispose"/> is <see cref="Close"/>.</description></item>
/// <item><description>By default <see cref="OnThrow"/> does not handle the exception: it propagates out of
/// <see cref="Throw"/> and the coroutine is finished, without calling <see cref="OnClose"/>. A
/// <see cref="GeneratorExitException"/> passed to <see cref="Throw"/> does not reach <see cref="OnThrow"/>: it
/// runs <see cref="OnClose"/>, and then <see cref="Throw"/> throws <see cref="StopIterationException"/> (the
/// handler returned), as Python's <c>throw(GeneratorExit)</c> does.</description></item>
/// <item><description><see cref="Return(object?)"/> is the template's <c>return</c>: the current <c>Send</c> or
/// <c>Throw</c> then throws <see cref="StopIterationException"/> and the coroutine is finished.</description></item>
/// </list>
/// <para>Like a generated coroutine, an instance is not thread-safe: drive it from one thread at a time. A call
/// from a second thread while the first is inside the coroutine is reported as "already running" rather than
/// corrupting it.</para>
/// </remarks>
public abstract class PushCoroutine<T> : ICoroutine<T>
{
    // The state field uses the numbering of generated coroutines (CoroutineRuntime): one resume point.
    private const int SuspendedAtReceive = 1;

    private int _state = SuspendedAtReceive;
    private bool _returning;
    private object? _returnValue;

    /// <summary>Creates the coroutine, already primed (<see cref="CoroutineState.Suspended"/>).</summary>
    protected PushCoroutine()
    {
    }

    /// <summary>
    /// <see cref="CoroutineState.Suspended"/> between calls, <see cref="CoroutineState.Running"/> while an
    /// <c>On*</c> method runs, <see cref="CoroutineState.Closed"/> once finished.
    /// </summary>
    public CoroutineState State => CoroutineRuntime.ToState(Volatile.Read(ref _state));

    /// <summary>Delivers <paramref name="value"/> to <see cref="OnSend"/>.</summary>
    /// <param name="value">The value to deliver.</param>
    /// <exception cref="StopIterationException">The coroutine is finished, or <see cref="OnSend"/> called
    /// <see cref="Return(object?)"/>.</exception>
    /// <exception cref="InvalidOperationException">The coroutine is already running, or <see cref="OnSend"/> let a
    /// <see cref="StopIterationException"/> escape ("coroutine raised StopIteration").</exception>
    public void Send(T value)
    {
        int previous = Interlocked.CompareExchange(ref _state, CoroutineRuntime.Running, SuspendedAtReceive);
        if (previous != SuspendedAtReceive)
        {
            CoroutineRuntime.ThrowNotSuspended(previous);
        }

        try
        {
            OnSend(value);
        }
        catch (StopIterationException leaked)
        {
            Finish();
            throw CoroutineRuntime.RaisedStopIteration(leaked);
        }
        catch
        {
            Finish();
            throw;
        }

        Suspend();
    }

    /// <summary>
    /// Raises <paramref name="exception"/> in the coroutine: <see cref="OnThrow"/> decides. By default the
    /// exception propagates and the coroutine is finished. On a finished coroutine it throws
    /// <paramref name="exception"/> itself. A <see cref="GeneratorExitException"/> runs <see cref="OnClose"/>
    /// instead, then throws <see cref="StopIterationException"/>.
    /// </summary>
    /// <param name="exception">The exception to raise.</param>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <c>null</c> (nothing changes).</exception>
    /// <exception cref="StopIterationException"><see cref="OnThrow"/> handled it and called
    /// <see cref="Return(object?)"/>, or <paramref name="exception"/> is a <see cref="GeneratorExitException"/> and
    /// <see cref="OnClose"/> returned.</exception>
    /// <exception cref="InvalidOperationException">The coroutine is already running.</exception>
    public void Throw(Exception exception)
    {
        if (exception is null)
        {
            throw new ArgumentNullException(nameof(exception));
        }

        int previous = Interlocked.CompareExchange(ref _state, CoroutineRuntime.Running, SuspendedAtReceive);
        if (previous == CoroutineRuntime.Running)
        {
            CoroutineRuntime.ThrowAlreadyRunning();
        }

        if (previous != SuspendedAtReceive)
        {
            CoroutineRuntime.Rethrow(exception);
        }

        try
        {
            if (exception is GeneratorExitException)
            {
                OnClose();
                if (!_returning)
                {
                    Return();
                }
            }
            else
            {
                OnThrow(exception);
            }
        }
        catch (StopIterationException leaked)
        {
            Finish();
            throw CoroutineRuntime.RaisedStopIteration(leaked);
        }
        catch
        {
            Finish();
            throw;
        }

        Suspend();
    }

    /// <summary>
    /// Closes the coroutine: runs <see cref="OnClose"/> (the <c>catch (GeneratorExitException)</c> handler) once,
    /// then the coroutine is <see cref="CoroutineState.Closed"/>. Does nothing on a finished coroutine.
    /// </summary>
    /// <exception cref="InvalidOperationException">The coroutine is already running, or <see cref="OnClose"/> let a
    /// <see cref="StopIterationException"/> escape.</exception>
    /// <remarks>An exception escaping <see cref="OnClose"/> propagates; the coroutine is closed all the same.</remarks>
    public void Close()
    {
        int previous = Interlocked.CompareExchange(ref _state, CoroutineRuntime.Running, SuspendedAtReceive);
        if (previous == CoroutineRuntime.Running)
        {
            CoroutineRuntime.ThrowAlreadyRunning();
        }

        if (previous != SuspendedAtReceive)
        {
            return;
        }

        try
        {
            OnClose();
        }
        catch (StopIterationException leaked)
        {
            Finish();
            throw CoroutineRuntime.RaisedStopIteration(leaked);
        }
        catch
        {
            Finish();
            throw;
        }

        Finish();
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    /// <summary>Handles one value passed to <see cref="Send"/>: the body of the receive loop.</summary>
    /// <param name="value">The value sent.</param>
    /// <remarks>
    /// An exception escaping it finishes the coroutine and propagates out of <see cref="Send"/> (a
    /// <see cref="StopIterationException"/> as "coroutine raised StopIteration"). Call
    /// <see cref="Return(object?)"/> to finish normally.
    /// </remarks>
    protected abstract void OnSend(T value);

    /// <summary>
    /// Handles an exception passed to <see cref="Throw"/> while the coroutine is suspended. The default rethrows it,
    /// so it propagates out of <see cref="Throw"/> and the coroutine is finished (<see cref="OnClose"/> is not
    /// called).
    /// </summary>
    /// <param name="exception">The exception passed to <see cref="Throw"/>.</param>
    /// <remarks>
    /// Return normally to handle it: <see cref="Throw"/> returns and the coroutine stays suspended. Call
    /// <see cref="Return(object?)"/> to handle it and finish: <see cref="Throw"/> then throws
    /// <see cref="StopIterationException"/>. Throw (this or another exception) to finish with an error.
    /// </remarks>
    protected virtual void OnThrow(Exception exception) => CoroutineRuntime.Rethrow(exception);

    /// <summary>
    /// Runs once when a suspended coroutine is closed (the template's <c>catch (GeneratorExitException)</c>
    /// handler): release resources, close targets. The default does nothing. Not called when the coroutine
    /// finished in another way (an error, <see cref="Return(object?)"/>, an unhandled <see cref="Throw"/>).
    /// </summary>
    /// <remarks>An exception escaping it propagates out of <see cref="Close"/>; the coroutine is closed anyway.</remarks>
    protected virtual void OnClose()
    {
    }

    /// <summary>
    /// Finishes the coroutine when the current <see cref="OnSend"/> or <see cref="OnThrow"/> returns, like
    /// <c>return value;</c> in a template: that <see cref="Send"/> or <see cref="Throw"/> throws
    /// <see cref="StopIterationException"/> with <see cref="StopIterationException.Value"/> =
    /// <paramref name="value"/>. Called from <see cref="OnClose"/> it has no further effect on <see cref="Close"/>,
    /// which returns normally; when <see cref="OnClose"/> runs for <c>Throw(new GeneratorExitException())</c>, the
    /// value goes into the <see cref="StopIterationException"/> that <see cref="Throw"/> throws.
    /// </summary>
    /// <param name="value">The return value (<c>null</c>: none).</param>
    /// <exception cref="InvalidOperationException">Called while the coroutine is not running (outside the
    /// <c>On*</c> methods).</exception>
    protected void Return(object? value = null)
    {
        if (Volatile.Read(ref _state) != CoroutineRuntime.Running)
        {
            throw new InvalidOperationException(
                "Return can only be called while the coroutine is running (from OnSend, OnThrow or OnClose).");
        }

        _returning = true;
        _returnValue = value;
    }

    private void Suspend()
    {
        if (_returning)
        {
            object? value = _returnValue;
            Finish();
            CoroutineRuntime.ThrowStopIteration(value);
        }

        Volatile.Write(ref _state, SuspendedAtReceive);
    }

    private void Finish()
    {
        _returning = false;
        _returnValue = null;
        Volatile.Write(ref _state, CoroutineRuntime.Finished);
    }
}
