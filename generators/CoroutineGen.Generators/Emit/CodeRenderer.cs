using System.Collections.Generic;
using System.Linq;
using System.Text;
using CoroutineGen.Generators.Lowering;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Emit;

/// <summary>Writes a <see cref="Code"/> as C#, filling its holes with the names the lowering chose.</summary>
internal sealed class CodeRenderer
{
    private readonly LoweredCoroutine _coroutine;

    public CodeRenderer(LoweredCoroutine coroutine) => _coroutine = coroutine;

    /// <summary>The local lives in the state machine (a field of it, or of a capture frame), not in Send.</summary>
    public bool IsField(int local) => _coroutine.Locals[local].IsField;

    /// <summary>A local as written in code: the field's name, the frame's field, or the local's identifier.</summary>
    public string Name(int local)
    {
        var lowered = _coroutine.Locals[local];
        if (lowered.Frame is { } frame)
        {
            return frame.Field + "." + NameAllocator.Identifier(lowered.Name);
        }

        return lowered.IsField ? lowered.Name : NameAllocator.Identifier(lowered.Name);
    }

    /// <summary>
    /// Renders <paramref name="code"/>. A lambda in it that captures a frame variable refers to the frame through
    /// a snapshot local, so that it keeps this execution's frame: <paramref name="snapshots"/> lists the frames the
    /// caller must copy into their snapshot locals around the statement.
    /// </summary>
    public string Render(Code code, out List<CaptureFrame> snapshots)
    {
        var text = new StringBuilder();
        _snapshots = new List<CaptureFrame>();
        Render(code, text);
        snapshots = _snapshots;
        _snapshots = null;
        return text.ToString();
    }

    /// <summary>Renders code that cannot contain a lambda capturing a frame (or where it does not matter).</summary>
    public string Render(Code code) => Render(code, out _);

    /// <summary>Renders a statement, wrapped in a block that takes the frame snapshots its lambdas need.</summary>
    public string RenderStatement(Code code) => Wrap(Render(code, out var snapshots), snapshots);

    public static string Wrap(string statement, List<CaptureFrame> snapshots) => snapshots.Count == 0
        ? statement
        : "{ " + string.Concat(snapshots.Select(f => $"var {f.Snapshot} = {f.Field}; ")) + statement + " }";

    private List<CaptureFrame>? _snapshots;

    private void Render(Code code, StringBuilder text)
    {
        foreach (var part in code.Parts)
        {
            var boundary = text.Length;
            RenderPart(part, text);
            Code.SeparateTokens(text, boundary); // a hole next to the user's text
        }
    }

    private void RenderPart(CodePart part, StringBuilder text)
    {
        {
            switch (part)
            {
                case TextPart t:
                    text.Append(t.Value);
                    break;
                case LocalPart { InLambda: true } l when _coroutine.Locals[l.Local].Frame is { } frame:
                    if (_snapshots is not null && !_snapshots.Contains(frame))
                    {
                        _snapshots.Add(frame);
                    }

                    text.Append(frame.Snapshot).Append('.').Append(NameAllocator.Identifier(_coroutine.Locals[l.Local].Name));
                    break;
                case LocalPart l:
                    text.Append(Name(l.Local));
                    break;
                case DesignationPart d:
                    text.Append(IsField(d.Local) ? Name(d.Local) : d.TypeText + " " + Name(d.Local));
                    break;
                case PatternDesignationPart p:
                    text.Append(IsField(p.Local) ? _coroutine.Locals[p.Local].PatternTemporary : Name(p.Local));
                    break;
                case IsPatternPart isPattern:
                {
                    var stored = isPattern.Declared.Where(IsField).ToList();
                    if (stored.Count == 0)
                    {
                        Render(isPattern.Expression, text);
                        break;
                    }

                    // A pattern binds locals, never fields: bind a temporary, then store it in the field where the
                    // pattern matched: `(o is T t && Store(out f, t))`, or `(o is not T t || !(Store(out f, t)))`.
                    text.Append("(");
                    Render(isPattern.Expression, text);
                    text.Append(isPattern.Negated ? " || !(" : " && ");
                    for (int i = 0; i < stored.Count; i++)
                    {
                        text.Append(i > 0 ? " && " : string.Empty).Append("global::CoroutineGen.CoroutineRuntime.Store(out ").Append(Name(stored[i])).Append(", ").Append(_coroutine.Locals[stored[i]].PatternTemporary).Append(')');
                    }

                    text.Append(isPattern.Negated ? "))" : ")");
                    break;
                }

                case AwaitPart:
                    text.Append("await");
                    break;
                case FastAwaitPart fastAwait:
                {
                    // An async fast path's last await (on one line, as the template's statement was): finished here when
                    // the awaitable is complete, else the rest of the call (parking) is the task of a method that awaits it.
                    var awaited = FastPathSelection.AwaitedLocal(fastAwait.Number);
                    text.Append("{ var ").Append(awaited).Append(" = ");
                    Render(fastAwait.Operand, text);
                    text.Append("; if (!").Append(awaited).Append(".GetAwaiter().IsCompleted) return ")
                        .Append(FastPathSelection.AwaitThenParkMethod(fastAwait.Number)).Append('(').Append(awaited).Append(", cancellationToken); ")
                        .Append(awaited).Append(".GetAwaiter().GetResult(); }");
                    break;
                }
                case GotoPart g:
                    text.Append("goto ").Append(g.Label).Append(';');
                    break;
                default:
                    // Jumps, returns and rethrows are resolved by the flattener; reaching here is a lowering bug.
                    throw new System.InvalidOperationException("unresolved " + part.GetType().Name);
            }
        }
    }
}
