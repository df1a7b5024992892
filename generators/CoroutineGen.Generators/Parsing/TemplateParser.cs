using System;
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

/// <summary>What parsing one template produced: the model (when the template can be generated) and the diagnostics.</summary>
internal sealed record ParseResult(TemplateModel? Model, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// Reads one <c>[Coroutine]</c> template with the semantic model and produces its <see cref="TemplateModel"/>.
/// This is also the validator: the analyzers run exactly this (and the lowering) to report diagnostics, so the
/// generator and the IDE never disagree about what is valid.
/// </summary>
internal static class TemplateParser
{

    public const string AttributeName = "CoroutineGen.CoroutineAttribute";

    /// <summary>
    /// Reads the template <paramref name="syntax"/> (<paramref name="method"/>) with <paramref name="model"/>;
    /// <paramref name="compilation"/> holds what the templates of the model's compilation share (made once per
    /// compilation by the caller).
    /// </summary>
    public static ParseResult Parse(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel model, CompilationContext compilation, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        try
        {
            return ParseCore(syntax, method, model, compilation, diagnostics, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (InsufficientExecutionStackException)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct.Id, TemplateContext.Span(syntax.Identifier.GetLocation()), method.Name,
                "the body is nested too deeply to be lowered; split it into smaller methods"));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError.Id, TemplateContext.Span(syntax.Identifier.GetLocation()), method.Name, e.GetType().Name + ": " + e.Message));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>
    /// CORO0001, CORO0002 and CORO0008: everything about the template that decides whether it has a factory, before
    /// its body is read. Returns the inbox parameter (null when there is none).
    /// </summary>
    internal static IParameterSymbol? CheckSignature(MethodDeclarationSyntax syntax, IMethodSymbol method, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        void Report(string id, Location location, params string[] args) => diagnostics.Add(DiagnosticInfo.Create(id, TemplateContext.Span(location), args));

        var name = method.Name;
        var identifier = syntax.Identifier.GetLocation();

        // ---- the enclosing types must be partial (CORO0001) ----
        // The analyzer reports these from the type declarations (see CoroutineAnalyzer), so that they are local
        // diagnostics there and the IDE offers the code fix; here they only keep the generator from emitting.
        foreach (var (type, declaration) in NonPartialDeclarations(method, cancellationToken))
        {
            Report(DiagnosticDescriptors.TypeNotPartial.Id, declaration.Identifier.GetLocation(), type.Name, name);
        }

        // ---- the signature (CORO0002) ----
        void Invalid(Location location, string why) => Report(DiagnosticDescriptors.InvalidSignature.Id, location, name, why);
        IParameterSymbol? inbox = null;
        var misplacedInbox = -1;
        if (method.Parameters.Length == 0 || !IsInbox(method.Parameters[0].Type))
        {
            for (int i = 1; i < method.Parameters.Length && misplacedInbox < 0; i++)
            {
                if (IsInbox(method.Parameters[i].Type) && i < syntax.ParameterList.Parameters.Count)
                {
                    misplacedInbox = i;
                }
            }

            if (misplacedInbox > 0)
            {
                Invalid(syntax.ParameterList.Parameters[misplacedInbox].GetLocation(), $"the inbox parameter '{method.Parameters[misplacedInbox].Name}' must be the first parameter; move it first");
            }
            else
            {
                Invalid(syntax.ParameterList.GetLocation(), "the first parameter must be the coroutine's inbox, an Inbox<T> (or Inbox<TIn, TOut> to yield values back); add one, e.g. 'Inbox<string> inbox'");
            }
        }
        else
        {
            inbox = method.Parameters[0];
            if (inbox.RefKind != RefKind.None)
            {
                Invalid(syntax.ParameterList.Parameters[0].GetLocation(), $"the inbox is passed by value; remove '{RefKindText(syntax.ParameterList.Parameters[0], inbox.RefKind)}'");
            }
        }

        for (int i = 1; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            var location = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i].GetLocation() : identifier;
            if (IsInbox(parameter.Type))
            {
                if (i != misplacedInbox)
                {
                    Invalid(location, $"a template has exactly one inbox, its first parameter; '{parameter.Name}' is a second one: remove it");
                }
            }
            else if (parameter.RefKind != RefKind.None)
            {
                Invalid(location, $"parameter '{parameter.Name}' is passed by reference ('{RefKindText(syntax.ParameterList.Parameters[Math.Min(i, syntax.ParameterList.Parameters.Count - 1)], parameter.RefKind)}'); the coroutine outlives the call, so its parameters are passed by value: remove the modifier");
            }
            else if (parameter.Type.IsRefLikeType)
            {
                Invalid(location, $"parameter '{parameter.Name}' is a ref struct ('{parameter.Type.ToDisplayString()}'), which cannot be stored in the coroutine; pass an array, a Memory<T> or a string instead");
            }
            else if (TypeNames.Of(parameter.Type) is null)
            {
                Invalid(location, $"the type of parameter '{parameter.Name}' cannot be named in generated code; use a type that can be named");
            }
        }

        if (method.IsAsync && AsyncResultType(method) is null)
        {
            Invalid(syntax.ReturnType.GetLocation(), $"an async template returns Task, ValueTask, Task<R> or ValueTask<R> (not '{method.ReturnType.ToDisplayString()}'): its coroutine is an IAsyncCoroutine, whose factory, SendAsync, ThrowAsync and CloseAsync return tasks; return Task (Task<R> to return a value)");
        }

        if (method.IsAbstract || method.IsExtern || method.IsPartialDefinition || method.PartialImplementationPart is not null || method.PartialDefinitionPart is not null || (syntax.Body is null && syntax.ExpressionBody is null))
        {
            Invalid(identifier, "a template must be an ordinary method with a body (not abstract, extern or partial)");
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            Invalid(syntax.ReturnType.GetLocation(), "a template cannot return by reference; return by value");
        }
        else if (!method.IsAsync && !method.ReturnsVoid && (method.ReturnType.IsRefLikeType || TypeNames.Of(method.ReturnType) is null))
        {
            Invalid(syntax.ReturnType.GetLocation(), "the return type must be a type that can be stored in the coroutine (not a ref struct); return a named class or struct type");
        }

        if (!method.IsStatic && method.ContainingType.IsValueType)
        {
            Invalid(identifier, "an instance template cannot be declared in a struct: the coroutine would hold a copy of it; make the template static and pass the struct as a parameter");
        }

        if (inbox is not null && ((INamedTypeSymbol)inbox.Type).TypeArguments.Any(ContainsDynamic))
        {
            Invalid(syntax.ParameterList.Parameters[0].GetLocation(), "the inbox's type arguments cannot be or contain 'dynamic': the generated class implements ICoroutine<...> with them, and C# forbids implementing an interface over 'dynamic'; use 'object' instead");
        }

        if (syntax.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault(t => t.Modifiers.Any(SyntaxKind.FileKeyword)) is { } fileType)
        {
            Invalid(identifier, $"a template cannot be declared in a file-local type ('file' on '{fileType.Identifier.ValueText}'): the generated factory and class go into another file, and C# keeps a file-local type's parts in one file; remove 'file' or move the template to another type");
        }

        if (method.ContainingType.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface))
        {
            // A C# 14 extension block (TypeKind.Extension, which Roslyn 4.8's API does not name) or anything newer.
            Invalid(identifier, "a template must be declared in a partial class, struct or record (not in an extension block); move it to the enclosing static class");
        }
        else if (method.ContainingType.TypeKind == TypeKind.Interface)
        {
            Invalid(identifier, "a template cannot be declared in an interface; declare it in a partial class or struct");
        }

        if (syntax.Modifiers.Any(SyntaxKind.UnsafeKeyword))
        {
            Invalid(identifier, "a template cannot be unsafe; move the unsafe code into a separate method");
        }

        if (method.MethodKind != MethodKind.Ordinary)
        {
            Invalid(identifier, "only an ordinary method can be a template (not an explicit interface implementation, operator or accessor)");
        }

        var bodyNode = (SyntaxNode?)syntax.Body ?? syntax.ExpressionBody;
        if (bodyNode is not null)
        {
            foreach (var node in bodyNode.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
            {
                if (node is YieldStatementSyntax yieldStatement)
                {
                    Invalid(yieldStatement.YieldKeyword.GetLocation(), "a template cannot be an iterator ('yield'); use inbox.Yield(value) for a bidirectional coroutine");
                }
            }
        }

        // ---- generated names must not collide (CORO0008) ----
        CheckCollisions(method, syntax, diagnostics, cancellationToken);
        return inbox;
    }

    private static ParseResult ParseCore(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel model, CompilationContext compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var name = method.Name;
        var identifier = syntax.Identifier.GetLocation();

        // Read the template where the factories and classes it names exist (FactoryCalls): the generator cannot see
        // the ones it generates.
        var callDiagnostics = new List<DiagnosticInfo>();
        (model, method) = FactoryCalls.Resolve(syntax, method, model, compilation, callDiagnostics, cancellationToken);
        var inbox = CheckSignature(syntax, method, diagnostics, cancellationToken);
        var bodyNode = (SyntaxNode?)syntax.Body ?? syntax.ExpressionBody;

        if (inbox is null || bodyNode is null || diagnostics.Any(d => d.IsError))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        // ---- the body ----
        diagnostics.AddRange(callDiagnostics);
        if (diagnostics.Any(d => d.IsError))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var context = new TemplateContext(model, method, syntax, inbox, cancellationToken);
        FindSuspensionPoints(context, bodyNode);
        CheckBody(context, bodyNode);
        if (context.Diagnostics.Any(d => d.IsError))
        {
            diagnostics.AddRange(context.Diagnostics);
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        // parameters first, so that their local ids are 0..n-1 in declaration order
        var parameters = new List<ParameterModel>();
        for (int i = 1; i < method.Parameters.Length; i++)
        {
            var p = method.Parameters[i];
            var id = context.LocalId(p, syntax.ParameterList.Parameters[i]);
            var parameterSyntax = syntax.ParameterList.Parameters[i];
            parameters.Add(new ParameterModel(
                EscapeIdentifier(p.Name),
                TypeNames.Of(p.Type)!,
                parameterSyntax.Default?.Value.ToString(),
                p.IsParams,
                id));
        }

        var binder = new BodyBinder(context);
        var block = binder.BindBody(syntax);
        diagnostics.AddRange(context.Diagnostics);
        // A template whose only Receive()/Yield() is misspelled has the compiler's error; "never suspends" would be noise.
        // One that returns a value is a subroutine for YieldFrom (Python's generator with a dead `yield` to be one).
        if (context.SuspensionPoints.Count == 0 && !context.HasUnboundInboxMember && ResultType(method) is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NeverSuspends.Id, TemplateContext.Span(identifier), name,
                Primes(method) ? "it runs to completion when the factory primes it" : "it runs to completion when Send(default) starts it"));
        }

        if (diagnostics.Any(d => d.IsError))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var inboxType = (INamedTypeSymbol)inbox.Type;
        var signature = new SignatureModel(
            Name: EscapeIdentifier(method.Name),
            Accessibility: FactoryAccessibility(method),
            IsStatic: method.IsStatic,
            ClassName: method.Name + "Coroutine",
            TypeParameters: method.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", method.TypeParameters.Select(t => EscapeIdentifier(t.Name))) + ">",
            TypeArguments: method.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", method.TypeParameters.Select(t => EscapeIdentifier(t.Name))) + ">",
            ConstraintClauses: method.TypeParameters.Select(ConstraintClause).Where(c => c is not null).Select(c => c!).ToEquatableArray(),
            Parameters: parameters.ToEquatableArray(),
            InboxName: inbox.Name,
            InType: TypeNames.Of(inboxType.TypeArguments[0]) ?? "object",
            OutType: inboxType.TypeArguments.Length == 2 ? TypeNames.Of(inboxType.TypeArguments[1]) ?? "object" : null,
            ReturnType: ResultType(method) is { } result ? TypeNames.Of(result) : null,
            ContainingType: method.ContainingType.ToDisplayString(TypeNames.PlainFormat),
            DisplayName: method.ContainingType.Name + "." + method.Name,
            FilePath: syntax.SyntaxTree.FilePath,
            Span: TemplateContext.Span(identifier),
            Primes: Primes(method),
            Documentation: TemplateDocumentation.Read(syntax, inbox.Name),
            Async: method.IsAsync
                ? new AsyncModel(
                    ((CSharpParseOptions)syntax.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp10
                    && model.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder") is not null)
                : null);

        var nullable = model.GetNullableContext(bodyNode.SpanStart);
        var annotations = nullable.AnnotationsEnabled();
        var warnings = nullable.WarningsEnabled();
        var nullableDirective = (annotations, warnings) switch
        {
            (true, true) => "enable",
            (true, false) => "enable annotations",
            (false, true) => "enable warnings",
            _ => "disable",
        };

        var body = new BodyModel(
            block,
            context.Locals.ToEquatableArray(),
            context.Scopes.ToEquatableArray(),
            context.SuspensionPoints.Count,
            context.JumpTargetCount,
            context.CatchCount,
            context.CapturedByLocalFunction.OrderBy(i => i).ToEquatableArray(),
            context.CapturesThis,
            DeclaresLocalFunctions(bodyNode),
            context.ReadsCancellationToken);

        var templateModel = new TemplateModel(
            HintName(method),
            TemplateId(method, identifier),
            compilation.UsingsOf(syntax.SyntaxTree),
            Namespaces(syntax),
            ContainingTypes(syntax),
            nullableDirective,
            annotations,
            ((CSharpParseOptions)syntax.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp8,
            signature,
            body);
        return new ParseResult(templateModel, diagnostics.ToEquatableArray());
    }

    private static string RefKindText(ParameterSyntax parameter, RefKind kind)
    {
        var modifiers = parameter.Modifiers.Where(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword) || m.IsKind(SyntaxKind.ReadOnlyKeyword)).ToList();
        return modifiers.Count > 0 ? string.Join(" ", modifiers.Select(m => m.Text)) : kind.ToString().ToLowerInvariant();
    }

    public static bool IsInbox(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Inbox", Arity: 1 or 2 } named && named.ContainingNamespace?.ToDisplayString() == "CoroutineGen";

    /// <summary>CORO0001: the declarations (parts) of the types around <paramref name="method"/> that are not partial.</summary>
    public static IEnumerable<(INamedTypeSymbol Type, TypeDeclarationSyntax Declaration)> NonPartialDeclarations(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var type in EnclosingTypes(method))
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    yield return (type, declaration);
                }
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> EnclosingTypes(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            yield return type;
        }
    }

    private static bool IsSuspensionMethod(IMethodSymbol? symbol) =>
        symbol is { Name: "Receive" or "Yield" or "YieldFrom" } && IsInbox(symbol.ContainingType);

    /// <summary>Finds Receive()/Yield()/YieldFrom() calls; marks them and their ancestors as suspending; reports misplaced ones (CORO0003).</summary>
    private static void FindSuspensionPoints(TemplateContext context, SyntaxNode body)
    {
        foreach (var invocation in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            // Only a call whose method is named Receive or Yield can be one (a method group cannot be renamed by an
            // alias): asking the semantic model about every other call of the body would bind each one for nothing.
            if (InvokedName(invocation.Expression) is not ("Receive" or "Yield" or "YieldFrom"))
            {
                continue;
            }

            var symbol = context.MethodOf(invocation);
            if (!IsSuspensionMethod(symbol))
            {
                continue;
            }

            var method = symbol!.Name + "()";
            var receiver = (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
            var receiverSymbol = receiver is SimpleNameSyntax receiverName ? context.SymbolOf(receiverName)
                : receiver is null ? null : context.Model.GetSymbolInfo(receiver, context.CancellationToken).Symbol;
            // (Up to the first node already known to suspend: its ancestors are the template's own statements. So a body
            // with many receives nested deeply is walked once, not once per receive.)
            var nested = invocation.Ancestors().TakeWhile(a => a != body && !context.Suspending.Contains(a)).FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or QueryExpressionSyntax);
            if (nested is not null)
            {
                var what = nested switch
                {
                    LocalFunctionStatementSyntax => "a local function",
                    QueryExpressionSyntax => "a query expression",
                    _ => "a lambda",
                };
                context.Report(DiagnosticDescriptors.SuspensionOutsideTemplate.Id, invocation, method,
                    $"this call is inside {what}, which runs outside the coroutine's state machine; receive in the template body and pass the value in");
                continue;
            }

            if (receiver is not IdentifierNameSyntax || !SymbolEqualityComparer.Default.Equals(receiverSymbol, context.Inbox))
            {
                context.Report(DiagnosticDescriptors.SuspensionOutsideTemplate.Id, invocation, method,
                    $"this call is not on the template's inbox parameter '{context.Inbox.Name}'; call {method.TrimEnd('(', ')')}() on '{context.Inbox.Name}' instead");
                continue;
            }

            context.SuspensionPoints.Add(invocation);
            for (SyntaxNode? n = invocation; n is not null; n = n.Parent)
            {
                if (!context.Suspending.Add(n) || n == body)
                {
                    break; // the rest of the way up is there already
                }
            }
        }
    }

    /// <summary>The simple name of the method an invocation calls, as written (<c>a.B()</c>, <c>a?.B()</c>, <c>B&lt;T&gt;()</c>: B).</summary>
    internal static string? InvokedName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        ParenthesizedExpressionSyntax parenthesized => InvokedName(parenthesized.Expression),
        _ => null,
    };

    /// <summary>The inbox may only be the receiver of a suspension call (CORO0005); no <c>base</c> access (CORO0004).</summary>
    private static void CheckBody(TemplateContext context, SyntaxNode body)
    {
        // Only a name spelled like a primary constructor parameter of an enclosing type can bind to one: the others
        // need no semantic-model query.
        var primaryParameters = new HashSet<string>(
            EnclosingTypes(context.Method).SelectMany(t => t.InstanceConstructors)
                .Where(c => c.DeclaringSyntaxReferences.Any(r => r.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax))
                .SelectMany(c => c.Parameters.Select(p => p.Name)));
        foreach (var node in body.DescendantNodes())
        {
            switch (node)
            {
                case IdentifierNameSyntax identifier when identifier.Identifier.ValueText == context.Inbox.Name:
                {
                    var symbol = context.SymbolOf(identifier);
                    if (!SymbolEqualityComparer.Default.Equals(symbol, context.Inbox))
                    {
                        break;
                    }

                    if (identifier.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax call } access
                        && access.Expression == identifier
                        && (context.SuspensionPoints.Contains(call) || context.Diagnostics.Any(d => d.Span.Start == call.SpanStart)))
                    {
                        break;
                    }

                    if (identifier.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CancellationToken" } tokenAccess && tokenAccess.Expression == identifier)
                    {
                        // The token of the call that runs the body: a field of an async coroutine.
                        if (!context.Method.IsAsync)
                        {
                            context.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, tokenAccess, context.TemplateName,
                                $"'{context.Inbox.Name}.CancellationToken' is the token of the SendAsync, ThrowAsync or CloseAsync call running an async template; a synchronous template has none: make the template async, or pass a token as a parameter");
                        }

                        break;
                    }

                    if (identifier.Ancestors().Any(a => a is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } }))
                    {
                        break;
                    }

                    // A member that does not bind (a typo such as inbox.Recieve(), or Yield() on a one-way Inbox<T>)
                    // is the compiler's error already; the inbox does not escape through it.
                    if (identifier.Parent is MemberAccessExpressionSyntax unbound && unbound.Expression == identifier && DoesNotBind(context, unbound))
                    {
                        context.HasUnboundInboxMember = true;
                        break;
                    }

                    var how = identifier.Parent switch
                    {
                        ArgumentSyntax => "it is passed as an argument",
                        AssignmentExpressionSyntax or EqualsValueClauseSyntax => "it is stored",
                        _ when identifier.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax) => "it is captured by a lambda or local function",
                        ReturnStatementSyntax or ArrowExpressionClauseSyntax => "it is returned",
                        _ => "it is used as a value",
                    };
                    context.Report(DiagnosticDescriptors.InboxEscapes.Id, identifier, context.Inbox.Name, how);
                    break;
                }

                case IdentifierNameSyntax identifier when primaryParameters.Contains(identifier.Identifier.ValueText) && context.Model.GetSymbolInfo(identifier, context.CancellationToken).Symbol is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } } primary:
                    context.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, identifier, context.TemplateName,
                        $"the primary constructor parameter '{primary.Name}' cannot be used from the coroutine, which is a separate class; store it in a field or property of the type and use that");
                    break;

                // Also in lambdas and local functions: they are copied into the state machine class, where 'base' would
                // silently mean that class's base (object).
                case BaseExpressionSyntax:
                    context.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, node, context.TemplateName, "'base' cannot be used in a template, nor in its lambdas and local functions: the body runs in the generated state machine class, where 'base' means something else; call a helper method of this type that uses base instead");
                    break;

                case AwaitExpressionSyntax awaitExpression when !context.Method.IsAsync && !node.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax):
                    context.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, awaitExpression.AwaitKeyword, context.TemplateName, "'await' can only be used in an async template (declare it 'async Task'); a synchronous coroutine suspends with Receive() or Yield() only");
                    break;

                case StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax when context.Suspends(body) && IsOnSuspendingPath(context, node):
                    context.ReportAtSuspensions(DiagnosticDescriptors.UnsupportedConstruct.Id, node, context.TemplateName, "a suspension point inside a 'stackalloc' expression is not supported: stack memory does not survive a suspension; receive into a local first");
                    break;

                case FixedStatementSyntax or UnsafeStatementSyntax or PointerTypeSyntax or FunctionPointerTypeSyntax when context.Suspends(body) && IsOnSuspendingPath(context, node):
                    context.ReportAtSuspensions(DiagnosticDescriptors.UnsupportedConstruct.Id, node, context.TemplateName, $"a suspension point inside {(node is FixedStatementSyntax ? "a 'fixed' statement" : "an 'unsafe' block")} is not supported: pointers and pinned memory cannot live in the state machine; receive before it, outside the unsafe code");
                    break;
            }
        }
    }

    /// <summary>The member access binds to nothing: the compiler reports it (CS1061, CS1501...). Late binding (dynamic arguments) does bind.</summary>
    private static bool DoesNotBind(TemplateContext context, MemberAccessExpressionSyntax access)
    {
        SyntaxNode node = access.Parent is InvocationExpressionSyntax call && call.Expression == access ? call : access;
        var info = context.Model.GetSymbolInfo(node, context.CancellationToken);
        return info.Symbol is null && info.CandidateReason != CandidateReason.LateBound;
    }

    private static bool IsOnSuspendingPath(TemplateContext context, SyntaxNode node) => node.Ancestors().Any(context.Suspends) && context.Suspends(node);

    private static void CheckCollisions(IMethodSymbol method, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var type = method.ContainingType;
        var factoryParameters = method.Parameters.Skip(1).Select(p => p.Type).ToList();
        var className = method.Name + "Coroutine";
        var location = TemplateContext.Span(syntax.Identifier.GetLocation());

        // Only members named like the factory or the class can collide (GetMembers(name) is a lookup, where walking every
        // member of the type for every template of it would be quadratic in the templates of a type).
        foreach (var member in type.GetMembers(method.Name).Concat(type.GetMembers(className)))
        {
            if (IsGenerated(member))
            {
                continue;
            }

            if (member is IMethodSymbol other && other.Name == method.Name && !SymbolEqualityComparer.Default.Equals(other, method)
                && !SymbolEqualityComparer.Default.Equals(other, method.PartialDefinitionPart) && !SymbolEqualityComparer.Default.Equals(other, method.PartialImplementationPart))
            {
                var otherParameters = other.Parameters.Select(p => p.Type).ToList();
                var otherIsTemplate = other.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == AttributeName) && other.Parameters.Length > 0 && IsInbox(other.Parameters[0].Type);
                if (otherIsTemplate)
                {
                    otherParameters = otherParameters.Skip(1).ToList();
                }

                if (other.TypeParameters.Length == method.TypeParameters.Length && SameTypes(factoryParameters, otherParameters))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision.Id, location, method.Name,
                        $"factory '{method.Name}({string.Join(", ", factoryParameters.Select(t => t.ToDisplayString()))})'",
                        otherIsTemplate ? $"the factory of the template '{other.ToDisplayString()}'" : $"the existing method '{other.ToDisplayString()}'"));
                }

                if (otherIsTemplate && other.TypeParameters.Length == method.TypeParameters.Length && !SameTypes(factoryParameters, otherParameters))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision.Id, location, method.Name,
                        $"class '{className}'", $"the class generated for the template '{other.ToDisplayString()}' (overloaded templates need different names)"));
                }
            }

            if (member.Name == className && !(member is INamedTypeSymbol named && named.Arity != method.TypeParameters.Length))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision.Id, location, method.Name,
                    $"class '{className}'", $"the existing member '{member.ToDisplayString()}'"));
            }
        }

        _ = cancellationToken;
    }

    private static bool SameTypes(List<ITypeSymbol> a, List<ITypeSymbol> b) =>
        a.Count == b.Count && a.Zip(b, (x, y) => SymbolEqualityComparer.Default.Equals(x, y) || SameTypeParameterPosition(x, y)).All(s => s);

    private static bool SameTypeParameterPosition(ITypeSymbol x, ITypeSymbol y) =>
        x is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } tx && y is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } ty && tx.Ordinal == ty.Ordinal;

    /// <summary>Members this generator added (the analyzers see the generated code).</summary>
    public static bool IsGenerated(ISymbol member) =>
        member.GetAttributes().Any(a => a.AttributeClass?.Name == "GeneratedCodeAttribute" && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == "CoroutineGen");

    internal static string? ConstraintClause(ITypeParameterSymbol parameter)
    {
        var constraints = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
        {
            constraints.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }
        else if (parameter.HasUnmanagedTypeConstraint)
        {
            constraints.Add("unmanaged");
        }
        else if (parameter.HasValueTypeConstraint)
        {
            constraints.Add("struct");
        }
        else if (parameter.HasNotNullConstraint)
        {
            constraints.Add("notnull");
        }

        foreach (var type in parameter.ConstraintTypes)
        {
            constraints.Add(type.ToDisplayString(TypeNames.Format));
        }

        if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint && !parameter.HasUnmanagedTypeConstraint)
        {
            constraints.Add("new()");
        }

        return constraints.Count == 0 ? null : $"where {EscapeIdentifier(parameter.Name)} : {string.Join(", ", constraints)}";
    }

    internal static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.RecordKeyword ? "@" + name : name;

    /// <summary>
    /// The template's documentation comment id and where it is declared (file, line, column), so that even two
    /// declarations of one method (an error the user is about to fix) have different ids.
    /// </summary>
    private static string TemplateId(IMethodSymbol method, Location identifier)
    {
        var position = identifier.GetLineSpan();
        return $"{method.GetDocumentationCommentId() ?? method.ToDisplayString()} at {position.Path}({position.StartLinePosition.Line + 1},{position.StartLinePosition.Character + 1})";
    }

    /// <summary>
    /// The accessibility of the factory and the coroutine class: the template's, or what
    /// <c>[Coroutine(Accessibility = CoroutineAccessibility.X)]</c> asks for (so a <c>private</c> template can have a
    /// public factory, and callers meet only the factory). Decided here for the emitter and for the declarations the
    /// generator makes of factories that templates call.
    /// </summary>
    internal static string FactoryAccessibility(IMethodSymbol method) => AttributeArgument(method, "Accessibility") switch
    {
        1 => "public",
        2 => "internal",
        3 => "protected internal",
        4 => "protected",
        5 => "private protected",
        6 => "private",
        _ => AccessibilityText(method.DeclaredAccessibility),
    };

    /// <summary>
    /// What an <c>async</c> template returns: <c>Task</c>/<c>ValueTask</c> (no value: <see cref="AsyncResult.Value"/> is
    /// null) or <c>Task&lt;R&gt;</c>/<c>ValueTask&lt;R&gt;</c> (R); null for any other type (an async void or a custom task type).
    /// </summary>
    internal static AsyncResult? AsyncResultType(IMethodSymbol method)
    {
        if (method.ReturnType is not INamedTypeSymbol { ContainingNamespace: { } ns } named
            || ns.ToDisplayString() != "System.Threading.Tasks"
            || named.Name is not ("Task" or "ValueTask"))
        {
            return null;
        }

        return named.Arity switch
        {
            0 => new AsyncResult(null),
            1 when !named.TypeArguments[0].IsRefLikeType && TypeNames.Of(named.TypeArguments[0]) is not null => new AsyncResult(named.TypeArguments[0]),
            _ => null,
        };
    }

    internal sealed record AsyncResult(ITypeSymbol? Value);

    /// <summary>The type of the value the template returns (R of <c>Task&lt;R&gt;</c> for an async one), or null for none.</summary>
    internal static ITypeSymbol? ResultType(IMethodSymbol method) =>
        method.IsAsync ? AsyncResultType(method)?.Value : method.ReturnsVoid ? null : method.ReturnType;

    /// <summary><c>[Coroutine(Prime = false)]</c>: the factory does not prime.</summary>
    internal static bool Primes(IMethodSymbol method) => AttributeArgument(method, "Prime") is not false;

    /// <summary>The value of a named argument of the template's <c>[Coroutine]</c> attribute, or null when it is not given.</summary>
    private static object? AttributeArgument(IMethodSymbol method, string name)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == AttributeName)
            {
                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Key == name)
                    {
                        return argument.Value.Value;
                    }
                }
            }
        }

        return null;
    }

    private static bool ContainsDynamic(ITypeSymbol type) => type switch
    {
        IDynamicTypeSymbol => true,
        IArrayTypeSymbol array => ContainsDynamic(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsDynamic),
        _ => false,
    };

    private static string HintName(IMethodSymbol method)
    {
        var builder = new StringBuilder();
        var type = method.ContainingType;
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        var types = new List<string>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            types.Insert(0, t.MetadataName);
        }

        builder.Append(ns).Append(string.Join(".", types)).Append('.').Append(method.MetadataName);
        if (method.TypeParameters.Length > 0)
        {
            builder.Append('`').Append(method.TypeParameters.Length);
        }

        var overloads = type.GetMembers(method.Name).OfType<IMethodSymbol>().Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == AttributeName));
        if (overloads > 1)
        {
            builder.Append('_').Append(HintNames.Fnv(string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString()))).ToString("x8"));
        }

        var sanitized = new StringBuilder();
        foreach (var ch in builder.ToString())
        {
            sanitized.Append(char.IsLetterOrDigit(ch) || ch is '.' or '_' ? ch : '_');
        }

        return sanitized.Append(".g.cs").ToString();
    }

    /// <summary>
    /// The file's extern aliases and using directives, as written without their outer trivia (a node's
    /// <c>ToString()</c>). Read once per file of the compilation and kept in <see cref="CompilationContext"/>.
    /// </summary>
    internal static EquatableArray<string> ReadCompilationUnitUsings(SyntaxTree tree)
    {
        var unit = tree.GetRoot() as CompilationUnitSyntax;
        if (unit is null)
        {
            return EquatableArray<string>.Empty;
        }

        return unit.Externs.Select(e => e.ToString())
            .Concat(unit.Usings.Where(u => u.GlobalKeyword == default).Select(u => u.ToString()))
            .ToEquatableArray();
    }

    /// <summary>
    /// Whether a statement of the body itself (not of a lambda or of another local function) declares a local
    /// function: it lives in the state machine's step method, where code copied out of that method cannot see it.
    /// </summary>
    private static bool DeclaresLocalFunctions(SyntaxNode body) =>
        body.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax).OfType<LocalFunctionStatementSyntax>().Any();

    private static EquatableArray<NamespaceModel> Namespaces(SyntaxNode syntax) =>
        syntax.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse()
            .Select(n => new NamespaceModel(
                n.Name.ToString(),
                n.Externs.Select(e => e.ToString()).Concat(n.Usings.Select(u => u.ToString())).ToEquatableArray()))
            .ToEquatableArray();

    private static EquatableArray<ContainingTypeModel> ContainingTypes(SyntaxNode syntax) =>
        syntax.Ancestors().OfType<TypeDeclarationSyntax>().Reverse()
            .Select(t => new ContainingTypeModel(
                t switch
                {
                    RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                    RecordDeclarationSyntax => "record",
                    StructDeclarationSyntax => "struct",
                    InterfaceDeclarationSyntax => "interface",
                    _ => "class",
                },
                EscapeIdentifier(t.Identifier.ValueText),
                t.TypeParameterList is { } list ? "<" + string.Join(", ", list.Parameters.Select(p => EscapeIdentifier(p.Identifier.ValueText))) + ">" : string.Empty,
                t.Modifiers.Any(SyntaxKind.UnsafeKeyword)))
            .ToEquatableArray();
}
