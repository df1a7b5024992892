namespace CoroutineGen.Tests.Runtime;

public class BroadcastTests
{
    // Beazley's oracle lines (Beazley's course, Part 2).
    private static readonly string[] LogLines =
    {
        "1.2.3.4 - - [24/Feb/2008:00:08:59 -0600] \"GET /python/python.html HTTP/1.1\" 404 133",
        "1.2.3.4 - - [24/Feb/2008:00:09:00 -0600] \"GET /ply/PLYTalk.pdf HTTP/1.1\" 200 79526",
        "1.2.3.4 - - [24/Feb/2008:00:09:01 -0600] \"GET /cgi-bin/wiki.pl?DeveloperInfo/SwigInPython HTTP/1.1\" 200 1704",
        "1.2.3.4 - - [24/Feb/2008:00:09:02 -0600] \"GET /swig/swig-1.3.28rc2.tar.gz HTTP/1.1\" 200 3972567",
        "1.2.3.4 - - [24/Feb/2008:00:09:03 -0600] \"GET /favicon.ico HTTP/1.1\" 404 133",
        "1.2.3.4 - - [24/Feb/2008:00:09:04 -0600] \"GET /python/ply/index.html HTTP/1.1\" 200 1000",
    };

    private static ICoroutine<string> Grep(string pattern, ICoroutine<string> target) =>
        Sinks.Create<string>(line => { if (line.Contains(pattern, StringComparison.Ordinal)) target.Send(line); });

    [Fact]
    public void Cobroadcast_with_a_shared_printer_matches_the_course_oracle()
    {
        var printer = new Recorder<string>();
        var broadcast = Coroutines.Broadcast(Grep("python", printer.Sink), Grep("ply", printer.Sink), Grep("swig", printer.Sink));

        foreach (var line in LogLines)
        {
            broadcast.Send(line);
        }

        Assert.Equal(new[] { LogLines[0], LogLines[1], LogLines[3], LogLines[5], LogLines[5] }, printer.Items);
    }

    [Fact]
    public void Each_value_goes_to_every_target_in_order()
    {
        var log = new List<string>();
        var broadcast = Coroutines.Broadcast(
            Sinks.Create<int>(v => log.Add($"a{v}")),
            Sinks.Create<int>(v => log.Add($"b{v}")),
            Sinks.Create<int>(v => log.Add($"c{v}")));

        broadcast.Send(1);
        broadcast.Send(2);

        Assert.Equal(new[] { "a1", "b1", "c1", "a2", "b2", "c2" }, log);
        Assert.Equal(CoroutineState.Suspended, broadcast.State);
    }

    [Fact]
    public void The_enumerable_overload_takes_a_snapshot_of_the_targets()
    {
        var first = new Recorder<int>();
        var late = new Recorder<int>();
        var targets = new List<ICoroutine<int>> { first.Sink };
        var broadcast = Coroutines.Broadcast((IEnumerable<ICoroutine<int>>)targets);
        targets.Add(late.Sink);

        broadcast.Send(7);

        Assert.Equal(new[] { 7 }, first.Items);
        Assert.Empty(late.Items);
    }

    [Fact]
    public void The_array_overload_copies_the_array()
    {
        var first = new Recorder<int>();
        var other = new Recorder<int>();
        var targets = new[] { first.Sink };
        var broadcast = Coroutines.Broadcast(targets);
        targets[0] = other.Sink;

        broadcast.Send(7);

        Assert.Equal(new[] { 7 }, first.Items);
        Assert.Empty(other.Items);
    }

    [Fact]
    public void A_target_listed_twice_receives_each_value_twice()
    {
        var sink = new Recorder<int>();
        var broadcast = Coroutines.Broadcast(sink.Sink, sink.Sink);

        broadcast.Send(1);
        broadcast.Close();

        Assert.Equal(new[] { 1, 1 }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public void No_targets_is_a_valid_broadcast()
    {
        var broadcast = Coroutines.Broadcast<int>();

        broadcast.Send(1);
        broadcast.Close();

        Assert.Equal(CoroutineState.Closed, broadcast.State);
    }

    [Fact]
    public void Null_targets_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Coroutines.Broadcast((ICoroutine<int>[])null!));
        Assert.Throws<ArgumentNullException>(() => Coroutines.Broadcast((IEnumerable<ICoroutine<int>>)null!));
        var error = Assert.Throws<ArgumentNullException>(() => Coroutines.Broadcast(Sinks.Null<int>(), null!));
        Assert.Contains("target 1", error.Message);
        Assert.Throws<ArgumentNullException>(() => Coroutines.Broadcast(new List<ICoroutine<int>> { null! }));
    }

    [Fact]
    public void Close_closes_every_target_in_order()
    {
        var log = new List<string>();
        var broadcast = Coroutines.Broadcast(
            Sinks.Create<int>(_ => { }, () => log.Add("a")),
            Sinks.Create<int>(_ => { }, () => log.Add("b")));

        broadcast.Close();

        Assert.Equal(new[] { "a", "b" }, log);
        Assert.Equal(CoroutineState.Closed, broadcast.State);
    }

    [Fact]
    public void Dispose_closes_every_target()
    {
        var a = new Recorder<int>();
        var b = new Recorder<int>();

        using (Coroutines.Broadcast(a.Sink, b.Sink))
        {
        }

        Assert.Equal(1, a.CloseCount);
        Assert.Equal(1, b.CloseCount);
    }

    [Fact]
    public void Close_closes_the_other_targets_when_one_fails_and_rethrows_that_error_unchanged()
    {
        var boom = new IOException("disk full");
        var a = new Recorder<int>();
        var c = new Recorder<int>();
        var broadcast = Coroutines.Broadcast(a.Sink, Sinks.Create<int>(_ => { }, () => throw boom), c.Sink);

        var thrown = Assert.Throws<IOException>(() => broadcast.Close());

        Assert.Same(boom, thrown);
        Assert.Equal(1, a.CloseCount);
        Assert.Equal(1, c.CloseCount);
        Assert.Equal(CoroutineState.Closed, broadcast.State);
    }

    [Fact]
    public void Close_with_several_failing_targets_throws_an_AggregateException_in_target_order()
    {
        var first = new IOException("first");
        var second = new FormatException("second");
        var middle = new Recorder<int>();
        var broadcast = Coroutines.Broadcast(
            Sinks.Create<int>(_ => { }, () => throw first),
            middle.Sink,
            Sinks.Create<int>(_ => { }, () => throw second));

        var thrown = Assert.Throws<AggregateException>(() => broadcast.Close());

        Assert.Equal(new Exception[] { first, second }, thrown.InnerExceptions);
        Assert.Equal(1, middle.CloseCount);
        Assert.Equal(CoroutineState.Closed, broadcast.State);
    }

    [Fact]
    public void A_finished_target_makes_Send_raise_StopIteration_as_an_error_and_finishes_the_broadcast()
    {
        var done = Sinks.Null<int>();
        done.Close();
        var after = new Recorder<int>();
        var broadcast = Coroutines.Broadcast(done, after.Sink);

        var error = Assert.Throws<InvalidOperationException>(() => broadcast.Send(1));

        Assert.Equal("coroutine raised StopIteration", error.Message);
        Assert.IsType<StopIterationException>(error.InnerException);
        Assert.Equal(CoroutineState.Closed, broadcast.State);
        Assert.Empty(after.Items);
    }

    [Fact]
    public void A_failing_target_stops_the_round_finishes_the_broadcast_and_leaves_the_targets_as_they_are()
    {
        var boom = new FormatException("bad record");
        var before = new Recorder<int>();
        var after = new Recorder<int>();
        var broadcast = Coroutines.Broadcast(before.Sink, Sinks.Create<int>(_ => throw boom), after.Sink);

        var thrown = Assert.Throws<FormatException>(() => broadcast.Send(1));
        broadcast.Close();

        Assert.Same(boom, thrown);
        Assert.Equal(new[] { 1 }, before.Items);
        Assert.Empty(after.Items);
        Assert.Equal(CoroutineState.Closed, broadcast.State);
        Assert.Equal(0, before.CloseCount);
        Assert.Equal(CoroutineState.Suspended, after.Sink.State);
    }

    [Fact]
    public void Throw_propagates_finishes_the_broadcast_and_does_not_touch_the_targets()
    {
        var a = new Recorder<int>();
        var broadcast = Coroutines.Broadcast(a.Sink);
        var e = new TimeoutException("upstream");

        var thrown = Assert.Throws<TimeoutException>(() => broadcast.Throw(e));

        Assert.Same(e, thrown);
        Assert.Equal(CoroutineState.Closed, broadcast.State);
        Assert.Equal(CoroutineState.Suspended, a.Sink.State);
        Assert.Equal(0, a.CloseCount);
    }

    [Fact]
    public void Throw_of_GeneratorExit_closes_the_targets_and_raises_StopIteration()
    {
        var a = new Recorder<int>();
        var broadcast = Coroutines.Broadcast(a.Sink);

        Assert.Throws<StopIterationException>(() => broadcast.Throw(new GeneratorExitException()));

        Assert.Equal(1, a.CloseCount);
        Assert.Equal(CoroutineState.Closed, broadcast.State);
    }

    [Fact]
    public void A_cycle_back_into_the_broadcast_is_already_running()
    {
        ICoroutine<int>? broadcast = null;
        var back = Sinks.Create<int>(v => broadcast!.Send(v + 1));
        broadcast = Coroutines.Broadcast(back);

        var error = Assert.Throws<InvalidOperationException>(() => broadcast.Send(1));

        Assert.Equal("coroutine is already running", error.Message);
        // The error escaped the inner sink (finished) and then the broadcast (finished too).
        Assert.Equal(CoroutineState.Closed, back.State);
        Assert.Equal(CoroutineState.Closed, broadcast.State);
    }

    [Fact]
    public void Send_and_Close_on_a_finished_broadcast_follow_the_rules()
    {
        var a = new Recorder<int>();
        var broadcast = Coroutines.Broadcast(a.Sink);
        broadcast.Close();

        Assert.Throws<StopIterationException>(() => broadcast.Send(1));
        broadcast.Close();
        var e = new Exception("x");
        Assert.Same(e, Assert.Throws<Exception>(() => broadcast.Throw(e)));
        Assert.Equal(1, a.CloseCount);
        Assert.Empty(a.Items);
    }
}
