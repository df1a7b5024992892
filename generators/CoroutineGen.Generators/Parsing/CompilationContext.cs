using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using CoroutineGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// What the parser keeps about one compilation, shared by every template read with it: which simple names are names
/// of templates, the copies of the compilation with the stubs of some templates' factories added
/// (<see cref="FactoryCalls"/>), and each file's using directives. Made by the one who reads the templates: the
/// analyzer once per compilation (a compilation start action, <see cref="Diagnostics.CoroutineAnalyzer"/>); the
/// generator once per <see cref="ProjectDeclarations"/> (a compilation whose declarations changed), and once for the
/// compilation of a run in which only bodies changed (<see cref="ProjectDeclarations.Read"/>). It lives as long as they
/// keep it, and nothing in the generator caches per compilation in a static. Its contents are built lazily, on the first
/// template that asks, and it is thread-safe: the analyzer reads templates concurrently.
/// </summary>
internal sealed class CompilationContext
{
    /// <summary>Whether a simple name is the name of a template in source.</summary>
    private readonly ConcurrentDictionary<string, bool> _templateNames = new(StringComparer.Ordinal);

    /// <summary>The compilation with the stubs of a set of templates (keyed by their ids) added.</summary>
    private readonly ConcurrentDictionary<string, Lazy<Compilation>> _augmented = new(StringComparer.Ordinal);

    /// <summary>The extern aliases and using directives of each file, read once (<see cref="TemplateParser.ReadCompilationUnitUsings"/>).</summary>
    private readonly ConcurrentDictionary<SyntaxTree, EquatableArray<string>> _usings = new();

    public CompilationContext(Compilation compilation) => Compilation = compilation;

    /// <summary>The compilation the templates are read in (without the generated code, in the generator).</summary>
    public Compilation Compilation { get; }

    /// <summary>Whether a method named <paramref name="name"/> is a template (<see cref="FactoryCalls.IsTemplate"/>) in source.</summary>
    public bool IsTemplateName(string name, CancellationToken cancellationToken)
    {
        if (_templateNames.TryGetValue(name, out var known))
        {
            return known;
        }

        // Not in the factory of GetOrAdd: a cancelled lookup throws before anything is stored.
        var isTemplate = Compilation.ContainsSymbolsWithName(name, SymbolFilter.Member, cancellationToken)
            && Compilation.GetSymbolsWithName(name, SymbolFilter.Member, cancellationToken).OfType<IMethodSymbol>().Any(FactoryCalls.IsTemplate);
        return _templateNames.GetOrAdd(name, isTemplate);
    }

    /// <summary>The file's extern aliases and using directives, as the model of each of its templates holds them.</summary>
    public EquatableArray<string> UsingsOf(SyntaxTree tree) => _usings.GetOrAdd(tree, TemplateParser.ReadCompilationUnitUsings);

    /// <summary>
    /// <see cref="Compilation"/> with the stub trees added (<paramref name="stubs"/>: template id to stub text), the same
    /// compilation for every template that needs the same stubs, so that they share its symbols and bound declarations.
    /// </summary>
    public Compilation WithStubs(SortedDictionary<string, string> stubs, CSharpParseOptions options)
    {
        var key = string.Join("\n", stubs.Keys);
        var texts = stubs.Values.ToList();
        // Lazy: two threads asking for the same stubs at once get one compilation (parsing the stubs cannot be cancelled or fail).
        return _augmented.GetOrAdd(key, _ => new Lazy<Compilation>(() => Compilation.AddSyntaxTrees(texts.Select((text, i) =>
            CSharpSyntaxTree.ParseText(text, options, path: "CoroutineGen.FactoryStub" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".cs", encoding: Encoding.UTF8))),
            LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }
}
