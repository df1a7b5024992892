using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CoroutineGen.Generators.Lowering;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Emit;

/// <summary>
/// Writes the generated file for one template: the factory overload and the nested state-machine class, in the
/// template's namespace and partial types. The lowered body goes into <c>__Step</c>, the state machine (priming,
/// <c>Throw</c> and <c>Close</c> entries, every resume point). <c>Send</c> first tries its fast paths: for the
/// suspension points of the innermost loops, a copy of the code from the resume point to the next park, with no
/// dispatch and only the exception handling that code needs (none where it calls nothing); see <see cref="Lowering.FastPath"/>.
/// </summary>
internal sealed class CoroutineEmitter
{
    private const string Runtime = "global::CoroutineGen.CoroutineRuntime";

    private readonly LoweredCoroutine _coroutine;
    private readonly TemplateModel _model;
    private readonly SignatureModel _signature;
    private readonly CodeRenderer _renderer;
    private readonly SourceWriter _w = new();
    private readonly StateNumbering _states;

    /// <summary>How the parks being printed leave their method (<see cref="EmitPark"/>).</summary>
    private readonly System.Threading.CancellationToken _cancellationToken;

    private CoroutineEmitter(LoweredCoroutine coroutine, System.Threading.CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        _coroutine = coroutine;
        _model = coroutine.Model;
        _signature = _model.Signature;
        _renderer = new CodeRenderer(coroutine);
        _states = coroutine.States;
    }

    public static string Version { get; } = typeof(CoroutineEmitter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Prints the lowered coroutine as the generated source file.</summary>
    public static string Emit(LoweredCoroutine coroutine, System.Threading.CancellationToken cancellationToken = default) =>
        new CoroutineEmitter(coroutine, cancellationToken).EmitFile();

    private bool Bidirectional => _signature.OutType is not null;

    /// <summary>
    /// An async template: the same machine, printed into an <c>async</c> step method (the user's awaits stay for the C#
    /// compiler), behind <c>SendAsync</c>/<c>ThrowAsync</c>/<c>CloseAsync</c>.
    /// </summary>
    private bool IsAsync => _signature.Async is not null;

    /// <summary>
    /// An async coroutine keeps the token of the call running its body in <c>__cancellationToken</c> only when the body
    /// reads <c>inbox.CancellationToken</c>: nothing else can observe it.
    /// </summary>
    private bool KeepsToken => IsAsync && _model.Body.ReadsCancellationToken;

    private const string Tasks = "global::System.Threading.Tasks";

    private const string Token = "global::System.Threading.CancellationToken";

    /// <summary>Runs the machine: <c>__Step(args)</c>, or <c>await __StepAsync(args, token)</c> in an async coroutine.</summary>
    private string Step(string arguments, string token = "cancellationToken") => IsAsync
        ? $"await __StepAsync({arguments}, {token}).ConfigureAwait(false)"
        : $"__Step({arguments})";

    // `default!` where the language has nullable reference types (C# 8), so that the scaffolding is warning-free
    // even without the pragma; plain `default` before.
    private string Default => _model.SupportsNullable ? "default!" : "default";

    private string NotNull => _model.SupportsNullable ? "!" : string.Empty;

    private string GeneratedCode => $"[global::System.CodeDom.Compiler.GeneratedCode(\"CoroutineGen\", \"{Version}\")]";

    private string ClassType => _signature.ClassName + _signature.TypeArguments;

    // A template that returns a value gives an IReturningCoroutine, which YieldFrom types by its result; its
    // ICoroutinePrimingResult hands a YieldFrom the value of a body that finished while being primed.
    private string InterfaceType => IsAsync ? AsyncInterfaceType : (Bidirectional, _signature.ReturnType) switch
    {
        (true, null) => $"global::CoroutineGen.ICoroutine<{_signature.InType}, {_signature.OutType}>",
        (false, null) => $"global::CoroutineGen.ICoroutine<{_signature.InType}>",
        (true, { } result) => $"global::CoroutineGen.IReturningCoroutine<{_signature.InType}, {_signature.OutType}, {result}>, global::CoroutineGen.ICoroutinePrimingResult",
        (false, { } result) => $"global::CoroutineGen.IReturningCoroutine<{_signature.InType}, {result}>, global::CoroutineGen.ICoroutinePrimingResult",
    };

    private string AsyncInterfaceType => (Bidirectional, _signature.ReturnType) switch
    {
        (true, null) => $"global::CoroutineGen.IAsyncCoroutine<{_signature.InType}, {_signature.OutType}>",
        (false, null) => $"global::CoroutineGen.IAsyncCoroutine<{_signature.InType}>",
        (true, { } result) => $"global::CoroutineGen.IAsyncReturningCoroutine<{_signature.InType}, {_signature.OutType}, {result}>",
        (false, { } result) => $"global::CoroutineGen.IAsyncReturningCoroutine<{_signature.InType}, {result}>",
    };

    private string DelegationType => Bidirectional
        ? $"global::CoroutineGen.Delegation<{_signature.InType}, {_signature.OutType}>"
        : $"global::CoroutineGen.Delegation<{_signature.InType}>";

    private string EmitFile()
    {
        _w.Line("// <auto-generated/>");
        _w.Line($"// Generated by CoroutineGen from the [Coroutine] template {_signature.DisplayName}.");
        _w.Line("// Every warning is disabled: the template itself is compiled too, and reports its own.");
        _w.Directive("#pragma warning disable");
        if (_model.SupportsNullable)
        {
            _w.Directive("#nullable " + _model.NullableDirective);
        }
        _w.Line();
        foreach (var directive in _model.Usings)
        {
            _w.Line(directive);
        }

        if (_model.Usings.Count > 0)
        {
            _w.Line();
        }

        foreach (var ns in _model.Namespaces)
        {
            _w.Open("namespace " + ns.Name);
            foreach (var directive in ns.Usings)
            {
                _w.Line(directive);
            }

            if (ns.Usings.Count > 0)
            {
                _w.Line();
            }
        }

        foreach (var type in _model.ContainingTypes)
        {
            _w.Open($"{(type.IsUnsafe ? "unsafe " : string.Empty)}partial {type.Keyword} {type.Name}{type.TypeParameters}");
        }

        EmitFactory();
        _w.Line();
        EmitClass();

        foreach (var _ in _model.ContainingTypes)
        {
            _w.Close();
        }

        foreach (var _ in _model.Namespaces)
        {
            _w.Close();
        }

        return _w.ToString();
    }

    // ------------------------------------------------------------------ factory

    private void EmitFactory()
    {
        var parameters = string.Join(", ", _signature.Parameters.Select(p =>
            (p.IsParams ? "params " : string.Empty) + p.Type + " " + p.Name + (p.DefaultValue is null ? string.Empty : " = " + p.DefaultValue)));
        var arguments = string.Join(", ", (_signature.IsStatic ? Enumerable.Empty<string>() : new[] { "this" }).Concat(_signature.Parameters.Select(p => p.Name)));
        var local = "__coroutine";
        while (_signature.Parameters.Any(p => p.Name == local))
        {
            local = "_" + local;
        }

        if (!_signature.Documentation.IsEmpty)
        {
            EmitFactoryDocumentation();
        }
        else
        {
            EmitFactorySummary();
        }

        _w.Line(GeneratedCode);
        // An async coroutine is primed asynchronously: its body may await before its first suspension point.
        var primesAsync = IsAsync && _signature.Primes;
        var factoryType = primesAsync ? $"async {Tasks}.ValueTask<{ClassType}>" : ClassType;
        _w.Line($"{_signature.Accessibility}{(_signature.IsStatic ? " static" : string.Empty)} {factoryType} {_signature.Name}{_signature.TypeParameters}({parameters})");
        foreach (var clause in _signature.ConstraintClauses)
        {
            _w.Line("    " + clause);
        }

        _w.Line("{");
        _w.Indent++;
        _w.Line($"var {local} = new {ClassType}({arguments});");
        if (_signature.Primes)
        {
            _w.Line(IsAsync ? $"await {local}.__StartAsync().ConfigureAwait(false);" : $"{local}.__Start();");
        }

        _w.Line($"return {local};");
        _w.Close();
    }

    /// <summary>The generator's own summary of the factory, for a template without a documentation comment.</summary>
    private string SendName => IsAsync ? "SendAsync" : "Send";

    private void EmitFactorySummary()
    {
        _w.Line("/// <summary>");
        if (_signature.Primes)
        {
            _w.Line($"/// Creates the coroutine of the template <c>{Xml(_signature.DisplayName)}</c> and primes it: runs its body up to the first");
            _w.Line("/// suspension point, as Python's <c>@coroutine</c> decorator does.");
        }
        else
        {
            _w.Line($"/// Creates the coroutine of the template <c>{Xml(_signature.DisplayName)}</c> without running any of its body (it is");
            _w.Line($"/// <see cref=\"global::CoroutineGen.CoroutineState.Created\"/>): <c>{SendName}(default)</c> starts it.");
        }

        _w.Line("/// </summary>");
    }

    /// <summary>
    /// The template's documentation comment, carried to the factory (callers hover and complete the factory): every
    /// element but the inbox's <c>param</c>, a <c>returns</c> that says it is the coroutine's <c>Result</c>, and a
    /// remark on priming.
    /// </summary>
    private void EmitFactoryDocumentation()
    {
        var priming = _signature.Primes
            ? $"The factory of the coroutine template <c>{Xml(_signature.DisplayName)}</c>: it creates the coroutine and primes it (runs its body up to the first suspension point, as Python's <c>@coroutine</c> decorator does)."
            : $"The factory of the coroutine template <c>{Xml(_signature.DisplayName)}</c>: it creates the coroutine without running any of its body (it is <see cref=\"global::CoroutineGen.CoroutineState.Created\"/>); <c>{SendName}(default)</c> starts it.";
        var remarked = false;
        foreach (var element in _signature.Documentation)
        {
            switch (element.Name)
            {
                case "returns":
                    DocumentationLines($"<returns>The coroutine. What its body returns (its <c>Result</c>): {element.Inner}</returns>");
                    break;
                case "remarks":
                    DocumentationLines($"<remarks>{element.Inner}<para>{priming}</para></remarks>");
                    remarked = true;
                    break;
                default:
                    DocumentationLines(element.Xml);
                    break;
            }
        }

        if (!remarked)
        {
            DocumentationLines($"<remarks>{priming}</remarks>");
        }
    }

    private void DocumentationLines(string xml)
    {
        foreach (var line in xml.Split('\n'))
        {
            _w.Line(("/// " + line.TrimEnd('\r')).TrimEnd());
        }
    }

    // ------------------------------------------------------------------ class

    private void EmitClass()
    {
        _w.Line("/// <summary>");
        _w.Line($"/// The state machine CoroutineGen generated from the template <c>{Xml(_signature.DisplayName)}</c>: send values to it,");
        _w.Line("/// throw exceptions into it, close it.");
        _w.Line("/// </summary>");
        _w.Line(GeneratedCode);
        _w.Line("[global::System.Diagnostics.DebuggerDisplay(\"{ToString(),nq}\")]");
        _w.Line($"{_signature.Accessibility} sealed class {ClassType} : {InterfaceType}");
        foreach (var clause in _signature.ConstraintClauses)
        {
            _w.Line("    " + clause);
        }

        _w.Line("{");
        _w.Indent++;
        EmitFields();
        _w.Line();
        EmitConstructor();
        _w.Line();
        EmitProperties();
        EmitToString();
        if (IsAsync)
        {
            EmitAsyncMembers();
        }
        else
        {
            EmitSend();
            _w.Line();
            EmitThrow();
            _w.Line();
            EmitClose();
            _w.Line();
            _w.Line("/// <summary>Closes the coroutine (<see cref=\"Close\"/>).</summary>");
            _w.Line("public void Dispose() => Close();");
            _w.Line();
        }

        if (Bidirectional && !IsAsync)
        {
            // ICoroutine<TIn, TOut> is also an ICoroutine<TIn> (a one-way target): its Send and Throw drop the value yielded.
            _w.Line($"void global::CoroutineGen.ICoroutine<{_signature.InType}>.Send({_signature.InType} value) => Send(value);");
            _w.Line();
            _w.Line($"void global::CoroutineGen.ICoroutine<{_signature.InType}>.Throw(global::System.Exception exception) => Throw(exception);");
            _w.Line();
        }

        EmitHelpers();
        foreach (var frame in _coroutine.Frames)
        {
            _w.Line();
            _w.Open($"private sealed class {frame.ClassName}");
            foreach (var local in frame.Locals)
            {
                _w.Line($"public {_coroutine.Locals[local].Type} {NameAllocator.Identifier(_coroutine.Locals[local].Name)} = {Default};");
            }

            _w.Close();
        }

        _w.Close();
    }

    private void EmitFields()
    {
        _w.Line("// 0 before priming, k > 0 while parked at suspension point k, -1 while running, -2 once finished.");
        _w.Line("private int __state;");
        if (Bidirectional)
        {
            _w.Line("// The value most recently yielded.");
            _w.Line($"private {_signature.OutType} __current = {Default};");
        }

        if (_signature.ReturnType is { } returnType)
        {
            _w.Line("// The template's return value.");
            _w.Line($"private {returnType} __result = {Default};");
        }

        if (KeepsToken)
        {
            // A field, not the step method's parameter: a lambda made in one call reads the token of the call running
            // when it is called (none while no call runs).
            _w.Line("// The token of the call running the body (inbox.CancellationToken), default while no call runs it.");
            _w.Line($"private {Token} __cancellationToken;");
        }

        if (!_signature.IsStatic)
        {
            _w.Line("// The instance the template was called on.");
            _w.Line($"private {_signature.ContainingType} __this;");
        }

        var parameters = _signature.Parameters.Select(p => p.Local).ToList();
        if (parameters.Count > 0)
        {
            _w.Line("// The template's parameters.");
            foreach (var local in parameters)
            {
                _w.Line($"private {_coroutine.Locals[local].Type} {_renderer.Name(local)};");
            }
        }

        // The fields of the coroutine itself (a capture frame's locals are fields of the frame).
        var hoisted = Enumerable.Range(0, _coroutine.Locals.Count).Where(l => _coroutine.Locals[l].Hoisted && _coroutine.Locals[l].Model.Kind != LocalKind.Parameter).ToList();
        if (hoisted.Count > 0)
        {
            _w.Line("// Locals that live across a suspension point.");
            foreach (var local in hoisted)
            {
                _w.Line($"private {_coroutine.Locals[local].Type} {_renderer.Name(local)} = {Default};");
            }
        }

        foreach (var field in _coroutine.DelegationFields)
        {
            _w.Line("// The sub-coroutine of a YieldFrom while the coroutine delegates to it, then its return value.");
            _w.Line($"private {DelegationType} {field};");
        }

        foreach (var frame in _coroutine.Frames)
        {
            _w.Line($"// The variables of a block that lambdas capture: each execution of the block gets its own {frame.ClassName}.");
            _w.Line($"private {frame.ClassName} {frame.Field} = {Default};");
        }
    }

    private void EmitConstructor()
    {
        var parameters = (_signature.IsStatic ? Enumerable.Empty<string>() : new[] { _signature.ContainingType + " __this" })
            .Concat(_signature.Parameters.Select(p => p.Type + " " + p.Name));
        _w.Open($"internal {_signature.ClassName}({string.Join(", ", parameters)})");
        if (!_signature.IsStatic)
        {
            _w.Line("this.__this = __this;");
        }

        foreach (var p in _signature.Parameters)
        {
            _w.Line($"{_renderer.Name(p.Local)} = {p.Name};");
        }

        _w.Close();
    }

    /// <summary>
    /// <c>ToString()</c>, which the debugger shows for a coroutine (<c>[DebuggerDisplay]</c>): the template, the
    /// state and, while suspended, the template line it is parked at, e.g.
    /// <c>Grep: Suspended at Templates.cs:14 string line = inbox.Receive();</c>.
    /// </summary>
    private void EmitToString()
    {
        var file = System.IO.Path.GetFileName(_signature.FilePath);
        var places = _coroutine.Suspensions
            .Select(s => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(
                $"{file}:{(s.Span.StartLine + 1).ToString(CultureInfo.InvariantCulture)} {s.Comment}", quote: true))
            .ToList();
        var name = _signature.Name.TrimStart('@') + ": ";
        string Literal(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
        _w.Line("// Where each suspension point is in the template (state k parks at the k-th), for ToString().");
        _w.Line($"private static readonly string[] __parkedAt = new string[] {{ {string.Join(", ", places)} }};");
        _w.Line();
        _w.Line("/// <summary>The template, the state and, while suspended, the template line it is parked at (what the debugger shows).</summary>");
        _w.Line($"public override string ToString() => __state > 0 && __state <= __parkedAt.Length");
        _w.Line($"    ? {Literal(name + "Suspended at ")} + __parkedAt[__state - 1]");
        _w.Line($"    : {Literal(name)} + {Runtime}.ToState(__state).ToString();");
        _w.Line();
    }

    private void EmitProperties()
    {
        _w.Line("/// <inheritdoc/>");
        _w.Line($"public global::CoroutineGen.CoroutineState State => {Runtime}.ToState(__state);");
        _w.Line();
        if (Bidirectional)
        {
            _w.Line("/// <inheritdoc/>");
            _w.Line($"public {_signature.OutType} Current => __current;");
            _w.Line();
        }

        if (_signature.ReturnType is { } returnType)
        {
            _w.Line("/// <inheritdoc/>");
            _w.Line($"public {returnType} Result => __result;");
            _w.Line();
        }
    }

    // ------------------------------------------------------------------ Send: the state machine

    private const string MethodImpl = "global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.";

    private string ReturnType => Bidirectional ? _signature.OutType! : "void";

    /// <summary>What SendAsync and the async step method return.</summary>
    private string StepType => Bidirectional ? $"{Tasks}.ValueTask<{_signature.OutType}>" : $"{Tasks}.ValueTask";

    /// <summary>
    /// <c>Send</c>: the fast paths (see <see cref="Lowering.FastPath"/>), then the full state machine <c>__Step</c> for
    /// everything else. A fast path copies the code that runs from one resume point to the next park out of the
    /// machine, so a parked coroutine resumes without the dispatch and, where the copied code cannot raise anything
    /// a handler needs, without any exception handler: small enough for the JIT to inline it into its caller.
    /// </summary>
    private void EmitSend()
    {
        var paths = _coroutine.FastPaths;
        var step = Bidirectional ? "return __Step(value);" : "__Step(value);";
        if (paths.Count == 0)
        {
            _w.Line("/// <inheritdoc/>");
            _w.Line($"public {ReturnType} Send({_signature.InType} value) => __Step(value);");
            _w.Line();
            EmitStep(noInlining: false);
            return;
        }

        var inline = paths.All(p => p.Handling == FastPathHandling.None);
        if (inline)
        {
            _w.Line("// No exception handler on the fast path: small enough to be inlined into the caller.");
        }

        _w.Line("/// <inheritdoc/>");
        if (inline)
        {
            _w.Line($"[{MethodImpl}AggressiveInlining)]");
        }

        _w.Open($"public {ReturnType} Send({_signature.InType} value)");
        _w.Directive("#line hidden");
        foreach (var path in paths)
        {
            EmitFastPath(path);
            _w.Line();
        }

        _w.Line("// Not parked at a fast path's suspension point: the full state machine.");
        _w.Line(step);
        _w.Directive("#line default");
        _w.Close();
        _w.Line();
        EmitStep(noInlining: true);
    }

    /// <summary>
    /// An async coroutine's public surface: <c>SendAsync</c> tries its fast paths (<see cref="EmitAsyncSend"/>), then runs
    /// the async step method; <c>ThrowAsync</c> and <c>CloseAsync</c> enter it at the same throw and close entries as the
    /// synchronous <c>Throw</c> and <c>Close</c>, <c>DisposeAsync</c> closes.
    /// </summary>
    private void EmitAsyncMembers()
    {
        if (_coroutine.FastPaths.Count == 0)
        {
            _w.Line("/// <inheritdoc/>");
            _w.Line($"public {StepType} SendAsync({_signature.InType} value, {Token} cancellationToken = default) => __StepAsync(value, null, false, cancellationToken);");
        }
        else
        {
            EmitAsyncSend();
        }

        _w.Line();
        EmitThrow();
        _w.Line();
        EmitClose();
        _w.Line();
        _w.Line("/// <summary>Closes the coroutine (<see cref=\"CloseAsync\"/>).</summary>");
        _w.Line($"public {Tasks}.ValueTask DisposeAsync() => CloseAsync();");
        _w.Line();
        if (Bidirectional)
        {
            // IAsyncCoroutine<TIn, TOut> is also an IAsyncCoroutine<TIn> (a one-way target): its SendAsync and ThrowAsync
            // drop the value yielded.
            var oneWay = $"global::CoroutineGen.IAsyncCoroutine<{_signature.InType}>";
            // Without an async method while the two-way call completes at once (its fast path).
            _w.Open($"{Tasks}.ValueTask {oneWay}.SendAsync({_signature.InType} value, {Token} cancellationToken)");
            _w.Line("var sent = SendAsync(value, cancellationToken);");
            _w.Open("if (sent.IsCompletedSuccessfully)");
            _w.Line("_ = sent.Result;");
            _w.Line("return default;");
            _w.Close();
            _w.Line();
            _w.Line($"return new {Tasks}.ValueTask(sent.AsTask());");
            _w.Close();
            _w.Line();
            _w.Line($"async {Tasks}.ValueTask {oneWay}.ThrowAsync(global::System.Exception exception, {Token} cancellationToken) => await ThrowAsync(exception, cancellationToken).ConfigureAwait(false);");
            _w.Line();
        }

        EmitStep(noInlining: false);
    }

    /// <summary>
    /// An async coroutine's <c>SendAsync</c> with fast paths. It is not an async method: when every await of the segment
    /// completes at once, it runs the segment, parks and returns a completed task, with no async state machine at all.
    /// An await that does not complete at once comes last in the segment (only parking follows it, which
    /// <see cref="FastPathSelection"/> checks), so the rest of the call is a small async method that awaits it and
    /// parks (<see cref="EmitAwaitThenPark"/>). Every exception goes back to the full machine, at the throw entry of
    /// the suspension point (inside the same try statements), so that the call's task reports it.
    /// </summary>
    private void EmitAsyncSend()
    {
        _w.Line("/// <inheritdoc/>");
        _w.Open($"public {StepType} SendAsync({_signature.InType} value, {Token} cancellationToken = default)");
        _w.Directive("#line hidden");
        foreach (var path in _coroutine.FastPaths)
        {
            EmitAsyncFastPath(path);
            _w.Line();
        }

        _w.Line("// Not parked at a fast path's suspension point: the full state machine.");
        _w.Line("return __StepAsync(value, null, false, cancellationToken);");
        _w.Directive("#line default");
        _w.Close();
        foreach (var path in _coroutine.FastPaths)
        {
            foreach (var fastAwait in path.Awaits)
            {
                _w.Line();
                EmitAwaitThenPark(path, fastAwait);
            }
        }
    }

    private void EmitAsyncFastPath(FastPath path)
    {
        var number = StateNumbering.Text(path.Suspend.State);
        _w.Open($"if (__state == {number})");
        _w.Line($"// Fast path: resumed at suspension point {number}, runs to the next one (a copy of the code after {path.Suspend.Resume.Label} in __StepAsync).");
        foreach (var local in path.Undeclared)
        {
            _w.Line($"{_coroutine.Locals[local].Type} {_renderer.Name(local)} = {Default}; // written before it is read");
        }

        _w.Line($"__state = {Runtime}.Running;");
        if (KeepsToken)
        {
            _w.Line("__cancellationToken = cancellationToken;");
        }

        _w.Open("try");
        EmitFastNodes(path, ParkExit.SendAsync);
        _w.Close();
        _w.Open("catch (global::System.Exception __leaked)");
        EmitToThrowEntry(path, $"return __StepAsync({Default}, __leaked, false, cancellationToken);");
        _w.Close();
        _w.Close();
    }

    /// <summary>
    /// Hands an exception of a fast path's segment to the full machine, which raises it again at the throw entry:
    /// <paramref name="call"/> is the statement that runs the machine with <c>__leaked</c>.
    /// </summary>
    private void EmitToThrowEntry(FastPath path, string call)
    {
        _w.Line($"// Raised inside the template's try statements: the full machine raises it again at the throw entry of");
        _w.Line($"// suspension point {StateNumbering.Text(path.Suspend.State)}, which is inside the same try statements, so the same handlers and finally blocks run.");
        _w.Line($"__state = {StateNumbering.Text(path.Suspend.Throw.State)};");
        _w.Line(call);
    }

    /// <summary>
    /// The await of an async fast path that did not complete at once: awaits it and parks, as the fast path would have
    /// after it (<see cref="FastPathAwait"/>).
    /// </summary>
    private void EmitAwaitThenPark(FastPath path, FastPathAwait fastAwait)
    {
        _w.Line($"// The rest of SendAsync when the await of its fast path at suspension point {StateNumbering.Text(path.Suspend.State)} does not complete at once: await, then park.");
        if (_signature.Async!.PooledBuilder)
        {
            _w.Line($"[global::System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(global::System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder{(Bidirectional ? "<>" : string.Empty)}))]");
        }

        _w.Open($"private async {StepType} {FastPathSelection.AwaitThenParkMethod(fastAwait.Await.Number)}({fastAwait.Await.AwaitableType} __awaited, {Token} cancellationToken)");
        _w.Directive("#line hidden");
        _w.Open("try");
        Mapped(fastAwait.Await.Span, "await __awaited;", 0);
        _w.Close();
        _w.Open("catch (global::System.Exception __leaked)");
        EmitToThrowEntry(path, $"{(Bidirectional ? "return await" : "await")} __StepAsync({Default}, __leaked, false, cancellationToken).ConfigureAwait(false);");
        if (!Bidirectional)
        {
            _w.Line("return;");
        }

        _w.Close();
        _w.Line();
        EmitPark(fastAwait.Park, ParkExit.AwaitThenPark);
        _w.Directive("#line default");
        _w.Close();
    }

    private void EmitFastPath(FastPath path)
    {
        var number = StateNumbering.Text(path.Suspend.State);
        var returnNothing = Bidirectional ? "return __current;" : "return;";
        _w.Open($"if (__state == {number})");
        _w.Line($"// Fast path: resumed at suspension point {number}, runs to the next one (a copy of the code after {path.Suspend.Resume.Label} in __Step).");
        foreach (var local in path.Undeclared)
        {
            _w.Line($"{_coroutine.Locals[local].Type} {_renderer.Name(local)} = {Default}; // written before it is read");
        }

        try
        {
            if (path.Handling == FastPathHandling.None)
            {
                _w.Line("// This code calls nothing, creates nothing and throws nothing: nothing can observe the coroutine while it runs,");
                _w.Line("// and the only exceptions it can raise (NullReferenceException, overflow, ...) are caught by no handler of the");
                _w.Line("// template. So no try region: the state is Finished until it parks again, which is what such an exception leaves.");
                _w.Line($"__state = {Runtime}.Finished;");
                EmitFastNodes(path, ParkExit.Return);
                return;
            }

            _w.Line($"__state = {Runtime}.Running;");
            _w.Open("try");
            EmitFastNodes(path, ParkExit.Return);
            _w.Close();
            switch (path.Handling)
            {
                case FastPathHandling.CloseEntry:
                    _w.Open("catch (global::CoroutineGen.GeneratorExitException)");
                    _w.Line("// Handled after this try statement, by the template's catch (GeneratorExitException).");
                    _w.Close();
                    EmitMachineClauses();
                    _w.Line();
                    _w.Line($"// The close entry of suspension point {number} jumps to the template's catch (GeneratorExitException).");
                    _w.Line($"__state = {StateNumbering.Text(path.Suspend.Close!.State)};");
                    _w.Line(Bidirectional ? $"return __Step({Default});" : $"__Step({Default});");
                    if (!Bidirectional)
                    {
                        _w.Line(returnNothing);
                    }

                    break;
                case FastPathHandling.ThrowEntry:
                    _w.Open("catch (global::System.Exception __leaked)");
                    EmitToThrowEntry(path, Bidirectional ? $"return __Step({Default}, __leaked);" : $"__Step({Default}, __leaked);");
                    if (!Bidirectional)
                    {
                        _w.Line(returnNothing);
                    }

                    _w.Close();
                    break;
                default:
                    EmitMachineClauses();
                    break;
            }
        }
        finally
        {
            _w.Close();
        }
    }

    /// <summary>The segment, entered at the resume label (a jump there unless the segment starts with it).</summary>
    private void EmitFastNodes(FastPath path, ParkExit exit)
    {
        var nodes = WithoutUnusedLabels(path.Nodes);
        if (nodes.Count > 0 && nodes[0] is LLabel first && first.Name == path.Suspend.Resume.Label)
        {
            nodes.RemoveAt(0);
        }
        else
        {
            _w.Line($"goto {path.Suspend.Resume.Label};");
        }

        EmitNodes(nodes, exit);
    }

    /// <summary>The labels the nodes jump to (the others would be unused labels in Send).</summary>
    private static List<LNode> WithoutUnusedLabels(List<LNode> nodes)
    {
        var targets = new HashSet<string>();
        foreach (var node in nodes)
        {
            switch (node)
            {
                case LGoto go:
                    targets.Add(go.Target);
                    break;
                case LCondGoto condition:
                    targets.Add(condition.Target);
                    break;
                case LCode code:
                    foreach (var part in code.Code.AllParts().OfType<GotoPart>())
                    {
                        targets.Add(part.Label);
                    }

                    break;
                case LSwitchDispatch dispatch:
                    foreach (var label in dispatch.Cases)
                    {
                        targets.Add(label.Target);
                    }

                    break;
            }
        }

        return nodes.Where(n => n is not LLabel label || label.Kept || targets.Contains(label.Name)).ToList();
    }

    /// <summary>The two clauses around the whole body: PEP 479, and finished when an exception escapes.</summary>
    private void EmitMachineClauses()
    {
        _w.Open("catch (global::CoroutineGen.StopIterationException __leaked)");
        _w.Line("// A StopIterationException escaping the body is an error, not the end of this coroutine (PEP 479).");
        _w.Line("__Release();");
        _w.Line($"throw {Runtime}.RaisedStopIteration(__leaked);");
        _w.Close();
        _w.Open("catch");
        _w.Line("__Release();");
        _w.Line("throw;");
        _w.Close();
        if (KeepsToken)
        {
            // Whichever way the call leaves the body (parked, finished, failed), no call runs it any more.
            _w.Open("finally");
            _w.Line("__cancellationToken = default;");
            _w.Close();
        }
    }

    /// <summary>The full state machine: priming, the throw and close entries, and every state without a fast path.</summary>
    private void EmitStep(bool noInlining)
    {
        var returnNothing = Bidirectional ? $"return {Default};" : "return;";
        _w.Line("// The state machine. __pending: the exception Throw() raises at the suspension point; __noStop: priming or");
        _w.Line("// closing, where finishing is not an error (no StopIterationException).");
        if (KeepsToken)
        {
            _w.Line("// __cancellationToken: the token of the SendAsync, ThrowAsync or CloseAsync call running the body (inbox.CancellationToken).");
        }

        if (noInlining)
        {
            _w.Line($"[{MethodImpl}NoInlining)]");
        }

        var exceptionType = "global::System.Exception" + (_model.NullableAnnotations ? "?" : string.Empty);
        if (IsAsync)
        {
            // The user's awaits stay in the body: the C# compiler lowers them. __token, the token of the call running the
            // body, goes to the __cancellationToken field once the call is accepted (inbox.CancellationToken reads it).
            if (_signature.Async!.PooledBuilder)
            {
                _w.Line($"[global::System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(global::System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder{(Bidirectional ? "<>" : string.Empty)}))]");
            }

            _w.Open($"private async {StepType} __StepAsync({_signature.InType} value, {exceptionType} __pending, bool __noStop, {Token} __token)");
        }
        else
        {
            _w.Open($"private {ReturnType} __Step({_signature.InType} value, {exceptionType} __pending = null, bool __noStop = false)");
        }
        _w.Directive("#line hidden");
        _w.Line("int __entry = __state;");
        _w.Open("if (__entry < 0)");
        _w.Line($"{Runtime}.ThrowNotSuspended(__entry);");
        _w.Line(returnNothing);
        _w.Close();
        _w.Line();
        if (!_signature.Primes)
        {
            // Not primed by the factory: Send(default) starts it (Python's send(None)); another value leaves it created.
            _w.Open("if (__entry == 0 && !__noStop)");
            _w.Line($"{Runtime}.CheckStartValue(value);");
            _w.Close();
            _w.Line();
        }

        _w.Line($"__state = {Runtime}.Running;");
        if (KeepsToken)
        {
            _w.Line("__cancellationToken = __token;");
        }

        _w.Open("try");
        EmitDispatch(_coroutine.Dispatch, "the body starts after this switch (state 0)");
        EmitNodes(_coroutine.Body, ParkExit.Return);
        if (_coroutine.Graph.FallsOffEnd(_coroutine.Body))
        {
            _w.Line($"goto {ControlFlowFlattener.FinishLabel};");
        }
        _w.Close();
        EmitMachineClauses();
        _w.Line();
        _w.Indent--;
        _w.Line(ControlFlowFlattener.FinishLabel + ":");
        _w.Indent++;
        _w.Line("__Release();");
        _w.Open("if (!__noStop)");
        _w.Line(_signature.ReturnType is null ? $"{Runtime}.ThrowStopIteration();" : $"{Runtime}.ThrowStopIteration(__result);");
        _w.Close();
        if (Bidirectional)
        {
            _w.Line();
            _w.Line(returnNothing);
        }

        _w.Directive("#line default");
        _w.Close();
    }

    private void EmitDispatch(IReadOnlyList<(int State, string Label)> table, string? comment)
    {
        if (table.Count == 0)
        {
            return;
        }

        _w.Open("switch (__entry)");
        foreach (var group in table.GroupBy(t => t.Label))
        {
            foreach (var (state, _) in group)
            {
                _w.Line($"case {state.ToString(CultureInfo.InvariantCulture)}:");
            }

            _w.Indent++;
            _w.Line($"goto {group.Key};");
            _w.Indent--;
        }

        _w.Close();
        if (comment is not null)
        {
            _w.Line("// " + comment);
        }

        _w.Line();
    }

    /// <param name="exit">How a park leaves the method being printed (<c>__Step</c>, a fast path, <c>SendAsync</c>).</param>
    private void EmitNodes(IReadOnlyList<LNode> nodes, ParkExit exit)
    {
        for (int i = 0; i < nodes.Count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var node = nodes[i];
            switch (node)
            {
                case LComment comment:
                    _w.Line("// " + comment.Text);
                    break;

                case LLabel label:
                    _w.Indent--;
                    var needsStatement = !nodes.Skip(i + 1).Any(ProducesStatement);
                    _w.Line(label.Name + ":" + (needsStatement ? " ;" : string.Empty));
                    _w.Indent++;
                    break;

                case LGoto go:
                    _w.Line($"goto {go.Target};");
                    break;

                case LCondGoto condition:
                {
                    var text = _renderer.Render(condition.Condition, out var snapshots);
                    var test = condition.JumpIfTrue ? text : "!(" + text + ")";
                    Mapped(condition.Span, CodeRenderer.Wrap("if (" + test + ") goto " + condition.Target + ";", snapshots), prefixLength: condition.JumpIfTrue ? 4 : 6);
                    break;
                }

                case LCode code:
                    if (code.Span is { } span)
                    {
                        Mapped(span, _renderer.RenderStatement(code.Code), 0);
                    }
                    else
                    {
                        _w.Lines(_renderer.RenderStatement(code.Code));
                    }

                    break;

                case LSwitchDispatch dispatch:
                    EmitSwitchDispatch(dispatch);
                    break;

                case LDecl declaration:
                    EmitDeclaration(declaration);
                    break;

                case LSuspension suspension:
                    EmitNodes(suspension.Nodes, exit);
                    break;

                case LPark park:
                    EmitPark(park, exit);
                    break;

                case LDelegationStart start:
                {
                    var sub = _renderer.Render(start.Sub, out var snapshots);
                    Mapped(start.Span, CodeRenderer.Wrap($"if (!{start.Delegation.Field}.Start({sub})) goto {start.Delegation.EndLabel};", snapshots), 0);
                    break;
                }

                case LCloseEntry close:
                    EmitCloseEntry(close);
                    break;

                case LThrowEntry throwEntry:
                    EmitThrowEntry(throwEntry);
                    break;

                case LResumeEntry resume:
                    EmitResumeEntry(resume);
                    break;

                case LTry tryNode:
                    EmitTry(tryNode, exit);
                    break;

                case LFrameDispatch dispatch:
                    EmitNodes(dispatch.Resolved, exit);
                    break;
            }
        }
    }

    private static bool ProducesStatement(LNode node) => node is not LComment and not LLabel;

    /// <summary>
    /// A switch's dispatch, mapped to the template's switch: <c>switch (governing) { case ...: copies; goto section; }</c>,
    /// the case labels one level in, their copies and jumps two. A case label the template wrote on several lines keeps
    /// its lines as they are; the dispatch's own lines are then written as they are too (only the first is indented).
    /// A lambda in a label that reads a capture frame gets the frame's snapshot around the whole switch.
    /// </summary>
    private void EmitSwitchDispatch(LSwitchDispatch dispatch)
    {
        var snapshots = new List<CaptureFrame>();
        var labels = new List<string>();
        foreach (var label in dispatch.Cases)
        {
            labels.Add(_renderer.Render(label.Label, out var frames));
            snapshots.AddRange(frames.Where(f => !snapshots.Contains(f)));
        }

        var text = new StringBuilder();
        text.Append("switch (").Append(_renderer.Name(dispatch.Governing)).Append(")\n{\n");
        for (int i = 0; i < dispatch.Cases.Count; i++)
        {
            text.Append("    ").Append(labels[i]).Append('\n');
            foreach (var (local, temporary) in dispatch.Cases[i].Copies)
            {
                text.Append("        ").Append(_renderer.Name(local)).Append(" = ").Append(_renderer.Name(temporary)).Append(";\n");
            }

            text.Append("        goto ").Append(dispatch.Cases[i].Target).Append(";\n");
        }

        text.Append('}');
        var statement = CodeRenderer.Wrap(text.ToString(), snapshots);
        if (dispatch.Span is { } span)
        {
            var userLines = labels.Any(l => l.Contains('\n'));
            Mapped(span, userLines ? statement : statement.Replace("\n", "\n" + _w.IndentText), 0);
        }
        else
        {
            _w.Lines(statement);
        }
    }

    private void EmitDeclaration(LDecl declaration)
    {
        if (declaration.Constant is { } constant)
        {
            Mapped(declaration.Span, _renderer.Render(constant), 0);
            return;
        }

        var local = _coroutine.Locals[declaration.Local].Model;
        var name = _renderer.Name(declaration.Local);
        string? text;
        // The span is the declarator's (it starts at the name): the type in front of the name maps to no column.
        var prefixLength = 0;
        List<CaptureFrame> snapshots = new();
        var initializer = declaration.Initializer is { } init ? _renderer.Render(init, out snapshots) : null;
        if (_renderer.IsField(declaration.Local))
        {
            text = initializer is null ? null : CodeRenderer.Wrap($"{name} = {initializer};", snapshots);
        }
        else
        {
            var type = local.Type ?? "var";
            prefixLength = type.Length + 1;
            text = initializer is null ? $"{type} {name};"
                : snapshots.Count == 0 ? $"{type} {name} = {initializer};"
                : $"{type} {name}; " + CodeRenderer.Wrap($"{name} = {initializer};", snapshots);
        }

        if (text is not null)
        {
            Mapped(declaration.Span, text, prefixLength);
        }
    }

    private const int MaxLineDirectiveColumn = 65_535;

    /// <summary>Writes a statement mapped to the template's file and line (<c>#line</c>), so that debugging lands there.</summary>
    private void Mapped(SourceSpan? span, string text, int prefixLength)
    {
        if (span is null || _signature.FilePath.Length == 0)
        {
            _w.Lines(text);
            return;
        }

        var s = span;
        var offset = (_w.Indent * 4) + prefixLength;
        // The span form maps columns too, but C# allows columns of at most 65,535 (CS8938): a longer template line
        // is mapped by its line only.
        _w.Directive(System.Math.Max(s.StartColumn, s.EndColumn) < MaxLineDirectiveColumn && offset < MaxLineDirectiveColumn
            ? $"#line ({s.StartLine + 1},{s.StartColumn + 1})-({s.EndLine + 1},{s.EndColumn + 1}) {offset.ToString(CultureInfo.InvariantCulture)} \"{_signature.FilePath}\""
            : $"#line {(s.StartLine + 1).ToString(CultureInfo.InvariantCulture)} \"{_signature.FilePath}\"");
        _w.Raw(text);
        _w.HidePending = true;
    }

    /// <summary>How a park leaves the method it is printed in (a printing choice: the lowered park is the same).</summary>
    private enum ParkExit
    {
        /// <summary><c>__Step</c>, <c>__StepAsync</c> or a synchronous fast path: <c>return __current;</c> (two-way) or <c>return;</c>.</summary>
        Return,

        /// <summary>An async fast path in <c>SendAsync</c>, which is not an async method: lets the call's token go, returns a completed task.</summary>
        SendAsync,

        /// <summary>The async method that awaited an async fast path's await: lets the call's token go, returns (two-way) or ends.</summary>
        AwaitThenPark,
    }

    /// <summary>
    /// Parks (<see cref="LPark"/>): clears the fields dead there, sets <c>__current</c> (two-way), stores the state and
    /// leaves as <paramref name="exit"/> says.
    /// </summary>
    private void EmitPark(LPark park, ParkExit exit)
    {
        if (park.Comment is { } comment)
        {
            _w.Line("// " + comment);
        }

        foreach (var local in park.Cleared)
        {
            _w.Line($"{_renderer.Name(local)} = {Default};");
        }

        if (park.Current is { } current)
        {
            // __current = yielded;, mapped to the template's yield.
            var snapshots = new List<CaptureFrame>();
            var value = current.Value is { } yielded ? _renderer.Render(yielded, out snapshots) : Default;
            Mapped(current.Span, CodeRenderer.Wrap($"__current = {value};", snapshots), 0);
        }

        _w.Line($"__state = {StateNumbering.Text(park.State)};");
        if (exit != ParkExit.Return && KeepsToken)
        {
            _w.Line("__cancellationToken = default;");
        }

        switch (exit)
        {
            case ParkExit.Return:
                _w.Line(Bidirectional ? "return __current;" : "return;");
                break;
            case ParkExit.SendAsync:
                _w.Line(Bidirectional ? $"return new {StepType}(__current);" : "return default;");
                break;
            case ParkExit.AwaitThenPark when Bidirectional:
                _w.Line("return __current;");
                break;
        }
    }

    /// <summary>
    /// The close entry: Close() goes straight to the code that handles GeneratorExitException without throwing
    /// (finally blocks run on the way). A delegation closes its sub first.
    /// </summary>
    private void EmitCloseEntry(LCloseEntry close)
    {
        EmitLabel(close.Label);
        var store = close.ExceptionLocal is { } exception ? $"{_renderer.Name(exception)} = new global::CoroutineGen.GeneratorExitException(); " : string.Empty;
        if (close.Delegation is not { } delegation)
        {
            _w.Line($"{EntryReset(close.ResetsEntry)}{store}goto {close.Target};");
        }
        else
        {
            _w.Line($"{EntryReset(close.ResetsEntry)}{delegation.Field}.Close(); // the sub first, then this coroutine's GeneratorExit handling");
            _w.Line($"{store}goto {close.Target};");
        }
    }

    /// <summary>The throw entry: raises the pending exception, or passes it to the sub of a delegation (PEP 380).</summary>
    private void EmitThrowEntry(LThrowEntry entry)
    {
        EmitLabel(entry.Label);
        if (entry.Delegation is not { } delegation)
        {
            _w.Line($"{EntryReset(entry.ResetsEntry)}{Runtime}.Rethrow(__pending{NotNull});");
            return;
        }

        _w.Line($"{EntryReset(entry.ResetsEntry)}if ({delegation.Field}.Throw(__pending{NotNull})) goto {delegation.ParkLabel}; // the sub handled it and parked again");
        _w.Line($"goto {delegation.EndLabel};");
    }

    /// <summary>The resume entry, where the code after the suspension point runs; a delegation sends the value to its sub first.</summary>
    private void EmitResumeEntry(LResumeEntry entry)
    {
        if (entry.Delegation is { } delegation)
        {
            EmitLabel(entry.Label);
            _w.Line($"{EntryReset(entry.ResetsEntry)}if ({delegation.Field}.Send(value)) goto {delegation.ParkLabel};");
            return;
        }

        _w.Indent--;
        _w.Line(entry.Label + ":" + (entry.ResetsEntry ? string.Empty : " ;"));
        _w.Indent++;
        if (entry.ResetsEntry)
        {
            _w.Line("__entry = -1;");
        }
    }

    /// <summary>Entered from the dispatch: no try re-dispatches from here on (only when the body has trys).</summary>
    private static string EntryReset(bool resets) => resets ? "__entry = -1; " : string.Empty;

    /// <summary>A label, one level out.</summary>
    private void EmitLabel(string label)
    {
        _w.Indent--;
        _w.Line(label + ":");
        _w.Indent++;
    }

    private void EmitTry(LTry tryNode, ParkExit exit)
    {
        var dispatch = _coroutine.DispatchOf(tryNode);
        if (dispatch.Entries.Count > 0)
        {
            _w.Indent--;
            _w.Line(dispatch.EntryLabel + ":");
            _w.Indent++;
        }

        _w.Open("try");
        EmitDispatch(dispatch.Entries, null);
        EmitNodes(tryNode.Body, exit);
        _w.Close();
        foreach (var clause in tryNode.Catches)
        {
            var variable = clause.Local is { } local ? _renderer.Name(local) : clause.VariableName;
            var header = variable is null ? $"catch ({clause.Type})" : $"catch ({clause.Type} {variable})";
            if (clause.Filter is { } filter)
            {
                header += " when (" + _renderer.Render(filter) + ")";
            }

            _w.Open(header);
            EmitNodes(clause.Body, exit);
            _w.Close();
        }

        if (tryNode.Finally is { } finallyNodes)
        {
            _w.Open("finally");
            if (tryNode.GuardsFinally)
            {
                _w.Line("// Not while parking: the body only returns from inside the try to suspend.");
                _w.Open("if (__state < 0)");
                EmitNodes(finallyNodes, exit);
                _w.Close();
            }
            else
            {
                EmitNodes(finallyNodes, exit);
            }

            _w.Close();
        }
    }

    // ------------------------------------------------------------------ Throw, Close, helpers

    private void EmitThrow()
    {
        var returnType = Bidirectional ? _signature.OutType! : "void";
        _w.Line("/// <inheritdoc/>");
        if (IsAsync)
        {
            // The null check is the one error not reported through the task.
            _w.Open($"public {StepType} ThrowAsync(global::System.Exception exception, {Token} cancellationToken = default)");
            _w.Open("if (exception is null)");
            _w.Line("throw new global::System.ArgumentNullException(nameof(exception));");
            _w.Close();
            _w.Line();
            _w.Line("return __ThrowAsync(exception, cancellationToken);");
            _w.Close();
            _w.Line();
            _w.Open($"private async {StepType} __ThrowAsync(global::System.Exception exception, {Token} cancellationToken)");
        }
        else
        {
            _w.Open($"public {returnType} Throw(global::System.Exception exception)");
            _w.Open("if (exception is null)");
            _w.Line("throw new global::System.ArgumentNullException(nameof(exception));");
            _w.Close();
            _w.Line();
        }

        _w.Line("int state = __state;");
        _w.Open($"if (state == {Runtime}.Running)");
        _w.Line($"{Runtime}.ThrowAlreadyRunning();");
        _w.Close();
        _w.Line();
        _w.Open("if (state <= 0)");
        _w.Line("// Finished (or never started): the exception is raised here, as Python's throw() does.");
        _w.Line("__Release();");
        _w.Line($"{Runtime}.Rethrow(exception);");
        _w.Close();
        _w.Line();
        _w.Line($"__state = state + {StateNumbering.Text(_states.ThrowOffset)}; // the throw entry of the same suspension point");
        var step = IsAsync ? Step($"{Default}, exception, false") : $"__Step({Default}, exception)";
        _w.Line(Bidirectional ? $"return {step};" : $"{step};");
        _w.Close();
    }

    private void EmitClose()
    {
        var throwing = _coroutine.Suspensions.Where(s => s.Close is null).Select(s => s.State).ToList();
        _w.Line("/// <inheritdoc/>");
        _w.Open(IsAsync ? $"public async {Tasks}.ValueTask CloseAsync({Token} cancellationToken = default)" : "public void Close()");
        _w.Line("int state = __state;");
        _w.Open("if (state <= 0)");
        _w.Open($"if (state == {Runtime}.Running)");
        _w.Line($"{Runtime}.ThrowAlreadyRunning();");
        _w.Close();
        _w.Line();
        _w.Line("__Release();");
        _w.Line("return;");
        _w.Close();
        _w.Line();
        if (throwing.Count == 0)
        {
            _w.Line("// No handler can observe the exception: go straight to the code that handles GeneratorExitException.");
            _w.Line($"__state = state + {StateNumbering.Text(_states.CloseOffset)};");
            EmitCloseSend();
        }
        else
        {
            if (throwing.Count < _states.Count)
            {
                _w.Open("switch (state)");
                foreach (var number in throwing)
                {
                    _w.Line($"case {number.ToString(CultureInfo.InvariantCulture)}:");
                }

                _w.Indent++;
                EmitThrowingClose();
                _w.Line("break;");
                _w.Indent--;
                _w.Line("default:");
                _w.Indent++;
                _w.Line($"__state = state + {StateNumbering.Text(_states.CloseOffset)};");
                EmitCloseSend();
                _w.Line("break;");
                _w.Indent--;
                _w.Close();
            }
            else
            {
                EmitThrowingClose();
            }
        }

        _w.Open("if (__state > 0)");
        _w.Line($"{Runtime}.ThrowIgnoredGeneratorExit();");
        _w.Close();
        _w.Close();
    }

    private void EmitThrowingClose()
    {
        _w.Line("// User code can observe the exception here: raise a real GeneratorExitException.");
        _w.Line($"__state = state + {StateNumbering.Text(_states.ThrowOffset)};");
        EmitCloseSend("new global::CoroutineGen.GeneratorExitException()");
    }

    /// <summary>Runs the body for Close(): a GeneratorExitException escaping it (uncaught, or rethrown by a handler) means closed.</summary>
    private void EmitCloseSend(string exception = "null")
    {
        _w.Open("try");
        _w.Line($"{Step($"{Default}, {exception}, true")};");
        _w.Close();
        _w.Open("catch (global::CoroutineGen.GeneratorExitException)");
        _w.Line("// GeneratorExit escaped the body: the coroutine is closed.");
        _w.Close();
    }

    private void EmitHelpers()
    {
        if (IsAsync)
        {
            _w.Open($"internal async {Tasks}.ValueTask __StartAsync()");
            _w.Line($"{Step($"{Default}, null, true", "default")};");
        }
        else
        {
            _w.Open("internal void __Start()");
            _w.Line($"__Step({Default}, null, true);");
        }

        if (_signature.ReturnType is not null && !IsAsync)
        {
            _w.Open($"if (__state == {Runtime}.Finished)");
            _w.Line("// Nobody has seen the return value yet: a YieldFrom on this coroutine returns it (TakePrimingResult).");
            _w.Line($"__state = {Runtime}.FinishedWhilePriming;");
            _w.Close();
        }

        _w.Close();
        _w.Line();
        if (_signature.ReturnType is not null && !IsAsync)
        {
            _w.Line("/// <inheritdoc/>");
            _w.Open($"bool global::CoroutineGen.ICoroutinePrimingResult.TakePrimingResult(out object{(_model.SupportsNullable ? "?" : string.Empty)} result)");
            _w.Open($"if (__state == {Runtime}.FinishedWhilePriming)");
            _w.Line($"__state = {Runtime}.Finished;");
            _w.Line("result = __result;");
            _w.Line("return true;");
            _w.Close();
            _w.Line();
            _w.Line("result = null;");
            _w.Line("return false;");
            _w.Close();
            _w.Line();
        }

        _w.Line("// Finished: release everything the coroutine holds.");
        _w.Open("private void __Release()");
        _w.Line($"__state = {Runtime}.Finished;");

        if (Bidirectional)
        {
            _w.Line($"__current = {Default};");
        }

        // Not when a lambda or local function uses it: a closure keeps what it captured.
        if (!_signature.IsStatic && !_model.Body.CapturesThis)
        {
            _w.Line($"__this = {Default};");
        }

        // Not the fields that lambdas and local functions read: a closure keeps what it captured.
        foreach (var local in _coroutine.ReleasedOnFinish)
        {
            _w.Line($"{_renderer.Name(local)} = {Default};");
        }

        foreach (var field in _coroutine.DelegationFields)
        {
            _w.Line($"{field} = default;");
        }

        // The coroutine's own reference to the current frame; the closures keep theirs.
        foreach (var frame in _coroutine.Frames)
        {
            _w.Line($"{frame.Field} = {Default};");
        }

        _w.Close();
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
