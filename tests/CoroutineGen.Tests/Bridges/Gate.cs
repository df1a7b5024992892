namespace CoroutineGen.Tests.Bridges;

/// <summary>
/// Makes a coroutine body stop in the middle, deterministically: the body calls <see cref="Block"/>, which signals
/// <see cref="Entered"/> and waits for <see cref="Open"/>. A test waits for <see cref="Entered"/>, does what must
/// happen while the body is running (on another thread), then opens the gate.
/// </summary>
public sealed class Gate
{
    /// <summary>Long enough for a loaded machine; only reached when a test is broken.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ManualResetEventSlim _entered = new();
    private readonly ManualResetEventSlim _open = new();

    /// <summary>Called from the body: says it is inside, and waits until the test opens the gate.</summary>
    public void Block()
    {
        _entered.Set();
        if (!_open.Wait(Patience))
        {
            throw new TimeoutException($"the gate was not opened within {Patience.TotalSeconds} s");
        }
    }

    /// <summary>Waits until a body has called <see cref="Block"/>; fails the test if none does.</summary>
    public void WaitUntilEntered()
    {
        Assert.True(_entered.Wait(Patience), $"no coroutine body reached the gate within {Patience.TotalSeconds} s");
    }

    /// <summary>Lets the blocked body go on (and every later one pass straight through).</summary>
    public void Open() => _open.Set();
}

/// <summary>A call running on a thread of its own (a second sender), to wait for and rethrow from.</summary>
public sealed class BackgroundCall
{
    private readonly Thread _thread;
    private Exception? _error;

    public BackgroundCall(Action action)
    {
        _thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                _error = e;
            }
        })
        { IsBackground = true };
        _thread.Start();
    }

    /// <summary>Whether the call has returned (or thrown) within <paramref name="time"/>.</summary>
    public bool EndsWithin(TimeSpan time) => _thread.Join(time);

    /// <summary>Waits for the call to end (failing the test after <see cref="Gate.Patience"/>), and rethrows what it threw.</summary>
    public void Wait()
    {
        Assert.True(_thread.Join(Gate.Patience), $"the call did not end within {Gate.Patience.TotalSeconds} s");
        if (_error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_error).Throw();
        }
    }
}
