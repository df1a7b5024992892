namespace CoroutineGen.Tests.Runtime;

public class ObserverTests
{
    [Fact]
    public void OnNext_sends_and_OnCompleted_closes()
    {
        var sink = new Recorder<int>();
        var observer = sink.Sink.ToObserver();

        observer.OnNext(1);
        observer.OnNext(2);
        observer.OnCompleted();

        Assert.Equal(new[] { 1, 2 }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
        Assert.Equal(CoroutineState.Closed, sink.Sink.State);
    }

    [Fact]
    public void OnNext_after_completion_throws_StopIteration()
    {
        var observer = Sinks.Null<int>().ToObserver();
        observer.OnCompleted();

        Assert.Throws<StopIterationException>(() => observer.OnNext(1));
    }

    [Fact]
    public void OnError_not_handled_by_the_coroutine_propagates_and_finishes_it()
    {
        var stage = new ProbeStage<int>();
        var e = new TimeoutException("source died");

        var thrown = Assert.Throws<TimeoutException>(() => stage.ToObserver().OnError(e));

        Assert.Same(e, thrown);
        Assert.Equal(CoroutineState.Closed, stage.State);
        Assert.Equal(new[] { "throw source died" }, stage.Log);
    }

    [Fact]
    public void OnError_handled_by_the_coroutine_then_closes_it()
    {
        var stage = new ProbeStage<int> { OnThrowHook = (_, _) => { } };

        stage.ToObserver().OnError(new TimeoutException("source died"));

        Assert.Equal(new[] { "throw source died", "close" }, stage.Log);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void OnError_that_makes_the_coroutine_return_completes_quietly()
    {
        var stage = new ProbeStage<int> { OnThrowHook = (self, _) => self.CallReturn("partial result") };

        stage.ToObserver().OnError(new TimeoutException("source died"));

        Assert.Equal(new[] { "throw source died" }, stage.Log);
        Assert.Equal(CoroutineState.Closed, stage.State);
    }

    [Fact]
    public void OnError_with_a_replacement_exception_propagates_it()
    {
        var replacement = new ApplicationException("wrapped");
        var stage = new ProbeStage<int> { OnThrowHook = (_, _) => throw replacement };

        Assert.Same(replacement, Assert.Throws<ApplicationException>(() => stage.ToObserver().OnError(new TimeoutException())));
    }

    [Fact]
    public void Observer_drives_a_pipeline_from_an_observable()
    {
        var sink = new Recorder<string>();
        var source = new ListObservable<string>("a", "b");

        using (source.Subscribe(sink.Sink.ToObserver()))
        {
        }

        Assert.Equal(new[] { "a", "b" }, sink.Items);
        Assert.Equal(1, sink.CloseCount);
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Coroutines.ToObserver<int>(null!));
        var stage = new ProbeStage<int>();
        Assert.Throws<ArgumentNullException>(() => stage.ToObserver().OnError(null!));
        Assert.Equal(CoroutineState.Suspended, stage.State);
    }

    private sealed class ListObservable<T>(params T[] items) : IObservable<T>
    {
        public IDisposable Subscribe(IObserver<T> observer)
        {
            foreach (var item in items)
            {
                observer.OnNext(item);
            }

            observer.OnCompleted();
            return new Nothing();
        }

        private sealed class Nothing : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
