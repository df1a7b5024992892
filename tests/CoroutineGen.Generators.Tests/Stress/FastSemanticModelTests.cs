using CoroutineGen.Generators.Emit;
using CoroutineGen.Generators.Lowering;
using CoroutineGen.Generators.Parsing;
using CoroutineGen.Generators.Tests.Infrastructure;
using CoroutineGen.Generators.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

// NullableAnalysisIsDisabled is an experimental API of Roslyn (as the option itself): fine in a test.
#pragma warning disable RSEXPERIMENTAL001

namespace CoroutineGen.Generators.Tests.Stress;

/// <summary>
/// The generator reads templates with a semantic model that skips the nullable flow analysis (a third of its time,
/// see <see cref="FastSemanticModel"/>). That must change nothing: every template of the repository and every stress
/// shape parses to the same signature, locals and diagnostics and generates the same code with either model.
/// </summary>
public sealed class FastSemanticModelTests
{
    [Fact]
    public void The_model_skips_nullable_analysis_on_a_compiler_that_can()
    {
        var compilation = NeverBreaksCheck.Empty.AddSyntaxTrees(CSharpSyntaxTree.ParseText("#nullable enable\nclass C { string? M() => null; }", GeneratorHarness.ParseOptions));
        var model = compilation.GetSemanticModel(compilation.SyntaxTrees.Single());
        Assert.False(model.NullableAnalysisIsDisabled);

        var fast = FastSemanticModel.WithoutNullableAnalysis(model);

        // The test host's compiler (newer than 4.8) has SemanticModelOptions.DisableNullableAnalysis.
        Assert.True(fast.NullableAnalysisIsDisabled);
        Assert.Same(model.SyntaxTree, fast.SyntaxTree);
        Assert.Same(model.Compilation, fast.Compilation);
    }

    public static TheoryData<string> Samples =>
        new(TemplateCorpus.All.Select(s => s.Name).Append("stress shapes"));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Templates_parse_and_generate_the_same_without_nullable_analysis(string sample)
    {
        var text = sample == "stress shapes"
            ? StressTemplates.Sources(StressTemplates.Shapes.Count, StressTemplates.Shapes.Count)[0].Text
            : TemplateCorpus.All.Single(s => s.Name == sample).Text;
        var tree = NeverBreaksCheck.Parse(text, sample + ".cs");
        var compilation = NeverBreaksCheck.Empty.AddSyntaxTrees(NeverBreaksCheck.ImplicitUsingsTree, tree);
        var templates = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Coroutine" or "CoroutineGen.Coroutine" or "CoroutineAttribute"))
            .ToList();
        Assert.NotEmpty(templates);

        var context = new CompilationContext(compilation);
        foreach (var syntax in templates)
        {
            var full = compilation.GetSemanticModel(tree);
            var fast = FastSemanticModel.WithoutNullableAnalysis(compilation.GetSemanticModel(tree));
            var method = (IMethodSymbol)full.GetDeclaredSymbol(syntax)!;

            var withAnalysis = TemplateParser.Parse(syntax, method, full, context, CancellationToken.None);
            var withoutAnalysis = TemplateParser.Parse(syntax, method, fast, context, CancellationToken.None);

            Assert.Equal(withAnalysis.Diagnostics, withoutAnalysis.Diagnostics);
            Assert.Equal(withAnalysis.Model is null, withoutAnalysis.Model is null);
            Assert.Equal(withAnalysis.Model?.Signature, withoutAnalysis.Model?.Signature);
            Assert.Equal(withAnalysis.Model?.Body.Locals, withoutAnalysis.Model?.Body.Locals);
            if (withAnalysis.Model is { } model)
            {
                // The models themselves may differ in the nullable annotation of an expression's type (the flow state:
                // a Receive() of an Inbox<T> is 'T?' with the analysis, 'T' without), which only the declarations of
                // spill temporaries use, in a file that disables every warning: the generated code must be the same.
                var lowered = CoroutineLowerer.Lower(model);
                var loweredFast = CoroutineLowerer.Lower(withoutAnalysis.Model!);
                Assert.Equal(lowered.Diagnostics, loweredFast.Diagnostics);
                Assert.Equal(
                    lowered.Coroutine is null ? null : CoroutineEmitter.Emit(lowered.Coroutine),
                    loweredFast.Coroutine is null ? null : CoroutineEmitter.Emit(loweredFast.Coroutine));
            }
        }
    }
}
