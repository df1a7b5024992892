using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace CoroutineGen.Samples.Pipelines;

/// <summary>
/// <c>dotnet run --project samples/Pipelines [-- --grep PATTERN] [--follow] [FILE]</c>: connects
/// <see cref="PipelineCommand"/> to the console.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        using var stop = new CancellationTokenSource();

        // Ctrl+C stops the source instead of killing the process, so the pipeline is closed and the printer says
        // goodbye. A second Ctrl+C (if closing hangs) ends the process the usual way.
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            e.Cancel = true;
            stop.Cancel();
        };

        Console.CancelKeyPress += onCancel;

        // `kill PID` (SIGTERM, also what service managers send) stops it the same way; a second one ends it.
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return PipelineCommand.Run(args, Console.Out, Console.Error, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
