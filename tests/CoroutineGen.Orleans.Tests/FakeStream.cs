using System.Reflection;
using Orleans.Runtime;
using Orleans.Streams;

namespace CoroutineGen.Orleans.Tests;

/// <summary>
/// A stand-in for an Orleans stream, without a cluster: records what is published (and can make publishing fail or
/// wait), and hands out the observer a subscription registers, so a test can deliver messages itself.
/// Built with <see cref="DispatchProxy"/>; every member the bridge does not use throws.
/// </summary>
public class FakeStream : DispatchProxy
{
    private readonly object _gate = new();

    /// <summary>Each publish call: the messages of one <c>OnNextAsync</c> (one) or <c>OnNextBatchAsync</c> (several).</summary>
    public List<CoroutineMessage<string>[]> Calls { get; } = [];

    /// <summary>Called for each publish before it is recorded; its task is what the publish returns.</summary>
    public Func<CoroutineMessage<string>[], Task> OnPublish { get; set; } = _ => Task.CompletedTask;

    /// <summary>What <c>SubscribeAsync</c> does; by default it succeeds.</summary>
    public Exception? SubscribeFailure { get; set; }

    public IAsyncObserver<CoroutineMessage<string>>? Observer { get; private set; }

    public int Unsubscribes { get; private set; }

    public IAsyncStream<CoroutineMessage<string>> Stream => (IAsyncStream<CoroutineMessage<string>>)(object)this;

    public CoroutineMessage<string>[] Published
    {
        get
        {
            lock (_gate)
            {
                return Calls.SelectMany(c => c).ToArray();
            }
        }
    }

    public static FakeStream Create()
    {
        var proxy = DispatchProxy.Create<IAsyncStream<CoroutineMessage<string>>, FakeStream>();
        return (FakeStream)(object)proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        switch (method!.Name)
        {
            case "OnNextAsync":
                return Publish([(CoroutineMessage<string>)args![0]!]);
            case "OnNextBatchAsync":
                return Publish(((IEnumerable<CoroutineMessage<string>>)args![0]!).ToArray());
            case "SubscribeAsync" when args!.Length == 1 && args[0] is IAsyncObserver<CoroutineMessage<string>> observer:
                if (SubscribeFailure is not null)
                {
                    return Task.FromException<StreamSubscriptionHandle<CoroutineMessage<string>>>(SubscribeFailure);
                }

                Observer = observer;
                return Task.FromResult<StreamSubscriptionHandle<CoroutineMessage<string>>>(new Handle(this));
            case "ToString":
                return "fake stream";
            default:
                throw new NotSupportedException($"FakeStream does not implement {method}.");
        }
    }

    private async Task Publish(CoroutineMessage<string>[] messages)
    {
        await OnPublish(messages);
        lock (_gate)
        {
            Calls.Add(messages);
        }
    }

    private sealed class Handle(FakeStream owner) : StreamSubscriptionHandle<CoroutineMessage<string>>
    {
        public override StreamId StreamId => StreamId.Create("fake", "stream");

        public override string ProviderName => "fake";

        public override Guid HandleId { get; } = Guid.NewGuid();

        public override Task UnsubscribeAsync()
        {
            owner.Unsubscribes++;
            return Task.CompletedTask;
        }

        public override Task<StreamSubscriptionHandle<CoroutineMessage<string>>> ResumeAsync(IAsyncObserver<CoroutineMessage<string>> observer, StreamSequenceToken? token = null) =>
            throw new NotSupportedException();

        public override Task<StreamSubscriptionHandle<CoroutineMessage<string>>> ResumeAsync(IAsyncBatchObserver<CoroutineMessage<string>> observer, StreamSequenceToken? token = null) =>
            throw new NotSupportedException();

        public override bool Equals(StreamSubscriptionHandle<CoroutineMessage<string>>? other) => ReferenceEquals(this, other);
    }
}
