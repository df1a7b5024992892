using System.Globalization;
using System.Text;

namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>
/// Prints a <see cref="FuzzProgram"/> as the equivalent Python: a generator function <c>coro()</c> and a function
/// <c>drive()</c> that primes it with <c>next(g)</c> and runs the same driver script, printing exactly what the C#
/// <c>Drive</c> adds to its log. The helpers it calls are <see cref="FuzzSupport.PythonPrelude"/>.
/// </summary>
/// <remarks>
/// The translations: <c>inbox.Receive()</c> is <c>(yield)</c>,
/// <c>inbox.Yield(v)</c> is <c>(yield v)</c>; <c>catch (GeneratorExitException)</c> is <c>except GeneratorExit</c>;
/// <c>catch (Exception)</c> and a bare <c>catch</c> are <c>except Exception</c> (neither catches GeneratorExit, rule 5
/// of docs/semantics.md); <c>using</c> is <c>with</c>; a switch is an if/elif chain over the selector evaluated once; the loops
/// are written so that <c>continue</c> re-evaluates the same guard as in C# (see <see cref="LoopStatement"/>).
/// </remarks>
internal static class PythonPrinter
{
    /// <summary>The program's two functions (without the prelude).</summary>
    public static string Print(FuzzProgram program)
    {
        var w = new Writer();
        w.Line($"# seed {program.Seed}");
        w.Line(program.Async ? "async def coro(sink):" : "def coro(sink):");
        w.Indent();
        foreach (var variable in ProgramGenerator.TopVariables)
        {
            w.Line($"{variable} = 0");
        }

        w.Line("text = 't'");

        Block(w, program.Body, allowEmpty: true);
        if (program.ReturnsInt)
        {
            w.Line("return c");
        }

        w.Dedent();
        w.Line();
        foreach (var sub in program.SubPrograms)
        {
            w.Line($"def {sub.PythonName}(sink, a):");
            w.Indent();
            foreach (var variable in ProgramGenerator.TopVariables.Skip(1))
            {
                w.Line($"{variable} = 0");
            }

            w.Line("text = 't'");
            Block(w, sub.Body, allowEmpty: true);
            w.Line("return c");
            w.Dedent();
            w.Line();
        }

        Driver(w, program);
        return w.ToString();
    }

    /// <summary>A script that runs one program on its own: the prelude, the program, and a call of <c>drive()</c>.</summary>
    public static string Standalone(string program) =>
        FuzzSupport.PythonPrelude + "\n" + program + "\ndrive()\nfinish()\n";

    private static void Driver(Writer w, FuzzProgram program)
    {
        if (program.Async)
        {
            AsyncDriver(w, program);
            return;
        }

        for (int i = 1; i <= program.Scripts.Count; i++)
        {
            Script(w, program, i, program.Scripts[i - 1]);
            w.Line();
        }

        w.Line("def drive():");
        w.Indent();
        for (int i = 1; i <= program.Scripts.Count; i++)
        {
            w.Line($"print('--- script {i}')");
            w.Line($"script{i}()");
        }

        w.Dedent();
    }

    /// <summary>
    /// The driver of an async program: <c>drive()</c> is <c>asyncio.run(adrive())</c>, and <c>adrive</c> first turns
    /// asyncio's async-generator hooks off, so that neither garbage collection nor the loop's shutdown closes a
    /// generator behind the driver's back (rule 11; CoroutineGen never does).
    /// </summary>
    private static void AsyncDriver(Writer w, FuzzProgram program)
    {
        for (int i = 1; i <= program.Scripts.Count; i++)
        {
            AsyncScript(w, program, i, program.Scripts[i - 1]);
            w.Line();
        }

        w.Line("async def adrive():");
        w.Indent();
        w.Line("sys.set_asyncgen_hooks(firstiter=None, finalizer=None)");
        for (int i = 1; i <= program.Scripts.Count; i++)
        {
            w.Line($"print('--- script {i}')");
            w.Line($"await script{i}()");
        }

        w.Dedent();
        w.Line();
        w.Line("def drive():");
        w.Line("    asyncio.run(adrive())");
    }

    private static void AsyncScript(Writer w, FuzzProgram program, int number, IReadOnlyList<Op> ops)
    {
        w.Line($"async def script{number}():");
        w.Indent();
        w.Line("sink = []");
        w.Line("g = coro(sink)");
        w.Line("KEEP.append(g)");
        if (program.Primes)
        {
            w.Line("try:");
            w.Line("    r = await g.asend(None)");
            w.Line("except StopAsyncIteration:");
            w.Line("    print('prime: ok')");
            w.Line("except BaseException as e:");
            w.Line("    print('prime: ' + describe(e))");
            w.Line("    return");
            w.Line("else:");
            w.Line(program.Bidirectional ? "    print(f'prime: ok {r}')" : "    print('prime: ok')");
        }
        else
        {
            w.Line("print('created')");
        }

        w.Line("print('state: ' + state(g))");
        w.Line("closures(sink)");
        static string Call(Op op) => op.Kind switch
        {
            OpKind.Start => "g.asend(None)",
            OpKind.Send or OpKind.Overlap => $"g.asend({op.Value})",
            OpKind.Throw => op.Exception == "GeneratorExit"
                ? "athrow(g, GeneratorExit())"
                : $"athrow(g, {op.Exception}('{op.Message}'))",
            _ => "aclose(g)",
        };
        foreach (var op in ops)
        {
            w.Line(op.Second is { } second
                ? $"await overlap('{op.Label}', lambda: {Call(op)}, lambda: state(g), 'while running: {second.Label}', lambda: {Call(second)}, sink)"
                : $"await aattempt('{op.Label}', lambda: {Call(op)})");
            w.Line("print('state: ' + state(g))");
            w.Line("closures(sink)");
        }

        w.Dedent();
    }

    private static void Script(Writer w, FuzzProgram program, int number, IReadOnlyList<Op> ops)
    {
        w.Line($"def script{number}():");
        w.Indent();
        w.Line("sink = []");
        w.Line("g = coro(sink)");
        w.Line("KEEP.append(g)");
        if (program.Primes)
        {
            w.Line("try:");
            w.Line("    r = next(g)");
            w.Line("except StopIteration:");
            w.Line("    print('prime: ok')");
            w.Line("except BaseException as e:");
            w.Line("    print('prime: ' + describe(e))");
            w.Line("    return");
            w.Line("else:");
            w.Line(program.Bidirectional ? "    print(f'prime: ok {r}')" : "    print('prime: ok')");
        }
        else
        {
            w.Line("print('created')");
        }

        w.Line("print('state: ' + state(g))");
        w.Line("closures(sink)");
        foreach (var op in ops)
        {
            var call = op.Kind switch
            {
                OpKind.Start => "g.send(None)",
                OpKind.Send => $"g.send({op.Value})",
                OpKind.Throw => op.Exception == "GeneratorExit"
                    ? "g.throw(GeneratorExit())"
                    : $"g.throw({op.Exception}('{op.Message}'))",
                _ => "g.close()",
            };
            w.Line($"attempt('{op.Label}', lambda: {call})");
            w.Line("print('state: ' + state(g))");
            w.Line("closures(sink)");
        }

        w.Dedent();
    }

    private static void Block(Writer w, IReadOnlyList<Stmt> block, bool allowEmpty = false)
    {
        if (block.Count == 0 && !allowEmpty)
        {
            w.Line("pass");
        }

        for (int i = 0; i < block.Count; i++)
        {
            if (block[i] is UsingVar u)
            {
                // C#'s using declaration disposes at the end of its block: the rest of the block is the with body.
                Suite(w, $"with Res('{u.Tag}'):", block.Skip(i + 1).ToList());
                return;
            }

            if (block[i] is AwaitUsing { Body: null } a)
            {
                Suite(w, $"async with ARes('{a.Tag}', {(a.Yielding ? "True" : "False")}):", block.Skip(i + 1).ToList());
                return;
            }

            Statement(w, block[i]);
        }
    }

    private static void Suite(Writer w, string header, IReadOnlyList<Stmt> block)
    {
        w.Line(header);
        w.Indent();
        Block(w, block);
        w.Dedent();
    }

    private static void Statement(Writer w, Stmt statement)
    {
        switch (statement)
        {
            case Print p:
                w.Line(p.Items.Count == 0
                    ? $"print('{p.Tag}')"
                    : $"print(f\"{p.Tag}{string.Concat(p.Items.Select(i => " {" + Expr(i) + "}"))}\")");
                break;
            case PrintException p:
                w.Line($"print('{p.Tag} ' + describe({p.Variable}))");
                break;
            case Assign a:
                w.Line(a.Compound ? $"{a.Variable} += {Expr(a.Value)}" : $"{a.Variable} = {Expr(a.Value)}");
                break;
            case TupleAssign t:
                w.Line($"{t.Left}, {t.Right} = {Expr(t.LeftValue)}, {Expr(t.RightValue)}");
                break;
            case Declare d:
                w.Line($"{d.Variable} = {Expr(d.Value)}");
                break;
            case ExprStmt e:
                w.Line(Expr(e.Expression));
                break;
            case If i:
                Suite(w, $"if {Bool(i.Condition)}:", i.Then);
                if (i.Else is not null)
                {
                    Suite(w, "else:", i.Else);
                }

                break;
            case Loop l:
                LoopStatement(w, l);
                break;
            case Foreach f:
                Suite(w, $"for {f.Variable} in [{string.Join(", ", f.Items.Select(Expr))}]:", f.Body);
                break;
            case Try t:
                Suite(w, "try:", t.Body);
                foreach (var c in t.Catches)
                {
                    var type = c.Kind switch
                    {
                        CatchKind.Bare or CatchKind.Exception => "Exception",
                        _ => c.Kind.ToString(),
                    };
                    Suite(w, c.Variable is null ? $"except {type}:" : $"except {type} as {c.Variable}:", c.Body);
                }

                if (t.Finally is not null)
                {
                    Suite(w, "finally:", t.Finally);
                }

                break;
            case Throw t:
                w.Line(t.Value is null
                    ? $"raise {t.Type}('{t.Message}')"
                    : $"raise {t.Type}('{t.Message} ' + str({Expr(t.Value)}))");
                break;
            case LambdaDecl l:
                w.Line($"{l.Name} = lambda {l.Parameter}: ({l.Parameter} + {l.Captured})");
                break;
            case SetText t:
                w.Line($"text = 't' + str({Expr(t.Value)})");
                break;
            case PrintText p:
                w.Line($"print(f\"{p.Tag} {{text}} {{len(text)}}\")");
                break;
            case StoreClosure s:
                w.Line($"sink.append(lambda: text + str(len(text)) + str({s.Captured}))");
                break;
            case PokeSub p:
                w.Line($"{p.Variable} = {(p.SubPrimes ? "primed" : "keep")}(sub{p.Sub}(sink, {Expr(p.Arg)}))");
                w.Line($"poke('{p.Tag}', {p.Variable}, {Expr(p.Value)})");
                break;
            case AwaitStmt a:
                w.Line(a switch
                {
                    { Kind: AwaitKind.Completed } => "await completed(None)",
                    { Tag: null } => "await asyncio.sleep(0)",
                    _ => $"await pause('{a.Tag}')",
                });
                break;
            case AwaitForeach f:
                w.Line($"async with aclosing(keep(seq('{f.Tag}', {Expr(f.Count)}, {(f.Yielding ? "True" : "False")}))) as q{f.Variable}:");
                w.Indent();
                Suite(w, $"async for {f.Variable} in q{f.Variable}:", f.Body);
                w.Dedent();
                break;
            case AwaitUsing u:
                Suite(w, $"async with ARes('{u.Tag}', {(u.Yielding ? "True" : "False")}):", u.Body!);
                break;
            case Rethrow:
                w.Line("raise");
                break;
            case Break:
                w.Line("break");
                break;
            case Continue:
                w.Line("continue");
                break;
            case Return r:
                w.Line(r.Value is null ? "return" : $"return {Expr(r.Value)}");
                break;
            case Using u:
                Suite(w, $"with Res('{u.Tag}'):", u.Body);
                break;
            case Switch s:
            {
                w.Line($"{s.Selector} = {Expr(s.Value)}");
                var cases = s.Sections.Where(section => section.Labels.Count > 0).ToList();
                var fallback = s.Sections.FirstOrDefault(section => section.Labels.Count == 0);
                for (int i = 0; i < cases.Count; i++)
                {
                    var labels = cases[i].Labels;
                    var test = labels.Count == 1
                        ? $"{s.Selector} == {labels[0]}"
                        : $"{s.Selector} in ({string.Join(", ", labels)})";
                    if (cases[i].Guard is { } guard)
                    {
                        test += $" and {Bool(guard)}";
                    }

                    Suite(w, $"{(i == 0 ? "if" : "elif")} {test}:", cases[i].Body);
                }

                if (fallback is not null)
                {
                    Suite(w, cases.Count == 0 ? "if True:" : "else:", fallback.Body);
                }

                break;
            }

            default:
                throw new InvalidOperationException($"unknown statement {statement}");
        }
    }

    /// <summary>
    /// The loops, so that <c>continue</c> does what it does in C#: a C# <c>for</c> is <c>for i in range(cap)</c> with
    /// the extra condition tested first in the body (continue takes the next i, then tests it); <c>while</c> counts
    /// at the top of its body; <c>do ... while</c> is a while loop whose guard lets the first iteration through
    /// (<c>w == 0</c> only before it, as the body starts with <c>w += 1</c>), so continue tests the guard as in C#.
    /// </summary>
    private static void LoopStatement(Writer w, Loop l)
    {
        var bound = $"{l.Counter} < {l.Cap}";
        var guard = l.Condition is null ? bound : $"{bound} and {Bool(l.Condition)}";
        switch (l.Kind)
        {
            case LoopKind.For:
                w.Line($"for {l.Counter} in range({l.Cap}):");
                w.Indent();
                if (l.Condition is not null)
                {
                    w.Line($"if not {Bool(l.Condition)}:");
                    w.Line("    break");
                }

                Block(w, l.Body, allowEmpty: l.Condition is not null);
                w.Dedent();
                break;
            case LoopKind.While:
                w.Line($"{l.Counter} = 0");
                w.Line($"while {guard}:");
                w.Indent();
                w.Line($"{l.Counter} += 1");
                Block(w, l.Body, allowEmpty: true);
                w.Dedent();
                break;
            case LoopKind.DoWhile:
                w.Line($"{l.Counter} = 0");
                w.Line($"while {l.Counter} == 0 or ({guard}):");
                w.Indent();
                w.Line($"{l.Counter} += 1");
                Block(w, l.Body, allowEmpty: true);
                w.Dedent();
                break;
            case LoopKind.WhileTrue:
                w.Line($"{l.Counter} = 0");
                w.Line("while True:");
                w.Indent();
                w.Line($"{l.Counter} += 1");
                w.Line($"if {l.Counter} > {l.Cap}:");
                w.Line("    break");
                Block(w, l.Body, allowEmpty: true);
                w.Dedent();
                break;
        }
    }

    public static string Expr(IntExpr e) => e switch
    {
        Lit l => l.Value.ToString(CultureInfo.InvariantCulture),
        VarRef v => v.Name,
        Recv { Yielded: null } => "(yield)",
        Recv r => $"(yield {Expr(r.Yielded)})",
        Plus p => $"({Expr(p.Left)} + {Expr(p.Right)})",
        Mod m => $"({Expr(m.Operand)} % {m.Divisor})",
        Call1 c => $"F('{c.Tag}', {Expr(c.Arg)})",
        Call2 c => $"G('{c.Tag}', {Expr(c.Left)}, {Expr(c.Right)})",
        Ternary t => $"({Expr(t.Then)} if {Bool(t.Condition)} else {Expr(t.Else)})",
        AssignExpr a => $"({a.Variable} := {Expr(a.Value)})",
        Increment { Prefix: true } i => $"({i.Variable} := {i.Variable} + 1)",
        Increment i => $"(({i.Variable} := {i.Variable} + 1) - 1)",
        LambdaCall l => $"{l.Lambda}({Expr(l.Arg)})",
        TextLength => "len(text)",
        YieldFromSub y => $"(yield from keep(sub{y.Sub}(sink, {Expr(y.Arg)})))",
        AwaitValue { Kind: AwaitKind.Completed } a => $"(await completed({Expr(a.Arg)}))",
        AwaitValue a => $"(await {(a.Kind == AwaitKind.Traced ? "A" : "AY")}('{a.Tag}', {Expr(a.Arg)}))",
        Call3 c => $"H('{c.Tag}', {Expr(c.First)}, {Expr(c.Second)}, {Expr(c.Third)})",
        _ => throw new InvalidOperationException($"unknown expression {e}"),
    };

    public static string Bool(BoolExpr b) => b switch
    {
        Compare c => $"({Expr(c.Left)} {c.Op} {Expr(c.Right)})",
        AndAlso a => $"({Bool(a.Left)} and {Bool(a.Right)})",
        OrElse o => $"({Bool(o.Left)} or {Bool(o.Right)})",
        Not n => $"(not {Bool(n.Operand)})",
        BoolCall c => $"B('{c.Tag}', {Bool(c.Arg)})",
        _ => throw new InvalidOperationException($"unknown condition {b}"),
    };

    /// <summary>An indenting text writer (4 spaces).</summary>
    private sealed class Writer
    {
        private readonly StringBuilder _text = new();
        private int _indent;

        public void Line(string text = "")
        {
            if (text.Length > 0)
            {
                _text.Append(' ', _indent * 4).Append(text);
            }

            _text.Append('\n');
        }

        public void Indent() => _indent++;

        public void Dedent() => _indent--;

        public override string ToString() => _text.ToString();
    }
}
