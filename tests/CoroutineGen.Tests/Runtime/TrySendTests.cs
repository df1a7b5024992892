namespace CoroutineGen.Tests.Runtime;

public class TrySendTests
{
    [Fact]
    public void TrySend_to_a_live_target_delivers_and_returns_true()
    {
        var sink = new Recorder<int>();

        Assert.True(sink.Sink.TrySend(1));

        Assert.Equal(new[] { 1 }, sink.Items);
    }

    [Fact]
    public void TrySend_to_a_finished_target_returns_false_without_calling_Send()
    {
        var target = new CountingCoroutine { State = CoroutineState.Closed };

        Assert.False(target.TrySend(1));

        Assert.Equal(0, target.Sends);
    }

    [Fact]
    public void TrySend_to_a_closed_sink_returns_false()
    {
        var sink = new Recorder<int>();
        sink.Sink.Close();

        Assert.False(sink.Sink.TrySend(1));
        Assert.Empty(sink.Items);
    }

    [Fact]
    public void TrySend_returns_false_when_the_target_finishes_while_handling_the_value()
    {
        var stage = new ProbeStage<int> { OnSendHook = (self, _) => self.CallReturn("enough") };

        Assert.False(stage.TrySend(1));

        Assert.Equal(new[] { "send 1" }, stage.Log); // it did receive the value
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void TrySend_lets_other_errors_propagate()
    {
        var boom = new FormatException("bad");
        var sink = Sinks.Create<int>(_ => throw boom);

        Assert.Same(boom, Assert.Throws<FormatException>(() => sink.TrySend(1)));
    }

    [Fact]
    public void TrySend_to_a_running_target_throws_already_running()
    {
        InvalidOperationException? seen = null;
        var stage = new ProbeStage<int>();
        stage.OnSendHook = (self, v) => { if (v == 1) seen = Assert.Throws<InvalidOperationException>(() => self.TrySend(2)); };

        stage.Send(1);

        Assert.Equal("coroutine is already running", seen!.Message);
    }

    [Fact]
    public void TrySend_does_not_swallow_a_StopIteration_from_a_target_that_is_still_alive()
    {
        var target = new CountingCoroutine { SendThrows = new StopIterationException() };

        Assert.Throws<StopIterationException>(() => target.TrySend(1));
        Assert.Equal(1, target.Sends);
    }

    [Fact]
    public void TrySend_rejects_a_null_target()
    {
        Assert.Throws<ArgumentNullException>(() => Coroutines.TrySend<int>(null!, 1));
    }

    /// <summary>A raw ICoroutine whose state and behaviour the test sets directly.</summary>
    private sealed class CountingCoroutine : ICoroutine<int>
    {
        public CoroutineState State { get; set; } = CoroutineState.Suspended;

        public int Sends { get; private set; }

        public Exception? SendThrows { get; set; }

        public void Send(int value)
        {
            Sends++;
            if (SendThrows is not null)
            {
                throw SendThrows;
            }
        }

        public void Throw(Exception exception) => throw exception;

        public void Close() => State = CoroutineState.Closed;

        public void Dispose() => Close();
    }
}
