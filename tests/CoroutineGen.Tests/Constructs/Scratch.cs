using System.Collections.Generic;

namespace CoroutineGen.Tests.Constructs;

internal static partial class Scratch
{
    private static int A(TextWriter log) { log.WriteLine("A"); return 1; }

    private static void Log(TextWriter log, int a, int b) => log.WriteLine($"{a} {b}");

    [Coroutine]
    internal static void Expressions(Inbox<int> inbox, TextWriter log)
    {
        Log(log, A(log), inbox.Receive());
        int sum = 0;
        sum += inbox.Receive();
        log.WriteLine($"sum {sum} then {inbox.Receive() * 2}");
        if (inbox.Receive() > 3 && inbox.Receive() > 4) log.WriteLine("both");
        var t = inbox.Receive() > 0 ? inbox.Receive() : -1;
        int? n = null;
        var m = n ?? inbox.Receive();
        var arr = new[] { 1, inbox.Receive(), 3 };
        var (a, b) = (inbox.Receive(), inbox.Receive());
        object o = inbox.Receive();
        if (o is int { } k && k > 2) log.WriteLine($"k {k} {inbox.Receive()}");
        log.WriteLine($"{t} {m} {arr[1]} {a} {b}");
    }

    [Coroutine]
    internal static void Statements(Inbox<string> inbox, TextWriter log, List<int> items)
    {
        switch (inbox.Receive())
        {
            case "a":
                log.WriteLine("a " + inbox.Receive());
                break;
            case string s when s.Length > 3:
                log.WriteLine("long " + s + inbox.Receive());
                goto case "a";
            default:
                log.WriteLine("default");
                break;
        }

        foreach (var item in items)
        {
            log.WriteLine(item + inbox.Receive());
        }

        foreach (var c in new[] { "x", "y" })
        {
            if (c == "y") continue;
            log.WriteLine(c + inbox.Receive());
        }

        using (var w = new StringWriter())
        {
            w.Write(inbox.Receive());
            log.WriteLine(w.ToString());
        }

        using var w2 = new StringWriter();
        checked
        {
            int big = int.Parse(inbox.Receive());
            log.WriteLine(big + 1);
        }

        int tries = 0;
    retry:
        tries++;
        if (inbox.Receive() == "again" && tries < 3) goto retry;
        if (int.TryParse(inbox.Receive(), out var parsed)) log.WriteLine(parsed + inbox.Receive());
    }

    [Coroutine]
    internal static void Handlers(Inbox<string> inbox, TextWriter log)
    {
        while (true)
        {
            try
            {
                var x = inbox.Receive();
                if (x == "boom") throw new InvalidOperationException(x);
                if (x == "stop") return;
            }
            catch (InvalidOperationException e)
            {
                log.WriteLine("caught " + e.Message + inbox.Receive());
                if (e.Message == "rethrow") throw;
            }
            finally
            {
                log.WriteLine("finally " + inbox.Receive());
            }
        }
    }

    [Coroutine]
    internal static int Summer(Inbox<int> inbox)
    {
        int total = 0;
        while (true)
        {
            int x = inbox.Receive();
            if (x < 0) return total;
            total += x;
        }
    }

    [Coroutine]
    internal static void Doubler(Inbox<int, int> inbox)
    {
        int x = inbox.Yield(-1);
        while (true)
        {
            x = inbox.Yield(x * 2);
        }
    }

    [Coroutine]
    internal static void Lambdas(Inbox<int> inbox, TextWriter log)
    {
        int count = 0;
        Action bump = () => count++;
        while (true)
        {
            int x = inbox.Receive();
            bump();
            Func<int, int> add = y => y + x + count;
            log.WriteLine(add(1));
        }
    }
}

internal sealed class Point
{
    public int X { get; set; }
    public int Y { get; set; }
    public List<int> Items { get; } = new();
}

internal static partial class Scratch2
{
    [Coroutine]
    internal static void Initializers(Inbox<int> inbox, TextWriter log)
    {
        var p = new Point { X = inbox.Receive(), Y = 2 };
        var list = new List<int> { 1, inbox.Receive() };
        var dict = new Dictionary<string, int> { ["a"] = inbox.Receive(), ["b"] = 5 };
        var dict2 = new Dictionary<string, int> { { "b", inbox.Receive() } };
        var anon = new { A = 1, B = inbox.Receive() };
        log.WriteLine(anon.B);
        Point? maybe = inbox.Receive() > 0 ? p : null;
        maybe?.Items.Add(inbox.Receive());
        var count = maybe?.Items.IndexOf(inbox.Receive());
        log.WriteLine($"{p.X} {list[1]} {dict["a"]} {dict["b"]} {dict2["b"]} {count}");
    }
}
