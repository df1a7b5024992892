using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using CoroutineGen;

namespace CoroutineGen.Samples.Bridges;

/// <summary>
/// The coroutine stages of the demos (python/logstages.py): the same templates run in one thread, behind a thread
/// bridge and in a child process. Each is a template; the generator adds the factory beside it.
/// </summary>
public static partial class Stages
{
    private static readonly Regex LogLine = new(
        @"^(\S+) \S+ \S+ \[([^\]]+)\] ""(\S+) (\S+) [^""]*"" (\d{3}) (\d+|-)$", RegexOptions.CultureInvariant);

    // Python:
    //   @coroutine
    //   def log_to_dicts(target):
    //       while True:
    //           line = (yield)
    //           m = LOG_LINE.match(line)
    //           if m is None:
    //               raise ValueError("not an access-log line: %r" % line)
    //           host, time, method, path, status, size = m.groups()
    //           target.send({"host": host, ..., "status": int(status), "bytes": 0 if size == "-" else int(size)})

    /// <summary>Turns each access-log line into a <see cref="LogEntry"/> and sends it on.</summary>
    /// <param name="inbox">The suspension point.</param>
    /// <param name="target">The next stage.</param>
    /// <exception cref="FormatException">A line is not an access-log line (it ends the pipeline).</exception>
    [Coroutine]
    public static void ParseLog(Inbox<string> inbox, ICoroutine<LogEntry> target)
    {
        while (true)
        {
            string line = inbox.Receive();
            var m = LogLine.Match(line);
            if (!m.Success) throw new FormatException($"not an access-log line: '{line}'");
            var size = m.Groups[6].Value;
            target.Send(new LogEntry(
                m.Groups[1].Value,
                m.Groups[2].Value,
                m.Groups[3].Value,
                m.Groups[4].Value,
                int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture),
                size == "-" ? 0 : long.Parse(size, CultureInfo.InvariantCulture)));
        }
    }

    // Python:
    //   @coroutine
    //   def filter_on_field(fieldname, value, target):
    //       while True:
    //           d = (yield)
    //           if d.get(fieldname) == value:
    //               target.send(d)

    /// <summary>Passes on the entries that match <paramref name="predicate"/>.</summary>
    /// <param name="inbox">The suspension point.</param>
    /// <param name="predicate">The test: Python's <c>d.get(fieldname) == value</c> becomes <c>e =&gt; e.Status == 404</c>.</param>
    /// <param name="target">The next stage.</param>
    [Coroutine]
    public static void Filter(Inbox<LogEntry> inbox, Func<LogEntry, bool> predicate, ICoroutine<LogEntry> target)
    {
        while (true)
        {
            var entry = inbox.Receive();
            if (predicate(entry)) target.Send(entry);
        }
    }

    // Python:
    //   @coroutine
    //   def request_printer():
    //       while True:
    //           d = (yield)
    //           print('%(host)s,"%(path)s"' % d)

    /// <summary>Writes each request as <c>host,"path"</c> (the course's <c>bus_locations</c>).</summary>
    /// <param name="inbox">The suspension point.</param>
    /// <param name="output">Where the lines go.</param>
    [Coroutine]
    public static void RequestPrinter(Inbox<LogEntry> inbox, TextWriter output)
    {
        while (true)
        {
            var entry = inbox.Receive();
            output.WriteLine($"{entry.Host},\"{entry.Path}\"");
        }
    }

    /// <summary>
    /// The stages every demo runs behind its bridge: the GET requests that got a 404, printed (Python's
    /// <c>not_found_gets()</c>).
    /// </summary>
    /// <param name="output">Where the printer writes.</param>
    /// <returns>The first stage.</returns>
    public static ICoroutine<LogEntry> NotFoundGets(TextWriter output) =>
        Filter(e => e.Status == 404,
        Filter(e => e.Method == "GET",
        RequestPrinter(output)));

    // cocrash.py's grep and printer.

    /// <summary>Passes on the lines that contain <paramref name="pattern"/>.</summary>
    /// <param name="inbox">The suspension point.</param>
    /// <param name="pattern">The text to look for.</param>
    /// <param name="target">The next stage.</param>
    [Coroutine]
    public static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
    {
        while (true)
        {
            string line = inbox.Receive();
            if (line.Contains(pattern, StringComparison.Ordinal)) target.Send(line);
        }
    }

    /// <summary>Writes each line it receives.</summary>
    /// <param name="inbox">The suspension point.</param>
    /// <param name="output">Where the lines go.</param>
    [Coroutine]
    public static void Printer(Inbox<string> inbox, TextWriter output)
    {
        while (true) output.WriteLine(inbox.Receive());
    }
}
