using System.Globalization;

namespace CoroutineGen.Benchmarks.Workloads;

/// <summary>The benchmark workloads (the same as benchmarks/python/coroutines.py).</summary>
public enum Workload
{
    /// <summary>Source, k pass-through stages, counting sink (ints).</summary>
    W1,

    /// <summary>Source of cycled log lines, grep for "python", counting sink (strings).</summary>
    W2,

    /// <summary>Source, broadcast stage, three counting sinks (ints).</summary>
    W3,
}

/// <summary>Input data and expected checksums.</summary>
public static class Data
{
    /// <summary>What the grep stage looks for.</summary>
    public const string Pattern = "python";

    /// <summary>
    /// 1,000 distinct log lines of 84 to 93 characters; byte for byte the lines coroutines.py builds. One in seven
    /// names the module "python".
    /// </summary>
    public static readonly string[] Lines = BuildLines();

    private static string[] BuildLines()
    {
        string[] levels = ["INFO", "WARN", "DEBUG", "ERROR"];
        string[] modules = ["java", "python", "rust", "golang", "node", "dotnet", "ruby"];
        var lines = new string[1000];
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = string.Create(
                CultureInfo.InvariantCulture,
                $"2024-05-{i % 28 + 1:D2} {i % 24:D2}:{i * 7 % 60:D2}:{i * 13 % 60:D2} {levels[i % 4]} [{modules[i * 3 % 7]}] request {i * 7919 % 100000} handled in {i % 997} ms by worker-{i % 16}");
        }

        return lines;
    }
}

/// <summary>Where counting sinks report (count, sum) when they are closed.</summary>
public sealed class Result
{
    /// <summary>Messages counted.</summary>
    public long Count;

    /// <summary>Sum of the values (ints) or of the line lengths (strings).</summary>
    public long Sum;

    /// <summary>Adds one sink's totals.</summary>
    public void Add(long count, long sum)
    {
        Count += count;
        Sum += sum;
    }
}

/// <summary>The expected (count, sum) of a run, and the check every benchmark invocation makes.</summary>
public static class Checksums
{
    private static readonly Dictionary<int, (long Count, long Sum)> GrepCache = [];

    /// <summary>Expected totals of <paramref name="workload"/> after <paramref name="n"/> messages.</summary>
    public static (long Count, long Sum) Expected(Workload workload, int n)
    {
        long tri = (long)n * (n - 1) / 2;
        switch (workload)
        {
            case Workload.W1:
                return (n, tri);
            case Workload.W3:
                return (3L * n, 3 * tri);
            case Workload.W2:
                lock (GrepCache)
                {
                    if (!GrepCache.TryGetValue(n, out var e))
                    {
                        long c = 0, s = 0;
                        for (int i = 0; i < n; i++)
                        {
                            string line = Data.Lines[i % Data.Lines.Length];
                            if (line.Contains(Data.Pattern, StringComparison.Ordinal))
                            {
                                c++;
                                s += line.Length;
                            }
                        }

                        GrepCache[n] = e = (c, s);
                    }

                    return e;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(workload));
        }
    }

    /// <summary>Throws unless <paramref name="result"/> holds the totals of <paramref name="workload"/> after <paramref name="n"/> messages.</summary>
    /// <returns>The sum, for the benchmark to return (so nothing is dead code).</returns>
    public static long Verify(Workload workload, int n, Result result, string implementation)
    {
        var (count, sum) = Expected(workload, n);
        if (result.Count != count || result.Sum != sum)
        {
            throw new InvalidOperationException(
                $"checksum mismatch: {implementation} {workload} n={n}: got ({result.Count}, {result.Sum}), expected ({count}, {sum})");
        }

        return result.Sum;
    }
}
