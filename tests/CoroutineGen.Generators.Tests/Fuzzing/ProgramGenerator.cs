using System.Collections.Immutable;

namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>
/// Builds a random structured coroutine program and its driver script from a seed (<see cref="Random"/> with that
/// seed, so a seed always gives the same program). Programs are small (a statement budget) but nest (a depth limit):
/// bounded loops, if/else, switch, foreach, using, try/catch/finally with ValueError, KeyError, GeneratorExit and
/// catch-all handlers, throw, rethrow, break/continue/return, and receives everywhere an expression may be: as
/// statements, in assignments, in call arguments (evaluation order), in conditions, on either side of &amp;&amp;, ||
/// and ?:, in catch and finally bodies.
/// </summary>
internal sealed class ProgramGenerator
{
    /// <summary>The locals every program starts with.</summary>
    public static readonly ImmutableArray<string> TopVariables = ["a", "b", "c"];

    private static readonly string[] CompareOps = ["<", ">", "==", "!=", "<=", ">="];

    private readonly Random _random;
    private readonly bool _bidirectional;
    private readonly bool _returnsInt;
    private readonly bool _async;
    private readonly bool _valueTask;
    private readonly int _maxDepth;
    private int _budget;
    private int _names;

    private ProgramGenerator(int seed)
    {
        _random = new Random(seed);
        _bidirectional = _random.Next(4) == 0;
        _returnsInt = _random.Next(4) == 0;
        _maxDepth = _random.Next(2, 5);
        _budget = _random.Next(6, 26);

        // Three programs in ten are async (an async Task template / an async def with yield). The decision comes from
        // a random of its own, so a sync seed draws exactly what it drew before async programs existed (and gives the
        // same program); an async one draws awaits from the same stream and so differs from that seed's old program.
        // Python's async generators cannot return a value: async programs return nothing.
        // A third of them are declared async ValueTask.
        var asyncRandom = new Random(unchecked((seed * 257) + 101));
        _async = asyncRandom.Next(10) < 3;
        _valueTask = _async && asyncRandom.Next(3) == 0;
        if (_async)
        {
            _returnsInt = false;
        }
    }

    /// <summary>A sub-template's generator: the main program's inbox kind, an int result, a smaller body.</summary>
    private ProgramGenerator(int seed, bool bidirectional)
    {
        _random = new Random(seed);
        _bidirectional = bidirectional;
        _returnsInt = true;
        _maxDepth = _random.Next(2, 4);
        _budget = _random.Next(3, 12);
    }

    /// <summary>The program of <paramref name="seed"/>.</summary>
    public static FuzzProgram Generate(int seed)
    {
        var generator = new ProgramGenerator(seed);
        var body = generator.TopBlock();
        // Three scripts: mostly sends (gets far into the program), mixed, and many throws and closes.
        List<IReadOnlyList<Op>> scripts = [generator.Ops(body, 92, 98), generator.Ops(body, 78, 94), generator.Ops(body, 55, 85)];
        generator.AddText(body, seed);
        var (primes, subs) = generator.AddComposition(body, scripts, seed);
        return new FuzzProgram(seed, generator._bidirectional, generator._returnsInt, body, scripts, primes, subs, generator._async, generator._valueTask);
    }

    /// <summary>
    /// Half the programs also compose coroutines: one or two sub-templates (primed or not, sub 0 maybe delegating to
    /// sub 1) that the body delegates to (<see cref="YieldFromSub"/>: alone, in an assignment, a call argument, a sum
    /// with a receive, a print) or creates and drives by hand (<see cref="PokeSub"/>); and a third of those programs
    /// are not primed themselves, so their scripts start them (or close or throw into them first, or send a value
    /// too early). Drawn from a random of their own, after everything else, like <see cref="AddText"/>.
    /// </summary>
    private (bool Primes, List<SubProgram> Subs) AddComposition(List<Stmt> body, List<IReadOnlyList<Op>> scripts, int seed)
    {
        var random = new Random(unchecked((seed * 131) + 17));
        var subs = new List<SubProgram>();
        if (random.Next(2) == 0)
        {
            return (true, subs);
        }

        var count = random.Next(1, 3);
        var made = new SubProgram[count];
        for (int i = count - 1; i >= 0; i--)
        {
            var sub = new ProgramGenerator(unchecked((seed * 7919) + i), _bidirectional) { _names = _names + (1000 * (i + 1)) };
            var subBody = sub.TopBlock();
            sub.AddText(subBody, unchecked(seed + 1000 + i));
            if (i == 0 && count == 2)
            {
                sub.Insert(subBody, random, sub.CompositionStatement(random, made[1], random.Next(2) == 0 ? 1 : 4));
            }

            made[i] = new SubProgram(i, random.Next(3) != 0, subBody);
        }

        subs.AddRange(made);
        var statements = random.Next(1, 4);
        for (int i = 0; i < statements; i++)
        {
            // An async template cannot delegate (YieldFrom in an async template is CORO0004, as yield from in an async
            // def is a SyntaxError): it creates its (sync) subs and drives them by hand.
            var sub = made[random.Next(count)];
            var shape = random.Next(5);
            Insert(body, random, CompositionStatement(random, sub, _async ? 4 : shape));
        }

        var primes = random.Next(3) != 0;
        if (!primes)
        {
            for (int i = 0; i < scripts.Count; i++)
            {
                // A created coroutine takes only Send(default) (Python's send(None)): 0 is default(int), so the
                // scripts send 1..9; each starts it first, or after one early operation (a close, a throw, a send).
                var ops = scripts[i].Select(op => op is { Kind: OpKind.Send or OpKind.Overlap, Value: 0 } ? op with { Value = random.Next(1, 10) } : op).ToList();
                ops.Insert(0, new Op(OpKind.Start));
                if (i > 0)
                {
                    ops.Insert(0, random.Next(3) switch
                    {
                        0 => new Op(OpKind.Close),
                        1 => new Op(OpKind.Send, random.Next(1, 10)),
                        _ => new Op(OpKind.Throw, 0, "ValueError", Name("t")),
                    });
                }

                scripts[i] = ops;
            }
        }

        return (primes, subs);
    }

    private void Insert(List<Stmt> body, Random random, Stmt statement)
    {
        var blocks = new List<List<Stmt>>();
        CollectBlocks(body, blocks);
        var block = blocks[random.Next(blocks.Count)];
        var end = EndsWithJump(block) ? block.Count - 1 : block.Count; // never after a jump
        block.Insert(random.Next(end + 1), statement);
    }

    private Stmt CompositionStatement(Random random, SubProgram sub, int shape)
    {
        var top = TopVariables[random.Next(TopVariables.Length)];
        IntExpr Arg() => random.Next(2) == 0 ? new VarRef(TopVariables[random.Next(TopVariables.Length)]) : new Lit(random.Next(10));
        var from = new YieldFromSub(sub.Index, Arg());
        return shape switch
        {
            0 => new ExprStmt(from),
            1 => new Assign(top, false, new Mod(from, 1000)),
            2 => new Print(Tag(), [new Call2(Tag(), new VarRef(top), from)]),
            3 => new Assign(top, false, new Mod(new Plus(from, Receive()), 1000)),
            _ => new PokeSub(Name("t"), Tag(), sub.Index, sub.Primes, Arg(), random.Next(2) == 0 ? new Lit(random.Next(1, 10)) : Receive()),
        };
    }

    /// <summary>Where a statement is: what may appear there and which locals are in scope.</summary>
    private sealed record Context(
        int Depth,
        bool CanBreak,
        bool CanContinue,
        bool CanReturn,
        bool CanRethrow,
        ImmutableList<string> Variables,
        ImmutableList<string> Assignable,
        ImmutableList<string> Exceptions,
        ImmutableList<string> Lambdas,
        bool AllowReceive = true);

    private List<Stmt> TopBlock()
    {
        var context = new Context(0, false, false, true, false, [.. TopVariables], [.. TopVariables], [], []);
        List<Stmt> body;
        if (_random.Next(10) < 7)
        {
            // The shape of most coroutines: a receive loop (capped), with a little before and after it.
            body = Block(context, 0, 2);
            if (!EndsWithJump(body))
            {
                var counter = Name("w");
                var loopBody = Block(LoopBody(context with { Depth = 1 }, counter), 2, 6);
                body.Add(new Loop(LoopKind.WhileTrue, counter, _random.Next(3, 9), null, loopBody));
                body.AddRange(Block(context, 0, 2));
            }
        }
        else
        {
            body = Block(context, 2, 6);
            while (_budget > 0 && body.Count < 8 && !EndsWithJump(body))
            {
                body.AddRange(Block(context, 1, 2));
            }
        }

        if (!FuzzAstWalker.Any(body, node => node is Recv))
        {
            // Python needs a yield to make a generator function; C# needs a suspension point to make a coroutine.
            body.Insert(_random.Next(body.Count + 1), new Assign("a", false, new Mod(Receive(), 1000)));
        }

        return body;
    }

    /// <summary>
    /// Half the programs also use the reference-typed local <c>text</c> (what clearing applies to): assignments from
    /// receives, yields of values computed from it (<c>inbox.Yield(text.Length + a)</c>), prints, and closures stored
    /// outside the coroutine that the driver calls after each operation. Drawn from a random of their own, after
    /// everything else, so the rest of the program and the scripts of a seed are what they were before.
    /// </summary>
    private void AddText(List<Stmt> body, int seed)
    {
        var random = new Random(unchecked((seed * 31) + 7));
        if (random.Next(2) == 0)
        {
            return;
        }

        var blocks = new List<List<Stmt>>();
        CollectBlocks(body, blocks);
        var count = random.Next(1, 6);
        for (int i = 0; i < count; i++)
        {
            var block = blocks[random.Next(blocks.Count)];
            var end = EndsWithJump(block) ? block.Count - 1 : block.Count; // never after a jump
            block.Insert(random.Next(end + 1), TextStatement(random));
        }
    }

    /// <summary>The blocks a text statement may go in: the body, and the branches and loop bodies in it (not handlers, whose receives would change what they catch).</summary>
    private static void CollectBlocks(List<Stmt> block, List<List<Stmt>> blocks)
    {
        blocks.Add(block);
        foreach (var statement in block)
        {
            IEnumerable<IReadOnlyList<Stmt>?> children = statement switch
            {
                If i => [i.Then, i.Else],
                Loop l => [l.Body],
                Foreach f => [f.Body],
                AwaitForeach f => [f.Body],
                AwaitUsing { Body: { } b } => [b],
                _ => [],
            };
            foreach (var child in children)
            {
                if (child is List<Stmt> list)
                {
                    CollectBlocks(list, blocks);
                }
            }
        }
    }

    private Stmt TextStatement(Random random)
    {
        var top = TopVariables[random.Next(TopVariables.Length)];
        return random.Next(6) switch
        {
            0 => new SetText(new VarRef(top)),
            1 => new SetText(new Recv(_bidirectional ? new Plus(new TextLength(), new VarRef(top)) : null)),
            2 => new PrintText(Tag()),
            3 => new StoreClosure(top),
            4 => new Print(Tag(), [new TextLength(), new Recv(_bidirectional ? new TextLength() : null)]),
            _ => _bidirectional
                ? new ExprStmt(new Recv(new Call1(Tag(), new TextLength())))
                : new Assign(top, true, new Mod(new Plus(new TextLength(), new Recv(null)), 10)),
        };
    }

    /// <summary>Whether the program uses <c>text</c> (it is declared only then: an unused local is a warning).</summary>
    public static bool UsesText(IReadOnlyList<Stmt> body) =>
        FuzzAstWalker.Any(body, node => node is SetText or PrintText or StoreClosure or TextLength);

    /// <summary>A jump, usually under an if (so that the rest of the block can run too).</summary>
    private Stmt Guarded(Stmt jump, Context context) =>
        _random.Next(10) < 6 ? new If(Bool(1, context), [jump], null) : jump;

    private static bool EndsWithJump(List<Stmt> block) =>
        block.Count > 0 && block[^1] is Break or Continue or Return or Throw or Rethrow;

    private List<Stmt> Block(Context context, int min = 1, int max = 4)
    {
        var block = new List<Stmt>();
        var variables = context.Variables;
        var assignable = context.Assignable;
        var lambdas = context.Lambdas;
        var count = _random.Next(min, max + 1);
        for (int i = 0; i < count && (_budget > 0 || i < min); i++)
        {
            _budget--;
            var added = Statement(context with { Variables = variables, Assignable = assignable, Lambdas = lambdas }, out var declared).ToList();
            block.AddRange(added);
            if (declared is not null)
            {
                variables = variables.Add(declared);
                assignable = assignable.Add(declared);
            }

            if (added is [LambdaDecl lambda])
            {
                lambdas = lambdas.Add(lambda.Name);
            }

            if (EndsWithJump(block))
            {
                break; // nothing after a jump: no unreachable code
            }
        }

        return block;
    }

    private IEnumerable<Stmt> Statement(Context context, out string? declared)
    {
        declared = null;
        var nested = context.Depth < _maxDepth && _budget > 0;
        var inner = context with { Depth = context.Depth + 1 };

        // weights: a compound statement only while the depth limit allows
        var choices = new List<(int Weight, int Kind)>
        {
            (10, 0), // print
            (12, 1), // assign
            (6, 2), // declare
            (8, 3), // expression statement
            (4, 4), // throw
            (2, 6), // using var
            (2, 7), // lambda
            (3, 8), // tuple assignment
        };
        if (!context.Exceptions.IsEmpty)
        {
            choices.Add((10, 5)); // print a caught exception (its variable may be live across a suspension)
        }

        if (nested)
        {
            choices.AddRange([(10, 10), (8, 11), (3, 12), (13, 13), (3, 14), (3, 15)]);
        }

        if (context.CanBreak)
        {
            choices.Add((3, 20));
        }

        if (context.CanContinue)
        {
            choices.Add((3, 21));
        }

        if (context.CanReturn)
        {
            choices.Add((2, 22));
        }

        if (context.CanRethrow)
        {
            choices.Add((4, 23));
        }

        if (_async)
        {
            choices.AddRange([(7, 30), (2, 33)]); // an await; await using var
            if (context.AllowReceive)
            {
                choices.Add((4, 34)); // an await right before a receive
            }

            if (nested)
            {
                choices.AddRange([(4, 31), (3, 32)]); // await foreach; await using
            }
        }

        var roll = _random.Next(choices.Sum(c => c.Weight));
        var kind = choices.First(c => (roll -= c.Weight) < 0).Kind;
        switch (kind)
        {
            case 0:
                return [new Print(Tag(), Enumerable.Range(0, _random.Next(3)).Select(_ => Int(1, context)).ToList())];
            case 1:
            {
                // never a loop counter (the loop could run forever) nor a foreach variable (read-only in C#)
                var variable = Pick(context.Assignable);
                var compound = _random.Next(3) == 0;
                IntExpr value = compound
                    ? (_random.Next(2) == 0 ? Receive() : new Mod(Int(2, context), 10))
                    : new Mod(Int(2, context), 1000);
                return [new Assign(variable, compound, value), new Print(Tag(), [new VarRef(variable)])];
            }

            case 2:
            {
                var name = Name("x");
                declared = name;
                return [new Declare(name, new Mod(Int(2, context), 1000)), new Print(Tag(), [new VarRef(name)])];
            }

            case 8:
            {
                var left = Pick(context.Assignable);
                var right = Pick(context.Assignable.Remove(left));
                return [
                    new TupleAssign(left, right, new Mod(Int(2, context), 1000), new Mod(Int(2, context), 1000)),
                    new Print(Tag(), [new VarRef(left), new VarRef(right)])];
            }

            case 3:
                return [_random.Next(3) switch
                {
                    0 => new ExprStmt(Receive(context)),
                    1 => new ExprStmt(new Call1(Tag(), Int(1, context))),
                    _ => new ExprStmt(new Call2(Tag(), Int(1, context), Int(1, context))),
                }];
            case 4:
                return [Guarded(new Throw(Pick(["ValueError", "ValueError", "KeyError", "TypeError"]), Tag(), _random.Next(10) < 3 ? Int(1, context) : null), context)];
            case 5:
                return [new PrintException(Tag(), Pick(context.Exceptions))];
            case 6:
                return [new UsingVar(Tag())];
            case 7:
                return [new LambdaDecl(Name("f"), Name("p"), Pick(context.Variables))];
            case 10:
                return [new If(Bool(2, context), Block(inner), _random.Next(2) == 0 ? Block(inner) : null)];
            case 11:
                return [Loop(inner)];
            case 12:
            {
                var variable = Name("v");
                var items = Enumerable.Range(0, _random.Next(4)).Select(_ => _random.Next(3) == 0 ? Int(1, context) : new Lit(_random.Next(10))).ToList();
                return [new Foreach(variable, items, Block(LoopBody(inner, variable)))];
            }

            case 13:
                return [TryStatement(inner)];
            case 14:
                return [new Using(Tag(), Block(inner))];
            case 15:
                return [SwitchStatement(inner)];
            case 20:
                return [Guarded(new Break(), context)];
            case 21:
                return [Guarded(new Continue(), context)];
            case 22:
                return [Guarded(new Return(_returnsInt ? Int(1, context) : null), context)];
            case 23:
                return [Guarded(new Rethrow(), context)];
            case 30:
                return [AwaitStatement()];
            case 34:
            {
                // The code SendAsync's fast path runs ends with these awaits, in an if or not (they complete at once or
                // really wait), when the receive is where the coroutine parks next.
                Stmt awaits = _random.Next(2) == 0
                    ? AwaitStatement()
                    : new If(Bool(1, context), [AwaitStatement()], _random.Next(2) == 0 ? [AwaitStatement()] : null);
                Stmt receive = context.Assignable.IsEmpty
                    ? new ExprStmt(Receive())
                    : new Assign(Pick(context.Assignable), false, new Mod(Receive(), 1000));
                return [awaits, receive];
            }

            case 31:
            {
                var variable = Name("v");
                var count = new Mod(_random.Next(3) == 0 ? Int(1, context) : new Lit(_random.Next(1, 4)), 4);
                return [new AwaitForeach(variable, Tag(), count, _random.Next(2) == 0, _random.Next(4) == 0, Block(LoopBody(inner, variable)))];
            }

            case 32:
                return [new AwaitUsing(Tag(), _random.Next(2) == 0, _random.Next(4) == 0, Block(inner))];
            case 33:
                return [new AwaitUsing(Tag(), _random.Next(2) == 0, _random.Next(4) == 0, null)];
            default:
                throw new InvalidOperationException($"unknown statement kind {kind}");
        }
    }

    /// <summary>An await statement: a completed task, <c>Task.Yield()</c>, or a yielding task that prints its tag after the yield.</summary>
    private AwaitStmt AwaitStatement() => _random.Next(3) switch
    {
        0 => new AwaitStmt(AwaitKind.Completed, null, _random.Next(3) == 0),
        1 => new AwaitStmt(AwaitKind.Yielding, null, false),
        _ => new AwaitStmt(AwaitKind.Yielding, Tag(), _random.Next(3) == 0),
    };

    /// <summary>An await used as a value (async programs): of a completed task, of one that prints, of one that yields and prints.</summary>
    private AwaitValue Await(IntExpr argument) => _random.Next(5) switch
    {
        0 => new AwaitValue(AwaitKind.Completed, "", argument, _random.Next(3) == 0),
        1 or 2 => new AwaitValue(AwaitKind.Traced, Tag(), argument, _random.Next(3) == 0),
        _ => new AwaitValue(AwaitKind.Yielding, Tag(), argument, _random.Next(3) == 0),
    };

    private static Context LoopBody(Context context, string counter) =>
        context with { CanBreak = true, CanContinue = true, Variables = context.Variables.Add(counter) };

    private Loop Loop(Context context)
    {
        var kind = (LoopKind)_random.Next(4);
        var counter = Name(kind == LoopKind.For ? "i" : "w");
        var cap = kind is LoopKind.For or LoopKind.While && _random.Next(10) == 0 ? 0 : _random.Next(1, 4);
        var withCounter = context with { Variables = context.Variables.Add(counter) };
        var condition = kind != LoopKind.WhileTrue && _random.Next(2) == 0 ? Bool(1, withCounter) : null;
        return new Loop(kind, counter, cap, condition, Block(LoopBody(context, counter)));
    }

    private Try TryStatement(Context context)
    {
        var body = Block(context);
        var catches = new List<Catch>();
        var handlerContext = context with { CanRethrow = true };

        var typed = new List<CatchKind>();
        if (_random.Next(2) == 0)
        {
            typed.Add(CatchKind.ValueError);
        }

        if (_random.Next(5) < 2)
        {
            typed.Add(CatchKind.KeyError);
        }

        if (typed.Count == 2 && _random.Next(2) == 0)
        {
            typed.Reverse();
        }

        // GeneratorExitException derives from Exception, so C# wants its clause before a catch-all (CS0160).
        if (_random.Next(10) < 3)
        {
            typed.Add(CatchKind.GeneratorExit);
        }

        if (_random.Next(5) < 2)
        {
            typed.Add(_random.Next(5) < 3 ? CatchKind.Exception : CatchKind.Bare);
        }

        var hasFinally = typed.Count == 0 || _random.Next(2) == 0;
        foreach (var kind in typed)
        {
            string? variable = kind != CatchKind.Bare && _random.Next(5) < 3 ? Name("e") : null;
            var handler = new List<Stmt> { variable is null || _random.Next(3) == 0 ? new Print(Tag(), []) : new PrintException(Tag(), variable) };
            if (_budget > 0)
            {
                handler.AddRange(Block(variable is null ? handlerContext : handlerContext with { Exceptions = handlerContext.Exceptions.Add(variable) }, 0, 3));
            }

            catches.Add(new Catch(kind, variable, handler));
        }

        List<Stmt>? finallyBlock = null;
        if (hasFinally)
        {
            // C# forbids leaving a finally by break, continue, return (CS0157) or rethrowing in it (CS0724).
            var finallyContext = context with { CanBreak = false, CanContinue = false, CanReturn = false, CanRethrow = false };
            finallyBlock = [new Print(Tag(), [])];
            if (_budget > 0)
            {
                finallyBlock.AddRange(Block(finallyContext, 0, 3));
            }
        }

        return new Try(body, catches, finallyBlock);
    }

    private Switch SwitchStatement(Context context)
    {
        var selector = Name("sw");
        var labels = new List<int> { 0, 1, 2 }.OrderBy(_ => _random.Next()).ToList();
        var sections = new List<Section>();
        var used = 0;
        var sectionCount = _random.Next(1, 4);
        for (int i = 0; i < sectionCount && used < labels.Count; i++)
        {
            var take = Math.Min(labels.Count - used, _random.Next(4) == 0 ? 2 : 1);
            sections.Add(new Section(labels.GetRange(used, take), []));
            used += take;
        }

        if (_random.Next(2) == 0)
        {
            sections.Insert(_random.Next(sections.Count + 1), new Section([], []));
        }

        // A break in a section leaves the switch, not a loop around it: the Python if/elif chain cannot say that,
        // so a section only breaks out of loops nested in it.
        var sectionContext = context with { CanBreak = false };
        var guardContext = context with { AllowReceive = false }; // a suspension point in a 'when' is CORO0004
        var filled = sections.Select(s => s with
        {
            Body = Block(sectionContext, 1, 3),
            Guard = s.Labels.Count == 1 && _random.Next(4) == 0 ? Bool(1, guardContext) : null,
        }).ToList();
        return new Switch(selector, new Mod(Int(1, context), 3), filled);
    }

    private IntExpr Int(int depth, Context context)
    {
        if (depth <= 0 || _random.Next(100) < 45)
        {
            return Leaf(context);
        }

        if (_async && context.AllowReceive)
        {
            // Awaits next to receives: in any expression, and f(await a(x), receive, await b(y)) for the spilling order.
            var asyncRoll = _random.Next(100);
            if (asyncRoll < 14)
            {
                return Await(Int(depth - 1, context));
            }

            if (asyncRoll < 20)
            {
                return new Call3(Tag(), Await(Leaf(context)), Receive(context, depth - 1), Await(Leaf(context)));
            }
        }

        var roll = _random.Next(100);
        return roll switch
        {
            < 25 => new Plus(Int(depth - 1, context), Int(depth - 1, context)),
            < 47 => new Call1(Tag(), Int(depth - 1, context)),
            < 67 => new Call2(Tag(), Int(depth - 1, context), Int(depth - 1, context)),
            < 82 => new Ternary(Bool(depth - 1, context), Int(depth - 1, context), Int(depth - 1, context)),
            < 86 => new Mod(Int(depth - 1, context), _random.Next(2, 6)),
            < 89 => new AssignExpr(Pick(context.Assignable), new Mod(Int(depth - 1, context), 1000)),
            < 92 => new Increment(Pick(context.Assignable), _random.Next(2) == 0),
            < 97 when !context.Lambdas.IsEmpty => new LambdaCall(Pick(context.Lambdas), Int(depth - 1, context)),
            _ when context.AllowReceive => Receive(context, depth - 1),
            _ => Leaf(context),
        };
    }

    private IntExpr Leaf(Context context)
    {
        if (!context.Lambdas.IsEmpty && _random.Next(10) == 0)
        {
            return new LambdaCall(Pick(context.Lambdas), Leaf(context));
        }

        if (_async && context.AllowReceive && _random.Next(100) < 10)
        {
            return Await(_random.Next(2) == 0 ? new Lit(_random.Next(10)) : new VarRef(Pick(context.Variables)));
        }

        var roll = _random.Next(100);
        return roll switch
        {
            < 20 when context.AllowReceive => Receive(context, 0),
            < 70 => new VarRef(Pick(context.Variables)),
            _ => new Lit(_random.Next(10)),
        };
    }

    private Recv Receive() => new(_bidirectional ? new Lit(_random.Next(10)) : null);

    private Recv Receive(Context context, int depth = 1) =>
        new(_bidirectional ? (depth > 0 ? Int(depth - 1, context) : new Lit(_random.Next(10))) : null);

    private BoolExpr Bool(int depth, Context context)
    {
        var roll = _random.Next(100);
        if (depth <= 0 || roll < 55)
        {
            return new Compare(Int(Math.Max(depth - 1, 0), context), Pick(CompareOps), Int(Math.Max(depth - 1, 0), context));
        }

        return roll switch
        {
            < 70 => new AndAlso(Bool(depth - 1, context), Bool(depth - 1, context)),
            < 85 => new OrElse(Bool(depth - 1, context), Bool(depth - 1, context)),
            < 93 => new Not(Bool(depth - 1, context)),
            _ => new BoolCall(Tag(), Bool(depth - 1, context)),
        };
    }

    /// <summary>
    /// The driver script: mostly sends (a program only gets far with values), some throws (biased towards the
    /// exception types the program catches, so handlers run), a few closes, then the tail that checks the finished
    /// coroutine (close twice, send, throw).
    /// </summary>
    private List<Op> Ops(IReadOnlyList<Stmt> body, int sends, int throws)
    {
        var caught = new List<string>();
        FuzzAstWalker.Any(body, node =>
        {
            if (node is Try t)
            {
                foreach (var c in t.Catches)
                {
                    caught.Add(c.Kind switch
                    {
                        CatchKind.ValueError => "ValueError",
                        CatchKind.KeyError => "KeyError",
                        CatchKind.GeneratorExit => "GeneratorExit",
                        _ => "TypeError",
                    });
                }
            }

            return false;
        });

        var ops = new List<Op>();
        var count = _random.Next(4, 25);
        for (int i = 0; i < count; i++)
        {
            if (_async && _random.Next(100) < 8)
            {
                // Async programs: a second call while a send may still be in flight.
                var second = _random.Next(3) switch
                {
                    0 => new Op(OpKind.Send, _random.Next(10)),
                    1 => ThrowOp(caught),
                    _ => new Op(OpKind.Close),
                };
                ops.Add(new Op(OpKind.Overlap, _random.Next(10), Second: second));
                continue;
            }

            var roll = _random.Next(100);
            ops.Add(roll switch
            {
                _ when roll < sends => new Op(OpKind.Send, _random.Next(10)),
                _ when roll < throws => ThrowOp(caught),
                _ => new Op(OpKind.Close),
            });
        }

        // After the coroutine finished (or to finish it): close twice, send, throw into it.
        ops.Add(new Op(OpKind.Close));
        ops.Add(new Op(OpKind.Close));
        ops.Add(new Op(OpKind.Send, _random.Next(10)));
        ops.Add(new Op(OpKind.Throw, 0, "ValueError", "late"));
        return ops;
    }

    private Op ThrowOp(List<string> caught)
    {
        string type;
        if (caught.Count > 0 && _random.Next(10) < 7)
        {
            type = Pick(caught);
        }
        else
        {
            var roll = _random.Next(100);
            type = roll switch
            {
                < 40 => "ValueError",
                < 70 => "KeyError",
                < 90 => "TypeError",
                _ => "GeneratorExit",
            };
        }

        return new Op(OpKind.Throw, 0, type, type == "GeneratorExit" ? "" : Name("t"));
    }

    private string Tag() => Name("s");

    private string Name(string prefix) => prefix + (++_names).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
