using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// A compilation, compared by what its templates' models can depend on outside their own files: every file's
/// declarations (<see cref="FileDeclarations"/>), the compilation options, the assembly name and the references (the
/// same objects, or references to the same compilation). An edit inside a member body anywhere leaves it equal, so
/// the incremental pipeline keeps the <em>previous</em> value (Roslyn keeps the previous item when a new one compares
/// equal): the templates whose files
/// did not change are then not parsed again (<see cref="TemplateSyntax"/>), and the ones whose files changed are read
/// in the compilation their find was made in (<see cref="Read"/>). It also holds the <see cref="CompilationContext"/>
/// that every template read in its compilation shares.
/// </summary>
internal sealed class ProjectDeclarations : IEquatable<ProjectDeclarations>
{
    private readonly ImmutableArray<FileDeclarations> _files;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly Lazy<CompilationContext> _context;
    private readonly Lazy<ILookup<string, SyntaxTree>> _treesByPath;

    /// <summary>
    /// The context of the last other compilation a template was read in (<see cref="Read"/>, case 3), shared by the
    /// templates of the edited file. It keeps that one compilation alive as long as this value is held.
    /// </summary>
    private CompilationContext? _otherContext;

    public ProjectDeclarations(Compilation compilation, ImmutableArray<FileDeclarations> files)
    {
        Compilation = compilation;
        _files = files;
        _references = compilation.References.ToImmutableArray();
        _context = new Lazy<CompilationContext>(() => new CompilationContext(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        _treesByPath = new Lazy<ILookup<string, SyntaxTree>>(() => compilation.SyntaxTrees.ToLookup(t => t.FilePath, StringComparer.Ordinal), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The compilation: of this run, or of an earlier run whose declarations are the same.</summary>
    public Compilation Compilation { get; }

    /// <summary>
    /// The compilation, context and syntax to read <paramref name="template"/> with, such that the model is the one a
    /// fresh read in the current compilation makes. The pipeline runs this step only when this value or the find
    /// changed, so one of them is from the current run: when this value is from an earlier run, its declarations are
    /// the current compilation's; when the find is, its file's text is the same in the current compilation. So:
    /// <list type="number">
    /// <item>the method's tree is in <see cref="Compilation"/>: read it there;</item>
    /// <item>a file of <see cref="Compilation"/> has the same path and text: read the method at the same span there
    /// (the find is from an earlier run, this value from the current one, or the file did not change);</item>
    /// <item>otherwise the file changed since <see cref="Compilation"/> and the find is from the current run: read it in
    /// the find's compilation (held weakly, but the current run's input is alive while it runs). If that is gone
    /// after all, the method's tree replaces the file of the same path in <see cref="Compilation"/>, which differs
    /// from the current compilation in member bodies only.</item>
    /// </list>
    /// </summary>
    public TemplateReading Read(TemplateSyntax template, CancellationToken cancellationToken)
    {
        var tree = template.Node.SyntaxTree;
        if (Compilation.ContainsSyntaxTree(tree))
        {
            return new TemplateReading(Compilation, template.Node, _context.Value);
        }

        foreach (var candidate in _treesByPath.Value[template.Path])
        {
            if (template.IsInFileLike(candidate)
                && candidate.GetRoot(cancellationToken).FindNode(template.Span).FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method
                && method.Span == template.Span)
            {
                return new TemplateReading(Compilation, method, _context.Value);
            }
        }

        if (template.Compilation is { } own && own.ContainsSyntaxTree(tree))
        {
            var context = _otherContext;
            if (context is null || !ReferenceEquals(context.Compilation, own))
            {
                context = new CompilationContext(own);
                _otherContext = context;
            }

            return new TemplateReading(own, template.Node, context);
        }

        var sameFile = _treesByPath.Value[template.Path].ToList();
        var replaced = sameFile.Count == 1 ? Compilation.ReplaceSyntaxTree(sameFile[0], tree) : Compilation.AddSyntaxTrees(tree);
        return new TemplateReading(replaced, template.Node, new CompilationContext(replaced));
    }

    public bool Equals(ProjectDeclarations? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null
            || !string.Equals(Compilation.AssemblyName, other.Compilation.AssemblyName, StringComparison.Ordinal)
            || !Compilation.Options.Equals(other.Compilation.Options)
            || _references.Length != other._references.Length
            || _files.Length != other._files.Length)
        {
            return false;
        }

        for (int i = 0; i < _references.Length; i++)
        {
            if (!SameReference(_references[i], other._references[i]))
            {
                return false;
            }
        }

        for (int i = 0; i < _files.Length; i++)
        {
            if (!_files[i].Equals(other._files[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ProjectDeclarations);

    /// <summary>
    /// The same reference object, or references to the same compilation (a host may make a new
    /// <see cref="CompilationReference"/> for an unchanged project on every edit).
    /// </summary>
    private static bool SameReference(MetadataReference a, MetadataReference b) =>
        ReferenceEquals(a, b)
        || (a is CompilationReference x && b is CompilationReference y && ReferenceEquals(x.Compilation, y.Compilation) && x.Properties.Equals(y.Properties));

    public override int GetHashCode() => _files.Length ^ (_references.Length << 16);
}

/// <summary>Where to read one template: the compilation, the method's syntax in it, and the context its templates share.</summary>
internal readonly struct TemplateReading
{
    public TemplateReading(Compilation compilation, MethodDeclarationSyntax syntax, CompilationContext context)
    {
        Compilation = compilation;
        Syntax = syntax;
        Context = context;
    }

    public Compilation Compilation { get; }

    public MethodDeclarationSyntax Syntax { get; }

    public CompilationContext Context { get; }
}
