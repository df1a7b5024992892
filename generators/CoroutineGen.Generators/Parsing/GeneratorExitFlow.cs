using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// Whether a <c>catch (GeneratorExitException)</c> handler that does not suspend itself can still suspend again: its
/// end is reachable and control can flow from there to a suspension point (the loop's <c>Receive()</c> the handler
/// falls back into, as in <c>while (true) { try { inbox.Receive(); } catch (GeneratorExitException) { } }</c>). Then
/// <c>Close()</c> throws "coroutine ignored GeneratorExit" (CORO0007). Answered from Roslyn's control flow graph of
/// the template body, built once per template and only when a handler needs it. Conservative the way the warning
/// is worded ("can suspend again"): a path counts even if a condition on it never holds.
/// </summary>
internal sealed class GeneratorExitFlow
{
    private readonly TemplateContext _c;
    private ControlFlowGraph? _graph;
    private bool _built;
    private List<ControlFlowRegion>? _catchRegions;
    private List<CatchClauseSyntax>? _catchClauses;

    public GeneratorExitFlow(TemplateContext context) => _c = context;

    /// <summary>Whether control can leave the end of <paramref name="clause"/>'s block and reach a suspension point.</summary>
    public bool FallsBackIntoSuspension(CatchClauseSyntax clause)
    {
        if (_c.SuspensionPoints.Count == 0 || !_c.Model.AnalyzeControlFlow(clause.Block).EndPointIsReachable)
        {
            return false;
        }

        if (!Build() || _catchRegions!.Count != _catchClauses!.Count)
        {
            return false; // the graph does not match the syntax (half-typed code): say nothing rather than guess
        }

        var region = _catchRegions[_catchClauses.IndexOf(clause)];
        var graph = _graph!;
        var seen = new HashSet<int>();
        var work = new Stack<BasicBlock>();
        for (int i = region.FirstBlockOrdinal; i <= region.LastBlockOrdinal; i++)
        {
            foreach (var branch in new[] { graph.Blocks[i].FallThroughSuccessor, graph.Blocks[i].ConditionalSuccessor })
            {
                if (branch?.Destination is { } destination && (destination.Ordinal < region.FirstBlockOrdinal || destination.Ordinal > region.LastBlockOrdinal))
                {
                    work.Push(destination);
                }
            }
        }

        while (work.Count > 0)
        {
            var block = work.Pop();
            if (!seen.Add(block.Ordinal))
            {
                continue;
            }

            if (block.Operations.Append(block.BranchValue).Any(Suspends))
            {
                return true;
            }

            foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch?.Destination is { } destination)
                {
                    work.Push(destination);
                }
            }
        }

        return false;
    }

    private bool Suspends(IOperation? operation) =>
        operation is not null && _c.SuspensionPoints.Any(point => operation.Syntax.Span.Contains(point.Span));

    /// <summary>The graph, its catch regions and the body's catch clauses, in the same (source) order.</summary>
    private bool Build()
    {
        if (_built)
        {
            return _graph is not null;
        }

        _built = true;
        if (_c.Model.GetOperation(_c.Syntax, _c.CancellationToken) is not IMethodBodyOperation body)
        {
            return false;
        }

        _graph = ControlFlowGraph.Create(body, _c.CancellationToken);
        _catchRegions = new List<ControlFlowRegion>();
        Collect(_graph.Root, _catchRegions);
        _catchRegions.Sort((a, b) => a.FirstBlockOrdinal.CompareTo(b.FirstBlockOrdinal));
        _catchClauses = _c.Syntax.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax)
            .OfType<CatchClauseSyntax>().ToList();
        return true;
    }

    private static void Collect(ControlFlowRegion region, List<ControlFlowRegion> catches)
    {
        if (region.Kind == ControlFlowRegionKind.Catch)
        {
            catches.Add(region);
        }

        foreach (var nested in region.NestedRegions)
        {
            Collect(nested, catches);
        }
    }
}
