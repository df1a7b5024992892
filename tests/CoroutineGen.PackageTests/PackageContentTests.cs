using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CoroutineGen.PackageTests.Infrastructure;

namespace CoroutineGen.PackageTests;

/// <summary>What is inside the .nupkg and .snupkg (both are zip files), read without loading any assembly.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageContentTests(PackageFixture package, ITestOutputHelper log)
{
    /// <summary>The Roslyn the shipped generator, analyzers and code fixes are built against (.NET 8 SDK, VS 17.8).</summary>
    private static readonly Version NewestAllowedRoslyn = new(4, 8, 0, 0);

    /// <summary>
    /// Assemblies the compiler or IDE provides to analyzers, so an analyzer DLL may reference them without the
    /// package shipping them. Anything else an analyzer references must sit next to it in analyzers/dotnet/cs.
    /// </summary>
    private static readonly string[] HostProvidedAssemblies =
    [
        "netstandard", "mscorlib", "System.Collections.Immutable", "System.Reflection.Metadata", "System.Memory",
        "System.Runtime.CompilerServices.Unsafe", "System.Threading.Tasks.Extensions", "System.Buffers",
        "System.Numerics.Vectors", "System.Text.Encoding.CodePages",
    ];

    /// <summary>The target of a Markdown link: inline <c>](target)</c> or a reference definition <c>[label]: target</c>.</summary>
    private static readonly Regex MarkdownLink = new(@"(?<=\]\()[^)\s]+|(?<=^ {0,3}\[[^\]]+\]:[ \t]*)\S+", RegexOptions.Multiline);

    [Fact]
    public void The_package_holds_the_runtime_the_analyzers_the_readme_and_the_diagnostic_pages_and_nothing_else()
    {
        log.WriteLine($"pack: {package.PackDuration.TotalSeconds:F1} s");
        using var zip = ZipFile.OpenRead(package.Package);

        var expected = new List<string>
        {
            "CoroutineGen.nuspec",
            "README.md",
            "lib/netstandard2.0/CoroutineGen.dll",
            "lib/netstandard2.0/CoroutineGen.xml",
            "lib/net8.0/CoroutineGen.dll",
            "lib/net8.0/CoroutineGen.xml",
            "analyzers/dotnet/cs/CoroutineGen.Generators.dll",
        };
        if (Repository.HasCodeFixes)
        {
            expected.Add("analyzers/dotnet/cs/CoroutineGen.CodeFixes.dll");
        }

        // Every page docs/diagnostics/ has in the repository, for reading offline.
        Assert.Contains("README.md", Repository.DiagnosticPages);
        Assert.Contains("CORO0001.md", Repository.DiagnosticPages);
        expected.AddRange(Repository.DiagnosticPages.Select(page => $"docs/diagnostics/{page}"));

        // The zip's own bookkeeping (OPC parts) is not package content.
        var actual = zip.Entries.Select(e => e.FullName)
            .Where(name => name != "[Content_Types].xml" && !name.StartsWith("_rels/", StringComparison.Ordinal)
                && !name.StartsWith("package/services/metadata/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();

        Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(actual),
            $"Package files differ.\nExpected: {string.Join(", ", expected.Order(StringComparer.Ordinal))}\nActual:   {string.Join(", ", actual)}");
    }

    [Fact]
    public void The_nuspec_has_the_metadata_and_only_the_runtimes_dependencies()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        var nuspec = ReadNuspec(zip);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        string? Value(string name) => metadata.Element(ns + name)?.Value;

        Assert.Equal("CoroutineGen", Value("id"));
        Assert.Equal(Repository.VersionPrefix, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("expression", metadata.Element(ns + "license")?.Attribute("type")?.Value);
        Assert.Equal("README.md", Value("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")), "The package needs a description.");
        Assert.False(string.IsNullOrWhiteSpace(Value("authors")), "The package needs authors.");
        var repository = metadata.Element(ns + "repository");
        Assert.True(repository is not null, $"The nuspec has no <repository> element:\n{nuspec}");
        Assert.Equal("git", repository!.Attribute("type")?.Value);
        Assert.StartsWith("https://", repository.Attribute("url")?.Value ?? "", StringComparison.Ordinal);
        // Both URLs come from RepositoryUrl in Directory.Build.props (PackageProjectUrl is derived from it).
        Assert.Equal(Repository.RepositoryUrl, repository.Attribute("url")?.Value.TrimEnd('/'));
        Assert.Equal(Repository.RepositoryUrl, Value("projectUrl")?.TrimEnd('/'));

        // Dependencies: exactly what the runtime library needs, per target framework. The generator's Roslyn
        // reference is PrivateAssets=all and must never show up; neither may the in-repo generator project.
        var groups = metadata.Element(ns + "dependencies")?.Elements(ns + "group")
            .ToDictionary(
                g => g.Attribute("targetFramework")?.Value ?? "(none)",
                g => g.Elements(ns + "dependency").Select(d => d.Attribute("id")!.Value).Order(StringComparer.Ordinal).ToArray())
            ?? [];
        var dependencies = string.Join("; ", groups.Select(g => $"{g.Key}: [{string.Join(", ", g.Value)}]"));
        log.WriteLine($"nuspec dependencies: {dependencies}");

        Assert.DoesNotContain(groups.SelectMany(g => g.Value), id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(groups.SelectMany(g => g.Value), id => id.StartsWith("CoroutineGen", StringComparison.OrdinalIgnoreCase));
        // If the runtime gained a dependency on purpose, add it here.
        var expected = new Dictionary<string, string[]>
        {
            [".NETStandard2.0"] = ["Microsoft.Bcl.AsyncInterfaces", "System.Text.Json", "System.Threading.Channels"],
            ["net8.0"] = [],
        };
        Assert.True(
            expected.Count == groups.Count && expected.All(e => groups.TryGetValue(e.Key, out var ids) && ids.SequenceEqual(e.Value)),
            $"Unexpected nuspec dependencies: {dependencies}");
    }

    [Fact]
    public void Every_analyzer_DLL_targets_the_shipped_Roslyn_and_brings_what_it_references()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        var analyzers = zip.Entries.Where(e => e.FullName.StartsWith("analyzers/", StringComparison.Ordinal) && e.FullName.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(analyzers);
        var packedNames = analyzers.Select(e => Path.GetFileNameWithoutExtension(e.Name)).ToHashSet(StringComparer.Ordinal);

        foreach (var entry in analyzers)
        {
            using var pe = new PEReader(ReadAll(entry));
            var reader = pe.GetMetadataReader();
            var references = reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h))
                .Select(r => (Name: reader.GetString(r.Name), r.Version)).ToList();
            log.WriteLine($"{entry.FullName} references {string.Join(", ", references.Select(r => $"{r.Name} {r.Version}"))}");

            Assert.True(references.Any(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)),
                $"{entry.FullName} references no Microsoft.CodeAnalysis assembly; is it really an analyzer, generator or code fix?");
            foreach (var (name, version) in references.Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)))
            {
                Assert.True(version <= NewestAllowedRoslyn,
                    $"{entry.FullName} references {name} {version}, newer than {NewestAllowedRoslyn}: compilers older than that " +
                    "(the .NET 8 SDK, VS 17.8) would refuse to load it (CS9057). Build it against $(ShippedRoslynVersion).");
            }

            // netstandard2.0, so that every compiler host (.NET Framework in VS, .NET in the SDK) can load it.
            Assert.True(references.Any(r => r.Name == "netstandard") && references.All(r => r.Name != "System.Runtime"),
                $"{entry.FullName} must target netstandard2.0; it references {string.Join(", ", references.Select(r => r.Name))}.");

            foreach (var (name, version) in references)
            {
                var provided = name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
                    || name.StartsWith("System.Composition", StringComparison.Ordinal)
                    || HostProvidedAssemblies.Contains(name)
                    || packedNames.Contains(name);
                Assert.True(provided,
                    $"{entry.FullName} references {name} {version}, which neither the compiler provides nor the package ships in analyzers/dotnet/cs. " +
                    "Pack that DLL next to it, or drop the dependency.");
            }
        }
    }

    [Fact]
    public void The_assemblies_are_deterministic_and_the_symbols_package_matches_them()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        using var symbols = ZipFile.OpenRead(package.Symbols);
        var symbolFiles = symbols.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)).Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray();
        Assert.True(symbolFiles.SequenceEqual(["lib/net8.0/CoroutineGen.pdb", "lib/netstandard2.0/CoroutineGen.pdb"]),
            $"Unexpected symbol files: {string.Join(", ", symbolFiles)}");

        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal)))
        {
            using var pe = new PEReader(ReadAll(entry));
            var debug = pe.ReadDebugDirectory();
            Assert.True(debug.Any(d => d.Type == DebugDirectoryEntryType.Reproducible),
                $"{entry.FullName} was not built with Deterministic=true (no Reproducible debug directory entry).");

            if (!entry.FullName.StartsWith("lib/", StringComparison.Ordinal))
            {
                continue;
            }

            // The snupkg's PDB is the one this DLL was built with.
            var codeView = pe.ReadCodeViewDebugDirectoryData(debug.First(d => d.Type == DebugDirectoryEntryType.CodeView));
            var pdbEntry = symbols.GetEntry(Path.ChangeExtension(entry.FullName, ".pdb"));
            Assert.True(pdbEntry is not null, $"No PDB for {entry.FullName} in {Path.GetFileName(package.Symbols)}.");
            using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(ReadAll(pdbEntry!));
            var pdb = pdbProvider.GetMetadataReader();
            var pdbGuid = new Guid(pdb.DebugMetadataHeader!.Id.AsSpan(0, 16));
            Assert.True(pdbGuid == codeView.Guid, $"The PDB of {entry.FullName} in the symbols package does not match the DLL.");

            // EmbedUntrackedSources: the build's generated sources are inside the PDB, so a debugger needs no local copy.
            var embedded = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
            Assert.True(pdb.CustomDebugInformation.Select(h => pdb.GetCustomDebugInformation(h)).Any(c => pdb.GetGuid(c.Kind) == embedded),
                $"The PDB of {entry.FullName} embeds no source (EmbedUntrackedSources).");
        }
    }

    [Fact]
    public void The_diagnostic_pages_are_packed_as_they_are_with_links_out_of_their_folder_made_absolute()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        var pagesUrl = new Uri($"{Repository.RepositoryUrl}/blob/main/docs/diagnostics/");
        var mainUrl = new Uri($"{Repository.RepositoryUrl}/blob/main/");
        var rewritten = 0;
        foreach (var page in Repository.DiagnosticPages)
        {
            var entry = zip.GetEntry($"docs/diagnostics/{page}");
            Assert.True(entry is not null, $"docs/diagnostics/{page} is not in the package.");
            var source = File.ReadAllText(Path.Combine(Repository.Root, "docs", "diagnostics", page));
            string packed;
            using (var reader = new StreamReader(entry!.Open()))
            {
                packed = reader.ReadToEnd();
            }

            // Only link targets may differ; all the rest is the page as written.
            Assert.Equal(MarkdownLink.Replace(source, "<link>"), MarkdownLink.Replace(packed, "<link>"));
            var sourceLinks = MarkdownLink.Matches(source).Select(m => m.Value).ToArray();
            var packedLinks = MarkdownLink.Matches(packed).Select(m => m.Value).ToArray();
            Assert.Equal(sourceLinks.Length, packedLinks.Length);
            for (var i = 0; i < sourceLinks.Length; i++)
            {
                var (written, shipped) = (sourceLinks[i], packedLinks[i]);
                if (written.StartsWith('#') || Uri.IsWellFormedUriString(written, UriKind.Absolute))
                {
                    Assert.Equal(written, shipped);
                    continue;
                }

                var resolved = new Uri(pagesUrl, written);
                var file = Uri.UnescapeDataString(mainUrl.MakeRelativeUri(new Uri(resolved.GetLeftPart(UriPartial.Path))).ToString());
                Assert.True(File.Exists(Path.Combine(Repository.Root, file)), $"{page}: the link '{written}' points to {file}, which does not exist.");
                if (pagesUrl.IsBaseOf(resolved))
                {
                    // Another page: packed too, so the relative link works offline.
                    Assert.Equal(written, shipped);
                    Assert.True(zip.GetEntry($"docs/diagnostics/{Path.GetFileName(file)}") is not null,
                        $"{page} links to {written}, which is not in the package.");
                }
                else
                {
                    // Outside docs/diagnostics: not in the package, so the packed page links to it online.
                    Assert.Equal(resolved.AbsoluteUri, shipped);
                    rewritten++;
                }
            }
        }

        log.WriteLine($"{Repository.DiagnosticPages.Count} pages, {rewritten} links rewritten to {mainUrl}");
    }

    [Fact]
    public void The_readme_says_where_the_diagnostic_pages_are_offline()
    {
        using var zip = ZipFile.OpenRead(package.Package);
        string readme;
        using (var reader = new StreamReader(zip.GetEntry("README.md")!.Open()))
        {
            readme = reader.ReadToEnd();
        }

        const string offline = "~/.nuget/packages/coroutinegen/<version>/";
        Assert.Contains(offline + "docs/diagnostics/", readme);

        // Every path it names in the package is there.
        var named = Regex.Matches(readme, @"~/\.nuget/packages/coroutinegen/<version>/([^`\s)]+)")
            .Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(named);
        Assert.All(named, path => Assert.True(zip.GetEntry(path) is not null, $"The README names {offline}{path}, which is not in the package."));
    }

    private static XDocument ReadNuspec(ZipArchive zip)
    {
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    /// <summary>A seekable copy of a zip entry (PEReader and the PDB reader need one).</summary>
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
