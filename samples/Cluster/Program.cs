using System;
using System.Threading.Tasks;

namespace CoroutineGen.Samples.Cluster;

/// <summary><c>dotnet run --project samples/Cluster [-- --grep PATTERN] [FILE]</c>.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => ClusterCommand.RunAsync(args, Console.Out, Console.Error);
}
