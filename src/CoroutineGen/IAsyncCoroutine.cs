using System;
using System.Threading;
using System.Threading.Tasks;

namespace CoroutineGen;

/// <summary>
/// An asynchronous push target (Python's asynchronous generator driven by <c>asend()</c>, PEP 525): a coroutine whose
/// body may <c>await</c> between its suspension points. What an <c>async</c> template's factory returns; hand-written
/// classes may implement it too. <see cref="IAsyncDisposable.DisposeAsync"/> is <see cref="CloseAsync"/>.
/// </summary>
/// <typeparam name="T">The type of the values it receives.</typeparam>
/// <remarks>
/// One call at a time: a second <see cref="SendAsync"/>, <see cref="ThrowAsync"/> or <see cref="CloseAsync"/> before
/// the first has completed fails with <see cref="InvalidOperationException"/> ("coroutine is already running") and
/// changes nothing. Errors are reported through the returned task, except a null argument.
/// </remarks>
public interface IAsyncCoroutine<in T> : IAsyncDisposable
{
    /// <summary>The coroutine's life-cycle state (<see cref="CoroutineState.Running"/> while a call is in flight).</summary>
    CoroutineState State { get; }

    /// <summary>Resumes the coroutine with <paramref name="value"/> and runs it, awaits included, to its next suspension point.</summary>
    /// <param name="value">The value its pending receive returns.</param>
    /// <param name="cancellationToken">What the body sees as <c>inbox.CancellationToken</c> while this call runs.</param>
    /// <returns>A task that completes when the coroutine has suspended again; it fails with
    /// <see cref="StopIterationException"/> if the coroutine is finished or finishes during the call.</returns>
    ValueTask SendAsync(T value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises <paramref name="exception"/> at the suspension point. Completes normally if the body handles it and
    /// suspends again; otherwise fails with the exception (or <see cref="StopIterationException"/>, if the body
    /// finished). On a finished coroutine it fails with <paramref name="exception"/> itself.
    /// </summary>
    /// <param name="exception">The exception to raise inside the coroutine.</param>
    /// <param name="cancellationToken">What the body sees as <c>inbox.CancellationToken</c> while this call runs.</param>
    ValueTask ThrowAsync(Exception exception, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises <see cref="GeneratorExitException"/> at the suspension point so that <c>finally</c> blocks and
    /// <c>catch (GeneratorExitException)</c> handlers run (and may await). Does nothing on a finished coroutine; fails
    /// with <see cref="InvalidOperationException"/> ("coroutine ignored GeneratorExit") if the body suspends again.
    /// </summary>
    /// <param name="cancellationToken">What the body sees as <c>inbox.CancellationToken</c> while it closes.</param>
    ValueTask CloseAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// A bidirectional asynchronous coroutine: each <see cref="SendAsync"/> resumes it and completes with the next value
/// it yields (Python's <c>x = yield value</c> inside <c>async def</c>).
/// </summary>
/// <typeparam name="TIn">The type of the values sent in.</typeparam>
/// <typeparam name="TOut">The type of the values yielded back.</typeparam>
/// <remarks>
/// It is also an <see cref="IAsyncCoroutine{T}"/> of <typeparamref name="TIn"/>: through that interface,
/// <see cref="IAsyncCoroutine{T}.SendAsync"/> and <see cref="IAsyncCoroutine{T}.ThrowAsync"/> do the same as
/// <see cref="SendAsync"/> and <see cref="ThrowAsync"/> and drop the value yielded back.
/// </remarks>
public interface IAsyncCoroutine<in TIn, TOut> : IAsyncCoroutine<TIn>
{
    /// <summary>The value most recently yielded (after priming: the first one).</summary>
    TOut Current { get; }

    /// <summary>Resumes the coroutine with <paramref name="value"/> and completes with the next value it yields.</summary>
    /// <param name="value">The value its pending yield returns.</param>
    /// <param name="cancellationToken">What the body sees as <c>inbox.CancellationToken</c> while this call runs.</param>
    new ValueTask<TOut> SendAsync(TIn value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises <paramref name="exception"/> at the suspension point and completes with the next value yielded if the
    /// body handles it; otherwise fails with the exception (or <see cref="StopIterationException"/>).
    /// </summary>
    /// <param name="exception">The exception to raise inside the coroutine.</param>
    /// <param name="cancellationToken">What the body sees as <c>inbox.CancellationToken</c> while this call runs.</param>
    new ValueTask<TOut> ThrowAsync(Exception exception, CancellationToken cancellationToken = default);
}

/// <summary>
/// An asynchronous receiving coroutine whose template returns a value (<c>async Task&lt;R&gt;</c>): the value is
/// <see cref="ICoroutineResult{TResult}.Result"/> and <see cref="StopIterationException.Value"/> once it finished.
/// </summary>
/// <typeparam name="T">The type of the values it receives.</typeparam>
/// <typeparam name="TResult">The template's return type.</typeparam>
public interface IAsyncReturningCoroutine<in T, out TResult> : IAsyncCoroutine<T>, ICoroutineResult<TResult>
{
}

/// <summary>
/// A bidirectional asynchronous coroutine whose template returns a value (<c>async Task&lt;R&gt;</c>).
/// </summary>
/// <typeparam name="TIn">The type of the values sent in.</typeparam>
/// <typeparam name="TOut">The type of the values yielded back.</typeparam>
/// <typeparam name="TResult">The template's return type.</typeparam>
public interface IAsyncReturningCoroutine<in TIn, TOut, out TResult> : IAsyncCoroutine<TIn, TOut>, ICoroutineResult<TResult>
{
}
