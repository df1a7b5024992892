using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>
/// The diagnostics in a real <c>dotnet build</c> of a consumer project that references the runtime library and the
/// generator as an analyzer: each CORO id with its file and line, a severity set in .editorconfig, and a warning
/// silenced by #pragma.
/// </summary>
public sealed class ConsumerBuildTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("coroutinegen-consumer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string RepositoryRoot =>
        Path.GetFullPath(Path.Combine(
            typeof(ConsumerBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!,
            "..", ".."));

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Dotnet_build_reports_the_diagnostics_with_file_and_line()
    {
        var root = RepositoryRoot;
        File.WriteAllText(Path.Combine(_directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{root}/src/CoroutineGen/CoroutineGen.csproj" />
                <ProjectReference Include="{root}/generators/CoroutineGen.Generators/CoroutineGen.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_directory, ".editorconfig"), """
            root = true

            [*.cs]
            dotnet_diagnostic.CORO0006.severity = error
            """);
        File.WriteAllText(Path.Combine(_directory, "Program.cs"), """
            using CoroutineGen;

            public static class NotPartial
            {
                [Coroutine]
                public static void Echo(Inbox<string> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
            }

            public static partial class Pipelines
            {
                private static readonly object Gate = new();

                [Coroutine]
                public static void Locked(Inbox<int> inbox) { lock (Gate) { Console.WriteLine(inbox.Receive()); } }

                [Coroutine]
                public static void Hello(Inbox<int> inbox) { Console.WriteLine("hello"); }

            #pragma warning disable CORO0007
                [Coroutine]
                public static void Stubborn(Inbox<int> inbox)
                {
                    while (true)
                    {
                        try { inbox.Receive(); }
                        catch (GeneratorExitException) { inbox.Receive(); }
                    }
                }
            #pragma warning restore CORO0007
            }
            """);

        // The referenced projects are built already (this test project references both): only the consumer is built.
        var (exitCode, output) = await RunAsync("dotnet", "build", "Consumer.csproj", "-c", Configuration, "-p:BuildProjectReferences=false",
            "-p:UseSharedCompilation=false", "-nodeReuse:false", "-nologo", "-v:q", "-clp:NoSummary");

        Assert.True(exitCode != 0, "the build should fail:\n" + output);
        var program = Regex.Escape(Path.Combine(_directory, "Program.cs"));
        Has($@"{program}\(3,21\): error CORO0001: The type 'NotPartial' must be partial");
        Has($@"{program}\(14,83\): error CORO0004: Coroutine template 'Locked' cannot be lowered: a suspension point inside a 'lock' statement");
        Has($@"{program}\(17,24\): error CORO0006: Coroutine template 'Hello' never suspends");
        Assert.DoesNotContain("CORO0007", output);

        void Has(string pattern) => Assert.True(Regex.IsMatch(output, pattern), $"'{pattern}' not found in the build output:\n{output}");
        Assert.DoesNotContain("warning AD0001", output); // no analyzer crashed
        Assert.DoesNotContain("CS8785", output);          // nor the generator
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet build took more than 3 minutes:\n" + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
