using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;

namespace CoroutineGen.Orleans.Tests;

/// <summary>
/// A real Orleans cluster in this process: two silos (TestCluster), each with the memory stream provider
/// <see cref="StreamProvider"/>, talking to each other over loopback TCP on free ports.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The stream provider's name, on the silos and the client.</summary>
    public const string StreamProvider = "coroutines";

    /// <summary>The stream namespace the tests publish in.</summary>
    public const string StreamNamespace = "lines";

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The address of silo <paramref name="index"/> (0 or 1).</summary>
    public SiloAddress Silo(int index) => Cluster.Silos[index].SiloAddress;

    /// <summary>
    /// A reference to grain <typeparamref name="TGrain"/> <paramref name="key"/>, activated on silo
    /// <paramref name="silo"/>: the first call carries Orleans's placement hint, which every built-in placement
    /// director honours.
    /// </summary>
    public async Task<TGrain> PlaceAsync<TGrain>(string key, int silo) where TGrain : IGrainWithStringKey, ISiloReporter
    {
        var grain = Cluster.GrainFactory.GetGrain<TGrain>(key);
        RequestContext.Set(IPlacementDirector.PlacementHintKey, Silo(silo));
        try
        {
            var where = await grain.SiloAsync();
            Assert.Equal(Silo(silo), where);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }

        return grain;
    }

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Assert.Equal(2, Cluster.Silos.Count);
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryStreams(StreamProvider).AddMemoryGrainStorage("PubSubStore");
            siloBuilder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.AddMemoryStreams(StreamProvider);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Two-silo cluster";
}
