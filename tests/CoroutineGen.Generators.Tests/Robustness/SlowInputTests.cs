using System.Diagnostics;
using System.Text;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Robustness;

/// <summary>
/// Inputs that once took the generator and the analyzer several times longer than compiling what they produce
/// (a 2,000-branch <c>else if</c> chain: 4.8 s against 0.8 s; 5,000 constants added before a receive: 3.0 s against
/// 0.3 s). The budget is relative, so that a loaded machine slows both sides alike: generating and analyzing may take
/// at most as long as compiling the output, plus a fixed allowance for the first call's warm-up.
/// </summary>
[Collection(Stress.TimingCollection.Name)] // alone, after the parallel tests: the timings compare two runs in the same process
public sealed class SlowInputTests
{
    private static string ElseIfChain(int branches, bool receiveInside)
    {
        var body = new StringBuilder("int x = inbox.Receive();\n");
        for (int i = 0; i < branches; i++)
        {
            body.Append(i == 0 ? string.Empty : "else ").Append(receiveInside && i > 0 ? $"if (x == {i}) log.Add(inbox.Receive() + {i});\n" : $"if (x == {i}) log.Add({i});\n");
        }

        body.Append(receiveInside ? "else log.Add(inbox.Receive());\n" : "else log.Add(-1);\n");
        return Wrap(body.ToString());
    }

    private static string LongSum(int terms)
    {
        var body = new StringBuilder("while (true) { log.Add(0");
        for (int i = 0; i < terms; i++)
        {
            body.Append(" + ").Append(i % 10);
        }

        body.Append(" + inbox.Receive()); }\n");
        return Wrap(body.ToString());
    }

    private static string Wrap(string body) => $$"""
        using System.Collections.Generic;
        using CoroutineGen;

        public static partial class Host
        {
            [Coroutine]
            public static void T(Inbox<int> inbox, List<int> log)
            {
        {{body}}
            }
        }
        """;

    public static TheoryData<string, string> Inputs => new()
    {
        { "a 2,000-branch else-if chain after a receive", ElseIfChain(2_000, receiveInside: false) },
        { "a 2,000-branch else-if chain with a receive in every branch (nested too deeply: CORO0004)", ElseIfChain(2_000, receiveInside: true) },
        { "5,000 constants added before a receive", LongSum(5_000) },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Generating_takes_no_longer_than_compiling_the_output(string name, string source)
    {
        RobustnessOutcome.Of(Wrap("while (true) inbox.Receive();")); // warm up the generator, the analyzer and Roslyn

        var clock = Stopwatch.StartNew();
        var outcome = RobustnessOutcome.Of(source);
        var generating = clock.Elapsed;
        outcome.AssertNeverBroke(name);

        clock.Restart();
        var errors = outcome.Outcome.Output.Clone().GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
        var compiling = clock.Elapsed;

        Assert.True(
            generating <= compiling + TimeSpan.FromSeconds(1),
            $"{name}: generating and analyzing took {generating.TotalSeconds:F2} s, compiling the output {compiling.TotalSeconds:F2} s ({errors} errors)");
    }
}
