using System.Linq;
using CoroutineGen.Generators.Emit;
using CoroutineGen.Generators.Lowering;
using CoroutineGen.Generators.Model;
using CoroutineGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators;

/// <summary>
/// The CoroutineGen source generator: every <c>[Coroutine]</c> template becomes a factory overload and a nested
/// state-machine class. The pipeline is: find the templates (<c>ForAttributeWithMetadataName</c>), parse each into
/// an equatable <see cref="TemplateModel"/> (<see cref="TemplateParser"/>), lower it
/// (<see cref="CoroutineLowerer"/>) and write it out (<see cref="CoroutineEmitter"/>). Invalid templates produce
/// nothing here: the analyzers, which run the same parser and lowering, report why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CoroutineGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // What the templates of one compilation share while they are read (FactoryCalls): one per compilation, made
        // here rather than kept in a static. It changes with every compilation, as the parse's input did before.
        var compilations = context.CompilationProvider
            .Select(static (compilation, _) => new CompilationContext(compilation));

        // The attributed methods (the syntax nodes: an intermediate step, not tracked), all read with their
        // compilation's context. Any edit makes a new compilation, so every template is read again, as it was when
        // the parse was ForAttributeWithMetadataName's transform; the models compare by value, item by item, and only
        // the ones that changed go on. (Collected first: Combine of the provider's values with the context, whose
        // entries hold a file's methods together, passed on only some of them with the Roslyn of the tests, 4.14.)
        var templates = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TemplateParser.AttributeName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (ctx, _) => ctx.TargetSymbol is IMethodSymbol ? (MethodDeclarationSyntax)ctx.TargetNode : null)
            .Collect()
            .Combine(compilations)
            .SelectMany(static (pair, ct) => pair.Left.Select(syntax => Parse(syntax, pair.Right, ct)))
            .WithTrackingName(TrackingNames.Templates);

        var valid = templates
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidTemplates);

        // Hint names must be unique (ignoring case) across the whole generator: see HintNames.
        var renamedHintNames = valid
            .Select(static (model, _) => (model.HintName, model.TemplateId))
            .Collect()
            .Select(static (templates, _) => HintNames.Assign(templates))
            .WithTrackingName(TrackingNames.HintNames);

        context.RegisterSourceOutput(valid.Combine(renamedHintNames), static (output, pair) => Generate(output, pair.Left, HintNames.Of(pair.Left, pair.Right)));
    }

    /// <summary>The model of the template <paramref name="syntax"/>, read without nullable analysis (<see cref="FastSemanticModel"/>), or null when it is invalid.</summary>
    private static TemplateModel? Parse(MethodDeclarationSyntax? syntax, CompilationContext compilation, System.Threading.CancellationToken cancellationToken)
    {
        // The node comes from the same compilation as the context (an unchanged tree is the same tree in the next one).
        if (syntax is null || !compilation.Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

        var model = FastSemanticModel.WithoutNullableAnalysis(compilation.Compilation.GetSemanticModel(syntax.SyntaxTree));
        return model.GetDeclaredSymbol(syntax, cancellationToken) is IMethodSymbol method
            ? TemplateParser.Parse(syntax, method, model, compilation, cancellationToken).Model
            : null;
    }

    private static void Generate(SourceProductionContext output, TemplateModel model, string hintName)
    {
        var lowered = CoroutineLowerer.Lower(model, output.CancellationToken);
        if (lowered.Coroutine is null)
        {
            // The analyzer reports these diagnostics; an internal error is also made visible here, so that a
            // build without analyzers cannot silently miss a coroutine.
            var internalErrors = lowered.Diagnostics.Where(d => d.Id == Diagnostics.DiagnosticDescriptors.InternalError.Id).ToList();
            if (internalErrors.Count > 0)
            {
                var message = string.Join("; ", internalErrors.Select(d => string.Join(": ", d.Arguments)));
                output.AddSource(hintName, SourceText.From($"#error CoroutineGen could not compile the template {model.Signature.DisplayName}: {message.Replace('\n', ' ')}\n", System.Text.Encoding.UTF8));
            }

            return;
        }

        string text;
        try
        {
            text = CoroutineEmitter.Emit(lowered.Coroutine, output.CancellationToken);
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            text = $"#error CoroutineGen could not write the template {model.Signature.DisplayName}: {e.GetType().Name}: {e.Message.Replace('\n', ' ')}\n";
        }

        output.AddSource(hintName, SourceText.From(text, System.Text.Encoding.UTF8));
    }
}
