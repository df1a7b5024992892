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
/// state-machine class. The pipeline is: find the templates (<c>ForAttributeWithMetadataName</c>, binding nothing but
/// their attributes: <see cref="TemplateSyntax"/>), read each file's declarations (<see cref="FileDeclarations"/>,
/// <see cref="ProjectDeclarations"/>), parse each template into an equatable <see cref="TemplateModel"/>
/// (<see cref="TemplateParser"/>) when its file or the declarations changed, lower it (<see cref="CoroutineLowerer"/>)
/// and write it out (<see cref="CoroutineEmitter"/>). Invalid templates produce nothing here: the analyzers, which run
/// the same parser and lowering, report why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CoroutineGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Finding the templates binds nothing but their attributes: it runs on every edit, for every template.
        var found = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TemplateParser.AttributeName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (ctx, _) => new TemplateSyntax((MethodDeclarationSyntax)ctx.TargetNode, ctx.SemanticModel.Compilation))
            .WithTrackingName(InputTrackingNames.TemplateSyntax);

        // What the models can depend on outside their own files: each file's declarations, read again only for the
        // files that changed (unchanged trees are the same objects), and the compilation's options and references.
        var declarations = context.CompilationProvider
            .SelectMany(static (compilation, _) => compilation.SyntaxTrees)
            .Select(static (tree, _) => FileDeclarations.Of(tree))
            .Collect()
            .Combine(context.CompilationProvider)
            .Select(static (pair, _) => new ProjectDeclarations(pair.Right, pair.Left))
            .WithTrackingName(InputTrackingNames.Declarations);

        // The parse runs for a template only when its file's text or the compilation's declarations changed: an edit
        // inside a body elsewhere parses nothing again, an edit in a template's file parses that file's templates.
        var templates = found
            .Combine(declarations)
            .Select(static (pair, cancellationToken) => Parse(pair.Right.Read(pair.Left, cancellationToken), cancellationToken))
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

    /// <summary>The model of the template <paramref name="reading"/> names, or null when it is invalid.</summary>
    private static TemplateModel? Parse(TemplateReading reading, System.Threading.CancellationToken cancellationToken)
    {
        var model = FastSemanticModel.Of(reading.Compilation, reading.Syntax.SyntaxTree);
        return model.GetDeclaredSymbol(reading.Syntax, cancellationToken) is IMethodSymbol method
            ? TemplateParser.Parse(reading.Syntax, method, model, reading.Context, cancellationToken).Model
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
