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

    public bool IsField(int local) => _coroutine.Hoisted[local];

    /// <summary>A local as written in code: the field's name, or the local's identifier.</summary>
    public string Name(int local) => IsField(local) ? _coroutine.Names[local] : NameAllocator.Identifier(_coroutine.Names[local]);

    public string Render(Code code)
    {
        var text = new StringBuilder();
        Render(code, text);
        return text.ToString();
    }

    private void Render(Code code, StringBuilder text)
    {
        foreach (var part in code.Parts)
        {
            switch (part)
            {
                case TextPart t:
                    text.Append(t.Value);
                    break;
                case LocalPart l:
                    text.Append(Name(l.Local));
                    break;
                case DesignationPart d:
                    text.Append(IsField(d.Local) ? Name(d.Local) : d.TypeText + " " + Name(d.Local));
                    break;
                case PatternDesignationPart p:
                    text.Append(IsField(p.Local) ? _coroutine.PatternTemporaries[p.Local] : Name(p.Local));
                    break;
                case IsPatternPart isPattern:
                {
                    var stored = isPattern.Declared.Where(IsField).ToList();
                    if (stored.Count == 0)
                    {
                        Render(isPattern.Expression, text);
                        break;
                    }

                    // A pattern binds locals, never fields: bind a temporary, then store it in the field.
                    text.Append("(");
                    Render(isPattern.Expression, text);
                    foreach (var local in stored)
                    {
                        text.Append(" && global::CoroutineGen.CoroutineRuntime.Store(out ").Append(Name(local)).Append(", ").Append(_coroutine.PatternTemporaries[local]).Append(')');
                    }

                    text.Append(")");
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
