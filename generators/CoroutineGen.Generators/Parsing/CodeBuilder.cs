using System.Collections.Generic;
using System.Linq;
using System.Text;
using CoroutineGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// Copies a piece of the template (a statement or an expression with no suspension point) as <see cref="Code"/>:
/// the user's text, trivia and layout kept, with holes where the state machine needs something else. Template
/// locals and parameters become <see cref="LocalPart"/>s (their final names are chosen by the lowering), members
/// of the enclosing types are qualified so that the nested class's own members never capture them, <c>this</c>
/// becomes <c>__this</c>, and jumps, returns and rethrows that leave the piece become holes for the lowering.
/// </summary>
internal sealed class CodeBuilder
{
    /// <summary>Names the generated class declares: a simple name in user code that binds to something else with this name must be qualified.</summary>
    private static readonly HashSet<string> ReservedNames = new()
    {
        "Send", "Throw", "Close", "Dispose", "State", "Current", "Result",
        "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "ReferenceEquals", "Finalize",
    };

    private readonly TemplateContext _context;
    private readonly SyntaxNode _root;
    private readonly List<CodePart> _parts = new();
    private readonly StringBuilder _text = new();

    // BuildFast: the await statements that become FastAwaitParts.
    private Dictionary<ExpressionStatementSyntax, string>? _fastAwaits;

    private CodeBuilder(TemplateContext context, SyntaxNode root)
    {
        _context = context;
        _root = root;
    }

    /// <summary>Copies <paramref name="node"/> without its outer trivia.</summary>
    public static Code Build(TemplateContext context, SyntaxNode node)
    {
        var builder = new CodeBuilder(context, node);
        builder.Visit(node, isRoot: true);
        return builder.Finish();
    }

    /// <summary>
    /// Copies <paramref name="statement"/> as an async coroutine's fast path runs it: each of the <paramref name="tails"/>
    /// (<c>await operand;</c> statements, with their operand's type) becomes a <see cref="FastAwaitPart"/>.
    /// </summary>
    public static Code BuildFast(TemplateContext context, StatementSyntax statement, Dictionary<ExpressionStatementSyntax, string> tails)
    {
        var builder = new CodeBuilder(context, statement) { _fastAwaits = tails };
        builder.Visit(statement, isRoot: true);
        return builder.Finish();
    }

    /// <summary>Copies a run of nodes and tokens (for example the pieces between the operands of an expression).</summary>
    public static Code BuildRange(TemplateContext context, SyntaxNode root, IEnumerable<SyntaxNodeOrToken> items)
    {
        var builder = new CodeBuilder(context, root);
        foreach (var item in items)
        {
            if (item.IsToken)
            {
                builder.AppendToken(item.AsToken());
            }
            else
            {
                builder.Visit(item.AsNode()!, isRoot: false);
            }
        }

        return builder.Finish();
    }

    private Code Finish()
    {
        Flush();
        return new Code(Code.Normalize(_parts));
    }

    private void Flush()
    {
        if (_text.Length > 0)
        {
            _parts.Add(new TextPart(_text.ToString()));
            _text.Clear();
        }
    }

    private void AddPart(CodePart part)
    {
        Flush();
        _parts.Add(part);
    }

    /// <summary>Copies <paramref name="node"/>; the root loses its outer trivia.</summary>
    private void Visit(SyntaxNode node, bool isRoot)
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        VisitTrimmed(node, trimLeading: isRoot, trimTrailing: isRoot);
    }

    /// <param name="knownFirst">The node's first token when the caller knows it already (the same as its parent's).</param>
    /// <param name="knownLast">Likewise its last token: finding it walks the whole depth of a nested node, so along a
    /// long <c>else if</c> chain, looking it up again at each level took time quadratic in the depth.</param>
    private void VisitTrimmed(SyntaxNode node, bool trimLeading, bool trimTrailing, bool replace = true, SyntaxToken knownFirst = default, SyntaxToken knownLast = default)
    {
        // Visiting a child that starts or ends the root: its outermost trivia must be dropped, so copy it token by
        // token with the same replacements.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (replace && TryReplace(node, trimLeading, trimTrailing))
        {
            return;
        }

        var first = !trimLeading ? default : knownFirst != default ? knownFirst : node.GetFirstToken(includeZeroWidth: true);
        var last = !trimTrailing ? default : knownLast != default ? knownLast : node.GetLastToken(includeZeroWidth: true);
        foreach (var child in node.ChildNodesAndTokens())
        {
            if (child.IsToken)
            {
                var token = child.AsToken();
                AppendToken(token, trimLeading && token == first, trimTrailing && token == last);
            }
            else
            {
                var childNode = child.AsNode()!;
                // (Compared by position: finding a deeply nested child's first or last token walks its whole depth.)
                var startsIt = trimLeading && childNode.FullSpan.Start == first.FullSpan.Start && childNode.FullSpan.Length > 0;
                var endsIt = trimTrailing && childNode.FullSpan.End == last.FullSpan.End && childNode.FullSpan.Length > 0;
                if (startsIt || endsIt)
                {
                    VisitTrimmed(childNode, startsIt, endsIt, knownFirst: startsIt ? first : default, knownLast: endsIt ? last : default);
                }
                else
                {
                    Visit(childNode, isRoot: false);
                }
            }
        }
    }

    private void AppendToken(SyntaxToken token, bool skipLeading = false, bool skipTrailing = false)
    {
        if (!skipLeading)
        {
            _text.Append(Trivia(token.LeadingTrivia));
        }

        if (TryDeclaredLocal(token, out var local))
        {
            AddPart(new LocalPart(local, IsDeclaration: true));
        }
        else if (token.IsKind(SyntaxKind.AwaitKeyword) && AwaitsInBody(token))
        {
            AddPart(new AwaitPart());
        }
        else if (IsLabelName(token))
        {
            // Renamed when it looks like one of the lowering's labels (TemplateContext.LabelName).
            _text.Append(token.ValueText.StartsWith("__", System.StringComparison.Ordinal) ? _context.LabelName(token.ValueText) : token.Text);
        }
        else
        {
            _text.Append(token.Text);
        }

        if (!skipTrailing)
        {
            _text.Append(Trivia(token.TrailingTrivia));
        }
    }

    /// <summary>
    /// The text of copied trivia, without preprocessor directives and the code they disable: the lowering moves
    /// statements apart, so a <c>#region</c>/<c>#endregion</c> or <c>#if</c>/<c>#endif</c> pair around a receive would
    /// end up split (CS1038, CS1027), and a <c>#pragma</c> or <c>#line</c> would act on the generated code. The
    /// compiler has already chosen the active branch of an <c>#if</c>, so dropping the directives keeps its meaning.
    /// </summary>
    public static string Trivia(SyntaxTriviaList trivia)
    {
        var hasDirectives = false;
        foreach (var t in trivia)
        {
            if (t.IsDirective || t.IsKind(SyntaxKind.DisabledTextTrivia))
            {
                hasDirectives = true;
                break;
            }
        }

        if (!hasDirectives)
        {
            return trivia.ToFullString();
        }

        var text = new StringBuilder();
        foreach (var t in trivia)
        {
            if (!t.IsDirective && !t.IsKind(SyntaxKind.DisabledTextTrivia))
            {
                text.Append(t.ToFullString());
            }
        }

        return text.ToString();
    }

    /// <summary>A label's name in its declaration or in a <c>goto</c>.</summary>
    private static bool IsLabelName(SyntaxToken token) =>
        token.IsKind(SyntaxKind.IdentifierToken)
        && (token.Parent is LabeledStatementSyntax labeled && labeled.Identifier == token
            || token.Parent is IdentifierNameSyntax { Parent: GotoStatementSyntax { RawKind: (int)SyntaxKind.GotoStatement } });

    /// <summary>The identifier token that declares a template local (a declarator, a foreach or catch variable).</summary>
    private bool TryDeclaredLocal(SyntaxToken token, out int local)
    {
        local = -1;
        if (!token.IsKind(SyntaxKind.IdentifierToken))
        {
            return false;
        }

        SyntaxNode? declaration = token.Parent switch
        {
            VariableDeclaratorSyntax d when d.Identifier == token => d,
            ForEachStatementSyntax f when f.Identifier == token => f,
            CatchDeclarationSyntax c when c.Identifier == token => c,
            SingleVariableDesignationSyntax s when s.Identifier == token => s,
            _ => null,
        };
        if (declaration is null)
        {
            return false;
        }

        var symbol = _context.Model.GetDeclaredSymbol(declaration, _context.CancellationToken);
        if (!_context.IsTemplateVariable(symbol))
        {
            return false;
        }

        local = _context.LocalId(symbol!, declaration);
        return true;
    }

    private bool TryReplace(SyntaxNode node, bool trimLeading, bool trimTrailing)
    {
        // The node's outer trivia, computed only for a node that is replaced (most are not).
        string Leading() => trimLeading ? string.Empty : Trivia(node.GetLeadingTrivia());
        string Trailing() => trimTrailing ? string.Empty : Trivia(node.GetTrailingTrivia());
        CodePart? replacement = null;
        string? text = null;

        switch (node)
        {
            case ExpressionStatementSyntax { Expression: AwaitExpressionSyntax awaited } statement when _fastAwaits is not null && _fastAwaits.TryGetValue(statement, out var awaitableType):
                replacement = new FastAwaitPart(Build(_context, awaited.Expression), awaitableType, _context.Span(statement));
                break;

            case ThisExpressionSyntax:
                text = "__this";
                _context.CapturesThis |= NestedFunction(node) is not null;
                break;

            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CancellationToken", Expression: IdentifierNameSyntax inbox } when IsInbox(inbox):
                // An async template's inbox.CancellationToken: the token of the call running the body.
                text = "__cancellationToken";
                _context.ReadsCancellationToken = true;
                break;

            case IdentifierNameSyntax inboxName when IsInbox(inboxName) && TypeNames.Of(_context.Inbox.Type) is { } inboxType:
                // The inbox is no value of the generated class. Copied code names it only where a member of it does not
                // bind (inbox.Recieve(), Yield() on a one-way inbox: the compiler's error in the template already, the
                // template is generated anyway so that its callers bind); a value of its type keeps that error the one
                // the user sees, instead of adding "the name 'inbox' does not exist" in the generated file.
                text = "default(" + inboxType + ")";
                break;

            case InvocationExpressionSyntax invocation when IsNameOf(invocation, out var constant):
                text = SymbolDisplay.FormatLiteral(constant, quote: true);
                break;

            case IdentifierNameSyntax or GenericNameSyntax when TryReplaceName((SimpleNameSyntax)node, out var nameCode):
                _text.Append(Leading());
                Append(nameCode);
                _text.Append(Trailing());
                return true;

            case DeclarationExpressionSyntax declaration when TryDesignation(declaration, out var designationCode):
                _text.Append(Leading());
                Append(designationCode);
                _text.Append(Trailing());
                return true;

            case SingleVariableDesignationSyntax designation when IsPatternDesignation(designation) && TryLocal(designation, out var patternLocal):
                replacement = new PatternDesignationPart(patternLocal);
                break;

            case IsPatternExpressionSyntax isPattern when DeclaredTemplateLocals(isPattern.Pattern) is { Count: > 0 } declared:
                var inner = new CodeBuilder(_context, _root);
                inner.VisitTrimmed(isPattern, trimLeading: true, trimTrailing: true, replace: false);
                _text.Append(Leading());
                AddPart(new IsPatternPart(inner.Finish(), declared.ToEquatableArray(), IsNegated(isPattern.Pattern)));
                _text.Append(Trailing());
                return true;

            case InterpolationSyntax { Expression: not ParenthesizedExpressionSyntax } interpolation:
            {
                // A hole ends at its first ':' outside parentheses (the format): qualifying a name in it
                // (`global::N.T.M()`) must not make the rest of the expression a format.
                var hole = new CodeBuilder(_context, _root);
                hole.Visit(interpolation.Expression, isRoot: true);
                var holeCode = hole.Finish();
                if (!holeCode.AllParts().Any(p => p is TextPart t && t.Value.Contains("::")))
                {
                    return false;
                }

                AppendToken(interpolation.OpenBraceToken, skipLeading: trimLeading);
                _text.Append(Trivia(interpolation.Expression.GetLeadingTrivia())).Append('(');
                Append(holeCode);
                _text.Append(')').Append(Trivia(interpolation.Expression.GetTrailingTrivia()));
                if (interpolation.AlignmentClause is { } alignment)
                {
                    Visit(alignment, isRoot: false);
                }

                if (interpolation.FormatClause is { } format)
                {
                    Visit(format, isRoot: false);
                }

                AppendToken(interpolation.CloseBraceToken, skipTrailing: trimTrailing);
                return true;
            }

            case BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax when TryJumpTarget((StatementSyntax)node, out var target):
                replacement = new JumpPart(target);
                break;

            case ReturnStatementSyntax ret when BelongsToTemplate(ret):
                replacement = new ReturnPart(ret.Expression is null ? null : Build(_context, ret.Expression));
                break;

            case ThrowStatementSyntax { Expression: null } rethrow when TryMovedCatch(rethrow, out var catchId):
                replacement = new RethrowPart(catchId);
                break;

            case CatchClauseSyntax clause when ExcludesGeneratorExit(clause):
                _text.Append(Leading());
                AppendCatchExcludingGeneratorExit(clause);
                _text.Append(Trailing());
                return true;

            case AnonymousObjectMemberDeclaratorSyntax { NameEquals: null, Expression: IdentifierNameSyntax name } member when IsTemplateLocal(name):
                // The member's name was inferred from the variable's: keep it when the variable is renamed.
                _text.Append(Leading()).Append(name.Identifier.Text).Append(" = ");
                VisitTrimmed(member.Expression, trimLeading: true, trimTrailing: true);
                _text.Append(Trailing());
                return true;

            case ArgumentSyntax { NameColon: null, Expression: IdentifierNameSyntax name, Parent: TupleExpressionSyntax tuple } argument
                when IsTemplateLocal(name) && !IsAssignmentTarget(tuple):
                _text.Append(Leading()).Append(name.Identifier.Text).Append(": ");
                VisitTrimmed(argument.Expression, trimLeading: true, trimTrailing: true);
                _text.Append(Trailing());
                return true;

            default:
                return false;
        }

        _text.Append(Leading());
        if (text is not null)
        {
            _text.Append(text);
        }
        else
        {
            AddPart(replacement!);
        }

        _text.Append(Trailing());
        return true;
    }

    private bool IsTemplateLocal(IdentifierNameSyntax name) =>
        _context.IsTemplateVariable(_context.SymbolOf(name));

    private static bool IsAssignmentTarget(ExpressionSyntax tuple)
    {
        SyntaxNode node = tuple;
        while (node.Parent is ArgumentSyntax { Parent: TupleExpressionSyntax outer })
        {
            node = outer;
        }

        return node.Parent is AssignmentExpressionSyntax assignment && assignment.Left == node
            || node.Parent is ForEachVariableStatementSyntax;
    }

    /// <summary>
    /// A template's own <c>catch</c> or <c>catch (Exception)</c> (not in a lambda or local function) would catch
    /// GeneratorExitException; in Python <c>except Exception</c> does not catch GeneratorExit (rule 5).
    /// </summary>
    private bool ExcludesGeneratorExit(CatchClauseSyntax clause)
    {
        if (!BelongsToTemplate(clause))
        {
            return false;
        }

        if (clause.Declaration is null)
        {
            return true;
        }

        var type = _context.Model.GetTypeInfo(clause.Declaration.Type, _context.CancellationToken).Type;
        return type?.ToDisplayString() == "System.Exception";
    }

    /// <summary>
    /// The variable given to a catch clause without one for the GeneratorExit filter, by how many catch clauses
    /// (this one included) it is nested in: a catch-all in the block of another must not reuse its name (CS0136).
    /// <see cref="Lowering.NameAllocator"/> keeps these names from every other variable.
    /// </summary>
    public static string CatchVariableName(int depth) => depth == 1 ? "__exception" : "__exception_" + depth.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="name"/> is one of the names of <see cref="CatchVariableName"/>.</summary>
    public static bool IsCatchVariableName(string name) =>
        name == "__exception" || (name.Length > "__exception_".Length && name.StartsWith("__exception_", System.StringComparison.Ordinal) && name.Skip("__exception_".Length).All(char.IsDigit));

    /// <summary>Writes the catch clause with a filter that lets GeneratorExitException through (<see cref="GeneratorExitFilter"/>).</summary>
    private void AppendCatchExcludingGeneratorExit(CatchClauseSyntax clause)
    {
        var declaration = clause.Declaration;
        var named = declaration is { Identifier.RawKind: (int)SyntaxKind.IdentifierToken } && declaration.Identifier.Text.Length > 0;
        var variable = named ? null : CatchVariableName(clause.Ancestors().OfType<CatchClauseSyntax>().Count() + 1);
        _text.Append("catch ");
        if (declaration is null)
        {
            _text.Append("(global::System.Exception ").Append(variable).Append(") ");
        }
        else
        {
            AppendToken(declaration.OpenParenToken);
            Visit(declaration.Type, isRoot: false);
            if (variable is null)
            {
                AppendToken(declaration.Identifier);
                AppendToken(declaration.CloseParenToken);
            }
            else
            {
                // `catch (Exception)` without a variable: give it one for the filter.
                _text.Append(' ').Append(variable);
                AppendToken(declaration.CloseParenToken, skipTrailing: true);
                _text.Append(' ');
            }
        }

        var name = new CodeBuilder(_context, _root);
        if (variable is null)
        {
            name.AppendToken(declaration!.Identifier, skipLeading: true, skipTrailing: true);
        }
        else
        {
            name._text.Append(variable);
        }

        Code? userFilter = null;
        if (clause.Filter is { } filter)
        {
            var filterBuilder = new CodeBuilder(_context, _root);
            filterBuilder.Visit(filter.FilterExpression, isRoot: false);
            userFilter = filterBuilder.Finish();
        }

        _text.Append("when (");
        Append(GeneratorExitFilter.Condition(name.Finish(), userFilter));
        _text.Append(") ");
        Visit(clause.Block, isRoot: false);
    }

    private void Append(Code code)
    {
        foreach (var part in code.Parts)
        {
            if (part is TextPart t)
            {
                _text.Append(t.Value);
            }
            else
            {
                AddPart(part);
            }
        }
    }

    private bool IsNameOf(InvocationExpressionSyntax invocation, out string value)
    {
        value = string.Empty;
        if (invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" }
            && _context.Model.GetConstantValue(invocation, _context.CancellationToken) is { HasValue: true, Value: string s })
        {
            value = s;
            return true;
        }

        return false;
    }

    private bool IsInbox(IdentifierNameSyntax name) =>
        name.Identifier.ValueText == _context.Inbox.Name && SymbolEqualityComparer.Default.Equals(_context.SymbolOf(name), _context.Inbox);

    private bool TryReplaceName(SimpleNameSyntax name, out Code code)
    {
        code = Code.Empty;
        if (IsMemberName(name))
        {
            return false;
        }

        var symbol = _context.SymbolOf(name);
        if (symbol is null)
        {
            return false;
        }

        if (_context.IsTemplateVariable(symbol))
        {
            var id = _context.LocalId(symbol, name);
            var nested = NestedFunction(name);
            if (nested is not null)
            {
                _context.MarkCaptured(id);
                if (nested is LocalFunctionStatementSyntax)
                {
                    _context.CapturedByLocalFunction.Add(id);
                }
            }

            if (IsWrite(name))
            {
                _context.MarkReassigned(id);
            }

            code = new Code(new EquatableArray<CodePart>(new CodePart[] { new LocalPart(id, nested is not null and not LocalFunctionStatementSyntax) }));
            return true;
        }

        if (symbol is IFieldSymbol or IPropertySymbol or IMethodSymbol or IEventSymbol
            && symbol.ContainingType is { } owner
            && !(symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction })
            && IsEnclosingTypeMember(owner))
        {
            // Qualify, so that the generated class's own members (Send, Close, State...) never capture the name.
            var rest = CodeBuilder.BuildRange(_context, _root, name.ChildNodesAndTokens().Select(WithoutOuterTrivia(name)));
            var prefix = symbol.IsStatic || symbol is IFieldSymbol { IsConst: true }
                ? owner.ToDisplayString(TypeNames.PlainFormat) + "."
                : "__this.";
            _context.CapturesThis |= prefix == "__this." && NestedFunction(name) is not null;
            code = Code.Concat(prefix, rest);
            return true;
        }

        if (symbol is IFieldSymbol or IPropertySymbol or IMethodSymbol or IEventSymbol
            && symbol.IsStatic
            && symbol.ContainingType is { } imported
            && !(symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction })
            && (ReservedNames.Contains(name.Identifier.ValueText) || name.Identifier.ValueText.StartsWith("__", System.StringComparison.Ordinal)))
        {
            // A static member that a simple name reaches through `using static` (it is no member of an enclosing
            // type): in the nested class, the class's own member of that name (Send, Close...) would capture it.
            var rest = CodeBuilder.BuildRange(_context, _root, name.ChildNodesAndTokens().Select(WithoutOuterTrivia(name)));
            code = Code.Concat(imported.ToDisplayString(TypeNames.PlainFormat) + ".", rest);
            return true;
        }

        if (symbol is ITypeSymbol or INamespaceSymbol
            && (ReservedNames.Contains(name.Identifier.ValueText) || name.Identifier.ValueText.StartsWith("__", System.StringComparison.Ordinal)))
        {
            var qualified = symbol is ITypeSymbol type
                ? (type.OriginalDefinition is INamedTypeSymbol { IsGenericType: true } && name is GenericNameSyntax generic
                    ? Code.Concat(GenericContainer(type), name.Identifier.ValueText, BuildRange(_context, _root, new SyntaxNodeOrToken[] { generic.TypeArgumentList }))
                    : Code.Text(type.ToDisplayString(TypeNames.PlainFormat)))
                : Code.Text("global::" + symbol.ToDisplayString());
            code = qualified;
            return true;
        }

        return false;
    }

    private static string GenericContainer(ITypeSymbol type)
    {
        var container = type.ContainingType is not null
            ? type.ContainingType.ToDisplayString(TypeNames.PlainFormat)
            : type.ContainingNamespace is { IsGlobalNamespace: false } ns ? "global::" + ns.ToDisplayString() : "global::";
        return container.EndsWith("::", System.StringComparison.Ordinal) ? container : container + ".";
    }

    private static System.Func<SyntaxNodeOrToken, SyntaxNodeOrToken> WithoutOuterTrivia(SyntaxNode parent)
    {
        var first = parent.GetFirstToken();
        var last = parent.GetLastToken();
        return item =>
        {
            if (item.IsToken)
            {
                var token = item.AsToken();
                if (token == first)
                {
                    token = token.WithLeadingTrivia();
                }

                if (token == last || item.AsToken() == last)
                {
                    token = token.WithTrailingTrivia();
                }

                return token;
            }

            return item;
        };
    }

    /// <summary>Whether this use of a variable may change it (assignment, increment, ref/out argument, ref taken).</summary>
    private static bool IsWrite(ExpressionSyntax name)
    {
        SyntaxNode node = name;
        while (node.Parent is ParenthesizedExpressionSyntax or TupleExpressionSyntax or ArgumentSyntax { Parent: TupleExpressionSyntax })
        {
            node = node.Parent;
        }

        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == node,
            PrefixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PreIncrementExpression) || unary.IsKind(SyntaxKind.PreDecrementExpression),
            PostfixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PostIncrementExpression) || unary.IsKind(SyntaxKind.PostDecrementExpression),
            ArgumentSyntax argument => argument.RefKindKeyword.IsKind(SyntaxKind.RefKeyword) || argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword),
            RefExpressionSyntax => true,
            MemberAccessExpressionSyntax or ElementAccessExpressionSyntax => false,
            _ => false,
        };
    }

    /// <summary>The name after a dot, a named argument, an object-initializer member: not a simple name to qualify.</summary>
    private static bool IsMemberName(SimpleNameSyntax name) => name.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Name == name,
        MemberBindingExpressionSyntax => true,
        QualifiedNameSyntax qualified => qualified.Right == name,
        AliasQualifiedNameSyntax alias => alias.Name == name,
        NameColonSyntax or NameEqualsSyntax or ExpressionColonSyntax => true,
        AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } assignment => assignment.Left == name,
        _ => false,
    };

    private bool IsEnclosingTypeMember(INamedTypeSymbol owner)
    {
        for (var type = _context.Method.ContainingType; type is not null; type = type.ContainingType)
        {
            for (var t = type; t is not null; t = t.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, owner.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The innermost lambda, anonymous method, local function or query around <paramref name="node"/> in the template, if any.</summary>
    private SyntaxNode? NestedFunction(SyntaxNode node)
    {
        SyntaxNode? found = null;
        for (var n = node.Parent; n is not null && n != _context.Syntax; n = n.Parent)
        {
            if (n is LocalFunctionStatementSyntax)
            {
                return n;
            }

            if (found is null && n is AnonymousFunctionExpressionSyntax or QueryExpressionSyntax)
            {
                found = n;
            }
        }

        return found;
    }

    private bool BelongsToTemplate(SyntaxNode node)
    {
        for (var n = node.Parent; n is not null; n = n.Parent)
        {
            if (n == _context.Syntax)
            {
                return true;
            }

            if (n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return false;
            }
        }

        return false;
    }

    private bool IsInsideRoot(SyntaxNode node)
    {
        for (var n = node; n is not null; n = n.Parent)
        {
            if (n == _root)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryJumpTarget(StatementSyntax statement, out int target)
    {
        target = -1;
        if (!BelongsToTemplate(statement))
        {
            return false;
        }

        switch (statement)
        {
            case BreakStatementSyntax:
            {
                var construct = statement.Ancestors().FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or SwitchStatementSyntax);
                if (construct is null || IsInsideRoot(construct))
                {
                    return false;
                }

                if (construct is SwitchStatementSyntax && _context.SwitchBreakTargets.TryGetValue(construct, out target))
                {
                    return true;
                }

                if (_context.LoopTargets.TryGetValue(construct, out var loop))
                {
                    target = loop.Break;
                    return true;
                }

                return false;
            }

            case ContinueStatementSyntax:
            {
                var construct = statement.Ancestors().FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax);
                if (construct is null || IsInsideRoot(construct) || !_context.LoopTargets.TryGetValue(construct, out var loop))
                {
                    return false;
                }

                target = loop.Continue;
                return true;
            }

            case GotoStatementSyntax { RawKind: (int)SyntaxKind.GotoStatement } go:
            {
                var label = (go.Expression as IdentifierNameSyntax)?.Identifier.ValueText;
                var labeled = label is null ? null : _context.Syntax.DescendantNodes().OfType<LabeledStatementSyntax>().FirstOrDefault(l => l.Identifier.ValueText == label && BelongsToTemplate(l));
                if (labeled is null || IsInsideRoot(labeled) || !_context.LabelTargets.TryGetValue(label!, out target))
                {
                    return false;
                }

                return true;
            }

            case GotoStatementSyntax go:
            {
                var switchStatement = go.Ancestors().OfType<SwitchStatementSyntax>().FirstOrDefault();
                if (switchStatement is null || IsInsideRoot(switchStatement))
                {
                    return false;
                }

                var section = SwitchSections.FindTarget(_context, switchStatement, go);
                if (section is null || !_context.SectionTargets.TryGetValue(section, out target))
                {
                    return false;
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>An <c>await</c> the template's body runs itself, not one of a lambda or a local function it declares.</summary>
    internal static bool AwaitsInBody(SyntaxToken awaitKeyword)
    {
        foreach (var ancestor in awaitKeyword.Parent!.AncestorsAndSelf())
        {
            if (ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return false;
            }

            if (ancestor is MemberDeclarationSyntax)
            {
                return true;
            }
        }

        return true;
    }

    private bool TryMovedCatch(ThrowStatementSyntax rethrow, out int catchId)
    {
        catchId = -1;
        foreach (var ancestor in rethrow.Ancestors())
        {
            if (ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return false;
            }

            if (ancestor is CatchClauseSyntax clause)
            {
                return !IsInsideRoot(clause) && _context.MovedCatches.TryGetValue(clause, out catchId);
            }
        }

        return false;
    }

    private static bool IsPatternDesignation(SingleVariableDesignationSyntax designation)
    {
        for (SyntaxNode? n = designation.Parent; n is not null; n = n.Parent)
        {
            switch (n)
            {
                case ParenthesizedVariableDesignationSyntax:
                    continue;
                case DeclarationPatternSyntax or VarPatternSyntax or RecursivePatternSyntax or ListPatternSyntax:
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    private bool TryLocal(SyntaxNode declaration, out int local)
    {
        local = -1;
        var symbol = _context.Model.GetDeclaredSymbol(declaration, _context.CancellationToken);
        if (!_context.IsTemplateVariable(symbol))
        {
            return false;
        }

        local = _context.LocalId(symbol!, declaration);
        return true;
    }

    /// <summary>
    /// Whether the variables of <c>o is pattern</c> are assigned where it is false: <c>o is not T x</c> (C# allows
    /// variables under a <c>not</c> only there, as in <c>if (o is not T x) return;</c>).
    /// </summary>
    public static bool IsNegated(PatternSyntax pattern)
    {
        var negated = false;
        while (true)
        {
            switch (pattern)
            {
                case ParenthesizedPatternSyntax parenthesized:
                    pattern = parenthesized.Pattern;
                    continue;
                case UnaryPatternSyntax unary when unary.IsKind(SyntaxKind.NotPattern):
                    negated = !negated;
                    pattern = unary.Pattern;
                    continue;
                default:
                    return negated;
            }
        }
    }

    /// <summary>The template locals a pattern declares.</summary>
    private List<int> DeclaredTemplateLocals(SyntaxNode pattern)
    {
        var result = new List<int>();
        foreach (var designation in pattern.DescendantNodesAndSelf().OfType<SingleVariableDesignationSyntax>())
        {
            if (IsPatternDesignation(designation) && TryLocal(designation, out var id))
            {
                result.Add(id);
            }
        }

        return result;
    }

    /// <summary>
    /// <c>out var x</c>, <c>out int x</c>, <c>var (a, b)</c>: each declared template local becomes a
    /// <see cref="DesignationPart"/> carrying its type text; <c>var (a, b)</c> is written <c>(var a, var b)</c>
    /// so that each variable can independently become a field.
    /// </summary>
    private bool TryDesignation(DeclarationExpressionSyntax declaration, out Code code)
    {
        code = Code.Empty;
        if (!declaration.Designation.DescendantNodesAndSelf().OfType<SingleVariableDesignationSyntax>().Any(d => TryLocal(d, out _)))
        {
            return false;
        }

        var typeText = declaration.Type.ToString();
        code = Designation(declaration.Designation, typeText);
        return true;
    }

    private Code Designation(VariableDesignationSyntax designation, string typeText) => designation switch
    {
        SingleVariableDesignationSyntax single when TryLocal(single, out var id) => new Code(new EquatableArray<CodePart>(new CodePart[] { new DesignationPart(id, typeText) })),
        SingleVariableDesignationSyntax single => Code.Text(typeText + " " + single.Identifier.Text),
        DiscardDesignationSyntax => Code.Text("_"),
        ParenthesizedVariableDesignationSyntax parenthesized => Code.Concat(
            "(",
            JoinCodes(parenthesized.Variables.Select(v => Designation(v, typeText))),
            ")"),
        _ => Code.Text(designation.ToString()),
    };

    private static Code JoinCodes(IEnumerable<Code> codes)
    {
        var pieces = new List<object>();
        foreach (var code in codes)
        {
            if (pieces.Count > 0)
            {
                pieces.Add(", ");
            }

            pieces.Add(code);
        }

        return Code.Concat(pieces.ToArray());
    }
}
