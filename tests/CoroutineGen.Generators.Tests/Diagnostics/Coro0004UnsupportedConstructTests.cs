using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>
/// CORO0004: what the lowering cannot rewrite. A suspension point in an unsupported position is reported on the
/// Receive()/Yield() call; a local that cannot live in the state machine on its declaration; 'await' and 'base' on
/// their keyword. Each construct also has a case that must not be reported.
/// </summary>
public class Coro0004UnsupportedConstructTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing CoroutineGen;\n";

    private static string InTemplate(string body, string parameters = "", string members = "") => Usings + $$"""
        public partial class P
        {
            {{members}}
            [Coroutine]
            public void T(Inbox<int> inbox{{parameters}})
            {
                {{body}}
            }
        }
        """;

    private static string Message(string markup, bool allowUnsafe = false, params string[] compilerErrors) =>
        DiagnosticAssert.Verify(markup, allowUnsafe, compilerErrors).Message();

    // ---- lock ----

    [Fact]
    public void Receive_inside_lock()
    {
        var message = Message(InTemplate("""
            while (true)
            {
                lock (_gate) { _count += {|CORO0004:inbox.Receive()|}; }
            }
            """, members: "private readonly object _gate = new(); private int _count;"));
        Assert.Contains("'T' cannot be lowered", message);
        Assert.Contains("inside a 'lock' statement", message);
        Assert.Contains("take the lock around the code that needs it, between suspension points", message);
    }

    [Fact]
    public void Each_receive_inside_lock_is_reported()
    {
        DiagnosticAssert.Verify(InTemplate("""
            lock (_gate) { Console.WriteLine({|CORO0004:inbox.Receive()|} + {|CORO0004:inbox.Receive()|}); }
            """, members: "private readonly object _gate = new();"));
    }

    [Fact]
    public void Lock_between_suspension_points_is_fine()
    {
        DiagnosticAssert.Verify(InTemplate("""
            while (true)
            {
                var value = inbox.Receive();
                lock (_gate) { _count += value; }
            }
            """, members: "private readonly object _gate = new(); private int _count;"));
    }

    // ---- fixed, unsafe, stackalloc ----

    [Fact]
    public void Receive_inside_fixed()
    {
        var message = Message(InTemplate("""
            unsafe { fixed (int* p = buffer) { *p = {|CORO0004:inbox.Receive()|}; } }
            """, ", int[] buffer"), allowUnsafe: true);
        Assert.Contains("inside an 'unsafe' block", message);
    }

    [Fact]
    public void Receive_inside_fixed_in_an_unsafe_type()
    {
        var message = Message(Usings + """
            public unsafe partial class P
            {
                [Coroutine]
                public static void T(Inbox<int> inbox, int[] buffer)
                {
                    fixed (int* p = buffer) { *p = {|CORO0004:inbox.Receive()|}; }
                }
            }
            """, allowUnsafe: true);
        Assert.Contains("inside a 'fixed' statement", message);
    }

    [Fact]
    public void Receive_inside_unsafe_block()
    {
        var message = Message(InTemplate("""
            unsafe { int x = {|CORO0004:inbox.Receive()|}; int* p = &x; Console.WriteLine(*p); }
            """), allowUnsafe: true);
        Assert.Contains("inside an 'unsafe' block", message);
    }

    [Fact]
    public void Receive_inside_stackalloc()
    {
        var message = Message(InTemplate("""
            Span<int> scratch = stackalloc int[{|CORO0004:inbox.Receive()|}];
            Console.WriteLine(scratch.Length);
            """));
        Assert.Contains("inside a 'stackalloc' expression", message);
        Assert.DoesNotContain("unsafe", message);
    }

    [Fact]
    public void Unsafe_code_between_suspension_points_is_fine()
    {
        DiagnosticAssert.Verify(InTemplate("""
            while (true)
            {
                var value = inbox.Receive();
                unsafe { int* p = &value; Console.WriteLine(*p); }
                unsafe { fixed (int* q = buffer) { *q = value; } }
                Span<int> scratch = stackalloc int[4];
                Console.WriteLine(scratch.Length);
            }
            """, ", int[] buffer"), allowUnsafe: true);
    }

    [Fact]
    public void Pointer_code_between_suspension_points_in_an_unsafe_type_is_fine()
    {
        DiagnosticAssert.Verify(Usings + """
            public unsafe partial class P
            {
                [Coroutine]
                public static void T(Inbox<int> inbox, int[] buffer)
                {
                    while (true)
                    {
                        var value = inbox.Receive();
                        fixed (int* p = buffer) { *p = value; }
                    }
                }
            }
            """, allowUnsafe: true);
    }

    // ---- await ----

    [Fact]
    public void Await_in_a_synchronous_template_is_reported_on_the_keyword()
    {
        // The compiler reports it too (CS4033); the message says how to make it an async template.
        var message = Message(InTemplate("""
            while (true) { inbox.Receive(); {|CORO0004:await|} System.Threading.Tasks.Task.Yield(); }
            """), false, "CS4033");
        Assert.Contains("'await' can only be used in an async template (declare it 'async Task')", message);
    }

    [Fact]
    public void Await_in_a_lambda_of_a_template_is_fine()
    {
        DiagnosticAssert.Verify(InTemplate("""
            Func<System.Threading.Tasks.Task> later = async () => await System.Threading.Tasks.Task.Yield();
            while (true) { inbox.Receive(); later(); }
            """));
    }

    // ---- base ----

    [Fact]
    public void Base_access_is_reported_on_base()
    {
        var message = Message(Usings + """
            public class Animal { public virtual string Name() => "animal"; }
            public partial class Dog : Animal
            {
                public override string Name() => "dog";

                [Coroutine]
                public void Bark(Inbox<int> inbox) { while (true) { inbox.Receive(); Console.WriteLine({|CORO0004:base|}.Name()); } }
            }
            """);
        Assert.Contains("'base' cannot be used in a template", message);
    }

    // ---- primary constructor parameters ----

    [Fact]
    public void A_primary_constructor_parameter_used_in_an_instance_template_is_reported_on_the_use()
    {
        // The coroutine is a separate (nested) class: it cannot reach the type's captured parameter.
        var message = Message(Usings + """
            public partial class Counter(int start)
            {
                [Coroutine]
                public void Count(Inbox<int> inbox)
                {
                    while (true) Console.WriteLine({|CORO0004:start|} + inbox.Receive());
                }
            }
            """);
        Assert.Equal(
            "Coroutine template 'Count' cannot be lowered: the primary constructor parameter 'start' cannot be used from the coroutine, which is a separate class; store it in a field or property of the type and use that",
            message);
    }

    [Fact]
    public void A_primary_constructor_parameter_stored_in_a_field_or_property_is_fine()
    {
        DiagnosticAssert.Verify(Usings + """
            public partial class Counter(int start, string label)
            {
                private readonly int _start = start;

                public string Label { get; } = label;

                [Coroutine]
                public void Count(Inbox<int> inbox)
                {
                    while (true) Console.WriteLine(Label + (_start + inbox.Receive()));
                }
            }
            """);
    }

    [Fact]
    public void Base_access_in_a_lambda_or_local_function_of_a_template_is_reported()
    {
        // Copied into the state machine class, 'base' would silently mean that class's base.
        DiagnosticAssert.Verify(Usings + """
            public class Animal { public override string ToString() => "animal"; }
            public partial class Dog : Animal
            {
                public override string ToString() => "dog";

                [Coroutine]
                public void Bark(Inbox<int> inbox)
                {
                    Func<string> name = () => {|CORO0004:base|}.ToString();
                    while (true) { inbox.Receive(); Console.WriteLine(name() + Name()); }
                    string Name() => {|CORO0004:base|}.ToString();
                }
            }
            """);
    }

    [Fact]
    public void This_access_is_fine()
    {
        DiagnosticAssert.Verify(Usings + """
            public class Animal { public override string ToString() => "animal"; }
            public partial class Dog : Animal
            {
                public override string ToString() => "dog";
                private string BaseName() => base.ToString();

                [Coroutine]
                public void Bark(Inbox<int> inbox) { while (true) { inbox.Receive(); Console.WriteLine(this.ToString() + BaseName()); } }
            }
            """);
    }

    // ---- exception filters, patterns, switch ----

    [Fact]
    public void Receive_in_an_exception_filter()
    {
        var message = Message(InTemplate("""
            while (true)
            {
                try { inbox.Receive(); }
                catch (Exception) when ({|CORO0004:inbox.Receive()|} > 0) { }
            }
            """));
        Assert.Contains("inside an exception filter ('when')", message);
        Assert.Contains("receive inside the catch block instead", message);
    }

    [Fact]
    public void Receive_in_a_case_when_clause()
    {
        var message = Message(InTemplate("""
            while (true)
            {
                switch (inbox.Receive())
                {
                    case > 0 when {|CORO0004:inbox.Receive()|} > 1: Console.WriteLine("big"); break;
                    default: break;
                }
            }
            """));
        Assert.Contains("inside a 'when' clause of a case label", message);
    }

    [Fact]
    public void Receive_in_a_pattern()
    {
        // A pattern holds constants, so this only happens in code that does not compile yet.
        var message = Message(InTemplate("""
            while (true) { if (o is > {|CORO0004:inbox.Receive()|}) { } }
            """, ", int o"), false, "CS9135");
        Assert.Contains("inside a pattern", message);
    }

    [Fact]
    public void Receive_in_a_switch_expression_arm()
    {
        var message = Message(InTemplate("""
            while (true)
            {
                var x = k switch { 1 => {|CORO0004:inbox.Receive()|}, _ => 0 };
                Console.WriteLine(x);
            }
            """, ", int k"));
        Assert.Contains("inside the arms of a switch expression", message);
        Assert.Contains("use a switch statement", message);
    }

    [Fact]
    public void Receive_in_filters_patterns_and_switches_where_supported()
    {
        DiagnosticAssert.Verify(InTemplate("""
            while (true)
            {
                try { inbox.Receive(); }
                catch (Exception e) when (e.Message.Length > 0) { Console.WriteLine(inbox.Receive()); }
                if (inbox.Receive() is > 3 and var big) Console.WriteLine(big);
                var kind = inbox.Receive() switch { 0 => "zero", _ => "other" };
                switch (inbox.Receive())
                {
                    case > 0 when k > 1: Console.WriteLine(inbox.Receive() + kind); break;
                    default: break;
                }
            }
            """, ", int k"));
    }

    // ---- assignments and other expressions ----

    [Fact]
    public void Each_receive_in_the_targets_of_a_chained_assignment_is_reported()
    {
        DiagnosticAssert.Verify(InTemplate("""
            while (true) buffer[{|CORO0004:inbox.Receive()|}] = buffer[{|CORO0004:inbox.Receive()|}] = 27;
            """, ", int[] buffer"));
    }

    [Fact]
    public void Receive_in_the_target_of_an_assignment()
    {
        var message = Message(InTemplate("""
            while (true) buffer[{|CORO0004:inbox.Receive()|}] = 1;
            """, ", int[] buffer"));
        Assert.Contains("inside the target of an assignment", message);
        Assert.Contains("receive into a local first", message);
    }

    [Fact]
    public void Receive_in_an_event_subscription()
    {
        var message = Message(Usings + """
            public static partial class P
            {
                static event Action? Changed;

                [Coroutine]
                public static void T(Inbox<Action> inbox) { while (true) Changed += {|CORO0004:inbox.Receive()|}; }
            }
            """);
        Assert.Contains("in an event subscription", message);
    }

    [Fact]
    public void Receive_in_a_with_expression()
    {
        var message = Message(Usings + """
            public record Point(int X, int Y);
            public static partial class P
            {
                [Coroutine]
                public static void T(Inbox<int> inbox, Point start) { while (true) Console.WriteLine(start with { X = {|CORO0004:inbox.Receive()|} }); }
            }
            """);
        Assert.Contains("inside a 'with' expression", message);
    }

    [Fact]
    public void Receive_in_an_increment()
    {
        var message = Message(InTemplate("""
            while (true) counts[{|CORO0004:inbox.Receive()|}]++;
            """, ", int[] counts"));
        Assert.Contains("inside an increment ('++')", message);
    }

    [Fact]
    public void Receive_in_an_object_initializer_with_a_nested_initializer()
    {
        var message = Message(Usings + """
            public sealed class Node { public List<int> Items { get; } = new(); public Node? Next { get; set; } }
            public static partial class P
            {
                [Coroutine]
                public static void T(Inbox<int> inbox) { while (true) Console.WriteLine(new Node { {|CORO0004:Items = { inbox.Receive() }|} }); }
            }
            """);
        Assert.Contains("object initializer with a nested initializer", message);
    }

    [Fact]
    public void A_value_of_an_anonymous_type_kept_across_a_suspension()
    {
        var message = Message(InTemplate("""
            while (true) Use({|CORO0004:new { A = 1 }|}, inbox.Receive());
            """, members: "static void Use(object o, int i) { }"));
        Assert.Contains("its type cannot be named", message);
        Assert.Contains("receive into a local before this statement", message);
    }

    [Fact]
    public void Assignments_and_expressions_that_are_rewritten()
    {
        DiagnosticAssert.Verify(Usings + """
            public record Point(int X, int Y);
            public sealed class Node { public List<int> Items { get; } = new(); public int Value { get; set; } }
            public static partial class P
            {
                static event Action<int>? Changed;

                [Coroutine]
                public static void T(Inbox<int> inbox, int[] counts, Point start)
                {
                    while (true)
                    {
                        counts[0] = inbox.Receive();
                        counts[1] += inbox.Receive();
                        var index = inbox.Receive();
                        counts[index]++;
                        var p = start with { X = index };
                        var node = new Node { Value = inbox.Receive() };
                        var list = new List<int> { inbox.Receive(), 2 };
                        Use(new { A = 1 }, index);
                        Changed?.Invoke(inbox.Receive());
                        Console.WriteLine(p.X + node.Value + list.Count + (index > 0 ? inbox.Receive() : 0));
                    }
                }

                static void Use(object o, int i) { }
            }
            """);
    }

    // ---- interpolated strings ----

    [Fact]
    public void A_receive_in_an_interpolated_string_converted_to_a_handler()
    {
        // Debug.Assert's handler evaluates no hole when the condition holds: splitting the string would receive anyway.
        var message = Message(InTemplate("""
            while (true) System.Diagnostics.Debug.Assert(flag, $"got {{|CORO0004:inbox.Receive()|}}");
            """, ", bool flag"));
        Assert.Contains("an interpolated string converted to the interpolated string handler 'System.Diagnostics.Debug.AssertInterpolatedStringHandler'", message);
        Assert.Contains("receive into a local first", message);
    }

    [Fact]
    public void Each_receive_in_an_interpolated_string_handler_argument_is_reported()
    {
        DiagnosticAssert.Verify(InTemplate("""
            while (true)
            {
                Format($"a {{|CORO0004:inbox.Receive()|}} b {{|CORO0004:inbox.Receive()|},3}");
                Format($"a {1}" + $"b {{|CORO0004:inbox.Receive()|}}");
            }
            """, members: "static void Format(ref System.Runtime.CompilerServices.DefaultInterpolatedStringHandler handler) => Console.WriteLine(handler.ToStringAndClear());"));
    }

    [Fact]
    public void Receives_in_strings_and_formattable_strings_are_fine()
    {
        DiagnosticAssert.Verify(InTemplate("""
            while (true)
            {
                var received = inbox.Receive();
                System.Diagnostics.Debug.Assert(flag, $"got {received}");
                string s = $"got {inbox.Receive()}";
                FormattableString f = $"got {inbox.Receive()}";
                Console.WriteLine(s + f + $"{inbox.Receive()}" + $"{inbox.Receive():D2}");
            }
            """, ", bool flag"));
    }

    // ---- foreach ----

    [Fact]
    public void Receive_in_a_foreach_over_a_span_is_reported_on_the_collection()
    {
        var message = Message(InTemplate("""
            foreach (var item in {|CORO0004:buffer.AsSpan()|}) { Console.WriteLine(item + inbox.Receive()); }
            """, ", int[] buffer"));
        Assert.Contains("is a ref struct", message);
        Assert.Contains("copy the collection into an array or list first", message);
    }

    [Fact]
    public void Receive_in_a_foreach_over_an_array_or_list_is_fine()
    {
        DiagnosticAssert.Verify(InTemplate("""
            foreach (var item in buffer) { Console.WriteLine(item + inbox.Receive()); }
            foreach (var item in new List<int>(buffer)) { Console.WriteLine(item + inbox.Receive()); }
            foreach (var item in buffer.AsSpan()) { Console.WriteLine(item); }
            """, ", int[] buffer"));
    }

    // ---- locals live across a suspension point ----

    [Fact]
    public void A_ref_local_live_across_a_suspension()
    {
        var message = Message(InTemplate("""
            ref int {|CORO0004:slot|} = ref buffer[0];
            while (true) slot += inbox.Receive();
            """, ", int[] buffer"));
        Assert.Contains("the ref local 'slot' is used after a suspension point", message);
        Assert.Contains("take the ref again after the suspension point", message);
    }

    // Straight-line code (no loop), 'scoped ref' and 'ref readonly': the same CORO0004.
    [Theory]
    [InlineData("ref int")]
    [InlineData("scoped ref int")]
    [InlineData("ref readonly int")]
    public void A_ref_local_read_after_a_receive_statement(string declaration)
    {
        var message = Message(InTemplate($$"""
            {{declaration}} {|CORO0004:r|} = ref buffer[0];
            inbox.Receive();
            Console.WriteLine(r);
            """, ", int[] buffer"));
        Assert.Contains("the ref local 'r' is used after a suspension point", message);
        Assert.Contains("take the ref again after the suspension point", message);
    }

    // `r = value` writes where r points: it uses r, so r is live across the receive before it (this was CS0165 in the
    // generated code: the assignment was taken for a new value of r).
    [Theory]
    [InlineData("ref int", "inbox.Receive();\nr = 5;")]
    [InlineData("scoped ref int", "inbox.Receive();\nr = 5;")]
    [InlineData("ref int", "r = inbox.Receive();")]
    [InlineData("ref int", "r = Pick(buffer, inbox.Receive());")]
    [InlineData("scoped ref int", "r = Pick(buffer, inbox.Receive());")]
    [InlineData("ref int", "while (true) { r = inbox.Receive(); }")]
    public void An_assignment_through_a_ref_local_after_a_receive(string declaration, string rest)
    {
        var message = Message(InTemplate($$"""
            {{declaration}} {|CORO0004:r|} = ref buffer[0];
            {{rest}}
            """, ", int[] buffer", "private static ref int Pick(int[] a, int i) => ref a[i];"));
        Assert.Contains("the ref local 'r' is used after a suspension point", message);
    }

    // A ref assignment does replace the ref: nothing of the old one is needed after the receive.
    [Fact]
    public void A_ref_local_assigned_a_new_ref_after_a_receive_is_fine()
    {
        DiagnosticAssert.Verify(InTemplate("""
            ref int r = ref buffer[0];
            r = 1;
            inbox.Receive();
            r = ref buffer[1];
            r = 2;
            """, ", int[] buffer"));
    }

    // The ref itself computed from a receive: reported at the receive, with what to do instead.
    [Fact]
    public void A_ref_local_initialized_or_reassigned_from_a_receive()
    {
        var message = DiagnosticAssert.Verify(InTemplate("""
            ref int r = ref Pick(buffer, {|CORO0004:inbox.Receive()|});
            r = ref Pick(buffer, {|CORO0004:inbox.Receive()|});
            r++;
            """, ", int[] buffer", "private static ref int Pick(int[] a, int i) => ref a[i];"));
        Assert.All(message, d => Assert.Contains("a suspension point inside a 'ref' expression is not supported; receive into a local first", d.GetMessage()));
    }

    [Fact]
    public void A_ref_struct_local_live_across_a_suspension()
    {
        var message = Message(InTemplate("""
            Span<int> {|CORO0004:window|} = buffer;
            while (true) window[0] += inbox.Receive();
            """, ", int[] buffer"));
        Assert.Contains("of ref struct type", message);
    }

    [Fact]
    public void An_anonymous_typed_local_live_across_a_suspension()
    {
        var message = Message(InTemplate("""
            var {|CORO0004:totals|} = new { Count = 0 };
            while (true) { inbox.Receive(); Console.WriteLine(totals.Count); }
            """));
        Assert.Contains("the local 'totals' is used after a suspension point, so it must become a field of the state machine", message);
        Assert.Contains("its type '<anonymous type: int Count>' is or contains an anonymous type", message);
        Assert.Contains("use a tuple or a record instead of the anonymous type", message);
        Assert.DoesNotContain("?", message);
    }

    [Fact]
    public void A_local_whose_type_contains_an_anonymous_type_live_across_a_suspension()
    {
        var message = Message(InTemplate("""
            var {|CORO0004:rows|} = new List<int> { 1, 2 }.ConvertAll(i => new { I = i });
            while (true) { inbox.Receive(); Console.WriteLine(rows.Count); }
            """));
        Assert.Contains("its type 'System.Collections.Generic.List<<anonymous type: int I>>' is or contains an anonymous type", message);
    }

    [Fact]
    public void Ref_span_and_anonymous_locals_not_live_across_a_suspension_are_fine()
    {
        DiagnosticAssert.Verify(InTemplate("""
            while (true)
            {
                var value = inbox.Receive();
                ref int slot = ref buffer[0];
                slot += value;
                ref readonly int first = ref buffer[0];
                Console.WriteLine(first);
                Span<int> window = buffer;
                window[1] = value;
                var pair = new { Value = value };
                Console.WriteLine(pair.Value);
            }
            """, ", int[] buffer"));
    }

    [Fact]
    public void A_block_local_captured_by_a_local_function_and_live_across_a_suspension()
    {
        var message = Message(InTemplate("""
            while (true)
            {
                int {|CORO0004:x|} = inbox.Receive();
                void Show() => Console.WriteLine(x);
                inbox.Receive();
                Show();
            }
            """));
        Assert.Contains("a local function captures 'x'", message);
        Assert.Contains("use a lambda, or declare the variable at the top of the template", message);
    }

    [Fact]
    public void A_catch_variable_captured_by_a_lambda_and_live_across_a_suspension()
    {
        var message = Message(InTemplate("""
            while (true)
            {
                try { inbox.Receive(); }
                catch (Exception {|CORO0004:e|}) { Action show = () => Console.WriteLine(e); inbox.Receive(); show(); }
            }
            """));
        Assert.Contains("the local 'e' is captured by a lambda or local function and lives across a suspension point", message);
    }

    [Fact]
    public void Captures_the_lowering_supports()
    {
        DiagnosticAssert.Verify(InTemplate("""
            int total = 0;
            void Show() => Console.WriteLine(total);
            while (true)
            {
                int x = inbox.Receive();
                actions.Add(() => Console.WriteLine(x));
                inbox.Receive();
                total += x;
                Show();
            }
            """, ", List<Action> actions"));
    }

    // ---- types the generated code cannot name ----

    [Fact]
    public void A_foreach_over_anonymous_values_that_suspends_is_reported_on_the_collection()
    {
        var message = Message(InTemplate("""
            foreach (var item in {|CORO0004:new[] { new { A = 1 } }|}) { Console.WriteLine(item.A + inbox.Receive()); }
            """));
        Assert.Contains("cannot be named in generated code", message);
    }

    [Fact]
    public void A_switch_on_an_anonymous_value_that_suspends_is_reported_on_the_expression()
    {
        var message = Message(InTemplate("""
            switch ({|CORO0004:new { A = 1 }|})
            {
                case { A: 1 }: Console.WriteLine(inbox.Receive()); break;
            }
            """));
        Assert.Contains("the type of this switch statement's expression cannot be named", message);
    }

    [Fact]
    public void A_conditional_with_anonymous_branches_that_suspends()
    {
        var message = Message(InTemplate("""
            while (true) { var o = flag ? {|CORO0004:new { A = inbox.Receive() }|} : new { A = 0 }; Console.WriteLine(o.A); }
            """, ", bool flag"));
        Assert.Contains("a branch of this '?:' suspends, but its type cannot be named", message);
        Assert.Contains("give the branches a named type", message);
    }

    [Fact]
    public void A_deconstruction_into_an_element_is_reported_on_the_target()
    {
        var message = Message(InTemplate("""
            int other;
            while (true) { {|CORO0004:(buffer[0], other)|} = (inbox.Receive(), 2); Console.WriteLine(other); }
            """, ", int[] buffer"));
        Assert.Contains("to this kind of target is not supported", message);
    }

    [Fact]
    public void Anonymous_values_between_suspension_points_are_fine()
    {
        DiagnosticAssert.Verify(InTemplate("""
            int other;
            while (true)
            {
                var value = inbox.Receive();
                foreach (var item in new[] { new { A = value } }) { Console.WriteLine(item.A); }
                switch (new { A = value }) { case { A: 1 }: Console.WriteLine(1); break; }
                var o = flag ? new { A = value } : new { A = 0 };
                (buffer[0], other) = (value, 2);
                Console.WriteLine(o.A + other);
            }
            """, ", bool flag, int[] buffer"));
    }

    // ---- await foreach / await using ----

    [Fact]
    public void Await_foreach_and_await_using_in_a_synchronous_template_are_reported_on_await()
    {
        // Only in code that does not compile yet: they need an async method.
        var diagnostics = DiagnosticAssert.Verify(InTemplate("""
            {|CORO0004:await|} foreach (var item in items) { Console.WriteLine(item + inbox.Receive()); }
            {|CORO0004:await|} using (var resource = disposable) { inbox.Receive(); }
            {|CORO0004:await|} using var declared = disposable;
            inbox.Receive();
            """, ", IAsyncEnumerable<int> items, IAsyncDisposable disposable"), false, "CS4033");
        Assert.Contains("'await foreach' can only be used in an async template (declare it 'async Task')", diagnostics[0].GetMessage());
        Assert.Contains("'await using' can only be used in an async template (declare it 'async Task')", diagnostics[1].GetMessage());
        Assert.Contains("'await using' can only be used in an async template", diagnostics[2].GetMessage());
    }

    // ---- async templates ----

    private static string InAsyncTemplate(string body, string parameters = "", string inbox = "Inbox<int>") => Usings + $$"""
        using System.Threading;
        using System.Threading.Tasks;

        public partial class P
        {
            [Coroutine]
            public static async Task T({{inbox}} inbox{{parameters}})
            {
                {{body}}
            }

            [Coroutine]
            public static int Sub(Inbox<int> inbox) => inbox.Receive();
        }
        """;

    [Fact]
    public void YieldFrom_in_an_async_template_is_reported_on_the_call()
    {
        // Sub() is the factory the generator adds: the source compiles with the generated code only.
        var message = DiagnosticAssert.Verify(InAsyncTemplate("""
            await Task.Yield();
            var total = {|CORO0004:inbox.YieldFrom(Sub())|};
            Console.WriteLine(total + inbox.Receive());
            """), false, true).Message();
        Assert.Contains("YieldFrom cannot be used in an async template (Python forbids 'yield from' in an async generator too)", message);
        Assert.Contains("receive in a loop and await the sub's SendAsync, or make the template synchronous", message);
    }

    [Fact]
    public void YieldFrom_of_a_two_way_inbox_in_an_async_template_is_reported()
    {
        DiagnosticAssert.Verify(Usings + """
            using System.Threading.Tasks;

            public partial class P
            {
                [Coroutine]
                public static async Task T(Inbox<int, int> inbox)
                {
                    await Task.Yield();
                    {|CORO0004:inbox.YieldFrom(Doubler())|};
                }

                [Coroutine]
                public static void Doubler(Inbox<int, int> inbox) { var x = 0; while (true) x = inbox.Yield(x * 2); }
            }
            """, false, true);
    }

    [Fact]
    public void YieldFrom_in_a_synchronous_template_is_fine()
    {
        DiagnosticAssert.Verify(Usings + """
            public partial class P
            {
                [Coroutine]
                public static void T(Inbox<int> inbox) { var total = inbox.YieldFrom(Sub()); Console.WriteLine(total + inbox.Receive()); }

                [Coroutine]
                public static int Sub(Inbox<int> inbox) => inbox.Receive();
            }
            """, false, true);
    }

    [Fact]
    public void The_inbox_cancellation_token_in_a_synchronous_template_is_reported_on_the_access()
    {
        var message = Message(InTemplate("""
            while (true)
            {
                var value = inbox.Receive();
                if ({|CORO0004:inbox.CancellationToken|}.IsCancellationRequested) return;
                Console.WriteLine(value);
            }
            """));
        Assert.Contains("'inbox.CancellationToken' is the token of the SendAsync, ThrowAsync or CloseAsync call running an async template", message);
        Assert.Contains("make the template async, or pass a token as a parameter", message);
    }

    [Fact]
    public void Each_cancellation_token_access_in_a_synchronous_template_is_reported()
    {
        DiagnosticAssert.Verify(InTemplate("""
            var token = {|CORO0004:inbox.CancellationToken|};
            Console.WriteLine(inbox.Receive() + token.GetHashCode());
            {|CORO0004:inbox.CancellationToken|}.ThrowIfCancellationRequested();
            """));
    }

    [Fact]
    public void Await_anywhere_in_an_async_template_is_fine()
    {
        DiagnosticAssert.Verify(InAsyncTemplate("""
            await Task.Yield();
            try
            {
                while (true)
                {
                    var value = inbox.Receive();
                    await Task.Delay(value, inbox.CancellationToken);
                    try { Console.WriteLine(await Task.FromResult(value) + inbox.Receive()); }
                    catch (InvalidOperationException) { await Task.Yield(); Console.WriteLine(inbox.Receive()); }
                    finally { await Task.Yield(); }
                }
            }
            catch (GeneratorExitException) { await Task.Delay(1); Console.WriteLine("bye"); }
            finally { await Task.Yield(); Console.WriteLine("finally"); }
            """));
    }

    [Fact]
    public void Await_foreach_and_await_using_with_receives_in_an_async_template_are_fine()
    {
        DiagnosticAssert.Verify(InAsyncTemplate("""
            await foreach (var item in items) { Console.WriteLine(item + inbox.Receive()); }
            await using (var resource = disposable) { Console.WriteLine(inbox.Receive()); }
            await using var declared = disposable;
            while (true) Console.WriteLine(inbox.Receive());
            """, ", IAsyncEnumerable<int> items, IAsyncDisposable disposable"));
    }

    [Fact]
    public void Await_in_a_receive_expression_and_a_receive_in_an_await_are_fine()
    {
        DiagnosticAssert.Verify(InAsyncTemplate("""
            while (true)
            {
                var sum = await Task.FromResult(inbox.Receive()) + inbox.Receive();
                Console.WriteLine(sum > 0 ? await Task.FromResult(sum) : inbox.Receive());
            }
            """));
    }

    [Fact]
    public void The_inbox_cancellation_token_in_an_async_template_is_fine()
    {
        DiagnosticAssert.Verify(InAsyncTemplate("""
            CancellationToken first = inbox.CancellationToken;
            while (!inbox.CancellationToken.IsCancellationRequested)
            {
                var value = inbox.Receive();
                await Task.Delay(value, inbox.CancellationToken);
                Func<bool> later = () => first.IsCancellationRequested;
                Console.WriteLine(later());
            }
            """));
    }

    [Fact]
    public void An_async_two_way_template_with_awaits_is_fine()
    {
        DiagnosticAssert.Verify(InAsyncTemplate("""
            var total = 0;
            while (true)
            {
                var x = inbox.Yield(total.ToString());
                await Task.Yield();
                total += x;
            }
            """, inbox: "Inbox<int, string>"));
    }
}
