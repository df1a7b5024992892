using System.Diagnostics;

namespace CoroutineGen.PackageTests.Infrastructure;

/// <summary>
/// Packs the two packages, CoroutineGen and CoroutineGen.Orleans, once for all the tests of a run, into a private
/// temporary folder that then serves as the local feed. The build is isolated from the repository's own bin/ and obj/ (an artifacts path in the temp
/// folder), so it can run next to other test projects that use those outputs.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    /// <summary>Set to 1 to keep the temporary folder (feed, consumers, build output) for inspection.</summary>
    public const string KeepVariable = "COROUTINEGEN_KEEP_PACKAGE_TESTS";

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);

    public PackageFixture()
    {
        WorkRoot = Path.Combine(Path.GetTempPath(), "coroutinegen-package-tests", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Feed = Path.Combine(WorkRoot, "feed");
        Directory.CreateDirectory(Feed);
        Version = Repository.VersionPrefix;

        try
        {
            (PackResult, PackDuration, Package, Symbols) = Pack(Repository.PackageProject, "CoroutineGen");
            (OrleansPackResult, OrleansPackDuration, OrleansPackage, OrleansSymbols) = Pack(Repository.OrleansPackageProject, "CoroutineGen.Orleans");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private (ProcessResult Result, TimeSpan Duration, string Package, string Symbols) Pack(string project, string id)
    {
        var clock = Stopwatch.StartNew();
        var result = DotNet.Run(Repository.Root,
        [
            "pack", project,
            "-c", "Release",
            "-o", Feed,
            // Build into the temp folder, not the repository's bin/obj.
            "-p:UseArtifactsOutput=true",
            $"-p:ArtifactsPath={Path.Combine(WorkRoot, "artifacts")}",
            "-nodeReuse:false",
        ], PackTimeout);
        var duration = clock.Elapsed;

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe($"Packing the {id} package failed."));
        }

        var package = Path.Combine(Feed, $"{id}.{Version}.nupkg");
        var symbols = Path.Combine(Feed, $"{id}.{Version}.snupkg");
        if (!File.Exists(package) || !File.Exists(symbols))
        {
            throw new InvalidOperationException(
                $"Packing succeeded but {Path.GetFileName(package)} or {Path.GetFileName(symbols)} is missing; the feed holds: " +
                $"{string.Join(", ", Directory.GetFiles(Feed).Select(Path.GetFileName))}.\n{result.Output}");
        }

        return (result, duration, package, symbols);
    }

    /// <summary>The temporary folder of this run; everything the tests create is under it.</summary>
    public string WorkRoot { get; }

    /// <summary>The local feed: the folder holding the .nupkg and .snupkg.</summary>
    public string Feed { get; }

    /// <summary>The package version (Directory.Build.props VersionPrefix).</summary>
    public string Version { get; }

    /// <summary>The .nupkg.</summary>
    public string Package { get; }

    /// <summary>The symbols package (.snupkg).</summary>
    public string Symbols { get; }

    /// <summary>The <c>dotnet pack</c> run.</summary>
    public ProcessResult PackResult { get; }

    /// <summary>How long packing took.</summary>
    public TimeSpan PackDuration { get; }

    /// <summary>The CoroutineGen.Orleans .nupkg.</summary>
    public string OrleansPackage { get; }

    /// <summary>The CoroutineGen.Orleans symbols package (.snupkg).</summary>
    public string OrleansSymbols { get; }

    /// <summary>The <c>dotnet pack</c> run of CoroutineGen.Orleans (after CoroutineGen's, into the same artifacts folder).</summary>
    public ProcessResult OrleansPackResult { get; }

    /// <summary>How long packing CoroutineGen.Orleans took.</summary>
    public TimeSpan OrleansPackDuration { get; }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable(KeepVariable) == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is not a test failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The tests that share one pack. One collection, so they also run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "Packed CoroutineGen and CoroutineGen.Orleans";
}
