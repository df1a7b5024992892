using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace CoroutineGen.CodeFixes;

/// <summary>
/// The fixes that make code await: a synchronous template that needs to (CORO0004 on its <c>await</c>,
/// <c>await foreach</c>, <c>await using</c> or <c>inbox.CancellationToken</c>; CORO0012 on a dropped
/// <c>SendAsync</c> task directly in it) becomes <c>async</c>, <c>void</c> becoming <c>Task</c> and <c>R</c>
/// becoming <c>Task&lt;R&gt;</c>, with the dropped call awaited; in a function that is already async, the dropped call
/// is awaited (CORO0012; not for the other forms of CORO0012, a dropped factory task or a task used as the coroutine);
/// an <c>async void</c> template returns <c>Task</c> (CORO0002). A template is made async only
/// where nothing else in it has to change (<see cref="CanMakeAsync"/>), and an <c>await</c> is only added where C#
/// allows one. Fix All groups the fixes by template, so that each template is changed once and the file gets one
/// <c>using System.Threading.Tasks;</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncTemplateCodeFix)), Shared]
public sealed class AsyncTemplateCodeFix : CodeFixProvider
{
    internal const string MakeAsyncKey = "CORO.MakeTemplateAsync";
    internal const string AwaitKey = "CORO0012.Await";
    internal const string ReturnTaskKey = "CORO0002.ReturnTask";

    private const string TasksNamespace = "System.Threading.Tasks";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InvalidSignature.Id, DiagnosticDescriptors.UnsupportedConstruct.Id, DiagnosticDescriptors.SendAsyncNotAwaited.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly FixAllProvider FixAll = FixAllProvider.Create(async (context, document, diagnostics) =>
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        // Fix All gets every diagnostic of the id: only those this fix (its equivalence key) handles.
        var plans = diagnostics
            .Select(d => Plan(root, model, d, context.CancellationToken))
            .OfType<FixPlan>()
            .Where(p => p.Key == context.CodeActionEquivalenceKey)
            .ToList();
        return plans.Count == 0 ? null : Apply(document, root, model, plans, context.CancellationToken);
    });

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, model, diagnostic, context.CancellationToken) is { } plan)
            {
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(plan.Title, ct => Task.FromResult(Apply(document, root, model, new[] { plan }, ct)), plan.Key),
                    diagnostic);
            }
        }
    }

    /// <summary>What fixing one diagnostic changes: the template to make async (or whose <c>void</c> becomes <c>Task</c>), the call to await.</summary>
    private sealed class FixPlan(string key, string title, MethodDeclarationSyntax? template, ExpressionSyntax? await)
    {
        public string Key { get; } = key;

        public string Title { get; } = title;

        public MethodDeclarationSyntax? Template { get; } = template;

        public ExpressionSyntax? Await { get; } = await;
    }

    private static FixPlan? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var span = diagnostic.Location.SourceSpan;
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(span))
        {
            return null;
        }

        var token = root.FindToken(span.Start);
        var node = root.FindNode(span, getInnermostNodeForTie: true);
        if (diagnostic.Id == DiagnosticDescriptors.InvalidSignature.Id)
        {
            // 'async void' (reported on 'void'): the body is already async; only the return type changes.
            return token.IsKind(SyntaxKind.VoidKeyword) && token.Span == span
                && token.Parent is PredefinedTypeSyntax { Parent: MethodDeclarationSyntax method } type && method.ReturnType == type
                && method.Modifiers.Any(SyntaxKind.AsyncKeyword) && (method.Body is not null || method.ExpressionBody is not null)
                && Templates.IsTemplate(model.GetDeclaredSymbol(method, cancellationToken))
                ? new FixPlan(ReturnTaskKey, "Return 'Task'", method, null)
                : null;
        }

        if (diagnostic.Id == DiagnosticDescriptors.UnsupportedConstruct.Id)
        {
            // 'await', 'await foreach', 'await using' or 'inbox.CancellationToken' in a synchronous template.
            var awaitSite = token.IsKind(SyntaxKind.AwaitKeyword) && token.Span == span ? token.Parent : null;
            var site = awaitSite
                ?? (node is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CancellationToken" } access && access.Span == span ? access : null);
            return site is not null && Templates.EnclosingTemplate(site, model, cancellationToken) is { } template && CanMakeAsync(template, awaitSite, model, cancellationToken)
                ? new FixPlan(MakeAsyncKey, $"Make '{template.Identifier.ValueText}' async", template, null)
                : null;
        }

        if (diagnostic.Id == DiagnosticDescriptors.SendAsyncNotAwaited.Id && node is InvocationExpressionSyntax invocation && invocation.Span == span
            // Only a dropped SendAsync/ThrowAsync/CloseAsync/DisposeAsync: awaiting a factory's dropped task would still
            // drop the coroutine (it has to be kept and closed, which is the user's decision), and a task used as the
            // coroutine is a compiler error whose repair is the user's too.
            && diagnostic.Properties.TryGetValue(SendAsyncNotAwaited.KindProperty, out var kind) && kind == SendAsyncNotAwaited.DroppedCall)
        {
            // The dropped expression: the call, or '_ = call'; it must be where an awaited expression can stand.
            ExpressionSyntax dropped = invocation.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } discard && discard.Right == invocation
                ? discard
                : invocation;
            if (dropped.Parent is not (ExpressionStatementSyntax or ArrowExpressionClauseSyntax or AnonymousFunctionExpressionSyntax))
            {
                return null;
            }

            var function = dropped.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax);
            if (function is null || !AwaitAllowedAt(dropped, function))
            {
                return null;
            }

            if (IsAsync(function))
            {
                return new FixPlan(AwaitKey, "Await the call", null, dropped);
            }

            return function is MethodDeclarationSyntax method && dropped.Parent is not AnonymousFunctionExpressionSyntax
                && Templates.IsTemplate(model.GetDeclaredSymbol(method, cancellationToken)) && CanMakeAsync(method, dropped, model, cancellationToken)
                ? new FixPlan(MakeAsyncKey, $"Make '{method.Identifier.ValueText}' async and await the call", method, dropped)
                : null;
        }

        return null;
    }

    private static bool IsAsync(SyntaxNode function) => function switch
    {
        AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
        LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
        MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
        _ => false,
    };

    /// <summary>C# allows an <c>await</c> at <paramref name="site"/>: not in a <c>lock</c>, <c>unsafe</c> or <c>fixed</c> block, a filter or a query.</summary>
    private static bool AwaitAllowedAt(SyntaxNode site, SyntaxNode function) =>
        !site.Ancestors().TakeWhile(a => a != function).Any(a => a is LockStatementSyntax or UnsafeStatementSyntax or FixedStatementSyntax or CatchFilterClauseSyntax or QueryExpressionSyntax);

    /// <summary>
    /// Whether making the synchronous <paramref name="template"/> async changes nothing but its signature: it has a
    /// body, its parameters and result can live in an async method, its body neither delegates with <c>YieldFrom</c>
    /// (which an async template cannot) nor has what an async method may not have across an <c>await</c> (a <c>ref</c>
    /// local, a ref struct local, <c>stackalloc</c>, <c>unsafe</c> or <c>fixed</c> code, <c>yield</c>), and C# allows an
    /// <c>await</c> at <paramref name="awaitSite"/> (an <c>await</c> there, or one the fix adds; null for none).
    /// </summary>
    private static bool CanMakeAsync(MethodDeclarationSyntax template, SyntaxNode? awaitSite, SemanticModel model, CancellationToken cancellationToken)
    {
        if (template.Modifiers.Any(SyntaxKind.AsyncKeyword) || template.Modifiers.Any(SyntaxKind.UnsafeKeyword)
            || (template.Body is null && template.ExpressionBody is null) || (awaitSite is not null && !AwaitAllowedAt(awaitSite, template))
            || model.GetDeclaredSymbol(template, cancellationToken) is not { } symbol
            || symbol.ReturnsByRef || symbol.ReturnsByRefReadonly
            || (!symbol.ReturnsVoid && (symbol.ReturnType.IsRefLikeType || symbol.ReturnType.TypeKind == TypeKind.Error))
            || symbol.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType))
        {
            return false;
        }

        var body = (SyntaxNode?)template.Body ?? template.ExpressionBody!;
        foreach (var node in body.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            switch (node)
            {
                case YieldStatementSyntax or StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax or UnsafeStatementSyntax or FixedStatementSyntax or RefTypeSyntax:
                    return false;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "YieldFrom" } } yieldFrom
                    when model.GetSymbolInfo(yieldFrom, cancellationToken).Symbol is IMethodSymbol { ContainingType: { } inbox } && TemplateParser.IsInbox(inbox):
                    return false;
                case VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax
                    when model.GetDeclaredSymbol(node, cancellationToken) is ILocalSymbol local && (local.IsRef || local.Type.IsRefLikeType):
                    return false;
                case ForEachStatementSyntax forEach when model.GetForEachStatementInfo(forEach).GetEnumeratorMethod?.ReturnType.IsRefLikeType == true:
                    return false;
            }
        }

        return true;
    }

    private static Document Apply(Document document, SyntaxNode root, SemanticModel model, IReadOnlyList<FixPlan> plans, CancellationToken cancellationToken)
    {
        var templates = new Dictionary<MethodDeclarationSyntax, TypeSyntax>();
        var addUsing = false;
        foreach (var template in plans.Select(p => p.Template).OfType<MethodDeclarationSyntax>().Distinct())
        {
            var (task, needsUsing) = TaskType(model, template, cancellationToken);
            templates[template] = task;
            addUsing |= needsUsing;
        }

        var awaits = new HashSet<SyntaxNode>(plans.Select(p => p.Await).OfType<ExpressionSyntax>());
        var changed = new SyntaxAnnotation();
        var newRoot = root.ReplaceNodes(
            templates.Keys.Cast<SyntaxNode>().Concat(awaits),
            (original, current) => original is MethodDeclarationSyntax template && templates.TryGetValue(template, out var task)
                ? MakeAsync((MethodDeclarationSyntax)current, task).WithAdditionalAnnotations(changed)
                : AwaitExpression((ExpressionSyntax)current));
        if (addUsing && newRoot is CompilationUnitSyntax unit)
        {
            newRoot = AddTasksUsing(unit, changed);
        }

        return document.WithSyntaxRoot(newRoot);
    }

    /// <summary>
    /// How to write <c>System.Threading.Tasks.Task</c> at the template: <c>Task</c> when that name means it there, or
    /// when nothing is called so and a <c>using</c> is added; fully qualified (for the simplifier to shorten) when
    /// something else is called <c>Task</c> there.
    /// </summary>
    private static (TypeSyntax Task, bool AddUsing) TaskType(SemanticModel model, MethodDeclarationSyntax template, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var visible = model.LookupNamespacesAndTypes(template.ReturnType.SpanStart, name: "Task");
        if (visible.IsEmpty)
        {
            return (SyntaxFactory.IdentifierName("Task"), true);
        }

        return visible.All(s => s.ContainingNamespace?.ToDisplayString() == TasksNamespace)
            ? (SyntaxFactory.IdentifierName("Task"), false)
            : (SyntaxFactory.ParseTypeName("global::" + TasksNamespace + ".Task").WithAdditionalAnnotations(Simplifier.Annotation), false);
    }

    /// <summary><c>async</c> added after the other modifiers (if missing); <c>void</c> becomes <c>Task</c>, <c>R</c> becomes <c>Task&lt;R&gt;</c>.</summary>
    private static MethodDeclarationSyntax MakeAsync(MethodDeclarationSyntax method, TypeSyntax task)
    {
        var returnType = method.ReturnType;
        var modifiers = method.Modifiers;
        if (!modifiers.Any(SyntaxKind.AsyncKeyword))
        {
            var asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (modifiers.Count == 0)
            {
                asyncKeyword = asyncKeyword.WithLeadingTrivia(returnType.GetLeadingTrivia());
                returnType = returnType.WithoutLeadingTrivia();
            }

            modifiers = modifiers.Add(asyncKeyword);
        }

        var isVoid = returnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword };
        var newType = isVoid
            ? task
            : SyntaxFactory.ParseTypeName(task.ToString() + "<" + returnType.WithoutTrivia().ToFullString() + ">");
        if (task.HasAnnotation(Simplifier.Annotation))
        {
            newType = newType.WithAdditionalAnnotations(Simplifier.Annotation);
        }

        return method.WithModifiers(modifiers).WithReturnType(newType.WithTriviaFrom(returnType));
    }

    /// <summary><c>call</c> or <c>_ = call</c> becomes <c>await call</c>, keeping the trivia around it.</summary>
    private static AwaitExpressionSyntax AwaitExpression(ExpressionSyntax dropped)
    {
        var call = dropped is AssignmentExpressionSyntax assignment ? assignment.Right : dropped;
        return SyntaxFactory.AwaitExpression(
                SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(dropped.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.Space),
                call.WithoutTrivia())
            .WithTrailingTrivia(dropped.GetTrailingTrivia());
    }

    /// <summary>
    /// Adds <c>using System.Threading.Tasks;</c> where the file keeps its usings (the file's own list, else that of the
    /// namespace around the template), in order: <c>System</c> namespaces first, then by name.
    /// </summary>
    private static CompilationUnitSyntax AddTasksUsing(CompilationUnitSyntax unit, SyntaxAnnotation changed)
    {
        var endOfLine = unit.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var eol = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine.ToString() : "\n";
        var directive = SyntaxFactory.ParseCompilationUnit("using " + TasksNamespace + ";" + eol).Usings[0];
        var template = unit.GetAnnotatedNodes(changed).FirstOrDefault();
        if (unit.Usings.Count == 0 && template?.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault(n => n.Usings.Count > 0) is { } ns)
        {
            return unit.ReplaceNode(ns, ns.WithUsings(Insert(ns.Usings, directive)));
        }

        if (unit.Usings.Count == 0)
        {
            // The first using of the file: in front of everything but the file's leading comments, and a blank line after it.
            var first = unit.GetFirstToken(includeZeroWidth: true);
            unit = unit.ReplaceToken(first, first.WithLeadingTrivia(SyntaxFactory.EndOfLine(eol)));
            return unit.WithUsings(SyntaxFactory.SingletonList(directive.WithLeadingTrivia(first.LeadingTrivia)));
        }

        return unit.WithUsings(Insert(unit.Usings, directive));
    }

    private static SyntaxList<UsingDirectiveSyntax> Insert(SyntaxList<UsingDirectiveSyntax> usings, UsingDirectiveSyntax directive)
    {
        static string Key(string name) => (name == "System" || name.StartsWith("System.", System.StringComparison.Ordinal) ? "0" : "1") + name;

        var index = usings.Count;
        for (int i = 0; i < usings.Count; i++)
        {
            var existing = usings[i];
            if (existing.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword))
            {
                continue;
            }

            if (existing.StaticKeyword.IsKind(SyntaxKind.StaticKeyword) || existing.Alias is not null
                || string.CompareOrdinal(Key(existing.Name?.ToString() ?? string.Empty), Key(TasksNamespace)) > 0)
            {
                index = i;
                break;
            }
        }

        if (index == 0)
        {
            // It takes the place of the first one, with its leading trivia (comments, directives before the usings).
            var first = usings[0];
            return usings.Replace(first, first.WithLeadingTrivia(first.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia))))
                .Insert(0, directive.WithLeadingTrivia(first.GetLeadingTrivia()));
        }

        var indentation = usings[index - 1].GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        return usings.Insert(index, directive.WithLeadingTrivia(indentation));
    }
}
