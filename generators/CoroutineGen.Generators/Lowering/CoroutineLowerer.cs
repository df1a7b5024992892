using System;
using System.Collections.Generic;
using System.Linq;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>A template lowered to a state machine, ready to be written out.</summary>
internal sealed class LoweredCoroutine
{
    public LoweredCoroutine(
        TemplateModel model,
        List<LNode> body,
        List<LSuspend> suspensions,
        List<(int State, string Label)> dispatch,
        List<LocalModel> locals,
        bool[] hoisted,
        string[] names,
        Dictionary<int, string> patternTemporaries,
        List<CaptureFrame> frames,
        Dictionary<int, CaptureFrame> frameOf,
        List<int> releasedOnFinish)
    {
        ReleasedOnFinish = releasedOnFinish;
        Frames = frames;
        FrameOf = frameOf;
        Model = model;
        Body = body;
        Suspensions = suspensions;
        Dispatch = dispatch;
        Locals = locals;
        Hoisted = hoisted;
        Names = names;
        PatternTemporaries = patternTemporaries;
    }

    public TemplateModel Model { get; }

    public List<LNode> Body { get; }

    public List<LSuspend> Suspensions { get; }

    public List<(int State, string Label)> Dispatch { get; }

    public List<LocalModel> Locals { get; }

    public bool[] Hoisted { get; }

    public string[] Names { get; }

    public Dictionary<int, string> PatternTemporaries { get; }

    public List<CaptureFrame> Frames { get; }

    public Dictionary<int, CaptureFrame> FrameOf { get; }

    /// <summary>The fields of locals and parameters that the coroutine clears when it finishes (see <see cref="HoistingAnalysis"/>).</summary>
    public List<int> ReleasedOnFinish { get; }
}

/// <summary>What lowering one template produced: the state machine, or the diagnostics that prevent it.</summary>
internal sealed record LoweringResult(LoweredCoroutine? Coroutine, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// Runs the lowering passes in order: <see cref="SuspensionSpiller"/> (suspension points out of expressions),
/// <see cref="ControlFlowFlattener"/> (labels and gotos, try statements kept, handlers rewritten),
/// <see cref="StateDispatchBuilder"/> (state numbers, dispatch and re-dispatch), <see cref="HoistingAnalysis"/>
/// (which locals become fields) and <see cref="NameAllocator"/>. Pure: it only reads the model.
/// </summary>
internal static class CoroutineLowerer
{
    public static LoweringResult Lower(TemplateModel model)
    {
        var context = new LoweringContext(model);
        try
        {
            var spilled = new SuspensionSpiller(context).SpillBlock(model.Body.Block);
            CaptureFrames.Assign(context, spilled);
            var flattener = new ControlFlowFlattener(context);
            var body = flattener.Flatten(spilled);
            var dispatch = StateDispatchBuilder.Build(body, flattener.Suspensions);
            var hoisting = new HoistingAnalysis(context);
            hoisting.Run(body);
            var (names, patternTemporaries) = NameAllocator.Allocate(context, hoisting.Hoisted, context.GeneratedNames);
            if (context.Diagnostics.Any(d => d.IsError))
            {
                return new LoweringResult(null, context.Diagnostics.ToEquatableArray());
            }

            return new LoweringResult(
                new LoweredCoroutine(model, body, flattener.Suspensions, dispatch, context.Locals, hoisting.Hoisted, names, patternTemporaries, context.Frames.Values.ToList(), context.FrameOf, hoisting.ReleasedOnFinish),
                context.Diagnostics.ToEquatableArray());
        }
        catch (InsufficientExecutionStackException)
        {
            context.Report(DiagnosticDescriptors.UnsupportedConstruct.Id, null, model.Signature.Name, "the body is nested too deeply to be lowered; split it into smaller methods");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.Report(DiagnosticDescriptors.InternalError.Id, null, model.Signature.Name, e.GetType().Name + ": " + e.Message);
        }

        return new LoweringResult(null, context.Diagnostics.ToEquatableArray());
    }
}
