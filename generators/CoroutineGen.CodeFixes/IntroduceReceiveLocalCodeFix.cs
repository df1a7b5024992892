using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CoroutineGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.CodeFixes;

/// <summary>
/// CORO0004: moves a <c>Receive()</c>/<c>Yield()</c> out of a position the lowering cannot handle into a new local
/// declared just before the statement: <c>buffer[inbox.Receive()] = 1;</c> becomes
/// <c>var received = inbox.Receive(); buffer[received] = 1;</c>.
/// </summary>
/// <remarks>
/// That moves the suspension before whatever the statement evaluated first, so it is offered only where this
/// cannot change what the code does (fail closed): the call is evaluated exactly once whenever the statement runs
/// (not in a branch of <c>?:</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>??</c>, <c>?.</c>, a switch arm, a pattern, a filter,
/// a loop condition, after a constructor); everything evaluated before it in the statement is a constant or a
/// local or parameter of the template that nothing else can change while the coroutine is parked (not captured by
/// a lambda or local function); and the new statement does not land inside <c>lock</c>, <c>fixed</c> or <c>unsafe</c>.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(IntroduceReceiveLocalCodeFix)), Shared]
public sealed class IntroduceReceiveLocalCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "CORO0004.IntroduceLocal";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnsupportedConstruct.Id);

    /// <summary>
    /// Fix All gives each new local its own name. The batch fixer cannot: it computes every fix alone on the
    /// original document, so they would all declare 'received' in the same block (CS0128).
    /// </summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // One fix per statement (a second call in the same statement is left for the next round), in source order,
        // each local named apart from the template's names and from the locals the earlier fixes introduce.
        var plans = diagnostics
            .Select(d => Plan(root, model, d.Location.SourceSpan, context.CancellationToken))
            .Where(p => p is not null)
            .Select(p => p!)
            .GroupBy(p => p.Statement)
            .Select(g => g.OrderBy(p => p.Call.SpanStart).First())
            .OrderBy(p => p.Statement.SpanStart)
            .ToList();
        var introduced = new Dictionary<MethodDeclarationSyntax, List<string>>();
        var text = await document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
        var changes = new List<TextChange>();
        var end = -1;
        foreach (var plan in plans)
        {
            if (plan.Statement.SpanStart < end)
            {
                continue; // nested in a statement another fix rewrites
            }

            if (!introduced.TryGetValue(plan.Template, out var names))
            {
                introduced[plan.Template] = names = new List<string>();
            }

            var name = Templates.UniqueName(plan.Template, "received", names);
            names.Add(name);
            var change = Change(text, plan with { Name = name });
            changes.Add(change);
            end = change.Span.End;
        }

        return document.WithText(text.WithChanges(changes));
    }

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
            var plan = Plan(root, model, diagnostic.Location.SourceSpan, context.CancellationToken);
            if (plan is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Receive into a local before the statement ('var {plan.Name} = {plan.Call.WithoutTrivia()};')", ct => ApplyAsync(context.Document, plan, ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private sealed record FixPlan(MethodDeclarationSyntax Template, InvocationExpressionSyntax Call, StatementSyntax Statement, string Name);

    private static FixPlan? Plan(SyntaxNode root, SemanticModel model, TextSpan span, CancellationToken cancellationToken)
    {
        var node = root.FindNode(span, getInnermostNodeForTie: true);
        var template = Templates.EnclosingTemplate(node, model, cancellationToken);
        if (template is null || model.GetDeclaredSymbol(template, cancellationToken) is not { } symbol || Templates.Inbox(symbol) is not { } inbox)
        {
            return null;
        }

        // The call the diagnostic is about: at its location, or (for a value kept across it) the first one after it.
        var statement = node.FirstAncestorOrSelf<StatementSyntax>();
        if (statement is null)
        {
            return null;
        }

        var calls = statement.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax)
            .OfType<InvocationExpressionSyntax>()
            .Where(i => Templates.IsSuspension(i, inbox, model, cancellationToken))
            .ToList();
        // A diagnostic on a value kept across a later suspension in the same statement: that suspension. Not for a
        // diagnostic that contains suspensions itself or sits on a statement's header (a foreach collection): moving a
        // call from somewhere else would not fix it.
        var call = calls.FirstOrDefault(c => c.Span == span)
            ?? (calls.Any(c => span.Contains(c.Span)) ? null : calls.FirstOrDefault(c => c.SpanStart >= span.End && c.Ancestors().OfType<StatementSyntax>().First() == statement));
        if (call is null)
        {
            return null;
        }

        var owner = call.Ancestors().OfType<StatementSyntax>().First();
        var checker = new OrderChecker(model, template, cancellationToken);
        if (!IsMovableStatement(owner, call) || !checker.CanMoveBefore(call, owner) || !IsAllowedPlace(owner, template))
        {
            return null;
        }

        return new FixPlan(template, call, owner, Templates.UniqueName(template, "received"));
    }

    /// <summary>Statements that evaluate the expression holding the call once, right when they start.</summary>
    private static bool IsMovableStatement(StatementSyntax statement, InvocationExpressionSyntax call) => statement switch
    {
        ExpressionStatementSyntax or ReturnStatementSyntax or ThrowStatementSyntax => true,
        LocalDeclarationStatementSyntax declaration => !declaration.IsConst && declaration.AwaitKeyword == default,
        IfStatementSyntax ifStatement => ifStatement.Condition.Span.Contains(call.Span) && ifStatement.Parent is not ElseClauseSyntax,
        SwitchStatementSyntax switchStatement => switchStatement.Expression.Span.Contains(call.Span),
        _ => false,
    };

    /// <summary>The new declaration must be able to suspend where it lands: not in lock, fixed or unsafe, not after a label.</summary>
    private static bool IsAllowedPlace(StatementSyntax statement, MethodDeclarationSyntax template)
    {
        if (statement.Parent is LabeledStatementSyntax || (statement.Parent is not BlockSyntax and not SwitchSectionSyntax && !IsEmbedded(statement)))
        {
            return false;
        }

        return !statement.Ancestors().TakeWhile(a => a != template).Any(a => a is LockStatementSyntax or FixedStatementSyntax or UnsafeStatementSyntax);
    }

    private static bool IsEmbedded(StatementSyntax statement) => statement.Parent switch
    {
        IfStatementSyntax i => i.Statement == statement,
        ElseClauseSyntax => true,
        WhileStatementSyntax w => w.Statement == statement,
        DoStatementSyntax d => d.Statement == statement,
        ForStatementSyntax f => f.Statement == statement,
        CommonForEachStatementSyntax f => f.Statement == statement,
        UsingStatementSyntax u => u.Statement == statement,
        _ => false,
    };

    private static async Task<Document> ApplyAsync(Document document, FixPlan plan, CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(Change(text, plan)));
    }

    /// <summary>The fix as one text change, from the start of the statement (or of its line) to its end.</summary>
    private static TextChange Change(SourceText text, FixPlan plan)
    {
        var statement = plan.Statement;
        var statementText = text.ToString(statement.Span);
        var callOffset = plan.Call.SpanStart - statement.SpanStart;
        var rewritten = statementText.Substring(0, callOffset) + plan.Name + statementText.Substring(callOffset + plan.Call.Span.Length);
        var declaration = $"var {plan.Name} = {text.ToString(plan.Call.Span)};";

        var line = text.Lines.GetLineFromPosition(statement.SpanStart);
        var lineBreak = line.EndIncludingLineBreak > line.End ? text.ToString(TextSpan.FromBounds(line.End, line.EndIncludingLineBreak)) : "\n";
        var before = text.ToString(TextSpan.FromBounds(line.Start, statement.SpanStart));
        var startsLine = string.IsNullOrWhiteSpace(before);

        if (!IsEmbedded(statement))
        {
            return new TextChange(statement.Span, declaration + (startsLine ? lineBreak + before : " ") + rewritten);
        }

        if (!startsLine)
        {
            return new TextChange(statement.Span, "{ " + declaration + " " + rewritten + " }");
        }
        // The embedded statement on its own line: a block, its braces indented like the statement that owns it.
        var ownerLine = text.Lines.GetLineFromPosition(statement.Parent!.SpanStart);
        var ownerText = text.ToString(ownerLine.Span);
        var braceIndent = ownerText.Substring(0, ownerText.Length - ownerText.TrimStart().Length);
        return new TextChange(
            TextSpan.FromBounds(line.Start, statement.Span.End),
            braceIndent + "{" + lineBreak + before + declaration + lineBreak + before + rewritten + lineBreak + braceIndent + "}");
    }

    /// <summary>Whether the call can be evaluated before the rest of its statement without changing what the statement does.</summary>
    private sealed class OrderChecker
    {
        private readonly SemanticModel _model;
        private readonly MethodDeclarationSyntax _template;
        private readonly CancellationToken _cancellationToken;
        private readonly HashSet<ISymbol> _captured = new(SymbolEqualityComparer.Default);

        public OrderChecker(SemanticModel model, MethodDeclarationSyntax template, CancellationToken cancellationToken)
        {
            _model = model;
            _template = template;
            _cancellationToken = cancellationToken;
            foreach (var nested in template.DescendantNodes().Where(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            {
                foreach (var name in nested.DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol or IParameterSymbol)
                    {
                        _captured.Add(model.GetSymbolInfo(name, cancellationToken).Symbol!);
                    }
                }
            }
        }

        public bool CanMoveBefore(InvocationExpressionSyntax call, StatementSyntax statement)
        {
            for (SyntaxNode node = call; node.Parent is { } parent && node != statement; node = parent)
            {
                if (!IsUnconditional(parent, node))
                {
                    return false;
                }

                foreach (var sibling in parent.ChildNodes())
                {
                    if (sibling.Span.End <= node.SpanStart && !IsSafeBefore(parent, sibling))
                    {
                        return false;
                    }
                }

                if (parent == statement)
                {
                    break;
                }
            }

            return true;
        }

        /// <summary>Whether <paramref name="parent"/> always evaluates <paramref name="child"/>, and does nothing observable before it that the move would reorder.</summary>
        private bool IsUnconditional(SyntaxNode parent, SyntaxNode child) => parent switch
        {
            BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.LogicalAndExpression) || binary.IsKind(SyntaxKind.LogicalOrExpression) || binary.IsKind(SyntaxKind.CoalesceExpression) => child == binary.Left,
            AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.CoalesceAssignmentExpression) => child == assignment.Left,
            ConditionalExpressionSyntax conditional => child == conditional.Condition,
            ConditionalAccessExpressionSyntax access => child == access.Expression,
            SwitchExpressionSyntax switchExpression => child == switchExpression.GoverningExpression,
            IsPatternExpressionSyntax isPattern => child == isPattern.Expression,
            InterpolatedStringExpressionSyntax interpolated => !IsHandlerConversion(interpolated), // the handler may skip the holes
            SwitchExpressionArmSyntax or WhenClauseSyntax or CatchFilterClauseSyntax or PatternSyntax or SubpatternSyntax => false,
            AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or QueryExpressionSyntax or QueryBodySyntax => false,
            BaseObjectCreationExpressionSyntax creation => child != creation.Initializer, // the constructor runs before the initializer
            WithExpressionSyntax with => child == with.Expression || IsValueTypeVariable(with.Expression), // a class record is cloned (read) before
            _ => true,
        };

        /// <summary>Whether the string is converted to an interpolated string handler (also through <c>+</c>), which decides whether its holes are evaluated.</summary>
        private bool IsHandlerConversion(InterpolatedStringExpressionSyntax interpolated)
        {
            for (var operation = _model.GetOperation(interpolated, _cancellationToken); operation is not null; operation = operation.Parent)
            {
                switch (operation)
                {
                    case Microsoft.CodeAnalysis.Operations.IInterpolatedStringHandlerCreationOperation:
                        return true;
                    case Microsoft.CodeAnalysis.Operations.IInterpolatedStringOperation or Microsoft.CodeAnalysis.Operations.IInterpolatedStringAdditionOperation:
                        continue;
                    default:
                        return false;
                }
            }

            return false;
        }

        private bool IsValueTypeVariable(ExpressionSyntax expression) =>
            _model.GetTypeInfo(expression, _cancellationToken).Type is { IsValueType: true } && IsStableValue(expression);

        /// <summary>Whether evaluating <paramref name="sibling"/> (a part of <paramref name="parent"/> before the call) after the call instead changes nothing.</summary>
        private bool IsSafeBefore(SyntaxNode parent, SyntaxNode sibling)
        {
            switch (parent)
            {
                case InvocationExpressionSyntax invocation when sibling == invocation.Expression:
                    return IsInvocationTarget(invocation.Expression);
                case AssignmentExpressionSyntax assignment when sibling == assignment.Left:
                    // '=' and '+='/'-=' on an event only evaluate the target's parts first; other compound assignments also read it.
                    return assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) || _model.GetSymbolInfo(assignment.Left, _cancellationToken).Symbol is IEventSymbol
                        ? IsStableTarget(assignment.Left)
                        : IsStableValue(assignment.Left);
                case MemberAccessExpressionSyntax access when sibling == access.Expression:
                case ElementAccessExpressionSyntax element when sibling == element.Expression:
                case WithExpressionSyntax with when sibling == with.Expression:
                    return IsStableValue((ExpressionSyntax)sibling);
            }

            return sibling switch
            {
                TypeSyntax type when _model.GetSymbolInfo(type, _cancellationToken).Symbol is ITypeSymbol or INamespaceSymbol => true,
                ArgumentSyntax argument => argument.RefKindKeyword == default && IsStableValue(argument.Expression),
                BracketedArgumentListSyntax or ArgumentListSyntax => sibling.ChildNodes().All(c => IsSafeBefore(sibling, c)),
                EqualsValueClauseSyntax equals => IsStableValue(equals.Value),
                VariableDeclaratorSyntax declarator => declarator.ArgumentList is null && (declarator.Initializer is null || IsStableValue(declarator.Initializer.Value)),
                AnonymousObjectMemberDeclaratorSyntax member => IsStableValue(member.Expression),
                ArrayRankSpecifierSyntax rank => rank.Sizes.All(s => s is OmittedArraySizeExpressionSyntax || IsStableValue(s)),
                ExpressionSyntax expression => IsStableValue(expression),
                _ => false,
            };
        }

        private bool IsInvocationTarget(ExpressionSyntax expression) => expression switch
        {
            SimpleNameSyntax name => _model.GetSymbolInfo(name, _cancellationToken).Symbol is IMethodSymbol || IsStableValue(name),
            MemberAccessExpressionSyntax access when _model.GetSymbolInfo(access, _cancellationToken).Symbol is IMethodSymbol =>
                IsTypeOrNamespace(access.Expression) || IsStableValue(access.Expression),
            _ => IsStableValue(expression),
        };

        private bool IsStableTarget(ExpressionSyntax expression) => expression switch
        {
            SimpleNameSyntax => true,
            MemberAccessExpressionSyntax access => IsTypeOrNamespace(access.Expression) || IsStableValue(access.Expression),
            ElementAccessExpressionSyntax element => IsStableValue(element.Expression) && element.ArgumentList.Arguments.All(a => a.RefKindKeyword == default && IsStableValue(a.Expression)),
            TupleExpressionSyntax tuple => tuple.Arguments.All(a => a.Expression is DeclarationExpressionSyntax || IsStableTarget(a.Expression)),
            DeclarationExpressionSyntax => true,
            _ => false,
        };

        /// <summary>
        /// A value that is the same whether it is read before or after the coroutine parks: a constant, <c>this</c>,
        /// a template local or parameter nothing else can assign, or a tuple or anonymous object made of those.
        /// </summary>
        private bool IsStableValue(ExpressionSyntax expression)
        {
            if (_model.GetConstantValue(expression, _cancellationToken).HasValue)
            {
                return true;
            }

            switch (expression)
            {
                case LiteralExpressionSyntax or DefaultExpressionSyntax or TypeOfExpressionSyntax or SizeOfExpressionSyntax or ThisExpressionSyntax:
                    return true;
                case ParenthesizedExpressionSyntax parenthesized:
                    return IsStableValue(parenthesized.Expression);
                case TupleExpressionSyntax tuple:
                    return tuple.Arguments.All(a => a.RefKindKeyword == default && IsStableValue(a.Expression));
                case AnonymousObjectCreationExpressionSyntax anonymous:
                    return anonymous.Initializers.All(i => IsStableValue(i.Expression));
                case IdentifierNameSyntax name:
                {
                    var symbol = _model.GetSymbolInfo(name, _cancellationToken).Symbol;
                    return symbol switch
                    {
                        ILocalSymbol local => !local.IsRef && !_captured.Contains(local) && IsInTemplate(local),
                        IParameterSymbol parameter => parameter.RefKind == RefKind.None && !_captured.Contains(parameter) && IsInTemplate(parameter),
                        IFieldSymbol field => field.IsConst || (field.IsStatic && field.IsReadOnly),
                        _ => false,
                    };
                }

                default:
                    return false;
            }
        }

        private bool IsInTemplate(ISymbol symbol) =>
            symbol.DeclaringSyntaxReferences.All(r => r.SyntaxTree == _template.SyntaxTree && _template.Span.Contains(r.Span));

        private bool IsTypeOrNamespace(ExpressionSyntax expression) =>
            _model.GetSymbolInfo(expression, _cancellationToken).Symbol is ITypeSymbol or INamespaceSymbol;
    }
}
