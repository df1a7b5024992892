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

    /// <summary>
    /// The code-fix project. When it exists, its DLL must be in the package (the package project picks it up by
    /// the same path).
    /// </summary>
    public static bool HasCodeFixes => File.Exists(Path.Combine(Root, "generators", "CoroutineGen.CodeFixes", "CoroutineGen.CodeFixes.csproj"));

    /// <summary>The product version: <c>VersionPrefix</c> in Directory.Build.props, the one place it is set.</summary>
    public static string VersionPrefix
    {
        get
        {
            var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
            return props.Descendants("VersionPrefix").Single().Value.Trim();
        }
    }
}
