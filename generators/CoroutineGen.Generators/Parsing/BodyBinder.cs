using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// Turns the template's statements into the intermediate representation. A statement without a suspension point
/// is copied as a <see cref="CodeStmt"/>; the statements on the way to a suspension point are represented
/// structurally (their expressions by <see cref="ExpressionBinder"/>), because the lowering rewrites them.
/// Anything on that way that the lowering cannot rewrite is reported (CORO0004) instead.
/// </summary>
internal sealed class BodyBinder
{
    private readonly TemplateContext _c;
    private readonly ExpressionBinder _expressions;
    private readonly CallFacts _facts;
    private GeneratorExitFlow? _exitFlow;

    public BodyBinder(TemplateContext context)
    {
        _c = context;
        _facts = new CallFacts(context);
        _expressions = new ExpressionBinder(context, _facts);
    }

    public BlockStmt BindBody(MethodDeclarationSyntax method)
    {
        RegisterLabels(method);
        _facts.GotoLoops = _c.LabelTargets.Count > 0;
        RegisterScopes(method);
        if (method.Body is { } body)
        {
            return BindBlock(body, parentScope: -1);
        }

        var expression = method.ExpressionBody!.Expression;
        var scope = _c.ScopeOf(method, -1);
        Stmt statement;
        var returnsValue = TemplateParser.ResultType(_c.Method) is not null;
        if (!_c.Suspends(expression))
        {
            var code = CodeBuilder.Build(_c, expression);
            statement = new CodeStmt(returnsValue ? Code.Concat(new ReturnPart(code)) : Code.Concat(code, ";"), _c.Span(expression));
        }
        else if (returnsValue)
        {
            statement = new ReturnStmt(_expressions.Bind(expression), Comment(expression), _c.Span(expression));
        }
        else
        {
            statement = new ExprStmt(_expressions.Bind(expression), Comment(expression), _c.Span(expression));
        }

        return new BlockStmt(new EquatableArray<Stmt>(new[] { statement }), scope);
    }

    /// <summary>
    /// Gives every scope of the body an id up front (blocks, loops, switch, using, catch, embedded statements), so
    /// that each local's scope is exact, also for locals declared in code that is copied as is.
    /// </summary>
    private void RegisterScopes(MethodDeclarationSyntax method)
    {
        var body = (SyntaxNode?)method.Body ?? method;
        _c.ScopeOf(body, -1);
        foreach (var node in body.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            if (node is BlockSyntax or ForStatementSyntax or CommonForEachStatementSyntax or SwitchStatementSyntax or UsingStatementSyntax or CatchClauseSyntax or FixedStatementSyntax
                || (node is StatementSyntax && node.Parent is IfStatementSyntax or ElseClauseSyntax or WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or UsingStatementSyntax or LockStatementSyntax or FixedStatementSyntax))
            {
                _c.ScopeOf(node, _c.EnclosingScope(node.Parent!));
            }
        }
    }

    /// <summary>The labels of blocks that suspend: goto statements anywhere may jump to them.</summary>
    private void RegisterLabels(MethodDeclarationSyntax method)
    {
        foreach (var labeled in method.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax).OfType<LabeledStatementSyntax>())
        {
            if (labeled.Parent is { } parent && (_c.Suspends(parent) || parent == method.Body))
            {
                _c.LabelTargets[labeled.Identifier.ValueText] = _c.NewTarget();
            }
        }
    }

    private BlockStmt BindBlock(BlockSyntax block, int parentScope)
    {
        var scope = _c.ScopeOf(block, parentScope);
        var statements = new List<Stmt>();
        foreach (var statement in block.Statements)
        {
            statements.AddRange(BindInBlock(statement, scope));
        }

        return new BlockStmt(statements.ToEquatableArray(), scope);
    }

    /// <summary>Binds a statement that sits directly in a block that suspends (so its declarations may be hoisted).</summary>
    private IEnumerable<Stmt> BindInBlock(StatementSyntax statement, int scope)
    {
        _c.CancellationToken.ThrowIfCancellationRequested();
        switch (statement)
        {
            case LocalDeclarationStatementSyntax declaration:
                return BindDeclaration(declaration);
            case LabeledStatementSyntax labeled:
                return new[] { BindLabeled(labeled, scope) };
            default:
                return new[] { Bind(statement, scope) };
        }
    }

    private Stmt BindLabeled(LabeledStatementSyntax labeled, int scope)
    {
        var registered = _c.LabelTargets.TryGetValue(labeled.Identifier.ValueText, out var t);
        var target = registered ? t : _c.NewTarget();
        var inner = labeled.Statement is LocalDeclarationStatementSyntax
            ? new BlockStmt(new EquatableArray<Stmt>(BindInBlock(labeled.Statement, scope).ToArray()), scope)
            : Bind(labeled.Statement, scope);
        return new LabeledStmt(target, _c.LabelName(labeled.Identifier.ValueText), inner, KeepLabel: !registered);
    }

    private IEnumerable<Stmt> BindDeclaration(LocalDeclarationStatementSyntax declaration)
    {
        var isConst = declaration.IsConst;
        var isUsing = declaration.UsingKeyword != default;
        var isAwaitUsing = declaration.AwaitKeyword != default;
        if (isAwaitUsing && !_c.Method.IsAsync)
        {
            _c.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, declaration.AwaitKeyword, _c.TemplateName, "'await using' can only be used in an async template (declare it 'async Task'); use a synchronous 'using'");
        }

        foreach (var declarator in declaration.Declaration.Variables)
        {
            var symbol = _c.Model.GetDeclaredSymbol(declarator, _c.CancellationToken);
            if (symbol is null || !_c.IsTemplateVariable(symbol))
            {
                continue;
            }

            var local = _c.LocalId(symbol, declarator);
            Expr? initializer = declarator.Initializer is { } init ? _expressions.Bind(init.Value) : null;
            if (isConst && declarator.Initializer is { } constant)
            {
                // (A const without an initializer is the compiler's error CS0145; it is then bound as a plain declaration.)
                // A const declaration compiles to nothing: its uses are its value.
                initializer = new CodeExpr(Code.Concat("const ", declaration.Declaration.Type.ToString(), " ", new LocalPart(local), " = ", CodeBuilder.Build(_c, constant.Value), ";") with { CallFree = _facts.Matters(declarator) }, null, true);
            }

            yield return new LocalDeclStmt(local, initializer, isConst && initializer is not null, isUsing, Comment(declaration), _c.Span(declarator), isAwaitUsing)
            {
                CallFree = !isConst && declarator.Initializer is { } value && _facts.ConversionAtUse(value.Value),
            };
        }
    }

    /// <summary>Binds any statement (an embedded statement or a block member that is not a declaration).</summary>
    private Stmt Bind(StatementSyntax statement, int scope)
    {
        using var nesting = _c.Nest();
        if (!_c.Suspends(statement))
        {
            if (statement is LocalDeclarationStatementSyntax or LabeledStatementSyntax)
            {
                return new BlockStmt(new EquatableArray<Stmt>(BindInBlock(statement, scope).ToArray()), scope);
            }

            var code = CodeBuilder.Build(_c, statement);
            if (_facts.Of(statement))
            {
                code = code with { CallFree = true };
            }

            // `local = value;` replaces the local's value. Through a ref local, `r = value;` writes where r points (it
            // reads r); only `r = ref other;` replaces r itself.
            int? assigned = statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: IdentifierNameSyntax } assignment }
                && code.Parts.Count > 0 && code.Parts[0] is LocalPart target
                && (!_c.Locals[target.Local].IsByRef || assignment.Right is RefExpressionSyntax)
                ? target.Local
                : null;
            return new CodeStmt(code, _c.Span(statement), assigned, statement is ThrowStatementSyntax, FastCode(statement, code));
        }

        switch (statement)
        {
            case BlockSyntax block:
                return BindBlock(block, scope);

            case ExpressionStatementSyntax { Expression: AwaitExpressionSyntax awaited } when AwaitableType(awaited) is { } awaitable:
                // `await operand;` where the operand suspends: the statement keeps the fact that it only awaits.
                return new ExprStmt(_expressions.Bind(awaited.Expression), Comment(statement), _c.Span(statement), awaitable);

            case ExpressionStatementSyntax expression:
                return new ExprStmt(_expressions.Bind(expression.Expression), Comment(statement), _c.Span(statement));

            case LocalDeclarationStatementSyntax or LabeledStatementSyntax:
                return new BlockStmt(new EquatableArray<Stmt>(BindInBlock(statement, scope).ToArray()), scope);

            case IfStatementSyntax ifStatement:
                return new IfStmt(
                    _expressions.Bind(ifStatement.Condition),
                    BindEmbedded(ifStatement.Statement, scope),
                    ifStatement.Else is { } elseClause ? BindEmbedded(elseClause.Statement, scope) : null,
                    "if (" + ifStatement.Condition + ")",
                    _c.Span(ifStatement.Condition))
                {
                    CallFree = _facts.ConversionAtUse(ifStatement.Condition),
                };

            case WhileStatementSyntax whileStatement:
            {
                var (breakTarget, continueTarget) = Loop(whileStatement);
                return new WhileStmt(
                    _expressions.BindCondition(whileStatement.Condition),
                    BindEmbedded(whileStatement.Statement, _c.ScopeOf(whileStatement, scope)),
                    breakTarget,
                    continueTarget,
                    "while (" + whileStatement.Condition + ")",
                    _c.Span(whileStatement.Condition))
                {
                    CallFree = _facts.ConversionAtUse(whileStatement.Condition),
                };
            }

            case DoStatementSyntax doStatement:
            {
                var (breakTarget, continueTarget) = Loop(doStatement);
                return new DoStmt(
                    BindEmbedded(doStatement.Statement, _c.ScopeOf(doStatement, scope)),
                    _expressions.Bind(doStatement.Condition),
                    breakTarget,
                    continueTarget,
                    "while (" + doStatement.Condition + ")",
                    _c.Span(doStatement.Condition))
                {
                    CallFree = _facts.ConversionAtUse(doStatement.Condition),
                };
            }

            case ForStatementSyntax forStatement:
                return BindFor(forStatement, scope);

            case ForEachStatementSyntax or ForEachVariableStatementSyntax:
                return BindForEach((CommonForEachStatementSyntax)statement, scope);

            case SwitchStatementSyntax switchStatement:
                return BindSwitch(switchStatement, scope);

            case TryStatementSyntax tryStatement:
                return BindTry(tryStatement, scope);

            case ReturnStatementSyntax returnStatement:
                return new ReturnStmt(_expressions.Bind(returnStatement.Expression!), Comment(statement), _c.Span(statement));

            case ThrowStatementSyntax throwStatement when throwStatement.Expression is not null:
                return new ThrowStmt(_expressions.Bind(throwStatement.Expression), Comment(statement), _c.Span(statement));

            case UsingStatementSyntax usingStatement:
                return BindUsing(usingStatement, scope);

            case CheckedStatementSyntax checkedStatement:
                return new CheckedStmt(checkedStatement.IsKind(SyntaxKind.CheckedStatement), BindBlock(checkedStatement.Block, scope));

            case LockStatementSyntax:
                return UnsupportedAround(statement, "a suspension point inside a 'lock' statement would hold the lock while the coroutine is parked; take the lock around the code that needs it, between suspension points");

            case FixedStatementSyntax:
                return UnsupportedAround(statement, "a suspension point inside a 'fixed' statement is not supported: the pinned pointer cannot live in the state machine; receive before the 'fixed' statement");

            case UnsafeStatementSyntax:
                return UnsupportedAround(statement, "a suspension point inside an 'unsafe' block is not supported; receive before the 'unsafe' block");

            case LocalFunctionStatementSyntax:
                return Unsupported(statement, "a local function cannot suspend the coroutine");

            default:
                return UnsupportedAround(statement, $"a suspension point inside a '{statement.Kind()}' statement is not supported; receive into a local before it");
        }
    }

    private Stmt BindEmbedded(StatementSyntax statement, int scope)
    {
        if (statement is BlockSyntax block)
        {
            return BindBlock(block, scope);
        }

        var embeddedScope = _c.ScopeOf(statement, scope);
        return new BlockStmt(new EquatableArray<Stmt>(BindInBlock(statement, embeddedScope).ToArray()), embeddedScope);
    }

    private (int Break, int Continue) Loop(SyntaxNode loop)
    {
        var targets = (_c.NewTarget(), _c.NewTarget());
        _c.LoopTargets[loop] = targets;
        return targets;
    }

    private Stmt BindFor(ForStatementSyntax forStatement, int scope)
    {
        var forScope = _c.ScopeOf(forStatement, scope);
        var initializers = new List<Stmt>();
        if (forStatement.Declaration is { } declaration)
        {
            foreach (var declarator in declaration.Variables)
            {
                if (_c.Model.GetDeclaredSymbol(declarator, _c.CancellationToken) is { } symbol && _c.IsTemplateVariable(symbol))
                {
                    var local = _c.LocalId(symbol, declarator);
                    initializers.Add(new LocalDeclStmt(local, declarator.Initializer is { } init ? _expressions.Bind(init.Value) : null, false, false, declarator.ToString(), _c.Span(declarator))
                    {
                        CallFree = declarator.Initializer is { } value && _facts.ConversionAtUse(value.Value),
                    });
                }
            }
        }

        foreach (var initializer in forStatement.Initializers)
        {
            initializers.Add(ExpressionStatement(initializer));
        }

        var (breakTarget, continueTarget) = Loop(forStatement);
        var condition = forStatement.Condition is { } c ? _expressions.BindCondition(c) : null;
        var incrementors = forStatement.Incrementors.Select(ExpressionStatement).ToEquatableArray();
        var body = BindEmbedded(forStatement.Statement, forScope);
        var header = $"for ({forStatement.Declaration?.ToString()}{string.Join(", ", forStatement.Initializers)}; {forStatement.Condition}; {string.Join(", ", forStatement.Incrementors)})";
        return new ForStmt(initializers.ToEquatableArray(), condition, incrementors, body, breakTarget, continueTarget, forScope, header, _c.Span(forStatement.ForKeyword))
        {
            CallFree = forStatement.Condition is { } tested && _facts.ConversionAtUse(tested),
        };
    }

    // The task-like types whose awaiter a fast path may get twice (once to test IsCompleted, once more to await it).
    private static readonly HashSet<string> TaskLikeTypes = new()
    {
        "System.Threading.Tasks.Task",
        "System.Threading.Tasks.Task<TResult>",
        "System.Threading.Tasks.ValueTask",
        "System.Threading.Tasks.ValueTask<TResult>",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable<TResult>",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable<TResult>",
        "System.Runtime.CompilerServices.YieldAwaitable",
    };

    /// <summary>
    /// An async template's statement that awaits, as a fast path runs it (<see cref="CodeStmt.FastCode"/>): each await
    /// replaced by a <see cref="FastAwaitPart"/>. Null when the statement does not await, or when one of its awaits is not
    /// at its end (<see cref="TailAwaits"/>).
    /// </summary>
    private Code? FastCode(StatementSyntax statement, Code code)
    {
        if (!_c.Method.IsAsync || !code.AllParts().Any(p => p is AwaitPart))
        {
            return null;
        }

        var tails = new Dictionary<ExpressionStatementSyntax, string>();
        return TailAwaits(statement, tails) ? CodeBuilder.BuildFast(_c, statement, tails) : null;
    }

    /// <summary>
    /// Whether every await of <paramref name="statement"/> is an <c>await operand;</c> of a task-like operand after which
    /// the statement ends (the last statement of a block that ends it, a branch of an <c>if</c> that ends it), collecting
    /// them with their operand's type. An await in a loop, a condition, a declaration or with code after it is not.
    /// </summary>
    private bool TailAwaits(StatementSyntax statement, Dictionary<ExpressionStatementSyntax, string> tails)
    {
        switch (statement)
        {
            case ExpressionStatementSyntax { Expression: AwaitExpressionSyntax awaited } expression when AwaitableType(awaited) is { } type:
                tails[expression] = type;
                return true;
            case BlockSyntax block:
                for (int i = 0; i < block.Statements.Count - 1; i++)
                {
                    if (Awaits(block.Statements[i]))
                    {
                        return false;
                    }
                }

                return block.Statements.Count == 0 || TailAwaits(block.Statements[block.Statements.Count - 1], tails);
            case IfStatementSyntax ifStatement:
                return !Awaits(ifStatement.Condition)
                    && TailAwaits(ifStatement.Statement, tails)
                    && (ifStatement.Else is null || TailAwaits(ifStatement.Else.Statement, tails));
            default:
                return !Awaits(statement);
        }
    }

    /// <summary>Whether the node holds an await the body runs (not one of a lambda or a local function).</summary>
    private static bool Awaits(SyntaxNode node) =>
        node.DescendantTokens().Any(t => t.IsKind(SyntaxKind.AwaitKeyword) && CodeBuilder.AwaitsInBody(t));

    /// <summary>
    /// For <c>await operand;</c> in an async template: the operand's type when it is task-like (see
    /// <see cref="FastAwaitPart"/>), nameable, and the operand awaits nothing itself; otherwise null.
    /// </summary>
    private string? AwaitableType(AwaitExpressionSyntax awaited)
    {
        if (!_c.Method.IsAsync
            || awaited.Expression.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax).OfType<AwaitExpressionSyntax>().Any())
        {
            return null;
        }

        var type = _c.Model.GetTypeInfo(awaited.Expression, _c.CancellationToken).Type;
        return type is INamedTypeSymbol named && TaskLikeTypes.Contains(named.OriginalDefinition.ToDisplayString()) ? TypeNames.Of(type) : null;
    }

    private Stmt ExpressionStatement(ExpressionSyntax expression) => _c.Suspends(expression)
        ? new ExprStmt(_expressions.Bind(expression), expression.ToString() + ";", _c.Span(expression))
        : new CodeStmt(Code.Quiet(CodeBuilder.Build(_c, expression) with { CallFree = _facts.Of(expression) }, ";"), _c.Span(expression));

    private Stmt BindForEach(CommonForEachStatementSyntax forEach, int scope)
    {
        var forScope = _c.ScopeOf(forEach, scope);
        var info = _c.Model.GetForEachStatementInfo(forEach);
        var collectionType = _c.Model.GetTypeInfo(forEach.Expression, _c.CancellationToken).ConvertedType;
        var isAsync = forEach.AwaitKeyword != default;
        if (isAsync && !_c.Method.IsAsync)
        {
            _c.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, forEach.AwaitKeyword, _c.TemplateName, "'await foreach' can only be used in an async template (declare it 'async Task'); iterate synchronously or feed the coroutine from an async source (Sources.FromEnumerableAsync)");
            return new CodeStmt(Code.Empty, _c.Span(forEach));
        }

        var (breakTarget, continueTarget) = Loop(forEach);
        var variables = new List<int>();
        Code? deconstruction = null;
        ITypeSymbol? variableType = null;
        switch (forEach)
        {
            case ForEachStatementSyntax single:
                if (_c.Model.GetDeclaredSymbol(single, _c.CancellationToken) is ILocalSymbol symbol && _c.IsTemplateVariable(symbol))
                {
                    variables.Add(_c.LocalId(symbol, single));
                    variableType = symbol.Type;
                }

                break;
            case ForEachVariableStatementSyntax multiple:
                deconstruction = CodeBuilder.Build(_c, multiple.Variable);
                foreach (var designation in multiple.Variable.DescendantNodes().OfType<SingleVariableDesignationSyntax>())
                {
                    if (_c.Model.GetDeclaredSymbol(designation, _c.CancellationToken) is ILocalSymbol local && _c.IsTemplateVariable(local))
                    {
                        variables.Add(_c.LocalId(local, designation));
                    }
                }

                break;
        }

        var collection = _expressions.Bind(forEach.Expression);
        var body = BindEmbedded(forEach.Statement, forScope);
        var header = forEach is ForEachStatementSyntax s ? $"foreach ({s.Type} {s.Identifier} in {s.Expression})" : $"foreach ({((ForEachVariableStatementSyntax)forEach).Variable} in {forEach.Expression})";

        var elementType = info.ElementType;
        var enumeratorType = info.GetEnumeratorMethod?.ReturnType;
        var currentType = info.CurrentProperty?.Type ?? elementType;
        var isArray = collectionType is IArrayTypeSymbol { Rank: 1 };
        if (isArray)
        {
            currentType = ((IArrayTypeSymbol)collectionType!).ElementType;
        }

        if (elementType is null || (!isArray && (enumeratorType is null || info.MoveNextMethod is null || info.CurrentProperty is null)))
        {
            return Unsupported(forEach.Expression, "this 'foreach' loop's collection could not be analysed; copy it into an array or list first");
        }

        if (enumeratorType is { IsRefLikeType: true })
        {
            return Unsupported(forEach.Expression, $"the enumerator type '{enumeratorType.ToDisplayString()}' is a ref struct and cannot live in the state machine while it is suspended; copy the collection into an array or list first");
        }

        var collectionTypeText = TypeNames.Of(isArray ? collectionType : _c.TypeOf(forEach.Expression, converted: false) ?? collectionType);
        var enumeratorTypeText = isArray ? "int" : TypeNames.Of(enumeratorType);
        var elementTypeText = TypeNames.Of(currentType);
        if (collectionTypeText is null || enumeratorTypeText is null || elementTypeText is null)
        {
            return Unsupported(forEach.Expression, "this 'foreach' loop's collection or enumerator type cannot be named in generated code; copy the collection into an array or list first");
        }

        var conversion = variableType is not null && !SymbolEqualityComparer.IncludeNullability.Equals(variableType, currentType) && !SymbolEqualityComparer.Default.Equals(variableType, currentType)
            ? TypeNames.Of(variableType) ?? string.Empty
            : string.Empty;

        // await foreach disposes its enumerator only through the DisposeAsync the compiler binds (by pattern, or
        // IAsyncDisposable): never a sync Dispose, and nothing is checked at run time.
        var disposable = !isArray && enumeratorType is not null && (isAsync ? info.DisposeMethod is not null : info.DisposeMethod is not null
            || enumeratorType.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable)
            || enumeratorType.SpecialType == SpecialType.System_IDisposable
            || (enumeratorType.TypeKind is TypeKind.Interface or TypeKind.Class && !enumeratorType.IsSealed));

        // How GetEnumerator() is called: as an instance method, through the interface it implements, or as an extension.
        var getEnumerator = info.GetEnumeratorMethod;
        var (prefix, suffix) = getEnumerator switch
        {
            null => ("(", ")"),
            { IsExtensionMethod: true } => (getEnumerator.ContainingType.ToDisplayString(TypeNames.PlainFormat) + ".GetEnumerator(", ")"),
            { ContainingType.TypeKind: TypeKind.Interface } => ("((" + getEnumerator.ContainingType.ToDisplayString(TypeNames.Format) + ")(", ")).GetEnumerator()"),
            _ => ("(", ").GetEnumerator()"),
        };
        if (isAsync)
        {
            (prefix, suffix) = (prefix.Replace(".GetEnumerator(", ".GetAsyncEnumerator("), suffix.Replace(".GetEnumerator(", ".GetAsyncEnumerator("));
        }

        return new ForEachStmt(
            collection,
            collectionTypeText,
            isArray ? ForEachKind.Array : ForEachKind.Enumerator,
            enumeratorTypeText,
            prefix,
            suffix,
            elementTypeText,
            conversion,
            disposable,
            enumeratorType?.IsValueType == true,
            variables.ToEquatableArray(),
            deconstruction,
            body,
            breakTarget,
            continueTarget,
            forScope,
            (isAsync ? "await " : string.Empty) + header,
            _c.Span(forEach.ForEachKeyword),
            isAsync);
    }

    private Stmt BindSwitch(SwitchStatementSyntax switchStatement, int scope)
    {
        var switchScope = _c.ScopeOf(switchStatement, scope);
        var breakTarget = _c.NewTarget();
        _c.SwitchBreakTargets[switchStatement] = breakTarget;
        foreach (var section in switchStatement.Sections)
        {
            _c.SectionTargets[section] = _c.NewTarget();
        }

        var governingType = TypeNames.Of(_c.TypeOf(switchStatement.Expression, converted: false));
        if (governingType is null)
        {
            return Unsupported(switchStatement.Expression, "the type of this switch statement's expression cannot be named in generated code");
        }

        var governing = _expressions.Bind(switchStatement.Expression);
        var sections = new List<SwitchSection>();
        foreach (var section in switchStatement.Sections)
        {
            var labels = new List<SwitchLabel>();
            foreach (var label in section.Labels)
            {
                var declared = new List<int>();
                foreach (var designation in label.DescendantNodes().OfType<SingleVariableDesignationSyntax>())
                {
                    if (_c.Model.GetDeclaredSymbol(designation, _c.CancellationToken) is ILocalSymbol local && _c.IsTemplateVariable(local))
                    {
                        declared.Add(_c.LocalId(local, designation));
                    }
                }

                if (label is CasePatternSwitchLabelSyntax { WhenClause: { } when } && _c.Suspends(when))
                {
                    _c.ReportAtSuspensions(DiagnosticDescriptors.UnsupportedConstruct.Id, when, _c.TemplateName, "a suspension point inside a 'when' clause of a case label is not supported; receive into a local before the switch statement");
                }

                labels.Add(new SwitchLabel(CodeBuilder.Build(_c, label), declared.ToEquatableArray(), label is DefaultSwitchLabelSyntax));
            }

            var statements = new List<Stmt>();
            foreach (var statement in section.Statements)
            {
                statements.AddRange(BindInBlock(statement, switchScope));
            }

            sections.Add(new SwitchSection(labels.ToEquatableArray(), statements.ToEquatableArray(), _c.SectionTargets[section]));
        }

        return new SwitchStmt(governing, governingType, sections.ToEquatableArray(), breakTarget, switchScope, "switch (" + switchStatement.Expression + ")", _c.Span(switchStatement.Expression));
    }

    private Stmt BindTry(TryStatementSyntax tryStatement, int scope)
    {
        var clauses = new List<CatchClause>();
        var catchInfos = new List<(CatchClauseSyntax Syntax, int Id, bool Moves, bool Suspends, bool CatchesExit, bool Excludes, string? Type)>();
        foreach (var clause in tryStatement.Catches)
        {
            var id = _c.CatchCount++;
            var caughtType = clause.Declaration is { } declaration ? _c.Model.GetTypeInfo(declaration.Type, _c.CancellationToken).Type : null;
            var catchesExit = caughtType is not null && IsGeneratorExit(caughtType);
            var excludes = caughtType is null || caughtType.ToDisplayString() == "System.Exception";
            var suspends = _c.Suspends(clause.Block);
            var moves = suspends || catchesExit;
            if (moves)
            {
                _c.MovedCatches[clause] = id;
            }

            catchInfos.Add((clause, id, moves, suspends, catchesExit, excludes, caughtType is null ? null : TypeNames.Of(caughtType)));
        }

        var body = BindBlock(tryStatement.Block, scope);
        foreach (var (syntax, id, moves, suspends, catchesExit, excludes, type) in catchInfos)
        {
            var catchScope = _c.ScopeOf(syntax, scope);
            int? local = null;
            if (syntax.Declaration is { Identifier.RawKind: (int)SyntaxKind.IdentifierToken } declaration
                && _c.Model.GetDeclaredSymbol(declaration, _c.CancellationToken) is ILocalSymbol symbol
                && _c.IsTemplateVariable(symbol))
            {
                local = _c.LocalId(symbol, declaration);
            }

            if (syntax.Filter is { } filterClause && _c.Suspends(filterClause))
            {
                _c.ReportAtSuspensions(DiagnosticDescriptors.UnsupportedConstruct.Id, filterClause, _c.TemplateName, "a suspension point inside an exception filter ('when') is not supported: the filter runs while the exception is being dispatched; receive inside the catch block instead");
            }

            var filter = syntax.Filter is { } f ? CodeBuilder.Build(_c, f.FilterExpression) : null;
            var catchBody = BindBlock(syntax.Block, catchScope);
            var usesRethrow = syntax.Block.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax and not CatchClauseSyntax)
                .OfType<ThrowStatementSyntax>().Any(t => t.Expression is null);
            if (catchesExit && (suspends || (_exitFlow ??= new GeneratorExitFlow(_c)).FallsBackIntoSuspension(syntax)))
            {
                _c.Report(DiagnosticDescriptors.GeneratorExitHandlerSuspends.Id, syntax.CatchKeyword, _c.Method.IsAsync ? "CloseAsync() will then fail with" : "Close() will then throw");
            }

            clauses.Add(new CatchClause(id, type, catchesExit, excludes && !catchesExit, local, filter, catchBody, moves, suspends, usesRethrow, _c.Span(syntax.CatchKeyword)));
        }

        BlockStmt? finallyBlock = tryStatement.Finally is { } fin ? BindBlock(fin.Block, scope) : null;
        return new TryStmt(body, clauses.ToEquatableArray(), finallyBlock, _c.Span(tryStatement.TryKeyword));
    }

    private static bool IsGeneratorExit(ITypeSymbol type) =>
        type.Name == "GeneratorExitException" && type.ContainingNamespace?.ToDisplayString() == "CoroutineGen";

    private Stmt BindUsing(UsingStatementSyntax usingStatement, int scope)
    {
        var isAsync = usingStatement.AwaitKeyword != default;
        if (isAsync && !_c.Method.IsAsync)
        {
            _c.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, usingStatement.AwaitKeyword, _c.TemplateName, "'await using' can only be used in an async template (declare it 'async Task'); use a synchronous 'using'");
            return new CodeStmt(Code.Empty, _c.Span(usingStatement));
        }

        var usingScope = _c.ScopeOf(usingStatement, scope);
        var resources = new List<UsingResource>();
        if (usingStatement.Declaration is { } declaration)
        {
            var type = _c.Model.GetTypeInfo(declaration.Type, _c.CancellationToken).Type;
            foreach (var declarator in declaration.Variables)
            {
                if (_c.Model.GetDeclaredSymbol(declarator, _c.CancellationToken) is ILocalSymbol symbol && _c.IsTemplateVariable(symbol))
                {
                    var local = _c.LocalId(symbol, declarator);
                    var typeText = TypeNames.Of(symbol.Type) ?? "global::System.IDisposable";
                    resources.Add(new UsingResource(local, declarator.Initializer is { } init ? _expressions.Bind(init.Value) : null, typeText, symbol.Type.IsValueType, IsNullableValue(symbol.Type)));
                }
            }

            _ = type;
        }
        else if (usingStatement.Expression is { } expression)
        {
            var type = _c.TypeOf(expression);
            var typeText = TypeNames.Of(type);
            if (typeText is null)
            {
                return Unsupported(expression, "the type of this using statement's resource cannot be named in generated code");
            }

            resources.Add(new UsingResource(null, _expressions.Bind(expression), typeText, type!.IsValueType, IsNullableValue(type)));
        }

        var body = BindEmbedded(usingStatement.Statement, usingScope);
        var header = (isAsync ? "await using (" : "using (") + (usingStatement.Declaration?.ToString() ?? usingStatement.Expression?.ToString()) + ")";
        return new UsingStmt(resources.ToEquatableArray(), body, usingScope, header, _c.Span(usingStatement.UsingKeyword), isAsync);
    }

    private static bool IsNullableValue(ITypeSymbol type) => type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

    private Stmt Unsupported(SyntaxNode node, string why)
    {
        _c.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, node, _c.TemplateName, why);
        return new CodeStmt(Code.Empty, _c.Span(node));
    }

    /// <summary>A statement that cannot contain a suspension point: reported at each suspension point in it.</summary>
    private Stmt UnsupportedAround(SyntaxNode node, string why)
    {
        _c.ReportAtSuspensions(DiagnosticDescriptors.UnsupportedConstruct.Id, node, _c.TemplateName, why);
        return new CodeStmt(Code.Empty, _c.Span(node));
    }

    /// <summary>The first line of a statement, for the comment above its lowered form.</summary>
    public static string Comment(SyntaxNode node)
    {
        // A node's ToString() leaves out its outer trivia, as WithoutTrivia() would, without making a new tree.
        var text = node.ToString();
        var newline = text.IndexOf('\n');
        return newline < 0 ? text : text.Substring(0, newline).TrimEnd('\r') + " ...";
    }
}
