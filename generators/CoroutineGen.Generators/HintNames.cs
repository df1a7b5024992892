using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators;

/// <summary>
/// Makes every generated file's hint name unique. Roslyn compares hint names ignoring case and rejects a duplicate
/// by failing the whole generator (CS8785: every factory of the project would vanish), and the base names
/// (<see cref="TemplateModel.HintName"/>) can coincide: <c>Echo</c> and <c>echo</c> in one type, types <c>Host</c>
/// and <c>HOST</c>, <c>M&lt;T&gt;</c> (<c>M`1</c>) and <c>M_1</c>, characters a file name cannot hold mapped to
/// <c>_</c>. So the pipeline collects every template's base name and id, and only the names that collide get a
/// suffix: the hash of the template's id, then a counter if even that is taken. Templates whose names do not
/// collide keep their base name, and the collected result is empty (and so equal, and cached) in a project without
/// collisions.
/// </summary>
internal static class HintNames
{
    /// <summary>The hint name of each template whose base name collides with another's, keyed by template id.</summary>
    public static EquatableArray<Renamed> Assign(ImmutableArray<(string HintName, string TemplateId)> templates)
    {
        var groups = templates
            .GroupBy(t => t.HintName, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Select(t => t.TemplateId).Distinct(StringComparer.Ordinal).Count() > 1)
            .ToList();
        if (groups.Count == 0)
        {
            return EquatableArray<Renamed>.Empty;
        }

        var taken = new HashSet<string>(templates.Select(t => t.HintName), StringComparer.OrdinalIgnoreCase);
        var renamed = new List<Renamed>();
        foreach (var template in groups.SelectMany(g => g).OrderBy(t => t.TemplateId, StringComparer.Ordinal))
        {
            if (renamed.Any(r => r.TemplateId == template.TemplateId))
            {
                continue;
            }

            var stem = template.HintName.EndsWith(Extension, StringComparison.Ordinal)
                ? template.HintName.Substring(0, template.HintName.Length - Extension.Length)
                : template.HintName;
            var candidate = $"{stem}_{Fnv(template.TemplateId):x8}";
            var name = candidate + Extension;
            for (int i = 2; taken.Contains(name); i++)
            {
                name = $"{candidate}_{i}{Extension}";
            }

            taken.Add(name);
            renamed.Add(new Renamed(template.TemplateId, name));
        }

        return renamed.ToEquatableArray();
    }

    /// <summary>The hint name of <paramref name="model"/>, given the renamings of <see cref="Assign"/>.</summary>
    public static string Of(TemplateModel model, EquatableArray<Renamed> renamed)
    {
        foreach (var r in renamed)
        {
            if (r.TemplateId == model.TemplateId)
            {
                return r.HintName;
            }
        }

        return model.HintName;
    }

    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="text"/>: a stable hash (string.GetHashCode is randomised per process).</summary>
    public static uint Fnv(string text)
    {
        uint hash = 2166136261;
        foreach (var ch in text)
        {
            hash = unchecked((hash ^ ch) * 16777619);
        }

        return hash;
    }

    private const string Extension = ".g.cs";

    /// <summary>A template that gets another hint name than its base name.</summary>
    internal sealed record Renamed(string TemplateId, string HintName);
}
