using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace CoroutineGen.Tests.Debugging;

/// <summary>
/// A coroutine explains itself in the debugger: <c>[DebuggerDisplay("{ToString(),nq}")]</c>, and <c>ToString()</c>
/// gives the template, the state and, while suspended, the template line it is parked at.
/// </summary>
public static partial class DebuggerDisplayTests
{
    [Coroutine]
    internal static void Watcher(Inbox<string> inbox, List<string> seen)
    {
        seen.Add("started");
        while (true)
        {
            var line = inbox.Receive();
            seen.Add(line);
            if (line == "pause")
            {
                var again = inbox.Receive();
                seen.Add("after pause " + again);
            }
        }
    }

    [Coroutine(Prime = false)]
    internal static string Echo(Inbox<string?, string> inbox)
    {
        var sent = inbox.Yield("ready");
        return $"{sent} \"quoted\" \\ done";
    }

    [Fact]
    public static void ToString_names_the_template_state_and_the_line_it_is_parked_at()
    {
        var watcher = Watcher(new List<string>());
        AssertParkedAt(watcher.ToString(), "Watcher", "var line = inbox.Receive();");
        watcher.Send("pause");
        AssertParkedAt(watcher.ToString(), "Watcher", "var again = inbox.Receive();");
        watcher.Close();
        Assert.Equal("Watcher: Closed", watcher.ToString());
    }

    [Fact]
    public static void A_created_coroutine_says_so_and_quotes_survive()
    {
        var echo = Echo();
        Assert.Equal("Echo: Created", echo.ToString());
        echo.Send(null);
        AssertParkedAt(echo.ToString(), "Echo", "var sent = inbox.Yield(\"ready\");");
        Assert.Throws<StopIterationException>(() => echo.Send("x"));
        Assert.Equal("Echo: Closed", echo.ToString());
        Assert.Equal("x \"quoted\" \\ done", echo.Result);
    }

    [Fact]
    public static void The_debugger_shows_ToString()
    {
        foreach (var type in new[] { typeof(WatcherCoroutine), typeof(EchoCoroutine) })
        {
            var display = type.GetCustomAttributes(typeof(DebuggerDisplayAttribute), inherit: false).Cast<DebuggerDisplayAttribute>().Single();
            Assert.Equal("{ToString(),nq}", display.Value);
        }
    }

    /// <summary>
    /// This test's source file. A CI build maps source paths (<c>/_/tests/...</c>, deterministic builds), so the path
    /// the compiler recorded is found again under the repository root, the folder above the test binaries that holds
    /// the solution.
    /// </summary>
    private static string SourceFile(string recorded)
    {
        if (File.Exists(recorded))
        {
            return recorded;
        }

        var relative = recorded.Replace('\\', '/');
        relative = relative.Substring(relative.IndexOf("tests/", StringComparison.Ordinal));
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoroutineGen.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException("The repository root (with CoroutineGen.sln) is not above the test binaries.", recorded);
    }

    /// <summary>The text is "Name: Suspended at ThisFile.cs:N statement", and line N of this file is that statement.</summary>
    private static void AssertParkedAt(string text, string template, string statement, [CallerFilePath] string file = "")
    {
        var match = Regex.Match(text, @$"^{template}: Suspended at {Regex.Escape(Path.GetFileName(file))}:(\d+) (.*)$");
        Assert.True(match.Success, text);
        Assert.Equal(statement, match.Groups[2].Value);
        var line = File.ReadAllLines(SourceFile(file))[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1];
        Assert.Equal(statement, line.Trim());
    }
}
