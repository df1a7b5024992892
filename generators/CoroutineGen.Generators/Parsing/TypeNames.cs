using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Parsing;

/// <summary>How the generator writes types: fully qualified, with nullable annotations, keywords for special types.</summary>
internal static class TypeNames
{
    public static readonly SymbolDisplayFormat Format = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier)
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>Without nullable annotations (for <c>typeof</c>, casts in patterns and the like).</summary>
    public static readonly SymbolDisplayFormat PlainFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>The type as C# source, or <c>null</c> when it cannot be written (anonymous, error, missing).</summary>
    public static string? Of(ITypeSymbol? type)
    {
        if (type is null || type.TypeKind == TypeKind.Error || ContainsUnnameable(type))
        {
            return null;
        }

        return type.ToDisplayString(Format);
    }

    /// <summary>Whether the type is or contains an anonymous type (so that it cannot be written).</summary>
    public static bool ContainsAnonymous(ITypeSymbol type) => type.TypeKind != TypeKind.Error && ContainsUnnameable(type);

    private static bool ContainsUnnameable(ITypeSymbol type)
    {
        switch (type)
        {
            case { IsAnonymousType: true }:
                return true;
            case INamedTypeSymbol named:
                foreach (var argument in named.TypeArguments)
                {
                    if (ContainsUnnameable(argument))
                    {
                        return true;
                    }
                }

                return named.ContainingType is not null && ContainsUnnameable(named.ContainingType);
            case IArrayTypeSymbol array:
                return ContainsUnnameable(array.ElementType);
            case IPointerTypeSymbol pointer:
                return ContainsUnnameable(pointer.PointedAtType);
            default:
                return false;
        }
    }

    /// <summary>Whether a field of this type can keep objects alive (so the state machine clears it when the variable is dead).</summary>
    public static bool HoldsReferences(ITypeSymbol? type)
    {
        if (type is null)
        {
            return true;
        }

        if (type.IsReferenceType || type.TypeKind is TypeKind.TypeParameter or TypeKind.Error)
        {
            return true;
        }

        if (type.IsUnmanagedType)
        {
            return false;
        }

        return true;
    }
}
