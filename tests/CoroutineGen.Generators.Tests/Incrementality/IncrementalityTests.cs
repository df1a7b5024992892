using System.Collections.Immutable;
using System.Reflection;
using CoroutineGen.Generators.Model;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Tests.Incrementality;

/// <summary>
/// A generator that never redoes work (the NetEscapades harness): the driver runs twice with
/// <c>trackIncrementalGeneratorSteps</c>, the second time over an edited compilation. An edit that touches no
/// template leaves every tracked step (<see cref="TrackingNames"/>, found by reflection so that a new step is covered
/// without touching this file) <c>Cached</c> or <c>Unchanged</c> and every source output <c>Cached</c>; an edit to one
/// template regenerates that template only, and its new output is what a fresh run makes. No step output holds a
/// compilation, symbol, syntax node or tree, semantic model or location (<see cref="ObjectGraph"/>).
/// </summary>
public sealed class IncrementalityTests
{
    private const string StagesPath = "Stages.cs";

    private const string Stages = """
        using System;
        using System.IO;
        using CoroutineGen;

        namespace Demo.Pipelines
        {
            public static partial class Stages
            {
                [Coroutine]
                public static void Neighbour(Inbox<string> inbox, TextWriter log)
                {
                    while (true) log.WriteLine(inbox.Receive());
                }
            }
        }

        namespace Demo.Targets
        {
            public static partial class Stages
            {
                [Coroutine]
                public static void Target(Inbox<int> inbox, TextWriter log)
                {
                    var total = 0;
                    while (true)
                    {
                        total += inbox.Receive();
                        log.WriteLine(total);
                    }
                }

                private static int Helper() => 1;
            }
        }

        namespace Demo.Followers
        {
            public static partial class Stages
            {
                // After Target in its file: an edit of Target that adds or removes characters (not lines) shifts
                // this template's character offsets but not its lines, so its output is the same.
                [Coroutine]
                public static void Follower(Inbox<int> inbox, TextWriter log)
                {
                    while (true) log.WriteLine(inbox.Receive() * 2);
                }
            }
        }
        """;

    private const string OtherPath = "Other.cs";

    private const string Other = """
        using System;
        using System.Collections.Generic;
        using CoroutineGen;

        namespace Demo.Elsewhere;

        internal static partial class Collectors
        {
            [Coroutine]
            internal static int Elsewhere(Inbox<int, string> inbox, List<int> into)
            {
                var reply = "ready";
                try
                {
                    while (true)
                    {
                        var item = inbox.Yield(reply);
                        if (item < 0) return into.Count;
                        into.Add(item);
                        reply = $"got {item}";
                    }
                }
                finally
                {
                    into.Add(-1);
                }
            }

            // Invalid (the inbox is not the first parameter): the Templates step yields null for it.
            [Coroutine]
            internal static void Invalid(int first, Inbox<int> inbox)
            {
                inbox.Receive();
            }
        }
        """;

    private const string HelpersPath = "Helpers.cs";

    private const string Helpers = """
        namespace Demo;

        internal static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    private static readonly string[] AllHintNames =
    [
        "Demo.Elsewhere.Collectors.Elsewhere.g.cs",
        "Demo.Followers.Stages.Follower.g.cs",
        "Demo.Pipelines.Stages.Neighbour.g.cs",
        "Demo.Targets.Stages.Target.g.cs",
    ];

    /// <summary>The names of the pipeline's tracked steps, read from <see cref="TrackingNames"/>.</summary>
    public static IReadOnlyList<string> TrackedStepNames { get; } = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    private static readonly IncrementalStepRunReason[] CachedOrUnchanged = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    private static CSharpCompilation Initial() => GeneratorHarness.CreateCompilation((StagesPath, Stages), (OtherPath, Other), (HelpersPath, Helpers));

    [Fact]
    public void The_pipeline_tracks_the_steps_named_in_TrackingNames()
    {
        Assert.Equal(["HintNames", "Templates", "ValidTemplates"], TrackedStepNames.Order());
        var run = GeneratorHarness.Run(Initial());

        Assert.Equal(AllHintNames, run.GeneratedSources.Select(s => s.HintName));
        foreach (var name in TrackedStepNames)
        {
            Assert.True(run.Result.TrackedSteps.ContainsKey(name), $"The step '{name}' was not tracked; tracked: {string.Join(", ", run.Result.TrackedSteps.Keys)}");
        }

        // Five [Coroutine] methods found, one of them invalid: it parses to null, for which Roslyn records no step
        // output, so the Templates step shows the four valid models.
        Assert.Equal(5, Outputs(run.Result, InputTrackingNames.TemplateSyntax).Count);
        Assert.Equal(4, Outputs(run.Result, "Templates").Count(o => o.Value is TemplateModel));
        Assert.Equal(4, Outputs(run.Result, "ValidTemplates").Count);
        Assert.Single(Outputs(run.Result, InputTrackingNames.Declarations));

        // No two hint names collide, so none is renamed.
        Assert.Equal(EquatableArray<HintNames.Renamed>.Empty, Assert.Single(Outputs(run.Result, "HintNames")).Value);
    }

    [Fact]
    public void No_step_output_holds_a_compilation_a_symbol_syntax_or_a_location()
    {
        var run = GeneratorHarness.Run(Initial());
        AssertNoForbiddenObjects(run.Result);

        // After an edit too (new model objects, some reused from the first run).
        var second = RunAgain(run, Edit(run.InputCompilation, StagesPath, s => s.Replace("log.WriteLine(total);", "log.WriteLine(total + 1);")));
        AssertNoForbiddenObjects(second);
    }

    [Fact]
    public void The_object_walk_finds_forbidden_objects_however_deep()
    {
        var compilation = Initial();
        var tree = compilation.SyntaxTrees.First();
        var token = tree.GetRoot().DescendantTokens().First(t => t.IsKind(SyntaxKind.IdentifierToken));
        Func<int> closure = () => compilation.SyntaxTrees.Count();
        var holder = new
        {
            Fine = new[] { "text", "more" },
            Symbol = new List<object> { 1, new[] { (object?)null, compilation.GetSpecialType(SpecialType.System_Object) } },
            Deep = ImmutableArray.Create(new KeyValuePair<string, object>("token", token)),
            Where = (object)Location.None,
            Captured = closure,
        };

        var found = ObjectGraph.FindForbidden(holder, "holder");
        Assert.True(found.Count == 4, string.Join(Environment.NewLine, found));

        Assert.Contains(found, f => f.StartsWith("holder.<Symbol>i__Field._items[1][1] is a ISymbol", StringComparison.Ordinal));
        Assert.Contains(found, f => f.StartsWith("holder.<Deep>i__Field.array[0].value.<Parent>k__BackingField is a SyntaxNode", StringComparison.Ordinal));
        Assert.Contains(found, f => f.StartsWith("holder.<Where>i__Field is a Location", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains(".Target[0]", StringComparison.Ordinal) && f.EndsWith("is a Compilation (Microsoft.CodeAnalysis.CSharp.CSharpCompilation)", StringComparison.Ordinal));
        Assert.Equal(4, found.Count);
        Assert.Empty(ObjectGraph.FindForbidden(new { Fine = "x", Numbers = new[] { 1, 2 }, Nested = new[] { new { A = "b" } } }, "fine"));
    }

    public static TheoryData<string> UnrelatedEdits => new(UnrelatedEditsByName.Keys);

    private static readonly Dictionary<string, Func<CSharpCompilation, CSharpCompilation>> UnrelatedEditsByName = new()
    {
        ["a new file"] = c => c.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            SourceText.From("namespace Demo.More;\n\ninternal sealed class Extra\n{\n    public int Value { get; set; }\n}\n"), GeneratorHarness.ParseOptions, "Extra.cs")),
        ["an edit in a file without templates"] = c => Edit(c, HelpersPath, s => s.Replace("=> 2 * x;", "=> x + x;")),
        ["a comment after the templates of a file"] = c => Edit(c, StagesPath, s => s + "\n// Nothing to see here.\n"),
        ["an edit of another member of a template's type, on its line"] = c => Edit(c, StagesPath, s => s.Replace("Helper() => 1;", "Helper() => 2;")),
        ["a comment in a file with an invalid template"] = c => Edit(c, OtherPath, s => s.Replace("// Invalid (the inbox", "// Still invalid (the inbox")),
        ["removing a file without templates"] = c => c.RemoveSyntaxTrees(c.SyntaxTrees.Single(t => t.FilePath == HelpersPath)),
    };

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void An_edit_that_touches_no_template_leaves_every_step_cached(string edit)
    {
        var first = GeneratorHarness.Run(Initial());

        var second = RunAgain(first, UnrelatedEditsByName[edit](first.InputCompilation));

        foreach (var name in TrackedStepNames)
        {
            var outputs = Outputs(second, name);
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(CachedOrUnchanged.Contains(o.Reason), $"{edit}: step {name} output {Describe(o.Value)} is {o.Reason}"));
        }

        var sourceOutputs = SourceOutputs(second);
        Assert.Equal(4, sourceOutputs.Count);
        Assert.All(sourceOutputs, o => Assert.True(o.Reason == IncrementalStepRunReason.Cached, $"{edit}: the source output of {o.Template} is {o.Reason}"));
        Assert.Equal(first.GeneratedSources, Sources(second));
        AssertNoForbiddenObjects(second);
    }

    public static TheoryData<string> TemplateEdits => new(TemplateEditsByName.Keys);

    /// <summary>
    /// An edit of the template Target (Stages.cs, between the templates Neighbour and Follower), and what its new output
    /// must show. Each edit adds or removes characters, so Follower's character offsets change, but not its lines (the
    /// move inserts a line above Target and removes one below it).
    /// </summary>
    private static readonly Dictionary<string, (Func<string, string> Edit, string HintName, Action<string> Check)> TemplateEditsByName = new()
    {
        ["its body"] = (
            s => s.Replace("log.WriteLine(total);", "log.WriteLine(total * 2);"),
            "Demo.Targets.Stages.Target.g.cs",
            text => Assert.Contains("__log.WriteLine(__total * 2);", text)),
        ["its signature"] = (
            s => s.Replace("Target(Inbox<int> inbox, TextWriter log)", "Target(Inbox<int> inbox, TextWriter log, int start = 10)").Replace("var total = 0;", "var total = start;"),
            "Demo.Targets.Stages.Target.g.cs",
            text => Assert.Contains("public static TargetCoroutine Target(global::System.IO.TextWriter log, int start = 10)", text)),
        ["its namespace"] = (
            s => s.Replace("namespace Demo.Targets", "namespace Demo.Moved"),
            "Demo.Moved.Stages.Target.g.cs",
            text => Assert.Contains("namespace Demo.Moved", text)),
        ["its line (moved down by two lines)"] = (
            s => s.Replace("        [Coroutine]\n        public static void Target", "        // Moved down.\n        [Coroutine]\n        public static void Target")
                  .Replace("        }\n\n        private static int Helper()", "        }\n        private static int Helper()"),
            "Demo.Targets.Stages.Target.g.cs",
            text => Assert.Contains("#line (25,", text)),
    };

    [Theory]
    [MemberData(nameof(TemplateEdits))]
    public void Editing_a_template_regenerates_that_template_only(string edit)
    {
        var (change, hintName, check) = TemplateEditsByName[edit];
        var first = GeneratorHarness.Run(Initial());
        Assert.Contains("#line (24,", first.GeneratedSources.Single(s => s.HintName == "Demo.Targets.Stages.Target.g.cs").Text);

        var edited = Edit(first.InputCompilation, StagesPath, s => change(s.Replace("\r\n", "\n")));
        var follower = "public static void Follower";
        Assert.Equal(LineOf(first.InputCompilation, follower), LineOf(edited, follower));
        Assert.NotEqual(OffsetOf(first.InputCompilation, follower), OffsetOf(edited, follower));
        var second = RunAgain(first, edited);

        // No template was renamed before the edit or after it, so the collected hint names' one output stays the
        // same (cached when no name changed, unchanged when a name or an id changed but no collision came of it).
        Assert.Contains(Assert.Single(Outputs(second, TrackingNames.HintNames)).Reason, CachedOrUnchanged);
        foreach (var name in TrackedStepNames.Where(n => n != TrackingNames.HintNames))
        {
            var outputs = Outputs(second, name);
            var target = Assert.Single(outputs, o => o.Value is TemplateModel { Signature.Name: "Target" });
            Assert.Equal(IncrementalStepRunReason.Modified, target.Reason);
            Assert.All(outputs.Where(o => o != target), o => Assert.True(CachedOrUnchanged.Contains(o.Reason), $"{edit}: step {name} output {Describe(o.Value)} is {o.Reason}"));
        }

        var sourceOutputs = SourceOutputs(second);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(sourceOutputs, o => o.Template == "Target").Reason);
        Assert.All(sourceOutputs.Where(o => o.Template != "Target"), o => Assert.True(o.Reason == IncrementalStepRunReason.Cached, $"{edit}: the source output of {o.Template} is {o.Reason}"));

        // The other files are the same texts; the edited template's is what a fresh run makes, compiles clean, and shows the edit.
        var sources = Sources(second);
        Assert.Equal(
            first.GeneratedSources.Where(s => !s.HintName.Contains(".Target.", StringComparison.Ordinal)),
            sources.Where(s => !s.HintName.Contains(".Target.", StringComparison.Ordinal)));
        var fresh = GeneratorHarness.Run(edited);
        GeneratorHarness.AssertCompilesClean(fresh);
        Assert.Equal(fresh.GeneratedSources, sources);
        var regenerated = Assert.Single(sources, s => s.HintName.Contains(".Target.", StringComparison.Ordinal));
        Assert.Equal(hintName, regenerated.HintName);
        check(regenerated.Text);
        AssertNoForbiddenObjects(second);
    }

    [Fact]
    public void An_edit_inside_a_body_of_a_file_without_templates_parses_no_template_again()
    {
        var first = GeneratorHarness.Run(Initial());

        var second = RunAgain(first, Edit(first.InputCompilation, HelpersPath, s => s.Replace("=> 2 * x;", "=> x + x;")));

        // The declarations compare equal, every find compares equal: the parse step does not run (Cached, not Unchanged).
        Assert.Contains(Assert.Single(Outputs(second, InputTrackingNames.Declarations)).Reason, CachedOrUnchanged);
        Assert.All(Outputs(second, InputTrackingNames.TemplateSyntax), o => Assert.Contains(o.Reason, CachedOrUnchanged));
        var parsed = Outputs(second, TrackingNames.Templates);
        Assert.Equal(4, parsed.Count);
        Assert.All(parsed, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void An_edit_inside_a_template_parses_the_templates_of_its_file_only()
    {
        var first = GeneratorHarness.Run(Initial());

        var second = RunAgain(first, Edit(first.InputCompilation, StagesPath, s => s.Replace("log.WriteLine(total);", "log.WriteLine(total * 2);")));

        // Stages.cs changed, so its three templates are read again (in the compilation their finds were made in: the
        // declarations compare equal, so the pipeline still holds the first run's); Other.cs's template is not.
        Assert.Contains(Assert.Single(Outputs(second, InputTrackingNames.Declarations)).Reason, CachedOrUnchanged);
        var parsed = Outputs(second, TrackingNames.Templates).Select(o => (((TemplateModel)o.Value!).Signature.Name, o.Reason)).ToList();
        Assert.Contains(("Target", IncrementalStepRunReason.Modified), parsed);
        Assert.Contains(("Neighbour", IncrementalStepRunReason.Unchanged), parsed);
        Assert.Contains(("Follower", IncrementalStepRunReason.Unchanged), parsed);
        Assert.Contains(("Elsewhere", IncrementalStepRunReason.Cached), parsed);
    }

    [Fact]
    public void A_file_parsed_again_with_the_same_text_is_read_in_the_new_compilation()
    {
        // The IDE can hand over a new tree with the same text: its finds compare equal (Cached) and keep the old
        // tree's nodes. A declaration edit elsewhere at the same time makes every template be read again, and those
        // old nodes must be found again in the new compilation (ProjectDeclarations.Read, the second case), not read
        // in the old one: here the new file declares a TextWriter in Target's namespace, which its parameter now names.
        var first = GeneratorHarness.Run(Initial());
        var stages = first.InputCompilation.SyntaxTrees.Single(t => t.FilePath == StagesPath);
        var reparsed = CSharpSyntaxTree.ParseText(stages.GetText(), (CSharpParseOptions)stages.Options, stages.FilePath);
        var edited = first.InputCompilation.ReplaceSyntaxTree(stages, reparsed)
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(
                SourceText.From("namespace Demo.Targets;\n\npublic abstract class TextWriter : System.IO.TextWriter { }\n"), GeneratorHarness.ParseOptions, "Extra.cs"));

        var second = RunAgain(first, edited);

        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(second, InputTrackingNames.Declarations)).Reason);
        var parsed = Outputs(second, TrackingNames.Templates).Select(o => (((TemplateModel)o.Value!).Signature.Name, o.Reason)).ToList();
        Assert.Contains(("Target", IncrementalStepRunReason.Modified), parsed);
        Assert.All(parsed.Where(p => p.Name != "Target"), p => Assert.Equal(IncrementalStepRunReason.Unchanged, p.Reason));
        Assert.Equal(GeneratorHarness.Run(edited).GeneratedSources, Sources(second));
        Assert.Contains("global::Demo.Targets.TextWriter log", Sources(second).Single(s => s.HintName == "Demo.Targets.Stages.Target.g.cs").Text);
    }

    private const string UsesHelpers = """
        using System.IO;
        using CoroutineGen;

        namespace Demo.Users;

        public static partial class Users
        {
            [Coroutine]
            public static void Doubler(Inbox<int> inbox, TextWriter log)
            {
                while (true)
                {
                    var doubled = Demo.Helpers.Twice(inbox.Receive());
                    log.WriteLine(inbox.Receive() + doubled);
                }
            }
        }
        """;

    [Theory]
    [InlineData("=> 2 * x;", "=> x + x;", false)]
    [InlineData("public static int Twice(int x) => 2 * x;", "public static long Twice(int x) => 2L * x;", true)]
    public void A_declaration_edit_in_another_file_reads_the_templates_that_depend_on_it_again(string from, string to, bool declaration)
    {
        // Doubler keeps Twice's result across a receive, so the type of its field is Twice's return type: a template's
        // model depends on declarations in other files, never on their bodies.
        var first = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Users.cs", UsesHelpers), (HelpersPath, Helpers)));
        Assert.Contains("int __doubled", first.GeneratedSources.Single().Text);

        var edited = Edit(first.InputCompilation, HelpersPath, s => s.Replace(from, to));
        var second = RunAgain(first, edited);

        var parse = Assert.Single(Outputs(second, TrackingNames.Templates));
        Assert.Equal(declaration ? IncrementalStepRunReason.Modified : IncrementalStepRunReason.Cached, parse.Reason);
        var fresh = GeneratorHarness.Run(edited);
        Assert.Equal(fresh.GeneratedSources, Sources(second));
        Assert.Contains(declaration ? "long __doubled" : "int __doubled", Sources(second).Single().Text);
    }

    private static int OffsetOf(CSharpCompilation compilation, string text) =>
        compilation.SyntaxTrees.Single(t => t.FilePath == StagesPath).GetText().ToString().IndexOf(text, StringComparison.Ordinal);

    private static int LineOf(CSharpCompilation compilation, string text) =>
        compilation.SyntaxTrees.Single(t => t.FilePath == StagesPath).GetText().Lines.GetLinePosition(OffsetOf(compilation, text)).Line;

    private static CSharpCompilation Edit(CSharpCompilation compilation, string path, Func<string, string> edit)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText().ToString();
        var changed = edit(text);
        Assert.NotEqual(text, changed);
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(changed, System.Text.Encoding.UTF8)));
    }

    private static GeneratorRunResult RunAgain(GeneratorRun first, CSharpCompilation edited)
    {
        var result = first.Driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        return result;
    }

    private static List<(object? Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var steps) ? steps.SelectMany(s => s.Outputs).Select(o => ((object?)o.Value, o.Reason)).ToList() : [];

    /// <summary>The source outputs, each with the name of the template whose model it was made from.</summary>
    private static List<(string Template, IncrementalStepRunReason Reason)> SourceOutputs(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(p => p.Value)
            .SelectMany(step => step.Outputs.Select(o => (
                Template: step.Inputs.Select(i => i.Source.Outputs[i.OutputIndex].Value)
                    .Select(v => v is System.Runtime.CompilerServices.ITuple pair ? pair[0] : v) // (model, renamed hint names)
                    .OfType<TemplateModel>().Single().Signature.Name,
                o.Reason)))
            .ToList();

    private static List<GeneratedFile> Sources(GeneratorRunResult result) =>
        result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString())).ToList();

    private static void AssertNoForbiddenObjects(GeneratorRunResult result)
    {
        var found = new List<string>();
        foreach (var name in TrackedStepNames)
        {
            foreach (var (output, i) in Outputs(result, name).Select((o, i) => (o, i)))
            {
                found.AddRange(ObjectGraph.FindForbidden(output.Value, $"{name}[{i}]"));
            }
        }

        foreach (var (step, i) in result.TrackedOutputSteps.SelectMany(p => p.Value).Select((s, i) => (s, i)))
        {
            foreach (var output in step.Outputs)
            {
                found.AddRange(ObjectGraph.FindForbidden(output.Value, $"SourceOutput[{i}]"));
            }
        }

        Assert.True(found.Count == 0, "Step outputs hold objects that tie them to a compilation:" + Environment.NewLine + string.Join(Environment.NewLine, found));
    }

    private static string Describe(object? value) => value is TemplateModel model ? model.Signature.DisplayName : value?.ToString() ?? "null";
}
