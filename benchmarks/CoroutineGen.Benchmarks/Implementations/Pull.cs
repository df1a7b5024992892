using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

/// <summary>Pull stages: hand-written <c>yield return</c> iterators.</summary>
public static class PullStages
{
    public static IEnumerable<int> Source(int n)
    {
        for (int i = 0; i < n; i++) yield return i;
    }

    public static IEnumerable<string> Source(string[] lines, int n)
    {
        for (int i = 0, j = 0; i < n; i++)
        {
            yield return lines[j];
            if (++j == lines.Length) j = 0;
        }
    }

    public static IEnumerable<int> Pass(IEnumerable<int> source)
    {
        foreach (var item in source) yield return item;
    }

    public static IEnumerable<string> Grep(string pattern, IEnumerable<string> source)
    {
        foreach (var line in source)
        {
            if (line.Contains(pattern)) yield return line;
        }
    }
}

/// <summary>
/// (3) PULL pipelines of C# iterators, consumed by a <c>foreach</c> that counts. W3 has no pull equivalent without
/// a buffering tee: its consumer loop feeds three accumulators itself, so it measures the iterator source only.
/// </summary>
public sealed class PullPipelines : IPipelines
{
    public string Name => "pull iterators";

    public Result W1(int k, int n)
    {
        IEnumerable<int> e = PullStages.Source(n);
        for (int s = 0; s < k; s++) e = PullStages.Pass(e);
        long count = 0, sum = 0;
        foreach (var x in e)
        {
            count++;
            sum += x;
        }

        var r = new Result();
        r.Add(count, sum);
        return r;
    }

    public Result W2(int n)
    {
        long count = 0, sum = 0;
        foreach (var line in PullStages.Grep(Data.Pattern, PullStages.Source(Data.Lines, n)))
        {
            count++;
            sum += line.Length;
        }

        var r = new Result();
        r.Add(count, sum);
        return r;
    }

    public Result W3(int n)
    {
        long c1 = 0, s1 = 0, c2 = 0, s2 = 0, c3 = 0, s3 = 0;
        foreach (var x in PullStages.Source(n))
        {
            c1++;
            s1 += x;
            c2++;
            s2 += x;
            c3++;
            s3 += x;
        }

        var r = new Result();
        r.Add(c1, s1);
        r.Add(c2, s2);
        r.Add(c3, s3);
        return r;
    }
}
