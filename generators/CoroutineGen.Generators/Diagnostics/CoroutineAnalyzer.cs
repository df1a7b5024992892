using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CoroutineGen.Generators.Lowering;
using CoroutineGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Diagnostics;

/// <summary>
/// Reports every CORO diagnostic live in the IDE. For a template it runs exactly what the generator runs (the
/// parser, which is also the validator, and the lowering), so the two never disagree; it adds the checks that
/// look beyond one template: <c>Receive()</c>/<c>Yield()</c> in a method that is not a template, sends to a
/// coroutine that the same method has already closed, and an async coroutine's calls (or factory) whose task is dropped.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CoroutineAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.All.ToImmutableArray();

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        // Roslyn counts a '#line hidden' region of a user's file as generated code: with GeneratedCodeAnalysisFlags.None
        // it skips the template around it and drops diagnostics inside it, so a CORO error there would leave the template
        // without code and without a word. So generated code is analyzed, and the actions skip generated files themselves.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var attribute = start.Compilation.GetTypeByMetadataName(TemplateParser.AttributeName);
            if (attribute is null)
            {
                return;
            }

            // Whether a file is generated, decided once per file in this compilation (the actions run per node).
            var generatedFiles = new System.Collections.Concurrent.ConcurrentDictionary<SyntaxTree, bool>();
            bool Generated(SyntaxTree? tree, System.Threading.CancellationToken ct) =>
                tree is not null && generatedFiles.GetOrAdd(tree, t => IsGeneratedFile(t, ct));

            // What the templates of this compilation share while they are read (FactoryCalls), made once for it.
            var templates = new CompilationContext(start.Compilation);
            start.RegisterSyntaxNodeAction(c => { if (!Generated(c.Node.SyntaxTree, c.CancellationToken)) AnalyzeMethod(c, attribute, templates); }, SyntaxKind.MethodDeclaration);
            start.RegisterSyntaxNodeAction(
                c => { if (!Generated(c.Node.SyntaxTree, c.CancellationToken)) AnalyzeTypeDeclaration(c, attribute); },
                SyntaxKind.ClassDeclaration, SyntaxKind.StructDeclaration, SyntaxKind.RecordDeclaration, SyntaxKind.RecordStructDeclaration, SyntaxKind.InterfaceDeclaration);
            start.RegisterSyntaxNodeAction(c => { if (!Generated(c.Node.SyntaxTree, c.CancellationToken)) AnalyzeLocalFunction(c, attribute); }, SyntaxKind.LocalFunctionStatement);
            start.RegisterOperationAction(c => { if (!Generated(c.Operation.Syntax.SyntaxTree, c.CancellationToken)) AnalyzeInvocation(c, attribute); }, OperationKind.Invocation);
            start.RegisterOperationBlockAction(c => { if (!Generated(c.OwningSymbol.Locations.FirstOrDefault()?.SourceTree, c.CancellationToken)) SendAfterClose.Analyze(c); });
            start.RegisterOperationAction(c => { if (!Generated(c.Operation.Syntax.SyntaxTree, c.CancellationToken)) SendAsyncNotAwaited.Analyze(c, attribute); }, OperationKind.Invocation);
            start.RegisterOperationAction(c => { if (!Generated(c.Operation.Syntax.SyntaxTree, c.CancellationToken)) SendAsyncNotAwaited.AnalyzeInvalid(c); }, OperationKind.Invalid);

            // CORO0011: calls that bind to a template (or fail to bind, with only a template to bind to).
            var templateErrors = new System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, DiagnosticInfo?>(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(
                c => { if (!Generated(c.Operation.Syntax.SyntaxTree, c.CancellationToken)) TemplateCalls.Analyze(c, attribute, templates, templateErrors); },
                OperationKind.Invocation, OperationKind.Invalid);
        });
    }

    /// <summary>
    /// A generated file, by the conventions the compiler uses for generated code: a <c>.g.cs</c>, <c>.g.i.cs</c>,
    /// <c>.designer.cs</c> or <c>.generated.cs</c> name, or a file that starts with an <c>&lt;auto-generated</c>
    /// comment (as every file CoroutineGen writes does).
    /// </summary>
    private static bool IsGeneratedFile(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
    {
        var name = System.IO.Path.GetFileName(tree.FilePath);
        if (name.EndsWith(".g.cs", System.StringComparison.OrdinalIgnoreCase) || name.EndsWith(".g.i.cs", System.StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".designer.cs", System.StringComparison.OrdinalIgnoreCase) || name.EndsWith(".generated.cs", System.StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("TemporaryGeneratedFile_", System.StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var trivia in tree.GetRoot(cancellationToken).GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
            {
                var text = trivia.ToString();
                if (text.IndexOf("<auto-generated", System.StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("<autogenerated", System.StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }
            else if (!trivia.IsKind(SyntaxKind.WhitespaceTrivia) && !trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                break;
            }
        }

        return false;
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute) =>
        symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context, INamedTypeSymbol attribute, CompilationContext templates)
    {
        var syntax = (MethodDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method || !HasAttribute(method, attribute))
        {
            return;
        }

        var parsed = TemplateParser.Parse(syntax, method, context.SemanticModel, templates, context.CancellationToken);
        var diagnostics = parsed.Diagnostics.ToList();
        if (parsed.Model is { } model)
        {
            diagnostics.AddRange(CoroutineLowerer.Lower(model, context.CancellationToken).Diagnostics);
        }

        var tree = syntax.SyntaxTree;
        foreach (var info in diagnostics.Distinct())
        {
            if (info.Id == DiagnosticDescriptors.TypeNotPartial.Id)
            {
                continue; // reported from the type declaration (AnalyzeTypeDeclaration)
            }

            var location = Location.Create(tree, new TextSpan(info.Span.Start, info.Span.Length));
            context.ReportDiagnostic(Create(DiagnosticDescriptors.Get(info.Id), location, syntax.Identifier.GetLocation(), info.Arguments.ToArray<object>()));
        }
    }

    /// <summary>
    /// CORO0001, on each declaration of a type that lacks 'partial' and holds a template (directly or nested). Reported
    /// here rather than with the template's other diagnostics so that it is local to the node analyzed, which the IDE
    /// needs to show it live and offer the fix, also for a part of the type in another file.
    /// </summary>
    private static void AnalyzeTypeDeclaration(SyntaxNodeAnalysisContext context, INamedTypeSymbol attribute)
    {
        var declaration = (TypeDeclarationSyntax)context.Node;
        if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
            || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not INamedTypeSymbol type)
        {
            return;
        }

        // One diagnostic per declaration, naming the first template that needs it: the fix is the same for all.
        var template = TemplatesIn(type, attribute)
            .FirstOrDefault(t => TemplateParser.NonPartialDeclarations(t, context.CancellationToken).Any(d => d.Declaration == declaration));
        if (template is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TypeNotPartial, declaration.Identifier.GetLocation(), type.Name, template.Name));
        }
    }

    private static IEnumerable<IMethodSymbol> TemplatesIn(INamedTypeSymbol type, INamedTypeSymbol attribute)
    {
        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case IMethodSymbol method when method.PartialImplementationPart is null && HasAttribute(method, attribute):
                    yield return method;
                    break;
                case INamedTypeSymbol nested:
                    foreach (var template in TemplatesIn(nested, attribute))
                    {
                        yield return template;
                    }

                    break;
            }
        }
    }

    private static void AnalyzeLocalFunction(SyntaxNodeAnalysisContext context, INamedTypeSymbol attribute)
    {
        var syntax = (LocalFunctionStatementSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is IMethodSymbol function && HasAttribute(function, attribute))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidSignature, syntax.Identifier.GetLocation(), function.Name,
                "a local function cannot be a template; make it a method of a partial type"));
        }
    }

    /// <summary>Receive()/Yield() in a method that is not a template (inside a template, the parser reports misplaced calls).</summary>
    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol attribute)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod is not { Name: "Receive" or "Yield" or "YieldFrom" } target || !TemplateParser.IsInbox(target.ContainingType))
        {
            return;
        }

        if (context.ContainingSymbol is IMethodSymbol { MethodKind: not (MethodKind.LocalFunction or MethodKind.AnonymousFunction) } owner && HasAttribute(owner, attribute))
        {
            return; // in a template (in a lambda or local function there too): the parser reports misplaced calls
        }

        var member = invocation.SemanticModel?.GetEnclosingSymbol(invocation.Syntax.SpanStart, context.CancellationToken) ?? context.ContainingSymbol;
        while (member is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction } nested)
        {
            if (nested.MethodKind == MethodKind.LocalFunction && HasAttribute(nested, attribute))
            {
                return; // a local function marked [Coroutine]: CORO0002 says that it cannot be a template
            }

            member = nested.ContainingSymbol;
        }

        if (member is IMethodSymbol method && HasAttribute(method, attribute))
        {
            return;
        }

        var fallback = member?.Locations.FirstOrDefault(l => l.IsInSource && l.SourceTree == invocation.Syntax.SyntaxTree);
        context.ReportDiagnostic(Create(DiagnosticDescriptors.SuspensionOutsideTemplate, invocation.Syntax.GetLocation(), fallback, target.Name + "()",
            $"'{member?.Name}' is not a [Coroutine] template, so the call would throw at run time; make '{member?.Name}' a template (mark it [Coroutine], with the inbox as its first parameter) or receive in one"));
    }

    /// <summary>
    /// A diagnostic at <paramref name="location"/>, unless that lies in a <c>#line hidden</c> region: the compiler drops
    /// an analyzer's diagnostic there, which would leave a template without code and without a word. It is then
    /// reported at <paramref name="fallback"/> (the template's or method's name), with its real place as an
    /// additional location.
    /// </summary>
    private static Diagnostic Create(DiagnosticDescriptor descriptor, Location location, Location? fallback, params object[] arguments)
    {
        static bool Hidden(Location l) => l.SourceTree is { } tree && tree.GetLineVisibility(l.SourceSpan.Start) == LineVisibility.Hidden;
        return fallback is not null && Hidden(location) && !Hidden(fallback)
            ? Diagnostic.Create(descriptor, fallback, arguments)
            : Diagnostic.Create(descriptor, location, arguments);
    }
}
