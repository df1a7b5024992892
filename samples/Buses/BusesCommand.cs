using System;
using System.Collections.Generic;
using System.IO;
using System.Xml;
using CoroutineGen;

namespace CoroutineGen.Samples.Buses;

/// <summary>
/// The command line of the sample: parses the arguments, builds the bus pipeline and runs it over the XML file.
/// Everything the program does is here, behind <see cref="Run"/>, so tests can drive it with their own writers;
/// <c>Program.Main</c> only connects it to the console.
/// </summary>
public static class BusesCommand
{
    /// <summary>Exit code: the file was read to its end.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the file could not be read, is not well-formed XML, or a bus lacks a field.</summary>
    public const int Failure = 1;

    /// <summary>Exit code: unknown option, missing value, more than one file.</summary>
    public const int BadUsage = 2;

    /// <summary>The one-line usage summary, written to stderr on bad usage.</summary>
    public const string Usage = "usage: Buses [--route ROUTE] [--direction DIRECTION] [--collect-text] [FILE]";

    /// <summary>The route <c>--route</c> defaults to: 22, Clark Street, as in the course.</summary>
    public const string DefaultRoute = "22";

    /// <summary>The direction <c>--direction</c> defaults to, as in the course.</summary>
    public const string DefaultDirection = "North Bound";

    /// <summary>The full help, written to stdout by <c>--help</c>.</summary>
    public static readonly string Help = string.Join(
        Environment.NewLine,
        Usage,
        "",
        "Where is my bus? Parses FILE (default: the bundled buses.xml), a bus tracker feed, and sends its",
        "XML events through a pipeline of coroutines:",
        "",
        "  FromXml -> BusesToDicts -> FilterOnField(route) -> FilterOnField(direction) -> BusLocations",
        "",
        "which prints route,id,\"direction\",latitude,longitude for each bus on ROUTE going DIRECTION.",
        "",
        $"  --route ROUTE          the route to show (default {DefaultRoute})",
        $"  --direction DIRECTION  the direction to show (default \"{DefaultDirection}\")",
        "  --collect-text         put TextCollector in front, which joins the pieces of each element's",
        "                         text, and use BusesToDictsOfWholeText (Beazley's buses2.py)",
        "  --                     the next argument is the FILE, even if it starts with -",
        "  -h, --help             show this help",
        "",
        "Exit codes: 0 done, 1 the file cannot be read or is not a bus feed, 2 bad usage.",
        "");

    /// <summary>The file read when no FILE is given: <c>buses.xml</c>, copied next to the program.</summary>
    public static string BundledFeed => Path.Combine(AppContext.BaseDirectory, "buses.xml");

    /// <summary>Runs the sample.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="stdout">Where the bus locations go (and <c>--help</c>).</param>
    /// <param name="stderr">Where errors and the usage line go.</param>
    /// <returns>The exit code: <see cref="Success"/>, <see cref="Failure"/> or <see cref="BadUsage"/>.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        if (!Options.TryParse(args, out var options, out var error))
        {
            stderr.WriteLine($"Buses: {error}");
            stderr.WriteLine(Usage);
            return BadUsage;
        }

        if (options.Help)
        {
            stdout.Write(Help);
            return Success;
        }

        var path = options.File ?? BundledFeed;
        try
        {
            Pump(path, options, stdout);
            return Success;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            stderr.WriteLine($"Buses: no such file: {path}");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            stderr.WriteLine($"Buses: is a directory: {path}");
        }
        catch (XmlException e)
        {
            stderr.WriteLine($"Buses: {path} is not well-formed XML: {e.Message}");
        }
        catch (InvalidDataException e)
        {
            stderr.WriteLine($"Buses: {path}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Buses: cannot read {path}: {e.Message}");
        }

        return Failure;
    }

    private static void Pump(string path, Options options, TextWriter stdout)
    {
        // Built back to front, as Beazley nests the calls: the printer first, then each stage in front of the one
        // it feeds. Every factory returns a primed coroutine. The source closes the first stage at the end of the
        // document; the usings close the others (no garbage collector closes a coroutine in .NET).
        using var locations = BusStages.BusLocations(stdout);
        using var direction = BusStages.FilterOnField("direction", options.Direction, locations);
        using var route = BusStages.FilterOnField("route", options.Route, direction);
        using ICoroutine<XmlEvent> toDicts = options.CollectText ? BusStages.BusesToDictsOfWholeText(route) : BusStages.BusesToDicts(route);
        using ICoroutine<XmlEvent> first = options.CollectText ? BusStages.TextCollector(toDicts) : toDicts;

        // Python: xml.sax.parse(path, EventHandler(first))
        Sources.FromXml(path, first);
    }

    /// <summary>The parsed command line.</summary>
    private sealed class Options
    {
        public string Route { get; private set; } = DefaultRoute;

        public string Direction { get; private set; } = DefaultDirection;

        public bool CollectText { get; private set; }

        public bool Help { get; private set; }

        public string? File { get; private set; }

        public static bool TryParse(string[] args, out Options options, out string? error)
        {
            options = new Options();
            error = null;
            bool onlyFiles = false;
            for (int i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                if (!onlyFiles && arg.StartsWith('-') && arg != "-")
                {
                    switch (arg)
                    {
                        case "--route":
                        case "--direction":
                            if (i + 1 == args.Length)
                            {
                                error = $"{arg} needs a value";
                                return false;
                            }

                            if (arg == "--route")
                            {
                                options.Route = args[++i];
                            }
                            else
                            {
                                options.Direction = args[++i];
                            }

                            continue;
                        case "--collect-text":
                            options.CollectText = true;
                            continue;
                        case "-h":
                        case "--help":
                            options.Help = true;
                            continue;
                        case "--":
                            onlyFiles = true;
                            continue;
                        default:
                            error = $"unknown option {arg}";
                            return false;
                    }
                }

                if (options.File is not null)
                {
                    error = $"one FILE at most (got {options.File} and {arg})";
                    return false;
                }

                options.File = arg;
            }

            return true;
        }
    }
}
