using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using CoroutineGen.PackageTests.Infrastructure;

namespace CoroutineGen.PackageTests;

/// <summary>
/// The second package, CoroutineGen.Orleans: what is inside it, and a user's project that installs it (and, through
/// it, CoroutineGen) and runs a pipeline across a stream on a real silo.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class OrleansPackageTests(PackageFixture package, ITestOutputHelper log)
{
    /// <summary>The Orleans version the bridge is built against and depends on.</summary>
    private const string OrleansVersion = "10.4.2";

    [Fact]
    public void The_package_holds_the_bridge_for_net8_its_docs_and_readme_and_nothing_else()
    {
        log.WriteLine($"pack: {package.OrleansPackDuration.TotalSeconds:F1} s");
        using var zip = ZipFile.OpenRead(package.OrleansPackage);
        var actual = zip.Entries.Select(e => e.FullName)
            .Where(name => name != "[Content_Types].xml" && !name.StartsWith("_rels/", StringComparison.Ordinal)
                && !name.StartsWith("package/services/metadata/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();

        // No analyzers: Orleans's serializer generator ran at pack time and must not ride along.
        string[] expected =
        [
            "CoroutineGen.Orleans.nuspec",
            "README.md",
            "lib/net8.0/CoroutineGen.Orleans.dll",
            "lib/net8.0/CoroutineGen.Orleans.xml",
        ];
        Assert.True(expected.SequenceEqual(actual), $"Package files differ.\nExpected: {string.Join(", ", expected)}\nActual:   {string.Join(", ", actual)}");

        // Its own README, not the repository's.
        using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
        Assert.StartsWith("# CoroutineGen.Orleans", readme.ReadToEnd());
    }

    [Fact]
    public void The_nuspec_depends_on_CoroutineGen_of_the_same_version_with_its_analyzers_and_on_Orleans_streaming_only()
    {
        using var zip = ZipFile.OpenRead(package.OrleansPackage);
        XDocument nuspec;
        using (var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open())
        {
            nuspec = XDocument.Load(stream);
        }

        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        string? Value(string name) => metadata.Element(ns + name)?.Value;
        Assert.Equal("CoroutineGen.Orleans", Value("id"));
        Assert.Equal(Repository.VersionPrefix, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")), "The package needs a description.");
        Assert.Equal(Repository.RepositoryUrl, Value("projectUrl")?.TrimEnd('/'));
        Assert.Equal(Repository.RepositoryUrl, metadata.Element(ns + "repository")?.Attribute("url")?.Value.TrimEnd('/'));

        var groups = metadata.Element(ns + "dependencies")!.Elements(ns + "group").ToList();
        var group = Assert.Single(groups);
        Assert.Equal("net8.0", group.Attribute("targetFramework")?.Value);
        var dependencies = group.Elements(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value);
        log.WriteLine(string.Join("\n", dependencies.Values));
        Assert.Equal(["CoroutineGen", "Microsoft.Orleans.Streaming"], dependencies.Keys.Order(StringComparer.Ordinal));

        // CoroutineGen comes whole: its generator and analyzers reach a project that installs only this package.
        var coroutineGen = dependencies["CoroutineGen"];
        Assert.Equal(Repository.VersionPrefix, coroutineGen.Attribute("version")?.Value);
        Assert.Null(coroutineGen.Attribute("exclude"));
        Assert.Equal(OrleansVersion, dependencies["Microsoft.Orleans.Streaming"].Attribute("version")?.Value);
    }

    [Fact]
    public void The_assembly_is_deterministic_and_the_symbols_package_matches_it()
    {
        using var zip = ZipFile.OpenRead(package.OrleansPackage);
        using var symbols = ZipFile.OpenRead(package.OrleansSymbols);
        var pdbs = symbols.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)).Select(e => e.FullName).ToArray();
        Assert.Equal(["lib/net8.0/CoroutineGen.Orleans.pdb"], pdbs);

        using var pe = new PEReader(ReadAll(zip.GetEntry("lib/net8.0/CoroutineGen.Orleans.dll")!));
        var debug = pe.ReadDebugDirectory();
        Assert.Contains(debug, d => d.Type == DebugDirectoryEntryType.Reproducible);
        var codeView = pe.ReadCodeViewDebugDirectoryData(debug.First(d => d.Type == DebugDirectoryEntryType.CodeView));
        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(ReadAll(symbols.GetEntry(pdbs[0])!));
        var pdb = pdbProvider.GetMetadataReader();
        Assert.Equal(codeView.Guid, new Guid(pdb.DebugMetadataHeader!.Id.AsSpan(0, 16)));

        // It references the CoroutineGen runtime, not a copy of it.
        var reader = pe.GetMetadataReader();
        var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToArray();
        Assert.Contains("CoroutineGen", references);
        Assert.Contains("Orleans.Streaming", references);
    }

    private const string Stages = """
        using CoroutineGen;

        namespace ClusterApp;

        public static partial class LogPipelines
        {
            [Coroutine]
            public static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
            {
                while (true)
                {
                    string line = inbox.Receive();
                    if (line.Contains(pattern)) target.Send(line);
                }
            }

            [Coroutine]
            public static void Printer(Inbox<string> inbox, TextWriter output)
            {
                try
                {
                    while (true) output.WriteLine(inbox.Receive());
                }
                catch (GeneratorExitException)
                {
                    output.WriteLine("Going away. Goodbye");
                }
            }
        }

        """;

    private const string Grains = """
        using CoroutineGen;
        using CoroutineGen.Orleans;
        using Orleans.Concurrency;
        using Orleans.Streams;

        namespace ClusterApp;

        public interface IReaderGrain : IGrainWithStringKey
        {
            Task<long> RunAsync(List<string> lines);
        }

        public interface IPrinterGrain : IGrainWithStringKey
        {
            Task StartAsync();

            [AlwaysInterleave]
            Task<long> WaitAsync();
        }

        public sealed class ReaderGrain : Grain, IReaderGrain
        {
            public Task<long> RunAsync(List<string> lines)
            {
                var stream = this.GetStreamProvider("lines").GetStream<CoroutineMessage<string>>("log", this.GetPrimaryKeyString());
                var sink = OrleansStreams.ToStream(stream);
                long sent = Sources.FromEnumerable(lines, LogPipelines.Grep("python", sink));
                sink.Close();
                return Task.FromResult(sent);
            }
        }

        public sealed class PrinterGrain : Grain, IPrinterGrain
        {
            private CoroutineStreamSubscription? _subscription;

            public async Task StartAsync()
            {
                var stream = this.GetStreamProvider("lines").GetStream<CoroutineMessage<string>>("log", this.GetPrimaryKeyString());
                _subscription = await OrleansStreams.SubscribeAsync(stream, LogPipelines.Printer(Console.Out));
            }

            public Task<long> WaitAsync() => _subscription!.Completion;
        }

        """;

    private const string Program = """
        using System.Net;
        using System.Net.Sockets;
        using ClusterApp;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;

        static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .AddMemoryStreams("lines")
            .AddMemoryGrainStorage("PubSubStore"));
        using var host = builder.Build();
        await host.StartAsync();

        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var printer = grains.GetGrain<IPrinterGrain>("app");
        await printer.StartAsync();
        long read = await grains.GetGrain<IReaderGrain>("app").RunAsync(["python is fun", "ruby is fun too", "I said python"]);
        long printed = await printer.WaitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine($"read {read}, printed {printed}");
        await host.StopAsync();

        """;

    [Fact]
    public void A_project_that_installs_only_the_Orleans_package_gets_CoroutineGen_with_it_and_runs_a_pipeline_across_a_stream()
    {
        // Orleans and its dependencies come from the packages the solution's restore put in the machine's NuGet
        // folder, so the restore needs no network. The generator reaches the project through CoroutineGen.Orleans.
        var consumer = ConsumerProject.Create(package, "ClusterApp",
            new Dictionary<string, string> { ["LogPipelines.cs"] = Stages, ["Grains.cs"] = Grains, ["Program.cs"] = Program },
            extraProperties: "<NoWarn>$(NoWarn);NU1603</NoWarn>",
            packages:
            [
                ("CoroutineGen.Orleans", null),
                ("Microsoft.Orleans.Server", OrleansVersion),
                ("Microsoft.Orleans.Sdk", OrleansVersion),
                ("Microsoft.Extensions.Hosting", "10.0.5"),
            ],
            otherPackagesFromMachineCache: true);

        var build = consumer.Build();
        log.WriteLine($"consumer build: {build.Duration.TotalSeconds:F1} s");
        Assert.True(build.ExitCode == 0, build.Describe(
            "The Orleans consumer did not build. (Its Orleans packages come from the NuGet folder the solution was restored " +
            $"into, {Repository.NuGetPackageRoot}: run `dotnet restore CoroutineGen.sln` first.)"));
        foreach (var id in new[] { "coroutinegen", "coroutinegen.orleans" })
        {
            var restored = Path.Combine(consumer.PackagesFolder, id, package.Version.ToLowerInvariant());
            Assert.True(Directory.Exists(restored), $"The consumer did not restore {id} {package.Version} into {restored}.\n{build.Output}");
        }

        var run = consumer.Run();
        log.WriteLine($"consumer run: {run.Duration.TotalSeconds:F1} s");
        Assert.True(run.ExitCode == 0, run.Describe("The Orleans consumer failed."));
        Assert.Equal(
            """
            python is fun
            I said python
            Going away. Goodbye
            read 3, printed 2

            """.ReplaceLineEndings("\n"),
            run.StandardOutput.ReplaceLineEndings("\n"));
    }

    private static MemoryStream ReadAll(ZipArchiveEntry entry)
    {
        var copy = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        return copy;
    }
}
