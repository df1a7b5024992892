using System.Diagnostics;
using System.Text.Json.Nodes;
using CoroutineGen.LspCheck.Lsp;
using Range = CoroutineGen.LspCheck.Lsp.Range;

namespace CoroutineGen.LspCheck;

/// <summary>
/// The checks on one csharp-ls session with the consumer's template and caller files open. Every edit is an
/// unsaved <c>didChange</c> made to the correct file and undone afterwards; after each undo both files must be back
/// to no error and no warning before the next check starts.
/// </summary>
internal sealed class Checks(CSharpLs server, OpenDocument template, OpenDocument caller, Report report, bool sabotage)
{
    /// <summary>How soon a diagnostic must appear (or go) after the edit that causes (or removes) it.</summary>
    public static readonly TimeSpan LiveBudget = TimeSpan.FromSeconds(5);

    /// <summary>How long to keep waiting past the budget, to tell "slow" from "never".</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Where a call of the Grep factory is in the caller.</summary>
    private const string GrepCall = "var grep = LogPipelines.[|Grep|](\"python\", printer);";

    /// <summary>
    /// One edit per CORO diagnostic, each to the correct template file: what is replaced, by what, and where the
    /// diagnostic must be (a <c>[|marked|]</c> snippet of the edited file), as docs/diagnostics/CORO000N.md says.
    /// </summary>
    public static readonly CoroCase[] CoroCases =
    [
        new("CORO0001", 1, "`partial` removed from LogPipelines; on the type's name",
            "public static partial class LogPipelines", "public static class LogPipelines",
            "public static class [|LogPipelines|]"),
        new("CORO0002", 1, "Printer made `async void`; on the return type (an async template returns a task)",
            "public static void Printer(", "public static async void Printer(",
            "public static async [|void|] Printer("),
        new("CORO0003", 1, "`inbox.Receive()` in a lambda in Grep; on the call",
            "string line = inbox.Receive();\n", "string line = inbox.Receive();\n            Func<string> next = () => inbox.Receive();\n",
            "Func<string> next = () => [|inbox.Receive()|];"),
        new("CORO0004", 1, "`inbox.Receive()` inside `lock` in Printer; on the call",
            "while (true) output.WriteLine(inbox.Receive());", "while (true) lock (output) output.WriteLine(inbox.Receive());",
            "lock (output) output.WriteLine([|inbox.Receive()|]);"),
        new("CORO0005", 1, "the inbox passed as an argument in Grep; on that use",
            "string line = inbox.Receive();\n", "string line = inbox.Receive();\n            Console.WriteLine(inbox);\n",
            "Console.WriteLine([|inbox|]);"),
        new("CORO0006", 2, "Printer's receive loop removed; on the template's name",
            "while (true) output.WriteLine(inbox.Receive());", "output.WriteLine(\"ready\");",
            "public static void [|Printer|](Inbox<string> inbox, TextWriter output)"),
        new("CORO0007", 2, "a receive in Printer's `catch (GeneratorExitException)`; on `catch`",
            "output.WriteLine(\"Going away. Goodbye\");", "output.WriteLine(\"Going away. Goodbye\"); inbox.Receive();",
            "[|catch|] (GeneratorExitException)"),
    ];

    private DiagnosticsStore Store => server.Diagnostics;

    /// <summary>The first diagnostics of both files, after the server loaded the project: no error, no warning.</summary>
    public bool Baseline(TimeSpan initializedAt)
    {
        var templatePush = Store.WaitFor(template, 0, _ => true, TimeSpan.FromMinutes(3));
        var callerPush = Store.WaitFor(caller, 0, _ => true, TimeSpan.FromMinutes(1));
        var problems = new List<string>();
        if (templatePush is null || callerPush is null)
        {
            problems.Add($"no diagnostics for {(templatePush is null ? template.Name : caller.Name)} within 3 minutes of `initialized`: the server did not load the project (see the server's log)");
        }
        else
        {
            foreach (var push in new[] { templatePush, callerPush })
            {
                if (push.ErrorsAndWarnings.Any())
                {
                    problems.Add($"{Path.GetFileName(push.Uri)}: {push.Describe()}");
                }
            }
        }

        var loaded = new[] { templatePush, callerPush }.Where(p => p is not null).Select(p => p!.ReceivedAt).DefaultIfEmpty(server.Client.Now).Max();
        report.Add(new Row(
            "baseline: template and caller open with no error or warning (the factory calls bind: the generator runs in the server)",
            problems.Count == 0,
            Report.Seconds(loaded - initializedAt),
            problems.Count == 0 ? "first diagnostics of both files: no error or warning" : string.Join("\n", problems)));
        return templatePush is not null && callerPush is not null;
    }

    /// <summary>Check a: the diagnostic appears after the edit, where the docs say, and goes after the undo.</summary>
    public void Live(CoroCase c)
    {
        var expectedId = sabotage && c.Id == "CORO0001" ? "CORO0002" : c.Id;
        var problems = new List<string>();

        var started = server.Client.Now; // before the mark: every push counted arrived after it
        var mark = Store.Mark();
        var undo = template.Apply(template.Replace(c.Find, c.Replace));
        var expected = template.Locate(c.Expected);
        if (sabotage && c.Id == "CORO0004")
        {
            expected = expected with { Start = expected.Start with { Character = expected.Start.Character + 1 } };
        }

        var push = Store.WaitFor(template, mark, p => p.Diagnostics.Any(d => d.Code == expectedId), Patience);
        var appears = "never";
        var found = string.Empty;
        var help = string.Empty;
        if (push is null)
        {
            var last = Store.Since(template, mark).LastOrDefault();
            problems.Add($"no {expectedId} within {Patience.TotalSeconds:F0} s; last push: {last?.Describe() ?? "none"}");
        }
        else
        {
            var appeared = push.ReceivedAt - started;
            appears = Report.Seconds(appeared);
            if (appeared > LiveBudget)
            {
                problems.Add($"{expectedId} appeared after {appears}, over the {LiveBudget.TotalSeconds:F0} s budget");
            }

            var diagnostic = push.Diagnostics.First(d => d.Code == expectedId);
            found = diagnostic.ToString();
            help = diagnostic.Href ?? "none";
            if (diagnostic.Range != expected)
            {
                problems.Add($"{expectedId} at {diagnostic.Range}, expected at {expected}");
            }

            if (diagnostic.Severity != c.Severity)
            {
                problems.Add($"{expectedId} is a {diagnostic.SeverityName}, expected severity {c.Severity}");
            }

            // The id is a link in the editor (LSP codeDescription): to the diagnostic's page.
            if (diagnostic.Href?.EndsWith($"/docs/diagnostics/{expectedId}.md", StringComparison.Ordinal) != true)
            {
                problems.Add($"{expectedId}'s help link is {diagnostic.Href ?? "missing"}, not its docs/diagnostics page");
            }

            var others = push.Coro.Where(d => !ReferenceEquals(d, diagnostic)).ToList();
            if (others.Count > 0)
            {
                problems.Add($"other CORO diagnostics too: {string.Join("; ", others)}");
            }

            var pulled = Pull(template);
            if (!pulled.Any(d => d.Code == expectedId && d.Range == expected))
            {
                problems.Add($"textDocument/diagnostic (pull) does not report it: {string.Join("; ", pulled.Where(d => d.IsErrorOrWarning))}");
            }
        }

        var gone = Undo(template, undo, problems);
        report.Add(new Row(
            $"a. {c.Id} live after an unsaved edit ({c.What}), gone after undo",
            problems.Count == 0,
            $"appears {appears}, gone {gone}",
            problems.Count == 0 ? $"{found}; help link {help}; pull agrees" : string.Join("\n", problems)));
    }

    /// <summary>
    /// With a template error, the generator makes no factory, so the calls in the other file bind to the template;
    /// CORO0011 there names the template's error (docs/diagnostics/CORO0011.md), live too.
    /// </summary>
    public void CallersOfABrokenTemplate()
    {
        var problems = new List<string>();
        var c = CoroCases[0];
        const string id = "CORO0011";
        var started = server.Client.Now; // before the mark: every push counted arrived after it
        var mark = Store.Mark();
        var undo = template.Apply(template.Replace(c.Find, c.Replace));
        Range[] expected =
        [
            caller.Locate("using var printer = LogPipelines.[|Printer|](Console.Out);"),
            caller.Locate(GrepCall),
        ];
        var push = Store.WaitFor(caller, mark, p => p.Diagnostics.Count(d => d.Code == id) >= expected.Length, Patience);
        var appears = "never";
        var found = new List<LspDiagnostic>();
        if (push is null)
        {
            problems.Add($"no {id} at both calls within {Patience.TotalSeconds:F0} s; last push for the caller: {Store.Since(caller, mark).LastOrDefault()?.Describe() ?? "none"}");
        }
        else
        {
            var appeared = push.ReceivedAt - started;
            appears = Report.Seconds(appeared);
            if (appeared > LiveBudget)
            {
                problems.Add($"{id} appeared after {appears}, over the {LiveBudget.TotalSeconds:F0} s budget");
            }

            found = push.Diagnostics.Where(d => d.Code == id).ToList();
            foreach (var range in expected)
            {
                if (!found.Any(d => d.Range == range && d.Severity == 1 && d.Message.Contains(c.Id, StringComparison.Ordinal)))
                {
                    problems.Add($"no {id} error naming {c.Id} at {range}; found: {string.Join("; ", found)}");
                }
            }
        }

        var gone = Undo(template, undo, problems);
        report.Add(new Row(
            $"a. {id} at both factory calls in the caller while the template has {c.Id} (no factory), gone after undo",
            problems.Count == 0,
            $"appears {appears}, gone {gone}",
            problems.Count == 0 ? found.First().ToString() : string.Join("\n", problems)));
    }

    /// <summary>Check b: completion after <c>LogPipelines.</c> offers the factory (and its class); signature help shows its signature.</summary>
    public void Completion()
    {
        var problems = new List<string>();

        // A new last line. (csharp-ls answers signature help at the very end of a file with null, so the line keeps
        // its newline, as it would in an editor.)
        var dot = caller.Text.Length + "LogPipelines.".Length;
        var undoDot = caller.Apply(new TextChange(caller.Text.Length, 0, "LogPipelines.\n"));
        var clock = Stopwatch.StartNew();
        var result = server.Request("textDocument/completion", new
        {
            textDocument = caller.Identifier,
            position = caller.PositionAt(dot).ToLsp(),
            context = new { triggerKind = 2, triggerCharacter = "." },
        });
        var completionTime = clock.Elapsed;
        var items = (result as JsonArray ?? result?["items"]?.AsArray() ?? []).Select(i => i!).ToList();
        string[] expected = ["Grep", sabotage ? "GrepCoroutin" : "GrepCoroutine"];
        int[] kinds = [2, 7]; // Method, Class
        for (var i = 0; i < expected.Length; i++)
        {
            if (!items.Any(item => (string?)item["label"] == expected[i] && (int?)item["kind"] == kinds[i]))
            {
                problems.Add($"no {(kinds[i] == 2 ? "method" : "class")} '{expected[i]}' among {items.Count} items: {string.Join(", ", items.Select(item => (string?)item["label"]))}");
            }
        }

        var resolvedDetail = string.Empty;
        if (items.FirstOrDefault(item => (string?)item["label"] == "Grep") is { } grep)
        {
            var resolved = server.Request("completionItem/resolve", grep);
            resolvedDetail = $"{resolved?["detail"]} / {Flatten(resolved?["documentation"])}";
        }

        var undoParen = caller.Apply(new TextChange(dot, 0, "Grep("));
        clock.Restart();
        var help = server.Request("textDocument/signatureHelp", new
        {
            textDocument = caller.Identifier,
            position = caller.PositionAt(dot + "Grep(".Length).ToLsp(),
            context = new { triggerKind = 2, triggerCharacter = "(", isRetrigger = false },
        });
        var helpTime = clock.Elapsed;
        var signatures = (help?["signatures"]?.AsArray() ?? []).Select(s => (string?)s?["label"] ?? string.Empty).ToList();
        foreach (var signature in new[] { Consumer.GrepFactorySignature, Consumer.GrepTemplateSignature })
        {
            if (!signatures.Contains(signature))
            {
                problems.Add($"signature help after `LogPipelines.Grep(` does not list `{signature}`: {string.Join(" | ", signatures)}");
            }
        }

        caller.Apply(undoParen);
        var undoMark = Store.Mark();
        caller.Apply(undoDot);
        WaitClean(caller, undoMark, problems, "caller after undo");

        report.Add(new Row(
            "b. completion after `LogPipelines.` offers the factory `Grep` and its class `GrepCoroutine`; signature help lists the factory (and the template)",
            problems.Count == 0,
            $"completion {Report.Seconds(completionTime)}, signature help {Report.Seconds(helpTime)}",
            problems.Count == 0
                ? $"{items.Count} items; resolving `Grep` shows {resolvedDetail.ReplaceLineEndings(" ")}; signatures: {string.Join(" | ", signatures)}"
                : string.Join("\n", problems)));
    }

    /// <summary>
    /// <c>[Coroutine(Accessibility = CoroutineAccessibility.Public)]</c> on a private template (getting-started.md,
    /// "Callers meet the factory, not the template"): made without saving, the call still binds, and signature help
    /// outside the type lists the factory only.
    /// </summary>
    public void PrivateTemplatePublicFactory()
    {
        var problems = new List<string>();
        var started = server.Client.Now;
        var mark = Store.Mark();
        var undo = template.Apply(template.Replace(
            "[Coroutine]\n    public static void Grep(",
            "[Coroutine(Accessibility = CoroutineAccessibility.Public)]\n    private static void Grep("));
        var push = Store.WaitFor(caller, mark, p => !p.ErrorsAndWarnings.Any(), Patience);
        var templatePush = Store.WaitFor(template, mark, p => !p.ErrorsAndWarnings.Any(), Patience);
        var clean = "never";
        if (push is null || templatePush is null)
        {
            problems.Add($"not clean: caller {Store.Since(caller, mark).LastOrDefault()?.Describe() ?? "no push"}; template {Store.Since(template, mark).LastOrDefault()?.Describe() ?? "no push"}");
        }
        else
        {
            clean = Report.Seconds((push.ReceivedAt > templatePush.ReceivedAt ? push.ReceivedAt : templatePush.ReceivedAt) - started);
        }

        List<string> signatures = [];
        var at = caller.Text.Length;
        var undoCall = caller.Apply(new TextChange(at, 0, "LogPipelines.Grep(\n"));
        var listed = Poll(() =>
        {
            var help = server.Request("textDocument/signatureHelp", new
            {
                textDocument = caller.Identifier,
                position = caller.PositionAt(at + "LogPipelines.Grep(".Length).ToLsp(),
            });
            signatures = (help?["signatures"]?.AsArray() ?? []).Select(x => (string?)x?["label"] ?? string.Empty).ToList();
            return signatures.SequenceEqual([Consumer.GrepFactorySignature]);
        }, LiveBudget);
        if (!listed)
        {
            problems.Add($"signature help lists {(signatures.Count == 0 ? "nothing" : string.Join(" | ", signatures))}, not the factory alone");
        }

        caller.Apply(undoCall);
        var gone = Undo(template, undo, problems);
        report.Add(new Row(
            "b. with `[Coroutine(Accessibility = CoroutineAccessibility.Public)]` on a private Grep (unsaved), the call still binds and signature help lists only the factory",
            problems.Count == 0,
            $"clean {clean}, undone {gone}",
            problems.Count == 0 ? $"signatures: {string.Join(" | ", signatures)}" : string.Join("\n", problems)));
    }

    /// <summary>Check c: hover on the factory call shows the factory's signature and the template's summary.</summary>
    public void Hover()
    {
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        var text = HoverOnGrepCall();
        var time = clock.Elapsed;
        if (!text.Contains(Consumer.GrepFactorySignature, StringComparison.Ordinal))
        {
            problems.Add($"the hover does not show the factory's signature `{Consumer.GrepFactorySignature}`");
        }

        if (!text.Contains(Consumer.GrepSummary, StringComparison.Ordinal))
        {
            problems.Add($"the hover does not show the template's summary \"{Consumer.GrepSummary}\"");
        }

        // The rest of the template's comment: its parameters but the inbox, and the generator's remark on priming.
        if (!text.Contains(Consumer.PatternDoc, StringComparison.Ordinal) || text.Contains(Consumer.InboxDoc, StringComparison.Ordinal))
        {
            problems.Add($"the hover should document the parameter 'pattern' (\"{Consumer.PatternDoc}\") and not the inbox (\"{Consumer.InboxDoc}\")");
        }

        if (!text.Contains("primes it", StringComparison.Ordinal))
        {
            problems.Add("the hover does not say that the factory primes the coroutine");
        }

        report.Add(new Row(
            "c. hover on the factory call shows the factory's signature and the template's `<summary>` (and its parameters but the inbox, and a remark on priming)",
            problems.Count == 0,
            Report.Seconds(time),
            (problems.Count == 0 ? string.Empty : string.Join("\n", problems) + "\n") + $"hover: {text.ReplaceLineEndings(" ⏎ ")}"));
    }

    /// <summary>Check d: go-to-definition on the factory call opens the generated file at the factory.</summary>
    public void Definition()
    {
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        var location = DefinitionOfGrepCall();
        var time = clock.Elapsed;
        var detail = string.Empty;
        const string generatedSuffix = "/generated/LspApp.LogPipelines.Grep.g.cs";
        if (location is not { } found)
        {
            problems.Add("no definition");
        }
        else if (!found.Uri.StartsWith("csharp:/", StringComparison.Ordinal) || !found.Uri.EndsWith(generatedSuffix, StringComparison.Ordinal))
        {
            problems.Add($"the definition is {found.Uri} {found.Range}, not a csharp:/...{generatedSuffix} document");
        }
        else
        {
            var metadata = server.Request("csharp/metadata", new { textDocument = new { uri = found.Uri } });
            var source = (string?)metadata?["source"] ?? string.Empty;
            var line = LineAt(source.ReplaceLineEndings("\n").Split('\n'), found.Range, out var word);
            detail = $"{found.Uri} at {found.Range}: `{line.Trim()}`";
            if (!source.StartsWith("// <auto-generated/>", StringComparison.Ordinal))
            {
                problems.Add($"csharp/metadata did not return the generated file: {source[..Math.Min(200, source.Length)]}");
            }

            if (word != "Grep" || !line.Contains(" GrepCoroutine Grep(string pattern, ", StringComparison.Ordinal))
            {
                problems.Add($"the range is on `{word}` in `{line.Trim()}`, not on the factory's name");
            }
        }

        report.Add(new Row(
            "d. go-to-definition on the factory call opens the generated file at the factory (csharp.useMetadataUris on)",
            problems.Count == 0,
            Report.Seconds(time),
            (problems.Count == 0 ? string.Empty : string.Join("\n", problems) + "\n") + detail));
    }

    /// <summary>A limit of csharp-ls, which docs/ide.md states: without its metadata-uris feature, no definition in generated code.</summary>
    public void DefinitionWithoutMetadataUris()
    {
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        server.ChangeSetting("useMetadataUris", sabotage); // sabotaged: the setting stays on
        var without = Poll(() => DefinitionOfGrepCall() is null, TimeSpan.FromSeconds(10));
        var time = clock.Elapsed;
        if (!without)
        {
            problems.Add($"with useMetadataUris false the definition is still {DefinitionOfGrepCall()}");
        }

        server.ChangeSetting("useMetadataUris", true);
        if (!Poll(() => DefinitionOfGrepCall() is { } l && l.Uri.StartsWith("csharp:/", StringComparison.Ordinal), TimeSpan.FromSeconds(10)))
        {
            problems.Add("with useMetadataUris true again, the definition did not come back");
        }

        report.Add(new Row(
            "limit: with csharp.useMetadataUris off (and no EmitCompilerGeneratedFiles), go-to-definition on the factory finds nothing",
            problems.Count == 0,
            Report.Seconds(time),
            problems.Count == 0 ? "an empty result with the setting off; the generated file again with it on" : string.Join("\n", problems)));
    }

    /// <summary>
    /// Check e: a template edit reaches its call sites without a build: a new parameter makes the call an error, the
    /// call passing it is fine again (the factory was regenerated with it), and undoing both leaves both files clean.
    /// </summary>
    public void TemplateEditReachesCallers()
    {
        var problems = new List<string>();
        var times = new List<string>();

        var started = server.Client.Now; // before the mark: every push counted arrived after it
        var mark = Store.Mark();
        var undoTemplate = template.Apply(template.Replace("ICoroutine<string> target)", "ICoroutine<string> target, int limit)"));
        var expected = caller.Locate(sabotage ? "var grep = [|LogPipelines|].Grep(\"python\", printer);" : GrepCall);
        // Neither the template (now 4 parameters) nor the regenerated factory (now 3) takes the call's 2 arguments.
        const string id = "CS1501";
        var push = Store.WaitFor(caller, mark, p => p.Diagnostics.Any(d => d.Code == id), Patience);
        if (push is null)
        {
            problems.Add($"no {id} at the call within {Patience.TotalSeconds:F0} s of adding a parameter; last push: {Store.Since(caller, mark).LastOrDefault()?.Describe() ?? "none"}");
            times.Add("error never");
        }
        else
        {
            times.Add("error " + Report.Seconds(push.ReceivedAt - started));
            var diagnostic = push.Diagnostics.First(d => d.Code == id);
            if (diagnostic.Range != expected)
            {
                problems.Add($"{id} at {diagnostic.Range}, expected at {expected} (the factory's name in the call)");
            }

            if (push.ReceivedAt - started > LiveBudget)
            {
                problems.Add($"{id} appeared after {Report.Seconds(push.ReceivedAt - started)}, over the budget");
            }
        }

        started = server.Client.Now;
        mark = Store.Mark();
        var undoCaller = caller.Apply(caller.Replace("Grep(\"python\", printer)", "Grep(\"python\", printer, 10)"));
        var fixedPush = Store.WaitFor(caller, mark, p => !p.ErrorsAndWarnings.Any(), Patience);
        if (fixedPush is null)
        {
            problems.Add($"passing the new argument does not make the caller clean: {Store.Since(caller, mark).LastOrDefault()?.Describe() ?? "no push"}");
            times.Add("fixed never");
        }
        else
        {
            times.Add("fixed " + Report.Seconds(fixedPush.ReceivedAt - started));
            if (fixedPush.ReceivedAt - started > LiveBudget)
            {
                problems.Add("the caller became clean only after the budget");
            }
        }

        caller.Apply(undoCaller);
        var gone = Undo(template, undoTemplate, problems);
        times.Add("undone " + gone);

        report.Add(new Row(
            "e. a parameter added to the Grep template (unsaved): CS1501 at its call; passing it clears it; undo: clean",
            problems.Count == 0,
            string.Join(", ", times),
            problems.Count == 0 ? $"{id} on the call's `Grep`: {push!.Diagnostics.First(d => d.Code == id).Message}" : string.Join("\n", problems)));
    }

    /// <summary>A limit of csharp-ls, which docs/ide.md states: it offers Roslyn's own code actions, not the package's code fixes.</summary>
    public void NoPackageCodeFix()
    {
        var problems = new List<string>();
        var c = CoroCases[0];
        var mark = Store.Mark();
        var undo = template.Apply(template.Replace(c.Find, c.Replace));
        var push = Store.WaitFor(template, mark, p => p.Diagnostics.Any(d => d.Code == c.Id), Patience);
        var titles = new List<string>();
        var time = TimeSpan.Zero;
        if (push is null)
        {
            problems.Add($"no {c.Id} to ask a fix for");
        }
        else
        {
            var diagnostic = push.Diagnostics.First(d => d.Code == c.Id);
            var clock = Stopwatch.StartNew();
            var actions = server.Request("textDocument/codeAction", new
            {
                textDocument = template.Identifier,
                range = diagnostic.Range.ToLsp(),
                context = new
                {
                    diagnostics = new[]
                    {
                        new { range = diagnostic.Range.ToLsp(), severity = diagnostic.Severity, code = diagnostic.Code, source = "lsp", message = diagnostic.Message },
                    },
                    only = (string[]?)null,
                },
            });
            time = clock.Elapsed;
            titles = (actions?.AsArray() ?? []).Select(a => (string?)a?["title"] ?? "?").ToList();
            var needle = sabotage ? "interface" : "partial";
            if (titles.Any(t => t.Contains(needle, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"csharp-ls now offers an action with '{needle}' in its title ({string.Join(", ", titles)}): update docs/ide.md");
            }
        }

        Undo(template, undo, problems);
        report.Add(new Row(
            "limit: at CORO0001, csharp-ls offers no \"Make 'LogPipelines' partial\" (the package's code fixes are not loaded)",
            problems.Count == 0,
            Report.Seconds(time),
            problems.Count == 0 ? $"code actions offered: {(titles.Count == 0 ? "none" : string.Join(", ", titles))}" : string.Join("\n", problems)));
    }

    /// <summary>
    /// A limit of csharp-ls, which docs/ide.md states: the CORO diagnostics come from analyzers, which it runs only
    /// with <c>csharp.analyzersEnabled</c>; without it a broken template shows only as compiler errors at the calls.
    /// </summary>
    public void AnalyzersSettingMatters()
    {
        var problems = new List<string>();
        var c = CoroCases[0];
        var mark = Store.Mark();
        var undo = template.Apply(template.Replace(c.Find, c.Replace));
        if (Store.WaitFor(template, mark, p => p.Diagnostics.Any(d => d.Code == c.Id), Patience) is null)
        {
            problems.Add($"no {c.Id} with analyzers on");
        }

        var clock = Stopwatch.StartNew();
        server.ChangeSetting("analyzersEnabled", sabotage); // sabotaged: the analyzers stay on
        List<LspDiagnostic> off = [];
        var gone = Poll(() => !(off = Pull(template)).Any(d => d.Code == c.Id), TimeSpan.FromSeconds(10));
        var time = clock.Elapsed;
        if (!gone)
        {
            problems.Add($"{c.Id} still reported with analyzersEnabled false");
        }

        var callerErrors = Pull(caller).Where(d => d.Severity == 1).ToList();
        if (!callerErrors.Any(d => d.Code == "CS7036"))
        {
            problems.Add($"expected the compiler's CS7036 at the calls (no factory is generated): {string.Join("; ", callerErrors)}");
        }

        server.ChangeSetting("analyzersEnabled", true);
        if (!Poll(() => Pull(template).Any(d => d.Code == c.Id), TimeSpan.FromSeconds(10)))
        {
            problems.Add($"{c.Id} did not come back with analyzersEnabled true");
        }

        Undo(template, undo, problems);
        report.Add(new Row(
            "limit: with csharp.analyzersEnabled off, the same edit shows no CORO0001, only the compiler's errors at the calls",
            problems.Count == 0,
            Report.Seconds(time),
            problems.Count == 0
                ? $"analyzers off: template {(off.Any(d => d.IsErrorOrWarning) ? string.Join("; ", off.Where(d => d.IsErrorOrWarning)) : "clean")}; caller: {string.Join("; ", callerErrors.Select(d => d.Code).Distinct())}"
                : string.Join("\n", problems)));
    }

    /// <summary>
    /// A limit of csharp-ls, which docs/ide.md states: without its metadata-uris feature, in a project that sets
    /// <c>EmitCompilerGeneratedFiles</c>, go-to-definition opens the copy the last build wrote under obj/, which does
    /// not follow unsaved edits (shown by renaming the template's parameter: the hover follows, the file does not).
    /// </summary>
    public void DefinitionIntoTheEmittedCopy()
    {
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        var definition = DefinitionOfGrepCall();
        var time = clock.Elapsed;
        var detail = string.Empty;
        const string emitted = "/obj/Debug/net10.0/generated/CoroutineGen.Generators/CoroutineGen.Generators.CoroutineGenerator/LspApp.LogPipelines.Grep.g.cs";
        if (definition is not { } found)
        {
            problems.Add("no definition");
        }
        else if (!found.Uri.StartsWith("file://", StringComparison.Ordinal) || !found.Uri.EndsWith(emitted, StringComparison.Ordinal))
        {
            problems.Add($"the definition is {found.Uri} {found.Range}, not the file the build wrote (...{emitted})");
        }
        else if (new Uri(found.Uri).LocalPath is var path && !File.Exists(path))
        {
            problems.Add($"the definition is {path}, which does not exist");
        }
        else
        {
            var line = LineAt(File.ReadAllLines(path), found.Range, out var word);
            detail = $"{found.Uri} at {found.Range}: `{line.Trim()}`";
            if (word != "Grep" || !line.Contains(" GrepCoroutine Grep(string pattern, ", StringComparison.Ordinal))
            {
                problems.Add($"the range is on `{word}` in `{line.Trim()}`, not on the factory's name");
            }

            // Rename the template's parameter without saving: the factory (hover) follows, the file on disk does not.
            var undoSignature = template.Apply(template.Replace("string pattern, ICoroutine<string> target)", "string text, ICoroutine<string> target)"));
            var undoBody = template.Apply(template.Replace("line.Contains(pattern)", "line.Contains(text)"));
            const string renamed = "GrepCoroutine LogPipelines.Grep(string text, ICoroutine<string> target)";
            if (!Poll(() => HoverOnGrepCall().Contains(renamed, StringComparison.Ordinal), LiveBudget))
            {
                problems.Add($"after renaming the parameter, the hover does not show `{renamed}`: {HoverOnGrepCall().ReplaceLineEndings(" ")}");
            }
            else if (DefinitionOfGrepCall() is not { } again || again.Uri != found.Uri)
            {
                problems.Add($"after renaming the parameter, the definition moved: {DefinitionOfGrepCall()}");
            }
            else
            {
                var stale = LineAt(File.ReadAllLines(path), again.Range, out _);
                detail += $"; after renaming `pattern` to `text` (unsaved) the hover shows `{renamed}`, the file still says `{stale.Trim()}`";
                if (!stale.Contains("Grep(string pattern, ", StringComparison.Ordinal))
                {
                    problems.Add($"the file on disk followed the unsaved edit: `{stale.Trim()}`");
                }
            }

            template.Apply(undoBody);
            Undo(template, undoSignature, problems);
        }

        report.Add(new Row(
            "limit: with csharp.useMetadataUris off and EmitCompilerGeneratedFiles on, go-to-definition opens the copy the last build wrote under obj/, which does not follow unsaved edits",
            problems.Count == 0,
            Report.Seconds(time),
            (problems.Count == 0 ? string.Empty : string.Join("\n", problems) + "\n") + detail));
    }

    /// <summary>The hover text on the factory call in the caller.</summary>
    public string HoverOnGrepCall()
    {
        var position = caller.Locate(GrepCall).Start;
        var result = server.Request("textDocument/hover", new { textDocument = caller.Identifier, position = position.ToLsp() });
        return Flatten(result?["contents"]);
    }

    /// <summary>The definition of the factory call in the caller, or null for an empty answer.</summary>
    public (string Uri, Range Range)? DefinitionOfGrepCall()
    {
        var position = caller.Locate(GrepCall).Start;
        var result = server.Request("textDocument/definition", new { textDocument = caller.Identifier, position = position.ToLsp() });
        var first = result is JsonArray array ? array.FirstOrDefault() : result;
        if (first is null)
        {
            return null;
        }

        var uri = (string?)first["uri"] ?? (string?)first["targetUri"] ?? string.Empty;
        var range = first["range"] ?? first["targetSelectionRange"];
        return (uri, ParseRange(range!));
    }

    /// <summary>The document's diagnostics as a pull client (VS Code's csharp-ls extension, say) would get them.</summary>
    public List<LspDiagnostic> Pull(OpenDocument document)
    {
        var result = server.Request("textDocument/diagnostic", new { textDocument = document.Identifier });
        return (result?["items"]?.AsArray() ?? []).Select(d => LspDiagnostic.From(d!)).ToList();
    }

    private string Undo(OpenDocument document, TextChange undo, List<string> problems)
    {
        var started = server.Client.Now; // before the mark: every push counted arrived after it
        var mark = Store.Mark();
        document.Apply(undo);
        // Both files: after some edits (a new parameter) the edited file is clean before and after, and only the
        // other one tells that the server has seen the undo.
        var clean = WaitClean(document, mark, problems, $"{document.Name} after undo");
        var other = WaitClean(ReferenceEquals(document, template) ? caller : template, mark, problems, "the other file after undo");
        if (clean is null || other is null)
        {
            return "never";
        }

        var time = (clean.ReceivedAt > other.ReceivedAt ? clean.ReceivedAt : other.ReceivedAt) - started;
        if (time > LiveBudget)
        {
            problems.Add($"both files clean only after {Report.Seconds(time)}, over the budget");
        }

        return Report.Seconds(time);
    }

    private DiagnosticsPush? WaitClean(OpenDocument document, int mark, List<string> problems, string what)
    {
        var push = Store.WaitFor(document, mark, p => !p.ErrorsAndWarnings.Any(), Patience);
        if (push is null)
        {
            problems.Add($"{what}: not clean within {Patience.TotalSeconds:F0} s: {Store.Since(document, mark).LastOrDefault()?.Describe() ?? "no push"}");
        }

        return push;
    }

    private static bool Poll(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(250);
        }
    }

    /// <summary>The line a range starts on, and the text the range covers on it.</summary>
    private static string LineAt(string[] lines, Range range, out string word)
    {
        var line = range.Start.Line < lines.Length ? lines[range.Start.Line] : string.Empty;
        var start = Math.Min(range.Start.Character, line.Length);
        var end = Math.Min(Math.Max(range.End.Character, start), line.Length);
        word = line[start..end];
        return line;
    }

    private static Range ParseRange(JsonNode node) => new(
        new Position((int)node["start"]!["line"]!, (int)node["start"]!["character"]!),
        new Position((int)node["end"]!["line"]!, (int)node["end"]!["character"]!));

    /// <summary>The text of hover contents or documentation: a string, markup content, or an array of them.</summary>
    public static string Flatten(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonArray array => string.Join("\n", array.Select(Flatten)),
        JsonObject o => (string?)o["value"] ?? string.Empty,
        _ => node.GetValue<string>(),
    };
}

/// <summary>An edit that must produce one CORO diagnostic (<see cref="Severity"/>: 1 error, 2 warning).</summary>
internal sealed record CoroCase(string Id, int Severity, string What, string Find, string Replace, string Expected);
