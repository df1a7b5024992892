using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace CoroutineGen.Generators.Tests.Infrastructure;

/// <summary>
/// The Roslyn testing libraries set up to work offline: no reference-assembly package download, the .NET 10
/// reference assemblies from Basic.Reference.Assemblies and the runtime library instead.
/// </summary>
internal static class RoslynTesting
{
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new("net10.0");

    public static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        state.AdditionalReferences.Add(typeof(CoroutineAttribute).Assembly);
    }
}

internal sealed class OfflineAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public OfflineAnalyzerTest()
    {
        ReferenceAssemblies = RoslynTesting.ReferenceAssemblies;
        RoslynTesting.Configure(TestState);
    }
}

internal sealed class OfflineCodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public OfflineCodeFixTest()
    {
        ReferenceAssemblies = RoslynTesting.ReferenceAssemblies;
        RoslynTesting.Configure(TestState);
        RoslynTesting.Configure(FixedState);
    }
}
