using System;
using System.Linq;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>Rebuilds an expression tree with every piece of code in it transformed.</summary>
internal static class ExprRewriter
{
    public static Expr MapCode(Expr expression, Func<Code, Code> map) => expression switch
    {
        CodeExpr c => c with { Code = map(c.Code) },
        SuspendExpr s => s with { Yielded = s.Yielded is null ? null : MapCode(s.Yielded, map) },
        CompositeExpr c => c with
        {
            Pieces = c.Pieces.Select(map).ToEquatableArray(),
            Operands = c.Operands.Select(o => o with { Value = MapCode(o.Value, map) }).ToEquatableArray(),
        },
        LogicalExpr l => l with { Left = MapCode(l.Left, map), Right = MapCode(l.Right, map) },
        CoalesceExpr c => c with { Left = MapCode(c.Left, map), Right = MapCode(c.Right, map) },
        ConditionalExpr c => c with { Condition = MapCode(c.Condition, map), WhenTrue = MapCode(c.WhenTrue, map), WhenFalse = MapCode(c.WhenFalse, map) },
        AssignExpr a => a with { Target = MapCode(a.Target, map), Value = MapCode(a.Value, map) },
        ThrowExpr t => t with { Value = MapCode(t.Value, map) },
        InitializerExpr i => i with { Creation = MapCode(i.Creation, map), Items = i.Items.Select(x => MapCode(x, map)).ToEquatableArray() },

        // A nested conditional access has its own receiver: only its receiver expression belongs to the outer one.
        ConditionalAccessExpr c => c with { Receiver = MapCode(c.Receiver, map) },
        _ => expression,
    };
}
