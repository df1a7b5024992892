using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.TemplateCalls;

/// <summary>
/// Templates that call templates' factories (docs/getting-started.md, "Templates that create coroutines"). The
/// generator reads a template without the generated code, where <c>Sub()</c> does not exist; it must still generate
/// every template, type what the call returns as the generated class (<c>global::Demo.Nodes.SubCoroutine</c>), and the
/// analyzer must report nothing, with or without the generated code (<see cref="DiagnosticAssert"/>).
/// </summary>
public sealed class FactoryCallTests
{
    private const string Callees = """
            [Coroutine]
            public static void Sub(Inbox<object?, object?> inbox)
            {
                while (true) inbox.Yield("sub");
            }

            [Coroutine]
            public static int SubInt(Inbox<object?, object?> inbox)
            {
                object? first = inbox.Yield(null);
                return first is null ? 0 : 1;
            }

            [Coroutine]
            public static void Sink(Inbox<int> inbox)
            {
                while (true) Console.WriteLine(inbox.Receive());
            }
        """;

    private static string Source(string callers) => $$"""
        using System;
        using System.Collections.Generic;
        using CoroutineGen;

        namespace Demo;

        public static partial class Nodes
        {
        {{Callees}}

        {{callers}}
        }
        """;

    public static TheoryData<string, string> Callers => new()
    {
        {
            "a created coroutine's return value read through ICoroutineResult",
            """
                [Coroutine]
                public static int ReadsResult(Inbox<object?, object?> inbox)
                {
                    var s = SubInt();
                    ICoroutineResult<int> result = s;
                    try { s.Send(inbox.Yield(null)); } catch (StopIterationException) { }
                    return result.Result;
                }
            """
        },
        {
            "a factory call as the argument of Yield",
            """
                [Coroutine]
                public static void YieldsSub(Inbox<object?, object?> inbox)
                {
                    object? r = inbox.Yield(Sub());
                    Console.WriteLine(r);
                }
            """
        },
        {
            "a coroutine in a var local, live across the suspension",
            """
                [Coroutine]
                public static void KeepsSub(Inbox<object?, object?> inbox)
                {
                    var s = Sub();
                    inbox.Yield(s);
                    s.Close();
                }
            """
        },
        {
            "a coroutine in a local of the interface type",
            """
                [Coroutine]
                public static void TypedLocal(Inbox<object?, object?> inbox)
                {
                    ICoroutine<object?, object?> s = Sub();
                    while (true) Console.WriteLine(s.Send(inbox.Yield(s.Current)));
                }
            """
        },
        {
            "factory calls stored in a list",
            """
                [Coroutine]
                public static void Fan(Inbox<int> inbox)
                {
                    var list = new List<ICoroutine<int>>();
                    list.Add(Sink());
                    list.Add(Sink());
                    try
                    {
                        while (true)
                        {
                            var value = inbox.Receive();
                            foreach (var sink in list) sink.Send(value);
                        }
                    }
                    finally
                    {
                        foreach (var sink in list) sink.Close();
                    }
                }
            """
        },
        {
            "a receive sent to a coroutine created before it",
            """
                [Coroutine]
                public static void Forward(Inbox<int> inbox)
                {
                    var t = Sink();
                    while (true) t.Send(inbox.Receive());
                }
            """
        },
        {
            "a factory call before a suspension in the same expression",
            """
                [Coroutine]
                public static void Pair(Inbox<int> inbox)
                {
                    var pair = (Sink(), inbox.Receive());
                    pair.Item1.Send(pair.Item2);
                    Use(Sink(), inbox.Receive());
                }

                private static void Use(ICoroutine<int> sink, int value) => sink.Send(value);
            """
        },
        {
            "a factory call with an argument that suspends",
            """
                [Coroutine]
                public static void Counted(Inbox<int> inbox)
                {
                    var c = Count(inbox.Receive());
                    c.Send(1);
                    c.Close();
                }

                [Coroutine]
                public static void Count(Inbox<int> inbox, int start)
                {
                    var n = start;
                    while (true) n += inbox.Receive();
                }
            """
        },
        {
            "a template that calls its own factory (recursion)",
            """
                [Coroutine]
                public static void Tree(Inbox<int> inbox, int depth)
                {
                    TreeCoroutine? child = depth > 0 ? Tree(depth - 1) : null;
                    try
                    {
                        while (true)
                        {
                            var value = inbox.Receive();
                            Console.WriteLine(new string(' ', depth) + value);
                            child?.Send(value);
                        }
                    }
                    finally
                    {
                        child?.Close();
                    }
                }
            """
        },
        {
            "generic templates, with explicit and inferred type arguments",
            """
                [Coroutine]
                public static void Echo<T>(Inbox<T> inbox, T first)
                {
                    Console.WriteLine(first);
                    while (true) Console.WriteLine(inbox.Receive());
                }

                [Coroutine]
                public static void Generic<T>(Inbox<T> inbox, T seed)
                {
                    var explicitly = Echo<T>(seed);
                    var inferred = Echo(seed);
                    var ints = Echo(1);
                    while (true)
                    {
                        var value = inbox.Receive();
                        explicitly.Send(value);
                        inferred.Send(value);
                        ints.Send(2);
                    }
                }
            """
        },
        {
            "the generated class named without a factory call",
            """
                [Coroutine]
                public static void Names(Inbox<int> inbox, List<ICoroutine<int>> sinks)
                {
                    SinkCoroutine? last = null;
                    var all = new List<SinkCoroutine>();
                    while (true)
                    {
                        var value = inbox.Receive();
                        if (last is not null) last.Send(value);
                        foreach (var sink in sinks) if (sink is SinkCoroutine s) last = s;
                        all.Add(last!);
                    }
                }
            """
        },
        {
            "a generated class in a template's signature",
            """
                [Coroutine]
                public static void Relay(Inbox<int> inbox, SinkCoroutine target)
                {
                    while (true) target.Send(inbox.Receive());
                }

                [Coroutine]
                public static SinkCoroutine Relayed(Inbox<int> inbox)
                {
                    var relay = Relay(Sink());
                    var last = Sink();
                    while (true)
                    {
                        var value = inbox.Receive();
                        if (value < 0) return last;
                        relay.Send(value);
                    }
                }
            """
        },
        {
            "a template whose other parameters accept the arguments (the call binds to the template without the factories)",
            """
                [Coroutine]
                public static void Optional(Inbox<object?> inbox, string? tag = null)
                {
                    while (true) Console.WriteLine($"{tag}: {inbox.Receive()}");
                }

                [Coroutine]
                public static void CallsOptional(Inbox<object?> inbox)
                {
                    var o = Optional(null);
                    while (true) o.Send(inbox.Receive());
                }
            """
        },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public void Every_template_is_generated_and_compiles(string shape, string callers)
    {
        var source = Source(callers);
        var run = GeneratorHarness.Run(source);
        GeneratorHarness.AssertCompilesClean(run, tolerateScaffoldingWarnings: true);
        var templates = System.Text.RegularExpressions.Regex.Matches(source, @"\[Coroutine\]").Count;
        Assert.True(templates == run.GeneratedSources.Count, $"{shape}: {run.GeneratedSources.Count} of {templates} templates generated: " + string.Join(", ", run.GeneratedSources.Select(s => s.HintName)));

        // The analyzer reports nothing, with or without the generated code, and agrees with the generator.
        DiagnosticAssert.Verify(source, allowUnsafe: false, usesFactories: true);
    }

    [Fact]
    public void A_hoisted_coroutine_has_the_factory_s_type()
    {
        var run = Compile(Source("""
                [Coroutine]
                public static void HoldsSubInt(Inbox<object?, object?> inbox)
                {
                    var s = SubInt();
                    inbox.Yield(null);
                    s.Close();
                    inbox.Yield(s.Result);
                }
            """));
        var caller = run.GeneratedSources.Single(s => s.HintName == "Demo.Nodes.HoldsSubInt.g.cs").Text;
        AssertDeclares("private global::Demo.Nodes.SubIntCoroutine __s = default!;", caller);
    }

    [Fact]
    public void A_generic_factory_s_type_has_its_type_arguments()
    {
        var run = Compile("""
            using System;
            using System.Collections.Generic;
            using CoroutineGen;

            namespace Demo;

            public static partial class Generics
            {
                [Coroutine]
                public static void Collect<T>(Inbox<T> inbox, List<T> into)
                {
                    while (true) into.Add(inbox.Receive());
                }

                [Coroutine]
                public static void Split(Inbox<string> inbox, List<string> words, List<int> lengths)
                {
                    var w = Collect(words);
                    var l = Collect<int>(lengths);
                    while (true)
                    {
                        var line = inbox.Receive();
                        w.Send(line);
                        l.Send(line.Length);
                    }
                }
            }
            """);
        var caller = run.GeneratedSources.Single(s => s.HintName == "Demo.Generics.Split.g.cs").Text;
        AssertDeclares("private global::Demo.Generics.CollectCoroutine<string> __w = default!;", caller);
        AssertDeclares("private global::Demo.Generics.CollectCoroutine<int> __l = default!;", caller);
    }

    [Fact]
    public void Templates_in_another_type_and_namespace()
    {
        var run = Compile(
            """
            using System;
            using CoroutineGen;

            namespace Demo.Sinks
            {
                public static partial class Outer<TTag>
                {
                    public partial class Printers
                    {
                        [Coroutine]
                        public static void Printer(Inbox<string> inbox, string prefix)
                        {
                            while (true) Console.WriteLine(prefix + typeof(TTag).Name + inbox.Receive());
                        }

                        [Coroutine]
                        public void Instance(Inbox<string> inbox)
                        {
                            while (true) Console.WriteLine(inbox.Receive());
                        }

                        [Coroutine]
                        public void Twice(Inbox<string> inbox)
                        {
                            var first = Instance();
                            var second = this.Instance();
                            while (true)
                            {
                                var line = inbox.Receive();
                                first.Send(line);
                                second.Send(line);
                            }
                        }
                    }
                }
            }
            """,
            """
            using CoroutineGen;
            using Demo.Sinks;

            namespace Demo.Sources
            {
                public static partial class Uses
                {
                    [Coroutine]
                    public static void Tee(Inbox<string> inbox, Outer<int>.Printers printers)
                    {
                        var a = Outer<int>.Printers.Printer("a: ");
                        var b = global::Demo.Sinks.Outer<string>.Printers.Printer("b: ");
                        var c = printers.Instance();
                        while (true)
                        {
                            var line = inbox.Receive();
                            a.Send(line);
                            b.Send(line);
                            c.Send(line);
                        }
                    }
                }
            }
            """);
        var twice = run.GeneratedSources.Single(s => s.HintName == "Demo.Sinks.Outer_1.Printers.Twice.g.cs").Text;
        AssertDeclares("private global::Demo.Sinks.Outer<TTag>.Printers.InstanceCoroutine __first = default!;", twice);
        Assert.Contains("__this.Instance()", twice, StringComparison.Ordinal);
        var caller = run.GeneratedSources.Single(s => s.HintName == "Demo.Sources.Uses.Tee.g.cs").Text;
        AssertDeclares("private global::Demo.Sinks.Outer<int>.Printers.PrinterCoroutine __a = default!;", caller);
        AssertDeclares("private global::Demo.Sinks.Outer<string>.Printers.PrinterCoroutine __b = default!;", caller);
        AssertDeclares("private global::Demo.Sinks.Outer<int>.Printers.InstanceCoroutine __c = default!;", caller);
    }

    [Fact]
    public void A_callee_in_a_nullable_disabled_context()
    {
        const string source = """
            using System;
            using CoroutineGen;

            namespace Demo;

            public static partial class Mixed
            {
            #nullable disable
                [Coroutine]
                public static void Upper(Inbox<string, string> inbox)
                {
                    string last = null;
                    while (true) last = inbox.Yield(last?.ToUpperInvariant());
                }
            #nullable restore

                [Coroutine]
                public static void Caller(Inbox<string, string?> inbox)
                {
                    var upper = Upper();
                    while (true)
                    {
                        var line = inbox.Yield(upper.Current);
                        upper.Send(line ?? string.Empty);
                    }
                }
            }
            """;
        var run = Compile(source);
        Assert.Equal(2, run.GeneratedSources.Count);
        DiagnosticAssert.Verify(source, allowUnsafe: false, usesFactories: true);
    }

    private static void AssertDeclares(string field, string generated) =>
        Assert.True(generated.Contains(field, StringComparison.Ordinal), $"'{field}' not found in:\n{generated}");

    /// <summary>Compiles clean, but for the lowering's own dead labels (CS0162/CS0164 in scaffolding; tests.md).</summary>
    private static GeneratorRun Compile(params string[] sources)
    {
        var run = GeneratorHarness.Run(sources);
        GeneratorHarness.AssertCompilesClean(run, tolerateScaffoldingWarnings: true);
        return run;
    }
}
