using System.Runtime.CompilerServices;

namespace CoroutineGen.Tests.Runtime;

/// <summary>The rules of docs/semantics.md, checked on a hand-written PushCoroutine.</summary>
public class PushCoroutineTests
{
    [Fact]
    public void A_new_stage_is_already_primed()
    {
        var stage = new ProbeStage<int>();

        Assert.Equal(CoroutineState.Suspended, stage.State);
        Assert.Empty(stage.Log);
    }

    [Fact]
    public void Send_delivers_the_value_and_suspends_again()
    {
        var stage = new ProbeStage<int>();

        stage.Send(1);
        stage.Send(2);

        Assert.Equal(new[] { "send 1", "send 2" }, stage.Log);
        Assert.Equal(CoroutineState.Suspended, stage.State);
    }

    [Fact]
    public void State_is_Running_inside_every_hook()
    {
        var stage = new ProbeStage<int> { OnThrowHook = (_, _) => { } };

        stage.Send(1);
        stage.Throw(new InvalidOperationException("handled"));
        stage.Close();

        Assert.Equal(3, stage.StatesSeenInside.Count);
        Assert.All(stage.StatesSeenInside, s => Assert.Equal(CoroutineState.Running, s));
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    public static TheoryData<string> ReentrantCalls => new() { "send", "throw", "close", "dispose" };

    private static void CallBack(ProbeStage<int> stage, string call)
    {
        switch (call)
        {
            case "send": stage.Send(99); break;
            case "throw": stage.Throw(new FormatException("inner")); break;
            case "close": stage.Close(); break;
            default: stage.Dispose(); break;
        }
    }

    [Theory]
    [MemberData(nameof(ReentrantCalls))]
    public void Reentrant_call_from_OnSend_throws_already_running_and_changes_nothing(string call)
    {
        InvalidOperationException? seen = null;
        var stage = new ProbeStage<int>();
        stage.OnSendHook = (self, _) => seen = Assert.Throws<InvalidOperationException>(() => CallBack(self, call));

        stage.Send(1);

        Assert.Equal("coroutine is already running", seen!.Message);
        Assert.Equal(new[] { "send 1" }, stage.Log);
        Assert.Equal(CoroutineState.Suspended, stage.State);
        stage.Send(2);
        Assert.Equal(new[] { "send 1", "send 2" }, stage.Log);
    }

    [Theory]
    [MemberData(nameof(ReentrantCalls))]
    public void Reentrant_call_from_OnThrow_throws_already_running(string call)
    {
        InvalidOperationException? seen = null;
        var stage = new ProbeStage<int>();
        stage.OnThrowHook = (self, _) => seen = Assert.Throws<InvalidOperationException>(() => CallBack(self, call));

        stage.Throw(new Exception("outer"));

        Assert.Equal("coroutine is already running", seen!.Message);
        Assert.Equal(new[] { "throw outer" }, stage.Log);
        Assert.Equal(CoroutineState.Suspended, stage.State);
    }

    [Theory]
    [MemberData(nameof(ReentrantCalls))]
    public void Reentrant_call_from_OnClose_throws_already_running(string call)
    {
        InvalidOperationException? seen = null;
        var stage = new ProbeStage<int>();
        stage.OnCloseHook = self => seen = Assert.Throws<InvalidOperationException>(() => CallBack(self, call));

        stage.Close();

        Assert.Equal("coroutine is already running", seen!.Message);
        Assert.Equal(new[] { "close" }, stage.Log);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public async Task A_call_from_another_thread_while_running_is_reported_as_already_running()
    {
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var stage = new ProbeStage<int>
        {
            OnSendHook = (_, _) =>
            {
                inside.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            },
        };

        var first = Task.Run(() => stage.Send(1));
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)));
        var error = Assert.Throws<InvalidOperationException>(() => stage.Send(2));
        release.Set();
        await first.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("coroutine is already running", error.Message);
        Assert.Equal(new[] { "send 1" }, stage.Log);
        Assert.Equal(CoroutineState.Suspended, stage.State);
    }

    [Fact]
    public void An_exception_escaping_OnSend_propagates_unchanged_and_finishes_the_stage()
    {
        var boom = new FormatException("boom");
        var stage = new ProbeStage<int> { OnSendHook = (_, _) => throw boom };

        var thrown = Assert.Throws<FormatException>(() => stage.Send(1));

        Assert.Same(boom, thrown);
        Assert.Equal(CoroutineState.Closed, stage.State);
        stage.Close();
        Assert.Equal(new[] { "send 1" }, stage.Log); // Close on a finished stage does not run OnClose
    }

    [Fact]
    public void Send_on_a_finished_stage_throws_StopIteration_without_calling_OnSend()
    {
        var stage = new ProbeStage<int>();
        stage.Close();

        var stop = Assert.Throws<StopIterationException>(() => stage.Send(1));

        Assert.Null(stop.Value);
        Assert.Equal(new[] { "close" }, stage.Log);
    }

    [Fact]
    public void A_StopIteration_escaping_OnSend_becomes_raised_StopIteration()
    {
        var finishedSink = Sinks.Null<int>();
        finishedSink.Close();
        var stage = new ProbeStage<int> { OnSendHook = (_, v) => finishedSink.Send(v) };

        var error = Assert.Throws<InvalidOperationException>(() => stage.Send(1));

        Assert.Equal("coroutine raised StopIteration", error.Message);
        Assert.IsType<StopIterationException>(error.InnerException);
        Assert.Equal(CoroutineState.Closed, stage.State);
        Assert.Throws<StopIterationException>(() => stage.Send(2));
    }

    [Fact]
    public void A_StopIteration_escaping_OnClose_becomes_raised_StopIteration_and_the_stage_is_closed()
    {
        var leaked = new StopIterationException((object)"value");
        var stage = new ProbeStage<int> { OnCloseHook = _ => throw leaked };

        var error = Assert.Throws<InvalidOperationException>(() => stage.Close());

        Assert.Equal("coroutine raised StopIteration", error.Message);
        Assert.Same(leaked, error.InnerException);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void A_StopIteration_thrown_in_is_a_leaked_StopIteration()
    {
        // Python: g.throw(StopIteration()) into a generator that does not catch it -> RuntimeError.
        var stop = new StopIterationException();
        var stage = new ProbeStage<int>();

        var error = Assert.Throws<InvalidOperationException>(() => stage.Throw(stop));

        Assert.Equal("coroutine raised StopIteration", error.Message);
        Assert.Same(stop, error.InnerException);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void An_exception_escaping_OnClose_propagates_and_the_stage_is_closed()
    {
        var boom = new IOException("flush failed");
        var stage = new ProbeStage<int> { OnCloseHook = _ => throw boom };

        var thrown = Assert.Throws<IOException>(() => stage.Close());

        Assert.Same(boom, thrown);
        Assert.Equal(CoroutineState.Closed, stage.State);
        stage.Close();
        Assert.Equal(new[] { "close" }, stage.Log);
    }

    [Fact]
    public void Close_runs_OnClose_once_and_later_closes_do_nothing()
    {
        var stage = new ProbeStage<int>();

        stage.Close();
        stage.Close();
        stage.Dispose();

        Assert.Equal(new[] { "close" }, stage.Log);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void Dispose_is_Close()
    {
        var stage = new ProbeStage<int>();

        using (stage)
        {
            stage.Send(1);
        }

        Assert.Equal(new[] { "send 1", "close" }, stage.Log);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void Throw_on_a_finished_stage_throws_the_exception_itself()
    {
        var stage = new ProbeStage<int>();
        stage.Close();
        var e = new TimeoutException("late");

        var thrown = Assert.Throws<TimeoutException>(() => stage.Throw(e));

        Assert.Same(e, thrown);
        Assert.Equal(new[] { "close" }, stage.Log);
    }

    [Fact]
    public void Throw_unhandled_propagates_the_same_exception_and_finishes_without_OnClose()
    {
        var stage = new ProbeStage<int>();
        var e = new InvalidDataException("You're hosed");

        var thrown = Assert.Throws<InvalidDataException>(() => stage.Throw(e));

        Assert.Same(e, thrown);
        Assert.Equal(CoroutineState.Closed, stage.State);
        stage.Close();
        Assert.Equal(new[] { "throw You're hosed" }, stage.Log);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Exception ThrownInOriginalPlace()
    {
        try
        {
            throw new InvalidDataException("original");
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public void Throw_unhandled_keeps_the_stack_trace_the_exception_already_had()
    {
        var e = ThrownInOriginalPlace();
        var stage = new ProbeStage<int>();

        var thrown = Assert.Throws<InvalidDataException>(() => stage.Throw(e));

        Assert.Contains(nameof(ThrownInOriginalPlace), thrown.StackTrace);
    }

    [Fact]
    public void Throw_null_is_an_argument_error_and_changes_nothing()
    {
        var stage = new ProbeStage<int>();

        Assert.Throws<ArgumentNullException>(() => stage.Throw(null!));

        Assert.Equal(CoroutineState.Suspended, stage.State);
        Assert.Empty(stage.Log);
    }

    [Fact]
    public void Throw_handled_by_OnThrow_returns_normally_and_the_stage_stays_suspended()
    {
        var handled = new List<Exception>();
        var stage = new ProbeStage<int> { OnThrowHook = (_, e) => handled.Add(e) };
        var e = new FormatException("recoverable");

        stage.Throw(e);
        stage.Send(5);

        Assert.Same(e, Assert.Single(handled));
        Assert.Equal(CoroutineState.Suspended, stage.State);
        Assert.Equal(new[] { "throw recoverable", "send 5" }, stage.Log);
    }

    [Fact]
    public void OnThrow_that_raises_another_exception_propagates_it_and_finishes()
    {
        var replacement = new ApplicationException("replacement");
        var stage = new ProbeStage<int> { OnThrowHook = (_, _) => throw replacement };

        var thrown = Assert.Throws<ApplicationException>(() => stage.Throw(new FormatException("first")));

        Assert.Same(replacement, thrown);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void Throw_of_GeneratorExit_runs_OnClose_then_raises_StopIteration()
    {
        // Python: throw(GeneratorExit) into a generator that handles GeneratorExit and returns -> StopIteration.
        var stage = new ProbeStage<int>();

        Assert.Throws<StopIterationException>(() => stage.Throw(new GeneratorExitException()));

        Assert.Equal(new[] { "close" }, stage.Log);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void Return_in_OnSend_makes_that_Send_throw_StopIteration_with_the_value()
    {
        var stage = new ProbeStage<int> { OnSendHook = (self, v) => { if (v == 3) self.CallReturn("done"); } };

        stage.Send(1);
        var stop = Assert.Throws<StopIterationException>(() => stage.Send(3));

        Assert.Equal("done", stop.Value);
        Assert.Equal(CoroutineState.Closed, stage.State);
        var again = Assert.Throws<StopIterationException>(() => stage.Send(4));
        Assert.Null(again.Value); // an exhausted coroutine's later StopIteration carries no value (as in Python)
        Assert.Equal(new[] { "send 1", "send 3" }, stage.Log);
    }

    [Fact]
    public void Return_in_OnThrow_handles_the_exception_and_Throw_raises_StopIteration()
    {
        var stage = new ProbeStage<int> { OnThrowHook = (self, _) => self.CallReturn(42) };

        var stop = Assert.Throws<StopIterationException>(() => stage.Throw(new FormatException("x")));

        Assert.Equal(42, stop.Value);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void Return_in_OnClose_does_not_change_Close()
    {
        var stage = new ProbeStage<int> { OnCloseHook = self => self.CallReturn(1) };

        stage.Close();

        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void Return_in_OnClose_during_Throw_of_GeneratorExit_sets_the_StopIteration_value()
    {
        var stage = new ProbeStage<int> { OnCloseHook = self => self.CallReturn("summary") };

        var stop = Assert.Throws<StopIterationException>(() => stage.Throw(new GeneratorExitException()));

        Assert.Equal("summary", stop.Value);
    }

    [Fact]
    public void Return_outside_the_hooks_is_an_error()
    {
        var stage = new ProbeStage<int>();

        var error = Assert.Throws<InvalidOperationException>(() => stage.CallReturn());

        Assert.Contains("only be called while the coroutine is running", error.Message);
        Assert.Equal(CoroutineState.Suspended, stage.State);
        stage.Send(1); // not finished by the failed call
        Assert.Equal(CoroutineState.Suspended, stage.State);
    }
}
