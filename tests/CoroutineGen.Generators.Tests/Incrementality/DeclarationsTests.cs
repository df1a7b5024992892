using CoroutineGen.Generators.Parsing;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Tests.Incrementality;

/// <summary>
/// What decides whether a template is parsed again: <see cref="FileDeclarations"/> (a file's declarations: equal
/// across edits inside member bodies, different across everything else) and <see cref="ProjectDeclarations.Read"/>
/// (which compilation a template is read in when the pipeline holds an older one).
/// </summary>
public sealed class DeclarationsTests
{
    private const string File = """
        #nullable enable
        using System;

        namespace Demo;

        public partial class Shapes
        {
            private int _count = 1;

            public Shapes() { _count = 2; }

            public int Count => _count;

            public int Area { get { return _count * 2; } }

            public int this[int i] => i + _count;

            public static int Twice(int x)
            {
                return 2 * x;
            }

            public static Shapes operator +(Shapes a, Shapes b) => a;

            public static string Describe(int x) => x.ToString();
        }
        """;

    private static FileDeclarations Of(string text) =>
        FileDeclarations.Of(CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, "Shapes.cs"));

    public static TheoryData<string, string> BodyEdits => new()
    {
        { "{ _count = 2; }", "{ _count = 3; Console.WriteLine(); }" },
        { "public int Count => _count;", "public int Count => _count + 1;" },
        { "{ get { return _count * 2; } }", "{ get { return _count * 3; } }" },
        { "=> i + _count;", "=> i - _count;" },
        { "return 2 * x;", "var y = x; return y + y;" },
        { "operator +(Shapes a, Shapes b) => a;", "operator +(Shapes a, Shapes b) => b;" },
        { "=> x.ToString();", "=> $\"{x}\";" },
        { "return 2 * x;", "return 2 * x; // a comment" },
        { "public static int Twice", "// a comment\n    public static int Twice" },
    };

    [Theory]
    [MemberData(nameof(BodyEdits))]
    public void An_edit_inside_a_member_body_leaves_the_declarations_equal(string from, string to)
    {
        Assert.Contains(from, File, StringComparison.Ordinal);
        Assert.Equal(Of(File), Of(File.Replace(from, to, StringComparison.Ordinal)));
    }

    public static TheoryData<string, string> DeclarationEdits => new()
    {
        { "private int _count = 1;", "private int _count = 2;" },
        { "private int _count = 1;", "private long _count = 1;" },
        { "public static int Twice(int x)", "public static long Twice(int x)" },
        { "public static int Twice(int x)", "public static int Twice(int x, int y = 0)" },
        { "public int Count => _count;", "public long Count => _count;" },
        { "public int Count => _count;", "public int Count { get; } = 0;" },
        { "using System;", "using System;\nusing System.IO;" },
        { "namespace Demo;", "namespace Demo.Other;" },
        { "public partial class Shapes", "[Obsolete] public partial class Shapes" },
        { "public Shapes() { _count = 2; }", "public Shapes() : base() { _count = 2; }" },
        { "#nullable enable", "#nullable disable" },
        // A directive inside a body changes the declarations after it.
        { "return 2 * x;", "return 2 * x;\n#nullable disable" },
        // A method with a body and one without are different declarations.
        { "public static string Describe(int x) => x.ToString();", "public static partial string Describe(int x);" },
    };

    [Theory]
    [MemberData(nameof(DeclarationEdits))]
    public void An_edit_outside_member_bodies_changes_the_declarations(string from, string to)
    {
        Assert.Contains(from, File, StringComparison.Ordinal);
        Assert.NotEqual(Of(File), Of(File.Replace(from, to, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_path_and_the_parse_options_are_part_of_a_files_declarations()
    {
        var tree = CSharpSyntaxTree.ParseText(File, GeneratorHarness.ParseOptions, "Shapes.cs");
        Assert.NotEqual(FileDeclarations.Of(tree), FileDeclarations.Of(tree.WithFilePath("Other.cs")));
        Assert.NotEqual(FileDeclarations.Of(tree), FileDeclarations.Of(tree.WithRootAndOptions(tree.GetRoot(), GeneratorHarness.ParseOptions.WithPreprocessorSymbols("DEBUG"))));
    }

    [Fact]
    public void A_deeply_nested_field_initializer_is_read_without_recursion()
    {
        var sum = string.Join(" + ", Enumerable.Range(0, 20_000).Select(i => (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var text = "class Deep { static int X = " + sum + "; }";
        Assert.NotEqual(Of(text), Of(text.Replace("= 0 +", "= 1 +", StringComparison.Ordinal)));
    }

    private const string Template = """
        using System.IO;
        using CoroutineGen;

        namespace Demo;

        public static partial class Stages
        {
            [Coroutine]
            public static void Printer(Inbox<string> inbox, TextWriter log)
            {
                while (true) log.WriteLine(inbox.Receive());
            }
        }
        """;

    private static MethodDeclarationSyntax TemplateIn(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();

    private static ProjectDeclarations DeclarationsOf(Compilation compilation) =>
        new(compilation, [.. compilation.SyntaxTrees.Select(t => FileDeclarations.Of(t))]);

    [Fact]
    public void A_template_is_read_in_the_held_compilation_when_its_file_is_there()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Stages.cs", Template));
        var tree = compilation.SyntaxTrees.Single();
        var declarations = DeclarationsOf(compilation);

        // The same tree, and another tree with the same path and text (the second case).
        var same = declarations.Read(new TemplateSyntax(TemplateIn(tree), compilation), default);
        Assert.Same(compilation, same.Compilation);
        Assert.Same(TemplateIn(tree), same.Syntax);

        var copy = CSharpSyntaxTree.ParseText(tree.GetText(), (CSharpParseOptions)tree.Options, tree.FilePath);
        var other = declarations.Read(new TemplateSyntax(TemplateIn(copy), compilation.ReplaceSyntaxTree(tree, copy)), default);
        Assert.Same(compilation, other.Compilation);
        Assert.Same(TemplateIn(tree), other.Syntax);
        Assert.Same(same.Context, other.Context);
    }

    [Fact]
    public void A_template_whose_file_changed_is_read_in_its_own_compilation_or_with_its_tree_put_in()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Stages.cs", Template));
        var tree = compilation.SyntaxTrees.Single();
        var declarations = DeclarationsOf(compilation);
        var edited = tree.WithChangedText(tree.GetText().Replace(tree.GetText().ToString().IndexOf("log.WriteLine(", StringComparison.Ordinal), 0, "log.Flush(); "));
        var current = compilation.ReplaceSyntaxTree(tree, edited);
        Assert.Equal(declarations, DeclarationsOf(current));

        // Found in the current run: its compilation is alive, and it is read there.
        var own = declarations.Read(new TemplateSyntax(TemplateIn(edited), current), default);
        Assert.Same(current, own.Compilation);
        Assert.Same(TemplateIn(edited), own.Syntax);

        // Its compilation gone (the find holds it weakly): the held compilation with the file replaced.
        var replaced = declarations.Read(new TemplateSyntax(TemplateIn(edited), null), default);
        Assert.NotSame(compilation, replaced.Compilation);
        Assert.Same(edited, Assert.Single(replaced.Compilation.SyntaxTrees));
        Assert.Same(TemplateIn(edited), replaced.Syntax);
    }

    [Fact]
    public void Declarations_compare_by_files_options_and_references()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Stages.cs", Template));
        Assert.Equal(DeclarationsOf(compilation), DeclarationsOf(compilation.WithAssemblyName(compilation.AssemblyName)));
        Assert.NotEqual(DeclarationsOf(compilation), DeclarationsOf(compilation.WithAssemblyName("Other")));
        Assert.NotEqual(DeclarationsOf(compilation), DeclarationsOf(compilation.WithOptions(compilation.Options.WithAllowUnsafe(!compilation.Options.AllowUnsafe))));
        Assert.NotEqual(DeclarationsOf(compilation), DeclarationsOf(compilation.RemoveReferences(compilation.References.Last())));
        Assert.NotEqual(DeclarationsOf(compilation), DeclarationsOf(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Extra { }", GeneratorHarness.ParseOptions, "Extra.cs"))));

        // A project reference made anew for the same compilation is the same reference; one to another compilation is not.
        var library = CSharpCompilation.Create("Library", [CSharpSyntaxTree.ParseText("public class Lib { }", GeneratorHarness.ParseOptions)], GeneratorHarness.References);
        var withLibrary = compilation.AddReferences(library.ToMetadataReference());
        Assert.Equal(DeclarationsOf(withLibrary), DeclarationsOf(compilation.AddReferences(library.ToMetadataReference())));
        Assert.NotEqual(DeclarationsOf(withLibrary), DeclarationsOf(compilation.AddReferences(library.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class More { }", GeneratorHarness.ParseOptions)).ToMetadataReference())));
        Assert.NotEqual(DeclarationsOf(withLibrary), DeclarationsOf(compilation.AddReferences(library.ToMetadataReference(aliases: ["lib"]))));
    }
}
