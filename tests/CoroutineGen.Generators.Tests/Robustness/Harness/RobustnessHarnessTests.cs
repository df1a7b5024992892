using System.Collections.Immutable;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace CoroutineGen.Generators.Tests.Robustness.Harness;

/// <summary>
/// The robustness harness (docs/contributing/tests.md, "The robustness harness"): the generator and the analyzer see
/// inputs the way an IDE does, and <see cref="HarnessCheck"/> checks each. Three input families:
/// <list type="bullet">
/// <item><see cref="Mutations_of_the_corpus"/>: one or a few <see cref="Mutations"/> of a template file of the repository (<see cref="TemplateCorpus"/>);</item>
/// <item><see cref="Syntax_variants"/>: <see cref="SyntaxVariants"/>, new language features, containers, identifiers, sizes;</item>
/// <item><see cref="Ide_sessions"/>: <see cref="IdeSession"/>, hundreds of cumulative edits through one driver, compared with fresh runs.</item>
/// </list>
/// By default this is the CI slice (fixed seeds, 128 mutations, 138 variants, 300 session steps; under a minute on two cores);
/// <c>COROUTINEGEN_HARNESS=full</c> runs <c>COROUTINEGEN_HARNESS_COUNT</c> inputs (default 40,000) from
/// <c>COROUTINEGEN_HARNESS_SEED</c>. Failures listed in <see cref="KnownFailures"/> are counted, not failed.
/// </summary>
public sealed class RobustnessHarnessTests(ITestOutputHelper output)
{
    /// <summary>Mutation inputs of the CI slice: every operator 8 times.</summary>
    public const int CiMutations = 16 * 8;

    /// <summary>IDE sessions of the CI slice, and their length.</summary>
    public const int CiSessions = 2;

    public const int CiSessionSteps = 150;

    /// <summary>Full mode: the share of the inputs that are session steps, and a session's length.</summary>
    public const double FullSessionShare = 0.15;

    public const int FullSessionSteps = 250;

    private void Print(string text) => output.WriteLine(text);

    [Fact]
    public void Mutations_of_the_corpus()
    {
        var count = HarnessRunner.Full
            ? Math.Max(0, HarnessRunner.FullCount - SyntaxVariants.All(full: true).Count - FullSessionCount(HarnessRunner.FullCount))
            : CiMutations;
        var inputs = MutationInputs(HarnessRunner.StartSeed, count);
        Assert.Equal(count, inputs.Count);
        HarnessRunner.Check("mutations of the corpus", inputs, Print);
    }

    [Fact]
    public void Syntax_variants()
    {
        var inputs = SyntaxVariants.All(HarnessRunner.Full);
        var results = HarnessRunner.Check("syntax variants", inputs, Print);
        // The plain template in every container that allows templates is generated (a check that the variants are
        // real templates, not inputs the generator ignores).
        Assert.Contains(results, r => r.Input.Description == "body 'plain loop' in container 'static class'" && r.Generated);
        Assert.Contains(results, r => r.Input.Class == "variant/identifiers" && r.Generated);
    }

    [Fact]
    public void Ide_sessions()
    {
        var (sessions, steps) = HarnessRunner.Full
            ? (Math.Max(1, FullSessionCount(HarnessRunner.FullCount) / FullSessionSteps), FullSessionSteps)
            : (CiSessions, CiSessionSteps);
        var corpus = IdeSession.Samples;
        Assert.True(corpus.Count >= 10, $"only {corpus.Count} samples generate on their own");
        var plan = Enumerable.Range(0, sessions)
            .Select(k => (Sample: corpus[Math.Abs((HarnessRunner.StartSeed * 7919) + (k * 31)) % corpus.Count], Seed: HarnessRunner.StartSeed + k))
            .ToList();
        HarnessRunner.Finish(
            "IDE sessions",
            () => HarnessRunner.RunAll(plan, p => IdeSession.Run(p.Sample, p.Seed, steps)).SelectMany(r => r).ToList(),
            Print);
    }

    private static int FullSessionCount(int total) => (int)(total * FullSessionShare);

    /// <summary>
    /// The mutation inputs <c>[0, count)</c> from <paramref name="seed"/>: input i applies operator i mod 16 (or the
    /// next that applies) to a sample drawn from (seed, i); one input in four gets one or two more edits on top.
    /// </summary>
    public static IReadOnlyList<HarnessInput> MutationInputs(int seed, int count)
    {
        var corpus = TemplateCorpus.All;
        var inputs = new List<HarnessInput>(count);
        for (int i = 0; i < count; i++)
        {
            var random = new Random(unchecked((seed * 1_000_003) + i));
            var sample = corpus[random.Next(corpus.Count)];
            var text = sample.Text;
            var edits = new List<string>();
            var op = string.Empty;
            var rounds = random.Next(4) == 0 ? 1 + random.Next(1, 3) : 1;
            for (int round = 0; round < rounds; round++)
            {
                if (Mutations.ApplyAny(round == 0 ? i % Mutations.Operators.Count : random.Next(Mutations.Operators.Count), text, random) is not { } edit)
                {
                    break;
                }

                op = round == 0 ? edit.Operator : op;
                edits.Add(edit.Description);
                text = edit.Text;
            }

            inputs.Add(new HarnessInput(
                "mutation/" + (op.Length == 0 ? "none" : op) + (edits.Count > 1 ? "+" : string.Empty),
                $"{sample.Name}, seed {seed}, input {i}: {string.Join("; then ", edits)}",
                text,
                BrokenTemplateTests.PathOf(sample)));
        }

        return inputs;
    }

    // ---- The checks can fail: each is shown failing on an input made to fail it. ----

    [Fact]
    public void Every_mutation_operator_applies_to_the_corpus_and_changes_the_text()
    {
        foreach (var op in Mutations.Operators)
        {
            var applied = TemplateCorpus.All.Select((s, i) => (s, Edit: Mutations.Apply(op, s.Text, new Random(i)))).Where(x => x.Edit is not null).ToList();
            Assert.True(applied.Count > 0, op + " applies to no sample");
            Assert.All(applied, x => Assert.NotEqual(x.s.Text, x.Edit!.Value.Text));
        }

        Assert.Contains("const", Mutations.Keywords);
        Assert.Contains("scoped", Mutations.Keywords);
        var inputs = MutationInputs(0, 64);
        Assert.Equal(inputs.Select(i => i.Text), MutationInputs(0, 64).Select(i => i.Text)); // deterministic
        Assert.NotEqual(inputs.Select(i => i.Text), MutationInputs(1, 64).Select(i => i.Text));
        Assert.Equal(Mutations.Operators.Count, inputs.Select(i => i.Class.TrimEnd('+')).Distinct().Count());
    }

    [Fact]
    public void The_compile_check_fails_on_errors_the_generated_code_brings_and_skips_the_users_own()
    {
        var user = CSharpSyntaxTree.ParseText("class C { void M() { } }", GeneratorHarness.ParseOptions, "/src/C.cs");
        var generated = CSharpSyntaxTree.ParseText("partial class D { int x = \"s\"; }", GeneratorHarness.ParseOptions, "Demo.D.M.g.cs");
        var input = NeverBreaksCheck.Empty.AddSyntaxTrees(user);
        var output = input.AddSyntaxTrees(generated);
        var failures = HarnessCheck.CompileFailures(input, Errors(output), [generated]).ToList();
        var failure = Assert.Single(failures);
        Assert.Equal("does-not-compile CS0029", failure.Class);
        Assert.Contains("in generated code", failure.Detail, StringComparison.Ordinal);

        // A new error in the user's code (an ambiguity the generated code causes) fails too.
        var caller = CSharpSyntaxTree.ParseText("static partial class D { public static void M(int a, long b) { } } class U { void N() { D.M(1, 1); } }", GeneratorHarness.ParseOptions, "/src/U.cs");
        var overload = CSharpSyntaxTree.ParseText("static partial class D { public static void M(long a, int b) { } }", GeneratorHarness.ParseOptions, "Demo.D.M.g.cs");
        input = NeverBreaksCheck.Empty.AddSyntaxTrees(caller);
        Assert.Empty(Errors(input));
        output = input.AddSyntaxTrees(overload);
        var ambiguity = Assert.Single(HarnessCheck.CompileFailures(input, Errors(output), [overload]));
        Assert.Equal("does-not-compile CS0121", ambiguity.Class);
        Assert.Contains("in the user's code", ambiguity.Detail, StringComparison.Ordinal);

        // The user's own error (there without the generator) skips the check: copied statements repeat it.
        var broken = CSharpSyntaxTree.ParseText("class C { void M() { int y = \"s\"; } }", GeneratorHarness.ParseOptions, "/src/C.cs");
        input = NeverBreaksCheck.Empty.AddSyntaxTrees(broken);
        output = input.AddSyntaxTrees(generated);
        Assert.Empty(HarnessCheck.CompileFailures(input, Errors(output), [generated]));
    }

    [Fact]
    public void The_silent_drop_check_fails_when_a_template_without_a_CORO_error_has_no_factory()
    {
        const string source = """
            using CoroutineGen;
            namespace Demo;
            public static partial class Host
            {
                [Coroutine]
                public static void Echo(Inbox<int> inbox) { while (true) inbox.Receive(); }
            }
            """;
        var run = GeneratorHarness.Run(source);
        var tree = run.InputCompilation.SyntaxTrees.Single();
        var drop = Assert.Single(HarnessCheck.SilentDrops(run.InputCompilation, tree, [], []));
        Assert.Contains("Demo.Host.Echo: 1 [Coroutine] method(s) without a CORO error, 0 generated factories", drop.Detail, StringComparison.Ordinal);

        // With the real generator's output there is no drop.
        Assert.Empty(HarnessCheck.SilentDrops(run.OutputCompilation, tree, [], run.GeneratedTrees));

        // A factory generated into another type of the same name does not count.
        var elsewhere = CSharpSyntaxTree.ParseText("namespace Other { public static partial class Host { public static object Echo() => null!; } }", GeneratorHarness.ParseOptions, "Other.Host.Echo.g.cs");
        Assert.Single(HarnessCheck.SilentDrops(run.InputCompilation.AddSyntaxTrees(elsewhere), tree, [], [elsewhere]));

        // A template with a CORO error may generate nothing.
        var coro = Diagnostic.Create(Generators.Diagnostics.DiagnosticDescriptors.UnsupportedConstruct, Location.Create(tree, tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Single().Body!.Span), "Echo", "test");
        Assert.Empty(HarnessCheck.SilentDrops(run.InputCompilation, tree, [coro], []));
    }

    [Fact]
    public void The_other_checks_report_what_they_must()
    {
        // Budget: max(floor, factor x compile).
        Assert.Null(HarnessCheck.OverBudget(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.9), TimeSpan.FromMilliseconds(10)));
        Assert.NotNull(HarnessCheck.OverBudget(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(0.6), TimeSpan.FromMilliseconds(10)));
        Assert.Null(HarnessCheck.OverBudget(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)));
        Assert.NotNull(HarnessCheck.OverBudget(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3)));

        // Incremental comparison.
        Assert.Null(IdeSession.Compare([("a.g.cs", "x\ny")], [("a.g.cs", "x\ny")]));
        Assert.Contains("differs at line 2", IdeSession.Compare([("a.g.cs", "x\ny")], [("a.g.cs", "x\nz")]), StringComparison.Ordinal);
        Assert.Contains("a fresh driver [a.g.cs, b.g.cs]", IdeSession.Compare([("a.g.cs", "x")], [("b.g.cs", "x"), ("a.g.cs", "x")]), StringComparison.Ordinal);
        var change = IdeSession.Diff("abcXdef", "abcYYdef");
        Assert.Equal((3, 1, "YY"), (change.Span.Start, change.Span.Length, change.NewText));

        // #error and unparsable output, and the report prints the input in full.
        var tree = NeverBreaksCheck.Parse("class C { }", "/src/C.cs");
        var generated = NeverBreaksCheck.Parse("#error CoroutineGen could not compile the template C.M: boom\nclass {", "Demo.C.M.g.cs");
        var outcome = new NeverBreaksOutcome([], [new GeneratedFile("Demo.C.M.g.cs", generated.ToString())], [], NeverBreaksCheck.Empty)
        {
            Input = NeverBreaksCheck.Empty,
            GeneratedTrees = [generated],
            GeneratorException = new InvalidOperationException("boom"),
            GeneratorDiagnostics = [],
            AnalyzerExceptions = [],
            GeneratorTime = TimeSpan.Zero,
            AnalyzerTime = TimeSpan.Zero,
        };
        var failures = HarnessCheck.BreakageFailures(tree, outcome).ToList();
        Assert.Equal(["generator-exception", "error-directive", "output-does-not-parse"], failures.Select(f => f.Kind));
        var report = new HarnessResult(new HarnessInput("test", "made up", "class C { }\n// the end"), failures, false, false, false).Report();
        Assert.Contains("class C { }\n// the end", report.Replace("\r\n", "\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_known_failures_are_distinct_and_described()
    {
        Assert.Equal(KnownFailures.All.Count, KnownFailures.All.Select(k => k.Id).Distinct().Count());
        Assert.All(KnownFailures.All, k => Assert.True(k.Description.Length > 20, k.Id));
    }

    private static IReadOnlyList<Diagnostic> Errors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
}
