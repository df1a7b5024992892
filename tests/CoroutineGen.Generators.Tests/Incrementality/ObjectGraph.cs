using System.Reflection;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Tests.Incrementality;

/// <summary>
/// Walks an object graph through every instance field (public or not, of every base type, array elements
/// included) and finds what a pipeline step's output must never hold: a <see cref="Compilation"/>, an
/// <see cref="ISymbol"/>, a <see cref="SyntaxNode"/>, a <see cref="SyntaxTree"/>, a <see cref="SemanticModel"/>, a
/// <see cref="Location"/> or an <see cref="IOperation"/>. Any of them keeps a whole compilation alive between runs
/// and, compared by reference, defeats the incremental cache (NetEscapades' TestHelpers do the same walk).
/// </summary>
public static class ObjectGraph
{
    /// <summary>The types a step output must not reach.</summary>
    public static IReadOnlyList<Type> Forbidden { get; } =
    [
        typeof(Compilation),
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxTree),
        typeof(SemanticModel),
        typeof(Location),
        typeof(IOperation),
    ];

    /// <summary>The paths (from <paramref name="rootName"/>) at which <paramref name="root"/> reaches a forbidden object.</summary>
    public static List<string> FindForbidden(object? root, string rootName)
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(object? Value, string Path)>();
        pending.Push((root, rootName));
        while (pending.Count > 0)
        {
            var (value, path) = pending.Pop();
            if (value is null || IsLeaf(value))
            {
                continue;
            }

            var type = value.GetType();
            if (Forbidden.FirstOrDefault(f => f.IsInstanceOfType(value)) is { } forbidden)
            {
                found.Add($"{path} is a {forbidden.Name} ({type.FullName})");
                continue;
            }

            if (!type.IsValueType && !visited.Add(value))
            {
                continue;
            }

            if (value is Delegate function)
            {
                // What a delegate keeps alive is its target (a closure, an instance).
                foreach (var (single, i) in function.GetInvocationList().Select((d, i) => (d, i)))
                {
                    pending.Push((single.Target, $"{path}.Target[{i}]"));
                }

                continue;
            }

            if (value is Array array)
            {
                if (!IsLeafType(type.GetElementType()!))
                {
                    var i = 0;
                    foreach (var element in array)
                    {
                        pending.Push((element, $"{path}[{i++}]"));
                    }
                }

                continue;
            }

            for (var t = type; t is not null; t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (!IsLeafType(field.FieldType))
                    {
                        pending.Push((field.GetValue(value), path + "." + field.Name));
                    }
                }
            }
        }

        return found;
    }

    private static bool IsLeaf(object value) => value is string or decimal or MemberInfo || IsLeafType(value.GetType());

    private static bool IsLeafType(Type type) =>
        type.IsPrimitive || type.IsEnum || type.IsPointer || type == typeof(string) || type == typeof(decimal)
        || type == typeof(IntPtr) || type == typeof(UIntPtr) || typeof(MemberInfo).IsAssignableFrom(type);
}
