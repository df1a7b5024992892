using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// The semantic model the generator reads templates with: the same as the one it is given, but without nullable
/// analysis where the compiler running the generator can do that.
/// </summary>
/// <remarks>
/// The first question the parser asks about a template binds its body; in a project with nullable reference types
/// enabled the semantic model then also runs the nullable flow analysis over it, which is about a third of the
/// generator's time (profile of 1,000 templates, docs/performance.md). The parser needs none of its results: it reads
/// symbols, declared types and constant values. The one thing the analysis changes is the nullable annotation of an
/// expression's type (its flow state: <c>inbox.Receive()</c> of an <c>Inbox&lt;T&gt;</c> is <c>T?</c> with it, <c>T</c>
/// without), which only the declaration of a spill temporary uses, in a generated file that disables every warning:
/// annotations change no behaviour. <see cref="TemplateContext.TypeOf"/> takes that annotation from the declaration
/// of what the expression names instead, so temporaries still read as the user's types. Roslyn 4.9 and later
/// have <c>SemanticModelOptions.DisableNullableAnalysis</c> (marked experimental, RSEXPERIMENTAL001); the generator
/// is built against 4.8 (the oldest compiler it supports), so the overload is looked up once by reflection and,
/// where it is missing (an older compiler, or a newer one that dropped it), the given model is used as it is: the
/// generator is then slower, not different (FastSemanticModelTests generates every repository template with both
/// models and compares the code). The analyzer keeps the model the compiler gives it: the compiler has run the nullable analysis for its
/// own diagnostics already.
/// </remarks>
internal static class FastSemanticModel
{
    private static readonly Func<Compilation, SyntaxTree, SemanticModel>? Create = Find();

    /// <summary>A model of <paramref name="model"/>'s tree without nullable analysis, or <paramref name="model"/> itself.</summary>
    public static SemanticModel WithoutNullableAnalysis(SemanticModel model) =>
        Create is null || model.IsSpeculativeSemanticModel || model.IgnoresAccessibility ? model : Of(model.Compilation, model.SyntaxTree);

    /// <summary>A model of <paramref name="tree"/> in <paramref name="compilation"/> without nullable analysis, where the compiler has the option.</summary>
    public static SemanticModel Of(Compilation compilation, SyntaxTree tree)
    {
        if (Create is { } create)
        {
            try
            {
                return create(compilation, tree);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The option exists but refused: the ordinary model reads the same.
            }
        }

        return compilation.GetSemanticModel(tree);
    }

    private static Func<Compilation, SyntaxTree, SemanticModel>? Find()
    {
        try
        {
            var optionsType = typeof(Compilation).Assembly.GetType("Microsoft.CodeAnalysis.SemanticModelOptions", throwOnError: false);
            if (optionsType is null || !optionsType.IsEnum || !Enum.GetNames(optionsType).Contains("DisableNullableAnalysis"))
            {
                return null;
            }

            var method = typeof(Compilation).GetMethod("GetSemanticModel", BindingFlags.Public | BindingFlags.Instance, null, new[] { typeof(SyntaxTree), optionsType }, null);
            if (method is null || method.ReturnType != typeof(SemanticModel))
            {
                return null;
            }

            var disable = Enum.Parse(optionsType, "DisableNullableAnalysis");
            return (compilation, tree) => (SemanticModel)method.Invoke(compilation, new[] { tree, disable })!;
        }
        catch (Exception)
        {
            return null;
        }
    }
}
