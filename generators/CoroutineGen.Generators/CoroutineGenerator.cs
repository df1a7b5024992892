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
        // Each template is read with a CompilationContext of its own (what the templates of a compilation could share
        // while they are read: FactoryCalls). One per compilation, made by a CompilationProvider step and combined
        // with the templates, lost templates (Combine with the provider's values) or made the step-tracked stress test
        // take minutes (Collect, then SelectMany): see docs/performance.md, "Generator".
        var templates = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TemplateParser.AttributeName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (ctx, ct) => ctx.TargetSymbol is IMethodSymbol method
                    ? Parse((MethodDeclarationSyntax)ctx.TargetNode, method, FastSemanticModel.WithoutNullableAnalysis(ctx.SemanticModel), ct)
                    : null)
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

    /// <summary>The model of the template <paramref name="syntax"/>, or null when it is invalid.</summary>
    private static TemplateModel? Parse(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        TemplateParser.Parse(syntax, method, model, new CompilationContext(model.Compilation), cancellationToken).Model;

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
