using CoroutineGen.CodeFixes;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace CoroutineGen.Generators.Tests.CodeFixes;

/// <summary>CORO0002's fixes: move the inbox first, add an inbox, pass by value, remove async, make static.</summary>
public class TemplateSignatureCodeFixTests
{
    private const string Usings = "using System;\nusing CoroutineGen;\n";

    private static Task VerifyAsync(string source, string fixedSource, string? equivalenceKey = null, params DiagnosticResult[] remaining)
    {
        var test = new OfflineCodeFixTest<CoroutineAnalyzer, TemplateSignatureCodeFix>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        test.FixedState.ExpectedDiagnostics.AddRange(remaining);
        return test.RunAsync();
    }

    private static Task VerifyNoFixAsync(string source) => VerifyAsync(source, source);

    private static DiagnosticResult NeverSuspends(int markup) => new DiagnosticResult(DiagnosticDescriptors.NeverSuspends.Id, DiagnosticSeverity.Warning).WithLocation(markup);

    // ---- move the inbox first ----

    [Fact]
    public Task Moves_the_inbox_first() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo(string prefix, {|CORO0002:Inbox<string> inbox|}) { while (true) Console.WriteLine(prefix + inbox.Receive()); }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo(Inbox<string> inbox, string prefix) { while (true) Console.WriteLine(prefix + inbox.Receive()); }
        }
        """,
        TemplateSignatureCodeFix.MoveInboxFirstKey);

    [Fact]
    public Task Moves_the_inbox_first_in_a_list_on_several_lines_keeping_defaults() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo(
                string prefix,
                int times,
                {|CORO0002:Inbox<string> lines|},
                string suffix = "!")
            {
                while (true) Console.WriteLine(prefix + lines.Receive() + times + suffix);
            }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo(
                Inbox<string> lines,
                string prefix,
                int times,
                string suffix = "!")
            {
                while (true) Console.WriteLine(prefix + lines.Receive() + times + suffix);
            }
        }
        """);

    [Fact]
    public Task Fix_all_moves_the_inbox_of_every_template() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void A(string prefix, {|CORO0002:Inbox<string> inbox|}) { while (true) Console.WriteLine(prefix + inbox.Receive()); }

            [Coroutine]
            public static void B(int x, int y, {|CORO0002:Inbox<int> inbox|}) { while (true) Console.WriteLine(x + y + inbox.Receive()); }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void A(Inbox<string> inbox, string prefix) { while (true) Console.WriteLine(prefix + inbox.Receive()); }

            [Coroutine]
            public static void B(Inbox<int> inbox, int x, int y) { while (true) Console.WriteLine(x + y + inbox.Receive()); }
        }
        """);

    // ---- add an inbox ----

    [Fact]
    public Task Adds_an_inbox_of_object_to_an_empty_parameter_list() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void {|#0:Hello|}{|CORO0002:()|} { Console.WriteLine("hello"); }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void {|#0:Hello|}(Inbox<object> inbox) { Console.WriteLine("hello"); }
        }
        """,
        TemplateSignatureCodeFix.AddInboxKey,
        NeverSuspends(0));

    [Fact]
    public Task Adds_an_inbox_before_the_other_parameters_with_a_name_that_is_free() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void {|#0:Hello|}{|CORO0002:(string inbox, int count)|} { var inbox2 = inbox + count; Console.WriteLine(inbox2); }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void {|#0:Hello|}(Inbox<object> inbox3, string inbox, int count) { var inbox2 = inbox + count; Console.WriteLine(inbox2); }
        }
        """,
        null,
        NeverSuspends(0));

    [Fact]
    public async Task Qualifies_the_inbox_type_when_the_file_has_no_using_directive()
    {
        var test = new OfflineCodeFixTest<CoroutineAnalyzer, TemplateSignatureCodeFix>
        {
            TestCode = """
                public static partial class P
                {
                    [CoroutineGen.Coroutine]
                    public static void {|#0:Hello|}{|CORO0002:()|} { System.Console.WriteLine("hello"); }
                }
                """,
            FixedCode = """
                public static partial class P
                {
                    [CoroutineGen.Coroutine]
                    public static void {|#0:Hello|}(CoroutineGen.Inbox<object> inbox) { System.Console.WriteLine("hello"); }
                }
                """,
        };
        test.FixedState.ExpectedDiagnostics.Add(NeverSuspends(0));
        await test.RunAsync();
    }

    [Fact]
    public Task No_inbox_is_added_when_there_is_one_elsewhere() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo(string prefix, {|CORO0002:Inbox<string> inbox|}) { while (true) Console.WriteLine(prefix + inbox.Receive()); }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo(Inbox<string> inbox, string prefix) { while (true) Console.WriteLine(prefix + inbox.Receive()); }
        }
        """,
        TemplateSignatureCodeFix.MoveInboxFirstKey);

    // ---- pass by value ----

    [Fact]
    public Task Passes_ref_in_and_out_parameters_by_value_with_fix_all() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Sum(Inbox<int> inbox, {|CORO0002:ref int total|}, {|CORO0002:in int start|}, {|CORO0002:out int last|}, {|CORO0002:ref readonly int step|})
            {
                last = start;
                while (true) { last = inbox.Receive(); total += last * step; }
            }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Sum(Inbox<int> inbox, int total, int start, int last, int step)
            {
                last = start;
                while (true) { last = inbox.Receive(); total += last * step; }
            }
        }
        """);

    [Fact]
    public Task Passes_the_inbox_by_value() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo({|CORO0002:ref Inbox<string> inbox|}) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """);

    [Fact]
    public Task A_ref_struct_parameter_has_no_fix() => VerifyNoFixAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo(Inbox<string> inbox, {|CORO0002:ReadOnlySpan<char> prefix|}) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """);

    // ---- async ----

    [Fact]
    public Task Removes_async_from_an_async_void_template_that_awaits_nothing() => VerifyAsync(
        """
        public static partial class P
        {
            [Coroutine]
            public static async {|CORO0002:void|} Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }

            /// <summary>Documented.</summary>
            [Coroutine]
            async static {|CORO0002:void|} Print(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """,
        """
        public static partial class P
        {
            [Coroutine]
            public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }

            /// <summary>Documented.</summary>
            [Coroutine]
            static void Print(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """,
        TemplateSignatureCodeFix.RemoveAsyncKey);

    [Fact]
    public Task Async_is_not_removed_when_the_body_awaits() => VerifyNoFixAsync(
        """
        using System.Threading.Tasks;
        public static partial class P
        {
            [Coroutine]
            public static async {|CORO0002:void|} Echo(Inbox<string> inbox) { await Task.Yield(); while (true) Console.WriteLine(inbox.Receive()); }
        }
        """);

    // ---- static in a struct ----

    [Fact]
    public Task Makes_a_struct_template_static_when_it_uses_no_instance_member() => VerifyAsync(
        """
        public partial struct Counter
        {
            private int _count;
            public static int Total;

            [Coroutine]
            public void {|CORO0002:Count|}(Inbox<int> inbox) { while (true) { Total += inbox.Receive(); Console.WriteLine(nameof(_count)); } }

            [Coroutine]
            void {|CORO0002:Print|}(Inbox<int> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """,
        """
        public partial struct Counter
        {
            private int _count;
            public static int Total;

            [Coroutine]
            public static void Count(Inbox<int> inbox) { while (true) { Total += inbox.Receive(); Console.WriteLine(nameof(_count)); } }

            [Coroutine]
            static void Print(Inbox<int> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
        }
        """,
        TemplateSignatureCodeFix.MakeStaticKey);

    [Fact]
    public Task A_struct_template_that_uses_the_instance_is_not_made_static() => VerifyNoFixAsync(
        """
        public partial struct Counter
        {
            private int _count;

            [Coroutine]
            public void {|CORO0002:Count|}(Inbox<int> inbox) { while (true) { _count += inbox.Receive(); } }

            [Coroutine]
            public void {|CORO0002:Show|}(Inbox<int> inbox) { while (true) { inbox.Receive(); Console.WriteLine(ToString()); } }

            [Coroutine]
            public void {|CORO0002:Self|}(Inbox<int> inbox) { var copy = this; while (true) { inbox.Receive(); Console.WriteLine(copy); } }
        }
        """);
}
