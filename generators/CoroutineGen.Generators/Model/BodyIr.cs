namespace CoroutineGen.Generators.Model;

// The intermediate representation of a template body, produced by the parser (which still has the semantic
// model) and consumed by the lowering (which has only this). A statement that contains no suspension point is a
// CodeStmt: copied user code with holes. Only the statements and expressions on the way to a suspension point are
// represented structurally, because only they are rewritten.

/// <summary>A statement of the template body.</summary>
internal abstract record Stmt;

/// <summary>User code with no suspension point in it, copied as is (up to its holes); its code carries the binder's fact (<see cref="Code.CallFree"/>).</summary>
/// <param name="AssignedLocal">The statement is <c>local = expression;</c> (its code starts with that local): it kills the local's old value.</param>
/// <param name="IsThrow">A <c>throw</c> statement: it never completes normally.</param>
/// <param name="FastCode">Async templates: the same statement as an async coroutine's fast path runs it, with each of its
/// awaits replaced by a <see cref="FastAwaitPart"/>; null when an await of the statement is not at its end (or is not of a
/// task-like operand). Only for a statement that awaits.</param>
internal sealed record CodeStmt(Code Code, SourceSpan? Span, int? AssignedLocal = null, bool IsThrow = false, Code? FastCode = null) : Stmt;

/// <summary>A block (its own scope).</summary>
internal sealed record BlockStmt(EquatableArray<Stmt> Statements, int Scope) : Stmt;

/// <summary>One local declared by a declaration statement in a block that suspends.</summary>
/// <param name="IsConst">A <c>const</c> local: never hoisted, declared where it was.</param>
/// <param name="IsUsing">A <c>using var</c> declaration: disposed when its scope ends.</param>
/// <param name="IsAwaitUsing">An <c>await using var</c> declaration (async templates): disposed with <c>await DisposeAsync()</c>.</param>
internal sealed record LocalDeclStmt(int Local, Expr? Initializer, bool IsConst, bool IsUsing, string Comment, SourceSpan Span, bool IsAwaitUsing = false) : Stmt
{
    /// <summary>The initializer's conversion to the local's type runs nothing (<see cref="Code.CallFree"/>; false when unknown).</summary>
    public bool CallFree { get; init; }
}

/// <summary>An expression statement whose expression suspends.</summary>
/// <param name="AwaitableType">The statement is <c>await Expression;</c>: <see cref="Expression"/> is the operand, of this
/// task-like type (see <see cref="FastAwaitPart"/>).</param>
internal sealed record ExprStmt(Expr Expression, string Comment, SourceSpan Span, string? AwaitableType = null) : Stmt;

/// <summary>An <c>if</c> statement that suspends (in its condition or a branch).</summary>
internal sealed record IfStmt(Expr Condition, Stmt Then, Stmt? Else, string Comment, SourceSpan Span) : Stmt
{
    /// <summary>Testing the condition runs nothing but what its code runs: it is a <c>bool</c>, not converted (<see cref="Code.CallFree"/>).</summary>
    public bool CallFree { get; init; }
}

/// <summary>A <c>while</c> loop that suspends.</summary>
internal sealed record WhileStmt(Expr Condition, Stmt Body, int Break, int Continue, string Comment, SourceSpan Span) : Stmt
{
    /// <summary>Testing the condition runs nothing but what its code runs (see <see cref="IfStmt.CallFree"/>).</summary>
    public bool CallFree { get; init; }
}

/// <summary>A <c>do</c> loop that suspends.</summary>
internal sealed record DoStmt(Stmt Body, Expr Condition, int Break, int Continue, string Comment, SourceSpan Span) : Stmt
{
    /// <summary>Testing the condition runs nothing but what its code runs (see <see cref="IfStmt.CallFree"/>).</summary>
    public bool CallFree { get; init; }
}

/// <summary>A <c>for</c> loop that suspends.</summary>
internal sealed record ForStmt(
    EquatableArray<Stmt> Initializers,
    Expr? Condition,
    EquatableArray<Stmt> Incrementors,
    Stmt Body,
    int Break,
    int Continue,
    int Scope,
    string Comment,
    SourceSpan Span) : Stmt
{
    /// <summary>Testing the condition runs nothing but what its code runs (see <see cref="IfStmt.CallFree"/>).</summary>
    public bool CallFree { get; init; }
}

/// <summary>A <c>foreach</c> loop that suspends. The enumerator is hoisted and disposed when the loop is left.</summary>
/// <param name="IsAsync"><c>await foreach</c> (async templates): <c>await MoveNextAsync()</c>, <c>await DisposeAsync()</c>.</param>
/// <param name="IterationVariables">The loop variable (or the deconstructed ones).</param>
/// <param name="Deconstruction">For <c>foreach (var (a, b) in ...)</c>: the designation code assigning the element, else <c>null</c>.</param>
internal sealed record ForEachStmt(
    Expr Collection,
    string CollectionType,
    ForEachKind Kind,
    string EnumeratorType,
    string GetEnumeratorPrefix,
    string GetEnumeratorSuffix,
    string ElementType,
    string CurrentConversion,
    bool EnumeratorIsDisposable,
    bool EnumeratorIsValueType,
    EquatableArray<int> IterationVariables,
    Code? Deconstruction,
    Stmt Body,
    int Break,
    int Continue,
    int Scope,
    string Comment,
    SourceSpan Span,
    bool IsAsync = false) : Stmt;

/// <summary>How a suspending <c>foreach</c> walks its collection.</summary>
internal enum ForEachKind
{
    /// <summary>An array: indexed, no enumerator.</summary>
    Array,

    /// <summary>A <c>GetEnumerator()</c> pattern (interface or struct enumerator).</summary>
    Enumerator,
}

/// <summary>A <c>switch</c> statement that suspends.</summary>
internal sealed record SwitchStmt(
    Expr Governing,
    string GoverningType,
    EquatableArray<SwitchSection> Sections,
    int Break,
    int Scope,
    string Comment,
    SourceSpan Span) : Stmt;

/// <summary>A switch section; <see cref="Target"/> is the jump target of <c>goto case</c>/<c>goto default</c>.</summary>
internal sealed record SwitchSection(EquatableArray<SwitchLabel> Labels, EquatableArray<Stmt> Statements, int Target);

/// <summary>A case label as copied code (<c>case 1:</c>, <c>case int n when n &gt; 0:</c>, <c>default:</c>), with the pattern variables it declares.</summary>
/// <param name="IsDefault">The <c>default:</c> label: the switch has no way out but its sections.</param>
internal sealed record SwitchLabel(Code Label, EquatableArray<int> Declared, bool IsDefault = false);

/// <summary>A <c>try</c> statement that suspends somewhere (body, a catch, or the finally) or catches <c>GeneratorExitException</c>.</summary>
internal sealed record TryStmt(BlockStmt Body, EquatableArray<CatchClause> Catches, BlockStmt? Finally, SourceSpan Span) : Stmt;

/// <summary>
/// A catch clause. <see cref="Moves"/>: the lowering moves the body out of the catch (it suspends, or it catches
/// GeneratorExitException, which Close() reaches without throwing).
/// </summary>
/// <param name="Type">The caught type as source, or <c>null</c> for a bare <c>catch</c>.</param>
/// <param name="CatchesGeneratorExit">The clause names GeneratorExitException.</param>
/// <param name="ExcludesGeneratorExit">The clause would catch GeneratorExitException in C# (catch, catch (Exception)) but must not, as in Python.</param>
internal sealed record CatchClause(
    int Id,
    string? Type,
    bool CatchesGeneratorExit,
    bool ExcludesGeneratorExit,
    int? Local,
    Code? Filter,
    BlockStmt Body,
    bool Moves,
    bool BodySuspends,
    bool UsesRethrow,
    SourceSpan Span);

/// <summary>A labeled statement in a block that suspends; <see cref="Target"/> is what <c>goto</c> jumps to.</summary>
/// <param name="KeepLabel">The label sits in code that does not suspend, so the gotos that reach it are copied as the user wrote them (by name): the lowering must keep it even though no lowered jump refers to it.</param>
internal sealed record LabeledStmt(int Target, string Label, Stmt Statement, bool KeepLabel = false) : Stmt;

/// <summary><c>return</c> whose value suspends.</summary>
internal sealed record ReturnStmt(Expr Value, string Comment, SourceSpan Span) : Stmt;

/// <summary><c>throw</c> whose exception expression suspends.</summary>
internal sealed record ThrowStmt(Expr Value, string Comment, SourceSpan Span) : Stmt;

/// <summary>A <c>using</c> statement that suspends. Each resource is disposed when the statement is left.</summary>
/// <param name="IsAsync"><c>await using</c> (async templates): disposed with <c>await DisposeAsync()</c>.</param>
internal sealed record UsingStmt(EquatableArray<UsingResource> Resources, Stmt Body, int Scope, string Comment, SourceSpan Span, bool IsAsync = false) : Stmt;

/// <summary>One resource of a using statement: a declared local, or an expression held in a temporary.</summary>
internal sealed record UsingResource(int? Local, Expr? Initializer, string Type, bool IsValueType, bool IsNullable);

/// <summary>A <c>checked</c> or <c>unchecked</c> block that suspends.</summary>
internal sealed record CheckedStmt(bool IsChecked, BlockStmt Block) : Stmt;

/// <summary>
/// A suspension point as a statement: park, and on resume continue here, where the sent value is available as
/// <c>value</c>. Produced by the spiller, which moves every suspension point out of the expressions it was in.
/// </summary>
/// <param name="From">For <c>inbox.YieldFrom(sub)</c>: <see cref="Yielded"/> is the sub, and the coroutine stays parked here, passing
/// what it is sent on to the sub, until the sub finishes.</param>
internal sealed record SuspendStmt(int Point, Code? Yielded, string Comment, SourceSpan Span, YieldFromModel? From = null) : Stmt;

/// <summary>
/// A suspension point that delegates (<c>inbox.YieldFrom(sub)</c>, Python's <c>yield from</c>).
/// </summary>
/// <param name="ResultType">The sub's return type, which the call evaluates to; <c>null</c> when it returns nothing.</param>
internal sealed record YieldFromModel(string? ResultType);

/// <summary>An expression of the template body.</summary>
internal abstract record Expr;

/// <summary>An expression with no suspension point in it; its code carries the binder's fact about it, not about the conversion of its value where it is used (<see cref="Code.CallFree"/>).</summary>
/// <param name="Type">Its type as source, if it has one that can be named.</param>
/// <param name="IsStable">Evaluating it later gives the same value and has no side effects (a constant, <c>this</c>): it needs no temporary.</param>
/// <param name="IsConstantTrue">The compiler's constant value of the expression is <c>true</c> (a loop condition that never ends the loop).</param>
internal sealed record CodeExpr(Code Code, string? Type, bool IsStable, bool IsConstantTrue = false) : Expr;

/// <summary>
/// A suspension point: <c>inbox.Receive()</c>, <c>inbox.Yield(value)</c> with <see cref="Yielded"/>, or
/// <c>inbox.YieldFrom(sub)</c> with <see cref="From"/> and the sub as <see cref="Yielded"/>.
/// </summary>
internal sealed record SuspendExpr(int Point, Expr? Yielded, SourceSpan Span, YieldFromModel? From = null) : Expr
{
    /// <summary>
    /// The binder's fact about the received value where the template uses it: no conversion, or only identity and
    /// built-in numeric ones (the sent value, <c>value</c>, is then call-free code; see <see cref="Code.CallFree"/>).
    /// </summary>
    public bool ReceivedCallFree { get; init; }

    /// <summary>The yielded value's conversion to the coroutine's output type runs nothing (see <see cref="ReceivedCallFree"/>).</summary>
    public bool YieldedCallFree { get; init; }
}

/// <summary>
/// An expression whose operands are evaluated left to right: <c>Pieces[0] Operands[0] Pieces[1] ... Pieces[n]</c>.
/// Calls, operators, element access, interpolated strings, tuples... all take this shape.
/// </summary>
/// <param name="PatternLocals">For an <c>is</c> pattern: the template locals it declares (see <see cref="IsPatternPart"/>).</param>
/// <param name="PatternNegated">The <c>is</c> pattern is <c>is not ...</c>: its variables are assigned when it is false.</param>
/// <remarks>Every piece carries the binder's fact (<see cref="Code.CallFree"/>) about what the expression does with its
/// operands, their conversions included; each operand has its own.</remarks>
internal sealed record CompositeExpr(EquatableArray<Code> Pieces, EquatableArray<Operand> Operands, EquatableArray<int> PatternLocals, bool PatternNegated = false) : Expr;

/// <summary>An operand of a <see cref="CompositeExpr"/>.</summary>
internal sealed record Operand(Expr Value, string? Type, OperandKind Kind);

/// <summary>How an operand evaluated before a suspension point is kept until after it.</summary>
internal enum OperandKind
{
    /// <summary>Its value is stored in a temporary.</summary>
    Value,

    /// <summary>It denotes a variable (a <c>ref</c>/<c>out</c> argument, a struct receiver, an assignment target): its own operands are stored, the variable is referred to again.</summary>
    Variable,
}

/// <summary>
/// <c>new T(args) { ... }</c> whose initializer suspends. C# creates the object first, then runs the member
/// assignments and <c>Add</c> calls in order, so it is lowered that way: a temporary holds the new object and each
/// <see cref="Items"/> entry (<c>.Member = value</c>, <c>[index] = value</c>, <c>.Add(a, b)</c>) is appended to it.
/// </summary>
internal sealed record InitializerExpr(Expr Creation, string Type, EquatableArray<Expr> Items) : Expr;

/// <summary>
/// <c>Receiver?.WhenNotNull</c> where WhenNotNull suspends: it (and its suspension) runs only when the receiver
/// is not null. <see cref="WhenNotNull"/> starts with the member access written after <c>?</c> (<c>.M(...)</c>).
/// </summary>
internal sealed record ConditionalAccessExpr(Expr Receiver, string ReceiverType, bool ReceiverIsNullableValue, Expr WhenNotNull, string? ResultType) : Expr;

/// <summary>
/// <c>throw Value</c> as an expression (the right operand of <c>??</c>, a branch of <c>?:</c>) whose value suspends.
/// It never produces a value: the spiller turns it into a <c>throw</c> statement in its branch.
/// </summary>
internal sealed record ThrowExpr(Expr Value) : Expr;

/// <summary><c>Left &amp;&amp; Right</c> or <c>Left || Right</c>, where Right suspends: it must run only when evaluated.</summary>
internal sealed record LogicalExpr(bool IsAnd, Expr Left, Expr Right) : Expr
{
    /// <summary>The operator is the built-in one on <c>bool</c> operands, not converted (<see cref="Code.CallFree"/>).</summary>
    public bool CallFree { get; init; }
}

/// <summary><c>Left ?? Right</c> where Right suspends.</summary>
internal sealed record CoalesceExpr(Expr Left, string LeftType, Expr Right, string RightType) : Expr;

/// <summary><c>Condition ? WhenTrue : WhenFalse</c> where a branch suspends.</summary>
internal sealed record ConditionalExpr(Expr Condition, Expr WhenTrue, string? TrueType, Expr WhenFalse, string? FalseType) : Expr
{
    /// <summary>The operator and the conversions of its operands run nothing (<see cref="Code.CallFree"/>).</summary>
    public bool CallFree { get; init; }
}

/// <summary>
/// An assignment whose value suspends. <see cref="Target"/> is a variable (a <see cref="CodeExpr"/>, or a
/// <see cref="CompositeExpr"/> whose operands are evaluated before the value).
/// </summary>
/// <param name="Operator"><c>=</c>, a compound operator such as <c>+=</c>, or <c>??=</c>.</param>
/// <param name="TargetIsLocal">The target is a template local or parameter, which nothing else can change while the coroutine is parked.</param>
internal sealed record AssignExpr(Expr Target, string Operator, Expr Value, string TargetType, bool TargetIsLocal) : Expr
{
    /// <summary>
    /// The assignment itself runs nothing: a simple assignment, or a built-in compound operator on primitive operands,
    /// with only identity and built-in numeric conversions of the value (<see cref="Code.CallFree"/>).
    /// </summary>
    public bool CallFree { get; init; }
}
