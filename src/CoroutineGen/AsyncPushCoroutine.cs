using System;
using System.Threading;
using System.Threading.Tasks;

namespace CoroutineGen;

/// <summary>
/// The asynchronous <see cref="PushCoroutine{T}"/>: gives the library's hand-written asynchronous stages
/// (<see cref="AsyncSinks.Create{T}"/>, <see cref="AsyncSinks.ToChannel{T}"/>,
/// <see cref="Coroutines.Broadcast{T}(IAsyncCoroutine{T}, IAsyncCoroutine{T}[])"/>) the life cycle and error rules of
/// <see cref="IAsyncCoroutine{T}"/>, as <see cref="PushCoroutine{T}"/> does for the synchronous ones.
/// </summary>
/// <typeparam name="T">The type of the values it receives.</typeparam>
/// <remarks>
/// <para>It behaves like the coroutine generated from this asynchronous template, where <c>OnSendAsync</c>,
/// <c>OnThrowAsync</c> and <c>OnCloseAsync</c> are the overridable parts (each gets the token of the call that runs
/// it, what the template sees as <c>inbox.CancellationToken</c>):</para>
/// <code>
/// while (true)
/// {
///     T item;
///     try { item = inbox.Receive(); }
///     catch (GeneratorExitException) { await OnCloseAsync(); return; }
///     catch (Exception e) { await OnThrowAsync(e); continue; }   // the default rethrows e
///     await OnSendAsync(item);
/// }
/// </code>
/// <list type="bullet">
/// <item><description>Already primed: <see cref="State"/> starts at <see cref="CoroutineState.Suspended"/>, and is
/// <see cref="CoroutineState.Running"/> from the call until its task completes.</description></item>
/// <item><description>A call while another is in flight fails with "coroutine is already running" and changes
/// nothing. Every error is reported through the returned task, except a null exception passed to
/// <see cref="ThrowAsync"/>.</description></item>
/// <item><description>An exception escaping an <c>On*Async</c> method (thrown, or through its task) finishes the
/// coroutine and propagates unchanged, except a <see cref="StopIterationException"/>, which becomes
/// "coroutine raised StopIteration" (PEP 479). An <see cref="OperationCanceledException"/> ends the returned task
/// <see cref="TaskStatus.Canceled"/>, as it does for an <c>async</c> method.</description></item>
/// <item><description>On a finished coroutine, <see cref="SendAsync"/> fails with
/// <see cref="StopIterationException"/>, <see cref="ThrowAsync"/> with the exception passed in, and
/// <see cref="CloseAsync"/> does nothing.</description></item>
/// <item><description><c>ThrowAsync(new GeneratorExitException())</c> runs <c>OnCloseAsync</c>, then fails with
/// <see cref="StopIterationException"/>.</description></item>
/// <item><description>A call whose <c>On*Async</c> method completes synchronously completes synchronously too,
/// without allocating.</description></item>
/// </list>
/// </remarks>
internal abstract class AsyncPushCoroutine<T> : IAsyncCoroutine<T>
{
    private const int Suspended = 1;

    private int _state = Suspended;

    /// <summary>What happens to the coroutine when the <c>On*Async</c> method of a call completes normally.</summary>
    private enum Outcome
    {
        /// <summary><c>SendAsync</c>, or a handled <c>ThrowAsync</c>: suspended again.</summary>
        Suspend,

        /// <summary><c>CloseAsync</c>: finished.</summary>
        Finish,

        /// <summary><c>ThrowAsync(GeneratorExitException)</c>: finished, and the call fails with <see cref="StopIterationException"/>.</summary>
        FinishWithStopIteration,
    }

    public CoroutineState State => CoroutineRuntime.ToState(Volatile.Read(ref _state));

    public ValueTask SendAsync(T value, CancellationToken cancellationToken = default)
    {
        int previous = Interlocked.CompareExchange(ref _state, CoroutineRuntime.Running, Suspended);
        if (previous != Suspended)
        {
            return Failed(previous == CoroutineRuntime.Running ? CoroutineErrors.AlreadyRunning() : new StopIterationException());
        }

        ValueTask body;
        try
        {
            body = OnSendAsync(value, cancellationToken);
        }
        catch (Exception error)
        {
            body = new ValueTask(Task.FromException(error));
        }

        return Complete(body, Outcome.Suspend);
    }

    public ValueTask ThrowAsync(Exception exception, CancellationToken cancellationToken = default)
    {
        if (exception is null)
        {
            throw new ArgumentNullException(nameof(exception));
        }

        int previous = Interlocked.CompareExchange(ref _state, CoroutineRuntime.Running, Suspended);
        if (previous == CoroutineRuntime.Running)
        {
            return Failed(CoroutineErrors.AlreadyRunning());
        }

        if (previous != Suspended)
        {
            return Failed(exception);
        }

        bool closing = exception is GeneratorExitException;
        ValueTask body;
        try
        {
            body = closing ? OnCloseAsync(cancellationToken) : OnThrowAsync(exception, cancellationToken);
        }
        catch (Exception error)
        {
            body = new ValueTask(Task.FromException(error));
        }

        return Complete(body, closing ? Outcome.FinishWithStopIteration : Outcome.Suspend);
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        int previous = Interlocked.CompareExchange(ref _state, CoroutineRuntime.Running, Suspended);
        if (previous == CoroutineRuntime.Running)
        {
            return Failed(CoroutineErrors.AlreadyRunning());
        }

        if (previous != Suspended)
        {
            return default;
        }

        ValueTask body;
        try
        {
            body = OnCloseAsync(cancellationToken);
        }
        catch (Exception error)
        {
            body = new ValueTask(Task.FromException(error));
        }

        return Complete(body, Outcome.Finish);
    }

    public ValueTask DisposeAsync() => CloseAsync();

    /// <summary>Handles one value: the body of the receive loop.</summary>
    protected abstract ValueTask OnSendAsync(T value, CancellationToken cancellationToken);

    /// <summary>Handles <c>ThrowAsync(exception)</c>; the default does not: it rethrows, which finishes the coroutine.</summary>
    protected virtual ValueTask OnThrowAsync(Exception exception, CancellationToken cancellationToken)
    {
        CoroutineRuntime.Rethrow(exception);
        return default;
    }

    /// <summary>The <c>catch (GeneratorExitException)</c> handler: runs once when a suspended coroutine is closed.</summary>
    protected virtual ValueTask OnCloseAsync(CancellationToken cancellationToken) => default;

    private static ValueTask Failed(Exception error) => new(Task.FromException(error));

    private ValueTask Complete(ValueTask body, Outcome outcome)
    {
        if (!body.IsCompletedSuccessfully)
        {
            return CompleteAsync(body, outcome);
        }

        body.GetAwaiter().GetResult(); // releases a pooled IValueTaskSource
        return Succeeded(outcome);
    }

    private async ValueTask CompleteAsync(ValueTask body, Outcome outcome)
    {
        try
        {
            await body.ConfigureAwait(false);
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

        await Succeeded(outcome).ConfigureAwait(false);
    }

    private ValueTask Succeeded(Outcome outcome)
    {
        switch (outcome)
        {
            case Outcome.Suspend:
                Volatile.Write(ref _state, Suspended);
                return default;
            case Outcome.Finish:
                Finish();
                return default;
            default:
                Finish();
                return Failed(new StopIterationException());
        }
    }

    private void Finish() => Volatile.Write(ref _state, CoroutineRuntime.Finished);
}
