using System;
using System.Collections.Immutable;
using System.Linq;
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
    private readonly FileText _file;

    public TemplateSyntax(MethodDeclarationSyntax node, Compilation? compilation)
    {
        Node = node;
        _compilation = new WeakReference<Compilation>(compilation!);
        _file = FileText.Of(node.SyntaxTree);
    }

    /// <summary>The method, in the tree of the run that found it.</summary>
    public MethodDeclarationSyntax Node { get; }

    /// <summary>The file's path.</summary>
    public string Path => _file.Path;

    /// <summary>The method's span in its file.</summary>
    public TextSpan Span => Node.Span;

    /// <summary>The compilation of the run that found the method, unless it has been collected.</summary>
    public Compilation? Compilation => _compilation.TryGetTarget(out var compilation) ? compilation : null;

    /// <summary>Whether <paramref name="tree"/> is this method's file, or a file with the same path, options and text.</summary>
    public bool IsInFileLike(SyntaxTree tree) => tree == Node.SyntaxTree || _file.Equals(FileText.Of(tree));

    public bool Equals(TemplateSyntax? other) =>
        other is not null
        && Span == other.Span
        && (ReferenceEquals(Node.SyntaxTree, other.Node.SyntaxTree) || _file.Equals(other._file));

    public override bool Equals(object? obj) => Equals(obj as TemplateSyntax);

    public override int GetHashCode() => (Span.GetHashCode() * 31) ^ _file.Length ^ StringComparer.Ordinal.GetHashCode(_file.Path);

    /// <summary>
    /// What identifies a file's text: its path, parse options, length and checksum (the text keeps its checksum once
    /// computed). Every text Roslyn makes has a checksum; a text without one equals no other.
    /// </summary>
    private readonly struct FileText
    {
        private FileText(string path, ParseOptions options, int length, ImmutableArray<byte> checksum)
        {
            Path = path;
            Options = options;
            Length = length;
            Checksum = checksum;
        }

        public string Path { get; }

        public ParseOptions Options { get; }

        public int Length { get; }

        public ImmutableArray<byte> Checksum { get; }

        public static FileText Of(SyntaxTree tree)
        {
            var text = tree.GetText();
            return new FileText(tree.FilePath, tree.Options, text.Length, text.GetChecksum());
        }

        public bool Equals(FileText other) =>
            Length == other.Length
            && string.Equals(Path, other.Path, StringComparison.Ordinal)
            && Options.Equals(other.Options)
            && !Checksum.IsDefaultOrEmpty && !other.Checksum.IsDefaultOrEmpty
            && Checksum.SequenceEqual(other.Checksum);
    }
}
