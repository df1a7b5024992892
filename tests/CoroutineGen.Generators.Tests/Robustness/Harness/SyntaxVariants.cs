using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace CoroutineGen.Generators.Tests.Robustness.Harness;

/// <summary>
/// Templates written with the language's newer features, in every kind of container, with unusual identifiers, and
/// at unusual sizes: <see cref="Bodies"/> (what a template does) x <see cref="Containers"/> (where it is declared),
/// plus <see cref="Identifiers"/> and <see cref="Sizes"/>. Each is a whole file; the CI slice runs every body in a
/// static class, every container with a few bodies, and every identifier and size variant at its CI size; the full
/// mode runs every body in every container and the sizes at full scale.
/// </summary>
public static class SyntaxVariants
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using CoroutineGen;

        """;

    /// <summary>
    /// Template bodies (name, inbox element type, body). The template's parameters are <c>inbox</c> and
    /// <c>List&lt;object&gt; log</c>; the body may use the type members of <see cref="Members"/>.
    /// </summary>
    public static IReadOnlyList<(string Name, string Element, string Body)> Bodies { get; } =
    [
        ("plain loop", "int", "while (true) log.Add(inbox.Receive());"),
        ("collection expression", "int", "while (true) { int[] a = [inbox.Receive(), 2, 3]; log.Add(a.Length); }"),
        ("collection expression of receives", "int", "List<int> a = [inbox.Receive(), inbox.Receive()]; log.Add(a.Count);"),
        ("spread of a receive", "int", "int[] a = [.. new[] { inbox.Receive() }]; log.Add(a[0]);"),
        ("spread after a receive", "int", "var first = inbox.Receive(); int[] a = [first, .. new[] { 1, 2 }]; log.Add(a.Length);"),
        ("list pattern on a receive", "int", "var v = new[] { inbox.Receive(), 1 }; if (v is [var head, ..]) log.Add(head);"),
        ("list pattern in a switch", "int", "var v = new[] { inbox.Receive() }; log.Add(v switch { [] => 0, [var x] => x, [_, .. var rest] => rest.Length });"),
        ("switch expression on a receive", "int", "while (true) log.Add(inbox.Receive() switch { > 0 => \"pos\", 0 => \"zero\", _ => \"neg\" });"),
        ("scoped span local", "int", "Span<int> s = stackalloc int[2]; scoped Span<int> t = s; t[0] = 1; log.Add(t[0]); log.Add(inbox.Receive());"),
        ("ref local before a receive", "int", "var arr = new int[1]; ref int r = ref arr[0]; r = 5; log.Add(arr[0]); log.Add(inbox.Receive());"),
        ("ref local assigned from a receive", "int", "var arr = new int[1]; ref int r = ref arr[0]; r = inbox.Receive(); log.Add(arr[0]);"),
        ("scoped ref local assigned from a receive", "int", "var arr = new int[1]; scoped ref int r = ref arr[0]; r = inbox.Receive(); log.Add(arr[0]);"),
        ("raw string", "int", "while (true) log.Add(\"\"\"\n    raw \"quoted\" {text}\n    \"\"\" + inbox.Receive());"),
        ("interpolated raw string", "int", "while (true) log.Add($$\"\"\"{\"a\": {{inbox.Receive()}}}\"\"\");"),
        ("utf8 string", "int", "var bytes = \"abc\"u8.ToArray(); log.Add(bytes.Length + inbox.Receive());"),
        ("tuple deconstruction", "int", "var (a, b) = (inbox.Receive(), inbox.Receive()); log.Add(a + b);"),
        ("is not null glued", "string", "while (true) log.Add(inbox.Receive()is not null);"),
        ("is pattern with designation", "string", "while (true) { if (inbox.Receive() is { Length: > 2 } s) log.Add(s); }"),
        ("null coalescing assignment", "string", "string? s = null; s ??= inbox.Receive(); log.Add(s);"),
        ("lambda capture", "int", "var x = inbox.Receive(); Func<int> f = () => x * 2; log.Add(f()); log.Add(inbox.Receive());"),
        ("static lambda", "int", "Func<int, int> f = static y => y + 1; log.Add(f(inbox.Receive()));"),
        ("local function", "int", "int Twice(int y) => 2 * y; while (true) log.Add(Twice(inbox.Receive()));"),
        ("using declaration", "int", "using var w = new StringWriter(); w.Write(inbox.Receive()); log.Add(w.ToString());"),
        ("foreach over received", "string", "foreach (var c in inbox.Receive()) log.Add(c);"),
        ("checked arithmetic", "int", "checked { var x = inbox.Receive() + 1; log.Add(x); }"),
        ("lock around a receive", "int", "var gate = new object(); lock (gate) { log.Add(1); } log.Add(inbox.Receive());"),
        ("try finally", "int", "try { while (true) log.Add(inbox.Receive()); } finally { log.Add(\"done\"); }"),
        ("catch GeneratorExit", "int", "try { while (true) log.Add(inbox.Receive()); } catch (GeneratorExitException) { log.Add(\"closed\"); }"),
        ("goto a label in a finally", "int", "try { log.Add(inbox.Receive()); } finally { goto done; done: log.Add(1); }"),
        ("goto a label in catch GeneratorExit", "int", "try { log.Add(inbox.Receive()); } catch (GeneratorExitException) { goto done; done: log.Add(1); }"),
        ("throw expression cast", "string", "var d = (IDisposable) throw new Exception(inbox.Receive());"),
        ("throw expression in a coalesce", "string", "var s = inbox.Receive() ?? throw new InvalidOperationException(); log.Add(s);"),
        ("receive then const", "int", "inbox.Receive() const;"),
        ("region around a receive", "int", "\n#region r\nlog.Add(inbox.Receive());\n#endregion\n"),
        ("if directive around a receive", "int", "\n#if !NEVER\nlog.Add(inbox.Receive());\n#endif\n"),
        ("line hidden around a CORO error", "int", "\n#line hidden\nvar f = () => inbox.Receive();\n#line default\nlog.Add(inbox.Receive());"),
        ("pragma around a receive", "int", "\n#pragma warning disable CS0168\nint unused;\n#pragma warning restore CS0168\nlog.Add(inbox.Receive());"),
        ("yield inbox", "int", "var reply = 0; while (true) reply = inbox.Receive() + reply;"),
        ("nameof and typeof", "int", "log.Add(nameof(inbox)); log.Add(typeof(List<>)); log.Add(inbox.Receive());"),
        ("default literal and target-typed new", "int", "int x = default; List<int> l = new(); l.Add(inbox.Receive() + x); log.Add(l[0]);"),
        ("index and range", "int", "var a = new[] { 1, 2, 3 }; log.Add(a[^1] + a[1..].Length + inbox.Receive());"),
        ("conditional access", "string", "while (true) log.Add(inbox.Receive()?.Length);"),
        ("with expression", "int", "var p = new KeyValuePair<int, int>(1, 2); log.Add(p with { } ); log.Add(inbox.Receive());"),
        ("members of the container", "int", "while (true) log.Add(Shared + inbox.Receive());"),
        ("dynamic inbox", "dynamic", "while (true) log.Add(inbox.Receive());"),
        ("tuple inbox", "(int A, string B)", "while (true) { var t = inbox.Receive(); log.Add(t.A + t.B); }"),
        ("nullable inbox", "int?", "while (true) log.Add(inbox.Receive() ?? -1);"),
        ("array inbox", "int[]", "while (true) log.Add(inbox.Receive() is [var x, ..] ? x : -1);"),
    ];

    /// <summary>Members every container declares (so the bodies may use them).</summary>
    private const string Members = "private static int Shared => 1;";

    /// <summary>
    /// Containers (name, language version, source with <c>$TEMPLATE$</c> where the template goes and the template's
    /// modifiers as <c>$STATIC$</c>).
    /// </summary>
    public static IReadOnlyList<(string Name, LanguageVersion Version, string Source)> Containers { get; } =
    [
        ("static class", LanguageVersion.Latest, "namespace Demo;\npublic static partial class Host\n{\n    " + Members + "\n$TEMPLATE$\n}\n"),
        ("class, instance template", LanguageVersion.Latest, "namespace Demo;\npublic partial class Host\n{\n    " + Members + "\n    private int _count;\n$TEMPLATE$\n}\n"),
        ("struct", LanguageVersion.Latest, "namespace Demo;\npublic partial struct Host\n{\n    " + Members + "\n$TEMPLATE$\n}\n"),
        ("record", LanguageVersion.Latest, "namespace Demo;\npublic partial record Host(int Seed)\n{\n    " + Members + "\n$TEMPLATE$\n}\n"),
        ("record struct", LanguageVersion.Latest, "namespace Demo;\npublic partial record struct Host(int Seed)\n{\n    " + Members + "\n$TEMPLATE$\n}\n"),
        ("interface with static members", LanguageVersion.Latest, "namespace Demo;\npublic partial interface IHost\n{\n    " + Members + "\n$TEMPLATE$\n}\n"),
        ("nested types", LanguageVersion.Latest, "namespace Demo;\npublic static partial class Outer\n{\n    internal partial class Middle\n    {\n        private protected static partial class Host\n        {\n            " + Members + "\n$TEMPLATE$\n        }\n    }\n}\n"),
        ("generic type", LanguageVersion.Latest, "namespace Demo;\npublic partial class Host<T> where T : notnull\n{\n    " + Members + "\n    public T? Value { get; set; }\n$TEMPLATE$\n}\n"),
        ("nested generic types", LanguageVersion.Latest, "namespace Demo.Deep.Er;\npublic partial class Outer<TKey>\n{\n    public sealed partial class Host<TValue> where TValue : class\n    {\n        " + Members + "\n$TEMPLATE$\n    }\n}\n"),
        ("primary constructor", LanguageVersion.Latest, "namespace Demo;\npublic partial class Host(int seed, List<object> sink)\n{\n    " + Members + "\n    public int Seed => seed;\n    public int Count => sink.Count;\n$TEMPLATE$\n}\n"),
        ("file type", LanguageVersion.Latest, "namespace Demo;\nfile static partial class Host\n{\n    " + Members + "\n$TEMPLATE$\n}\n"),
        ("required and init members", LanguageVersion.Latest, "namespace Demo;\npublic partial class Host\n{\n    " + Members + "\n    public required string Name { get; init; }\n    public int Other { get; init; } = 3;\n$TEMPLATE$\n}\n"),
        ("generic attribute", LanguageVersion.Latest, "namespace Demo;\n[AttributeUsage(AttributeTargets.All)]\npublic sealed class TagAttribute<T> : Attribute { }\n[Tag<int>]\npublic static partial class Host\n{\n    " + Members + "\n    [Tag<string>]\n$TEMPLATE$\n}\n"),
        ("field keyword", LanguageVersion.Preview, "namespace Demo;\npublic partial class Host\n{\n    " + Members + "\n    public int Level { get => field; set => field = Math.Max(0, value); }\n$TEMPLATE$\n}\n"),
        ("extension block", LanguageVersion.Preview, "namespace Demo;\npublic static partial class Host\n{\n    " + Members + "\n    extension(List<object> list)\n    {\n        public int Size => list.Count;\n$TEMPLATE$\n    }\n}\n"),
        ("global namespace", LanguageVersion.Latest, "public static partial class Host\n{\n    " + Members + "\n$TEMPLATE$\n}\n"),
        ("block namespace and unsafe-free pointers around", LanguageVersion.Latest, "namespace Demo.A\n{\n    namespace B\n    {\n        public static partial class Host\n        {\n            " + Members + "\n$TEMPLATE$\n        }\n    }\n}\n"),
    ];

    private static string Template(string name, string element, string body, bool isStatic = true, string typeParameters = "") =>
        $"    [Coroutine]\n    public {(isStatic ? "static " : string.Empty)}void {name}{typeParameters}(Inbox<{element}> inbox, List<object> log)\n    {{\n        {body}\n    }}";

    private static string InContainer(string container, string template) =>
        Usings + container.Replace("$TEMPLATE$", template, StringComparison.Ordinal);

    /// <summary>Every body in a container (containers whose templates are instance methods get an instance template).</summary>
    public static IEnumerable<HarnessInput> BodiesInContainers(bool everyContainer)
    {
        var containers = everyContainer ? Containers : Containers.Take(1);
        foreach (var (containerName, version, container) in containers)
        {
            foreach (var (bodyName, element, body) in Bodies)
            {
                var isStatic = containerName is not ("class, instance template" or "primary constructor");
                yield return new HarnessInput(
                    "variant/feature",
                    $"body '{bodyName}' in container '{containerName}'",
                    InContainer(container, Template("Run", element, body, isStatic)),
                    "/src/Harness/Variant.cs",
                    version);
            }
        }
    }

    /// <summary>Every container with a few bodies (the CI slice's complement of <see cref="BodiesInContainers"/>).</summary>
    public static IEnumerable<HarnessInput> ContainersWithFewBodies()
    {
        string[] few = ["plain loop", "try finally", "members of the container", "lambda capture"];
        foreach (var (containerName, version, container) in Containers.Skip(1))
        {
            foreach (var (bodyName, element, body) in Bodies.Where(b => few.Contains(b.Name)))
            {
                var isStatic = containerName is not ("class, instance template" or "primary constructor");
                yield return new HarnessInput(
                    "variant/container",
                    $"body '{bodyName}' in container '{containerName}'",
                    InContainer(container, Template("Run", element, body, isStatic)),
                    "/src/Harness/Variant.cs",
                    version);
            }
        }
    }

    /// <summary>Unusual identifiers: keywords escaped with <c>@</c>, Unicode letters and combining marks, names that differ in case only, names that sanitise alike.</summary>
    public static IEnumerable<HarnessInput> Identifiers()
    {
        const string loop = "while (true) log.Add(inbox.Receive());";
        HarnessInput Make(string description, string source) => new("variant/identifiers", description, Usings + source, "/src/Harness/Identifiers.cs");

        yield return Make("escaped keyword type name: partial class @class", $"namespace Demo;\npublic static partial class @class\n{{\n{Template("Run", "int", loop)}\n}}\n");
        yield return Make("escaped keyword method name: @event", $"namespace Demo;\npublic static partial class Host\n{{\n{Template("@event", "int", loop)}\n}}\n");
        yield return Make("escaped non-keyword names: @Host.@Run, @log", $"namespace @Demo;\npublic static partial class @Host\n{{\n    [Coroutine]\n    public static void @Run(Inbox<int> @inbox, List<object> @log)\n    {{\n        while (true) @log.Add(@inbox.Receive());\n    }}\n}}\n");
        yield return Make("contextual keywords as names: record, var, value, field", $"namespace Demo;\npublic static partial class Host\n{{\n    [Coroutine]\n    public static void @record(Inbox<int> inbox, List<object> log)\n    {{\n        var value = 0; var field = 1; int @var = 2;\n        while (true) {{ value = inbox.Receive(); log.Add(value + field + @var); }}\n    }}\n}}\n");
        yield return Make("generated names as user names: __state, value, pending", $"namespace Demo;\npublic static partial class Host\n{{\n    [Coroutine]\n    public static void Run(Inbox<int> inbox, List<object> log, int __state, int pending)\n    {{\n        var value = inbox.Receive(); var __value = value; var __this = 1;\n        log.Add(value + __value + __this + __state + pending + inbox.Receive());\n    }}\n}}\n");
        yield return Make("Unicode letters: Grüße, Ñandú, 数据, Δ", $"namespace Démo;\npublic static partial class Grüße\n{{\n    [Coroutine]\n    public static void Ñandú(Inbox<int> inbox, List<object> 数据)\n    {{\n        var Δ = 0;\n        while (true) {{ Δ += inbox.Receive(); 数据.Add(Δ); }}\n    }}\n}}\n");
        yield return Make("combining mark: Me\\u0301 (Mé with a combining acute)", $"namespace Demo;\npublic static partial class Host\n{{\n{Template("Me\u0301", "int", loop)}\n}}\n");
        yield return Make("unicode escape in an identifier: R\\u0075n", $"namespace Demo;\npublic static partial class Host\n{{\n{Template("R\\u0075n", "int", loop)}\n}}\n");
        yield return Make("case-only difference: Echo and echo in one class", $"namespace Demo;\npublic static partial class Host\n{{\n{Template("Echo", "int", loop)}\n\n{Template("echo", "int", loop)}\n}}\n");
        yield return Make("case-only difference: types Host and HOST", $"namespace Demo;\npublic static partial class Host\n{{\n{Template("Run", "int", loop)}\n}}\npublic static partial class HOST\n{{\n{Template("Run", "int", loop)}\n}}\n");
        yield return Make("generic and underscored: M<T> and M_1", $"namespace Demo;\npublic static partial class Host\n{{\n{Template("M", "T", loop, typeParameters: "<T>")}\n\n{Template("M_1", "int", loop)}\n}}\n");
        yield return Make("generic and underscored types: C<T> and C_1", $"namespace Demo;\npublic static partial class C<T>\n{{\n{Template("Run", "T", loop)}\n}}\npublic static partial class C_1\n{{\n{Template("Run", "int", loop)}\n}}\n");
        yield return Make("combining mark and underscore: Me\\u0301 and Me_", $"namespace Demo;\npublic static partial class Host\n{{\n{Template("Me\u0301", "int", loop)}\n\n{Template("Me_", "int", loop)}\n}}\n");
        yield return Make("overloads: Run(Inbox<int>) and Run(Inbox<string>)", $"namespace Demo;\npublic static partial class Host\n{{\n{Template("Run", "int", loop)}\n\n{Template("Run", "string", loop)}\n}}\n");
        yield return Make("same type name in two namespaces", $"namespace Demo.A\n{{\n    public static partial class Host\n    {{\n{Template("Run", "int", loop)}\n    }}\n}}\nnamespace Demo.B\n{{\n    public static partial class Host\n    {{\n{Template("Run", "int", loop)}\n    }}\n}}\n");
        yield return Make("generic method with constraints", $"namespace Demo;\npublic static partial class Host\n{{\n    [Coroutine]\n    public static void Run<T, U>(Inbox<T> inbox, List<object> log, U seed) where T : struct, IComparable<T> where U : class\n    {{\n        while (true) log.Add(inbox.Receive().CompareTo(default) + seed.GetHashCode());\n    }}\n}}\n");
        yield return Make("a type named like the generated class: RunCoroutine", $"namespace Demo;\npublic static partial class Host\n{{\n    public sealed class RunCoroutine {{ }}\n{Template("Run", "int", loop)}\n}}\n");
        yield return Make("types shadowing the runtime's: State, Send, Inbox", $"namespace Demo;\npublic static partial class Host\n{{\n    public enum State {{ A }}\n    public static void Send(int x) {{ }}\n    [Coroutine]\n    public static void Run(CoroutineGen.Inbox<int> inbox, List<object> log)\n    {{\n        while (true) {{ Send(inbox.Receive()); log.Add(State.A); }}\n    }}\n}}\n");
        yield return Make("members imported with using static, named like the generated class's: Send, Close, State", $"using static Demo.Io;\nnamespace Demo;\npublic static class Io\n{{\n    public static void Send(int x) {{ }}\n    public static int Close(int x) => -x;\n    public static int State => 7;\n}}\npublic static partial class Host\n{{\n    [Coroutine]\n    public static void Run(CoroutineGen.Inbox<int> inbox, List<object> log)\n    {{\n        while (true) {{ Send(inbox.Receive()); log.Add(Close(1) + State); }}\n    }}\n}}\n");
    }

    /// <summary>Unusual sizes: long lines, many statements, deep nesting, long else-if chains, long sums. CI sizes are small; full sizes reach the limits.</summary>
    public static IEnumerable<HarnessInput> Sizes(bool full)
    {
        HarnessInput Make(string description, string body, string element = "int") => new(
            "variant/size",
            description,
            InContainer(Containers[0].Source, Template("Run", element, body)),
            "/src/Harness/Sizes.cs");

        foreach (var length in full ? new[] { 10_000, 70_000 } : [10_000])
        {
            var sb = new StringBuilder("var total = 0;");
            while (sb.Length < length)
            {
                sb.Append(" total += 1;");
            }

            yield return Make($"a line of {sb.Length + 40} characters before a receive", sb + " log.Add(total + inbox.Receive());");
        }

        foreach (var count in full ? new[] { 500, 2_000 } : [300])
        {
            var sb = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                sb.Append(CultureInfo($"var x{i} = inbox.Receive() + {i};\n        log.Add(x{i});\n        "));
            }

            yield return Make($"{count} statements with a receive each", sb.ToString());
        }

        foreach (var depth in full ? new[] { 30, 90, 150 } : [30, 90])
        {
            yield return Make($"{depth} nested ifs around a receive", Repeat("if (log != null) { ", depth) + "log.Add(inbox.Receive());" + Repeat(" }", depth));
            yield return Make($"{depth} nested loops and blocks around a receive", Repeat("while (log.Count < 1000) { { ", depth / 2) + "log.Add(inbox.Receive());" + Repeat(" } }", depth / 2));
        }

        foreach (var branches in full ? new[] { 200, 2_000 } : [100])
        {
            var sb = new StringBuilder("var x = inbox.Receive();\n        if (x == 0) log.Add(0);\n");
            for (int i = 1; i < branches; i++)
            {
                sb.Append(CultureInfo($"        else if (x == {i}) log.Add(inbox.Receive() + {i});\n"));
            }

            sb.Append("        else log.Add(-1);");
            yield return Make($"an else-if chain of {branches} branches with receives", sb.ToString());
        }

        foreach (var terms in full ? new[] { 500, 5_000 } : [300])
        {
            yield return Make($"{terms} constants added before a receive", "log.Add(" + string.Join(" + ", Enumerable.Range(0, terms).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + " + inbox.Receive());");
        }
    }

    /// <summary>The variants of the CI slice, or (full) all of them.</summary>
    public static IReadOnlyList<HarnessInput> All(bool full) =>
        [.. BodiesInContainers(everyContainer: full), .. full ? [] : ContainersWithFewBodies(), .. Identifiers(), .. Sizes(full)];

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static string CultureInfo(FormattableString text) => FormattableString.Invariant(text);
}
