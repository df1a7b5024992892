using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Emission;

/// <summary>
/// Whether a fast path of <c>Send</c> needs an exception handler is decided from the binder's facts
/// (<c>Parsing/CallFacts.cs</c>, <c>Code.CallFree</c>), not from the copied text: a segment that runs nothing but
/// built-in operations gets none (<c>FastPathHandling.None</c>: the state is Finished while it runs, and Send is
/// <c>AggressiveInlining</c>); a segment that may run anything else gets one. Each case is one loop with one receive, so
/// one fast path; each fails if its fact were the other way. The traps are code that reads like built-in operations
/// but runs the user's code (a conversion, an operator, a getter, a pattern, an interpolation); the precise cases are
/// code a text scan took for calls (a const, a cast, a char literal, a comment) although it runs nothing.
/// </summary>
public sealed class CallFreeFastPathTests
{
    private const string Declarations = """
        public readonly struct Meters
        {
            public static ICoroutine<int>? Observed;
            public static string Seen = "";
            public readonly int Value;

            public Meters(int value) => Value = value;

            // User code the conversion runs: it can observe the coroutine that runs it.
            public static implicit operator Meters(int value)
            {
                if (Observed is not null) Seen += Observed.State + ";";
                return new Meters(value);
            }
        }

        public readonly struct Money
        {
            public readonly long Cents;
            public Money(long cents) => Cents = cents;
            public static Money operator +(Money a, Money b) => new(a.Cents + b.Cents);
        }

        public sealed class Box
        {
            public int Scale => 3;
        }

        public sealed class Point
        {
            public int X { get; set; }
        }
        """;

    public static TheoryData<string, string, string, bool> Cases => new()
    {
        // name, inbox, loop body (in while (true) { ... }, with the parameters long sum, int n, string last, Money total and
        // Box box in scope), call-free

        // Built-in operations: no handler.
        { "operators on primitive values and a string's Length", "Inbox<string>", "string s = inbox.Receive(); n++; sum += s.Length;", true },
        { "a checked block (an overflow is an implicit exception)", "Inbox<int>", "checked { sum += inbox.Receive(); }", true },
        { "a const local (a text scan took its declaration for a call)", "Inbox<int>", "const int step = 2; sum += step * inbox.Receive();", true },
        { "a built-in numeric cast (a text scan took the type name for a call)", "Inbox<int>", "sum += (short)inbox.Receive();", true },
        { "a char literal compared (a text scan took the quote for a call)", "Inbox<char>", "if (inbox.Receive() == 'x') n++;", true },
        { "a comment in copied code (a text scan gave up on it)", "Inbox<int>", "sum += inbox.Receive(); if (sum > 100) { /* start again */ sum = 0; }", true },

        // The traps: code that runs the user's code, so a handler.
        { "a user-defined implicit conversion of the received value into a local", "Inbox<int>", "Meters m = inbox.Receive();", false },
        { "a user-defined operator on the received value", "Inbox<Money>", "total = total + inbox.Receive();", false },
        { "a property getter", "Inbox<int>", "sum += inbox.Receive() * box.Scale;", false },
        { "an is pattern with a user type's property", "Inbox<Point>", "if (inbox.Receive() is { X: > 0 }) n++;", false },
        { "a string interpolation", "Inbox<int>", "last = $\"{inbox.Receive()}{last}\";", false },
        { "a method call", "Inbox<int>", "sum += Math.Abs(inbox.Receive());", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_fast_path_has_a_handler_unless_its_segment_provably_calls_nothing(string name, string inbox, string body, bool callFree)
    {
        var text = Generate(Source($$"""
            [Coroutine]
            public static void Loop({{inbox}} inbox, Box box, long sum, int n, string last, Money total)
            {
                while (true)
                {
                    {{body}}
                }
            }
            """));

        AssertFastPath(name, text, callFree);
    }

    [Fact]
    public void The_yielded_value_converted_by_a_user_operator_is_not_call_free()
    {
        // `n` converted to Meters where the park yields it: the user's conversion runs in the segment (a text scan saw
        // an int operand and took it for call-free).
        var text = Generate("""
            using CoroutineGen;

            namespace Demo;

            public readonly struct Meters
            {
                public readonly int Value;
                public Meters(int value) => Value = value;
                public static implicit operator Meters(int value) => new(value);
            }

            public static partial class Stages
            {
                [Coroutine]
                public static void Loop(Inbox<int, Meters> inbox)
                {
                    int n = 0;
                    while (true)
                    {
                        inbox.Yield(n);
                        n++;
                    }
                }
            }
            """);

        AssertFastPath("a yielded int converted to Meters", text, callFree: false);
    }

    [Fact]
    public void The_yielded_value_of_the_output_type_is_call_free()
    {
        // The spiller writes `n = (long)(old + (value))` for this compound assignment: its cast is the assignment's own
        // conversion, which the binder's fact covers (a text scan took the type name for a call).
        var text = Generate("""
            using CoroutineGen;

            namespace Demo;

            public static partial class Stages
            {
                [Coroutine]
                public static void Loop(Inbox<int, long> inbox)
                {
                    long n = 0;
                    while (true)
                    {
                        n += inbox.Yield(n);
                    }
                }
            }
            """);

        AssertFastPath("a yielded long", text, callFree: true);
    }

    [Fact]
    public void A_user_conversion_of_the_received_value_sees_the_coroutine_running()
    {
        // What the handler-free shape would break: while a segment without a handler runs, the state is Closed (what an
        // escaping exception must leave behind). The conversion is user code that observes the coroutine: it must see it
        // Running, as in the full state machine.
        var run = GeneratorHarness.Run("""
            using CoroutineGen;

            namespace Demo;

            public readonly struct Meters
            {
                public static ICoroutine<int>? Observed;
                public static string Seen = "";
                public readonly int Value;

                public Meters(int value) => Value = value;

                public static implicit operator Meters(int value)
                {
                    if (Observed is not null) Seen += Observed.State + ";";
                    return new Meters(value);
                }
            }

            public static partial class Stages
            {
                [Coroutine]
                public static void ToMeters(Inbox<int> inbox)
                {
                    while (true)
                    {
                        Meters m = inbox.Receive();
                    }
                }

                public static string Observe()
                {
                    var c = ToMeters();
                    Meters.Observed = c;
                    c.Send(1);
                    c.Send(2);
                    return Meters.Seen + c.State;
                }
            }
            """);
        GeneratorHarness.AssertCompilesClean(run, tolerateScaffoldingWarnings: true);
        using var loaded = GeneratorHarness.Load(run.OutputCompilation);

        Assert.Equal("Running;Running;Suspended", loaded.Invoke("Demo.Stages", "Observe"));
    }

    [Fact]
    public void A_checked_overflow_in_a_handler_free_segment_leaves_the_coroutine_closed()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using CoroutineGen;

            namespace Demo;

            public static partial class Stages
            {
                [Coroutine]
                public static void Sum(Inbox<int> inbox)
                {
                    int sum = 0;
                    while (true)
                    {
                        checked { sum += inbox.Receive(); }
                    }
                }

                public static string Overflow()
                {
                    var c = Sum();
                    c.Send(int.MaxValue);
                    try
                    {
                        c.Send(1);
                        return "no overflow";
                    }
                    catch (OverflowException)
                    {
                        return c.State.ToString();
                    }
                }
            }
            """);
        GeneratorHarness.AssertCompilesClean(run, tolerateScaffoldingWarnings: true);
        AssertFastPath("a checked sum", run.GeneratedSources.Single().Text, callFree: true);
        using var loaded = GeneratorHarness.Load(run.OutputCompilation);

        Assert.Equal("Closed", loaded.Invoke("Demo.Stages", "Overflow"));
    }

    private static string Source(string members) => $$"""
        using System;
        using CoroutineGen;

        namespace Demo;

        {{Declarations}}

        public static partial class Stages
        {
        {{members}}
        }
        """;

    private static string Generate(string source)
    {
        var run = GeneratorHarness.Run(source);
        GeneratorHarness.AssertCompilesClean(run, tolerateScaffoldingWarnings: true);
        return run.GeneratedSources.Single().Text;
    }

    private static void AssertFastPath(string name, string text, bool callFree)
    {
        Assert.True(text.Contains("// Fast path: resumed at suspension point", StringComparison.Ordinal), $"{name}: no fast path:{Environment.NewLine}{text}");
        var handlerFree = text.Contains("// This code calls nothing", StringComparison.Ordinal);
        var inlined = text.Contains("MethodImplOptions.AggressiveInlining)]", StringComparison.Ordinal);
        Assert.True(
            handlerFree == callFree && inlined == callFree,
            $"{name}: expected the fast path {(callFree ? "without" : "with")} a handler:{Environment.NewLine}{text}");
    }
}
