namespace CoroutineGen.PackageTests.Infrastructure;

/// <summary>
/// A fresh console project in the run's temp folder that references the packed packages from the local feed,
/// the way a user's project would: a nuget.config with only the local folder (for CoroutineGen) and nuget.org (for
/// anything else), and its own NuGet packages folder so that a package from an earlier run can never be used.
/// A net10.0 console app needs nothing else from a feed, so the restore works offline.
/// </summary>
internal sealed class ConsumerProject
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private ConsumerProject(string directory, string name)
    {
        Directory = directory;
        Name = name;
    }

    /// <summary>The project folder.</summary>
    public string Directory { get; }

    /// <summary>The project name (also its root namespace).</summary>
    public string Name { get; }

    /// <summary>The consumer's private NuGet packages folder.</summary>
    public string PackagesFolder => Path.Combine(Directory, ".packages");

    /// <summary>
    /// Creates the project <paramref name="name"/> under the fixture's work folder with the given source files
    /// (name to text). <paramref name="extraProperties"/> go into the project's PropertyGroup as they are.
    /// <paramref name="packages"/> are its package references (id, version; a <c>null</c> version is the packed
    /// one); by default CoroutineGen alone. Packages whose id starts with CoroutineGen come from the local feed;
    /// any other comes from nuget.org, or, with <paramref name="otherPackagesFromMachineCache"/>, from the NuGet
    /// global packages folder the solution was restored into (offline, and no other version can sneak in).
    /// </summary>
    public static ConsumerProject Create(PackageFixture package, string name, IReadOnlyDictionary<string, string> sources, string extraProperties = "",
        IReadOnlyList<(string Id, string? Version)>? packages = null, bool otherPackagesFromMachineCache = false)
    {
        packages ??= [("CoroutineGen", null)];
        var otherKey = otherPackagesFromMachineCache ? "machine" : "nuget.org";
        var otherSource = otherPackagesFromMachineCache ? Repository.NuGetPackageRoot : "https://api.nuget.org/v3/index.json";
        var references = string.Join("\n    ", packages.Select(p => $"<PackageReference Include=\"{p.Id}\" Version=\"{p.Version ?? package.Version}\" />"));
        var directory = Path.Combine(package.WorkRoot, name);
        System.IO.Directory.CreateDirectory(directory);

        // Stop MSBuild from importing anything found further up the temp folder's parents.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");

        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{package.Feed}" />
                <add key="{otherKey}" value="{otherSource}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="CoroutineGen" />
                  <package pattern="CoroutineGen.*" />
                </packageSource>
                <packageSource key="{otherKey}">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>

            """);

        File.WriteAllText(Path.Combine(directory, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RootNamespace>{name}</RootNamespace>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <!-- No vulnerability lookup: it is the only thing that would contact nuget.org, and it cannot work offline. -->
                <NuGetAudit>false</NuGetAudit>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                {references}
              </ItemGroup>
            </Project>

            """);

        foreach (var (file, text) in sources)
        {
            File.WriteAllText(Path.Combine(directory, file), text);
        }

        return new ConsumerProject(directory, name);
    }

    /// <summary><c>dotnet build</c> (with its implicit restore from the local feed).</summary>
    public ProcessResult Build() =>
        DotNet.Run(Directory, ["build", "-nodeReuse:false"], BuildTimeout, Environment);

    /// <summary><c>dotnet run --no-build</c>: the program's own output only.</summary>
    public ProcessResult Run() =>
        DotNet.Run(Directory, ["run", "--no-build"], RunTimeout, Environment);

    /// <summary>Where <c>EmitCompilerGeneratedFiles</c> puts the CoroutineGen generator's files (Debug, net10.0).</summary>
    public string GeneratedFilesFolder => Path.Combine(Directory, "obj", "Debug", "net10.0", "generated",
        "CoroutineGen.Generators", "CoroutineGen.Generators.CoroutineGenerator");

    private Dictionary<string, string> Environment => new()
    {
        ["NUGET_PACKAGES"] = PackagesFolder,
    };
}
