using System.Text;
using CoroutineGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Tests.Robustness.Harness;

/// <summary>
/// The edits of the robustness harness: what someone typing in an IDE does to a template, one edit at a time. Each
/// operator takes a source and a <see cref="Random"/> and returns the edited source (or null when it does not
/// apply, e.g. no try statement to move a statement out of). Token-level edits pick tokens of the <c>[Coroutine]</c>
/// methods (of the whole file when it has none left); statement-level edits pick statements of their bodies,
/// preferring those that suspend (half of the time).
/// </summary>
public static class Mutations
{
    /// <summary>Every operator, in the order the harness cycles through them.</summary>
    public static IReadOnlyList<string> Operators { get; } =
    [
        "token-delete", "token-duplicate", "token-swap", "keyword-insert", "truncate", "bracket-drop", "bracket-insert",
        "stmt-delete", "stmt-duplicate", "stmt-swap", "stmt-into-try", "stmt-out-of-try",
        "wrap-if", "wrap-region", "wrap-if-directive", "wrap-line-hidden",
    ];

    /// <summary>The keywords <c>keyword-insert</c> puts in front of a token.</summary>
    public static IReadOnlyList<string> Keywords { get; } =
    [
        "const", "ref", "await", "static", "yield", "scoped", "async", "unsafe", "lock", "readonly", "out", "in",
        "params", "return", "break", "continue", "new", "this", "var", "checked", "fixed", "goto", "throw", "try",
        "using", "stackalloc", "default", "is", "not", "and", "when", "file", "required", "partial", "dynamic",
    ];

    private static readonly string[] Brackets = ["{", "}", "(", ")"];

    /// <summary>Whether <paramref name="method"/> carries <c>[Coroutine]</c> (syntactically, as a broken file may not bind).</summary>
    public static bool IsCoroutine(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Coroutine" or "CoroutineGen.Coroutine" or "CoroutineAttribute" or "global::CoroutineGen.Coroutine");

    /// <summary>The <c>[Coroutine]</c> methods of a file, in order.</summary>
    public static IReadOnlyList<MethodDeclarationSyntax> CoroutineMethods(SyntaxNode root) =>
        root.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(IsCoroutine).ToList();

    /// <summary>The non-empty tokens of the <c>[Coroutine]</c> methods of <paramref name="root"/>.</summary>
    public static IReadOnlyList<SyntaxToken> CoroutineTokens(SyntaxNode root) =>
        CoroutineMethods(root).SelectMany(m => m.DescendantTokens()).Where(t => t.Span.Length > 0).ToList();

    /// <summary>A seed that depends only on the text (string.GetHashCode is randomized per process).</summary>
    public static int Seed(string text)
    {
        var hash = 17;
        foreach (var ch in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash * 31) + ch);
        }

        return hash;
    }

    /// <summary>
    /// Applies <paramref name="op"/> (one of <see cref="Operators"/>) to <paramref name="text"/> at positions drawn
    /// from <paramref name="random"/>: the edit's description and the new text, or null when the operator does not
    /// apply to this text.
    /// </summary>
    public static (string Description, string Text)? Apply(string op, string text, Random random)
    {
        var root = CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions).GetRoot();
        IReadOnlyList<SyntaxToken> tokens = CoroutineTokens(root);
        if (tokens.Count == 0)
        {
            tokens = root.DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        }

        string At(int position)
        {
            var line = root.SyntaxTree.GetLineSpan(new Microsoft.CodeAnalysis.Text.TextSpan(Math.Min(position, text.Length), 0)).StartLinePosition;
            return $"line {line.Line + 1}, column {line.Character + 1}";
        }

        switch (op)
        {
            case "token-delete" when tokens.Count > 0:
            {
                var t = tokens[random.Next(tokens.Count)];
                return ($"{op} '{t.Text}' at {At(t.SpanStart)}", text[..t.SpanStart] + text[t.Span.End..]);
            }

            case "token-duplicate" when tokens.Count > 0:
            {
                var t = tokens[random.Next(tokens.Count)];
                return ($"{op} '{t.Text}' at {At(t.SpanStart)}", text[..t.Span.End] + " " + t.Text + text[t.Span.End..]);
            }

            case "token-swap" when tokens.Count > 1:
            {
                var pairs = Enumerable.Range(0, tokens.Count - 1).Where(i => tokens[i].Text != tokens[i + 1].Text && tokens[i + 1].SpanStart >= tokens[i].Span.End).ToList();
                if (pairs.Count == 0)
                {
                    return null;
                }

                var i = pairs[random.Next(pairs.Count)];
                var (a, b) = (tokens[i], tokens[i + 1]);

                return ($"{op} '{a.Text}' '{b.Text}' at {At(a.SpanStart)}",
                    text[..a.SpanStart] + b.Text + text[a.Span.End..b.SpanStart] + a.Text + text[b.Span.End..]);
            }

            case "keyword-insert" when tokens.Count > 0:
            {
                var t = tokens[random.Next(tokens.Count)];
                var keyword = Keywords[random.Next(Keywords.Count)];
                // Before the token, or (a third of the time) glued after it, as `inbox.Receive() const`.
                return random.Next(3) == 0
                    ? ($"{op} '{keyword}' after '{t.Text}' at {At(t.SpanStart)}", text[..t.Span.End] + " " + keyword + text[t.Span.End..])
                    : ($"{op} '{keyword}' before '{t.Text}' at {At(t.SpanStart)}", text[..t.SpanStart] + keyword + " " + text[t.SpanStart..]);
            }

            case "truncate" when text.Length > 1:
            {
                // Half of the time inside a template, where the generator has the most to do.
                var methods = CoroutineMethods(root);
                var position = methods.Count > 0 && random.Next(2) == 0
                    ? methods[random.Next(methods.Count)] is var m ? m.SpanStart + random.Next(Math.Max(1, m.Span.Length)) : 0
                    : random.Next(text.Length);
                return ($"{op} at offset {position} ({At(position)})", text[..position]);
            }

            case "bracket-drop":
            {
                var brackets = tokens.Where(t => t.Text is "{" or "}" or "(" or ")").ToList();
                if (brackets.Count == 0)
                {
                    return null;
                }

                var t = brackets[random.Next(brackets.Count)];
                return ($"{op} '{t.Text}' at {At(t.SpanStart)}", text[..t.SpanStart] + text[t.Span.End..]);
            }

            case "bracket-insert" when tokens.Count > 0:
            {
                var t = tokens[random.Next(tokens.Count)];
                var bracket = Brackets[random.Next(Brackets.Length)];
                return ($"{op} '{bracket}' before '{t.Text}' at {At(t.SpanStart)}", text[..t.SpanStart] + bracket + " " + text[t.SpanStart..]);
            }
        }

        var statements = CoroutineMethods(root)
            .Where(m => m.Body is not null)
            .SelectMany(m => m.Body!.DescendantNodes().OfType<StatementSyntax>())
            .ToList();
        if (statements.Count == 0)
        {
            return null;
        }

        StatementSyntax Pick(IReadOnlyList<StatementSyntax> from)
        {
            var suspending = from.Where(s => s.ToString().Contains("Receive(", StringComparison.Ordinal) || s.ToString().Contains("Yield(", StringComparison.Ordinal)).ToList();
            return suspending.Count > 0 && random.Next(2) == 0 ? suspending[random.Next(suspending.Count)] : from[random.Next(from.Count)];
        }

        string Wrap(StatementSyntax s, string before, string after) =>
            text[..s.SpanStart] + before + text[s.SpanStart..s.Span.End] + after + text[s.Span.End..];

        switch (op)
        {
            case "stmt-delete":
            {
                var s = Pick(statements);
                return ($"{op} at {At(s.SpanStart)}", text[..s.SpanStart] + text[s.Span.End..]);
            }

            case "stmt-duplicate":
            {
                var s = Pick(statements);
                return ($"{op} at {At(s.SpanStart)}", text[..s.Span.End] + "\n" + text[s.SpanStart..s.Span.End] + text[s.Span.End..]);
            }

            case "stmt-swap":
            {
                var pairs = statements
                    .Where(s => s.Parent is BlockSyntax or SwitchSectionSyntax)
                    .Select(s => (First: s, Second: NextSibling(s)))
                    .Where(p => p.Second is not null)
                    .ToList();
                if (pairs.Count == 0)
                {
                    return null;
                }

                var (a, b) = pairs[random.Next(pairs.Count)];
                return ($"{op} at {At(a.SpanStart)}",
                    text[..a.SpanStart] + text[b!.SpanStart..b.Span.End] + text[a.Span.End..b.SpanStart] + text[a.SpanStart..a.Span.End] + text[b.Span.End..]);
            }

            case "stmt-into-try":
            {
                var s = Pick(statements);
                var tries = statements.OfType<TryStatementSyntax>().Where(t => !t.Span.IntersectsWith(s.Span)).ToList();
                var body = text[s.SpanStart..s.Span.End];
                if (tries.Count > 0 && random.Next(2) == 0)
                {
                    // Move it into a block of an existing try statement: its try block, a catch or the finally.
                    var t = tries[random.Next(tries.Count)];
                    var blocks = new List<(string Where, BlockSyntax Block)> { ("try block", t.Block) };
                    blocks.AddRange(t.Catches.Select(c => ("catch block", c.Block)));
                    if (t.Finally is { } f)
                    {
                        blocks.Add(("finally block", f.Block));
                    }

                    var (where, block) = blocks[random.Next(blocks.Count)];
                    var insertAt = block.OpenBraceToken.Span.End;
                    var without = s.SpanStart < insertAt
                        ? text[..s.SpanStart] + text[s.Span.End..insertAt] + "\n" + body + text[insertAt..]
                        : text[..insertAt] + "\n" + body + text[insertAt..s.SpanStart] + text[s.Span.End..];
                    return ($"{op}: the statement at {At(s.SpanStart)} moved into the {where} at {At(insertAt)}", without);
                }

                string[][] shapes =
                [
                    ["try { ", " } catch (Exception) { }"],
                    ["try { ", " } finally { }"],
                    ["try { } finally { ", " }"],
                    ["try { ", " } catch (GeneratorExitException) { }"],
                    ["try { } catch (InvalidOperationException) { ", " }"],
                    ["try { throw new InvalidOperationException(); } catch (InvalidOperationException) { ", " }"],
                ];
                var shape = shapes[random.Next(shapes.Length)];
                return ($"{op}: the statement at {At(s.SpanStart)} wrapped in `{shape[0]}...{shape[1]}`", Wrap(s, shape[0], shape[1]));
            }

            case "stmt-out-of-try":
            {
                var inside = statements
                    .Where(s => s.Parent is BlockSyntax { Parent: TryStatementSyntax or CatchClauseSyntax or FinallyClauseSyntax })
                    .ToList();
                if (inside.Count == 0)
                {
                    return null;
                }

                var s = Pick(inside);
                var t = s.Ancestors().OfType<TryStatementSyntax>().First();
                var body = text[s.SpanStart..s.Span.End];
                return random.Next(2) == 0
                    ? ($"{op}: the statement at {At(s.SpanStart)} moved after its try statement", text[..s.SpanStart] + text[s.Span.End..t.Span.End] + "\n" + body + text[t.Span.End..])
                    : ($"{op}: the statement at {At(s.SpanStart)} moved before its try statement", text[..t.SpanStart] + body + "\n" + text[t.SpanStart..s.SpanStart] + text[s.Span.End..]);
            }

            case "wrap-if":
            {
                var s = Pick(statements);
                var condition = random.Next(4) == 0 ? "x" : "Environment.ProcessorCount > 0";
                return ($"{op} ({condition}) at {At(s.SpanStart)}", Wrap(s, $"if ({condition}) {{ ", " }"));
            }

            case "wrap-region":
            {
                var s = Pick(statements);
                return ($"{op} at {At(s.SpanStart)}", Wrap(s, "\n#region harness\n", "\n#endregion\n"));
            }

            case "wrap-if-directive":
            {
                var s = Pick(statements);
                var (before, after) = random.Next(3) switch
                {
                    0 => ("\n#if DEBUG\n", "\n#endif\n"),
                    1 => ("\n#if !HARNESS\n", "\n#endif\n"),
                    _ => ("\n#if HARNESS\n#else\n", "\n#endif\n"),
                };
                return ($"{op} at {At(s.SpanStart)}", Wrap(s, before, after));
            }

            case "wrap-line-hidden":
            {
                var s = Pick(statements);
                return ($"{op} at {At(s.SpanStart)}", Wrap(s, "\n#line hidden\n", "\n#line default\n"));
            }
        }

        return null;
    }

    /// <summary>
    /// Applies a random operator (cycling from <paramref name="firstOperator"/> until one applies) and returns it
    /// with the operator's name; null when no operator applies (a source with no tokens).
    /// </summary>
    public static (string Operator, string Description, string Text)? ApplyAny(int firstOperator, string text, Random random)
    {
        for (int k = 0; k < Operators.Count; k++)
        {
            var op = Operators[(firstOperator + k) % Operators.Count];
            if (Apply(op, text, random) is { } edit)
            {
                return (op, edit.Description, edit.Text);
            }
        }

        return null;
    }

    private static StatementSyntax? NextSibling(StatementSyntax s)
    {
        SyntaxList<StatementSyntax> list = s.Parent switch
        {
            BlockSyntax block => block.Statements,
            SwitchSectionSyntax section => section.Statements,
            _ => default,
        };
        var i = list.IndexOf(s);
        return i >= 0 && i + 1 < list.Count ? list[i + 1] : null;
    }
}
