namespace CoroutineGen.Generators.Tests.Fuzzing;

/// <summary>Walks a fuzzed program's statements and expressions.</summary>
internal static class FuzzAstWalker
{
    /// <summary>Whether any node (statement or expression) of <paramref name="block"/> satisfies <paramref name="predicate"/>.</summary>
    public static bool Any(IEnumerable<Stmt> block, Func<object, bool> predicate) => block.Any(s => Any(s, predicate));

    /// <summary>Whether <paramref name="node"/> or a node below it satisfies <paramref name="predicate"/>.</summary>
    public static bool Any(object? node, Func<object, bool> predicate)
    {
        if (node is null)
        {
            return false;
        }

        if (predicate(node))
        {
            return true;
        }

        return Children(node).Any(child => Any(child, predicate));
    }

    /// <summary>The direct children of a node.</summary>
    public static IEnumerable<object?> Children(object node) => node switch
    {
        Recv r => [r.Yielded],
        AwaitValue a => [a.Arg],
        Call3 c => [c.First, c.Second, c.Third],
        AwaitForeach f => [f.Count, .. f.Body],
        AwaitUsing u => u.Body ?? [],
        YieldFromSub y => [y.Arg],
        PokeSub p => [p.Arg, p.Value],
        Plus p => [p.Left, p.Right],
        Mod m => [m.Operand],
        Call1 c => [c.Arg],
        Call2 c => [c.Left, c.Right],
        Ternary t => [t.Condition, t.Then, t.Else],
        Compare c => [c.Left, c.Right],
        AndAlso a => [a.Left, a.Right],
        OrElse o => [o.Left, o.Right],
        Not n => [n.Operand],
        BoolCall b => [b.Arg],
        AssignExpr a => [a.Value],
        LambdaCall l => [l.Arg],
        Throw t => [t.Value],
        Print p => p.Items,
        Assign a => [a.Value],
        Declare d => [d.Value],
        ExprStmt e => [e.Expression],
        If i => [i.Condition, .. i.Then, .. i.Else ?? []],
        Loop l => [l.Condition, .. l.Body],
        Foreach f => [.. f.Items, .. f.Body],
        TupleAssign t => [t.LeftValue, t.RightValue],
        Try t => [.. t.Body, .. t.Catches.SelectMany(c => c.Body), .. t.Finally ?? []],
        Return r => [r.Value],
        SetText t => [t.Value],
        Using u => u.Body,
        Switch s => [s.Value, .. s.Sections.Select(section => section.Guard), .. s.Sections.SelectMany(section => section.Body)],
        _ => [],
    };

    /// <summary>The tags a program prints when the statement or call that owns them runs.</summary>
    public static HashSet<string> PrintedTags(IEnumerable<Stmt> block)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        Any(block, node =>
        {
            switch (node)
            {
                case Print p: tags.Add(p.Tag); break;
                case PrintText p: tags.Add(p.Tag); break;
                case PrintException p: tags.Add(p.Tag); break;
                case Call1 c: tags.Add(c.Tag); break;
                case Call2 c: tags.Add(c.Tag); break;
                case BoolCall b: tags.Add(b.Tag); break;
                case Using u: tags.Add(u.Tag); break;
                case PokeSub p: tags.Add(p.Tag); break;
                case UsingVar u: tags.Add(u.Tag); break;
                case AwaitValue { Kind: not AwaitKind.Completed } a: tags.Add(a.Tag); break;
                case AwaitStmt { Tag: { } tag }: tags.Add(tag); break;
                case AwaitForeach f: tags.Add(f.Tag); break;
                case AwaitUsing u: tags.Add(u.Tag); break;
                case Call3 c: tags.Add(c.Tag); break;
                case Try t:
                    foreach (var c in t.Catches)
                    {
                        foreach (var tag in PrintedTags(c.Body))
                        {
                            tags.Add(tag);
                        }
                    }

                    break;
            }

            return false;
        });
        return tags;
    }

    /// <summary>The share of <see cref="PrintedTags"/> that a trace shows (how much of the program ran).</summary>
    public static (int Printed, int Total) TagCoverage(FuzzProgram program, IEnumerable<string> trace)
    {
        var tags = PrintedTags(program.Body);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in trace)
        {
            var word = line.Split(' ', 2)[0];
            if (tags.Contains(word))
            {
                seen.Add(word);
            }
        }

        return (seen.Count, tags.Count);
    }

    /// <summary>The number of statements in <paramref name="block"/>, nested ones included.</summary>
    public static int CountStatements(IEnumerable<Stmt> block) =>
        block.Sum(s => 1 + CountStatements(Children(s).OfType<Stmt>()));
}
