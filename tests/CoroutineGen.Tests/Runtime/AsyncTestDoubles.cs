using System.Collections.Concurrent;

namespace CoroutineGen.Tests.Runtime;

/// <summary>
/// A hand-written <see cref="IAsyncCoroutine{T}"/> for the asynchronous runtime tests, independent of the library's
/// own asynchronous stages: it records each call as it starts (values, tokens, a log of events), runs an optional
/// hook for each value and for the close (a test parks it there on a gate), and keeps the interface's rules: one
/// call at a time ("coroutine is already running" otherwise), errors only through the task, an exception escaping
/// a hook finishes it, a <c>ThrowAsync(e)</c> is not handled.
/// </summary>
internal sealed class AsyncRecorder<T> : IAsyncCoroutine<T>
{
    private const int Suspended = 1;
    private const int Running = -1;
    private const int Done = -2;

    private readonly object _lock = new();
    private readonly List<T> _values = new();
    private readonly List<CancellationToken> _tokens = new();
    private readonly List<string> _events = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<T, CancellationToken, Task>? _onSend;
    private readonly Func<Task>? _onClose;
    private readonly int _finishAfter;
    private int _state = Suspended;

    /// <param name="onSend">Awaited for each value, after it was recorded.</param>
    /// <param name="onClose">Awaited when it is closed, after the close was recorded.</param>
    /// <param name="finishAfter">After this many values, its body returns: that send fails with
    /// <see cref="StopIterationException"/> and it is finished.</param>
    public AsyncRecorder(Func<T, CancellationToken, Task>? onSend = null, Func<Task>? onClose = null, int finishAfter = int.MaxValue)
    {
        _onSend = onSend;
        _onClose = onClose;
        _finishAfter = finishAfter;
    }

    public CoroutineState State => Volatile.Read(ref _state) switch
    {
        Suspended => CoroutineState.Suspended,
        Running => CoroutineState.Running,
        _ => CoroutineState.Closed,
    };

    public T[] Values
    {
        get
        {
            lock (_lock)
            {
                return _values.ToArray();
            }
        }
    }

    /// <summary>The token of each <c>SendAsync</c>, in order.</summary>
    public CancellationToken[] Tokens
    {
        get
        {
            lock (_lock)
            {
                return _tokens.ToArray();
            }
        }
    }

    /// <summary>"send v", "throw TypeName", "close", "close token" (when the close got a token that can be cancelled).</summary>
    public string[] Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>Completes when it is finished, however that happened.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Completes once <paramref name="count"/> values have been sent to it.</summary>
    public Task Received(int count)
    {
        lock (_lock)
        {
            if (_values.Count >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }

    public ValueTask SendAsync(T value, CancellationToken cancellationToken = default) => new(SendCoreAsync(value, cancellationToken));

    public ValueTask ThrowAsync(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(ThrowCore(exception));
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken = default) => new(CloseCoreAsync(cancellationToken));

    public ValueTask DisposeAsync() => CloseAsync();

    private async Task SendCoreAsync(T value, CancellationToken cancellationToken)
    {
        if (!Enter())
        {
            throw new StopIterationException();
        }

        int count;
        lock (_lock)
        {
            _values.Add(value);
            _tokens.Add(cancellationToken);
            _events.Add($"send {value}");
            count = _values.Count;
            foreach (var waiter in _waiters.Where(w => w.Count <= count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }

        try
        {
            if (_onSend is not null)
            {
                await _onSend(value, cancellationToken);
            }
        }
        catch
        {
            Finish();
            throw;
        }

        if (count >= _finishAfter)
        {
            Finish();
            throw new StopIterationException();
        }

        Volatile.Write(ref _state, Suspended);
    }

    private Task ThrowCore(Exception exception)
    {
        try
        {
            if (Enter())
            {
                Log($"throw {exception.GetType().Name}");
                Finish(); // not handled
            }

            return Task.FromException(exception);
        }
        catch (Exception refused)
        {
            return Task.FromException(refused);
        }
    }

    private async Task CloseCoreAsync(CancellationToken cancellationToken)
    {
        if (!Enter())
        {
            return;
        }

        Log(cancellationToken.CanBeCanceled ? "close token" : "close");
        try
        {
            if (_onClose is not null)
            {
                await _onClose();
            }
        }
        finally
        {
            Finish();
        }
    }

    /// <summary>Starts a call: <c>false</c> if finished; throws (into the task) if a call is in flight.</summary>
    private bool Enter()
    {
        int previous = Interlocked.CompareExchange(ref _state, Running, Suspended);
        if (previous == Running)
        {
            throw new InvalidOperationException("coroutine is already running");
        }

        return previous == Suspended;
    }

    private void Finish()
    {
        Volatile.Write(ref _state, Done);
        _finished.TrySetResult();
    }

    private void Log(string entry)
    {
        lock (_lock)
        {
            _events.Add(entry);
        }
    }
}

/// <summary>
/// A stream that hands out the chunks a test adds, one chunk per read, and returns 0 (nothing more for now) when
/// none is waiting: a file being written, with the test deciding exactly what each read sees.
/// </summary>
internal sealed class ScriptedStream : Stream
{
    private readonly ConcurrentQueue<byte[]> _chunks = new();

    public void Add(byte[] chunk) => _chunks.Enqueue(chunk);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!_chunks.TryPeek(out var chunk))
        {
            return 0;
        }

        if (chunk.Length > buffer.Length)
        {
            throw new InvalidOperationException("the test's chunks must fit in one read");
        }

        _chunks.TryDequeue(out _);
        chunk.CopyTo(buffer);
        return chunk.Length;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : new(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A text reader over text that a test appends to: a read returns what is there, or 0 for "nothing more for now".</summary>
internal sealed class GrowingReader : TextReader
{
    private readonly object _lock = new();
    private readonly System.Text.StringBuilder _text = new();
    private int _position;

    public void Append(string text)
    {
        lock (_lock)
        {
            _text.Append(text);
        }
    }

    public override int Read(char[] buffer, int index, int count)
    {
        lock (_lock)
        {
            int n = Math.Min(count, _text.Length - _position);
            _text.CopyTo(_position, buffer, index, n);
            _position += n;
            return n;
        }
    }

    public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        lock (_lock)
        {
            int n = Math.Min(buffer.Length, _text.Length - _position);
            _text.CopyTo(_position, buffer.Span[..n], n);
            _position += n;
            return new(n);
        }
    }
}
