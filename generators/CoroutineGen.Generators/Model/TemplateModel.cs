namespace CoroutineGen.Generators.Model;

/// <summary>
/// Everything the generator needs to emit one template's factory and state machine, as plain equatable data: no
/// symbols, syntax nodes, locations or compilations, so the incremental pipeline can cache it.
/// </summary>
/// <param name="HintName">The generated file's name, from the template's full name; unique unless several templates' names
/// differ only in case or in characters a file name cannot hold (<see cref="HintNames"/> then adds <paramref name="TemplateId"/>'s hash).</param>
/// <param name="TemplateId">The template's documentation comment id: unique in the compilation, compared exactly.</param>
internal sealed record TemplateModel(
    string HintName,
    string TemplateId,
    EquatableArray<string> Usings,
    EquatableArray<NamespaceModel> Namespaces,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string NullableDirective,
    bool NullableAnnotations,
    bool SupportsNullable,
    SignatureModel Signature,
    BodyModel Body);

/// <summary>One level of (possibly nested) namespace declaration, with the using directives written inside it.</summary>
internal sealed record NamespaceModel(string Name, EquatableArray<string> Usings);

/// <summary>One enclosing type, outermost first: <c>[unsafe] partial {Keyword} {Name}{TypeParameters}</c>.</summary>
/// <remarks><see cref="IsUnsafe"/>: the declaration is <c>unsafe</c>, so the template's code may use pointers; the generated part must be too.</remarks>
internal sealed record ContainingTypeModel(string Keyword, string Name, string TypeParameters, bool IsUnsafe = false);

/// <summary>The template's signature, and what the generated factory and class are called.</summary>
internal sealed record SignatureModel(
    string Name,
    string Accessibility,
    bool IsStatic,
    string ClassName,
    string TypeParameters,
    string TypeArguments,
    EquatableArray<string> ConstraintClauses,
    EquatableArray<ParameterModel> Parameters,
    string InboxName,
    string InType,
    string? OutType,
    string? ReturnType,
    string ContainingType,
    string DisplayName,
    string FilePath,
    SourceSpan Span,
    bool Primes = true,
    EquatableArray<Parsing.DocElement> Documentation = default,
    AsyncModel? Async = null);

/// <summary>
/// An <c>async</c> template (Python's asynchronous generator): the body may <c>await</c>; the class implements
/// <c>IAsyncCoroutine</c> and its machine is printed into an <c>async</c> method.
/// </summary>
/// <param name="PooledBuilder">The target framework has <c>PoolingAsyncValueTaskMethodBuilder</c> (.NET 6 and later):
/// the step method uses it, so a call that really awaits reuses its state machine box instead of allocating one.</param>
internal sealed record AsyncModel(bool PooledBuilder);

/// <summary>A template parameter other than the inbox. It becomes a field of the state machine.</summary>
internal sealed record ParameterModel(string Name, string Type, string? DefaultValue, bool IsParams, int Local);

/// <summary>A zero-based line/column span in the template's file, plus the character span (for diagnostics).</summary>
/// <remarks>
/// Two spans are equal when their lines and columns are: the character offsets only place the analyzer's
/// diagnostics (the analyzer parses the template afresh every time, so its offsets are always current), and the
/// generated code depends on lines and columns only (<c>#line</c>). Comparing the offsets would make every edit that
/// adds or removes characters earlier in a file change the model of every template after it, so the incremental
/// pipeline would lower and emit them again, to the same text.
/// </remarks>
internal sealed record SourceSpan(int StartLine, int StartColumn, int EndLine, int EndColumn, int Start, int Length)
{
    public bool Equals(SourceSpan? other) =>
        other is not null
        && StartLine == other.StartLine
        && StartColumn == other.StartColumn
        && EndLine == other.EndLine
        && EndColumn == other.EndColumn;

    public override int GetHashCode() => unchecked((((((StartLine * 397) ^ StartColumn) * 397) ^ EndLine) * 397) ^ EndColumn);

    public override string ToString() => $"({StartLine + 1},{StartColumn + 1})-({EndLine + 1},{EndColumn + 1})";
}

/// <summary>What kind of variable a template local is.</summary>
internal enum LocalKind
{
    Parameter,
    Local,
    PatternVariable,
    OutVariable,
    ForEachVariable,
    CatchVariable,
    UsingVariable,
    Temporary,
}

/// <summary>
/// A variable of the template body (parameters included). The lowering decides whether it is hoisted into a field
/// (it lives across a suspension point) and what it is finally called.
/// </summary>
/// <param name="Type">The type as C# source, or <c>null</c> when it cannot be named (an anonymous type).</param>
/// <param name="IsCaptured">Used inside a lambda or local function.</param>
/// <param name="IsRefLike">A ref struct (such as <c>Span&lt;T&gt;</c>): it cannot live in a field.</param>
/// <param name="IsByRef">A <c>ref</c> local: it cannot live in a field.</param>
/// <param name="HoldsReferences">Clearing its field releases objects (reference types, type parameters, structs with references).</param>
/// <param name="IsValueType">A value type (disposed in place, never boxed).</param>
/// <param name="IsReassigned">Written somewhere after its declaration (assigned, incremented, passed by ref or out).</param>
/// <param name="Scope">The scope that declares it.</param>
/// <param name="AnonymousType">When <see cref="Type"/> is <c>null</c> because the type is or contains an anonymous type: the type as the compiler displays it.</param>
internal sealed record LocalModel(
    int Id,
    string Name,
    string? Type,
    LocalKind Kind,
    bool IsCaptured,
    bool IsRefLike,
    bool IsByRef,
    bool HoldsReferences,
    bool IsValueType,
    bool IsReassigned,
    int Scope,
    SourceSpan? Span,
    string? AnonymousType = null);

/// <summary>A block scope of the template; <see cref="Parent"/> is -1 for the body.</summary>
internal sealed record ScopeModel(int Id, int Parent);

/// <summary>The template body: its statements (in the intermediate representation), locals, scopes, and jump targets.</summary>
internal sealed record BodyModel(
    BlockStmt Block,
    EquatableArray<LocalModel> Locals,
    EquatableArray<ScopeModel> Scopes,
    int SuspensionCount,
    int JumpTargetCount,
    int CatchCount,
    EquatableArray<int> CapturedByLocalFunction,
    bool CapturesThis = false,
    bool DeclaresLocalFunctions = false,
    bool ReadsCancellationToken = false);
