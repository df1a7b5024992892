using System.Reflection;
using CoroutineGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>Every descriptor has its page, its row in the index and the release table, and a help link to the page.</summary>
public class DiagnosticDocsTests
{
    private static string RepositoryRoot =>
        Path.GetFullPath(Path.Combine(
            typeof(DiagnosticDocsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!,
            "..", ".."));

    public static TheoryData<string> Ids => new(DiagnosticDescriptors.All.Select(d => d.Id).Order());

    [Fact]
    public void The_ids_are_CORO0001_to_CORO0011() =>
        Assert.Equal(Enumerable.Range(1, 11).Select(i => $"CORO{i:0000}"), DiagnosticDescriptors.All.Select(d => d.Id).Order());

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_help_link_points_to_the_page_and_the_page_exists(string id)
    {
        var descriptor = DiagnosticDescriptors.Get(id);
        Assert.EndsWith($"/docs/diagnostics/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
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
        Assert.Equal(id is "CORO0006" or "CORO0007" or "CORO0009" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, descriptor.DefaultSeverity);
    }
}
