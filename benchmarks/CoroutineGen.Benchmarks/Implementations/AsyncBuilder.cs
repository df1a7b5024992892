using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

// (5) The alternative design to a source generator: coroutines as `async` methods returning a task-like
// AsyncCoroutine<T> built by a custom AsyncMethodBuilder (a coroutine whose body is an async method, resumed by Send).
//
//   static async AsyncCoroutine<int> Pass(ICoroutine<int> target) {
//       try { while (true) target.Send(await AsyncCoroutine.Receive<int>()); }
//       catch (GeneratorExitException) { target.Close(); }
//       return default;
//   }
//
// Calling the method runs it to its first `await Receive()` (priming); the builder then boxes Roslyn's state-machine
// struct once into an AsyncCoroutineBox, which is the coroutine handed back. Send(v) stores v, publishes the box in a
// [ThreadStatic] (the awaiter has no other way to find it) and runs the boxed MoveNext synchronously: no delegates,
// no Task, no allocation per message. Close() sets a flag and resumes; the awaiter then throws GeneratorExitException.

/// <summary>Entry points of async-method coroutines.</summary>
public static class AsyncCoroutine
{
    [ThreadStatic]
    internal static object? t_current;

    /// <summary>Suspends until the next Send(); evaluates to the sent value.</summary>
    public static ReceiveAwaitable<T> Receive<T>() => default;
}

/// <summary>A coroutine written as an <c>async</c> method.</summary>
[AsyncMethodBuilder(typeof(AsyncCoroutineBuilder<>))]
public abstract class AsyncCoroutine<T> : ICoroutine<T>
{
    internal const int Suspended = 0, Running = 1, Finished = 2, Faulted = 3;

    internal T _value = default!;
    internal Exception? _pending;
    internal int _status;
    internal ExceptionDispatchInfo? _error;

    public CoroutineState State => _status switch
    {
        Suspended => CoroutineState.Suspended,
        Running => CoroutineState.Running,
        _ => CoroutineState.Closed,
    };

    public void Send(T value)
    {
        if (_status != Suspended) ThrowNotSuspended();
        _value = value;
        Resume();
        if (_status != Suspended) OnStopped();
    }

    public void Throw(Exception exception)
    {
        if (_status >= Finished) ExceptionDispatchInfo.Throw(exception);
        if (_status == Running) ThrowNotSuspended();
        _pending = exception;
        Resume();
        if (_status != Suspended) OnStopped();
    }

    public void Close()
    {
        if (_status >= Finished) return;
        if (_status == Running) ThrowNotSuspended();
        _pending = new GeneratorExitException();
        Resume();
        if (_status == Suspended) throw new InvalidOperationException("coroutine ignored GeneratorExit");
        if (_status == Faulted) _error!.Throw();
    }

    public void Dispose() => Close();

    private void Resume()
    {
        _status = Running;
        AsyncCoroutine.t_current = this;
        MoveNextCore();
    }

    protected abstract void MoveNextCore();

    private void OnStopped()
    {
        if (_status == Faulted) _error!.Throw();
        throw new StopIterationException();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotSuspended()
    {
        if (_status == Running) throw new InvalidOperationException("coroutine already executing");
        throw new StopIterationException();
    }
}

internal sealed class AsyncCoroutineBox<T, TStateMachine> : AsyncCoroutine<T>
    where TStateMachine : IAsyncStateMachine
{
    public TStateMachine StateMachine = default!;

    protected override void MoveNextCore() => StateMachine.MoveNext();
}

internal sealed class CompletedAsyncCoroutine<T> : AsyncCoroutine<T>
{
    public CompletedAsyncCoroutine() => _status = Finished;

    protected override void MoveNextCore()
    {
    }
}

public readonly struct ReceiveAwaitable<T>
{
    public ReceiveAwaiter<T> GetAwaiter() => default;
}

public readonly struct ReceiveAwaiter<T> : ICriticalNotifyCompletion
{
    public bool IsCompleted => false;

    public T GetResult()
    {
        // Checked cast: a Receive<string>() inside an AsyncCoroutine<int> must not reinterpret memory.
        var c = (AsyncCoroutine<T>)AsyncCoroutine.t_current!;
        if (c._pending is { } pending)
        {
            c._pending = null;
            ExceptionDispatchInfo.Throw(pending);
        }

        return c._value;
    }

    public void OnCompleted(Action continuation) =>
        throw new NotSupportedException("await AsyncCoroutine.Receive<T>() only inside an async AsyncCoroutine<T> method");

    public void UnsafeOnCompleted(Action continuation) => OnCompleted(continuation);
}

public struct AsyncCoroutineBuilder<T>
{
    private AsyncCoroutine<T>? _coroutine;
    private ExceptionDispatchInfo? _startError;

    public static AsyncCoroutineBuilder<T> Create() => default;

    public AsyncCoroutine<T> Task
    {
        get
        {
            if (_coroutine is not null) return _coroutine;
            _startError?.Throw();
            return _coroutine = new CompletedAsyncCoroutine<T>(); // the body finished without ever receiving
        }
    }

    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
        => stateMachine.MoveNext(); // priming: run to the first await Receive()

    public void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine
        => Suspend<TAwaiter, TStateMachine>(ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine
        => Suspend<TAwaiter, TStateMachine>(ref stateMachine);

    private void Suspend<TAwaiter, TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (typeof(TAwaiter) != typeof(ReceiveAwaiter<T>)) ThrowUnsupportedAwait();
        var c = _coroutine ?? Box(ref stateMachine);
        c._status = AsyncCoroutine<T>.Suspended;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private AsyncCoroutine<T> Box<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        var box = new AsyncCoroutineBox<T, TStateMachine>();
        _coroutine = box;                // first, so that the boxed copy of this builder points at the box too
        box.StateMachine = stateMachine; // the one copy of the state machine on the heap
        return box;
    }

    public void SetResult(T result)
    {
        if (_coroutine is { } c) c._status = AsyncCoroutine<T>.Finished;
    }

    public void SetException(Exception exception)
    {
        if (_coroutine is not { } c)
        {
            _startError = ExceptionDispatchInfo.Capture(exception);
            return;
        }

        if (exception is GeneratorExitException)
        {
            c._status = AsyncCoroutine<T>.Finished; // an unhandled GeneratorExit is a normal close
            return;
        }

        c._error = ExceptionDispatchInfo.Capture(exception);
        c._status = AsyncCoroutine<T>.Faulted;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUnsupportedAwait() =>
        throw new NotSupportedException("only `await AsyncCoroutine.Receive<T>()` may be awaited inside an async AsyncCoroutine<T> method");
}

/// <summary>The stages as async coroutines.</summary>
public static class AsyncStages
{
    public static async AsyncCoroutine<int> Pass(ICoroutine<int> target)
    {
        try
        {
            while (true) target.Send(await AsyncCoroutine.Receive<int>());
        }
        catch (GeneratorExitException)
        {
            target.Close();
        }

        return default;
    }

    public static async AsyncCoroutine<string> Grep(string pattern, ICoroutine<string> target)
    {
        try
        {
            while (true)
            {
                string line = await AsyncCoroutine.Receive<string>();
                if (line.Contains(pattern)) target.Send(line);
            }
        }
        catch (GeneratorExitException)
        {
            target.Close();
        }

        return default!;
    }

    public static async AsyncCoroutine<int> Broadcast(ICoroutine<int>[] targets)
    {
        try
        {
            while (true)
            {
                int item = await AsyncCoroutine.Receive<int>();
                foreach (var t in targets) t.Send(item);
            }
        }
        catch (GeneratorExitException)
        {
            foreach (var t in targets) t.Close();
        }

        return default;
    }

    public static async AsyncCoroutine<int> Count(Result result)
    {
        long count = 0, sum = 0;
        try
        {
            while (true)
            {
                int x = await AsyncCoroutine.Receive<int>();
                count++;
                sum += x;
            }
        }
        catch (GeneratorExitException)
        {
            result.Add(count, sum);
        }

        return default;
    }

    public static async AsyncCoroutine<string> CountStr(Result result)
    {
        long count = 0, sum = 0;
        try
        {
            while (true)
            {
                string line = await AsyncCoroutine.Receive<string>();
                count++;
                sum += line.Length;
            }
        }
        catch (GeneratorExitException)
        {
            result.Add(count, sum);
        }

        return default!;
    }
}

/// <summary>(5) Pipelines of async-builder coroutines.</summary>
public sealed class AsyncBuilderPipelines : IPipelines
{
    public string Name => "async builder";

    public Result W1(int k, int n)
    {
        var r = new Result();
        ICoroutine<int> head = AsyncStages.Count(r);
        for (int s = 0; s < k; s++) head = AsyncStages.Pass(head);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }

    public Result W2(int n)
    {
        var r = new Result();
        string[] lines = Data.Lines;
        ICoroutine<string> head = AsyncStages.Grep(Data.Pattern, AsyncStages.CountStr(r));
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
        ICoroutine<int> head = AsyncStages.Broadcast([AsyncStages.Count(r), AsyncStages.Count(r), AsyncStages.Count(r)]);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }
}
