using System;

namespace CoroutineGen.Samples.Buses;

/// <summary>
/// <c>dotnet run --project samples/Buses [-- [--route ROUTE] [--direction DIRECTION] [--collect-text] [FILE]]</c>:
/// connects <see cref="BusesCommand"/> to the console.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => BusesCommand.Run(args, Console.Out, Console.Error);
}
