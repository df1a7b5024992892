using System.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Debugging;

/// <summary>
/// Debugging into the template: the generated statements carry <c>#line</c> directives, so an exception thrown by
/// a template statement reports the template's file and line in its stack trace (the portable PDB maps the state
/// machine's IL to them), wherever the statement ended up in the lowered code: after a receive, in a finally that
/// runs on <c>Close()</c>, while the factory primes the coroutine.
/// </summary>
public sealed class StackTraceTests
{
    private static readonly TemplateSource Source = new(TemplateSource.AbsolutePath("Stages.cs"), """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using CoroutineGen;

        namespace Demo;

        public static partial class Stages
        {
            [Coroutine]
            public static void AfterReceive(Inbox<int> inbox, TextWriter log)
            {
                int count = 0;
                while (true)
                {
                    int x = inbox.Receive();
                    count++;
                    log.WriteLine($"{count}: {x}");
                    /*@afterReceive*/if (x == 3) throw new InvalidOperationException("three");
                }
            }

            [Coroutine]
            public static void InFinally(Inbox<string> inbox, List<string> log)
            {
                try
                {
                    while (true) log.Add(inbox.Receive());
                }
                finally
                {
                    log.Add("cleaning up");
                    /*@inFinally*/throw new InvalidOperationException("finally");
                }
            }

            [Coroutine]
            public static void WhilePriming(Inbox<int> inbox, int limit)
            {
                var seen = 0;
                /*@whilePriming*/if (limit < 0) throw new ArgumentOutOfRangeException(nameof(limit));
                while (seen < limit) seen += inbox.Receive();
            }

            [Coroutine]
            public static void InACall(Inbox<string> inbox, List<int> numbers)
            {
                while (true)
                {
                    string text = inbox.Receive();
                    /*@inACall*/numbers.Add(int.Parse(text));
                }
            }

            [Coroutine]
            public static void MultiLine(Inbox<int> inbox, TextWriter log)
            {
                int total = 0;
                while (true)
                {
                    total += inbox.Receive();
                    /*@multiLine*/log.WriteLine(
                        "total=" + total,
                        Check(total));
                }
            }

            private static string Check(int total) => total < 10 ? "ok" : throw new OverflowException("too much");

            public static void RunAfterReceive()
            {
                var c = AfterReceive(TextWriter.Null);
                c.Send(1);
                c.Send(2);
                c.Send(3);
            }

            public static void RunInFinally()
            {
                var c = InFinally(new List<string>());
                c.Send("a");
                c.Close();
            }

            public static void RunWhilePriming() => WhilePriming(-1);

            public static void RunInACall()
            {
                var c = InACall(new List<int>());
                c.Send("1");
                c.Send("one");
            }

            public static void RunMultiLine()
            {
                var c = MultiLine(TextWriter.Null);
                c.Send(4);
                c.Send(8);
            }
        }
        """);

    public static TheoryData<string, string, string, Type> Cases => new()
    {
        // runner,            marker,           state machine,           exception
        { "RunAfterReceive", "afterReceive", "AfterReceiveCoroutine", typeof(InvalidOperationException) },
        { "RunInFinally", "inFinally", "InFinallyCoroutine", typeof(InvalidOperationException) },
        { "RunWhilePriming", "whilePriming", "WhilePrimingCoroutine", typeof(ArgumentOutOfRangeException) },
        { "RunInACall", "inACall", "InACallCoroutine", typeof(FormatException) },
        // A statement over three lines: the sequence point, so the frame, is on its first line.
        { "RunMultiLine", "multiLine", "MultiLineCoroutine", typeof(OverflowException) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_stack_trace_reports_the_template_file_and_line(string runner, string marker, string stateMachine, Type exceptionType)
    {
        var run = Generated.Value;
        using var loaded = GeneratorHarness.Load(run.OutputCompilation);

        var exception = Assert.Throws(exceptionType, () => loaded.Invoke("Demo.Stages", runner));

        var line = Source.Line(marker);
        var frames = new StackTrace(exception, fNeedFileInfo: true).GetFrames();
        var described = string.Join(Environment.NewLine, frames.Select(f => $"  {f.GetMethod()?.DeclaringType?.Name}.{f.GetMethod()?.Name} {f.GetFileName()}:{f.GetFileLineNumber()}"));
        var frame = frames.FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Name == stateMachine);
        Assert.True(frame is not null, $"No frame of {stateMachine} in:{Environment.NewLine}{described}");
        Assert.True(
            frame.GetFileName() == Source.Path && frame.GetFileLineNumber() == line,
            $"Expected the frame of {stateMachine}.{frame.GetMethod()?.Name} at {Source.Path}:{line}, got {frame.GetFileName()}:{frame.GetFileLineNumber()}. Frames:{Environment.NewLine}{described}");
        // Send's fast path or the full state machine, __Step.
        var method = frame.GetMethod()?.Name;
        Assert.True(method is "Send" or "__Step", $"Expected Send or __Step, got {method}");

        // The text a log shows says the same.
        Assert.Contains($"{stateMachine}.{method}(", exception.StackTrace);
        Assert.Contains($" in {Source.Path}:line {line}", exception.StackTrace);
    }

    [Fact]
    public void No_frame_of_a_template_statement_points_into_the_generated_file()
    {
        var run = Generated.Value;
        using var loaded = GeneratorHarness.Load(run.OutputCompilation);

        foreach (var runner in Cases.Select(c => (string)c[0]))
        {
            var exception = Assert.ThrowsAny<Exception>(() => loaded.Invoke("Demo.Stages", runner));
            var frames = new StackTrace(exception, fNeedFileInfo: true).GetFrames();

            // The frame that threw (or called what threw) is the template's; scaffolding frames (Close, __Start,
            // the factory) may point into the generated file, but they are below it.
            var first = frames.First(f => f.GetFileName() is not null);
            Assert.Equal(Source.Path, first.GetFileName());
        }
    }

    private static readonly Lazy<GeneratorRun> Generated = new(() =>
    {
        var run = GeneratorHarness.Run((Source.Path, Source.Text));
        GeneratorHarness.AssertCompilesClean(run);
        Assert.Equal(5, run.GeneratedSources.Count);
        return run;
    });
}
