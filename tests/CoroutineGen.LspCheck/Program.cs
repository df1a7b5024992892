// The language-server check: what an editor running csharp-ls shows for a project that uses the CoroutineGen
// package. Run from the repository root with
//
//     dotnet run --project tests/CoroutineGen.LspCheck [-- [--keep] [--sabotage]]
//
// It restores csharp-ls 0.28.0 as a local tool (.config/dotnet-tools.json next to this file), packs CoroutineGen
// into a local feed, builds a consumer project with it in a temp folder, starts csharp-ls over stdio and checks
// live diagnostics, completion, hover, go-to-definition and template edits, then prints a table and exits 1 if any
// check failed. docs/contributing/tests.md describes it; docs/ide.md is what it backs.
//
// --keep      keep the temp folder (feed, consumer, server logs) even when every check passes
// --sabotage  expect wrong things on purpose (a wrong id, a range off by one, a wrong completion label, a wrong
//             call-site range) and skip what the limit rows depend on (the settings they turn off stay on, the code
//             action looked for is one csharp-ls does offer), to see that those checks do fail

using System.Diagnostics;
using System.Text.Json.Nodes;
using CoroutineGen.LspCheck;
using CoroutineGen.LspCheck.Lsp;
using CoroutineGen.PackageTests.Infrastructure;

var keep = args.Contains("--keep");
var sabotage = args.Contains("--sabotage");
if (args.Except(["--keep", "--sabotage"]).Any())
{
    Console.Error.WriteLine("usage: dotnet run --project tests/CoroutineGen.LspCheck [-- [--keep] [--sabotage]]");
    return 2;
}

var checkDirectory = Path.Combine(Repository.Root, "tests", "CoroutineGen.LspCheck");
var work = Path.Combine(Path.GetTempPath(), "coroutinegen-lsp-check", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
Directory.CreateDirectory(work);
var report = new Report();
CSharpLs? running = null;

// The server never outlives the check, however it ends.
void KillServer() => running?.Client.Kill();
AppDomain.CurrentDomain.ProcessExit += (_, _) => KillServer();
Console.CancelKeyPress += (_, _) => KillServer();

Console.WriteLine($"CoroutineGen language-server check, {DateTime.Now:yyyy-MM-dd HH:mm}, commit {Commit()}{(sabotage ? ", SABOTAGED (expects wrong things on purpose)" : string.Empty)}");
Console.WriteLine($"work folder: {work}");

try
{
    if (!Setup("setup: csharp-ls restored from the tool manifest (`dotnet tool restore`)",
            () => DotNet.Run(checkDirectory, ["tool", "restore"], TimeSpan.FromMinutes(5))))
    {
        return Finish();
    }

    var feed = Path.Combine(work, "feed");
    var version = Repository.VersionPrefix;
    if (!Setup($"setup: CoroutineGen {version} packed into a local feed",
            () => DotNet.Run(Repository.Root,
            [
                "pack", Repository.PackageProject, "-c", "Release", "-o", feed,
                // Build into the temp folder, not the repository's bin/obj (as the package tests do).
                "-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={Path.Combine(work, "artifacts")}", "-nodeReuse:false",
            ], TimeSpan.FromMinutes(8))))
    {
        return Finish();
    }

    var consumer = Consumer.Create(Path.Combine(work, Consumer.Name), feed, version);
    if (!Setup("setup: consumer project (template file + caller file) restored and built with the package", consumer.Build))
    {
        return Finish();
    }

    // The main session: analyzers and metadata URIs on, as docs/ide.md tells csharp-ls users to set them.
    var clock = Stopwatch.StartNew();
    var settings = new JsonObject { ["analyzersEnabled"] = true, ["useMetadataUris"] = true };
    running = CSharpLs.Start(checkDirectory, consumer.Directory, Path.Combine(work, "csharp-ls"), settings);
    var initializedAt = running.Client.Now;
    var template = OpenDocument.Open(running.Client, consumer.TemplatePath);
    var caller = OpenDocument.Open(running.Client, consumer.CallerPath);
    var checks = new Checks(running, template, caller, report, sabotage);
    var loaded = checks.Baseline(initializedAt);
    report.Add(new Row($"setup: csharp-ls started and loaded the consumer ({running.ServerInfo})", loaded, Report.Seconds(clock.Elapsed),
        "settings answered to workspace/configuration: " + settings.ToJsonString()));
    if (loaded)
    {
        foreach (var c in Checks.CoroCases)
        {
            checks.Live(c);
        }

        checks.CallersOfABrokenTemplate();

        checks.Completion();
        checks.PrivateTemplatePublicFactory();
        checks.Hover();
        checks.Definition();
        checks.DefinitionWithoutMetadataUris();
        checks.TemplateEditReachesCallers();
        checks.NoPackageCodeFix();
        checks.AnalyzersSettingMatters();
    }

    running.Dispose();
    running = null;

    // The second session: a project that writes its generated files under obj/, and a client that puts the
    // settings only in initializationOptions.
    var emitting = Consumer.Create(Path.Combine(work, Consumer.Name + "Emit"), feed, version, emitGeneratedFiles: true);
    if (loaded && Setup("setup: a second consumer, with EmitCompilerGeneratedFiles, restored and built", emitting.Build))
    {
        SecondSession(emitting);
    }
}
catch (Exception e)
{
    report.Add(new Row("the check itself", false, "-", e.ToString()));
}
finally
{
    running?.Dispose();
}

return Finish();

// A second session whose settings are only in initializationOptions (nested under "csharp", and flat): csharp-ls
// 0.28 ignores them, so a client must answer workspace/configuration (or send didChangeConfiguration). The project
// sets EmitCompilerGeneratedFiles, so without metadata URIs go-to-definition has a file on disk to open.
void SecondSession(Consumer consumer)
{
    var problems = new List<string>();
    var clock = Stopwatch.StartNew();
    var options = new JsonObject
    {
        ["csharp"] = new JsonObject { ["analyzersEnabled"] = true, ["useMetadataUris"] = true },
        ["analyzersEnabled"] = true,
        ["useMetadataUris"] = true,
    };

    // Sabotaged: the settings are answered to workspace/configuration too, so the server does take them.
    var answered = sabotage ? options["csharp"]!.DeepClone().AsObject() : new JsonObject();
    running = CSharpLs.Start(checkDirectory, consumer.Directory, Path.Combine(work, "csharp-ls-second"), answered, options);
    var template = OpenDocument.Open(running.Client, consumer.TemplatePath);
    var caller = OpenDocument.Open(running.Client, consumer.CallerPath);
    var checks = new Checks(running, template, caller, report, sabotage);
    if (running.Diagnostics.WaitFor(caller, 0, _ => true, TimeSpan.FromMinutes(3)) is null)
    {
        problems.Add("the second server did not load the project");
    }
    else
    {
        if (checks.DefinitionOfGrepCall() is { } definition && definition.Uri.StartsWith("csharp:", StringComparison.Ordinal))
        {
            problems.Add($"go-to-definition found {definition.Uri}: useMetadataUris was taken from initializationOptions");
        }

        var c = Checks.CoroCases[0];
        var mark = running.Diagnostics.Mark();
        var undo = template.Apply(template.Replace(c.Find, c.Replace));
        if (running.Diagnostics.WaitFor(caller, mark, p => p.Diagnostics.Any(d => d.Code == "CS7036"), TimeSpan.FromSeconds(20)) is null)
        {
            problems.Add("the edit did not reach the server (no CS7036 at the calls)");
        }

        if (running.Diagnostics.Since(template, mark).Any(p => p.Diagnostics.Any(d => d.Code == c.Id)) || checks.Pull(template).Any(d => d.Code == c.Id))
        {
            problems.Add($"{c.Id} reported: analyzersEnabled was taken from initializationOptions");
        }

        mark = running.Diagnostics.Mark();
        template.Apply(undo);
        if (running.Diagnostics.WaitFor(caller, mark, p => !p.ErrorsAndWarnings.Any(), TimeSpan.FromSeconds(20)) is null)
        {
            problems.Add("the caller is not clean again after the undo");
        }
    }

    report.Add(new Row(
        "limit: settings given only in `initializationOptions` are ignored (no CORO0001, no csharp:/ definition)",
        problems.Count == 0,
        Report.Seconds(clock.Elapsed),
        problems.Count == 0 ? "initializationOptions " + options.ToJsonString() + ", empty workspace/configuration answer: no CORO diagnostic, no csharp:/ URI" : string.Join("\n", problems)));

    if (problems.Count == 0 || !problems[0].Contains("did not load", StringComparison.Ordinal))
    {
        checks.DefinitionIntoTheEmittedCopy();
    }

    running.Dispose();
    running = null;
}

bool Setup(string what, Func<ProcessResult> step)
{
    ProcessResult result;
    try
    {
        result = step();
    }
    catch (Exception e)
    {
        report.Add(new Row(what, false, "-", e.Message));
        return false;
    }

    var ok = result.ExitCode == 0;
    var output = result.Output.Trim().Split('\n');
    report.Add(new Row(what, ok, Report.Seconds(result.Duration),
        ok ? output.LastOrDefault()?.Trim() ?? string.Empty : result.Describe("failed")));
    return ok;
}

int Finish()
{
    Console.WriteLine();
    report.Print(Console.Out);
    Console.WriteLine();
    var passed = report.Rows.Count(r => r.Passed);
    var failed = report.Rows.Count - passed;
    if (failed == 0 && !keep)
    {
        TryDelete(work);
    }
    else
    {
        Console.WriteLine($"kept {work}: the consumer, the feed, and csharp-ls*.wire.log / csharp-ls*.stderr.log (every message in both directions)");
    }

    Console.WriteLine($"lsp-check: {passed} passed, {failed} failed");
    return failed == 0 ? 0 : 1;
}

static void TryDelete(string folder)
{
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        // Best effort: a temp folder left behind is not a failure.
    }
}

static string Commit()
{
    try
    {
        using var git = Process.Start(new ProcessStartInfo("git", ["-C", Repository.Root, "rev-parse", "--short", "HEAD"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var commit = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return git.ExitCode == 0 ? commit : "unknown";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "unknown";
    }
}
