using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>CORO0002: the template's signature. Reported on the offending parameter, modifier, return type or name.</summary>
public class Coro0002InvalidSignatureTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing CoroutineGen;\n";

    [Fact]
    public void No_parameters_is_reported_on_the_parameter_list()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo{|CORO0002:()|} { }
            }
            """).Message();
        Assert.Contains("the first parameter must be the coroutine's inbox", message);
        Assert.Contains("add one", message);
    }

    [Fact]
    public void No_inbox_parameter_is_reported_on_the_parameter_list()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo{|CORO0002:(string prefix)|} { Console.WriteLine(prefix); }
            }
            """);
    }

    [Fact]
    public void An_inbox_that_is_not_first_is_reported_on_the_inbox()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(string prefix, {|CORO0002:Inbox<string> inbox|}) { while (true) Console.WriteLine(prefix + inbox.Receive()); }
            }
            """).Message();
        Assert.Contains("the inbox parameter 'inbox' must be the first parameter; move it first", message);
    }

    [Fact]
    public void A_second_inbox_is_reported()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox, {|CORO0002:Inbox<int> other|}) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """);
    }

    [Fact]
    public void An_inbox_passed_by_reference_is_reported()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo({|CORO0002:ref Inbox<string> inbox|}) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """).Message();
        Assert.Contains("remove 'ref'", message);
    }

    [Fact]
    public void Ref_in_and_out_parameters_are_reported_each()
    {
        var diagnostics = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox, {|CORO0002:ref int a|}, {|CORO0002:in int b|}, {|CORO0002:out int c|}) { c = 0; while (true) Console.WriteLine(inbox.Receive()); }
            }
            """);
        Assert.Contains("'a' is passed by reference ('ref')", diagnostics[0].GetMessage());
        Assert.Contains("'b' is passed by reference ('in')", diagnostics[1].GetMessage());
        Assert.Contains("'c' is passed by reference ('out')", diagnostics[2].GetMessage());
    }

    [Fact]
    public void A_ref_struct_parameter_is_reported()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox, {|CORO0002:ReadOnlySpan<char> prefix|}) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """).Message();
        Assert.Contains("ref struct", message);
        Assert.Contains("pass an array, a Memory<T> or a string instead", message);
    }

    // ---- async ----

    [Fact]
    public void Async_void_is_reported_on_the_return_type()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static async {|CORO0002:void|} Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """).Message();
        Assert.Contains("an async template returns Task, ValueTask, Task<R> or ValueTask<R> (not 'void')", message);
        Assert.Contains("return Task (Task<R> to return a value)", message);
    }

    [Fact]
    public void An_async_template_returning_a_custom_task_type_is_reported_on_the_return_type()
    {
        // Compiles (the type has an async method builder), but the generated coroutine's calls return ValueTask.
        var message = DiagnosticAssert.Verify(Usings + """
            using System.Runtime.CompilerServices;
            using System.Threading.Tasks;

            [AsyncMethodBuilder(typeof(MyTaskBuilder))]
            public class MyTask { }

            public class MyTaskBuilder
            {
                public static MyTaskBuilder Create() => new();
                public MyTask Task => new();
                public void Start<TMachine>(ref TMachine machine) where TMachine : IAsyncStateMachine => machine.MoveNext();
                public void SetStateMachine(IAsyncStateMachine machine) { }
                public void SetResult() { }
                public void SetException(Exception exception) { }
                public void AwaitOnCompleted<TAwaiter, TMachine>(ref TAwaiter awaiter, ref TMachine machine) where TAwaiter : INotifyCompletion where TMachine : IAsyncStateMachine { }
                public void AwaitUnsafeOnCompleted<TAwaiter, TMachine>(ref TAwaiter awaiter, ref TMachine machine) where TAwaiter : ICriticalNotifyCompletion where TMachine : IAsyncStateMachine { }
            }

            public static partial class P
            {
                [Coroutine]
                public static async {|CORO0002:MyTask|} Echo(Inbox<string> inbox) { await Task.Yield(); while (true) Console.WriteLine(inbox.Receive()); }
            }
            """).Message();
        Assert.Contains("(not 'MyTask')", message);
    }

    [Fact]
    public void An_async_template_returning_something_else_is_reported_on_the_return_type()
    {
        // The compiler rejects these too (CS1983); the generator must not generate from them either.
        DiagnosticAssert.Verify(Usings + """
            using System.Threading.Tasks;

            public static partial class P
            {
                [Coroutine]
                public static async {|CORO0002:int|} Count(Inbox<string> inbox) { await Task.Yield(); inbox.Receive(); return 1; }

                [Coroutine]
                public static async {|CORO0002:IEnumerable<int>|} Lines(Inbox<string> inbox) { await Task.Yield(); inbox.Receive(); return new List<int>(); }
            }
            """, false, "CS1983");
    }

    [Fact]
    public void An_async_iterator_is_reported_on_the_return_type_and_on_yield()
    {
        DiagnosticAssert.Verify(Usings + """
            using System.Threading.Tasks;

            public static partial class P
            {
                [Coroutine]
                public static async {|CORO0002:IAsyncEnumerable<string>|} Echo(Inbox<string> inbox) { await Task.Yield(); while (true) {|CORO0002:yield|} return inbox.Receive(); }
            }
            """);
    }

    [Fact]
    public void Async_templates_returning_tasks_are_valid()
    {
        DiagnosticAssert.Verify(Usings + """
            using System.IO;
            using System.Threading.Tasks;

            public partial class P
            {
                [Coroutine]
                public static async Task Printer(Inbox<string> inbox, TextWriter output) { while (true) { var line = inbox.Receive(); await output.WriteLineAsync(line); } }

                [Coroutine]
                public static async ValueTask Values(Inbox<int> inbox) { while (true) { Console.WriteLine(inbox.Receive()); await Task.Yield(); } }

                [Coroutine]
                public static async Task<int> Sum(Inbox<int> inbox)
                {
                    int total = 0;
                    while (true)
                    {
                        var x = inbox.Receive();
                        if (x < 0) return total;
                        await Task.Delay(x);
                        total += x;
                    }
                }

                [Coroutine]
                public async ValueTask<string> Running(Inbox<int, string> inbox, string prefix = "> ")
                {
                    var text = prefix;
                    while (true)
                    {
                        var x = inbox.Yield(text);
                        if (x == 0) return text;
                        await Task.Yield();
                        text += x;
                    }
                }

                [Coroutine(Prime = false)]
                internal static async Task Unprimed(Inbox<string> inbox) { await Task.Yield(); while (true) Console.WriteLine(inbox.Receive()); }

                [Coroutine]
                public static async Task ExpressionBodied(Inbox<string> inbox) => Console.WriteLine(await Task.FromResult(inbox.Receive()));
            }
            """);
    }

    [Fact]
    public void An_iterator_is_reported_on_yield()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static IEnumerable<string> Echo(Inbox<string> inbox) { while (true) {|CORO0002:yield|} return inbox.Receive(); }
            }
            """);
    }

    [Fact]
    public void Abstract_and_extern_templates_are_reported_on_the_name()
    {
        DiagnosticAssert.Verify(Usings + """
            public abstract partial class P
            {
                [Coroutine]
                public abstract void {|CORO0002:Echo|}(Inbox<string> inbox);

                [Coroutine]
                public static extern void {|CORO0002:Native|}(Inbox<string> inbox);
            }
            """);
    }

    [Fact]
    public void Both_parts_of_a_partial_method_are_reported_and_nothing_else()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                static partial void {|CORO0002:Echo|}(Inbox<string> inbox);

                static partial void {|CORO0002:Echo|}(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """);
    }

    [Fact]
    public void Returning_by_reference_is_reported_on_the_return_type()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                static int total;

                [Coroutine]
                public static {|CORO0002:ref int|} Sum(Inbox<int> inbox) { total += inbox.Receive(); return ref total; }
            }
            """);
    }

    [Fact]
    public void A_ref_struct_return_type_is_reported()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static {|CORO0002:Span<int>|} Sum(Inbox<int> inbox) { inbox.Receive(); return default; }
            }
            """);
    }

    [Fact]
    public void An_instance_template_in_a_struct_is_reported()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public partial struct Counter
            {
                [Coroutine]
                public void {|CORO0002:Count|}(Inbox<int> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """).Message();
        Assert.Contains("make the template static", message);
    }

    [Fact]
    public void A_template_in_an_interface_is_reported()
    {
        DiagnosticAssert.Verify(Usings + """
            public partial interface IPipelines
            {
                [Coroutine]
                public static void {|CORO0002:Echo|}(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """);
    }

    [Fact]
    public void An_unsafe_template_is_reported()
    {
        DiagnosticAssert.Verify(Usings + """
            public static partial class P
            {
                [Coroutine]
                public static unsafe void {|CORO0002:Echo|}(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """, allowUnsafe: true);
    }

    [Fact]
    public void An_explicit_interface_implementation_is_reported()
    {
        DiagnosticAssert.Verify(Usings + """
            public interface IEcho { void Echo(Inbox<string> inbox); }
            public partial class P : IEcho
            {
                [Coroutine]
                void IEcho.{|CORO0002:Echo|}(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """);
    }

    [Fact]
    public void A_local_function_template_is_reported_on_its_name_only()
    {
        var message = DiagnosticAssert.Verify(Usings + """
            public static class P
            {
                public static void Run()
                {
                    [Coroutine]
                    static void {|CORO0002:Echo|}(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
                }
            }
            """).Message();
        Assert.Contains("a local function cannot be a template", message);
    }

    [Fact]
    public void Valid_signatures_are_not_reported()
    {
        DiagnosticAssert.Verify(Usings + """
            public partial class P<TItem> where TItem : class
            {
                private readonly string _name = "p";

                [Coroutine]
                public static void Static(Inbox<string> inbox, string prefix = "> ", params string[] extra) { while (true) Console.WriteLine(prefix + inbox.Receive() + extra.Length); }

                [Coroutine]
                internal void Instance(Inbox<TItem> inbox) { while (true) Console.WriteLine(_name + inbox.Receive()); }

                [Coroutine]
                public static int Bidirectional(Inbox<int, string> inbox)
                {
                    int total = 0;
                    while (true)
                    {
                        var x = inbox.Yield(total.ToString());
                        if (x < 0) return total;
                        total += x;
                    }
                }

                [Coroutine]
                public static void Generic<T>(Inbox<T> inbox, ICoroutine<T> target) where T : notnull { while (true) target.Send(inbox.Receive()); }
            }

            public partial struct Values
            {
                [Coroutine]
                public static void StaticInStruct(Inbox<int> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }
            """);
    }
}
