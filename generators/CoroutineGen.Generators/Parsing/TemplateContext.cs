using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// What the parser knows about the template it is reading: the semantic model, the suspension points found, the
/// locals and jump targets numbered so far, and the diagnostics. Lives only inside one parse.
/// </summary>
internal sealed class TemplateContext
{
    private readonly Dictionary<ISymbol, int> _localIds = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<SyntaxNode, int> _scopes = new();
    private readonly List<ScopeModel> _scopeModels = new();
    private int _nextTarget;
    private int _depth;

    public TemplateContext(SemanticModel model, IMethodSymbol method, MethodDeclarationSyntax syntax, IParameterSymbol inbox, CancellationToken cancellationToken)
    {
        Model = model;
        Method = method;
        Syntax = syntax;
        Inbox = inbox;
        CancellationToken = cancellationToken;
        FilePath = syntax.SyntaxTree.FilePath;
    }

    /// <summary>
    /// How many statements and expressions on the way to a suspension point may nest (each one the parser follows
    /// into is a level). A deeper body is CORO0004, "nested too deeply", like one that exhausts the stack. A fixed
    /// limit, checked before the stack runs low, gives the same answer on every thread: the generator and the analyzer
    /// run on different threads with different stacks (and differently jitted frames), and a guard on the stack alone
    /// let one of them lower a template that the other rejected. A 1 MB stack holds about 150 levels of parentheses
    /// around a receive in a Debug build of the parser; real templates nest a handful.
    /// </summary>
    public const int MaxNestingDepth = 100;

    /// <summary>
    /// Enters one level of a statement or expression that contains a suspension point; dispose the result to leave it.
    /// Throws <see cref="System.InsufficientExecutionStackException"/> beyond <see cref="MaxNestingDepth"/> or when the
    /// stack runs low (the parser turns it into CORO0004).
    /// </summary>
    public Nesting Nest()
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (_depth >= MaxNestingDepth)
        {
            throw new System.InsufficientExecutionStackException($"more than {MaxNestingDepth} nested levels");
        }

        _depth++;
        return new Nesting(this);
    }

    /// <summary>One level entered by <see cref="Nest"/>.</summary>
    public readonly struct Nesting : System.IDisposable
    {
        private readonly TemplateContext _context;

        public Nesting(TemplateContext context) => _context = context;

        public void Dispose() => _context._depth--;
    }

    public SemanticModel Model { get; }

    public IMethodSymbol Method { get; }

    public MethodDeclarationSyntax Syntax { get; }

    public IParameterSymbol Inbox { get; }

    public CancellationToken CancellationToken { get; }

    public string FilePath { get; }

    public string TemplateName => Method.Name;

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    /// <summary>The suspension points (Receive/Yield calls) in source order.</summary>
    public List<InvocationExpressionSyntax> SuspensionPoints { get; } = new();

    /// <summary>Every node that is or contains a suspension point.</summary>
    public HashSet<SyntaxNode> Suspending { get; } = new();

    public List<LocalModel> Locals { get; } = new();

    /// <summary>Locals a local function captures (a local function cannot snapshot a per-iteration frame).</summary>
    public HashSet<int> CapturedByLocalFunction { get; } = new();

    /// <summary>The body calls a member of the inbox that does not bind (a misspelled Receive, Yield on a one-way inbox).</summary>
    public bool HasUnboundInboxMember { get; set; }

    /// <summary>A lambda or local function uses <c>this</c> (explicitly or through an instance member).</summary>
    public bool CapturesThis { get; set; }

    /// <summary>The body reads <c>inbox.CancellationToken</c> (async templates; the inbox cannot escape, so nothing else can).</summary>
    public bool ReadsCancellationToken { get; set; }

    public Dictionary<SyntaxNode, (int Break, int Continue)> LoopTargets { get; } = new();

    public Dictionary<SyntaxNode, int> SwitchBreakTargets { get; } = new();

    public Dictionary<SwitchSectionSyntax, int> SectionTargets { get; } = new();

    public Dictionary<string, int> LabelTargets { get; } = new();

    public Dictionary<CatchClauseSyntax, int> MovedCatches { get; } = new();

    public int CatchCount { get; set; }

    public int JumpTargetCount => _nextTarget;

    public IReadOnlyList<ScopeModel> Scopes => _scopeModels;

    public bool Suspends(SyntaxNode node) => Suspending.Contains(node);

    public int NewTarget() => _nextTarget++;

    public int ScopeOf(SyntaxNode node, int parent)
    {
        if (!_scopes.TryGetValue(node, out var id))
        {
            id = _scopeModels.Count;
            _scopes[node] = id;
            _scopeModels.Add(new ScopeModel(id, parent));
        }

        return id;
    }

    /// <summary>The innermost scope registered for <paramref name="node"/> or an ancestor (0, the body, if none).</summary>
    public int EnclosingScope(SyntaxNode node)
    {
        for (var n = node; n is not null; n = n.Parent)
        {
            if (_scopes.TryGetValue(n, out var id))
            {
                return id;
            }
        }

        return 0;
    }

    public void Report(string id, SyntaxNode node, params string[] args) => Diagnostics.Add(DiagnosticInfo.Create(id, Span(node), args));

    public void Report(string id, SyntaxToken token, params string[] args) => Diagnostics.Add(DiagnosticInfo.Create(id, Span(token), args));

    /// <summary>
    /// Reports a suspension point in a position the lowering cannot handle at each suspension point inside
    /// <paramref name="container"/> (the call is what the user has to move), or at the container if it has none.
    /// </summary>
    public void ReportAtSuspensions(string id, SyntaxNode container, params string[] args)
    {
        var reported = false;
        foreach (var point in SuspensionPoints)
        {
            if (container.Span.Contains(point.Span))
            {
                // One diagnostic per call: an enclosing construct (unsafe { fixed ... }) may have reported it already.
                var span = Span(point);
                if (!Diagnostics.Any(d => d.Id == id && d.Span == span))
                {
                    Report(id, point, args);
                }

                reported = true;
            }
        }

        if (!reported)
        {
            Report(id, container, args);
        }
    }

    public SourceSpan Span(SyntaxNode node) => Span(node.GetLocation());

    public SourceSpan Span(SyntaxToken token) => Span(token.GetLocation());

    public static SourceSpan Span(Location location)
    {
        var line = location.GetLineSpan();
        return new SourceSpan(
            line.StartLinePosition.Line,
            line.StartLinePosition.Character,
            line.EndLinePosition.Line,
            line.EndLinePosition.Character,
            location.SourceSpan.Start,
            location.SourceSpan.Length);
    }

    /// <summary>
    /// The type of <paramref name="expression"/> (its converted type when it has none and <paramref name="converted"/>),
    /// with the top-level nullable annotation of what it names.
    /// </summary>
    /// <remarks>
    /// The generator's semantic model skips the nullable flow analysis (<see cref="FastSemanticModel"/>), and that
    /// analysis is what gives an expression's type its top-level annotation. For an expression that names a local,
    /// parameter, field, property or method result, the annotation is taken from its declaration (a <c>Node?</c>
    /// parameter, the <c>Receive()</c> of an <c>Inbox&lt;string?&gt;</c>), so that temporaries are declared as the
    /// user's types read.
    /// </remarks>
    public ITypeSymbol? TypeOf(ExpressionSyntax expression, bool converted = true)
    {
        var info = Model.GetTypeInfo(expression, CancellationToken);
        var type = converted ? info.Type ?? info.ConvertedType : info.Type;
        if (type is { NullableAnnotation: NullableAnnotation.None, IsValueType: false } && DeclaredType(expression) is { } declared
            && SymbolEqualityComparer.Default.Equals(declared, type))
        {
            return declared;
        }

        return type;
    }

    private ITypeSymbol? DeclaredType(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        if (expression is ConditionalAccessExpressionSyntax conditional)
        {
            // a?.b?.c names what its last link names; the access itself can be null, whatever that is declared as
            return DeclaredType(conditional.WhenNotNull) is { IsReferenceType: true } whenNotNull
                ? whenNotNull.WithNullableAnnotation(NullableAnnotation.Annotated)
                : null;
        }

        if (expression is not (SimpleNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or MemberBindingExpressionSyntax))
        {
            return null;
        }

        return Model.GetSymbolInfo(expression, CancellationToken).Symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            IMethodSymbol method => method.ReturnType,
            _ => null,
        };
    }

    /// <summary>
    /// The symbol a simple name refers to, as <see cref="SemanticModel.GetSymbolInfo(ExpressionSyntax, CancellationToken)"/>
    /// gives it (its symbol, or its only candidate). Locals, parameters and members read through a simple name are
    /// answered from one walk of the body's operations: Roslyn answers each <c>GetSymbolInfo</c> in time proportional to
    /// how deeply the name is nested, so asking it for every name of a deeply nested body (a long <c>else if</c> chain)
    /// took several times longer than compiling the body. Other names are asked one by one.
    /// </summary>
    public ISymbol? SymbolOf(SimpleNameSyntax name)
    {
        if (IsDeep && (_referencedSymbols ??= ReferencedSymbols()).TryGetValue(name, out var symbol))
        {
            return symbol;
        }

        var info = Model.GetSymbolInfo(name, CancellationToken);
        return info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
    }

    /// <summary>
    /// The method an invocation calls, from the same walk as <see cref="SymbolOf"/> when the call binds (an extension
    /// method then comes in its static form, where <c>GetSymbolInfo</c> gives it reduced: enough to tell a receive).
    /// A call that does not bind is asked of the semantic model.
    /// </summary>
    public IMethodSymbol? MethodOf(InvocationExpressionSyntax invocation)
    {
        if (IsDeep && (_referencedSymbols ??= ReferencedSymbols()).TryGetValue(invocation, out var symbol))
        {
            return symbol as IMethodSymbol;
        }

        return Model.GetSymbolInfo(invocation, CancellationToken).Symbol as IMethodSymbol;
    }

    private Dictionary<SyntaxNode, ISymbol>? _referencedSymbols;

    /// <summary>
    /// How deeply a body's syntax must nest before <see cref="SymbolOf"/> and <see cref="MethodOf"/> answer from one
    /// walk of its operations: below it, asking the semantic model name by name binds only what is asked and is
    /// cheaper (the walk binds the whole body and builds its operation tree).
    /// </summary>
    private const int DeepBody = 64;

    private bool? _isDeep;

    private bool IsDeep => _isDeep ??= NestsDeeperThan(Syntax, DeepBody);

    /// <summary>Whether a node lies more than <paramref name="limit"/> levels below <paramref name="node"/> (recursing at most limit + 1 levels deep).</summary>
    private static bool NestsDeeperThan(SyntaxNode node, int limit)
    {
        if (limit < 0)
        {
            return true;
        }

        // (ChildNodesAndTokens is a struct list: no enumerator to allocate per node, as ChildNodes() has.)
        foreach (var child in node.ChildNodesAndTokens())
        {
            if (child.IsNode && NestsDeeperThan(child.AsNode()!, limit - 1))
            {
                return true;
            }
        }

        return false;
    }

    private Dictionary<SyntaxNode, ISymbol> ReferencedSymbols()
    {
        var symbols = new Dictionary<SyntaxNode, ISymbol>();
        if (Model.GetOperation(Syntax, CancellationToken) is not { } body)
        {
            return symbols;
        }

        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            CancellationToken.ThrowIfCancellationRequested();
            var operation = pending.Pop();
            var (syntax, symbol) = operation switch
            {
                Microsoft.CodeAnalysis.Operations.ILocalReferenceOperation local => (operation.Syntax, (ISymbol)local.Local),
                Microsoft.CodeAnalysis.Operations.IParameterReferenceOperation parameter => (operation.Syntax, parameter.Parameter),
                Microsoft.CodeAnalysis.Operations.IFieldReferenceOperation field => (NameOf(operation.Syntax), field.Field),
                Microsoft.CodeAnalysis.Operations.IPropertyReferenceOperation property => (NameOf(operation.Syntax), property.Property),
                Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation when operation.Syntax is InvocationExpressionSyntax => (operation.Syntax, invocation.TargetMethod),
                _ => (null, null),
            };

            if (syntax is SimpleNameSyntax or InvocationExpressionSyntax && symbol is not null)
            {
                symbols[syntax] = symbol;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return symbols;

        static SyntaxNode? NameOf(SyntaxNode syntax) => syntax switch
        {
            SimpleNameSyntax name => name,
            MemberAccessExpressionSyntax access => access.Name,
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="symbol"/> is a variable of the template itself (not of a lambda or local function in it).</summary>
    public bool IsTemplateVariable(ISymbol? symbol) => symbol switch
    {
        ILocalSymbol local => SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, Method),
        IParameterSymbol parameter => SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, Method) && !SymbolEqualityComparer.Default.Equals(parameter, Inbox),
        _ => false,
    };

    /// <summary>The id of a template local or parameter, registering it on first sight.</summary>
    public int LocalId(ISymbol symbol, SyntaxNode declaringNode)
    {
        if (_localIds.TryGetValue(symbol, out var id))
        {
            return id;
        }

        id = Locals.Count;
        _localIds[symbol] = id;
        var type = symbol switch
        {
            ILocalSymbol l => l.Type,
            IParameterSymbol p => p.Type,
            _ => null,
        };
        if (type is { IsReferenceType: true, NullableAnnotation: NullableAnnotation.Annotated } && IsDeclaredWithVar(declaringNode))
        {
            // `var` declares a nullable local in a nullable context, whatever the initializer; the user wrote no `?`.
            type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        }
        var kind = symbol switch
        {
            IParameterSymbol => LocalKind.Parameter,
            ILocalSymbol l when l.IsUsing => LocalKind.UsingVariable,
            ILocalSymbol l when l.IsForEach => LocalKind.ForEachVariable,
            // From the declaration, not from the node that mentions the local first: a use before the declaration
            // (the compiler's CS0841) must not make a pattern variable an ordinary local.
            ILocalSymbol l => DeclarationKind(l.DeclaringSyntaxReferences.Length > 0 && l.DeclaringSyntaxReferences[0].SyntaxTree == declaringNode.SyntaxTree
                ? l.DeclaringSyntaxReferences[0].GetSyntax(CancellationToken)
                : declaringNode),
            _ => LocalKind.Local,
        };
        var refLike = type is { IsRefLikeType: true };
        var byRef = symbol is ILocalSymbol { IsRef: true };
        var span = symbol.Locations.Length > 0 && symbol.Locations[0].IsInSource ? Span(symbol.Locations[0]) : null;
        // A ref local is never a field (HoistingAnalysis reports one that would have to be), so its type text is
        // only used to declare it: keep the 'ref' there.
        var typeText = TypeNames.Of(type);
        if (symbol is ILocalSymbol { RefKind: RefKind.Ref or RefKind.RefReadOnly } refLocal && typeText is not null)
        {
            typeText = (refLocal.RefKind == RefKind.RefReadOnly ? "ref readonly " : "ref ") + typeText;
        }

        Locals.Add(new LocalModel(
            id,
            symbol.Name,
            typeText,
            kind,
            IsCaptured: false,
            refLike,
            byRef,
            TypeNames.HoldsReferences(type),
            type is { IsValueType: true },
            IsReassigned: false,
            kind == LocalKind.Parameter ? 0 : EnclosingScope(declaringNode),
            span,
            typeText is null && type is not null && TypeNames.ContainsAnonymous(type) ? type.ToDisplayString() : null));
        return id;
    }

    private Dictionary<string, string>? _labelNames;

    /// <summary>
    /// The name a label of the template gets in generated code. The lowering's own labels all start with
    /// <c>__</c> (<c>__finish</c>, <c>__resume1</c>...): a user label that does too is renamed (<c>__x</c> becomes
    /// <c>user__x</c>, or <c>user__x2</c>... if the template has a label by that name), in its declaration and in
    /// every goto, so it can never collide with one of them. A keyword label (<c>@if</c>) keeps its <c>@</c>.
    /// </summary>
    public string LabelName(string label)
    {
        if (_labelNames is null)
        {
            _labelNames = new Dictionary<string, string>();
            var taken = new HashSet<string>(Syntax.DescendantNodes().OfType<LabeledStatementSyntax>().Select(l => l.Identifier.ValueText));
            foreach (var name in taken.OrderBy(n => n, System.StringComparer.Ordinal))
            {
                if (!name.StartsWith("__", System.StringComparison.Ordinal))
                {
                    continue;
                }

                var renamed = "user" + name;
                for (int n = 2; taken.Contains(renamed) || _labelNames.ContainsValue(renamed); n++)
                {
                    renamed = "user" + name + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                _labelNames[name] = renamed;
            }
        }

        if (_labelNames.TryGetValue(label, out var result))
        {
            return result;
        }

        return SyntaxFacts.GetKeywordKind(label) != SyntaxKind.None ? "@" + label : label;
    }

    public bool TryGetLocalId(ISymbol symbol, out int id) => _localIds.TryGetValue(symbol, out id);

    public void MarkCaptured(int id) => Locals[id] = Locals[id] with { IsCaptured = true };

    public void MarkReassigned(int id) => Locals[id] = Locals[id] with { IsReassigned = true };

    private static bool IsDeclaredWithVar(SyntaxNode node) => node switch
    {
        VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } => declaration.Type.IsVar,
        ForEachStatementSyntax forEach => forEach.Type.IsVar,
        SingleVariableDesignationSyntax designation => designation.Ancestors().OfType<DeclarationExpressionSyntax>().FirstOrDefault()?.Type.IsVar == true
            || designation.Parent is VarPatternSyntax,
        _ => false,
    };

    private static LocalKind DeclarationKind(SyntaxNode node)
    {
        for (var n = node; n is not null; n = n.Parent)
        {
            switch (n)
            {
                case CatchDeclarationSyntax:
                    return LocalKind.CatchVariable;
                case SingleVariableDesignationSyntax when n.Parent is DeclarationPatternSyntax or VarPatternSyntax or RecursivePatternSyntax or ListPatternSyntax or ParenthesizedVariableDesignationSyntax { Parent: VarPatternSyntax }:
                    return LocalKind.PatternVariable;
                case SingleVariableDesignationSyntax when n.Parent is DeclarationExpressionSyntax { Parent: ArgumentSyntax }:
                    return LocalKind.OutVariable;
                case StatementSyntax:
                    return LocalKind.Local;
            }
        }

        return LocalKind.Local;
    }
}
