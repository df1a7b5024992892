using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// A <c>[Coroutine]</c> method as the generator's first step finds it, before anything is bound: the method's syntax
/// and the compilation it was found in, compared by the <em>text</em> of its file (path, parse options, checksum and
/// length) and its span only. Two finds compare equal when the file has not changed, even when the tree is a new object;
/// and the template's model is a function of that text and of the declarations of the whole compilation
/// (<see cref="ProjectDeclarations"/>), so when both compare equal, the parse is skipped. The compilation is held
/// weakly: a find that stays cached across many runs must not keep the compilation of the run that made it alive.
/// </summary>
internal sealed class TemplateSyntax : IEquatable<TemplateSyntax>
{
    private readonly WeakReference<Compilation> _compilation;
    private readonly ImmutableArray<byte> _checksum;
    private readonly int _length;

    public TemplateSyntax(MethodDeclarationSyntax node, Compilation? compilation)
    {
        Node = node;
        _compilation = new WeakReference<Compilation>(compilation!);
        var text = node.SyntaxTree.GetText();
        _checksum = text.GetChecksum();
        _length = text.Length;
    }

    /// <summary>The method, in the tree of the run that found it.</summary>
    public MethodDeclarationSyntax Node { get; }

    /// <summary>The file's path.</summary>
    public string Path => Node.SyntaxTree.FilePath;

    /// <summary>The method's span in its file.</summary>
    public TextSpan Span => Node.Span;

    /// <summary>The compilation of the run that found the method, unless it has been collected.</summary>
    public Compilation? Compilation => _compilation.TryGetTarget(out var compilation) ? compilation : null;

    /// <summary>Whether <paramref name="tree"/> is this method's file, or a file with the same path, options and text.</summary>
    public bool IsInFileLike(SyntaxTree tree)
    {
        if (tree == Node.SyntaxTree)
        {
            return true;
        }

        if (!string.Equals(tree.FilePath, Path, StringComparison.Ordinal) || !tree.Options.Equals(Node.SyntaxTree.Options))
        {
            return false;
        }

        var text = tree.GetText();
        return text.Length == _length && SameChecksum(text.GetChecksum(), _checksum);
    }

    /// <summary>
    /// Two checksums of the same algorithm and bytes. Every text Roslyn makes has one; a text without one is the same
    /// file only as the same tree.
    /// </summary>
    private static bool SameChecksum(ImmutableArray<byte> a, ImmutableArray<byte> b)
    {
        if (a.IsDefaultOrEmpty || b.IsDefaultOrEmpty || a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(TemplateSyntax? other) =>
        other is not null
        && Span == other.Span
        && _length == other._length
        && string.Equals(Path, other.Path, StringComparison.Ordinal)
        && Node.SyntaxTree.Options.Equals(other.Node.SyntaxTree.Options)
        && (ReferenceEquals(Node.SyntaxTree, other.Node.SyntaxTree) || SameChecksum(_checksum, other._checksum));

    public override bool Equals(object? obj) => Equals(obj as TemplateSyntax);

    public override int GetHashCode() => (Span.GetHashCode() * 31) ^ _length ^ StringComparer.Ordinal.GetHashCode(Path);
}
