using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Parsing;

/// <summary>Finds the switch section a <c>goto case</c> or <c>goto default</c> jumps to.</summary>
internal static class SwitchSections
{
    public static SwitchSectionSyntax? FindTarget(TemplateContext context, SwitchStatementSyntax switchStatement, GotoStatementSyntax go)
    {
        if (go.IsKind(SyntaxKind.GotoDefaultStatement))
        {
            return switchStatement.Sections.FirstOrDefault(s => s.Labels.Any(l => l is DefaultSwitchLabelSyntax));
        }

        if (go.Expression is null)
        {
            return null;
        }

        var wanted = context.Model.GetConstantValue(go.Expression, context.CancellationToken);
        if (!wanted.HasValue)
        {
            return null;
        }

        foreach (var section in switchStatement.Sections)
        {
            foreach (var label in section.Labels)
            {
                var value = label switch
                {
                    CaseSwitchLabelSyntax c => context.Model.GetConstantValue(c.Value, context.CancellationToken),
                    CasePatternSwitchLabelSyntax { Pattern: ConstantPatternSyntax constant, WhenClause: null } => context.Model.GetConstantValue(constant.Expression, context.CancellationToken),
                    _ => default,
                };
                if (value.HasValue && Equals(Normalize(value.Value), Normalize(wanted.Value)))
                {
                    return section;
                }
            }
        }

        return null;
    }

    private static object? Normalize(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b,
        char c => (long)c,
        float f => (double)f,
        double d => d,
        decimal m => m,
        ulong u => u <= long.MaxValue ? (object)(long)u : u,
        _ => System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
