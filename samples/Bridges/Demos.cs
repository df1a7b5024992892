using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CoroutineGen;

namespace CoroutineGen.Samples.Bridges;

/// <summary>
/// The demos, by name: each is one Python file of python/ and prints what that file prints (except cocrash, whose
/// output depends on timing, as in the course). The first three run the same stages, so they print the same lines.
/// </summary>
public static class Demos
{
    /// <summary>The argument that makes this program the child of <see cref="Coprocess"/>.</summary>
    public const string ChildArgument = "child";

    /// <summary>How many times cocrash sends its two lines: enough for the two threads to collide.</summary>
    public const int CocrashRounds = 2000;

    /// <summary>The demos in course order.</summary>
    public static readonly IReadOnlyList<(string Name, Action Run)> All =
    [
        ("pipeline", Pipeline),
        ("cothread", Cothread),
        ("coprocess", Coprocess),
        ("cocrash", Cocrash),
    ];

    /// <summary>The names, as the command line takes them.</summary>
    public static IEnumerable<string> Names => All.Select(demo => demo.Name);

    /// <summary>The line printed before each demo when they all run.</summary>
    public static string Header(string name) => $"== {name} ==";

    /// <summary>The log the demos read: data/access-log, copied next to the program.</summary>
    public static string AccessLog => Path.Combine(AppContext.BaseDirectory, "data", "access-log");

    /// <summary>python/pipeline.py: the stages in one thread, no bridge (buses.py in the course).</summary>
    public static void Pipeline()
    {
        using var log = File.OpenText(AccessLog);
        Sources.Follow(log, Stages.ParseLog(Stages.NotFoundGets(Console.Out)));
    }

    /// <summary>
    /// python/cothread.py: the filters and the printer run on a worker thread, behind
    /// <see cref="Coroutines.Threaded{T}"/>. ParseLog does not pass the close on, so the bridge is closed by its
    /// <c>using</c>, which waits until the worker has printed everything.
    /// </summary>
    public static void Cothread()
    {
        using var bridge = Coroutines.Threaded(Stages.NotFoundGets(Console.Out));
        using var log = File.OpenText(AccessLog);
        Sources.Follow(log, Stages.ParseLog(bridge));
    }

    /// <summary>
    /// python/coprocess.py: the entries go to a child process, this program started again with the argument
    /// <c>child</c> (<see cref="Child"/>), one JSON line each. Closing the bridge (the <c>using</c>) ends the
    /// child's input and waits for it; a child that fails is a <see cref="ChildProcessException"/> here.
    /// </summary>
    public static void Coprocess()
    {
        using var child = Sinks.ToChildProcess<LogEntry>(ChildStartInfo());
        using var log = File.OpenText(AccessLog);
        Sources.Follow(log, Stages.ParseLog(child));
    }

    /// <summary>
    /// python/logproc.py (busproc.py in the course): the child of <see cref="Coprocess"/>. Reads the entries from
    /// standard input and runs the filters and the printer; the source closes them at the end of the input.
    /// </summary>
    public static void Child()
    {
        Sources.FromJsonLines(Console.In, Stages.NotFoundGets(Console.Out));
    }

    /// <summary>
    /// python/cocrash.py: two threaded greps share one printer, so both worker threads send into it. When they
    /// collide, the later one gets "coroutine is already running"; its bridge reports that at the next Send (which
    /// ends the broadcast) or at Close, and the demo writes it to stderr.
    /// </summary>
    public static void Cocrash()
    {
        var printer = Stages.Printer(Console.Out);
        ICoroutine<string>[] branches =
        [
            Coroutines.Threaded(Stages.Grep("foo", printer)),
            Coroutines.Threaded(Stages.Grep("bar", printer)),
        ];
        var target = Coroutines.Broadcast(branches);
        try
        {
            for (int i = 0; i < CocrashRounds; i++)
            {
                target.Send("foo is nice");
                target.Send("bar is bad");
            }

            target.Close();
        }
        catch (CoroutineBridgeException crash)
        {
            Console.Error.WriteLine($"cocrash: {crash.Message}");
        }

        // A Send that threw finished the broadcast without closing the other bridge: close both (a finished one
        // does nothing).
        foreach (var branch in branches)
        {
            try
            {
                branch.Close();
            }
            catch (CoroutineBridgeException crash)
            {
                Console.Error.WriteLine($"cocrash: {crash.Message}");
            }
        }

        printer.Close();
    }

    /// <summary>Runs the demo called <paramref name="name"/>; <c>false</c> if there is none.</summary>
    public static bool Run(string name)
    {
        foreach (var demo in All)
        {
            if (demo.Name == name)
            {
                demo.Run();
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs every demo, each after its <see cref="Header"/>.</summary>
    public static void RunAll()
    {
        foreach (var name in Names)
        {
            Console.WriteLine(Header(name));
            Run(name);
        }
    }

    /// <summary>
    /// How to start this program again as the child: through its apphost (<c>Bridges</c>, <c>Bridges.exe</c>) when
    /// it was started that way (<c>dotnet run</c>), otherwise through dotnet with the path of this assembly
    /// (<c>dotnet Bridges.dll</c>, or a test host that loaded it).
    /// </summary>
    public static ProcessStartInfo ChildStartInfo()
    {
        string assembly = typeof(Demos).Assembly.Location;
        string? host = Environment.ProcessPath;
        var start = new ProcessStartInfo();
        if (host is not null && Path.GetFileNameWithoutExtension(host) == Path.GetFileNameWithoutExtension(assembly))
        {
            start.FileName = host;
        }
        else
        {
            start.FileName = host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
            start.ArgumentList.Add(assembly);
        }

        start.ArgumentList.Add(ChildArgument);
        return start;
    }
}
