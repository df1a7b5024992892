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

    /// <summary>Suspends the coroutine until a value is sent, and returns that value (Python's <c>(yield)</c>).</summary>
    /// <returns>The value passed to <see cref="ICoroutine{T}.Send(T)"/>.</returns>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public T Receive() => throw CoroutineErrors.TemplateOnly("Receive");
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
    /// Suspends the coroutine, making <paramref name="value"/> the result of the current
    /// <see cref="ICoroutine{TIn, TOut}.Send(TIn)"/> (or of priming, as <see cref="ICoroutine{TIn, TOut}.Current"/>),
    /// and returns the value sent next.
    /// </summary>
    /// <param name="value">The value to hand back to whoever resumed the coroutine.</param>
    /// <returns>The value passed to the next <see cref="ICoroutine{TIn, TOut}.Send(TIn)"/>.</returns>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public TIn Yield(TOut value) => throw CoroutineErrors.TemplateOnly("Yield");

    /// <summary>
    /// Suspends the coroutine yielding <c>default(TOut)</c> and returns the value sent next: Python's bare
    /// <c>x = yield</c> in a generator that also yields values. The same as <c>Yield(default!)</c>.
    /// </summary>
    /// <returns>The value passed to the next <see cref="ICoroutine{TIn, TOut}.Send(TIn)"/>.</returns>
    /// <exception cref="System.InvalidOperationException">Always, when called at run time: only generated code can suspend.</exception>
    public TIn Receive() => throw CoroutineErrors.TemplateOnly("Receive");
}
