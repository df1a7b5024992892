using System.Reflection;
using CoroutineGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>Every descriptor has its page, its row in the index and the release table, and a help link to the page.</summary>
public class DiagnosticDocsTests
{
    private static string RepositoryRoot =>
        Path.GetFullPath(Path.Combine(BuildMetadata("ProjectDirectory"), "..", ".."));

    /// <summary>
    /// <c>RepositoryUrl</c> as this build evaluated it (recorded by the test project). The generator project is built
    /// in the same build from the same Directory.Build.props, so its help links must start with this.
    /// </summary>
    private static string RepositoryUrl => BuildMetadata("BuildRepositoryUrl").TrimEnd('/');

    private static string BuildMetadata(string key) =>
        typeof(DiagnosticDocsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static TheoryData<string> Ids => new(DiagnosticDescriptors.All.Select(d => d.Id).Order());

    [Fact]
    public void The_ids_are_CORO0001_to_CORO0012() =>
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"CORO{i:0000}"), DiagnosticDescriptors.All.Select(d => d.Id).Order());

    [Fact]
    public void Every_descriptor_has_a_help_link_built_from_the_RepositoryUrl_of_the_build()
    {
        Assert.StartsWith("https://", RepositoryUrl, StringComparison.Ordinal);
        Assert.NotEmpty(DiagnosticDescriptors.All);
        Assert.All(DiagnosticDescriptors.All, descriptor =>
        {
            Assert.False(string.IsNullOrEmpty(descriptor.HelpLinkUri), $"{descriptor.Id} has no help link.");
            Assert.StartsWith(RepositoryUrl + "/", descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.Equal($"{RepositoryUrl}/blob/main/docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.True(Uri.IsWellFormedUriString(descriptor.HelpLinkUri, UriKind.Absolute), $"{descriptor.Id}: '{descriptor.HelpLinkUri}' is not an absolute URL.");
        });
    }

    [Fact]
    public void Directory_Build_props_writes_the_repository_url_once_and_derives_the_others_from_it()
    {
        // RepositoryUrl is the one source of truth: the package's project URL and the help-link base refer to it.
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props"));
        string Property(string name) => props.Descendants(name).Single().Value.Trim();
        Assert.StartsWith("https://", Property("RepositoryUrl"), StringComparison.Ordinal);
        Assert.Equal("$(RepositoryUrl)", Property("PackageProjectUrl"));
        Assert.StartsWith("$(RepositoryUrl", Property("CoroutineGenMainBranchUrl"), StringComparison.Ordinal);
        Assert.StartsWith("$(CoroutineGenMainBranchUrl)", Property("CoroutineGenDiagnosticsUrl"), StringComparison.Ordinal);
        var text = File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Build.props"));
        var url = Property("RepositoryUrl");
        Assert.True(text.Split(url).Length == 2, $"Directory.Build.props writes '{url}' more than once; derive the other properties from $(RepositoryUrl).");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_help_link_points_to_the_page_and_the_page_exists(string id)
    {
        var descriptor = DiagnosticDescriptors.Get(id);
        Assert.Equal($"{RepositoryUrl}/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        var page = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "diagnostics", id + ".md"));
        Assert.StartsWith($"# {id}: ", page, StringComparison.Ordinal);
        Assert.Contains($"**Severity:** {descriptor.DefaultSeverity.ToString().ToLowerInvariant()}", page);
        Assert.Contains("```csharp", page);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_index_and_the_release_table_list_it(string id)
    {
        var descriptor = DiagnosticDescriptors.Get(id);
        var index = File.ReadAllLines(Path.Combine(RepositoryRoot, "docs", "diagnostics", "README.md"));
        Assert.Contains(index, l => l.StartsWith($"| [{id}]({id}.md) | {descriptor.DefaultSeverity.ToString().ToLowerInvariant()} |", StringComparison.Ordinal));
        var releases = File.ReadAllLines(Path.Combine(RepositoryRoot, "generators", "CoroutineGen.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(releases, l => l.StartsWith($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Messages_say_what_to_do(string id)
    {
        // Each message names the thing and ends with what to do about it (the ones with a {1} reason get that from the reason).
        var descriptor = DiagnosticDescriptors.Get(id);
        var message = descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(message.Contains("{1}") || message.Contains(';'), $"{id}: '{message}' does not say what to do");
        Assert.Equal(id is "CORO0006" or "CORO0007" or "CORO0009" or "CORO0012" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, descriptor.DefaultSeverity);
    }
}
