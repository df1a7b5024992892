using CoroutineGen.Benchmarks.Implementations;
using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Prototypes;

// The workloads over the handler-free prototypes: the same pipelines as GeneratedPipelines. One class per shape, so
// that each has source loops of its own (the JIT's profile of one shape's call sites never sees another's types).

/// <summary>Pipelines of <see cref="FinallyStages"/> (sinks: <see cref="HandlerFreeStages"/>'): benchmark <c>ProtoFinally</c>.</summary>
public sealed class ProtoFinallyPipelines : IPipelines
{
    public string Name => "proto-finally";

    public Result W1(int k, int n)
    {
        var r = new Result();
        ICoroutine<int> head = HandlerFreeStages.Count(r);
        for (int s = 0; s < k; s++) head = FinallyStages.Pass(head);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }

    public Result W2(int n)
    {
        var r = new Result();
        string[] lines = Data.Lines;
        ICoroutine<string> head = FinallyStages.Grep(Data.Pattern, HandlerFreeStages.CountStr(r));
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
        ICoroutine<int> head = FinallyStages.Broadcast([HandlerFreeStages.Count(r), HandlerFreeStages.Count(r), HandlerFreeStages.Count(r)]);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }
}

/// <summary>Pipelines of <see cref="HandlerFreeStages"/>: benchmark <c>ProtoCore</c>.</summary>
public sealed class ProtoCorePipelines : IPipelines
{
    public string Name => "proto-core";

    public Result W1(int k, int n)
    {
        var r = new Result();
        ICoroutine<int> head = HandlerFreeStages.Count(r);
        for (int s = 0; s < k; s++) head = HandlerFreeStages.Pass(head);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }

    public Result W2(int n)
    {
        var r = new Result();
        string[] lines = Data.Lines;
        ICoroutine<string> head = HandlerFreeStages.Grep(Data.Pattern, HandlerFreeStages.CountStr(r));
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
        ICoroutine<int> head = HandlerFreeStages.Broadcast([HandlerFreeStages.Count(r), HandlerFreeStages.Count(r), HandlerFreeStages.Count(r)]);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }
}

/// <summary>Pipelines of <see cref="CoreFlagStages"/> (broadcast and sinks: <see cref="HandlerFreeStages"/>'): benchmark <c>ProtoCoreFlag</c>.</summary>
public sealed class ProtoCoreFlagPipelines : IPipelines
{
    public string Name => "proto-core-flag";

    public Result W1(int k, int n)
    {
        var r = new Result();
        ICoroutine<int> head = HandlerFreeStages.Count(r);
        for (int s = 0; s < k; s++) head = CoreFlagStages.Pass(head);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }

    public Result W2(int n)
    {
        var r = new Result();
        string[] lines = Data.Lines;
        ICoroutine<string> head = CoreFlagStages.Grep(Data.Pattern, HandlerFreeStages.CountStr(r));
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
        ICoroutine<int> head = HandlerFreeStages.Broadcast([HandlerFreeStages.Count(r), HandlerFreeStages.Count(r), HandlerFreeStages.Count(r)]);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }
}
