namespace CoroutineGen;

/// <summary>
/// The suspension points of a receive-only coroutine template. Declare it as the template's first parameter and
/// call <see cref="Receive"/> where Python would write <c>item = (yield)</c>.
/// </summary>
/// <typeparam name="T">The type of the values sent into the coroutine.</typeparam>
/// <remarks>
/// An inbox is never created: the generator replaces every <see cref="Receive"/> call in a template with a
/// suspension of the state machine. Calling it at run time throws <see cref="System.InvalidOperationException"/>.
/// </remarks>
public sealed class Inbox<T>
{
    private Inbox()
    {
    }

    /// <summary>
    /// In an <c>async</c> template: the <see cref="System.Threading.CancellationToken"/> passed to the call that is
    /// running the body (<c>SendAsync</c>, <c>ThrowAsync</c>, <c>CloseAsync</c>; none while the factory primes it).
    /// Pass it on to what the body awaits. A synchronous template has no token to read (CORO0004).
    /// </summary>
    /// <exception cref="System.InvalidOperationException">Always, when read at run time: only generated code has a current call.</exception>
    public System.Threading.CancellationToken CancellationToken => throw CoroutineErrors.TemplateOnly("CancellationToken");

    /// <summary>Suspends the coroutine until a value is sent, and returns that value (Python's <c>(yield)</c>).</summary>
    /// <returns>The value passed to <see cref="ICoroutine{T}.Send(T)"/>.</returns>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public T Receive() => throw CoroutineErrors.TemplateOnly("Receive()");

    /// <summary>
    /// Delegates to <paramref name="sub"/> until it finishes (Python's <c>yield from sub</c>, PEP 380): every value
    /// sent to this coroutine meanwhile goes to the sub, <c>Throw</c> is passed on to it, and <c>Close</c> closes it
    /// first.
    /// </summary>
    /// <param name="sub">The coroutine to delegate to: primed (it is not sent an extra value), created (it is started
    /// with <c>Send(default)</c>) or already finished (the call returns at once).</param>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public void YieldFrom(ICoroutine<T> sub) => throw CoroutineErrors.TemplateOnly("YieldFrom()");

    /// <summary>
    /// Delegates to <paramref name="sub"/> until it finishes, and returns its return value (Python's
    /// <c>result = yield from sub</c>, PEP 380). See <see cref="YieldFrom(ICoroutine{T})"/>.
    /// </summary>
    /// <typeparam name="TResult">The sub's return type.</typeparam>
    /// <param name="sub">The coroutine to delegate to.</param>
    /// <returns>The value the sub returned; if it had finished before this call, the value it returned while being
    /// primed (nobody else saw it), otherwise <c>default</c>.</returns>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public TResult YieldFrom<TResult>(IReturningCoroutine<T, TResult> sub) => throw CoroutineErrors.TemplateOnly("YieldFrom()");
}

/// <summary>
/// The suspension points of a bidirectional coroutine template (Python's <c>x = yield value</c>).
/// </summary>
/// <typeparam name="TIn">The type of the values sent into the coroutine.</typeparam>
/// <typeparam name="TOut">The type of the values the coroutine yields back to its caller.</typeparam>
/// <remarks>
/// An inbox is never created: the generator replaces every <see cref="Yield"/> call in a template with a
/// suspension of the state machine. Calling it at run time throws <see cref="System.InvalidOperationException"/>.
/// </remarks>
public sealed class Inbox<TIn, TOut>
{
    private Inbox()
    {
    }

    /// <summary>
    /// In an <c>async</c> template: the <see cref="System.Threading.CancellationToken"/> passed to the call that is
    /// running the body (<c>SendAsync</c>, <c>ThrowAsync</c>, <c>CloseAsync</c>; none while the factory primes it).
    /// Pass it on to what the body awaits. A synchronous template has no token to read (CORO0004).
    /// </summary>
    /// <exception cref="System.InvalidOperationException">Always, when read at run time: only generated code has a current call.</exception>
    public System.Threading.CancellationToken CancellationToken => throw CoroutineErrors.TemplateOnly("CancellationToken");

    /// <summary>
    /// Suspends the coroutine, making <paramref name="value"/> the result of the current
    /// <see cref="ICoroutine{TIn, TOut}.Send(TIn)"/> (or of priming, as <see cref="ICoroutine{TIn, TOut}.Current"/>),
    /// and returns the value sent next.
    /// </summary>
    /// <param name="value">The value to hand back to whoever resumed the coroutine.</param>
    /// <returns>The value passed to the next <see cref="ICoroutine{TIn, TOut}.Send(TIn)"/>.</returns>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public TIn Yield(TOut value) => throw CoroutineErrors.TemplateOnly("Yield()");

    /// <summary>
    /// Suspends the coroutine yielding <c>default(TOut)</c> and returns the value sent next: Python's bare
    /// <c>x = yield</c> in a generator that also yields values. The same as <c>Yield(default!)</c>.
    /// </summary>
    /// <returns>The value passed to the next <see cref="ICoroutine{TIn, TOut}.Send(TIn)"/>.</returns>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public TIn Receive() => throw CoroutineErrors.TemplateOnly("Receive()");

    /// <summary>
    /// Delegates to <paramref name="sub"/> until it finishes (Python's <c>yield from sub</c>, PEP 380): the values it
    /// yields are this coroutine's, every value sent meanwhile goes to it, <c>Throw</c> is passed on to it, and
    /// <c>Close</c> closes it first.
    /// </summary>
    /// <param name="sub">The coroutine to delegate to: primed (its <see cref="ICoroutine{TIn, TOut}.Current"/> is the
    /// first value yielded, and it is not sent an extra value), created (it is started with <c>Send(default)</c>) or
    /// already finished (the call returns at once).</param>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public void YieldFrom(ICoroutine<TIn, TOut> sub) => throw CoroutineErrors.TemplateOnly("YieldFrom()");

    /// <summary>
    /// Delegates to <paramref name="sub"/> until it finishes, and returns its return value (Python's
    /// <c>result = yield from sub</c>, PEP 380). See <see cref="YieldFrom(ICoroutine{TIn, TOut})"/>.
    /// </summary>
    /// <typeparam name="TResult">The sub's return type.</typeparam>
    /// <param name="sub">The coroutine to delegate to.</param>
    /// <returns>The value the sub returned; if it had finished before this call, the value it returned while being
    /// primed (nobody else saw it), otherwise <c>default</c>.</returns>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public TResult YieldFrom<TResult>(IReturningCoroutine<TIn, TOut, TResult> sub) => throw CoroutineErrors.TemplateOnly("YieldFrom()");
}
