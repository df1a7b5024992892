using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// Templates that call templates' factories (<c>var s = Sub();</c>, <c>inbox.Yield(Sub())</c>, recursion).
/// </summary>
/// <remarks>
/// <para>
/// The generator reads a template in the compilation without generated code (a generator never sees any generator's
/// output, its own included), where the factory <c>Sub()</c> of the template <c>Sub(Inbox&lt;T&gt; inbox)</c> does not
/// exist: the call fails to bind (the template, one argument short, is its only candidate), or binds to the template
/// itself when the template's other parameters happen to accept the arguments. Every type, local and temporary that
/// depends on the call would then be an error type, or the template's return type.
/// </para>
/// <para>
/// So before a template is read, <see cref="Resolve"/> looks for calls whose candidates (or whose symbol) are
/// templates without a factory, and for names of generated classes that do not exist (<c>List&lt;SubCoroutine&gt;</c>
/// in the body, a parameter <c>SubCoroutine target</c> in the signature, the template's or a callee's), and declares
/// those templates' factories itself: a small syntax tree per template (a
/// <see cref="Stub"/>) with the factory and the public surface of the nested <c>NameCoroutine</c> class, exactly as
/// <see cref="Emit.CoroutineEmitter"/> declares them, added to a copy of the compilation (one per set of stubs, kept in
/// the <see cref="CompilationContext"/>; a call can only show its candidates once the calls around it bind, hence rounds). The template is
/// then read in that compilation, where <c>Sub()</c> binds to the factory and has the type the generated code will have
/// (<c>global::Ns.Type.SubCoroutine</c>, with its type arguments). A stub adds only what a successful generation adds
/// too, so the template reads the same as with the generated code present: which is how the analyzer sees it in the
/// IDE, where the real factories bind (and need no stub) unless the callee could not be generated.
/// </para>
/// <para>
/// A factory exists only for a template whose signature is valid (<see cref="TemplateParser"/>'s CORO0001, 0002 and
/// 0008): a call to a template whose signature is invalid cannot be typed, and is CORO0004 at the call. So is a call
/// that binds to a template itself even with the factories declared (a template is never called: it would throw).
/// </para>
/// </remarks>
internal static class FactoryCalls
{
    /// <summary>How many rounds of declaring factories: a call may only bind (and show its own candidates) once another one does.</summary>
    private const int MaxRounds = 8;

    private const string ClassSuffix = "Coroutine";

    private const int ClassSuffixLength = 9;

    /// <summary>What to read the template with.</summary>
    public readonly record struct Resolution(SemanticModel Model, IMethodSymbol Method);

    /// <summary>
    /// The semantic model (and the template's symbol in it) in which every factory and generated class the template
    /// names exists: the model it was given when it names none that is missing. Calls that cannot be typed are
    /// reported in <paramref name="diagnostics"/>. What can be shared with the other templates of the compilation
    /// (which names are templates' names, the compilations with stubs) is kept in <paramref name="context"/>.
    /// </summary>
    public static Resolution Resolve(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel model, CompilationContext context, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var original = new Resolution(model, method);
        if (!ReferenceEquals(context.Compilation, model.Compilation))
        {
            context = new CompilationContext(model.Compilation); // a model of another compilation: nothing to share
        }

        // Only a call spelled like a template's name can be a factory call, and only a name spelled like a template's
        // name plus "Coroutine" can be its class (List<SubCoroutine>, also in the signature): the others need no
        // semantic-model query.
        var calls = new List<InvocationExpressionSyntax>();
        var body = (SyntaxNode?)syntax.Body ?? syntax.ExpressionBody;
        if (body is not null)
        {
            foreach (var invocation in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (TemplateParser.InvokedName(invocation.Expression) is { } name && context.IsTemplateName(name, cancellationToken))
                {
                    calls.Add(invocation);
                }
            }
        }

        var classNames = ClassNames(syntax, includeBody: true, context, cancellationToken);
        if (calls.Count == 0 && classNames.Count == 0)
        {
            return original;
        }

        var stubs = new SortedDictionary<string, string>(System.StringComparer.Ordinal);
        var current = original;
        for (int round = 0; round < MaxRounds; round++)
        {
            var currentCompilation = current.Model.Compilation;
            var visited = new HashSet<string>();
            var added = false;
            foreach (var call in calls)
            {
                foreach (var template in TemplatesCalled(current.Model.GetSymbolInfo(call, cancellationToken)))
                {
                    added |= TryAdd(template);
                }
            }

            added |= AddNamed(classNames, current.Model);
            if (!added)
            {
                break;
            }

            var augmented = context.WithStubs(stubs, (CSharpParseOptions)syntax.SyntaxTree.Options);
            var augmentedModel = FastSemanticModel.Of(augmented, syntax.SyntaxTree);
            if (augmentedModel.GetDeclaredSymbol(syntax, cancellationToken) is not { } augmentedMethod)
            {
                break;
            }

            current = new Resolution(augmentedModel, augmentedMethod);

            // Declares the factory of a template that has none; when the template's signature names a class that
            // does not exist yet, declares that class's template first (the template is tried again next round).
            bool TryAdd(IMethodSymbol template)
            {
                if (HasFactory(template) || template.GetDocumentationCommentId() is not { } id || stubs.ContainsKey(id) || !visited.Add(id))
                {
                    return false;
                }

                if (Stub(template, currentCompilation, cancellationToken) is { } stub)
                {
                    stubs[id] = stub;
                    return true;
                }

                var declaration = Declaration(template, cancellationToken);
                var signatureNames = declaration is null ? new List<(SimpleNameSyntax, string)>() : ClassNames(declaration, includeBody: false, context, cancellationToken);
                return signatureNames.Count > 0 && AddNamed(signatureNames, currentCompilation.GetSemanticModel(declaration!.SyntaxTree));
            }

            // Names of classes that do not exist (yet): every template so named gets its factory and class.
            bool AddNamed(List<(SimpleNameSyntax Name, string Template)> named, SemanticModel semanticModel)
            {
                var any = false;
                foreach (var (name, templateName) in named)
                {
                    if (semanticModel.GetSymbolInfo(name, cancellationToken).Symbol is not null)
                    {
                        continue;
                    }

                    foreach (var template in currentCompilation.GetSymbolsWithName(templateName, SymbolFilter.Member, cancellationToken).OfType<IMethodSymbol>().Where(IsTemplate))
                    {
                        any |= TryAdd(template);
                    }
                }

                return any;
            }
        }

        // What still does not bind to a factory.
        var inboxName = current.Method.Parameters.Length > 0 ? current.Method.Parameters[0].Name : null;
        foreach (var call in calls)
        {
            var info = current.Model.GetSymbolInfo(call, cancellationToken);
            if (info.Symbol is IMethodSymbol bound && IsTemplate(bound.OriginalDefinition))
            {
                if (call.ArgumentList.Arguments.Any(a => a.Expression is IdentifierNameSyntax { Identifier.ValueText: var text } && text == inboxName))
                {
                    continue; // the inbox passed along: CORO0005 says what is wrong
                }

                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct.Id, TemplateContext.Span(call.GetLocation()), method.Name,
                    $"this call binds to the template '{Display(bound)}' itself, which is never called (it would throw at run time), not to its factory; call the factory with the template's parameters after the inbox, '{bound.Name}({string.Join(", ", bound.Parameters.Skip(1).Select(p => p.Type.ToDisplayString()))})'"));
                continue;
            }

            if (info.Symbol is null && TemplatesCalled(info).FirstOrDefault(t => !HasFactory(t)) is { } missing)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct.Id, TemplateContext.Span(call.GetLocation()), method.Name,
                    $"this call creates the coroutine of the template '{Display(missing)}', whose signature is invalid, so that it has no factory and the call cannot be typed; fix the errors reported on '{missing.Name}'"));
            }
        }

        return current;
    }

    /// <summary>The names spelled like a template's class in a template's signature (and body).</summary>
    private static List<(SimpleNameSyntax Name, string Template)> ClassNames(MethodDeclarationSyntax syntax, bool includeBody, CompilationContext context, CancellationToken cancellationToken)
    {
        var result = new List<(SimpleNameSyntax, string)>();
        var parts = new List<SyntaxNode> { syntax.ReturnType, syntax.ParameterList };
        parts.AddRange(syntax.ConstraintClauses);
        if (includeBody && ((SyntaxNode?)syntax.Body ?? syntax.ExpressionBody) is { } body)
        {
            parts.Add(body);
        }

        foreach (var part in parts)
        {
            foreach (var name in part.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
            {
                var text = name.Identifier.ValueText;
                if (text.Length > ClassSuffixLength && text.EndsWith(ClassSuffix, System.StringComparison.Ordinal))
                {
                    var templateName = text.Substring(0, text.Length - ClassSuffixLength);
                    if (context.IsTemplateName(templateName, cancellationToken))
                    {
                        result.Add((name, templateName));
                    }
                }
            }
        }

        return result;
    }

    private static MethodDeclarationSyntax? Declaration(IMethodSymbol template, CancellationToken cancellationToken) =>
        template.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();

    private static string Display(IMethodSymbol template) => template.ContainingType.Name + "." + template.Name;

    /// <summary>A <c>[Coroutine]</c> method with an inbox first: its factory is the same name without it.</summary>
    public static bool IsTemplate(IMethodSymbol method) =>
        method.MethodKind == MethodKind.Ordinary
        && method.Parameters.Length > 0
        && TemplateParser.IsInbox(method.Parameters[0].Type)
        && method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TemplateParser.AttributeName);

    /// <summary>The templates a call binds to, or that are among its candidates when it does not bind (definitions).</summary>
    private static IEnumerable<IMethodSymbol> TemplatesCalled(SymbolInfo info)
    {
        var symbols = info.Symbol is { } symbol ? new[] { symbol } : info.CandidateSymbols.ToArray();
        foreach (var candidate in symbols)
        {
            if (candidate is IMethodSymbol method && (method.ReducedFrom ?? method).OriginalDefinition is var definition && IsTemplate(definition))
            {
                yield return definition;
            }
        }
    }

    /// <summary>Whether the template's class already exists: generated (the analyzer's view), or declared by a stub.</summary>
    private static bool HasFactory(IMethodSymbol template) =>
        template.ContainingType.GetTypeMembers(template.Name + "Coroutine").Any(TemplateParser.IsGenerated);

    /// <summary>
    /// The factory of <paramref name="template"/> and the public surface of its class, as the emitter declares them
    /// (bodies throw), or null when the template's signature is invalid, so that the generator adds no factory.
    /// </summary>
    private static string? Stub(IMethodSymbol template, Compilation compilation, CancellationToken cancellationToken)
    {
        var declaration = Declaration(template, cancellationToken);
        if (declaration is null)
        {
            return null;
        }

        var signatureDiagnostics = new List<DiagnosticInfo>();
        if (TemplateParser.CheckSignature(declaration, template, signatureDiagnostics, cancellationToken) is not { } inbox || signatureDiagnostics.Any(d => d.IsError))
        {
            return null;
        }

        var inboxType = (INamedTypeSymbol)inbox.Type;
        var inType = TypeNames.Of(inboxType.TypeArguments[0]) ?? "object";
        var outType = inboxType.TypeArguments.Length == 2 ? TypeNames.Of(inboxType.TypeArguments[1]) ?? "object" : null;
        var typeParameters = template.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", template.TypeParameters.Select(t => TemplateParser.EscapeIdentifier(t.Name))) + ">";
        var constraints = string.Concat(template.TypeParameters.Select(TemplateParser.ConstraintClause).Where(c => c is not null).Select(c => " " + c));
        var className = template.Name + "Coroutine" + typeParameters;
        var accessibility = TemplateParser.FactoryAccessibility(template);
        const string generated = "[global::System.CodeDom.Compiler.GeneratedCode(\"CoroutineGen\", \"stub\")]";

        // Default values only need to exist: the caller's code is copied as written, never the stub's.
        var parameters = string.Join(", ", template.Parameters.Skip(1).Select(p =>
            (p.IsParams ? "params " : string.Empty) + TypeNames.Of(p.Type) + " " + TemplateParser.EscapeIdentifier(p.Name) + (p.HasExplicitDefaultValue || p.IsOptional ? " = default" : string.Empty)));

        var text = new StringBuilder();
        text.AppendLine("// CoroutineGen: a template's factory, declared for reading the templates that call it (never emitted).");
        text.AppendLine("#pragma warning disable");
        if (((CSharpParseOptions)declaration.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp8)
        {
            // The template's nullable context, as the emitter writes it: the types read the same as in the generated code.
            var nullable = compilation.GetSemanticModel(declaration.SyntaxTree).GetNullableContext(declaration.SpanStart);
            text.AppendLine((nullable.AnnotationsEnabled(), nullable.WarningsEnabled()) switch
            {
                (true, true) => "#nullable enable",
                (true, false) => "#nullable enable annotations",
                (false, true) => "#nullable enable warnings",
                _ => "#nullable disable",
            });
        }

        var ns = template.ContainingType.ContainingNamespace;
        if (ns is { IsGlobalNamespace: false })
        {
            text.Append("namespace ").Append(ns.ToDisplayString()).AppendLine(" {");
        }

        var types = new List<INamedTypeSymbol>();
        for (var type = template.ContainingType; type is not null; type = type.ContainingType)
        {
            types.Insert(0, type);
        }

        foreach (var type in types)
        {
            var keyword = type switch
            {
                { IsRecord: true, IsValueType: true } => "record struct",
                { IsRecord: true } => "record",
                { TypeKind: TypeKind.Struct } => "struct",
                { TypeKind: TypeKind.Interface } => "interface",
                _ => "class",
            };
            text.Append("partial ").Append(keyword).Append(' ').Append(TemplateParser.EscapeIdentifier(type.Name));
            if (type.TypeParameters.Length > 0)
            {
                text.Append('<').Append(string.Join(", ", type.TypeParameters.Select(t => TemplateParser.EscapeIdentifier(t.Name)))).Append('>');
            }

            text.AppendLine(" {");
        }

        // An async template's factory primes asynchronously (ValueTask<class>) unless it does not prime; its class is an
        // IAsyncCoroutine, as the emitter writes them.
        var isAsync = template.IsAsync;
        var result = TemplateParser.ResultType(template);
        var resultType = result is null ? null : TypeNames.Of(result);
        var primes = TemplateParser.Primes(template);
        text.AppendLine(generated);
        text.Append(accessibility).Append(template.IsStatic ? " static " : " ")
            .Append(isAsync && primes ? "global::System.Threading.Tasks.ValueTask<" + className + ">" : className)
            .Append(' ').Append(TemplateParser.EscapeIdentifier(template.Name)).Append(typeParameters)
            .Append('(').Append(parameters).Append(')').Append(constraints).AppendLine(" { throw null; }");
        text.AppendLine(generated);
        // The interfaces the emitter gives the class (IReturningCoroutine for a template that returns a value).
        var prefix = isAsync ? "global::CoroutineGen.IAsync" : "global::CoroutineGen.I";
        text.Append(accessibility).Append(" sealed class ").Append(className)
            .Append(" : ").Append(prefix).Append(resultType is null ? "Coroutine<" : "ReturningCoroutine<").Append(inType)
            .Append(outType is null ? string.Empty : ", " + outType)
            .Append(resultType is null ? string.Empty : ", " + resultType).Append('>')
            .Append(constraints).AppendLine(" {");
        text.AppendLine("public global::CoroutineGen.CoroutineState State { get { throw null; } }");
        if (outType is not null)
        {
            text.Append("public ").Append(outType).AppendLine(" Current { get { throw null; } }");
        }

        if (resultType is not null)
        {
            text.Append("public ").Append(resultType).AppendLine(" Result { get { throw null; } }");
        }

        if (isAsync)
        {
            const string token = "global::System.Threading.CancellationToken";
            var task = outType is null ? "global::System.Threading.Tasks.ValueTask" : "global::System.Threading.Tasks.ValueTask<" + outType + ">";
            text.Append("public ").Append(task).Append(" SendAsync(").Append(inType).Append(" value, ").Append(token).AppendLine(" cancellationToken = default) { throw null; }");
            text.Append("public ").Append(task).Append(" ThrowAsync(global::System.Exception exception, ").Append(token).AppendLine(" cancellationToken = default) { throw null; }");
            text.Append("public global::System.Threading.Tasks.ValueTask CloseAsync(").Append(token).AppendLine(" cancellationToken = default) { throw null; }");
            text.AppendLine("public global::System.Threading.Tasks.ValueTask DisposeAsync() { throw null; }");
            if (outType is not null)
            {
                text.Append("global::System.Threading.Tasks.ValueTask global::CoroutineGen.IAsyncCoroutine<").Append(inType).Append(">.SendAsync(").Append(inType).Append(" value, ").Append(token).AppendLine(" cancellationToken) { throw null; }");
                text.Append("global::System.Threading.Tasks.ValueTask global::CoroutineGen.IAsyncCoroutine<").Append(inType).Append(">.ThrowAsync(global::System.Exception exception, ").Append(token).AppendLine(" cancellationToken) { throw null; }");
            }
        }
        else
        {
            text.Append("public ").Append(outType ?? "void").Append(" Send(").Append(inType).AppendLine(" value) { throw null; }");
            text.Append("public ").Append(outType ?? "void").AppendLine(" Throw(global::System.Exception exception) { throw null; }");
            text.AppendLine("public void Close() { throw null; }");
            text.AppendLine("public void Dispose() { throw null; }");
            if (outType is not null)
            {
                // A two-way coroutine is also a one-way ICoroutine<TIn>, as the emitted class is.
                text.Append("void global::CoroutineGen.ICoroutine<").Append(inType).Append(">.Send(").Append(inType).AppendLine(" value) { throw null; }");
                text.Append("void global::CoroutineGen.ICoroutine<").Append(inType).AppendLine(">.Throw(global::System.Exception exception) { throw null; }");
            }
        }

        text.AppendLine("}");
        foreach (var _ in types)
        {
            text.AppendLine("}");
        }

        if (ns is { IsGlobalNamespace: false })
        {
            text.AppendLine("}");
        }

        return text.ToString();
    }
}
