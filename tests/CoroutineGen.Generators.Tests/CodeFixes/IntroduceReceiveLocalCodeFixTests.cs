using CoroutineGen.CodeFixes;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.CodeFixes;

/// <summary>CORO0004's fix: receive into a local declared before the statement, where that changes nothing else.</summary>
public class IntroduceReceiveLocalCodeFixTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing CoroutineGen;\n";

    private static Task VerifyAsync(string source, string fixedSource, int iterations = 1) => new OfflineCodeFixTest<CoroutineAnalyzer, IntroduceReceiveLocalCodeFix>
    {
        TestCode = Usings + source,
        FixedCode = Usings + fixedSource,
        NumberOfIncrementalIterations = iterations,
        NumberOfFixAllIterations = iterations,
    }.RunAsync();

    private static Task VerifyNoFixAsync(string source) => VerifyAsync(source, source, iterations: 0);

    [Fact]
    public Task An_assignment_target_in_an_embedded_statement_on_the_same_line() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Mark(Inbox<int> inbox, int[] buffer)
            {
                while (true) buffer[{|CORO0004:inbox.Receive()|}] = 1;
            }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Mark(Inbox<int> inbox, int[] buffer)
            {
                while (true) { var received = inbox.Receive(); buffer[received] = 1; }
            }
        }
        """);

    [Fact]
    public Task An_increment_in_a_block() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Count(Inbox<int> inbox, int[] counts)
            {
                while (true)
                {
                    // count it
                    counts[{|CORO0004:inbox.Receive()|}]++;
                }
            }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Count(Inbox<int> inbox, int[] counts)
            {
                while (true)
                {
                    // count it
                    var received = inbox.Receive();
                    counts[received]++;
                }
            }
        }
        """);

    [Fact]
    public Task An_embedded_statement_on_its_own_line_gets_a_block() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Mark(Inbox<int> inbox, int[] buffer, bool on)
            {
                while (on)
                    if (on)
                        buffer[{|CORO0004:inbox.Receive()|}] = 1;
            }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Mark(Inbox<int> inbox, int[] buffer, bool on)
            {
                while (on)
                    if (on)
                    {
                        var received = inbox.Receive();
                        buffer[received] = 1;
                    }
            }
        }
        """);

    [Fact]
    public Task An_event_subscription() => VerifyAsync(
        """
        public static partial class P
        {
            static event Action? Changed;

            [Coroutine]
            public static void Subscribe(Inbox<Action> inbox)
            {
                while (true)
                {
                    Changed += {|CORO0004:inbox.Receive()|};
                }
            }
        }
        """,
        """
        public static partial class P
        {
            static event Action? Changed;

            [Coroutine]
            public static void Subscribe(Inbox<Action> inbox)
            {
                while (true)
                {
                    var received = inbox.Receive();
                    Changed += received;
                }
            }
        }
        """);

    [Fact]
    public Task A_value_of_an_anonymous_type_before_the_receive() => VerifyAsync(
        """
        public static partial class P
        {
            static void Use(object o, int i) { }

            [Coroutine]
            public static void Pair(Inbox<int> inbox)
            {
                while (true)
                {
                    Use({|CORO0004:new { A = 1 }|}, inbox.Receive());
                }
            }
        }
        """,
        """
        public static partial class P
        {
            static void Use(object o, int i) { }

            [Coroutine]
            public static void Pair(Inbox<int> inbox)
            {
                while (true)
                {
                    var received = inbox.Receive();
                    Use(new { A = 1 }, received);
                }
            }
        }
        """);

    [Fact]
    public Task A_with_expression_on_a_record_struct_and_a_name_that_is_free() => VerifyAsync(
        """
        public record struct Point(int X, int Y);
        public static partial class P
        {
            [Coroutine]
            public static void Move(Inbox<int> inbox, Point start)
            {
                var received = 0;
                while (true)
                {
                    var moved = start with { X = {|CORO0004:inbox.Receive()|} };
                    Console.WriteLine(moved.X + received);
                }
            }
        }
        """,
        """
        public record struct Point(int X, int Y);
        public static partial class P
        {
            [Coroutine]
            public static void Move(Inbox<int> inbox, Point start)
            {
                var received = 0;
                while (true)
                {
                    var received2 = inbox.Receive();
                    var moved = start with { X = received2 };
                    Console.WriteLine(moved.X + received);
                }
            }
        }
        """);

    [Fact]
    public Task A_stackalloc_size() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Scratch(Inbox<int> inbox)
            {
                while (true)
                {
                    Span<int> scratch = stackalloc int[{|CORO0004:inbox.Receive()|}];
                    Console.WriteLine(scratch.Length);
                }
            }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Scratch(Inbox<int> inbox)
            {
                while (true)
                {
                    var received = inbox.Receive();
                    Span<int> scratch = stackalloc int[received];
                    Console.WriteLine(scratch.Length);
                }
            }
        }
        """);

    [Fact]
    public Task Fix_all_fixes_every_statement_of_a_document_with_a_name_each() => new OfflineCodeFixTest<CoroutineAnalyzer, IntroduceReceiveLocalCodeFix>
    {
        // One at a time, each fix sees the names the earlier ones introduced; Fix All names them apart in one go.
        NumberOfIncrementalIterations = 3,
        TestCode = Usings + """
            public static partial class P
            {
                static event Action<int>? Changed;

                [Coroutine]
                public static void Many(Inbox<int> inbox, int[] counts, List<Action<int>> handlers)
                {
                    while (true)
                    {
                        counts[{|CORO0004:inbox.Receive()|}]++;
                        counts[{|CORO0004:inbox.Receive()|}] = 0;
                        if (counts[0] > 1) counts[{|CORO0004:inbox.Receive()|}]--;
                    }
                }
            }
            """,
        FixedCode = Usings + """
            public static partial class P
            {
                static event Action<int>? Changed;

                [Coroutine]
                public static void Many(Inbox<int> inbox, int[] counts, List<Action<int>> handlers)
                {
                    while (true)
                    {
                        var received = inbox.Receive();
                        counts[received]++;
                        var received2 = inbox.Receive();
                        counts[received2] = 0;
                        if (counts[0] > 1) { var received3 = inbox.Receive(); counts[received3]--; }
                    }
                }
            }
            """,
    }.RunAsync();

    // ---- where the fix would change the meaning, it is not offered ----

    [Fact]
    public Task Not_offered_inside_lock_filters_switch_arms_or_loop_conditions() => VerifyNoFixAsync(
        """
        public partial class P
        {
            private readonly object _gate = new();

            [Coroutine]
            public void T(Inbox<int> inbox, int[] counts, int k)
            {
                while (true)
                {
                    lock (_gate) { counts[{|CORO0004:inbox.Receive()|}]++; }
                    try { inbox.Receive(); } catch (Exception) when ({|CORO0004:inbox.Receive()|} > 0) { }
                    var x = k switch { 1 => {|CORO0004:inbox.Receive()|}, _ => 0 };
                    Console.WriteLine(x);
                }
            }
        }
        """);

    [Fact]
    public Task Not_offered_in_an_interpolated_string_converted_to_a_handler() => VerifyNoFixAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void T(Inbox<int> inbox, bool flag)
            {
                // Debug.Assert evaluates no hole when flag is true: receiving first would change that.
                while (true) System.Diagnostics.Debug.Assert(flag, $"got {{|CORO0004:inbox.Receive()|}}");
            }
        }
        """);

    [Fact]
    public Task Not_offered_for_diagnostics_that_moving_a_receive_does_not_fix() => VerifyNoFixAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void T(Inbox<int> inbox, int[] buffer)
            {
                ref int {|CORO0004:slot|} = ref buffer[0];
                while (true) slot += inbox.Receive();
            }

            [Coroutine]
            public static void U(Inbox<int> inbox, int[] buffer)
            {
                foreach (var item in {|CORO0004:buffer.AsSpan()|}) { Console.WriteLine(item + inbox.Receive()); }
            }
        }
        """);

    [Fact]
    public Task Not_offered_when_something_evaluated_first_could_change_while_parked() => VerifyNoFixAsync(
        """
        public record Point(int X, int Y);
        public sealed class Node { public List<int> Items { get; } = new(); }
        public partial class P
        {
            private int[] _buffer = new int[4];

            [Coroutine]
            public void T(Inbox<int> inbox, bool flag, Point start, List<Action> later)
            {
                int[] local = new int[4];
                later.Add(() => local = new int[8]);
                while (true)
                {
                    _buffer[{|CORO0004:inbox.Receive()|}] = 1;
                    local[{|CORO0004:inbox.Receive()|}] = 1;
                    Console.WriteLine(start with { X = {|CORO0004:inbox.Receive()|} });
                    Console.WriteLine(new Node { {|CORO0004:Items = { inbox.Receive() }|} });
                    if (flag && local[{|CORO0004:inbox.Receive()|}]++ > 0) { }
                }
            }
        }
        """);
}
