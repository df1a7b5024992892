using System.Collections.Generic;
using CoroutineGen.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace CoroutineGen.Generators.Lowering;

/// <summary>
/// Gives every local its final name. Hoisted locals and parameters are fields named after the user's variable,
/// prefixed with <c>__</c> so that they never capture a name the user's code refers to; locals that stay locals
/// keep the user's name. All names are unique in the generated <c>Send</c> (sibling scopes were merged by the
/// flattening), so a clash gets a numeric suffix. The generated class's own names are reserved.
/// </summary>
internal static class NameAllocator
{
    /// <summary>Names the generated class and its Send method use for themselves.</summary>
    public static readonly string[] Infrastructure =
    {
        "__state", "__noStop", "__pending", "__current", "__result", "__this", "__entry", "__leaked",
        "__Start", "__Step", "__RaisePending", "__Release", SuspensionSpiller.SentValue, "exception",
    };

    public static (string[] Names, Dictionary<int, string> PatternTemporaries) Allocate(LoweringContext context, bool[] hoisted, IEnumerable<string> generatedNames)
    {
        var used = new HashSet<string>(Infrastructure);
        foreach (var name in generatedNames)
        {
            used.Add(name);
        }

        var locals = context.Locals;
        var names = new string[locals.Count];

        // Temporaries first (their names are generated), then parameters, hoisted locals, and the rest.
        foreach (var order in new[] { 0, 1, 2, 3 })
        {
            for (int i = 0; i < locals.Count; i++)
            {
                var local = locals[i];
                if (context.FrameOf.ContainsKey(i))
                {
                    continue;
                }

                var group = local.Kind == LocalKind.Temporary ? 0 : local.Kind == LocalKind.Parameter ? 1 : hoisted[i] ? 2 : 3;
                if (group != order)
                {
                    continue;
                }

                var baseName = group switch
                {
                    0 or 1 or 2 => "__" + local.Name,
                    _ => local.Name,
                };
                names[i] = Unique(baseName, used);
            }
        }

        foreach (var frame in context.Frames.Values)
        {
            var inFrame = new HashSet<string>();
            foreach (var local in frame.Locals)
            {
                names[local] = Unique(locals[local].Name, inFrame);
            }
        }

        var patternTemporaries = new Dictionary<int, string>();
        for (int i = 0; i < locals.Count; i++)
        {
            if ((hoisted[i] || context.FrameOf.ContainsKey(i)) && locals[i].Kind == LocalKind.PatternVariable)
            {
                patternTemporaries[i] = Unique(locals[i].Name + "__matched", used);
            }
        }

        return (names, patternTemporaries);
    }

    private static string Unique(string name, HashSet<string> used)
    {
        if (Parsing.CodeBuilder.IsCatchVariableName(name))
        {
            // A user variable named like the filter variables of copied catch clauses (which may be in its scope).
            name += "_";
        }

        var candidate = name;
        for (int n = 2; used.Contains(candidate) || Parsing.CodeBuilder.IsCatchVariableName(candidate); n++)
        {
            candidate = name + "_" + n;
        }

        used.Add(candidate);
        return candidate;
    }

    /// <summary>The name as an identifier in source (<c>@class</c> for a keyword).</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
