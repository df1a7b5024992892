namespace CoroutineGen.Tests.Runtime;

/// <summary>A hand-written stage whose hooks are set by each test, and which records what happened to it.</summary>
internal sealed class ProbeStage<T> : PushCoroutine<T>
{
    public List<string> Log { get; } = new();

    public List<CoroutineState> StatesSeenInside { get; } = new();

    public Action<ProbeStage<T>, T>? OnSendHook { get; set; }

    /// <summary>When null, OnThrow keeps the base behaviour (rethrow).</summary>
    public Action<ProbeStage<T>, Exception>? OnThrowHook { get; set; }

    public Action<ProbeStage<T>>? OnCloseHook { get; set; }

    public void CallReturn(object? value = null) => Return(value);

    protected override void OnSend(T value)
    {
        Log.Add($"send {value}");
        StatesSeenInside.Add(State);
        OnSendHook?.Invoke(this, value);
    }

    protected override void OnThrow(Exception exception)
    {
        Log.Add($"throw {exception.Message}");
        StatesSeenInside.Add(State);
        if (OnThrowHook is null)
        {
            base.OnThrow(exception);
        }
        else
        {
            OnThrowHook(this, exception);
        }
    }

    protected override void OnClose()
    {
        Log.Add("close");
        StatesSeenInside.Add(State);
        OnCloseHook?.Invoke(this);
    }
}

/// <summary>Collects what a sink received, and whether it was closed.</summary>
internal sealed class Recorder<T>
{
    public Recorder() => Sink = Sinks.Create<T>(Items.Add, () => CloseCount++);

    public List<T> Items { get; } = new();

    public int CloseCount { get; private set; }

    public ICoroutine<T> Sink { get; }
}
