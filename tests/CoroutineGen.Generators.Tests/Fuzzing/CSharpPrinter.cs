using System.Globalization;
using System.Text;

namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>
/// Prints a <see cref="FuzzProgram"/> as C#: a static partial class <c>Fuzz.P&lt;seed&gt;</c> with the
/// <c>[Coroutine]</c> template <c>Run(Inbox&lt;int&gt; inbox, ICollection&lt;string&gt; log)</c> and a
/// <c>Drive(ICollection&lt;string&gt; log)</c> method that primes it with the generated factory and runs the driver
/// script. The helpers it calls (<c>Fz</c>, <c>Res</c>, the exception types) are <see cref="FuzzSupport.CSharp"/>.
/// </summary>
internal static class CSharpPrinter
{
    public static string Print(FuzzProgram program)
    {
        var w = new Writer();
        w.Line("using System;");
        w.Line("using System.Collections.Generic;");
        if (program.Async)
        {
            w.Line("using System.Threading.Tasks;");
        }

        w.Line("using CoroutineGen;");
        w.Line();
        w.Line("namespace Fuzz");
        w.Open();
        w.Line($"public static partial class {program.ClassName}");
        w.Open();
        var inbox = program.Bidirectional ? "Inbox<int, int>" : "Inbox<int>";
        w.Line(program.Primes ? "[Coroutine]" : "[Coroutine(Prime = false)]");
        var returns = program.Async ? (program.AsyncValueTask ? "async ValueTask" : "async Task") : program.ReturnsInt ? "int" : "void";
        w.Line($"public static {returns} Run({inbox} inbox, ICollection<string> log, List<Func<string>> sink)");
        w.Open();
        foreach (var variable in ProgramGenerator.TopVariables)
        {
            w.Line($"int {variable} = 0;");
        }

        Body(w, program.Body, program.ReturnsInt);
        foreach (var sub in program.SubPrograms)
        {
            w.Line(sub.Primes ? "[Coroutine]" : "[Coroutine(Prime = false)]");
            w.Line($"public static int {sub.CSharpName}({inbox} inbox, ICollection<string> log, List<Func<string>> sink, int a)");
            w.Open();
            foreach (var variable in ProgramGenerator.TopVariables.Skip(1))
            {
                w.Line($"int {variable} = 0;");
            }

            Body(w, sub.Body, returnsInt: true);
        }

        if (program.Async)
        {
            AsyncDriver(w, program);
        }
        else
        {
            Driver(w, program);
        }

        w.Close();
        w.Close();
        return w.ToString();
    }

    /// <summary>The rest of a template after its int locals: <c>text</c> if it uses it, the body, <c>return c;</c> for an int result.</summary>
    private static void Body(Writer w, IReadOnlyList<Stmt> body, bool returnsInt)
    {
        if (ProgramGenerator.UsesText(body))
        {
            w.Line("string text = \"t\";");
        }

        Block(w, body);
        if (returnsInt)
        {
            w.Line("return c;");
        }

        w.Close();
        w.Line();
    }

    private static void Driver(Writer w, FuzzProgram program)
    {
        w.Line("public static void Drive(ICollection<string> log)");
        w.Open();
        for (int i = 1; i <= program.Scripts.Count; i++)
        {
            w.Line($"log.Add(\"--- script {i}\");");
            w.Line($"Script{i}(log);");
        }

        w.Close();
        for (int i = 1; i <= program.Scripts.Count; i++)
        {
            w.Line();
            Script(w, program, i, program.Scripts[i - 1]);
        }
    }

    /// <summary>
    /// The driver of an async program: <c>Drive</c> runs <c>DriveAsync</c> on a single-threaded pump (<c>Fz.Pump</c>,
    /// so what a really-yielding await posts runs only when the driver awaits, as on asyncio's loop), and each script
    /// awaits the factory and SendAsync/ThrowAsync/CloseAsync.
    /// </summary>
    private static void AsyncDriver(Writer w, FuzzProgram program)
    {
        w.Line("public static void Drive(ICollection<string> log) => Fz.Pump(() => DriveAsync(log));");
        w.Line();
        w.Line("private static async Task DriveAsync(ICollection<string> log)");
        w.Open();
        for (int i = 1; i <= program.Scripts.Count; i++)
        {
            w.Line($"log.Add(\"--- script {i}\");");
            w.Line($"await Script{i}(log);");
        }

        w.Close();
        for (int i = 1; i <= program.Scripts.Count; i++)
        {
            w.Line();
            AsyncScript(w, program, i, program.Scripts[i - 1]);
        }
    }

    private static void AsyncScript(Writer w, FuzzProgram program, int number, IReadOnlyList<Op> ops)
    {
        var type = program.Bidirectional ? "IAsyncCoroutine<int, int>" : "IAsyncCoroutine<int>";
        w.Line($"private static async Task Script{number}(ICollection<string> log)");
        w.Open();
        w.Line($"{type} co;");
        w.Line("var sink = new List<Func<string>>();");
        if (program.Primes)
        {
            w.Line("try");
            w.Open();
            w.Line("co = await Run(log, sink);");
            w.Close();
            w.Line("catch (Exception e)");
            w.Open();
            w.Line("log.Add(\"prime: \" + Fz.D(e));");
            w.Line("return;");
            w.Close();
            w.Line();
            w.Line(program.Bidirectional
                ? "log.Add(co.State == CoroutineState.Closed ? \"prime: ok\" : \"prime: ok \" + co.Current);"
                : "log.Add(\"prime: ok\");");
        }
        else
        {
            w.Line("co = Run(log, sink);");
            w.Line("log.Add(\"created\");");
        }

        w.Line("log.Add(\"state: \" + co.State);");
        w.Line("Fz.Closures(log, sink);");
        static string Call(Op op) => "Fz.R(" + (op.Kind switch
        {
            OpKind.Start => "co.SendAsync(default)",
            OpKind.Send or OpKind.Overlap => $"co.SendAsync({op.Value})",
            OpKind.Throw => op.Exception == "GeneratorExit"
                ? "co.ThrowAsync(new GeneratorExitException())"
                : $"co.ThrowAsync(new {op.Exception}(\"{op.Message}\"))",
            _ => "co.CloseAsync()",
        }) + ")";
        foreach (var op in ops)
        {
            w.Line(op.Second is { } second
                ? $"await Fz.OverlapAsync(log, \"{op.Label}\", () => {Call(op)}, () => co.State.ToString(), \"while running: {second.Label}\", () => {Call(second)}, sink);"
                : $"await Fz.AttemptAsync(log, \"{op.Label}\", () => {Call(op)});");
            w.Line("log.Add(\"state: \" + co.State);");
            w.Line("Fz.Closures(log, sink);");
        }

        w.Close();
    }

    private static void Script(Writer w, FuzzProgram program, int number, IReadOnlyList<Op> ops)
    {
        var type = program.Bidirectional ? "ICoroutine<int, int>" : "ICoroutine<int>";
        w.Line($"private static void Script{number}(ICollection<string> log)");
        w.Open();
        w.Line($"{type} co;");
        w.Line("var sink = new List<Func<string>>();");
        if (program.Primes)
        {
            w.Line("try");
            w.Open();
            w.Line("co = Run(log, sink);");
            w.Close();
            w.Line("catch (Exception e)");
            w.Open();
            w.Line("log.Add(\"prime: \" + Fz.D(e));");
            w.Line("return;");
            w.Close();
            w.Line();
            w.Line(program.Bidirectional
                ? "log.Add(co.State == CoroutineState.Closed ? \"prime: ok\" : \"prime: ok \" + co.Current);"
                : "log.Add(\"prime: ok\");");
        }
        else
        {
            w.Line("co = Run(log, sink);");
            w.Line("log.Add(\"created\");");
        }

        w.Line("log.Add(\"state: \" + co.State);");
        w.Line("Fz.Closures(log, sink);");
        foreach (var op in ops)
        {
            var call = op.Kind switch
            {
                OpKind.Start => "co.Send(default)",
                OpKind.Send => $"co.Send({op.Value})",
                OpKind.Throw => op.Exception == "GeneratorExit"
                    ? "co.Throw(new GeneratorExitException())"
                    : $"co.Throw(new {op.Exception}(\"{op.Message}\"))",
                _ => "co.Close()",
            };
            w.Line($"Fz.Attempt(log, \"{op.Label}\", () => {call});");
            w.Line("log.Add(\"state: \" + co.State);");
            w.Line("Fz.Closures(log, sink);");
        }

        w.Close();
    }

    private static void Block(Writer w, IEnumerable<Stmt> block)
    {
        foreach (var statement in block)
        {
            Statement(w, statement);
        }
    }

    private static void Braced(Writer w, IEnumerable<Stmt> block)
    {
        w.Open();
        Block(w, block);
        w.Close();
    }

    private static void Statement(Writer w, Stmt statement)
    {
        switch (statement)
        {
            case Print p:
                w.Line(p.Items.Count == 0
                    ? $"log.Add(\"{p.Tag}\");"
                    : $"log.Add($\"{p.Tag}{string.Concat(p.Items.Select(i => " {" + Expr(i) + "}"))}\");");
                break;
            case PrintException p:
                w.Line($"log.Add(\"{p.Tag} \" + Fz.D({p.Variable}));");
                break;
            case Assign a:
                w.Line(a.Compound ? $"{a.Variable} += {Expr(a.Value)};" : $"{a.Variable} = {Expr(a.Value)};");
                break;
            case TupleAssign t:
                w.Line($"({t.Left}, {t.Right}) = ({Expr(t.LeftValue)}, {Expr(t.RightValue)});");
                break;
            case Declare d:
                w.Line($"int {d.Variable} = {Expr(d.Value)};");
                break;
            case ExprStmt e:
                w.Line(Expr(e.Expression) + ";");
                break;
            case If i:
                w.Line($"if {Condition(i.Condition)}");
                Braced(w, i.Then);
                if (i.Else is not null)
                {
                    w.Line("else");
                    Braced(w, i.Else);
                }

                break;
            case Loop l:
                LoopStatement(w, l);
                break;
            case Foreach f:
                w.Line($"foreach (int {f.Variable} in new int[] {{ {string.Join(", ", f.Items.Select(Expr))} }})");
                Braced(w, f.Body);
                break;
            case Try t:
                w.Line("try");
                Braced(w, t.Body);
                foreach (var c in t.Catches)
                {
                    w.Line(c.Kind switch
                    {
                        CatchKind.Bare => "catch",
                        CatchKind.GeneratorExit => "catch (GeneratorExitException" + (c.Variable is null ? ")" : $" {c.Variable})"),
                        _ => $"catch ({c.Kind}" + (c.Variable is null ? ")" : $" {c.Variable})"),
                    });
                    Braced(w, c.Body);
                }

                if (t.Finally is not null)
                {
                    w.Line("finally");
                    Braced(w, t.Finally);
                }

                break;
            case Throw t:
                w.Line(t.Value is null
                    ? $"throw new {t.Type}(\"{t.Message}\");"
                    : $"throw new {t.Type}(\"{t.Message} \" + {Expr(t.Value)});");
                break;
            case UsingVar u:
                w.Line($"using var r{u.Tag} = new Res(log, \"{u.Tag}\");");
                break;
            case LambdaDecl l:
                w.Line($"Func<int, int> {l.Name} = {l.Parameter} => ({l.Parameter} + {l.Captured});");
                break;
            case SetText t:
                w.Line($"text = \"t\" + {Paren(Expr(t.Value))};");
                break;
            case PrintText p:
                w.Line($"log.Add($\"{p.Tag} {{text}} {{text.Length}}\");");
                break;
            case StoreClosure s:
                w.Line($"sink.Add(() => text + text.Length + {s.Captured});");
                break;
            case PokeSub p:
                w.Line($"var {p.Variable} = Sub{p.Sub}(log, sink, {Expr(p.Arg)});");
                w.Line($"Fz.Poke(log, \"{p.Tag}\", {p.Variable}, {Expr(p.Value)});");
                break;
            case AwaitStmt a:
                w.Line(a switch
                {
                    { Kind: AwaitKind.Completed } => $"await Task.CompletedTask{Configured(a.ConfigureAwait)};",
                    { Tag: null } => "await Task.Yield();",
                    _ => $"await Fz.Pause(log, \"{a.Tag}\"){Configured(a.ConfigureAwait)};",
                });
                break;
            case AwaitForeach f:
                w.Line($"await foreach (int {f.Variable} in Fz.Seq(log, \"{f.Tag}\", {Expr(f.Count)}, {(f.Yielding ? "true" : "false")}){Configured(f.ConfigureAwait)})");
                Braced(w, f.Body);
                break;
            case AwaitUsing u when u.Body is null:
                w.Line($"await using var r{u.Tag} = new ARes(log, \"{u.Tag}\", {(u.Yielding ? "true" : "false")}){Configured(u.ConfigureAwait)};");
                break;
            case AwaitUsing u:
                w.Line($"await using (new ARes(log, \"{u.Tag}\", {(u.Yielding ? "true" : "false")}){Configured(u.ConfigureAwait)})");
                Braced(w, u.Body!);
                break;
            case Rethrow:
                w.Line("throw;");
                break;
            case Break:
                w.Line("break;");
                break;
            case Continue:
                w.Line("continue;");
                break;
            case Return r:
                w.Line(r.Value is null ? "return;" : $"return {Expr(r.Value)};");
                break;
            case Using u:
                w.Line($"using (new Res(log, \"{u.Tag}\"))");
                Braced(w, u.Body);
                break;
            case Switch s:
                w.Line($"switch {Paren(Expr(s.Value))}");
                w.Open();
                foreach (var section in s.Sections)
                {
                    if (section.Labels.Count == 0)
                    {
                        w.Line("default:");
                    }

                    foreach (var label in section.Labels)
                    {
                        w.Line(section.Guard is null ? $"case {label}:" : $"case {label} when {Bool(section.Guard)}:");
                    }

                    w.Indent();
                    Braced(w, section.Body);
                    w.Line("break;");
                    w.Dedent();
                }

                w.Close();
                break;
            default:
                throw new InvalidOperationException($"unknown statement {statement}");
        }
    }

    private static void LoopStatement(Writer w, Loop l)
    {
        var bound = $"{l.Counter} < {l.Cap}";
        var guard = l.Condition is null ? bound : $"{bound} && {Bool(l.Condition)}";
        switch (l.Kind)
        {
            case LoopKind.For:
                w.Line($"for (int {l.Counter} = 0; {guard}; {l.Counter}++)");
                Braced(w, l.Body);
                break;
            case LoopKind.While:
                w.Line($"int {l.Counter} = 0;");
                w.Line($"while ({guard})");
                w.Open();
                w.Line($"{l.Counter}++;");
                Block(w, l.Body);
                w.Close();
                break;
            case LoopKind.DoWhile:
                w.Line($"int {l.Counter} = 0;");
                w.Line("do");
                w.Open();
                w.Line($"{l.Counter}++;");
                Block(w, l.Body);
                w.Close();
                w.Line($"while ({guard});");
                break;
            case LoopKind.WhileTrue:
                w.Line($"int {l.Counter} = 0;");
                w.Line("while (true)");
                w.Open();
                w.Line($"{l.Counter}++;");
                w.Line($"if ({l.Counter} > {l.Cap}) break;");
                Block(w, l.Body);
                w.Close();
                break;
        }
    }

    private static string Configured(bool configureAwait) => configureAwait ? ".ConfigureAwait(false)" : "";

    /// <summary>A condition as an if/while needs it: in parentheses.</summary>
    private static string Condition(BoolExpr b) => Paren(Bool(b));

    private static string Paren(string text) => text.StartsWith('(') && Balanced(text) ? text : "(" + text + ")";

    /// <summary>Whether the opening parenthesis of <paramref name="text"/> closes at its end.</summary>
    private static bool Balanced(string text)
    {
        var depth = 0;
        var inString = false;
        for (int i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == '"')
            {
                inString = !inString;
            }
            else if (!inString && ch == '(')
            {
                depth++;
            }
            else if (!inString && ch == ')' && --depth == 0 && i != text.Length - 1)
            {
                return false;
            }
        }

        return true;
    }

    public static string Expr(IntExpr e) => e switch
    {
        Lit l => l.Value.ToString(CultureInfo.InvariantCulture),
        VarRef v => v.Name,
        Recv { Yielded: null } => "inbox.Receive()",
        Recv r => $"inbox.Yield({Expr(r.Yielded)})",
        Plus p => $"({Expr(p.Left)} + {Expr(p.Right)})",
        Mod m => $"({Expr(m.Operand)} % {m.Divisor})",
        Call1 c => $"Fz.F(log, \"{c.Tag}\", {Expr(c.Arg)})",
        Call2 c => $"Fz.G(log, \"{c.Tag}\", {Expr(c.Left)}, {Expr(c.Right)})",
        Ternary t => $"({Bool(t.Condition)} ? {Expr(t.Then)} : {Expr(t.Else)})",
        AssignExpr a => $"({a.Variable} = {Expr(a.Value)})",
        Increment { Prefix: true } i => $"(++{i.Variable})",
        Increment i => $"({i.Variable}++)",
        LambdaCall l => $"{l.Lambda}({Expr(l.Arg)})",
        TextLength => "text.Length",
        YieldFromSub y => $"inbox.YieldFrom(Sub{y.Sub}(log, sink, {Expr(y.Arg)}))",
        AwaitValue { Kind: AwaitKind.Completed } a => $"(await Task.FromResult({Expr(a.Arg)}){Configured(a.ConfigureAwait)})",
        AwaitValue a => $"(await Fz.{(a.Kind == AwaitKind.Traced ? "A" : "AY")}(log, \"{a.Tag}\", {Expr(a.Arg)}){Configured(a.ConfigureAwait)})",
        Call3 c => $"Fz.H(log, \"{c.Tag}\", {Expr(c.First)}, {Expr(c.Second)}, {Expr(c.Third)})",
        _ => throw new InvalidOperationException($"unknown expression {e}"),
    };

    public static string Bool(BoolExpr b) => b switch
    {
        Compare c => $"({Expr(c.Left)} {c.Op} {Expr(c.Right)})",
        AndAlso a => $"({Bool(a.Left)} && {Bool(a.Right)})",
        OrElse o => $"({Bool(o.Left)} || {Bool(o.Right)})",
        Not n => $"!{Bool(n.Operand)}",
        BoolCall c => $"Fz.B(log, \"{c.Tag}\", {Bool(c.Arg)})",
        _ => throw new InvalidOperationException($"unknown condition {b}"),
    };

    /// <summary>An indenting text writer (4 spaces, braces on their own lines).</summary>
    internal sealed class Writer
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

        public void Open()
        {
            Line("{");
            _indent++;
        }

        public void Close()
        {
            _indent--;
            Line("}");
        }

        public void Indent() => _indent++;

        public void Dedent() => _indent--;

        public override string ToString() => _text.ToString();
    }
}
