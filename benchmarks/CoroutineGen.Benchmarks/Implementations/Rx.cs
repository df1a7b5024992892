using System.Reactive.Linq;
using System.Reactive.Subjects;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

/// <summary>Counting observer (ints).</summary>
public sealed class CountObserver(Result result) : IObserver<int>
{
    private long _count, _sum;

    public void OnNext(int value)
    {
        _count++;
        _sum += value;
    }

    public void OnCompleted() => result.Add(_count, _sum);

    public void OnError(Exception error) => throw error;
}

/// <summary>Counting observer (strings: sum of lengths).</summary>
public sealed class CountStrObserver(Result result) : IObserver<string>
{
    private long _count, _sum;

    public void OnNext(string value)
    {
        _count++;
        _sum += value.Length;
    }

    public void OnCompleted() => result.Add(_count, _sum);

    public void OnError(Exception error) => throw error;
}

/// <summary>
/// (4) Rx.NET 7: a <see cref="Subject{T}"/> the source calls <c>OnNext</c> on; W1 stages are <c>Select(x =&gt; x)</c>,
/// W2 is <c>Where(line.Contains)</c>, W3 is three observers subscribed to the subject (Rx's own broadcast).
/// </summary>
public sealed class RxPipelines : IPipelines
{
    public string Name => "Rx.NET";

    public Result W1(int k, int n)
    {
        var r = new Result();
        var subject = new Subject<int>();
        IObservable<int> o = subject;
        for (int s = 0; s < k; s++) o = o.Select(static x => x);
        using var subscription = o.Subscribe(new CountObserver(r));
        for (int i = 0; i < n; i++) subject.OnNext(i);
        subject.OnCompleted();
        return r;
    }

    public Result W2(int n)
    {
        var r = new Result();
        string[] lines = Data.Lines;
        string pattern = Data.Pattern;
        var subject = new Subject<string>();
        using var subscription = subject.Where(line => line.Contains(pattern)).Subscribe(new CountStrObserver(r));
        for (int i = 0, j = 0; i < n; i++)
        {
            subject.OnNext(lines[j]);
            if (++j == lines.Length) j = 0;
        }

        subject.OnCompleted();
        return r;
    }

    public Result W3(int n)
    {
        var r = new Result();
        var subject = new Subject<int>();
        using var s1 = subject.Subscribe(new CountObserver(r));
        using var s2 = subject.Subscribe(new CountObserver(r));
        using var s3 = subject.Subscribe(new CountObserver(r));
        for (int i = 0; i < n; i++) subject.OnNext(i);
        subject.OnCompleted();
        return r;
    }
}
