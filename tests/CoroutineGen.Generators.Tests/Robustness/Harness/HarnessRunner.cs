using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;

namespace CoroutineGen.Generators.Tests.Robustness.Harness;

/// <summary>
/// Runs the harness's inputs on worker threads with large stacks (one per core), and sums up the results: inputs
/// per input class, failures per failure class, known failures per entry of <see cref="KnownFailures"/>.
/// </summary>
public static class HarnessRunner
{
    /// <summary>The environment variable that selects the mode: unset for the CI slice, <c>full</c> for the full run.</summary>
    public const string ModeVariable = "COROUTINEGEN_HARNESS";

    /// <summary>In full mode, the number of inputs (default <see cref="DefaultFullCount"/>).</summary>
    public const string CountVariable = "COROUTINEGEN_HARNESS_COUNT";

    /// <summary>The start seed (default 0 in both modes; the CI slice always uses 0).</summary>
    public const string SeedVariable = "COROUTINEGEN_HARNESS_SEED";

    /// <summary>Set to 1 to make known failures fail like unknown ones.</summary>
    public const string StrictVariable = "COROUTINEGEN_HARNESS_STRICT";

    public const int DefaultFullCount = 40_000;

    public static bool Full => string.Equals(Environment.GetEnvironmentVariable(ModeVariable), "full", StringComparison.OrdinalIgnoreCase);

    public static bool Strict => Environment.GetEnvironmentVariable(StrictVariable) == "1";

    public static int FullCount => int.TryParse(Environment.GetEnvironmentVariable(CountVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultFullCount;

    public static int StartSeed => Full && int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;

    /// <summary>
    /// Runs <paramref name="work"/> over <paramref name="items"/> on <see cref="Environment.ProcessorCount"/> threads
    /// with <see cref="HarnessCheck.StackSize"/> stacks; results in the order of the items.
    /// </summary>
    public static IReadOnlyList<TResult> RunAll<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> work)
    {
        var results = new TResult[items.Count];
        var next = -1;
        ExceptionDispatchInfo? failure = null;
        var threads = Enumerable.Range(0, Math.Max(1, Math.Min(Environment.ProcessorCount, items.Count))).Select(_ => new Thread(
            () =>
            {
                try
                {
                    for (int i = Interlocked.Increment(ref next); i < items.Count && failure is null; i = Interlocked.Increment(ref next))
                    {
                        results[i] = work(items[i]);
                    }
                }
                catch (Exception e)
                {
                    failure ??= ExceptionDispatchInfo.Capture(e);
                }
            },
            HarnessCheck.StackSize)).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        failure?.Throw();
        return results;
    }

    /// <summary>The summary of a run, and the failure message when an unknown failure (or, strict, any) occurred.</summary>
    public static (string Summary, string? Failure) Summarize(string title, IReadOnlyList<HarnessResult> results, TimeSpan elapsed, TimeSpan cpu)
    {
        var builder = new StringBuilder();
        var perMinute = elapsed.TotalMinutes > 0 ? results.Count / elapsed.TotalMinutes : 0;
        builder.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{title}: {results.Count} inputs in {elapsed.TotalSeconds:F1} s ({perMinute:F0} inputs/minute; {cpu.TotalSeconds:F0} s of CPU in this process, load average {LoadAverage()}), mode {(Full ? "full" : "CI slice")}, start seed {StartSeed}"));
        builder.AppendLine("  inputs per input class (generated a file / got a CORO error / compile-checked / failed: known, unknown):");
        foreach (var group in results.GroupBy(r => r.Input.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            builder.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"    {group.Key,-28} {group.Count(),6}   {group.Count(r => r.Generated),6} / {group.Count(r => r.CoroError),6} / {group.Count(r => r.CompileChecked),6} / {group.Count(r => r.Classified.Any(c => c.Known is not null)),5}, {group.Count(r => r.Unknown.Any()),5}"));
        }

        var classified = results.SelectMany(r => r.Classified.Select(c => (Result: r, c.Failure, c.Known))).ToList();
        builder.AppendLine("  failures per failure class (inputs; known entry or UNKNOWN):");
        if (classified.Count == 0)
        {
            builder.AppendLine("    none");
        }

        foreach (var group in classified.GroupBy(c => (c.Failure.Class, Known: c.Known?.Id ?? "UNKNOWN")).OrderBy(g => g.Key.Known == "UNKNOWN" ? 0 : 1).ThenBy(g => g.Key.Class, StringComparer.Ordinal))
        {
            builder.AppendLine(string.Create(CultureInfo.InvariantCulture, $"    {group.Key.Class,-40} {group.Select(g => g.Result).Distinct().Count(),6}   {group.Key.Known}"));
        }

        // Those with an unknown failure first (a few hundred known ones must not hide them).
        var failing = results.Where(r => r.Failures.Count > 0).OrderBy(r => r.Unknown.Any() ? 0 : 1).ToList();
        if (failing.Count > 0)
        {
            builder.AppendLine("  failing inputs, unknown failures first (failure classes; known entries):");
            foreach (var r in failing.Take(300))
            {
                builder.AppendLine($"    {r.Input.Class}: {r.Input.Description.Split('\n')[0].TrimEnd()}  =>  {string.Join(", ", r.Classified.Select(c => c.Failure.Class + (c.Known is null ? " [UNKNOWN]" : $" [{c.Known.Id}]")))}");
            }

            if (failing.Count > 300)
            {
                builder.AppendLine($"    ... and {failing.Count - 300} more");
            }
        }

        var unknown = results.Where(r => Strict ? r.Failures.Count > 0 : r.Unknown.Any()).ToList();
        if (unknown.Count == 0)
        {
            return (builder.ToString(), null);
        }

        // The first input of each unknown failure class, in full.
        var message = new StringBuilder();
        message.AppendLine($"{unknown.Count} of {results.Count} inputs failed{(Strict ? string.Empty : " with a failure that KnownFailures does not list")}.");
        message.AppendLine(builder.ToString());
        foreach (var group in unknown.GroupBy(r => (Strict ? r.Failures : r.Unknown).First().Class).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            message.AppendLine($"==== failure class {group.Key}: {group.Count()} input(s); the first (smallest) ====");
            message.AppendLine(group.OrderBy(r => r.Input.Text.Length).First().Report());
        }

        return (builder.ToString(), message.ToString());
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>Runs <paramref name="inputs"/>, prints the summary, and fails with the reports of unknown failures.</summary>
    public static IReadOnlyList<HarnessResult> Check(string title, IReadOnlyList<HarnessInput> inputs, Action<string> output) =>
        Finish(title, () => RunAll(inputs, HarnessCheck.Run), output);

    /// <summary>Times <paramref name="run"/>, prints the summary, and fails with the reports of unknown failures.</summary>
    public static IReadOnlyList<HarnessResult> Finish(string title, Func<IReadOnlyList<HarnessResult>> run, Action<string> output)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var results = run();
        var (summary, failure) = Summarize(title, results, watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
        output(summary);
        if (failure is not null)
        {
            Assert.Fail(failure);
        }

        return results;
    }
}
