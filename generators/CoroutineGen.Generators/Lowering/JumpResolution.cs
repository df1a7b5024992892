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
    private void ResolveJumps()
    {
        foreach (var node in _unresolved)
        {
            var frames = _nodeFrames[node];
            switch (node)
            {
                case LCode code:
                    code.Code = Resolve(code.Code, frames);
                    break;
                case LFrameDispatch dispatch:
                    for (int i = 0; i < dispatch.Frame.Branches.Count; i++)
                    {
                        var route = Route(dispatch.Frame.Branches[i], frames);
                        dispatch.Resolved.Add(new LCode(Code.Concat("if (", new LocalPart(dispatch.Frame.BranchLocal), " == ", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ") ", route), null));
                    }

                    break;
            }
        }
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

            return Code.Concat("{ ", new LocalPart(frame.BranchLocal), " = ", (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "; ", new GotoPart(frame.Label), " }");
        }

        return Code.Concat(new GotoPart(label));
    }
}
