using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// What one file contributes to the meaning of code in other files, read from its syntax alone: its path, its parse
/// options, and a hash of every token outside member bodies (namespaces, usings, types, members' signatures and
/// attributes, field initializers, top-level statements) and of every preprocessor directive (a <c>#nullable</c> in a
/// body changes the declarations after it). A body is a method's, constructor's, operator's or accessor's block or
/// <c>=&gt;</c> expression, and a property's or indexer's <c>=&gt;</c> expression: C# binds a body with the
/// declarations only, never with another member's body, so an edit inside a body changes what that body means and
/// nothing else. <see cref="ProjectDeclarations"/> compares these to decide whether the templates of unchanged files
/// can keep their models.
/// </summary>
/// <remarks>
/// The hash is computed on the first comparison with a value of another tree, not when the value is made: a
/// command-line build runs the pipeline once and compares nothing, and the IDE keeps the values of unchanged trees
/// (the same objects, equal by reference), so only the files that changed are read.
/// </remarks>
internal sealed class FileDeclarations : IEquatable<FileDeclarations>
{
    private readonly object _gate = new();
    private SyntaxTree? _tree;
    private ImmutableArray<byte> _hash;

    private FileDeclarations(SyntaxTree tree)
    {
        _tree = tree;
        Path = tree.FilePath;
        Options = tree.Options;
    }

    /// <summary>The file's path (<see cref="SyntaxTree.FilePath"/>).</summary>
    public string Path { get; }

    /// <summary>The file's parse options (language version, preprocessor symbols): compared by value.</summary>
    public ParseOptions Options { get; }

    /// <summary>The declarations of <paramref name="tree"/>, read when first compared.</summary>
    public static FileDeclarations Of(SyntaxTree tree) => new(tree);

    private ImmutableArray<byte> Hash
    {
        get
        {
            lock (_gate)
            {
                if (_hash.IsDefault)
                {
                    _hash = HashOf(_tree!);
                    Volatile.Write(ref _tree, null); // the hash is all that is compared from now on
                }

                return _hash;
            }
        }
    }

    /// <summary>One walk of the tokens of <paramref name="tree"/>, skipping member bodies, and of its directives.</summary>
    private static ImmutableArray<byte> HashOf(SyntaxTree tree)
    {
        var root = tree.GetRoot();
        var text = new StringBuilder();

        // An explicit stack: a field initializer can nest expressions deeper than recursion allows.
        var pending = new Stack<SyntaxNodeOrToken>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var item = pending.Pop();
            if (item.IsToken)
            {
                text.Append(item.AsToken().Text).Append(' ');
                continue;
            }

            var node = item.AsNode()!;
            if (IsMemberBody(node))
            {
                // Whether a member has a body is part of its declaration (an extern or partial method has none).
                text.Append(node is ArrowExpressionClauseSyntax ? "=>… " : "{…} ");
                continue;
            }

            var children = node.ChildNodesAndTokens();
            for (int i = children.Count - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }

        text.Append('\n');
        for (var directive = root.GetFirstDirective(); directive is not null; directive = directive.GetNextDirective())
        {
            text.Append(directive.ToString()).Append('\n');
        }

        using var sha = SHA256.Create();
        return ImmutableArray.Create(sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Whether <paramref name="node"/> is the body of a member, which other code cannot see into.</summary>
    internal static bool IsMemberBody(SyntaxNode node) => node switch
    {
        BlockSyntax or ArrowExpressionClauseSyntax => node.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax
            || (node is ArrowExpressionClauseSyntax && node.Parent is PropertyDeclarationSyntax or IndexerDeclarationSyntax),
        _ => false,
    };

    public bool Equals(FileDeclarations? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && string.Equals(Path, other.Path, StringComparison.Ordinal)
            && Options.Equals(other.Options)
            && (SameTree(other) || Hash.SequenceEqual(other.Hash)));

    public override bool Equals(object? obj) => Equals(obj as FileDeclarations);

    /// <summary>Whether both values still hold the same tree (neither has been hashed yet).</summary>
    private bool SameTree(FileDeclarations other)
    {
        var mine = Volatile.Read(ref _tree);
        return mine is not null && ReferenceEquals(mine, Volatile.Read(ref other._tree));
    }

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Path);
}
