using System.Reflection;
using System.Runtime.CompilerServices;
using CoroutineGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Incrementality;

/// <summary>
/// The generator and the analyzers keep nothing per compilation in static fields: what the templates of a compilation
/// share lives in a <see cref="Parsing.CompilationContext"/> that the pipeline and the analyzer make for it. A static
/// cache outlives the compilations it was made for in a long-lived compiler server or IDE process, and is shared by
/// every compilation (and every test) in it. Checked by reflection over every static field of the generator's assembly.
/// </summary>
public sealed class NoStaticCachesTests
{
    /// <summary>Types that tie a value to one compilation (or keep one alive).</summary>
    private static readonly Type[] PerCompilation =
    [
        typeof(Compilation),
        typeof(SyntaxTree),
        typeof(SyntaxNode),
        typeof(SemanticModel),
        typeof(ISymbol),
        typeof(IOperation),
        typeof(ConditionalWeakTable<,>),
    ];

    [Fact]
    public void No_static_field_is_mutable_or_holds_per_compilation_state()
    {
        var fields = StaticFields(typeof(CoroutineGenerator).Assembly).ToList();
        Assert.NotEmpty(fields);

        var offending = fields.Where(f => !f.IsLiteral && (!f.IsInitOnly || HoldsPerCompilationState(f.FieldType)))
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name} ({f.FieldType.Name}{(f.IsInitOnly ? string.Empty : ", not readonly")})")
            .ToList();
        Assert.True(offending.Count == 0, "Static fields that can keep per-compilation state:" + Environment.NewLine + string.Join(Environment.NewLine, offending));
    }

    [Fact]
    public void The_check_finds_a_static_cache()
    {
        Assert.True(HoldsPerCompilationState(typeof(ConditionalWeakTable<Compilation, System.Collections.Concurrent.ConcurrentDictionary<string, bool>>)));
        Assert.True(HoldsPerCompilationState(typeof(Dictionary<string, SyntaxTree>)));
        Assert.True(HoldsPerCompilationState(typeof(List<IMethodSymbol>[])));
        Assert.False(HoldsPerCompilationState(typeof(HashSet<string>)));
        Assert.False(HoldsPerCompilationState(typeof(DiagnosticDescriptor)));
        // A delegate stores no data of its own: FastSemanticModel's factory takes a compilation, and keeps none.
        Assert.False(HoldsPerCompilationState(typeof(Func<Compilation, SyntaxTree, SemanticModel>)));
        Assert.Contains(StaticFields(typeof(NoStaticCachesTests).Assembly), f => f.Name == nameof(PerCompilation));
    }

    /// <summary>
    /// The static fields declared in <paramref name="assembly"/> (auto-properties' backing fields included), without
    /// the types the compiler makes for lambdas, whose static fields cache the lambdas' delegates.
    /// </summary>
    private static IEnumerable<FieldInfo> StaticFields(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => !IsCompilerGenerated(t))
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));

    private static bool IsCompilerGenerated(Type type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (t.GetCustomAttribute<CompilerGeneratedAttribute>() is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HoldsPerCompilationState(Type type)
    {
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return false;
        }

        if (type.IsArray)
        {
            return HoldsPerCompilationState(type.GetElementType()!);
        }

        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return PerCompilation.Any(p => p.IsAssignableFrom(definition) || p == definition || (p.IsInterface && definition.GetInterfaces().Contains(p)))
            || (type.IsGenericType && type.GetGenericArguments().Any(HoldsPerCompilationState));
    }
}
