using System.Reflection;
using System.Text;
using System.Threading.Channels;
using System.Xml;
using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Runtime;

/// <summary>
/// The runtime's API conventions, the ones .NET libraries such as System.Threading.Channels follow: the token comes
/// last, task-returning methods end in Async, every source reports cancellation the same way, the exceptions have
/// the standard constructors, and a two-way coroutine is accepted wherever a one-way target is.
/// </summary>
public sealed partial class ConventionTests : IDisposable
{
    private readonly List<string> _files = new();

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private static IEnumerable<MethodInfo> PublicMethods() =>
        typeof(ICoroutine<>).Assembly.GetExportedTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(method => !method.IsSpecialName);

    private static string Describe(MethodInfo method) =>
        $"{method.DeclaringType!.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";

    // ------------------------------------------------------------------ signatures

    [Fact]
    public void Every_public_method_takes_its_CancellationToken_last()
    {
        var withToken = PublicMethods().Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken))).ToList();

        Assert.NotEmpty(withToken);
        var wrong = withToken.Where(m => m.GetParameters()[^1].ParameterType != typeof(CancellationToken)).Select(Describe).ToList();
        Assert.True(wrong.Count == 0, "CancellationToken not last (CA1068): " + string.Join("; ", wrong));
    }

    [Fact]
    public void Every_public_source_takes_an_optional_CancellationToken()
    {
        var sources = typeof(Sources).GetMethods(BindingFlags.Public | BindingFlags.Static).ToList();

        Assert.NotEmpty(sources);
        var without = sources
            .Where(m => m.GetParameters() is var p && (p.Length == 0 || p[^1].ParameterType != typeof(CancellationToken) || !p[^1].HasDefaultValue))
            .Select(Describe)
            .ToList();
        Assert.True(without.Count == 0, "sources without an optional token: " + string.Join("; ", without));
    }

    [Fact]
    public void Every_public_method_that_returns_a_task_ends_in_Async()
    {
        static bool IsTask(Type type) =>
            typeof(Task).IsAssignableFrom(type)
            || type == typeof(ValueTask)
            || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>));

        var returningTasks = PublicMethods().Where(m => IsTask(m.ReturnType)).ToList();

        Assert.NotEmpty(returningTasks);
        var wrong = returningTasks.Where(m => !m.Name.EndsWith("Async", StringComparison.Ordinal)).Select(Describe).ToList();
        Assert.True(wrong.Count == 0, "task-returning methods without the Async suffix: " + string.Join("; ", wrong));
    }

    // ------------------------------------------------------------------ cancellation, the same for every source

    /// <summary>
    /// One source run over an input of three values: it sends them, as strings, to a sink made of the two delegates
    /// (a value, the close), with the token.
    /// </summary>
    public delegate Task SourceRun(ConventionTests test, Action<string> onItem, Action onClose, CancellationToken token);

    private const string ThreeEventsXml = "<r>a</r>";

    public static TheoryData<string> SourceNames => new(Runs.Keys);

    private static readonly Dictionary<string, SourceRun> Runs = new()
    {
        ["Follow(TextReader)"] = (_, item, close, token) =>
            Sync(() => Sources.Follow(new StringReader("a\nb\nc\n"), Sinks.Create(item, close), token)),
        ["Follow(path)"] = (test, item, close, token) =>
            Sync(() => Sources.Follow(test.TempFile("a\nb\nc\n"), Sinks.Create(item, close), Fast, token)),
        ["Follow(Stream)"] = (_, item, close, token) =>
            Sync(() => Sources.Follow(new MemoryStream(Encoding.UTF8.GetBytes("a\nb\nc\n")), Sinks.Create(item, close), Fast, token)),
        ["FromEnumerable"] = (_, item, close, token) =>
            Sync(() => Sources.FromEnumerable(new[] { 1, 2, 3 }, Sinks.Create<int>(v => item(v.ToString()), close), token)),
        ["FromEnumerableAsync(IAsyncEnumerable, ICoroutine)"] = (_, item, close, token) =>
            Sources.FromEnumerableAsync(ThreeAsync(), Sinks.Create<int>(v => item(v.ToString()), close), token),
        ["FromEnumerableAsync(IAsyncEnumerable, IAsyncCoroutine)"] = (_, item, close, token) =>
            Sources.FromEnumerableAsync(ThreeAsync(), AsyncSink<int>(item, close), token),
        ["FromEnumerableAsync(IEnumerable, IAsyncCoroutine)"] = (_, item, close, token) =>
            Sources.FromEnumerableAsync(new[] { 1, 2, 3 }, AsyncSink<int>(item, close), token),
        ["FromChannelAsync(ICoroutine)"] = (_, item, close, token) =>
            Sources.FromChannelAsync(ThreeInOpenChannel(), Sinks.Create<int>(v => item(v.ToString()), close), token),
        ["FromChannelAsync(IAsyncCoroutine)"] = (_, item, close, token) =>
            Sources.FromChannelAsync(ThreeInOpenChannel(), AsyncSink<int>(item, close), token),
        ["FromLinesAsync(TextReader)"] = (_, item, close, token) =>
            Sources.FromLinesAsync(new StringReader("a\nb\nc\n"), AsyncSink<string>(item, close), token),
        ["FromLinesAsync(Stream)"] = (_, item, close, token) =>
            Sources.FromLinesAsync(new MemoryStream(Encoding.UTF8.GetBytes("a\nb\nc\n")), AsyncSink<string>(item, close), token),
        ["FollowAsync(path)"] = (test, item, close, token) =>
            Sources.FollowAsync(test.TempFile("a\nb\nc\n"), AsyncSink<string>(item, close), Fast, token),
        ["FollowAsync(Stream)"] = (_, item, close, token) =>
            Sources.FollowAsync(new MemoryStream(Encoding.UTF8.GetBytes("a\nb\nc\n")), AsyncSink<string>(item, close), Fast, token),
        ["FollowAsync(TextReader)"] = (_, item, close, token) =>
            Sources.FollowAsync(new StringReader("a\nb\nc\n"), AsyncSink<string>(item, close), Fast, token),
        ["FromJsonLines"] = (_, item, close, token) =>
            Sync(() => Sources.FromJsonLines(new StringReader("1\n2\n3\n"), Sinks.Create<int>(v => item(v.ToString()), close), null, token)),
        ["FromXml(TextReader)"] = (_, item, close, token) =>
            Sync(() => Sources.FromXml(new StringReader(ThreeEventsXml), XmlSink(item, close), token)),
        ["FromXml(Stream)"] = (_, item, close, token) =>
            Sync(() => Sources.FromXml(new MemoryStream(Encoding.UTF8.GetBytes(ThreeEventsXml)), XmlSink(item, close), token)),
        ["FromXml(path)"] = (test, item, close, token) =>
            Sync(() => Sources.FromXml(test.TempFile(ThreeEventsXml), XmlSink(item, close), token)),
        ["FromXml(XmlReader)"] = (_, item, close, token) =>
            Sync(() => Sources.FromXml(XmlReader.Create(new StringReader(ThreeEventsXml)), XmlSink(item, close), token)),
    };

    private static readonly FollowOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(10) };

    private static ICoroutine<XmlEvent> XmlSink(Action<string> item, Action close) => Sinks.Create<XmlEvent>(e => item(e.ToString()), close);

    /// <summary>An asynchronous sink that completes synchronously, for the sources with an asynchronous target.</summary>
    private static IAsyncCoroutine<T> AsyncSink<T>(Action<string> item, Action close) =>
        AsyncSinks.Create<T>(
            (value, _) =>
            {
                item(value!.ToString()!);
                return default;
            },
            () =>
            {
                close();
                return default;
            });

    private static ChannelReader<int> ThreeInOpenChannel()
    {
        var channel = Channel.CreateUnbounded<int>(); // three values, never completed
        channel.Writer.TryWrite(1);
        channel.Writer.TryWrite(2);
        channel.Writer.TryWrite(3);
        return channel.Reader;
    }

    private static Task Sync(Func<long> source)
    {
        source();
        return Task.CompletedTask;
    }

    /// <summary>Starts a run; what a synchronous source throws comes back as a failed task.</summary>
    private Task Start(string source, Action<string> onItem, Action onClose, CancellationToken token)
    {
        try
        {
            return Runs[source](this, onItem, onClose, token);
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    private static bool ReturnsTask(string source) => source.Split('(')[0].EndsWith("Async", StringComparison.Ordinal);

    private static async IAsyncEnumerable<int> ThreeAsync()
    {
        for (int i = 1; i <= 3; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    private string TempFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coroutinegen-conventions-{Guid.NewGuid():N}.txt");
        _files.Add(path);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_cancellation_table_covers_every_public_source_overload()
    {
        var sources = typeof(Sources).GetMethods(BindingFlags.Public | BindingFlags.Static).ToList();
        var overloads = sources.Select(m => Key(m, sources.Where(o => o.Name == m.Name).ToList())).Order().ToList();

        Assert.Equal(overloads, Runs.Keys.Order().ToList());

        // An overloaded source is keyed by what tells its overloads apart: the input ("path" for a string), the
        // target's interface, or both.
        static string Key(MethodInfo method, List<MethodInfo> overloads)
        {
            if (overloads.Count == 1)
            {
                return method.Name;
            }

            var parts = new List<string>();
            foreach (int position in new[] { 0, 1 })
            {
                if (overloads.Select(o => Parameter(o, position)).Distinct().Count() > 1)
                {
                    parts.Add(Parameter(method, position));
                }
            }

            return $"{method.Name}({string.Join(", ", parts)})";
        }

        static string Parameter(MethodInfo method, int position)
        {
            var type = method.GetParameters()[position].ParameterType;
            return type == typeof(string) ? "path" : type.Name.Split('`')[0];
        }
    }

    [Theory]
    [MemberData(nameof(SourceNames))]
    public async Task An_already_cancelled_token_sends_nothing_closes_the_target_and_throws_OperationCanceled(string source)
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var received = new List<string>();
        int closes = 0;

        var run = Start(source, received.Add, () => closes++, cts.Token);
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Empty(received);
        Assert.Equal(1, closes);
        if (ReturnsTask(source))
        {
            Assert.Equal(TaskStatus.Canceled, run.Status); // a task-returning source ends cancelled, not faulted
        }
    }

    [Theory]
    [MemberData(nameof(SourceNames))]
    public async Task Cancellation_while_running_sends_nothing_more_closes_the_target_and_throws_OperationCanceled(string source)
    {
        using var cts = new CancellationTokenSource();
        var received = new List<string>();
        int closes = 0;
        void OnItem(string value)
        {
            received.Add(value);
            if (received.Count == 2)
            {
                cts.Cancel(); // the third value is there to be sent, and must not be
            }
        }

        var run = Start(source, OnItem, () => closes++, cts.Token);
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(2, received.Count);
        Assert.Equal(1, closes);
        if (ReturnsTask(source))
        {
            Assert.Equal(TaskStatus.Canceled, run.Status);
        }
    }

    // ------------------------------------------------------------------ exceptions

    [Fact]
    public void StopIterationException_has_the_standard_constructors()
    {
        var inner = new InvalidOperationException("inner");

        Assert.Equal("The coroutine has finished.", new StopIterationException().Message);
        Assert.Equal("The coroutine has finished.", new StopIterationException((string?)null).Message);
        Assert.Equal("done", new StopIterationException("done").Message);
        var withInner = new StopIterationException("done", inner);
        Assert.Equal("done", withInner.Message);
        Assert.Same(inner, withInner.InnerException);
        Assert.Null(withInner.Value);
        Assert.Null(new StopIterationException("done").Value); // a string alone is the message
    }

    [Fact]
    public void StopIterationException_carries_a_return_value_passed_as_an_object()
    {
        Assert.Equal(42, new StopIterationException(42).Value);
        Assert.Equal("spam", new StopIterationException((object)"spam").Value);
        Assert.Equal("The coroutine has finished.", new StopIterationException((object)"spam").Message);
        Assert.Null(new StopIterationException().Value);
    }

    [Fact]
    public void GeneratorExitException_has_the_standard_constructors()
    {
        var inner = new InvalidOperationException("inner");

        Assert.Equal("The coroutine is being closed.", new GeneratorExitException().Message);
        Assert.Equal("The coroutine is being closed.", new GeneratorExitException(null).Message);
        Assert.Equal("bye", new GeneratorExitException("bye").Message);
        var withInner = new GeneratorExitException("bye", inner);
        Assert.Equal("bye", withInner.Message);
        Assert.Same(inner, withInner.InnerException);
    }

    [Fact]
    public void Every_public_exception_has_the_standard_constructors()
    {
        var exceptions = typeof(ICoroutine<>).Assembly.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();

        Assert.Equal(
            new[] { nameof(ChildProcessException), nameof(CoroutineBridgeException), nameof(GeneratorExitException), nameof(StopIterationException) },
            exceptions.Select(t => t.Name).Order());
        foreach (var type in exceptions)
        {
            Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
            Assert.NotNull(type.GetConstructor([typeof(string)]));
            Assert.NotNull(type.GetConstructor([typeof(string), typeof(Exception)]));
        }
    }

    // ------------------------------------------------------------------ a two-way coroutine where a one-way target is expected

    /// <summary>A two-way coroutine: yields the running total, prints each step.</summary>
    [Coroutine]
    internal static void RunningTotal(Inbox<int, int> inbox, TextWriter log)
    {
        int total = 0;
        try
        {
            while (true)
            {
                int value = inbox.Yield(total);
                total += value;
                log.WriteLine($"total {total}");
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine($"closed at {total}");
        }
    }

    private const string PythonRunningTotal = """
        def running_total_unprimed():
            total = 0
            try:
                while True:
                    value = yield total
                    total += value
                    print(f"total {total}")
            except GeneratorExit:
                print(f"closed at {total}")

        running_total = coroutine(running_total_unprimed)

        @coroutine
        def printer(name):
            try:
                while True:
                    print(f"{name} got {(yield)}")
            except GeneratorExit:
                print(f"{name} closed")

        @coroutine
        def broadcast(targets):
            try:
                while True:
                    item = (yield)
                    for target in targets:
                        target.send(item)
            except GeneratorExit:
                for target in targets:
                    target.close()

        """;

    [Fact]
    public void A_two_way_coroutine_is_a_Broadcast_target_and_matches_CPython()
    {
        var trace = new Trace();
        var total = RunningTotal(trace.Writer);
        var broadcast = Coroutines.Broadcast(total, Sinks.Create<int>(v => trace.Print($"sink got {v}"), () => trace.Print("sink closed")));

        broadcast.Send(3);
        broadcast.Send(4);
        broadcast.Close();
        trace.Print(Trace.State(total.State));

        PythonTwin.AssertSameTrace(PythonRunningTotal + """
            total = running_total()
            b = broadcast([total, printer("sink")])
            b.send(3)
            b.send(4)
            b.close()
            print(state(total))
            """, trace.Lines);
    }

    [Fact]
    public void A_two_way_coroutine_is_a_source_target_and_matches_CPython()
    {
        var trace = new Trace();
        var total = RunningTotal(trace.Writer);

        long count = Sources.FromEnumerable(new[] { 1, 2, 3 }, total);
        trace.Print($"count {count}");
        trace.Print(Trace.State(total.State));

        PythonTwin.AssertSameTrace(PythonRunningTotal + """
            def from_enumerable(items, target):
                count = 0
                for item in items:
                    target.send(item)
                    count += 1
                target.close()
                return count

            total = running_total()
            print(f"count {from_enumerable([1, 2, 3], total)}")
            print(state(total))
            """, trace.Lines);
    }

    [Fact]
    public void Through_the_one_way_interface_Send_and_Throw_do_what_the_two_way_ones_do_and_drop_the_yielded_value()
    {
        var log = new StringWriter();
        var total = RunningTotal(log);
        ICoroutine<int> oneWay = total;

        oneWay.Send(5);
        Assert.Equal(5, total.Current);
        oneWay.Send(2);
        Assert.Equal(7, total.Current);
        var error = new FormatException("not handled");
        Assert.Same(error, Assert.Throws<FormatException>(() => oneWay.Throw(error)));
        Assert.Equal(CoroutineState.Closed, oneWay.State);
        Assert.Throws<StopIterationException>(() => oneWay.Send(1));
        Assert.Equal("total 5\ntotal 7\n", log.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public void TrySend_and_ToObserver_accept_a_two_way_coroutine()
    {
        var log = new StringWriter();
        var total = RunningTotal(log);

        Assert.True(total.TrySend(10));
        Assert.Equal(10, total.Current);
        var observer = total.ToObserver();
        observer.OnNext(5);
        Assert.Equal(15, total.Current);
        observer.OnCompleted();

        Assert.Equal(CoroutineState.Closed, total.State);
        Assert.False(total.TrySend(1));
        Assert.Equal("total 10\ntotal 15\nclosed at 15\n", log.ToString().Replace("\r\n", "\n"));
    }

    /// <summary>A one-way coroutine that delegates to a two-way one.</summary>
    [Coroutine]
    internal static void DelegateToRunningTotal(Inbox<int> inbox, TextWriter log)
    {
        log.WriteLine("start");
        inbox.YieldFrom(RunningTotal(log));
        log.WriteLine("never: the sub never returns");
    }

    [Fact]
    public void A_one_way_coroutine_can_delegate_to_a_two_way_one_and_matches_CPython()
    {
        var trace = new Trace();
        var delegator = DelegateToRunningTotal(trace.Writer);

        delegator.Send(3);
        delegator.Send(4);
        delegator.Close();
        trace.Print(Trace.State(delegator.State));

        // The Python sub is not primed: yield from runs it to its first yield, where the primed C# sub already is.
        PythonTwin.AssertSameTrace(PythonRunningTotal + """
            @coroutine
            def delegate_to_running_total():
                print("start")
                yield from running_total_unprimed()
                print("never: the sub never returns")

            d = delegate_to_running_total()
            d.send(3)
            d.send(4)
            d.close()
            print(state(d))
            """, trace.Lines);
    }

    /// <summary>A two-way XML consumer: yields how many elements have started so far, and logs each count.</summary>
    [Coroutine]
    internal static void CountStarts(Inbox<XmlEvent, int> inbox, List<int> counts)
    {
        int starts = 0;
        while (true)
        {
            if (inbox.Yield(starts).Kind == XmlEventKind.Start)
            {
                starts++;
            }

            counts.Add(starts);
        }
    }

    [Fact]
    public void A_two_way_coroutine_is_an_XML_source_target()
    {
        var counts = new List<int>();
        var counter = CountStarts(counts);

        long events = Sources.FromXml(new StringReader("<a><b/><c>x</c></a>"), counter);

        Assert.Equal(7, events); // start a, start b, end b, start c, text, end c, end a
        Assert.Equal([1, 2, 2, 3, 3, 3, 3], counts);
        Assert.Equal(CoroutineState.Closed, counter.State);
    }
}
