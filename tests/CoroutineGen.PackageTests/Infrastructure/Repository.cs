using System.Reflection;
using System.Xml.Linq;

namespace CoroutineGen.PackageTests.Infrastructure;

/// <summary>Facts about the repository these tests were built from.</summary>
internal static class Repository
{
    /// <summary>The repository root (recorded at build time by the test project).</summary>
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The package project.</summary>
    public static string PackageProject => Path.Combine(Root, "src", "CoroutineGen", "CoroutineGen.csproj");

    /// <summary>The second package's project: the Orleans bridge.</summary>
    public static string OrleansPackageProject => Path.Combine(Root, "src", "CoroutineGen.Orleans", "CoroutineGen.Orleans.csproj");

    /// <summary>
    /// The NuGet global packages folder the test project was restored into (recorded at build time). The solution's
    /// restore put every Orleans package there, so a consumer can restore them from it without a network.
    /// </summary>
    /// <remarks>Read when asked (not in the type initializer): the language-server check links this file and records no such folder.</remarks>
    public static string NuGetPackageRoot => typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .SingleOrDefault(a => a.Key == "NuGetPackageRoot")?.Value
        ?? throw new InvalidOperationException($"{typeof(Repository).Assembly.GetName().Name} records no NuGetPackageRoot (an AssemblyMetadata attribute in its project file).");

    /// <summary>
    /// The code-fix project. When it exists, its DLL must be in the package (the package project picks it up by
    /// the same path).
    /// </summary>
    public static bool HasCodeFixes => File.Exists(Path.Combine(Root, "generators", "CoroutineGen.CodeFixes", "CoroutineGen.CodeFixes.csproj"));

    /// <summary>The product version: <c>VersionPrefix</c> in Directory.Build.props, the one place it is set.</summary>
    public static string VersionPrefix => BuildProperty("VersionPrefix");

    /// <summary>
    /// <c>RepositoryUrl</c> in Directory.Build.props, without a trailing slash: the one place the repository's address
    /// is written. The package is packed without overriding it, so its metadata and help links come from this.
    /// </summary>
    public static string RepositoryUrl => BuildProperty("RepositoryUrl").TrimEnd('/');

    /// <summary>The diagnostic pages: the file names of <c>docs/diagnostics/*.md</c>, which the package carries.</summary>
    public static IReadOnlyList<string> DiagnosticPages =>
        Directory.GetFiles(Path.Combine(Root, "docs", "diagnostics"), "*.md").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static string BuildProperty(string name)
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        return props.Descendants(name).Single().Value.Trim();
    }
}
