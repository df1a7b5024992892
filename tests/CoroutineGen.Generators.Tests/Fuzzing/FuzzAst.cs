namespace CoroutineGen.Generators.Tests.Fuzzing;

// The abstract syntax of a fuzzed coroutine program. One tree is printed twice: as a C# [Coroutine] template
// (CSharpPrinter) and as a Python generator function (PythonPrinter), so the two can only differ where the
// generator's lowering differs from CPython. Every integer is non-negative and bounded (assignments wrap with
// % 1000, compound ones add at most 9), so C#'s int and Python's int agree, and % means the same on both sides.

/// <summary>An integer-valued expression.</summary>
internal abstract record IntExpr;

/// <summary>A literal 0..9.</summary>
internal sealed record Lit(int Value) : IntExpr;

/// <summary>A local (the template's a, b, c, a loop counter, a declared local).</summary>
internal sealed record VarRef(string Name) : IntExpr;

/// <summary>
/// A suspension point: <c>inbox.Receive()</c> / <c>(yield)</c>, or in a bidirectional program
/// <c>inbox.Yield(v)</c> / <c>(yield v)</c>.
/// </summary>
internal sealed record Recv(IntExpr? Yielded) : IntExpr;

/// <summary><c>(l + r)</c>.</summary>
internal sealed record Plus(IntExpr Left, IntExpr Right) : IntExpr;

/// <summary><c>(e % d)</c>.</summary>
internal sealed record Mod(IntExpr Operand, int Divisor) : IntExpr;

/// <summary><c>F(tag, x)</c>: prints "tag x", returns x (shows evaluation order).</summary>
internal sealed record Call1(string Tag, IntExpr Arg) : IntExpr;

/// <summary><c>G(tag, x, y)</c>: prints "tag x y", returns x + y (arguments left to right).</summary>
internal sealed record Call2(string Tag, IntExpr Left, IntExpr Right) : IntExpr;

/// <summary><c>(c ? t : f)</c> / <c>(t if c else f)</c>.</summary>
internal sealed record Ternary(BoolExpr Condition, IntExpr Then, IntExpr Else) : IntExpr;

/// <summary>An assignment used as a value: <c>(v = e)</c> / <c>(v := e)</c> (e wraps with % 1000).</summary>
internal sealed record AssignExpr(string Variable, IntExpr Value) : IntExpr;

/// <summary><c>(++v)</c> / <c>(v := v + 1)</c>, or <c>(v++)</c> / <c>((v := v + 1) - 1)</c>.</summary>
internal sealed record Increment(string Variable, bool Prefix) : IntExpr;

/// <summary>A call of a lambda declared by <see cref="LambdaDecl"/>: <c>f(x)</c>.</summary>
internal sealed record LambdaCall(string Lambda, IntExpr Arg) : IntExpr;

/// <summary>
/// <c>text.Length</c> / <c>len(text)</c>: a read of the program's reference-typed local <c>text</c> (a string the
/// generator may clear while parked or when finished; reading a cleared one throws NullReferenceException).
/// </summary>
internal sealed record TextLength : IntExpr;

/// <summary>
/// <c>inbox.YieldFrom(SubN(log, sink, arg))</c> / <c>(yield from keep(subN(sink, arg)))</c>: delegation to one of the
/// program's sub-templates (<see cref="SubProgram"/>), which the template creates right there; evaluates to the
/// sub's return value.
/// </summary>
internal sealed record YieldFromSub(int Sub, IntExpr Arg) : IntExpr;

/// <summary>How an async program's await is printed (<see cref="AwaitValue"/>, <see cref="AwaitStmt"/>).</summary>
internal enum AwaitKind
{
    /// <summary>An already completed task: <c>Task.FromResult(x)</c> / <c>completed(x)</c> (statement: <c>Task.CompletedTask</c> / <c>completed(None)</c>); nothing printed.</summary>
    Completed,

    /// <summary>A completed task that prints first: <c>Fz.A(log, "tag", x)</c> / <c>A('tag', x)</c>.</summary>
    Traced,

    /// <summary>A task that really yields (to the driver's pump / asyncio's loop), then prints: <c>Fz.AY(log, "tag", x)</c> / <c>AY('tag', x)</c>; the statement <c>Task.Yield()</c> / <c>asyncio.sleep(0)</c> prints nothing.</summary>
    Yielding,
}

/// <summary>
/// An await in an async program, used as a value: <c>(await Task.FromResult(x))</c>, <c>(await Fz.A(log, "tag", x))</c>,
/// <c>(await Fz.AY(log, "tag", x))</c>, maybe with <c>.ConfigureAwait(false)</c> / <c>(await completed(x))</c>,
/// <c>(await A('tag', x))</c>, <c>(await AY('tag', x))</c>.
/// </summary>
internal sealed record AwaitValue(AwaitKind Kind, string Tag, IntExpr Arg, bool ConfigureAwait) : IntExpr;

/// <summary>
/// <c>H(tag, x, y, z)</c>: prints "tag x y z", returns x + y + z (an async program uses it for
/// <c>H(await a, receive, await b)</c>: the spilling order of awaits around a receive).
/// </summary>
internal sealed record Call3(string Tag, IntExpr First, IntExpr Second, IntExpr Third) : IntExpr;

/// <summary>A boolean expression (only ever used as a condition, never printed).</summary>
internal abstract record BoolExpr;

/// <summary><c>(l op r)</c> with op one of &lt; &gt; == != &lt;= &gt;=.</summary>
internal sealed record Compare(IntExpr Left, string Op, IntExpr Right) : BoolExpr;

/// <summary><c>(l &amp;&amp; r)</c> / <c>(l and r)</c>.</summary>
internal sealed record AndAlso(BoolExpr Left, BoolExpr Right) : BoolExpr;

/// <summary><c>(l || r)</c> / <c>(l or r)</c>.</summary>
internal sealed record OrElse(BoolExpr Left, BoolExpr Right) : BoolExpr;

/// <summary><c>!(b)</c> / <c>(not b)</c>.</summary>
internal sealed record Not(BoolExpr Operand) : BoolExpr;

/// <summary><c>B(tag, b)</c>: prints "tag True|False", returns b.</summary>
internal sealed record BoolCall(string Tag, BoolExpr Arg) : BoolExpr;

/// <summary>A statement.</summary>
internal abstract record Stmt;

/// <summary><c>log.Add($"tag {e1} {e2}")</c> / <c>print(f"tag {e1} {e2}")</c>.</summary>
internal sealed record Print(string Tag, IReadOnlyList<IntExpr> Items) : Stmt;

/// <summary>Prints a caught exception: <c>log.Add("tag " + Fz.D(e))</c> / <c>print('tag ' + describe(e))</c>.</summary>
internal sealed record PrintException(string Tag, string Variable) : Stmt;

/// <summary><c>v = (e) % 1000;</c>, or with <see cref="Compound"/> <c>v += e;</c> (e is then at most 9).</summary>
internal sealed record Assign(string Variable, bool Compound, IntExpr Value) : Stmt;

/// <summary><c>int v = e;</c> / <c>v = e</c>.</summary>
internal sealed record Declare(string Variable, IntExpr Value) : Stmt;

/// <summary>An expression statement: a call or a bare receive.</summary>
internal sealed record ExprStmt(IntExpr Expression) : Stmt;

internal sealed record If(BoolExpr Condition, IReadOnlyList<Stmt> Then, IReadOnlyList<Stmt>? Else) : Stmt;

internal enum LoopKind
{
    /// <summary><c>for (int i = 0; i &lt; cap [&amp;&amp; cond]; i++)</c> / <c>for i in range(cap): [if not cond: break]</c>.</summary>
    For,

    /// <summary><c>int w = 0; while (w &lt; cap [&amp;&amp; cond]) { w++; ... }</c>.</summary>
    While,

    /// <summary><c>int w = 0; do { w++; ... } while (w &lt; cap [&amp;&amp; cond]);</c>.</summary>
    DoWhile,

    /// <summary><c>int w = 0; while (true) { w++; if (w &gt; cap) break; ... }</c>.</summary>
    WhileTrue,
}

/// <summary>A loop with an iteration cap, so nothing runs forever.</summary>
internal sealed record Loop(LoopKind Kind, string Counter, int Cap, BoolExpr? Condition, IReadOnlyList<Stmt> Body) : Stmt;

/// <summary><c>foreach (int v in new int[] { e1, e2 })</c> / <c>for v in [e1, e2]</c>.</summary>
internal sealed record Foreach(string Variable, IReadOnlyList<IntExpr> Items, IReadOnlyList<Stmt> Body) : Stmt;

/// <summary><c>(x, y) = (e1, e2);</c> / <c>x, y = e1, e2</c> (both values wrap with % 1000).</summary>
internal sealed record TupleAssign(string Left, string Right, IntExpr LeftValue, IntExpr RightValue) : Stmt;

internal enum CatchKind
{
    ValueError,
    KeyError,
    GeneratorExit,

    /// <summary><c>catch (Exception)</c> / <c>except Exception</c>.</summary>
    Exception,

    /// <summary><c>catch</c> / <c>except Exception</c> (a bare catch does not catch GeneratorExit either, Rule 5 of docs/semantics.md).</summary>
    Bare,
}

internal sealed record Catch(CatchKind Kind, string? Variable, IReadOnlyList<Stmt> Body);

internal sealed record Try(IReadOnlyList<Stmt> Body, IReadOnlyList<Catch> Catches, IReadOnlyList<Stmt>? Finally) : Stmt;

/// <summary>
/// <c>throw new T("message")</c> / <c>raise T('message')</c>, T one of ValueError, KeyError, TypeError; with a
/// <see cref="Value"/>, <c>throw new T("message " + e)</c> / <c>raise T('message ' + str(e))</c>.
/// </summary>
internal sealed record Throw(string Type, string Message, IntExpr? Value = null) : Stmt;

/// <summary><c>using var r = new Res(log, "tag");</c> / <c>with Res('tag'):</c> around the rest of the block.</summary>
internal sealed record UsingVar(string Tag) : Stmt;

/// <summary>
/// <c>Func&lt;int, int&gt; f = p =&gt; (p + v);</c> / <c>f = lambda p: (p + v)</c>: a lambda that captures the local
/// <c>v</c> (it is only called in the scope that declares it, so C#'s per-iteration capture and Python's
/// per-function cell agree).
/// </summary>
internal sealed record LambdaDecl(string Name, string Parameter, string Captured) : Stmt;

/// <summary><c>text = "t" + (e);</c> / <c>text = "t" + str(e)</c>.</summary>
internal sealed record SetText(IntExpr Value) : Stmt;

/// <summary><c>log.Add($"tag {text} {text.Length}")</c> / <c>print(f"tag {text} {len(text)}")</c>.</summary>
internal sealed record PrintText(string Tag) : Stmt;

/// <summary>
/// <c>sink.Add(() =&gt; text + text.Length + v);</c> / <c>sink.append(lambda: text + str(len(text)) + str(v))</c>: a
/// closure stored outside the coroutine (v is a top variable, so C# and Python share one variable); the driver
/// calls every stored closure after each operation, close included.
/// </summary>
internal sealed record StoreClosure(string Captured) : Stmt;

/// <summary>
/// A template that creates another template's coroutine and drives it by hand:
/// <c>var v = SubN(log, sink, arg); Fz.Poke(log, "tag", v, value);</c> /
/// <c>v = primed(keep(subN(sink, arg)))</c> then <c>poke('tag', v, value)</c>. Poke starts a created sub, sends it
/// the value and closes it, printing each outcome. The local <c>v</c> holds a coroutine (a reference) across the
/// receives in <c>value</c>.
/// </summary>
internal sealed record PokeSub(string Variable, string Tag, int Sub, bool SubPrimes, IntExpr Arg, IntExpr Value) : Stmt;

/// <summary>
/// An await as a statement in an async program: <c>await Task.CompletedTask;</c> / <c>await completed(None)</c>,
/// <c>await Task.Yield();</c> / <c>await asyncio.sleep(0)</c>, or with a tag <c>await Fz.Pause(log, "tag");</c> /
/// <c>await pause('tag')</c> (yields, then prints the tag); <see cref="ConfigureAwait"/> adds
/// <c>.ConfigureAwait(false)</c> where C# has it (not on <c>Task.Yield()</c>).
/// </summary>
internal sealed record AwaitStmt(AwaitKind Kind, string? Tag, bool ConfigureAwait) : Stmt;

/// <summary>
/// <c>await foreach (int v in Fz.Seq(log, "tag", (count) % 4, yielding)) { .. }</c> /
/// <c>async with aclosing(keep(seq('tag', (count) % 4, yielding))) as qv:</c> <c>async for v in qv: ..</c>: an async
/// sequence that prints each item it produces and "tag done" from its finally (when exhausted, or disposed / closed
/// by a break, a return, an exception or the coroutine's close).
/// </summary>
internal sealed record AwaitForeach(string Variable, string Tag, IntExpr Count, bool Yielding, bool ConfigureAwait, IReadOnlyList<Stmt> Body) : Stmt;

/// <summary>
/// <c>await using (new ARes(log, "tag", yielding)) { .. }</c> / <c>async with ARes('tag', yielding):</c>; with a null
/// body the declaration <c>await using var r = ..;</c> around the rest of the block. ARes prints "tag enter" when
/// created and "tag exit" from its DisposeAsync / <c>__aexit__</c>, after a real yield when <see cref="Yielding"/>.
/// </summary>
internal sealed record AwaitUsing(string Tag, bool Yielding, bool ConfigureAwait, IReadOnlyList<Stmt>? Body) : Stmt;

/// <summary><c>throw;</c> / <c>raise</c>.</summary>
internal sealed record Rethrow : Stmt;

internal sealed record Break : Stmt;

internal sealed record Continue : Stmt;

/// <summary><c>return;</c> or <c>return e;</c>.</summary>
internal sealed record Return(IntExpr? Value) : Stmt;

/// <summary><c>using (Fz.Res(log, "tag")) { ... }</c> / <c>with Res('tag'):</c>.</summary>
internal sealed record Using(string Tag, IReadOnlyList<Stmt> Body) : Stmt;

/// <summary>
/// A switch section: its case labels (none = default), its body (which ends with <c>break;</c> in C#), and for a
/// section with one label maybe a guard without suspension points (<c>case 1 when g:</c> / <c>sel == 1 and g</c>).
/// </summary>
internal sealed record Section(IReadOnlyList<int> Labels, IReadOnlyList<Stmt> Body, BoolExpr? Guard = null);

/// <summary>
/// <c>switch ((e) % 3) { case ...: ...; break; }</c> / <c>sel = (e) % 3</c> then an if/elif chain. A section's body
/// never contains a <c>break</c> that would leave the switch (only the closing one), so the chain is equivalent.
/// </summary>
internal sealed record Switch(string Selector, IntExpr Value, IReadOnlyList<Section> Sections) : Stmt;

/// <summary>One operation of the driver script.</summary>
internal enum OpKind
{
    /// <summary><c>Send(default)</c> / <c>send(None)</c>: starts an unprimed coroutine.</summary>
    Start,
    Send,
    Throw,
    Close,

    /// <summary>
    /// Async programs only: <c>SendAsync(Value)</c> started, then <see cref="Op.Second"/> while it may still be in flight
    /// (Python: the <c>asend</c> awaitable stepped once by hand), then the first awaited: "coroutine is already
    /// running" / "asynchronous generator is already running" when the first really suspended on an await.
    /// </summary>
    Overlap,
}

/// <summary>
/// A driver operation: <c>Send(Value)</c>, <c>Throw(new Exception(Message))</c> with Exception one of ValueError,
/// KeyError, TypeError, GeneratorExit, or <c>Close()</c>.
/// </summary>
internal sealed record Op(OpKind Kind, int Value = 0, string Exception = "", string Message = "", Op? Second = null)
{
    /// <summary>What the trace prints before ": ok" or ": &lt;exception&gt;".</summary>
    public string Label => Kind switch
    {
        OpKind.Start => "start",
        OpKind.Send or OpKind.Overlap => $"send {Value}",
        OpKind.Throw => Exception == "GeneratorExit" ? "throw GeneratorExit" : $"throw {Exception}({Message})",
        _ => "close",
    };
}

/// <summary>
/// A whole fuzzed program: the coroutine and the scripts that drive it (each on a new coroutine, one after the
/// other: running is cheap next to compiling, so one program is explored several ways).
/// </summary>
/// <param name="Primes">Whether the factory primes the coroutine; an unprimed program's scripts start it themselves (<see cref="OpKind.Start"/>).</param>
/// <param name="Subs">The sub-templates the body creates (<see cref="YieldFromSub"/>, <see cref="PokeSub"/>).</param>
/// <param name="Async">An async template (<c>async Task</c> / <c>async def</c> with <c>yield</c>), driven with SendAsync/ThrowAsync/CloseAsync / asend/athrow/aclose.</param>
/// <param name="AsyncValueTask">An async template declared <c>async ValueTask</c> instead of <c>async Task</c>.</param>
internal sealed record FuzzProgram(int Seed, bool Bidirectional, bool ReturnsInt, IReadOnlyList<Stmt> Body, IReadOnlyList<IReadOnlyList<Op>> Scripts, bool Primes = true, IReadOnlyList<SubProgram>? Subs = null, bool Async = false, bool AsyncValueTask = false)
{
    /// <summary>The sub-templates (none for most programs).</summary>
    public IReadOnlyList<SubProgram> SubPrograms => Subs ?? [];

    /// <summary>Every operation of every script.</summary>
    public IEnumerable<Op> Ops => Scripts.SelectMany(s => s);

    /// <summary>The C# class that holds the template and its driver.</summary>
    public string ClassName => $"P{Seed}";

    /// <summary>The file name of the program in an in-memory compilation.</summary>
    public string FileName => $"P{Seed}.cs";
}

/// <summary>
/// A second template of a program, <c>SubN(Inbox inbox, log, sink, int a)</c> / <c>subN(sink, a)</c>: same inbox kind as
/// the main one, returns <c>int</c> (<c>c</c> at its end), primed or not. Its body is a program of its own (locals
/// <c>a</c>, the parameter, <c>b</c> and <c>c</c>); sub 0 may delegate to sub 1.
/// </summary>
internal sealed record SubProgram(int Index, bool Primes, IReadOnlyList<Stmt> Body)
{
    public string CSharpName => $"Sub{Index}";

    public string PythonName => $"sub{Index}";
}
