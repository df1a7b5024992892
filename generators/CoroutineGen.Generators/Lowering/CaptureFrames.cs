using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// The variables of one block that lambdas capture. C# gives every execution of a block (every iteration of a
/// loop) fresh variables, and a lambda keeps the ones it captured. Once the block is flattened into the state
/// machine, a plain field would be shared by all iterations, so such variables live in a small frame object that
/// is allocated each time the block is entered; a lambda captures the frame of its iteration.
/// </summary>
internal sealed class CaptureFrame
{
    public CaptureFrame(int scope, int number)
    {
        Scope = scope;
        ClassName = "__Frame" + number;
        Field = "__frame" + number;
        Snapshot = "__f" + number;
    }

    public int Scope { get; }

    /// <summary>The nested class holding the variables.</summary>
    public string ClassName { get; }

    /// <summary>The state machine's field holding the frame of the current execution of the block.</summary>
    public string Field { get; }

    /// <summary>The local a statement copies the frame into, so that the lambdas it creates capture this frame.</summary>
    public string Snapshot { get; }

    public List<int> Locals { get; } = new();
}

/// <summary>Decides which captured locals need a frame (see <see cref="CaptureFrame"/>).</summary>
internal static class CaptureFrames
{
    public static void Assign(LoweringContext context, BlockStmt body)
    {
        var structured = new HashSet<int>();
        CollectScopes(body, structured);
        var number = 0;
        foreach (var local in context.Locals)
        {
            if (!local.IsCaptured || local.Scope == 0 || !structured.Contains(local.Scope)
                || local.Kind is LocalKind.Parameter or LocalKind.Temporary or LocalKind.CatchVariable)
            {
                continue;
            }

            if (context.Model.Body.CapturedByLocalFunction.Contains(local.Id))
            {
                context.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, local.Span, context.Signature.Name,
                    $"a local function captures '{local.Name}', which is declared in a block that suspends; each execution of that block has its own '{local.Name}', which only a lambda can keep; use a lambda, or declare the variable at the top of the template");
                continue;
            }

            if (local.Type is null)
            {
                continue;
            }

            if (!context.Frames.TryGetValue(local.Scope, out var frame))
            {
                frame = new CaptureFrame(local.Scope, ++number);
                context.Frames[local.Scope] = frame;

                // A hoisted user local named f1 would be the field __f1, the snapshot's name.
                context.GeneratedNames.Add(frame.ClassName);
                context.GeneratedNames.Add(frame.Field);
                context.GeneratedNames.Add(frame.Snapshot);
            }

            frame.Locals.Add(local.Id);
            context.FrameOf[local.Id] = frame;
        }
    }

    private static void CollectScopes(Stmt statement, HashSet<int> scopes)
    {
        switch (statement)
        {
            case BlockStmt block:
                if (block.Scope >= 0)
                {
                    scopes.Add(block.Scope);
                }

                foreach (var s in block.Statements)
                {
                    CollectScopes(s, scopes);
                }

                break;
            case LabeledStmt l:
                CollectScopes(l.Statement, scopes);
                break;
            case IfStmt i:
                CollectScopes(i.Then, scopes);
                if (i.Else is not null)
                {
                    CollectScopes(i.Else, scopes);
                }

                break;
            case WhileStmt w:
                CollectScopes(w.Body, scopes);
                break;
            case DoStmt d:
                CollectScopes(d.Body, scopes);
                break;
            case ForStmt f:
                scopes.Add(f.Scope);
                foreach (var s in f.Initializers.Concat(f.Incrementors))
                {
                    CollectScopes(s, scopes);
                }

                CollectScopes(f.Body, scopes);
                break;
            case ForEachStmt f:
                scopes.Add(f.Scope);
                CollectScopes(f.Body, scopes);
                break;
            case SwitchStmt s:
                scopes.Add(s.Scope);
                foreach (var st in s.Sections.SelectMany(x => x.Statements))
                {
                    CollectScopes(st, scopes);
                }

                break;
            case TryStmt t:
                CollectScopes(t.Body, scopes);
                foreach (var c in t.Catches)
                {
                    CollectScopes(c.Body, scopes);
                }

                if (t.Finally is not null)
                {
                    CollectScopes(t.Finally, scopes);
                }

                break;
            case UsingStmt u:
                scopes.Add(u.Scope);
                CollectScopes(u.Body, scopes);
                break;
            case CheckedStmt c:
                CollectScopes(c.Block, scopes);
                break;
        }
    }
}
