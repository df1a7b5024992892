using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Debugging;

/// <summary>
/// A compile error in a template statement is reported two or three times: in the template (which is compiled as
/// written) and in the generator's copy of the statement (two copies when the statement is also on a fast path of
/// Send). Thanks to the <c>#line</c> span directives, all of them point at the template's
/// file and line (<see cref="Location.GetMappedLineSpan"/>, which is what the build output and the IDE show): the user
/// never sees a position in a <c>.g.cs</c> file. Where the copy is verbatim up to the error, the column is exact too;
/// a hoisted local is renamed in the copy (<c>count</c> becomes the field <c>__count</c>), which shifts the columns
/// after it on its line, so there only the line is checked.
/// </summary>
public sealed class CompileErrorMappingTests
{
    private static TemplateSource Template(string body, string extraParameters = "") => new(TemplateSource.AbsolutePath("Broken.cs"), $$"""
        using System;
        using System.IO;
        using CoroutineGen;

        namespace Demo;

        public static partial class Stages
        {
            [Coroutine]
            public static void Broken(Inbox<int> inbox, TextWriter log{{extraParameters}})
            {
        {{body}}
            }
        }
        """);

    // In these cases nothing on the error's line before the error is renamed in the copy (no parameter, no hoisted
    // local: those become fields named __name), so the copy maps to the exact column.
    public static TheoryData<string, string, string> Errors => new()
    {
        // case, error id, body (the marker /*@error*/ sits right before the expression the error is reported on)
        {
            "a type error after a receive", "CS0029", """
                    while (true)
                    {
                        int x = inbox.Receive();
                        int y = /*@error*/"s";
                        Console.WriteLine(x + y);
                    }
            """
        },
        {
            "an undefined name after a receive", "CS0103", """
                    while (true)
                    {
                        int x = inbox.Receive();
                        Console.WriteLine(x + /*@error*/undefinedName);
                    }
            """
        },
        {
            "a type error in the receive's own statement", "CS0029", """
                    while (true)
                    {
                        string text = /*@error*/inbox.Receive();
                        Console.WriteLine(text);
                    }
            """
        },
        {
            "an undefined method before the first receive (runs while priming)", "CS0103", """
                    /*@error*/Prepare(log);
                    while (true) log.WriteLine(inbox.Receive());
            """
        },
        {
            "an undefined name in a finally", "CS0103", """
                    try
                    {
                        while (true) log.WriteLine(inbox.Receive());
                    }
                    finally
                    {
                        Console.WriteLine(/*@error*/goodbye);
                    }
            """
        },
        {
            "a type error in a catch moved out of its try", "CS0029", """
                    try
                    {
                        while (true) log.WriteLine(inbox.Receive());
                    }
                    catch (GeneratorExitException)
                    {
                        bool done = /*@error*/"yes";
                        Console.WriteLine(done);
                    }
            """
        },
        {
            "an undefined name in a loop condition around a receive", "CS0103", """
                    while (/*@error*/limit > 0)
                    {
                        Console.WriteLine(inbox.Receive());
                    }
            """
        },
        {
            "an undefined name on the third line of a multi-line statement", "CS0103", """
                    while (true)
                    {
                        int x = inbox.Receive();
                        log.WriteLine(
                            "x=" + x
                            + /*@error*/missing
                            + ";");
                    }
            """
        },
        {
            "an undefined name on the second line of a multi-line declaration", "CS0103", """
                    while (true)
                    {
                        int x = inbox.Receive();
                        int y = x
                            + /*@error*/undefinedName;
                        log.WriteLine(y);
                    }
            """
        },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void The_error_and_its_copy_point_at_the_template_line_and_column(string @case, string id, string body)
    {
        var source = Template(body);
        var (line, column) = source.Position("error");

        var run = GeneratorHarness.Run((source.Path, source.Text));

        Assert.True(run.GeneratedSources.Count == 1, $"{@case}: the generator made no source");
        var errors = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.All(errors, e => Assert.Equal(id, e.Id));
        // The template's error, and its copies: the state machine's, and Send's fast path's when the statement is on one.
        var copies = errors.Where(e => e.Location.SourceTree is { } tree && run.GeneratedTrees.Contains(tree)).ToList();
        Assert.Equal(1, errors.Count - copies.Count);
        Assert.InRange(copies.Count, 1, 2);
        Assert.All(copies, copy => Assert.EndsWith(".g.cs", copy.Location.SourceTree!.FilePath));

        foreach (var error in errors)
        {
            var mapped = error.Location.GetMappedLineSpan();
            Assert.True(
                mapped.Path == source.Path && mapped.StartLinePosition.Line + 1 == line && mapped.StartLinePosition.Character + 1 == column,
                $"{@case}: expected {source.Path}({line},{column}), got {GeneratorHarness.Describe(error)} mapped to {mapped}");
        }
    }

    public static TheoryData<string, string, string> RenamedLocals => new()
    {
        {
            "a hoisted local before the error", "__count", """
                    int count = 0;
                    while (true)
                    {
                        count += inbox.Receive();
                        log.WriteLine(count + /*@error*/undefinedName);
                    }
            """
        },
        {
            "a hoisted local on the first line of a multi-line statement, the error on the second", "__count", """
                    int count = 0;
                    while (true)
                    {
                        count += inbox.Receive();
                        log.WriteLine(count
                            + /*@error*/undefinedName);
                    }
            """
        },
        {
            "a hoisted parameter and a hoisted local, the error on the last of four lines", "__prefix + __count", """
                    int count = 0;
                    while (true)
                    {
                        count += inbox.Receive();
                        log.WriteLine(
                            prefix + count,
                            count,
                            /*@error*/undefinedName);
                    }
            """
        },
        {
            "the declaration of a hoisted local", "__next = __total + x", """
                    int total = 0;
                    while (true)
                    {
                        int x = inbox.Receive();
                        int next = total + x + /*@error*/undefinedName;
                        total = next;
                        inbox.Receive();
                        log.WriteLine(next);
                    }
            """
        },
    };

    [Theory]
    [MemberData(nameof(RenamedLocals))]
    public void With_renamed_locals_the_error_and_its_copy_point_at_the_template_line(string @case, string renamed, string body)
    {
        var source = Template(body, ", string prefix = \"\"");
        var line = source.Line("error");

        var run = GeneratorHarness.Run((source.Path, source.Text));

        Assert.True(run.GeneratedSources.Count == 1, $"{@case}: the generator made no source");
        // The copy of the statement really is renamed (so its columns differ from the template's).
        Assert.Contains(renamed, run.GeneratedSources[0].Text);
        var errors = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.All(errors, e => Assert.Equal("CS0103", e.Id));
        var copies = errors.Count(e => e.Location.SourceTree is { } tree && run.GeneratedTrees.Contains(tree));
        Assert.Equal(1, errors.Count - copies);
        Assert.InRange(copies, 1, 2);
        foreach (var error in errors)
        {
            var mapped = error.Location.GetMappedLineSpan();
            Assert.True(
                mapped.Path == source.Path && mapped.StartLinePosition.Line + 1 == line,
                $"{@case}: expected {source.Path} line {line}, got {GeneratorHarness.Describe(error)} mapped to {mapped}");
        }
    }

    [Fact]
    public void No_diagnostic_of_a_broken_template_points_into_a_generated_file()
    {
        // Several errors at once, and a warning: every diagnostic the compiler reports (the generated file's pragma
        // hides the warnings of the copy, which the template reports already) is in the template file.
        var source = Template("""
                    int count = 0;
                    int unused = 1;
                    while (true)
                    {
                        int x = inbox.Receive();
                        count += x;
                        string s = x;
                        log.WriteLine(s + undefinedName + count);
                        if (x > 3) Missing(count);
                    }
            """);

        var run = GeneratorHarness.Run((source.Path, source.Text));

        Assert.Single(run.GeneratedSources);
        var diagnostics = run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed).ToList();
        Assert.Contains(diagnostics, d => d.Id == "CS0219");
        // Three errors, each in the state machine's copy and in Send's fast path's copy of the loop body.
        Assert.Equal(6, diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && run.GeneratedTrees.Contains(tree)));
        Assert.All(diagnostics, d => Assert.Equal(source.Path, d.Location.GetMappedLineSpan().Path));
    }
}
