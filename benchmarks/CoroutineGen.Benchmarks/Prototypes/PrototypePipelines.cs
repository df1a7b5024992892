using CoroutineGen.Benchmarks.Implementations;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Prototypes;

/// <summary>The workloads over <see cref="PrototypeStages"/>: the same pipelines as <see cref="GeneratedPipelines"/>.</summary>
public sealed class PrototypePipelines : IPipelines
{
    public string Name => "prototype";

    public Result W1(int k, int n)
    {
        var r = new Result();
        ICoroutine<int> head = PrototypeStages.Count(r);
        for (int s = 0; s < k; s++) head = PrototypeStages.Pass(head);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }

    public Result W2(int n)
    {
        var r = new Result();
        string[] lines = Data.Lines;
        ICoroutine<string> head = PrototypeStages.Grep(Data.Pattern, PrototypeStages.CountStr(r));
        for (int i = 0, j = 0; i < n; i++)
        {
            head.Send(lines[j]);
            if (++j == lines.Length) j = 0;
        }

        head.Close();
        return r;
    }

    public Result W3(int n)
    {
        var r = new Result();
        ICoroutine<int> head = PrototypeStages.Broadcast([PrototypeStages.Count(r), PrototypeStages.Count(r), PrototypeStages.Count(r)]);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }
}
