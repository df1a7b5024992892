using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// A local or parameter of the template (or a temporary of the lowering) as the lowering left it.
/// </summary>
/// <param name="Model">What the parser knows of it (type, kind, captures).</param>
/// <param name="Name">Its final name (<see cref="NameAllocator"/>): the field's, or the local's in <c>__Step</c>.</param>
/// <param name="Hoisted">A field of the coroutine (<see cref="HoistingAnalysis"/>): it lives across a suspension point.</param>
/// <param name="Frame">The capture frame it is a field of (<see cref="CaptureFrames"/>), if any; such a local is not <paramref name="Hoisted"/>.</param>
/// <param name="PatternTemporary">A pattern variable that is a field: the local its pattern binds first (a pattern cannot bind a field).</param>
internal sealed record LoweredLocal(LocalModel Model, string Name, bool Hoisted, CaptureFrame? Frame, string? PatternTemporary)
{
    /// <summary>It lives in the state machine (a field of the coroutine or of a capture frame), not in the method running the code.</summary>
    public bool IsField => Hoisted || Frame is not null;

    /// <summary>Its type as source (null when it cannot be named).</summary>
    public string? Type => Model.Type;
}

/// <summary>A template lowered to a state machine, ready to be written out.</summary>
internal sealed class LoweredCoroutine
{
    public LoweredCoroutine(
        TemplateModel model,
        List<LNode> body,
        List<LSuspension> suspensions,
        List<(int State, string Label)> dispatch,
        IReadOnlyDictionary<LTry, TryDispatch> tries,
        IReadOnlyList<LoweredLocal> locals,
        List<CaptureFrame> frames,
        List<int> releasedOnFinish,
        StateNumbering states,
        ControlFlowGraph graph)
    {
        States = states;
        Graph = graph;
        ReleasedOnFinish = releasedOnFinish;
        Frames = frames;
        Model = model;
        Body = body;
        Suspensions = suspensions;
        Dispatch = dispatch;
        _tries = tries;
        Locals = locals;
    }

    public TemplateModel Model { get; }

    public List<LNode> Body { get; }

    /// <summary>The control-flow graph of <see cref="Body"/> as it is (built once <see cref="SuspensionEntries"/>, the last pass that changes the body, has run).</summary>
    public ControlFlowGraph Graph { get; }

    /// <summary>The suspension points with their entries, in the order of their states (the k-th parks in state k).</summary>
    public List<LSuspension> Suspensions { get; }

    /// <summary>The delegation field of each <c>YieldFrom</c> suspension point, once each.</summary>
    public IEnumerable<string> DelegationFields => Suspensions.Where(s => s.Throw.Delegation is not null).Select(s => s.Throw.Delegation!.Field).Distinct();

    /// <summary>What the states mean: how far a suspension point's throw and close entries are from its parked state.</summary>
    public StateNumbering States { get; }

    /// <summary>The fast paths of <c>Send</c>, chosen by <see cref="FastPathSelection"/> (empty: every Send runs <c>__Step</c>).</summary>
    public IReadOnlyList<FastPath> FastPaths { get; private set; } = System.Array.Empty<FastPath>();

    private readonly IReadOnlyDictionary<LTry, TryDispatch> _tries;

    /// <summary>The dispatch at the top of <c>__Step</c>: state to label, by state.</summary>
    public List<(int State, string Label)> Dispatch { get; }

    /// <summary>The re-dispatch of a kept try statement of <see cref="Body"/> (<see cref="StateDispatchBuilder"/>).</summary>
    public TryDispatch DispatchOf(LTry tryNode) => TryDispatch.Of(_tries, tryNode);

    /// <summary>Every local, parameter and temporary, by its number (<see cref="LocalPart.Local"/>).</summary>
    public IReadOnlyList<LoweredLocal> Locals { get; }

    public List<CaptureFrame> Frames { get; }

    /// <summary>The fields of locals and parameters that the coroutine clears when it finishes (see <see cref="HoistingAnalysis"/>).</summary>
    public List<int> ReleasedOnFinish { get; }

    /// <summary>Set once, by the last pass (fast-path selection reads the rest of the machine).</summary>
    internal void SetFastPaths(IReadOnlyList<FastPath> fastPaths) => FastPaths = fastPaths;
}

/// <summary>What lowering one template produced: the state machine, or the diagnostics that prevent it.</summary>
internal sealed record LoweringResult(LoweredCoroutine? Coroutine, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// Runs the lowering passes in order; each is in its own file (docs/contributing/architecture.md lists what each
/// guarantees to the next):
/// <list type="number">
/// <item><see cref="SuspensionSpiller"/>: suspension points out of expressions, into statements of their own, in C#'s order of evaluation;</item>
/// <item><see cref="CaptureFrames"/>: blocks whose variables lambdas capture get a frame object per execution;</item>
/// <item><see cref="ControlFlowFlattener"/> (with its parts <c>ControlFlowFlattener.ExceptionHandlers.cs</c> and
/// <c>ControlFlowFlattener.Jumps.cs</c>): loops, switches and ifs become labels and gotos, try statements stay, handlers
/// that contain suspension points move out of their catch, jumps are resolved, then <see cref="DeadCodeCleanup"/>;</item>
/// <item><see cref="StateDispatchBuilder"/>: states numbered (<see cref="StateNumbering"/>), the dispatch and the re-dispatch at the top of each try;</item>
/// <item><see cref="HoistingAnalysis"/>: which locals live across a suspension point and become fields, which to clear before parking and on finishing;</item>
/// <item><see cref="NameAllocator"/>: the final name of every local and field;</item>
/// <item><see cref="SuspensionEntries"/>: every suspension point written out as its park and its entries (close, throw, resume), with their states and labels;</item>
/// <item><see cref="FastPathSelection"/>: the segments <c>Send</c> runs without the dispatch, and the exception handling each needs.</item>
/// </list>
/// The control-flow questions of dead-code cleanup, liveness and fast-path selection are asked of one
/// <see cref="ControlFlowGraph"/>, built from the body as each of them sees it.
/// Pure: it only reads the model. The emitter then prints the result.
/// </summary>
internal static class CoroutineLowerer
{
    public static LoweringResult Lower(TemplateModel model, CancellationToken cancellationToken = default)
    {
        var context = new LoweringContext(model, cancellationToken);
        try
        {
            var spilled = new SuspensionSpiller(context).SpillBlock(model.Body.Block);
            cancellationToken.ThrowIfCancellationRequested();
            CaptureFrames.Assign(context, spilled);
            var flattener = new ControlFlowFlattener(context);
            var body = flattener.Flatten(spilled);
            cancellationToken.ThrowIfCancellationRequested();
            var (states, dispatch, tries) = StateDispatchBuilder.Build(body, flattener.Suspensions);
            var hoisting = new HoistingAnalysis(context);
            hoisting.Run(body, tries);
            cancellationToken.ThrowIfCancellationRequested();
            var (names, patternTemporaries) = NameAllocator.Allocate(context, hoisting.Hoisted, context.GeneratedNames);
            if (context.Diagnostics.Any(d => d.IsError))
            {
                return new LoweringResult(null, context.Diagnostics.ToEquatableArray());
            }

            var suspensions = SuspensionEntries.Build(body, flattener.Suspensions, states, hoisting.ClearedBeforeParking, twoWay: model.Signature.OutType is not null);
            var locals = context.Locals.Select((local, i) => new LoweredLocal(
                local,
                names[i],
                hoisting.Hoisted[i],
                context.FrameOf.TryGetValue(i, out var frame) ? frame : null,
                patternTemporaries.TryGetValue(i, out var temporary) ? temporary : null)).ToList();
            var coroutine = new LoweredCoroutine(model, body, suspensions, dispatch, tries, locals, context.Frames.Values.ToList(), hoisting.ReleasedOnFinish, states, ControlFlowGraph.Build(body));
            coroutine.SetFastPaths(FastPathSelection.Select(coroutine));
            return new LoweringResult(coroutine, context.Diagnostics.ToEquatableArray());
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
