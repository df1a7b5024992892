using System;

namespace CoroutineGen;

/// <summary>
/// A push target: a coroutine (generated or hand-written) that consumes the values sent to it, like a Python
/// generator driven by <c>send()</c>. <see cref="IDisposable.Dispose"/> is <see cref="Close"/>.
/// </summary>
/// <typeparam name="T">The type of the values it receives.</typeparam>
public interface ICoroutine<in T> : IDisposable
{
    /// <summary>The coroutine's life-cycle state.</summary>
    CoroutineState State { get; }

    /// <summary>Resumes the coroutine with <paramref name="value"/> and runs it to its next suspension point.</summary>
    /// <param name="value">The value its pending receive returns.</param>
    /// <exception cref="StopIterationException">The coroutine is finished, or finished during this call.</exception>
    /// <exception cref="InvalidOperationException">The coroutine is already running (a re-entrant call).</exception>
    void Send(T value);

    /// <summary>
    /// Raises <paramref name="exception"/> at the suspension point. Returns normally if the body handles it and
    /// suspends again; otherwise the exception (or <see cref="StopIterationException"/>, if the body finished)
    /// propagates. On a finished coroutine it throws <paramref name="exception"/> itself.
    /// </summary>
    /// <param name="exception">The exception to raise inside the coroutine.</param>
    void Throw(Exception exception);

    /// <summary>
    /// Raises <see cref="GeneratorExitException"/> at the suspension point so that <c>finally</c> blocks and
    /// <c>catch (GeneratorExitException)</c> handlers run. Does nothing on a finished coroutine.
    /// </summary>
    /// <exception cref="InvalidOperationException">The body suspended again instead of finishing ("coroutine ignored GeneratorExit").</exception>
    void Close();
}

/// <summary>
/// A bidirectional coroutine: each <see cref="Send"/> resumes it and returns the next value it yields
/// (Python's <c>x = yield value</c>).
/// </summary>
/// <typeparam name="TIn">The type of the values sent in.</typeparam>
/// <typeparam name="TOut">The type of the values yielded back.</typeparam>
/// <remarks>
/// It is also an <see cref="ICoroutine{T}"/> of <typeparamref name="TIn"/>, so it can be passed wherever a one-way
/// target is expected (a source, <see cref="Coroutines.Broadcast{T}(ICoroutine{T}[])"/>, another stage): through
/// that interface, <see cref="ICoroutine{T}.Send(T)"/> and <see cref="ICoroutine{T}.Throw(Exception)"/> do the same
/// as <see cref="Send"/> and <see cref="Throw"/> and drop the value yielded back. <see cref="ICoroutine{T}.State"/>
/// and <see cref="ICoroutine{T}.Close"/> are shared.
/// </remarks>
public interface ICoroutine<in TIn, out TOut> : ICoroutine<TIn>
{
    /// <summary>The value most recently yielded (after priming: the first one).</summary>
    TOut Current { get; }

    /// <summary>Resumes the coroutine with <paramref name="value"/> and returns the next value it yields.</summary>
    /// <param name="value">The value its pending yield returns.</param>
    /// <returns>The value passed to the next yield.</returns>
    /// <exception cref="StopIterationException">The coroutine is finished, or finished during this call.</exception>
    /// <exception cref="InvalidOperationException">The coroutine is already running (a re-entrant call).</exception>
    new TOut Send(TIn value);

    /// <summary>
    /// Raises <paramref name="exception"/> at the suspension point and returns the next value yielded if the body
    /// handles it; otherwise the exception (or <see cref="StopIterationException"/>) propagates.
    /// </summary>
    /// <param name="exception">The exception to raise inside the coroutine.</param>
    /// <returns>The value passed to the next yield.</returns>
    new TOut Throw(Exception exception);
}

/// <summary>
/// A coroutine whose template returns a value (Python's <c>return value</c> in a generator, which ends it with
/// <c>StopIteration(value)</c>). Code that holds a coroutine by an interface, such as a scheduler or a trampoline,
/// reads the value here without knowing the generated class. Every generated coroutine of a template with a return
/// type implements it.
/// </summary>
/// <typeparam name="TResult">The template's return type.</typeparam>
public interface ICoroutineResult<out TResult>
{
    /// <summary>
    /// The value the body returned, once it has finished by returning (the same value as
    /// <see cref="StopIterationException.Value"/>); <c>default</c> before that, and when it finished otherwise.
    /// </summary>
    TResult Result { get; }
}

/// <summary>
/// A receiving coroutine whose template returns a value: what a generated factory returns for a template such as
/// <c>[Coroutine] static int Sum(Inbox&lt;int&gt; inbox)</c>. <c>inbox.YieldFrom(sub)</c> on such a sub is typed: it
/// evaluates to the sub's return value.
/// </summary>
/// <typeparam name="T">The type of the values it receives.</typeparam>
/// <typeparam name="TResult">The template's return type.</typeparam>
public interface IReturningCoroutine<in T, out TResult> : ICoroutine<T>, ICoroutineResult<TResult>
{
}

/// <summary>
/// A bidirectional coroutine whose template returns a value: what a generated factory returns for a template such
/// as <c>[Coroutine] static int Run(Inbox&lt;int, string&gt; inbox)</c>. <c>inbox.YieldFrom(sub)</c> on such a sub is
/// typed: it evaluates to the sub's return value.
/// </summary>
/// <typeparam name="TIn">The type of the values sent in.</typeparam>
/// <typeparam name="TOut">The type of the values yielded back.</typeparam>
/// <typeparam name="TResult">The template's return type.</typeparam>
public interface IReturningCoroutine<in TIn, out TOut, out TResult> : ICoroutine<TIn, TOut>, ICoroutineResult<TResult>
{
}
