using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// The last step of flattening: the <c>break</c>, <c>continue</c>, <c>goto</c> and <c>return</c> statements copied
/// from the template become gotos to the labels of their targets, and <c>throw;</c> in a moved catch body
/// rethrows the stored exception. A jump that leaves a try statement whose finally suspends goes through that
/// finally first (it records its target as the pending branch).
/// </summary>
internal sealed partial class ControlFlowFlattener
{
    private void ResolveJumps(List<LNode> body)
    {
        var trampolined = new List<LCode>();
        foreach (var node in _unresolved)
        {
            var frames = _nodeFrames[node];
            switch (node)
            {
                case LCode code:
                {
                    var original = code.Code;
                    code.Code = Resolve(original, frames);
                    if (code.FastCode is { } fast)
                    {
                        code.FastCode = Resolve(fast, frames);
                    }

                    if (code.Code.AllParts().Any(p => p is GotoPart) && HasUsingDeclaration(original))
                    {
                        trampolined.Add(code);
                    }

                    break;
                }

                case LFrameDispatch dispatch:
                    for (int i = 0; i < dispatch.Frame.Branches.Count; i++)
                    {
                        var route = Route(dispatch.Frame.Branches[i], frames);
                        dispatch.Resolved.Add(new LCode(Code.Concat("if (", new LocalPart(dispatch.Frame.BranchLocal), " == ", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ") ", route), null));
                    }

                    break;
            }
        }

        foreach (var code in trampolined)
        {
            JumpThroughTrampolines(code, body);
        }
    }

    /// <summary>
    /// Whether copied code may contain a <c>using</c> declaration (<c>using var r = ...;</c>): the keyword followed
    /// by anything but the parenthesis of a using statement. A string or a comment may match too; that only costs
    /// a trampoline.
    /// </summary>
    private static bool HasUsingDeclaration(Code code)
    {
        var text = new System.Text.StringBuilder();
        foreach (var part in code.AllParts())
        {
            text.Append(part is TextPart t ? t.Value : " x ");
        }

        return UsingDeclaration.IsMatch(text.ToString());
    }

    private static readonly System.Text.RegularExpressions.Regex UsingDeclaration =
        new(@"(?<![\w@])using\s*[^\s(]", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// C# rejects a goto that jumps forward past a <c>using</c> declaration of an enclosing block (CS8648), and it
    /// judges that by position in the file: a <c>return</c> before a <c>using var</c> in a copied block, resolved
    /// to <c>goto __finish</c>, is such a jump although it leaves the block. So the jumps of copied code that has a
    /// using declaration go backwards, to a trampoline in front of it (outside its blocks), which jumps on:
    /// <c>goto __skip1; __jump1: goto __finish; __skip1: ; { ... goto __jump1; ... using var r = ...; }</c>.
    /// </summary>
    private void JumpThroughTrampolines(LCode code, List<LNode> body)
    {
        var trampolines = new Dictionary<string, string>();
        code.FastCode = null; // (its jumps would need the same trampolines: no fast path)
        code.Code = code.Code.Rewrite(part =>
        {
            if (part is not GotoPart go)
            {
                return part;
            }

            if (!trampolines.TryGetValue(go.Label, out var trampoline))
            {
                trampoline = _c.NewLabel("jump");
                trampolines.Add(go.Label, trampoline);
            }

            return new GotoPart(trampoline);
        });

        var skip = _c.NewLabel("skip");
        var nodes = new List<LNode> { new LGoto(skip) };
        foreach (var pair in trampolines)
        {
            nodes.Add(new LLabel(pair.Value));
            nodes.Add(new LGoto(pair.Key));
        }

        nodes.Add(new LLabel(skip));
        // Found in the finished tree: some nodes were lowered into a list that was then copied into another.
        if (Containing(body, code) is { } output)
        {
            output.InsertRange(output.IndexOf(code), nodes);
        }
        else
        {
            _c.Report(DiagnosticDescriptors.InternalError.Id, null, _c.Signature.Name, "a copied statement was not found in the lowered body");
        }
    }

    private static List<LNode>? Containing(List<LNode> nodes, LNode target)
    {
        if (nodes.Contains(target))
        {
            return nodes;
        }

        foreach (var node in nodes)
        {
            if (node is LTry tryNode
                && (Containing(tryNode.Body, target)
                    ?? tryNode.Catches.Select(c => Containing(c.Body, target)).FirstOrDefault(l => l is not null)
                    ?? (tryNode.Finally is null ? null : Containing(tryNode.Finally, target))) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private Code Resolve(Code code, FrameContext? frames) => code.Rewrite(part => part switch
    {
        JumpPart jump => new CodeSplice(Route(jump.Target, frames)),
        ReturnPart ret => new CodeSplice(Return(ret.Value, frames)),
        RethrowPart rethrow when _rethrowLocals.TryGetValue(rethrow.Catch, out var local) =>
            new CodeSplice(Code.Concat("global::CoroutineGen.CoroutineRuntime.Rethrow(", new LocalPart(local), _c.NotNull, ");")),
        _ => part,
    });

    private Code Return(Code? value, FrameContext? frames)
    {
        var route = Route(FinishTarget, frames);
        return value is null || !_c.ReturnsValue
            ? route
            : Code.Concat("{ __result = ", value, "; ", route, " }");
    }

    private Code Route(int target, FrameContext? frames)
    {
        string label;
        FrameContext? targetFrames;
        if (target == FinishTarget)
        {
            (label, targetFrames) = (FinishLabel, null);
        }
        else if (!_targets.TryGetValue(target, out var defined))
        {
            _c.Report(DiagnosticDescriptors.InternalError.Id, null, _c.Signature.Name, "a jump target was never defined");
            return Code.Text(";");
        }
        else
        {
            (label, targetFrames) = defined;
        }

        var from = frames?.Depth ?? 0;
        var to = targetFrames?.Depth ?? 0;
        if (from > to)
        {
            var frame = frames!.Frame;
            var index = frame.Branches.IndexOf(target);
            if (index < 0)
            {
                frame.Branches.Add(target);
                index = frame.Branches.Count - 1;
            }

            return Code.Quiet("{ ", new LocalPart(frame.BranchLocal), " = ", (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "; ", new GotoPart(frame.Label), " }");
        }

        return Code.Concat(new GotoPart(label));
    }
}
