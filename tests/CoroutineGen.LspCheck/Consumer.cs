using CoroutineGen.PackageTests.Infrastructure;

namespace CoroutineGen.LspCheck;

/// <summary>
/// The project an editor would have open: a console app that references the packed CoroutineGen from a local feed,
/// with a template file and a caller file. Made like the package tests' consumers (a nuget.config with the local
/// feed for CoroutineGen only, its own packages folder, no MSBuild files from the folders above it).
/// </summary>
internal sealed class Consumer
{
    public const string Name = "LspApp";

    /// <summary>The template file. Each check edits it from this text and puts it back.</summary>
    public const string TemplateFile = "LogPipelines.cs";

    /// <summary>The caller file.</summary>
    public const string CallerFile = "Program.cs";

    /// <summary>The summary of the Grep template, which a hover on its factory should show.</summary>
    public const string GrepSummary = "Passes on every line that contains the pattern.";

    /// <summary>The documentation of Grep's parameter <c>pattern</c>, which the factory keeps.</summary>
    public const string PatternDoc = "The text to look for.";

    /// <summary>The documentation of Grep's inbox, which the factory (which has no inbox) leaves out.</summary>
    public const string InboxDoc = "The lines.";

    /// <summary>The factory the generator adds for Grep, as the IDE displays its signature.</summary>
    public const string GrepFactorySignature = "GrepCoroutine LogPipelines.Grep(string pattern, ICoroutine<string> target)";

    /// <summary>The Grep template itself, as the IDE displays its signature.</summary>
    public const string GrepTemplateSignature = "void LogPipelines.Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)";

    private const string Templates = $$"""
        using CoroutineGen;

        namespace LspApp;

        public static partial class LogPipelines
        {
            /// <summary>{{GrepSummary}}</summary>
            /// <param name="inbox">{{InboxDoc}}</param>
            /// <param name="pattern">{{PatternDoc}}</param>
            /// <param name="target">Where the matching lines go.</param>
            [Coroutine]
            public static void Grep(Inbox<string> inbox, string pattern, ICoroutine<string> target)
            {
                while (true)
                {
                    string line = inbox.Receive();
                    if (line.Contains(pattern)) target.Send(line);
                }
            }

            /// <summary>Writes every line it is sent.</summary>
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

    private const string Caller = """
        using LspApp;

        using var printer = LogPipelines.Printer(Console.Out);
        var grep = LogPipelines.Grep("python", printer);
        grep.Send("python generators rock!");
        grep.Close();

        """;

    private Consumer(string directory) => Directory = directory;

    public string Directory { get; }

    public string PackagesFolder => Path.Combine(Directory, ".packages");

    public string TemplatePath => Path.Combine(Directory, TemplateFile);

    public string CallerPath => Path.Combine(Directory, CallerFile);

    /// <summary>
    /// Writes the project into <paramref name="directory"/>; with <paramref name="emitGeneratedFiles"/>, a build
    /// writes the generated files under obj/ (<c>EmitCompilerGeneratedFiles</c>, as README.md suggests).
    /// </summary>
    public static Consumer Create(string directory, string feed, string version, bool emitGeneratedFiles = false)
    {
        System.IO.Directory.CreateDirectory(directory);
        var consumer = new Consumer(directory);

        // Stop MSBuild from importing anything found further up the temp folder's parents.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");

        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{consumer.PackagesFolder}" />
              </config>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="CoroutineGen" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>

            """);

        File.WriteAllText(Path.Combine(directory, $"{Name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RootNamespace>{Name}</RootNamespace>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <EmitCompilerGeneratedFiles>{(emitGeneratedFiles ? "true" : "false")}</EmitCompilerGeneratedFiles>
                <!-- No vulnerability lookup: it is the only thing that would contact nuget.org. -->
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CoroutineGen" Version="{version}" />
              </ItemGroup>
            </Project>

            """);

        File.WriteAllText(consumer.TemplatePath, Templates);
        File.WriteAllText(consumer.CallerPath, Caller);
        return consumer;
    }

    /// <summary>
    /// <c>dotnet build</c>: restores the package (into the project's own packages folder, so a CoroutineGen from an
    /// earlier run in the global cache is never used) and builds once, as a user would before opening the editor.
    /// Warnings are errors for this build only: the project itself keeps the default severities, which the editor
    /// shows (CORO0006 and CORO0007 are warnings).
    /// </summary>
    public ProcessResult Build() =>
        DotNet.Run(Directory, ["build", "-nodeReuse:false", "-p:TreatWarningsAsErrors=true"], TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesFolder });
}
