using static CoroutineGen.Tests.Constructs.UsingStaticHelpers;

namespace CoroutineGen.Tests.Constructs;

/// <summary>Static members named like the members of every generated coroutine class, for <see cref="UsingStaticTests"/>.</summary>
public static class UsingStaticHelpers
{
    public static readonly string Current = "helper field Current";

    public static string State => "helper property State";

    public static string Send(string value) => $"helper Send({value})";

    public static string Close(int value) => $"helper Close({value})";

    public static string Throw<T>(T value) => $"helper Throw<{typeof(T).Name}>({value})";
}

/// <summary>
/// A template that calls static members imported with <c>using static</c> whose names the generated class declares
/// too (<c>Send</c>, <c>Close</c>, <c>Throw</c>, <c>State</c>, <c>Current</c>). The body is copied into that nested
/// class, where its own members would capture the simple names; the generator qualifies them, so they keep the
/// meaning they have in the template (and the project compiles: unqualified, <c>Send(s)</c> binds to the coroutine's
/// <c>Send</c> and fails).
/// </summary>
public static partial class UsingStaticTests
{
    [Coroutine]
    internal static void Calls(Inbox<string> inbox, List<string> log)
    {
        while (true)
        {
            var s = inbox.Receive();
            log.Add(Send(s));
            log.Add(Close(s.Length));
            log.Add(Throw(s.Length));
            log.Add(State);
            log.Add(Current);
        }
    }

    [Fact]
    public static void Static_members_imported_with_using_static_keep_their_meaning_in_the_generated_class()
    {
        var log = new List<string>();
        var calls = Calls(log);

        calls.Send("ab");

        Assert.Equal(
            ["helper Send(ab)", "helper Close(2)", "helper Throw<Int32>(2)", "helper property State", "helper field Current"],
            log);
    }
}
