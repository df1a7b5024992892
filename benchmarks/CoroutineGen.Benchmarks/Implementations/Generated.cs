using CoroutineGen.Benchmarks.Workloads;

namespace CoroutineGen.Benchmarks.Implementations;

/// <summary>
/// The stages as [Coroutine] templates, written the way a user writes Beazley's stages. The generator turns each
/// into a sealed <c>&lt;Name&gt;Coroutine</c> class and a factory that creates and primes it.
/// </summary>
public static partial class GeneratedStages
{
    [Coroutine]
    public static void Pass(Inbox<int> inbox, ICoroutine<int> target)
    {
        try
        {
            while (true) target.Send(inbox.Receive());
        }
        catch (GeneratorExitException)
        {
            target.Close();
        }
    }

    [Coroutine]
    public static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
    {
        try
        {
            while (true)
            {
                string line = inbox.Receive();
                if (line.Contains(pattern)) target.Send(line);
            }
        }
        catch (GeneratorExitException)
        {
            target.Close();
        }
    }

    [Coroutine]
    public static void Broadcast(Inbox<int> inbox, ICoroutine<int>[] targets)
    {
        try
        {
            while (true)
            {
                int item = inbox.Receive();
                foreach (var t in targets) t.Send(item);
            }
        }
        catch (GeneratorExitException)
        {
            foreach (var t in targets) t.Close();
        }
    }

    [Coroutine]
    public static void Count(Inbox<int> inbox, Result result)
    {
        long count = 0, sum = 0;
        try
        {
            while (true)
            {
                int x = inbox.Receive();
                count++;
                sum += x;
            }
        }
        catch (GeneratorExitException)
        {
            result.Add(count, sum);
        }
    }

    [Coroutine]
    public static void CountStr(Inbox<string> inbox, Result result)
    {
        long count = 0, sum = 0;
        try
        {
            while (true)
            {
                string line = inbox.Receive();
                count++;
                sum += line.Length;
            }
        }
        catch (GeneratorExitException)
        {
            result.Add(count, sum);
        }
    }
}

/// <summary>(1) Pipelines of generated coroutines.</summary>
public sealed class GeneratedPipelines : IPipelines
{
    public string Name => "generated";

    public Result W1(int k, int n)
    {
        var r = new Result();
        ICoroutine<int> head = GeneratedStages.Count(r);
        for (int s = 0; s < k; s++) head = GeneratedStages.Pass(head);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }

    public Result W2(int n)
    {
        var r = new Result();
        string[] lines = Data.Lines;
        ICoroutine<string> head = GeneratedStages.Grep(Data.Pattern, GeneratedStages.CountStr(r));
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
        ICoroutine<int> head = GeneratedStages.Broadcast([GeneratedStages.Count(r), GeneratedStages.Count(r), GeneratedStages.Count(r)]);
        for (int i = 0; i < n; i++) head.Send(i);
        head.Close();
        return r;
    }
}
