using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace CoroutineGen.Orleans;

/// <summary>
/// A coroutine driven by an Orleans stream: what <see cref="OrleansStreams.SubscribeAsync{T}"/> returns. Await it
/// (or <see cref="Completion"/>) to learn when and how the stream ended; dispose it (or call
/// <see cref="UnsubscribeAsync"/>) to stop early.
/// </summary>
public sealed class CoroutineStreamSubscription : IAsyncDisposable
{
    private readonly Func<Task> _unsubscribe;

    internal CoroutineStreamSubscription(Task<long> completion, Func<Task> unsubscribe)
    {
        Completion = completion;
        _unsubscribe = unsubscribe;
    }

    /// <summary>
    /// Completes when the coroutine is done with the stream, with the number of values it received:
    /// <list type="bullet">
    /// <item><description>normally when a Close message arrived (the coroutine was closed), when an error thrown into
    /// it was handled (it was then closed, or it finished), when the coroutine finished by itself (it returned, so
    /// it takes no more), or after <see cref="UnsubscribeAsync"/>;</description></item>
    /// <item><description>with the error when the coroutine did not handle an error thrown into it, when its
    /// <c>Send</c> or <c>Close</c> threw, or when messages were lost (<see cref="StreamSequenceException"/>);</description></item>
    /// <item><description>cancelled (<see cref="OperationCanceledException"/>) when the token given to
    /// <see cref="OrleansStreams.SubscribeAsync{T}"/> was cancelled (the coroutine was closed).</description></item>
    /// </list>
    /// In every case the coroutine is finished and the subscription removed (an error while removing it is
    /// ignored: nothing more is delivered to the coroutine either way).
    /// </summary>
    public Task<long> Completion { get; }

    /// <summary>
    /// Stops: the coroutine is closed (unless it already finished, or this is called from inside it),
    /// <see cref="Completion"/> completes with the count so far, and the stream subscription is removed. Messages
    /// that arrive afterwards are not delivered. Calling it again, or after the end, only waits for the removal.
    /// </summary>
    /// <returns>A task that completes when the subscription has been removed. It fails only if this call closed the
    /// coroutine and the close threw (<see cref="Completion"/> then fails with the same error); a stream that had
    /// already ended, even with an error, leaves that to <see cref="Completion"/>.</returns>
    public Task UnsubscribeAsync() => _unsubscribe();

    /// <summary>Same as <see cref="UnsubscribeAsync"/>.</summary>
    /// <returns>A task that completes when the subscription has been removed.</returns>
    public ValueTask DisposeAsync() => new(UnsubscribeAsync());

    /// <summary>Lets <c>await subscription</c> wait for <see cref="Completion"/>.</summary>
    /// <returns>The awaiter of <see cref="Completion"/>.</returns>
    public TaskAwaiter<long> GetAwaiter() => Completion.GetAwaiter();
}
