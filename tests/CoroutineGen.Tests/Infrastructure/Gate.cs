namespace CoroutineGen.Tests.Infrastructure;

/// <summary>
/// A gate an async template awaits, for deterministic tests of calls that are really pending (no sleeps): the body
/// awaits <see cref="WaitAsync"/>, the test awaits <see cref="Reached"/> to know the body is parked there (so nothing
/// runs concurrently with what the test does next), then <see cref="Open"/>s it. The Python twin's prelude has the same
/// <c>Gate</c> (<c>await gate.wait()</c>, <c>await gate.reached.wait()</c>, <c>gate.open()</c>).
/// </summary>
public sealed class Gate
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the body has reached the gate.</summary>
    public Task Reached => _reached.Task;

    /// <summary>What the body awaits: marks the gate reached, completes when the test opens it.</summary>
    public Task WaitAsync()
    {
        _reached.TrySetResult();
        return _opened.Task;
    }

    /// <summary>What the body awaits, cancellable by <paramref name="cancellationToken"/> (<c>inbox.CancellationToken</c>).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => WaitAsync().WaitAsync(cancellationToken);

    public void Open() => _opened.TrySetResult();
}
