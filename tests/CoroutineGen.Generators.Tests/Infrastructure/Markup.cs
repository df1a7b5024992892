using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace CoroutineGen.Generators.Tests.Infrastructure;

/// <summary>
/// Test sources with the expected diagnostics marked in place, in the Roslyn testing libraries' syntax:
/// <c>{|CORO0004:inbox.Receive()|}</c> expects a CORO0004 exactly on <c>inbox.Receive()</c>.
/// </summary>
internal static class Markup
{
    public static (string Source, List<(string Id, TextSpan Span)> Expected) Parse(string markup)
    {
        var source = new StringBuilder();
        var expected = new List<(string Id, TextSpan Span)>();
        var open = new Stack<(string Id, int Start)>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                var colon = markup.IndexOf(':', i + 2);
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                var (id, start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new ArgumentException("unclosed {| in markup", nameof(markup));
        }

        return (source.ToString(), expected);
    }
}
