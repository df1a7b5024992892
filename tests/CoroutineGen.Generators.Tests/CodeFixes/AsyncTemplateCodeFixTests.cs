using CoroutineGen.CodeFixes;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace CoroutineGen.Generators.Tests.CodeFixes;

/// <summary>
/// The fixes that make code await: a synchronous template that awaits (CORO0004) or drops a SendAsync task (CORO0012)
/// becomes async; a dropped call in an async function is awaited (CORO0012); 'async void' returns Task (CORO0002).
/// </summary>
public class AsyncTemplateCodeFixTests
{
    private const string Usings = "using System;\nusing System.IO;\nusing System.Threading.Tasks;\nusing CoroutineGen;\n";

    private const string UsingsWithoutTasks = "using System;\nusing System.IO;\nusing CoroutineGen;\n";

    private static Task VerifyAsync(string source, string fixedSource, string? equivalenceKey = null, string usings = Usings, string? fixedUsings = null, int iterations = 1) =>
        new OfflineCodeFixTest<CoroutineAnalyzer, AsyncTemplateCodeFix>
        {
            TestCode = usings + source,
            FixedCode = (fixedUsings ?? usings) + fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            NumberOfIncrementalIterations = iterations,
            NumberOfFixAllIterations = 1,
        }.RunAsync();

    private static Task VerifyNoFixAsync(string source) => new OfflineCodeFixTest<CoroutineAnalyzer, AsyncTemplateCodeFix>
    {
        TestCode = Usings + source,
        FixedCode = Usings + source,
    }.RunAsync();

    // ---- CORO0004: await in a synchronous template ----

    [Fact]
    public Task An_await_makes_a_void_template_async_Task() => VerifyAsync(
        """
        public static partial class Stages
        {
            [Coroutine]
            public static void Save(Inbox<string> inbox, TextWriter output)
            {
                while (true) {|CS4033:{|CORO0004:await|} output.WriteLineAsync(inbox.Receive())|};
            }
        }
        """,
        """
        public static partial class Stages
        {
            [Coroutine]
            public static async Task Save(Inbox<string> inbox, TextWriter output)
            {
                while (true) await output.WriteLineAsync(inbox.Receive());
            }
        }
        """,
        AsyncTemplateCodeFix.MakeAsyncKey);

    [Fact]
    public Task A_template_returning_R_returns_Task_of_R_and_the_using_is_added_in_order() => VerifyAsync(
        """
        public static partial class Stages
        {
            [Coroutine]
            public static int Count(Inbox<string> inbox, TextWriter output)
            {
                var n = 0;
                while (true)
                {
                    var line = inbox.Receive();
                    if (line.Length == 0) return n;
                    {|CS4032:{|CORO0004:await|} output.WriteLineAsync(line)|};
                    n++;
                }
            }
        }
        """,
        """
        public static partial class Stages
        {
            [Coroutine]
            public static async Task<int> Count(Inbox<string> inbox, TextWriter output)
            {
                var n = 0;
                while (true)
                {
                    var line = inbox.Receive();
                    if (line.Length == 0) return n;
                    await output.WriteLineAsync(line);
                    n++;
                }
            }
        }
        """,
        AsyncTemplateCodeFix.MakeAsyncKey,
        UsingsWithoutTasks,
        "using System;\nusing System.IO;\nusing System.Threading.Tasks;\nusing CoroutineGen;\n");

    [Fact]
    public Task The_inbox_cancellation_token_makes_the_template_async_also_in_a_lock() => VerifyAsync(
        """
        public static partial class Stages
        {
            private static readonly object Gate = new();

            [Coroutine]
            public static void Wait(Inbox<int> inbox)
            {
                while (true)
                {
                    var value = inbox.Receive();
                    lock (Gate) { Console.WriteLine(value + {|CORO0004:inbox.CancellationToken|}.GetHashCode()); }
                }
            }
        }
        """,
        """
        public static partial class Stages
        {
            private static readonly object Gate = new();

            [Coroutine]
            public static async Task Wait(Inbox<int> inbox)
            {
                while (true)
                {
                    var value = inbox.Receive();
                    lock (Gate) { Console.WriteLine(value + inbox.CancellationToken.GetHashCode()); }
                }
            }
        }
        """);

    [Fact]
    public Task Await_foreach_in_a_template_without_modifiers_and_with_documentation() => VerifyAsync(
        """
        public partial class Stages
        {
            /// <summary>Prints each item with the value received for it.</summary>
            [Coroutine]
            void Pair(Inbox<int> inbox, System.Collections.Generic.IAsyncEnumerable<string> items)
            {
                {|CS4033:{|CORO0004:await|}|} foreach (var item in items) Console.WriteLine(item + inbox.Receive());
            }
        }
        """,
        """
        public partial class Stages
        {
            /// <summary>Prints each item with the value received for it.</summary>
            [Coroutine]
            async Task Pair(Inbox<int> inbox, System.Collections.Generic.IAsyncEnumerable<string> items)
            {
                await foreach (var item in items) Console.WriteLine(item + inbox.Receive());
            }
        }
        """);

    [Fact]
    public Task An_expression_bodied_template() => VerifyAsync(
        """
        public static partial class Stages
        {
            [Coroutine]
            public static void Echo(Inbox<string> inbox) => Console.WriteLine({|CS4033:{|CORO0004:await|} Task.FromResult(inbox.Receive())|});
        }
        """,
        """
        public static partial class Stages
        {
            [Coroutine]
            public static async Task Echo(Inbox<string> inbox) => Console.WriteLine(await Task.FromResult(inbox.Receive()));
        }
        """);

    [Fact]
    public Task A_file_without_usings_gets_one() => new OfflineCodeFixTest<CoroutineAnalyzer, AsyncTemplateCodeFix>
    {
        TestCode = """
            // A header comment.
            namespace Demo
            {
                public static partial class Stages
                {
                    [CoroutineGen.Coroutine]
                    public static void Save(CoroutineGen.Inbox<string> inbox, System.IO.TextWriter output)
                    {
                        while (true) {|CS4033:{|CORO0004:await|} output.WriteLineAsync(inbox.Receive())|};
                    }
                }
            }
            """,
        FixedCode = """
            // A header comment.
            using System.Threading.Tasks;

            namespace Demo
            {
                public static partial class Stages
                {
                    [CoroutineGen.Coroutine]
                    public static async Task Save(CoroutineGen.Inbox<string> inbox, System.IO.TextWriter output)
                    {
                        while (true) await output.WriteLineAsync(inbox.Receive());
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Task_is_qualified_where_the_name_means_something_else() => VerifyAsync(
        """
        public static partial class Stages
        {
            public sealed class Task { }

            [Coroutine]
            public static void Save(Inbox<string> inbox, TextWriter output)
            {
                while (true) {|CS4033:{|CORO0004:await|} output.WriteLineAsync(inbox.Receive())|};
            }
        }
        """,
        """
        public static partial class Stages
        {
            public sealed class Task { }

            [Coroutine]
            public static async System.Threading.Tasks.Task Save(Inbox<string> inbox, TextWriter output)
            {
                while (true) await output.WriteLineAsync(inbox.Receive());
            }
        }
        """,
        usings: UsingsWithoutTasks);

    [Fact]
    public Task Fix_all_makes_each_template_async_once_with_one_using() => VerifyAsync(
        """
        public static partial class Stages
        {
            [Coroutine]
            public static void Save(Inbox<string> inbox, TextWriter output)
            {
                {|CS4033:{|CORO0004:await|} output.WriteLineAsync("start")|};
                while (true) {|CS4033:{|CORO0004:await|} output.WriteLineAsync(inbox.Receive())|};
            }

            [Coroutine]
            internal static string Last(Inbox<string> inbox, TextReader input)
            {
                var line = inbox.Receive();
                return line + {|CS4032:{|CORO0004:await|} input.ReadLineAsync()|};
            }
        }
        """,
        """
        public static partial class Stages
        {
            [Coroutine]
            public static async Task Save(Inbox<string> inbox, TextWriter output)
            {
                await output.WriteLineAsync("start");
                while (true) await output.WriteLineAsync(inbox.Receive());
            }

            [Coroutine]
            internal static async Task<string> Last(Inbox<string> inbox, TextReader input)
            {
                var line = inbox.Receive();
                return line + await input.ReadLineAsync();
            }
        }
        """,
        AsyncTemplateCodeFix.MakeAsyncKey,
        UsingsWithoutTasks,
        "using System;\nusing System.IO;\nusing System.Threading.Tasks;\nusing CoroutineGen;\n",
        iterations: 2);

    [Fact]
    public Task Not_offered_where_the_template_cannot_simply_become_async() => VerifyNoFixAsync(
        """
        public static partial class Stages
        {
            private static readonly object Gate = new();

            [Coroutine]
            public static void Delegates(Inbox<int> inbox, ICoroutine<int> sub)
            {
                {|CS4033:{|CORO0004:await|} Task.Yield()|};
                inbox.YieldFrom(sub);
            }

            [Coroutine]
            public static void Spans(Inbox<int> inbox)
            {
                ReadOnlySpan<char> text = "abc";
                Console.WriteLine(text.Length);
                {|CS4033:{|CORO0004:await|} Task.Yield()|};
                Console.WriteLine(inbox.Receive());
            }

            [Coroutine]
            public static void Locked(Inbox<int> inbox)
            {
                lock (Gate) { {|CS1996:{|CS4033:{|CORO0004:await|} Task.Yield()|}|}; }
                Console.WriteLine(inbox.Receive());
            }
        }
        """);

    // ---- CORO0012: a dropped SendAsync ----

    [Fact]
    public Task A_dropped_call_in_a_synchronous_template_makes_it_async_and_is_awaited() => VerifyAsync(
        """
        public static partial class Stages
        {
            [Coroutine]
            public static void Forward(Inbox<string> inbox, IAsyncCoroutine<string> target)
            {
                while (true)
                {
                    var line = inbox.Receive();
                    {|CORO0012:target.SendAsync(line)|};
                    _ = {|CORO0012:target.SendAsync(line + "!")|};
                }
            }
        }
        """,
        """
        public static partial class Stages
        {
            [Coroutine]
            public static async Task Forward(Inbox<string> inbox, IAsyncCoroutine<string> target)
            {
                while (true)
                {
                    var line = inbox.Receive();
                    await target.SendAsync(line);
                    await target.SendAsync(line + "!");
                }
            }
        }
        """,
        iterations: 2);

    [Fact]
    public Task A_dropped_call_in_an_async_function_is_awaited() => VerifyAsync(
        """
        public static class Driver
        {
            public static async Task Run(IAsyncCoroutine<string> target)
            {
                {|CORO0012:target.SendAsync("a")|};
                _ = {|CORO0012:target.ThrowAsync(new InvalidOperationException())|};
                Func<Task> later = async () => {|CORO0012:target.SendAsync("b")|};
                await later();
                {|CORO0012:target.CloseAsync()|};
            }
        }
        """,
        """
        public static class Driver
        {
            public static async Task Run(IAsyncCoroutine<string> target)
            {
                await target.SendAsync("a");
                await target.ThrowAsync(new InvalidOperationException());
                Func<Task> later = async () => await target.SendAsync("b");
                await later();
                await target.CloseAsync();
            }
        }
        """,
        AsyncTemplateCodeFix.AwaitKey,
        iterations: 4);

    [Fact]
    public Task Not_offered_for_a_dropped_call_outside_an_async_function_or_a_template_or_where_await_is_not_allowed() => VerifyNoFixAsync(
        """
        public static partial class Stages
        {
            private static readonly object Gate = new();

            public static void Run(IAsyncCoroutine<string> target, IAsyncCoroutine<string>? maybe)
            {
                {|CORO0012:target.SendAsync("a")|};
                Action later = () => {|CORO0012:target.SendAsync("b")|};
                later();
            }

            public static async Task RunAsync(IAsyncCoroutine<string>? maybe)
            {
                {|CORO0012:maybe?.SendAsync("c")|};
                lock (Gate) { {|CORO0012:maybe!.SendAsync("d")|}; }
                await Task.Yield();
            }

            [Coroutine]
            public static void Forward(Inbox<string> inbox, IAsyncCoroutine<string> target, ICoroutine<string> sub)
            {
                inbox.YieldFrom(sub);
                while (true) {|CORO0012:target.SendAsync(inbox.Receive())|};
            }
        }
        """);

    [Fact]
    public Task Not_offered_for_a_dropped_factory_task_nor_for_a_task_used_as_the_coroutine() => VerifyNoFixAsync(
        """
        public sealed class Sink : IAsyncCoroutine<int>
        {
            public CoroutineState State => CoroutineState.Suspended;
            public ValueTask SendAsync(int value, System.Threading.CancellationToken cancellationToken = default) => default;
            public ValueTask ThrowAsync(Exception exception, System.Threading.CancellationToken cancellationToken = default) => default;
            public ValueTask CloseAsync(System.Threading.CancellationToken cancellationToken = default) => default;
            public ValueTask DisposeAsync() => CloseAsync();
        }

        public static partial class Stages
        {
            public static async ValueTask<Sink> Make() { await Task.Yield(); return new Sink(); }

            public static async Task Run()
            {
                {|CORO0012:Make()|};
                _ = {|CORO0012:Make()|};
                await {|CORO0012:Make()|}.{|CS1061:SendAsync|}(1);
            }

            [Coroutine]
            public static void Starter(Inbox<string> inbox)
            {
                while (true)
                {
                    inbox.Receive();
                    {|CORO0012:Make()|};
                }
            }
        }
        """);

    // ---- CORO0002: async void ----

    [Fact]
    public Task An_async_void_template_returns_Task() => VerifyAsync(
        """
        public static partial class Stages
        {
            [Coroutine]
            public static async {|CORO0002:void|} Save(Inbox<string> inbox, TextWriter output)
            {
                while (true) await output.WriteLineAsync(inbox.Receive());
            }
        }
        """,
        """
        public static partial class Stages
        {
            [Coroutine]
            public static async Task Save(Inbox<string> inbox, TextWriter output)
            {
                while (true) await output.WriteLineAsync(inbox.Receive());
            }
        }
        """,
        AsyncTemplateCodeFix.ReturnTaskKey);
}
