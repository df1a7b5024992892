using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Tests.Robustness.Harness;

/// <summary>
/// An IDE session: one <see cref="GeneratorDriver"/> sees hundreds of successive edits of one file (the
/// <see cref="Mutations"/>, applied cumulatively; now and then an edit is undone, or the whole file goes back to its
/// original text). Each edit reaches the compilation as the IDE's does: a <see cref="TextChange"/> of the previous
/// text and <see cref="SyntaxTree.WithChangedText"/> (incremental parsing). After each step the long-lived driver's
/// generated sources must equal, file by file, those of a fresh driver run on the very same compilation, neither may
/// throw, and no generated file may contain <c>#error</c>. Each step is one input of the harness.
/// </summary>
public static class IdeSession
{
    /// <summary>The most edits a session keeps on top of each other before it goes back to the original text.</summary>
    public const int MaxPending = 12;

    /// <summary>
    /// The samples a session starts from: those of <see cref="TemplateCorpus"/> that generate at least one file on
    /// their own (many test files use helper types of their project, so their templates get CORO0002 and generate
    /// nothing; a session over them would compare empty outputs).
    /// </summary>
    public static IReadOnlyList<TemplateSample> Samples => GeneratingSamples.Value;

    private static readonly Lazy<IReadOnlyList<TemplateSample>> GeneratingSamples = new(() => TemplateCorpus.All
        .Where(sample =>
        {
            var tree = CSharpSyntaxTree.ParseText(SourceText.From(sample.Text, Encoding.UTF8), Infrastructure.GeneratorHarness.ParseOptions, BrokenTemplateTests.PathOf(sample));
            var result = NeverBreaksCheck.CreateDriver().RunGenerators(NeverBreaksCheck.Empty.AddSyntaxTrees(NeverBreaksCheck.ImplicitUsingsTree, tree)).GetRunResult().Results.Single();
            return result.GeneratedSources.Length > 0;
        })
        .ToList());

    /// <summary>Runs a session of <paramref name="steps"/> edits of <paramref name="sample"/> drawn from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<HarnessResult> Run(TemplateSample sample, int seed, int steps)
    {
        var random = new Random(seed);
        var path = BrokenTemplateTests.PathOf(sample);
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(sample.Text, Encoding.UTF8), Infrastructure.GeneratorHarness.ParseOptions, path);
        Compilation compilation = NeverBreaksCheck.Empty.AddSyntaxTrees(NeverBreaksCheck.ImplicitUsingsTree, tree);
        var driver = NeverBreaksCheck.CreateDriver();
        driver = driver.RunGenerators(compilation);

        var history = new List<string>();
        var texts = new Stack<string>();
        var results = new List<HarnessResult>();
        for (int step = 0; step < steps; step++)
        {
            var previous = tree.GetText().ToString();
            string op, description, next;
            // Mostly edits on top of edits; undo now and then, and back to the original after MaxPending edits, so that the file
            // stays near a valid one as it does while someone types (a file destroyed by 200 random edits generates
            // nothing and tests little).
            var roll = random.Next(100);
            if (texts.Count > 0 && roll < 8)
            {
                (op, description, next) = ("undo", "undo the last edit", texts.Pop());
            }
            else if (roll < 10 || texts.Count >= MaxPending)
            {
                (op, description, next) = ("revert", "back to the original text", sample.Text);
                texts.Clear();
            }
            else if (Mutations.ApplyAny(random.Next(Mutations.Operators.Count), previous, random) is { } edit)
            {
                (op, description, next) = edit;
                texts.Push(previous);
            }
            else
            {
                (op, description, next) = ("revert", "back to the original text (no edit applies)", sample.Text);
                texts.Clear();
            }

            history.Add($"step {step}: {op}: {description}");
            var newTree = tree.WithChangedText(tree.GetText().WithChanges(Diff(previous, next)));
            compilation = compilation.ReplaceSyntaxTree(tree, newTree);
            tree = newTree;

            driver = driver.RunGenerators(compilation);
            var incremental = driver.GetRunResult().Results.Single();
            var fresh = NeverBreaksCheck.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

            var failures = new List<HarnessFailure>();
            if (incremental.Exception is { } e)
            {
                failures.Add(new HarnessFailure(FailureKinds.GeneratorException, e.GetType().Name, "the long-lived driver's generator threw: " + e));
            }

            if (fresh.Exception is { } f)
            {
                failures.Add(new HarnessFailure(FailureKinds.GeneratorException, f.GetType().Name, "the fresh driver's generator threw: " + f));
            }

            foreach (var source in incremental.GeneratedSources.Where(s => s.SourceText.ToString().Contains("#error", StringComparison.Ordinal)))
            {
                failures.Add(new HarnessFailure(FailureKinds.ErrorDirective, string.Empty, $"{source.HintName} contains #error: {HarnessCheck.Shorten(source.SourceText.ToString().Trim(), 2000)}"));
            }

            if (Compare(incremental.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())), fresh.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString()))) is { } mismatch)
            {
                failures.Add(new HarnessFailure(FailureKinds.IncrementalMismatch, string.Empty, mismatch));
            }

            var input = new HarnessInput(
                "session/" + op,
                $"IDE session over {sample.Name}, seed {seed}, step {step} of {steps}; the edits so far:{Environment.NewLine}    "
                    + string.Join(Environment.NewLine + "    ", history.TakeLast(40))
                    + (failures.Count == 0 ? string.Empty : $"{Environment.NewLine}---- the text before this step ----{Environment.NewLine}{previous}{Environment.NewLine}---- (the input below is the text after it) ----"),
                next,
                path);
            results.Add(new HarnessResult(input, failures, incremental.GeneratedSources.Length > 0, CoroError: false, CompileChecked: false));
        }

        return results;
    }

    /// <summary>
    /// Null when the two runs generated the same files with the same texts, else the first difference (a missing or
    /// extra file, or the first differing line).
    /// </summary>
    public static string? Compare(IEnumerable<(string HintName, string Text)> incremental, IEnumerable<(string HintName, string Text)> fresh)
    {
        var a = incremental.OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();
        var b = fresh.OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();
        var names = a.Select(s => s.HintName).ToList();
        var freshNames = b.Select(s => s.HintName).ToList();
        if (!names.SequenceEqual(freshNames))
        {
            return $"the long-lived driver generated [{string.Join(", ", names)}], a fresh driver [{string.Join(", ", freshNames)}]";
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Text == b[i].Text)
            {
                continue;
            }

            var left = a[i].Text.Split('\n');
            var right = b[i].Text.Split('\n');
            var line = 0;
            while (line < left.Length && line < right.Length && left[line] == right[line])
            {
                line++;
            }

            return $"{a[i].HintName} differs at line {line + 1}: long-lived driver {Quote(left, line)}, fresh driver {Quote(right, line)}";
        }

        return null;
    }

    private static string Quote(string[] lines, int line) => line < lines.Length ? $"\"{HarnessCheck.Shorten(lines[line].TrimEnd('\r'), 300)}\"" : "(end of file)";

    /// <summary>The one change that turns <paramref name="before"/> into <paramref name="after"/> (common prefix and suffix kept).</summary>
    public static TextChange Diff(string before, string after)
    {
        var prefix = 0;
        while (prefix < before.Length && prefix < after.Length && before[prefix] == after[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < before.Length - prefix && suffix < after.Length - prefix && before[before.Length - 1 - suffix] == after[after.Length - 1 - suffix])
        {
            suffix++;
        }

        return new TextChange(new TextSpan(prefix, before.Length - prefix - suffix), after.Substring(prefix, after.Length - prefix - suffix));
    }
}
