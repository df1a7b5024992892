using System.Runtime.CompilerServices;
using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Emission;

/// <summary>
/// Golden files of generated code. Each test runs the generator over one representative template, compares every
/// generated file with its baseline in <c>Snapshots/</c> (see <see cref="GoldenFile"/>), and compiles the template
/// together with the generated code: no errors, and no warnings even with the generated files' pragma removed
/// (except the dead labels of the lowering's own scaffolding, see <see cref="Generate(string[], string, string)"/>).
/// </summary>
public sealed class GoldenTests
{
    [Fact]
    public void Grep()
    {
        Generate("Pipelines.LogPipelines.Grep.g.cs", """
            using System;
            using CoroutineGen;

            namespace Pipelines;

            public static partial class LogPipelines
            {
                [Coroutine]
                public static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
                {
                    Console.WriteLine($"Looking for {pattern}");
                    while (true)
                    {
                        string line = inbox.Receive();
                        if (line.Contains(pattern)) target.Send(line);
                    }
                }
            }
            """);
    }

    [Fact]
    public void HandlerFreeFastPath()
    {
        // The loop body calls nothing: Send's fast path has no exception handler (the state is Finished while it
        // runs) and is marked AggressiveInlining; priming, Throw and Close go through __Step.
        Generate("Pipelines.Sinks.Count.g.cs", """
            using CoroutineGen;

            namespace Pipelines;

            public sealed class Totals
            {
                public long Count;
                public long Sum;
            }

            public static partial class Sinks
            {
                [Coroutine]
                public static void Count(Inbox<int> inbox, Totals totals)
                {
                    long count = 0, sum = 0;
                    try
                    {
                        while (true)
                        {
                            int x = inbox.Receive();
                            count++;
                            sum += x;
                        }
                    }
                    catch (GeneratorExitException)
                    {
                        totals.Count = count;
                        totals.Sum = sum;
                    }
                }
            }
            """);
    }

    [Fact]
    public void Printer()
    {
        Generate("Pipelines.LogPipelines.Printer.g.cs", """
            using System.IO;
            using CoroutineGen;

            namespace Pipelines;

            public static partial class LogPipelines
            {
                [Coroutine]
                public static void Printer(Inbox<string> inbox, TextWriter output)
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
            }
            """);
    }

    [Fact]
    public void CountingForwarder()
    {
        Generate("Pipelines.Stages.Count.g.cs", """
            using System.IO;
            using CoroutineGen;

            namespace Pipelines;

            internal static partial class Stages
            {
                // Forwards every item and counts them; reports the count when the pipeline shuts down.
                [Coroutine]
                internal static void Count(Inbox<string> inbox, ICoroutine<string> target, TextWriter log)
                {
                    int count = 0;
                    try
                    {
                        while (true)
                        {
                            var item = inbox.Receive();
                            count++;
                            target.Send(item);
                        }
                    }
                    finally
                    {
                        log.WriteLine($"forwarded {count}");
                        target.Close();
                    }
                }
            }
            """);
    }

    [Fact]
    public void GenericWithConstraint()
    {
        Generate("Pipelines.Generic.Pass_1.g.cs", """
            using System;
            using CoroutineGen;

            namespace Pipelines;

            public static partial class Generic
            {
                [Coroutine]
                public static void Pass<T>(Inbox<T> inbox, ICoroutine<T> target)
                    where T : IComparable<T>
                {
                    T? last = default;
                    while (true)
                    {
                        T item = inbox.Receive();
                        if (last is null || item.CompareTo(last) != 0) target.Send(item);
                        last = item;
                    }
                }
            }
            """);
    }

    [Fact]
    public void InstanceTemplate()
    {
        Generate("Pipelines.Accumulator.Add.g.cs", """
            using System.IO;
            using CoroutineGen;

            namespace Pipelines;

            public sealed partial class Accumulator
            {
                private readonly TextWriter _log;
                private int _total;

                public Accumulator(TextWriter log) => _log = log;

                public int Total => _total;

                private string Describe() => $"total={_total}";

                // The coroutine holds `this`: it reads and writes the instance's field and calls its methods.
                [Coroutine]
                public void Add(Inbox<int> inbox, int scale)
                {
                    while (true)
                    {
                        _total += scale * inbox.Receive();
                        _log.WriteLine(Describe());
                    }
                }
            }
            """);
    }

    [Fact]
    public void NestedTryCatchFinally()
    {
        // The first hand-lowered example of the lowering, as tests/CoroutineGen.Tests runs it.
        Generate("Demo.EmissionExample.Averager.g.cs", """
            using System;
            using System.IO;
            using CoroutineGen;

            namespace Demo;

            public sealed class ValueError(string message) : Exception(message);

            public static partial class EmissionExample
            {
                [Coroutine]
                internal static void Averager(Inbox<double> inbox, TextWriter log)
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
                                if (x < 0) throw new ValueError("negative");
                                sum += x;
                                count++;
                                log.WriteLine($"avg={sum / count}");
                            }
                            catch (ValueError e)
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
            }
            """);
    }

    [Fact]
    public void LoopsWithBreakAndContinue()
    {
        Generate("Demo.Loops.Chunks.g.cs", """
            using System.Collections.Generic;
            using System.IO;
            using CoroutineGen;

            namespace Demo;

            public static partial class Loops
            {
                // Reads a header count, then that many items in chunks; 0 skips, -1 ends a chunk early, -2 stops.
                [Coroutine]
                public static void Chunks(Inbox<int> inbox, TextWriter log)
                {
                    while (true)
                    {
                        int chunks = inbox.Receive();
                        if (chunks == 0) continue;
                        if (chunks < 0) break;
                        for (int i = 0; i < chunks; i++)
                        {
                            List<int> items = new();
                            do
                            {
                                int item = inbox.Receive();
                                if (item == 0) continue;
                                if (item == -1) break;
                                items.Add(item);
                            }
                            while (items.Count < 3);
                            log.WriteLine($"chunk {i}: {string.Join(",", items)}");
                        }
                    }

                    log.WriteLine("done");
                }
            }
            """);
    }

    [Fact]
    public void NestedTypeInGenericType()
    {
        Generate("Demo.Containers.Outer_1.Inner.Collect.g.cs", """
            using System.Collections.Generic;
            using CoroutineGen;

            namespace Demo.Containers
            {
                public partial class Outer<T>
                {
                    public static partial class Inner
                    {
                        [Coroutine]
                        public static void Collect(Inbox<T> inbox, List<T> into, int limit)
                        {
                            while (into.Count < limit)
                            {
                                into.Add(inbox.Receive());
                            }
                        }
                    }
                }
            }
            """);
    }

    [Fact]
    public void Delegation()
    {
        // inbox.YieldFrom(sub): the delegation field, the loop that parks while the sub parks, and each entry
        // forwarded to the sub (send, throw, close) before the code after the call runs with the sub's result.
        Generate(["Demo.Tasks.Countdown.g.cs", "Demo.Tasks.Sum.g.cs"], """
            using CoroutineGen;

            namespace Demo;

            public static partial class Tasks
            {
                [Coroutine]
                public static int Sum(Inbox<int> inbox)
                {
                    int total = 0;
                    while (true)
                    {
                        int x = inbox.Receive();
                        if (x < 0) return total;
                        total += x;
                    }
                }

                [Coroutine]
                public static void Countdown(Inbox<int> inbox, System.Action<int> report)
                {
                    try
                    {
                        while (true)
                        {
                            report(inbox.YieldFrom(Sum()));
                        }
                    }
                    catch (GeneratorExitException)
                    {
                        report(-1);
                        throw;
                    }
                }
            }
            """);
    }

    [Fact]
    public void ReturnsAValue()
    {
        Generate("Demo.Totals.SumUntilNegative.g.cs", """
            using CoroutineGen;

            namespace Demo;

            public static partial class Totals
            {
                // Python: def sum_until_negative(): ... return total  (StopIteration.value)
                [Coroutine]
                public static int SumUntilNegative(Inbox<int> inbox)
                {
                    int total = 0;
                    while (true)
                    {
                        int x = inbox.Receive();
                        if (x < 0) return total;
                        total += x;
                    }
                }
            }
            """);
    }

    [Fact]
    public void UnprimedTemplate()
    {
        // The factory does not prime; Send checks the value that starts the coroutine (only default may).
        Generate("Demo.Scheduling.Task.g.cs", """
            using System.IO;
            using CoroutineGen;

            namespace Demo;

            public static partial class Scheduling
            {
                // Python: def task(name): ... (a generator function, called without next())
                [Coroutine(Prime = false)]
                public static void Task(Inbox<string?> inbox, string name, TextWriter log)
                {
                    log.WriteLine($"{name} starts");
                    while (true)
                    {
                        log.WriteLine($"{name} got {inbox.Receive()}");
                    }
                }
            }
            """);
    }

    [Fact]
    public void AsyncPrinter()
    {
        // An async template: the same machine printed into an async __StepAsync behind SendAsync/ThrowAsync/CloseAsync;
        // the user's awaits (in the loop, in the GeneratorExit handler, in finally) stay for the C# compiler.
        Generate("Demo.Stages.Printer.g.cs", """
            using System;
            using System.IO;
            using System.Threading.Tasks;
            using CoroutineGen;

            namespace Demo;

            public static partial class Stages
            {
                [Coroutine]
                public static async Task Printer(Inbox<string> inbox, TextWriter output)
                {
                    try
                    {
                        while (true)
                        {
                            var line = inbox.Receive();
                            await output.WriteLineAsync(line.AsMemory(), inbox.CancellationToken);
                        }
                    }
                    catch (GeneratorExitException)
                    {
                        await output.WriteLineAsync("Going away. Goodbye");
                    }
                    finally
                    {
                        await output.FlushAsync();
                    }
                }
            }
            """);
    }

    [Fact]
    public void AsyncBidirectionalWithResult()
    {
        // Two-way and returning: IAsyncReturningCoroutine<TIn, TOut, TResult>, ValueTask<TOut> SendAsync, and the
        // one-way IAsyncCoroutine<TIn> members written explicitly.
        Generate("Demo.Stages.Summer.g.cs", """
            using System.Threading.Tasks;
            using CoroutineGen;

            namespace Demo;

            public static partial class Stages
            {
                [Coroutine]
                public static async Task<int> Summer(Inbox<int, int> inbox)
                {
                    int total = 0;
                    while (true)
                    {
                        int x = inbox.Yield(total);
                        if (x < 0) return total;
                        await Task.Yield();
                        total += x;
                    }
                }
            }
            """);
    }

    [Fact]
    public void AsyncFastPaths()
    {
        // SendAsync's fast paths: a one-way stage whose loop ends with awaits in an if (each tested for IsCompleted and
        // handed to its own __AwaitThenPark method when it is not), and a two-way one that yields a field after its await.
        Generate(["Demo.Stages.Grep.g.cs", "Demo.Stages.Total.g.cs"], """
            using System.Threading.Tasks;
            using CoroutineGen;

            namespace Demo;

            public static partial class Stages
            {
                [Coroutine]
                public static async Task Grep(Inbox<string> inbox, string pattern, IAsyncCoroutine<string> target, IAsyncCoroutine<string> rest)
                {
                    try
                    {
                        while (true)
                        {
                            string line = inbox.Receive();
                            if (line.Contains(pattern)) await target.SendAsync(line);
                            else await rest.SendAsync(line).ConfigureAwait(false);
                        }
                    }
                    catch (GeneratorExitException)
                    {
                        await target.CloseAsync();
                    }
                }

                [Coroutine]
                public static async Task Total(Inbox<int, int> inbox, IAsyncCoroutine<int> target)
                {
                    int total = 0;
                    while (true)
                    {
                        int x = inbox.Yield(total);
                        total += x;
                        await target.SendAsync(total);
                    }
                }
            }
            """);
    }

    [Fact]
    public void GlobalNamespace()
    {
        Generate("GlobalStages.Echo.g.cs", """
            using System.IO;
            using CoroutineGen;

            public static partial class GlobalStages
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox, TextWriter output)
                {
                    while (true) output.WriteLine(inbox.Receive());
                }
            }
            """);
    }

    [Fact]
    public void SameNamedLocalsInSiblingScopes()
    {
        Generate("Demo.Scopes.Pairs.g.cs", """
            using System.IO;
            using CoroutineGen;

            namespace Demo;

            public static partial class Scopes
            {
                // Two locals named `value` (and two named `n`) of different types in sibling scopes, each live
                // across a suspension point, so both must be hoisted without colliding.
                [Coroutine]
                public static void Pairs(Inbox<string> inbox, TextWriter log)
                {
                    while (true)
                    {
                        {
                            string value = inbox.Receive();
                            int n = value.Length;
                            string other = inbox.Receive();
                            log.WriteLine($"{value}/{other}/{n}");
                        }
                        {
                            int value = int.Parse(inbox.Receive());
                            string n = inbox.Receive();
                            log.WriteLine($"{value + 1}:{n}");
                        }
                    }
                }
            }
            """);
    }

    [Fact]
    public void NullableDisabled()
    {
        Generate("Demo.Oblivious.Lengths.g.cs", """
            #nullable disable
            using System.Collections.Generic;
            using CoroutineGen;

            namespace Demo;

            public static partial class Oblivious
            {
                // Nullable-oblivious: `string` may be null, and the generated code must not add warnings about it.
                [Coroutine]
                public static void Lengths(Inbox<string> inbox, List<int> lengths, string fallback = null)
                {
                    string previous = fallback;
                    while (true)
                    {
                        string line = inbox.Receive();
                        lengths.Add(line == null ? previous.Length : line.Length);
                        previous = line;
                    }
                }
            }
            """);
    }

    [Fact]
    public void Bidirectional()
    {
        Generate("Demo.Averages.Running.g.cs", """
            using CoroutineGen;

            namespace Demo;

            public static partial class Averages
            {
                // Python: def running(): total = 0.0; n = 0; avg = None
                //                        while True: total += yield avg; n += 1; avg = total / n
                [Coroutine]
                public static void Running(Inbox<double, double?> inbox)
                {
                    double total = 0;
                    int n = 0;
                    double? average = null;
                    while (true)
                    {
                        total += inbox.Yield(average);
                        n++;
                        average = total / n;
                    }
                }
            }
            """);
    }

    [Fact]
    public void GenericAndNonGenericOverloads()
    {
        // Two templates named Log (LogCoroutine and LogCoroutine<T> do not collide): one file each, the hint names told
        // apart by arity and a hash of the parameter types.
        Generate(["Demo.Logging.Log_1287276f.g.cs", "Demo.Logging.Log_1_5ca86530.g.cs"], """
            using System.IO;
            using CoroutineGen;

            namespace Demo;

            public static partial class Logging
            {
                [Coroutine]
                public static void Log(Inbox<string> inbox, TextWriter output)
                {
                    while (true) output.WriteLine(inbox.Receive());
                }

                [Coroutine]
                public static void Log<T>(Inbox<T> inbox, TextWriter output)
                    where T : struct
                {
                    while (true) output.WriteLine(inbox.Receive().ToString());
                }
            }
            """);
    }

    [Fact]
    public void SwitchCasePatternVariables()
    {
        // The dispatch switch binds each case's pattern variables to locals of its own (never fields), copies them
        // to the template's variables, and is indented like the code around it.
        Generate("Shapes.Dispatch.Describe.g.cs", """
            using System;
            using CoroutineGen;

            namespace Shapes;

            public static partial class Dispatch
            {
                [Coroutine]
                public static void Describe(Inbox<object> inbox)
                {
                    while (true)
                    {
                        switch (inbox.Receive())
                        {
                            case int n when n > 0:
                                Console.WriteLine($"positive {n}, then {inbox.Receive()}, still {n}");
                                break;
                            case string s:
                                Console.WriteLine(s);
                                break;
                            default:
                                Console.WriteLine("other");
                                break;
                        }
                    }
                }
            }
            """);
    }

    [Fact]
    public void SwitchDispatchLayout()
    {
        // The other shapes of a switch's dispatch: no default (a jump to the end after it), a case label on two lines
        // (the dispatch keeps the user's layout), a label whose lambda reads a capture frame (the dispatch is wrapped
        // in the frame's snapshot), and two labels of one section.
        Generate("Shapes.Dispatch.Classify.g.cs", """
            using System;
            using CoroutineGen;

            namespace Shapes;

            public static partial class Dispatch
            {
                private static bool Check(Func<bool> test) => test();

                [Coroutine]
                public static void Classify(Inbox<object> inbox)
                {
                    while (true)
                    {
                        int limit = (int)inbox.Receive();
                        Func<int> current = () => limit;
                        switch (inbox.Receive())
                        {
                            case int n
                                when n > limit:
                                Console.WriteLine($"big {n}, then {inbox.Receive()}, still {n}");
                                break;
                            case long m when Check(() => m > current()):
                            case short:
                                Console.WriteLine("long or short");
                                break;
                            case string s:
                                Console.WriteLine(s);
                                break;
                        }

                        Console.WriteLine(current());
                    }
                }
            }
            """);
    }

    [Fact]
    public void ConditionalAccessChain()
    {
        // `head?.Next?.Add(receive)` as a statement: nested null tests, the receive only when both links are there.
        Generate("Lists.Sums.Sum.g.cs", """
            using System;
            using CoroutineGen;

            namespace Lists;

            public sealed class Node
            {
                public Node? Next { get; set; }

                public int Total { get; private set; }

                public void Add(int v) => Total += v;

                public int Peek(int v) => Total + v;
            }

            public static partial class Sums
            {
                [Coroutine]
                public static void Sum(Inbox<int> inbox, Node? head)
                {
                    while (true)
                    {
                        head?.Next?.Add(inbox.Receive());
                        int? total = head?.Next?.Peek(inbox.Receive());
                        Console.WriteLine(total);
                    }
                }
            }
            """);
    }

    [Fact]
    public void ThrowExpressionWithReceive()
    {
        // `x ?? throw new E($"{receive}")`: the throw expression becomes a throw statement in the branch.
        Generate("Names.Checks.Require.g.cs", """
            using System;
            using CoroutineGen;

            namespace Names;

            public static partial class Checks
            {
                [Coroutine]
                public static void Require(Inbox<string?> inbox)
                {
                    while (true)
                    {
                        var name = inbox.Receive() ?? throw new ArgumentException($"missing name, because {inbox.Receive()}");
                        Console.WriteLine(name);
                    }
                }
            }
            """);
    }

    [Fact]
    public void NegatedPatternVariable()
    {
        // `o is not string s` with s hoisted: the pattern's temporary is stored in the field where the pattern is false.
        Generate("Filters.Strings.Only.g.cs", """
            using System;
            using CoroutineGen;

            namespace Filters;

            public static partial class Strings
            {
                [Coroutine]
                public static void Only(Inbox<object> inbox)
                {
                    while (true)
                    {
                        var o = inbox.Receive();
                        if (o is not string s) continue;
                        Console.WriteLine($"{s} then {inbox.Receive()}, still {s}");
                    }
                }
            }
            """);
    }

    [Fact]
    public void QualifiedInterpolationHoles()
    {
        // The template's own members are qualified (`global::Reports.Report.Twice`): a hole with `::` is parenthesized.
        Generate("Reports.Report.Lines.g.cs", """
            using System;
            using CoroutineGen;

            namespace Reports;

            public static partial class Report
            {
                private static int _scale = 10;

                private static int Twice(int v) => v * 2;

                [Coroutine]
                public static void Lines(Inbox<int> inbox)
                {
                    while (true)
                    {
                        Console.WriteLine($"{Twice(inbox.Receive())} {_scale,4} {inbox.Receive() * _scale:D5}");
                        _scale++;
                    }
                }
            }
            """);
    }

    [Fact]
    public void UserLabelsNamedLikeGeneratedOnes()
    {
        // User labels starting with `__` are renamed (`user__finish`), in their declaration and in every goto.
        Generate("Jumps.Labels.Retry.g.cs", """
            using System;
            using CoroutineGen;

            namespace Jumps;

            public static partial class Labels
            {
                [Coroutine]
                public static void Retry(Inbox<string> inbox)
                {
                    int tries = 0;
                __resume1:
                    tries++;
                    if (inbox.Receive() == "again" && tries < 3) goto __resume1;
                    if (tries > 1) goto __finish;
                    Console.WriteLine("first try");
                __finish:
                    Console.WriteLine($"tries {tries}");
                }
            }
            """);
    }

    private static void Generate(string hintName, string source, [CallerMemberName] string name = "") =>
        Generate([hintName], source, name);

    /// <summary>
    /// Runs the generator, checks the hint names, snapshots every generated file (<c>Snapshots/Name.verified.cs</c>,
    /// or <c>Name#HintName.verified.cs</c> when a test generates several), then checks that everything compiles clean.
    /// </summary>
    private static void Generate(string[] hintNames, string source, [CallerMemberName] string name = "")
    {
        var run = GeneratorHarness.Run(source);
        Assert.Equal(hintNames, run.GeneratedSources.Select(s => s.HintName));
        GoldenFile.VerifyAll(run.GeneratedSources.Select(file =>
            (run.GeneratedSources.Count == 1 ? name : name + "#" + file.HintName[..^".g.cs".Length], file.Text)));

        // The lowering leaves dead labels and jumps behind (`__while_end1: ;` after the `goto` that closes a
        // `while (true)`, `goto __endtry1;` after a try that never completes), which the generated pragma hides. Those
        // two warnings (CS0162, CS0164) are tolerated in the generator's `#line hidden` scaffolding only; anything
        // else, and anything in code copied from the template, fails.
        GeneratorHarness.AssertCompilesClean(run, tolerateScaffoldingWarnings: false);
    }
}
