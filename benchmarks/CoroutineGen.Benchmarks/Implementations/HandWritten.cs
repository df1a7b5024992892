using System.Runtime.ExceptionServices;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

/// <summary>
/// THE BASELINE: the stages hand-written as sealed classes implementing <see cref="ICoroutine{T}"/>, targets typed
/// as the interface. <c>Send</c> does the stage's work and nothing else (no state check); <c>Close</c> is
/// idempotent; <c>Throw</c> finishes the stage and raises the exception (a stage with no handler).
/// </summary>
public sealed class HandPass(ICoroutine<int> target) : ICoroutine<int>
{
    private bool _closed;

    public CoroutineState State => _closed ? CoroutineState.Closed : CoroutineState.Suspended;

    public void Send(int value) => target.Send(value);

    public void Throw(Exception exception)
    {
        _closed = true;
        ExceptionDispatchInfo.Throw(exception);
    }

    public void Close()
    {
        if (_closed) return;
        _closed = true;
        target.Close();
    }

    public void Dispose() => Close();
}

/// <summary>Baseline grep stage.</summary>
public sealed class HandGrep(string pattern, ICoroutine<string> target) : ICoroutine<string>
{
    private bool _closed;

    public CoroutineState State => _closed ? CoroutineState.Closed : CoroutineState.Suspended;

    public void Send(string line)
    {
        if (line.Contains(pattern)) target.Send(line);
    }

    public void Throw(Exception exception)
    {
        _closed = true;
        ExceptionDispatchInfo.Throw(exception);
    }

    public void Close()
    {
        if (_closed) return;
        _closed = true;
        target.Close();
    }

    public void Dispose() => Close();
}

/// <summary>Baseline broadcast stage.</summary>
public sealed class HandBroadcast(ICoroutine<int>[] targets) : ICoroutine<int>
{
    private bool _closed;

    public CoroutineState State => _closed ? CoroutineState.Closed : CoroutineState.Suspended;

    public void Send(int value)
    {
        foreach (var t in targets) t.Send(value);
    }

    public void Throw(Exception exception)
    {
        _closed = true;
        ExceptionDispatchInfo.Throw(exception);
    }

    public void Close()
    {
        if (_closed) return;
        _closed = true;
        foreach (var t in targets) t.Close();
    }

    public void Dispose() => Close();
}

/// <summary>Baseline counting sink (ints).</summary>
public sealed class HandCount(Result result) : ICoroutine<int>
{
    private long _count, _sum;
    private bool _closed;

    public CoroutineState State => _closed ? CoroutineState.Closed : CoroutineState.Suspended;

    public void Send(int value)
    {
        _count++;
        _sum += value;
    }

    public void Throw(Exception exception)
    {
        _closed = true;
        ExceptionDispatchInfo.Throw(exception);
    }

    public void Close()
    {
        if (_closed) return;
        _closed = true;
        result.Add(_count, _sum);
    }

    public void Dispose() => Close();
}

/// <summary>Baseline counting sink (strings: sum of lengths).</summary>
public sealed class HandCountStr(Result result) : ICoroutine<string>
{
    private long _count, _sum;
    private bool _closed;

    public CoroutineState State => _closed ? CoroutineState.Closed : CoroutineState.Suspended;

    public void Send(string value)
    {
        _count++;
        _sum += value.Length;
    }

    public void Throw(Exception exception)
    {
        _closed = true;
        ExceptionDispatchInfo.Throw(exception);
    }

    public void Close()
    {
        if (_closed) return;
        _closed = true;
        result.Add(_count, _sum);
    }

    public void Dispose() => Close();
}

/// <summary>(2) Pipelines of hand-written stages: the baseline.</summary>
public sealed class HandWrittenPipelines : IPipelines
{
    public string Name => "hand-written";

    public Result W1(int k, int n)
    {
        var r = new Result();
        ICoroutine<int> head = new HandCount(r);
        for (int s = 0; s < k; s++) head = new HandPass(head);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }

    public Result W2(int n)
    {
        var r = new Result();
        string[] lines = Data.Lines;
        ICoroutine<string> head = new HandGrep(Data.Pattern, new HandCountStr(r));
        for (int i = 0, j = 0; i < n; i++)
        {
            head.Send(lines[j]);
            if (++j == lines.Length) j = 0;
        }

        head.Close();
        return r;
    }

    public Result W3(int n)
    {
        var r = new Result();
        ICoroutine<int> head = new HandBroadcast([new HandCount(r), new HandCount(r), new HandCount(r)]);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }
}
