using System.Globalization;
using System.Text;

namespace CoroutineGen.Generators.Tests.Stress;

/// <summary>
/// Writes many templates of varied shapes: receive loops with branches, try/catch/finally with a GeneratorExit
/// handler, nested try statements, receives inside expressions (operands, arguments, short-circuit operators),
/// for/foreach/do loops with break and continue, using, switch, bidirectional yields with a return value,
/// generic and instance templates, lambdas capturing loop-scoped locals.
/// </summary>
public static class StressTemplates
{
    /// <summary>The template shapes; template <c>i</c> has shape <c>i % Shapes.Count</c>.</summary>
    public static IReadOnlyList<Func<string, string>> Shapes { get; } =
    [
        name => $$"""
                [Coroutine]
                public static void {{name}}(Inbox<string> inbox, string pattern, ICoroutine<string> target)
                {
                    while (true)
                    {
                        string line = inbox.Receive();
                        if (line.Contains(pattern)) target.Send(line);
                        else if (line.Length == 0) continue;
                    }
                }
        """,
        name => $$"""
                [Coroutine]
                public static void {{name}}(Inbox<string> inbox, TextWriter output)
                {
                    try
                    {
                        while (true) output.WriteLine(inbox.Receive());
                    }
                    catch (GeneratorExitException)
                    {
                        output.WriteLine("Going away. Goodbye");
                    }
                }
        """,
        name => $$"""
                [Coroutine]
                internal static void {{name}}(Inbox<double> inbox, TextWriter log)
                {
                    var sum = 0.0;
                    var count = 0;
                    try
                    {
                        while (true)
                        {
                            try
                            {
                                double x = inbox.Receive();
                                if (x < 0) throw new ArgumentOutOfRangeException(nameof(x));
                                sum += x;
                                count++;
                                log.WriteLine($"avg={sum / count}");
                            }
                            catch (ArgumentOutOfRangeException e)
                            {
                                log.WriteLine($"bad: {e.Message}");
                            }
                            catch (Exception e)
                            {
                                log.WriteLine($"other: {e.Message}");
                            }
                            finally
                            {
                                log.WriteLine("tick");
                            }
                        }
                    }
                    catch (GeneratorExitException)
                    {
                        log.WriteLine("closing");
                    }
                    finally
                    {
                        log.WriteLine("final");
                    }
                }
        """,
        name => $$"""
                [Coroutine]
                public static void {{name}}(Inbox<int> inbox, TextWriter log, int factor)
                {
                    var total = 0;
                    while (total < 1000)
                    {
                        total += inbox.Receive() * factor + Math.Max(inbox.Receive(), Scale(total, inbox.Receive()));
                        var label = total > 10 && inbox.Receive() > 0 ? "big" : "small";
                        log.WriteLine(label + (inbox.Receive() is > 5 and < 9 ? "!" : "?") + total);
                    }
                }

                private static int Scale(int a, int b) => a * b;
        """,
        name => $$"""
                [Coroutine]
                public static int {{name}}(Inbox<int> inbox, int limit)
                {
                    var accepted = 0;
                    for (int i = 0; i < limit; i++)
                    {
                        var value = inbox.Receive();
                        if (value < 0) break;
                        if (value % 2 == 1) continue;
                        accepted += value;
                    }

                    return accepted;
                }
        """,
        name => $$"""
                [Coroutine]
                public static string {{name}}(Inbox<int, string> inbox, string prefix)
                {
                    var reply = prefix;
                    var seen = new List<int>();
                    while (true)
                    {
                        var item = inbox.Yield(reply);
                        if (item < 0) return string.Join(",", seen);
                        seen.Add(item);
                        reply = $"{prefix}{item}";
                    }
                }
        """,
        name => $$"""
                [Coroutine]
                public static void {{name}}(Inbox<string> inbox, IReadOnlyList<string> keys, TextWriter log)
                {
                    using var writer = new StringWriter();
                    foreach (var key in keys)
                    {
                        using (var reader = new StringReader(key))
                        {
                            writer.Write(reader.ReadToEnd() + "=" + inbox.Receive());
                        }
                    }

                    log.WriteLine(writer.ToString());
                }
        """,
        name => $$"""
                [Coroutine]
                public static void {{name}}(Inbox<int> inbox, TextWriter log)
                {
                    do
                    {
                        switch (inbox.Receive())
                        {
                            case 0:
                                log.WriteLine("zero");
                                break;
                            case < 0:
                                log.WriteLine("negative " + inbox.Receive());
                                break;
                            default:
                                continue;
                        }
                    }
                    while (inbox.Receive() != 42);
                }
        """,
        name => $$"""
                [Coroutine]
                public static void {{name}}<T>(Inbox<T> inbox, ICollection<T> into, IEqualityComparer<T> comparer)
                    where T : notnull
                {
                    T previous = inbox.Receive();
                    while (true)
                    {
                        T next = inbox.Receive();
                        if (!comparer.Equals(previous, next)) into.Add(next);
                        previous = next;
                    }
                }
        """,
        name => $$"""
                [Coroutine]
                public static void {{name}}(Inbox<int> inbox, List<Func<int>> actions)
                {
                    for (var round = 0; round < 3; round++)
                    {
                        var captured = inbox.Receive() + round;
                        actions.Add(() => captured * 2);
                        var copy = inbox.Receive();
                        actions.Add(() => copy + captured);
                    }
                }
        """,
        name => $$"""
                [Coroutine]
                public static void {{name}}(Inbox<string> inbox, Dictionary<string, int> counts)
                {
                    try
                    {
                        while (true)
                        {
                            var word = inbox.Receive();
                            counts[word] = counts.TryGetValue(word, out var n) ? n + 1 : 1;
                        }
                    }
                    finally
                    {
                        counts["<closed>"] = counts.Count;
                    }
                }
        """,
    ];

    /// <summary>
    /// A compilation's worth of sources with <paramref name="count"/> templates, <paramref name="perFile"/> to a file
    /// (each file one partial class in one of ten namespaces). Template <c>i</c> is named <c>T{i}</c>.
    /// </summary>
    public static List<(string Path, string Text)> Sources(int count, int perFile)
    {
        var files = new List<(string Path, string Text)>();
        for (int first = 0, file = 0; first < count; first += perFile, file++)
        {
            var text = new StringBuilder();
            text.Append("""
                using System;
                using System.Collections.Generic;
                using System.IO;
                using CoroutineGen;


                """);
            text.Append(CultureInfo.InvariantCulture, $"namespace Stress.Area{file % 10};\n\npublic static partial class Stages{file}\n{{\n");
            for (int i = first; i < Math.Min(count, first + perFile); i++)
            {
                text.Append(Shapes[i % Shapes.Count]("T" + i.ToString(CultureInfo.InvariantCulture).PadLeft(4, '0')).Replace("private static int Scale(", $"private static int Scale{i}(").Replace("Scale(total", $"Scale{i}(total"));
                text.Append("\n\n");
            }

            text.Append("}\n");
            files.Add(($"Stress/Stages{file}.cs", text.ToString()));
        }

        return files;
    }
}
