using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CoroutineGen.Generators.Model;

/// <summary>
/// A piece of user C# copied from the template: text with holes. The holes are what the lowering still has to
/// decide: the final name of a local (a field when it is hoisted), where a jump out of the piece lands, what a
/// <c>return</c> or a rethrow becomes.
/// </summary>
/// <remarks>
/// <see cref="CallFree"/> is the binder's fact about the code, which the lowering keeps through every copy it makes:
/// true only when running the code runs nothing but built-in operations (see <c>Parsing/CallFacts.cs</c>), false when
/// it may run other code (a call, a user-defined operator or conversion, an allocation, a throw...) or when nobody
/// knows. The fast paths read it (<c>Lowering/FastPathSelection.cs</c>): a segment of call-free code needs no exception
/// handler. Every way of making code keeps the fact conservative: <see cref="Text"/> and the constructor say false,
/// <see cref="Concat"/> is the conjunction of its pieces' facts (text it is given counts as calling), and only
/// <see cref="Quiet"/> takes the lowering's own text for call-free.
/// </remarks>
internal sealed record Code(EquatableArray<CodePart> Parts)
{
    public static readonly Code Empty = new(EquatableArray<CodePart>.Empty) { CallFree = true };

    /// <summary>Running the code runs nothing but built-in operations (see the remarks); false when unknown.</summary>
    public bool CallFree { get; init; }

    /// <summary>Text whose meaning nobody checked: not call-free.</summary>
    public static Code Text(string text) => new(new EquatableArray<CodePart>(new CodePart[] { new TextPart(text) }));

    /// <summary>
    /// The pieces (strings, codes, parts) one after the other. Call-free when every code and part given is, and no
    /// string is given: text the caller writes counts as calling (use <see cref="Quiet"/> for text that runs nothing).
    /// </summary>
    public static Code Concat(params object[] pieces) => Join(pieces, textIsQuiet: false);

    /// <summary>
    /// <see cref="Concat"/> for the lowering's own text that runs nothing by itself (punctuation, a <c>goto</c>, an
    /// assignment between variables of the same type, <c>!</c> or <c>&amp;&amp;</c> on <c>bool</c> values): call-free
    /// when every code and part given is.
    /// </summary>
    public static Code Quiet(params object[] pieces) => Join(pieces, textIsQuiet: true);

    private static Code Join(object[] pieces, bool textIsQuiet)
    {
        var parts = new List<CodePart>();
        var callFree = true;
        foreach (var piece in pieces)
        {
            switch (piece)
            {
                case string s when s.Length > 0:
                    parts.Add(new TextPart(s));
                    callFree &= textIsQuiet;
                    break;
                case string:
                    break;
                case Code c:
                    parts.AddRange(c.Parts);
                    callFree &= c.CallFree;
                    break;
                case CodePart p:
                    parts.Add(p);
                    callFree &= p.CallFree;
                    break;
                default:
                    throw new ArgumentException("unexpected code piece " + piece?.GetType().Name);
            }
        }

        return new Code(Normalize(parts)) { CallFree = callFree };
    }

    /// <summary>The same code with the fact <paramref name="callFree"/> added: call-free only when both are.</summary>
    public Code And(bool callFree) => callFree || !CallFree ? this : this with { CallFree = false };

    /// <summary>Merges adjacent text parts so that equal code compares equal.</summary>
    public static EquatableArray<CodePart> Normalize(IEnumerable<CodePart> parts)
    {
        var result = new List<CodePart>();
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is TextPart t)
            {
                var boundary = text.Length;
                text.Append(t.Value);
                SeparateTokens(text, boundary);
                continue;
            }

            if (text.Length > 0)
            {
                result.Add(new TextPart(text.ToString()));
                text.Clear();
            }

            result.Add(part);
        }

        if (text.Length > 0)
        {
            result.Add(new TextPart(text.ToString()));
        }

        return result.ToEquatableArray();
    }

    /// <summary>
    /// Pieces of code can meet where the user wrote no space, as in <c>inbox.Receive()is null</c>, whose receive
    /// becomes <c>value</c>: two word characters meeting at <paramref name="boundary"/> (where a piece was appended)
    /// get a space between them, so they stay two tokens. (Within one piece of the user's text, two word characters
    /// are one token already.)
    /// </summary>
    public static void SeparateTokens(StringBuilder text, int boundary)
    {
        if (boundary > 0 && boundary < text.Length && IsWordCharacter(text[boundary - 1]) && IsWordCharacter(text[boundary]))
        {
            text.Insert(boundary, ' ');
        }
    }

    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c == '_';

    public bool IsEmpty => Parts.All(p => p is TextPart t && string.IsNullOrWhiteSpace(t.Value));

    /// <summary>Visits every part, including those nested in wrappers.</summary>
    public IEnumerable<CodePart> AllParts()
    {
        foreach (var part in Parts)
        {
            yield return part;
            foreach (var nested in part.Children())
            {
                foreach (var inner in nested.AllParts())
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>
    /// Rebuilds the code, replacing parts (bottom-up). It stays call-free when it was and every part put in place of
    /// another is (a part replaced inside a nested code counts through that code's fact).
    /// </summary>
    public Code Rewrite(Func<CodePart, CodePart?> rewrite)
    {
        var parts = new List<CodePart>();
        var callFree = CallFree;
        foreach (var part in Parts)
        {
            var rebuilt = part.RewriteChildren(rewrite);
            var replaced = rewrite(rebuilt);
            if (!Equals(replaced, part))
            {
                callFree &= replaced is null || replaced.CallFree;
            }

            if (replaced is CodeSplice splice)
            {
                parts.AddRange(splice.Code.Parts);
            }
            else if (replaced is not null)
            {
                parts.Add(replaced);
            }
        }

        return new Code(Normalize(parts)) { CallFree = callFree };
    }

    /// <summary>A debugging view: holes in angle brackets.</summary>
    public override string ToString() => string.Concat(Parts.Select(p => p.ToString()));
}

/// <summary>One part of a <see cref="Code"/>.</summary>
internal abstract record CodePart
{
    public virtual IEnumerable<Code> Children() => Array.Empty<Code>();

    /// <summary>What the part runs by itself (see <see cref="Code.CallFree"/>): false unless a part says otherwise.</summary>
    public virtual bool CallFree => false;

    public virtual CodePart RewriteChildren(Func<CodePart, CodePart?> rewrite) => this;
}

/// <summary>Literal text.</summary>
internal sealed record TextPart(string Value) : CodePart
{
    public override string ToString() => Value;
}

/// <summary>A use of a template local or parameter; becomes its final name (a field when hoisted).</summary>
/// <param name="InLambda">The use is inside a lambda or anonymous method (it captures the variable).</param>
/// <param name="IsDeclaration">The name in the local's declaration (a declarator, a foreach or catch variable).</param>
internal sealed record LocalPart(int Local, bool InLambda = false, bool IsDeclaration = false) : CodePart
{
    /// <summary>A variable's name: reading or writing it runs nothing.</summary>
    public override bool CallFree => true;

    public override string ToString() => InLambda ? $"<L{Local} captured>" : $"<L{Local}>";
}

/// <summary>
/// A declaration of a local inside an expression, as in <c>out var x</c> or a deconstruction's <c>var x</c>:
/// <see cref="TypeText"/> followed by the name while the local stays a local, just the field when it is hoisted.
/// </summary>
internal sealed record DesignationPart(int Local, string TypeText) : CodePart
{
    /// <summary>A declaration: it runs nothing (what assigns the variable has its own fact).</summary>
    public override bool CallFree => true;

    public override string ToString() => $"<decl {TypeText} L{Local}>";
}

/// <summary>
/// The name declared by a pattern (<c>o is int x</c>): the local's name, or a temporary when the local is hoisted
/// (a pattern cannot bind a field); the enclosing <see cref="IsPatternPart"/> then stores the temporary.
/// </summary>
internal sealed record PatternDesignationPart(int Local) : CodePart
{
    /// <summary>A declaration: it runs nothing (the pattern around it has its own fact).</summary>
    public override bool CallFree => true;

    public override string ToString() => $"<pattern L{Local}>";
}

/// <summary>An <c>is</c> expression that declares pattern variables; see <see cref="PatternDesignationPart"/>.</summary>
/// <param name="Negated">
/// <c>o is not T x</c>: the variables are assigned where the expression is false, so the temporaries are stored there.
/// </param>
internal sealed record IsPatternPart(Code Expression, EquatableArray<int> Declared, bool Negated = false) : CodePart
{
    /// <summary>The expression's fact (storing the temporaries it binds runs nothing).</summary>
    public override bool CallFree => Expression.CallFree;

    public override IEnumerable<Code> Children() => new[] { Expression };

    public override CodePart RewriteChildren(Func<CodePart, CodePart?> rewrite) => this with { Expression = Expression.Rewrite(rewrite) };

    public override string ToString() => $"<is {Expression}>";
}

/// <summary>A <c>break</c>, <c>continue</c>, <c>goto</c> or <c>goto case</c> statement that leaves the copied code.</summary>
internal sealed record JumpPart(int Target) : CodePart
{
    /// <summary>
    /// A jump: it runs nothing. Where it leaves a try whose finally suspends, the lowering replaces it with code of its
    /// own, which carries its own fact.
    /// </summary>
    public override bool CallFree => true;

    public override string ToString() => $"<jump {Target}>";
}

/// <summary>A <c>return</c> statement of the template (with its value, if any).</summary>
internal sealed record ReturnPart(Code? Value) : CodePart
{
    public override IEnumerable<Code> Children() => Value is null ? Array.Empty<Code>() : new[] { Value };

    public override CodePart RewriteChildren(Func<CodePart, CodePart?> rewrite) => Value is null ? this : this with { Value = Value.Rewrite(rewrite) };

    public override string ToString() => $"<return {Value}>";
}

/// <summary>A bare <c>throw;</c> inside a catch clause whose body the lowering moves out of the catch.</summary>
internal sealed record RethrowPart(int Catch) : CodePart
{
    public override string ToString() => $"<rethrow {Catch}>";
}

/// <summary>
/// Where the receiver of a conditional access goes: in <c>a?.B.M(x)</c>, the code <c>.B</c> stands for
/// <c>a.B</c>. The spiller replaces it with the temporary that holds <c>a</c>.
/// </summary>
internal sealed record ConditionalReceiverPart : CodePart
{
    public override string ToString() => "<receiver>";
}

/// <summary>A resolved jump: <c>goto label;</c> (produced by the lowering).</summary>
internal sealed record GotoPart(string Label) : CodePart
{
    public override bool CallFree => true;

    public override string ToString() => $"goto {Label};";
}

/// <summary>
/// The <c>await</c> keyword of an await that the template's own body runs (an <c>await</c> expression, <c>await foreach</c>
/// or <c>await using</c>; not one inside a lambda or a local function): code that holds one can run only in an async
/// method, so a fast path that copies it must treat it apart (see <c>Lowering/FastPathSelection.cs</c>).
/// </summary>
internal sealed record AwaitPart : CodePart
{
    public override string ToString() => "await";
}

/// <summary>
/// In the code an async coroutine's fast path runs (<see cref="CodeStmt.FastCode"/>), the statement <c>await Operand;</c>
/// at the end of the copied statement: nothing of the statement runs after it. <see cref="AwaitableType"/> is task-like
/// (<c>Task</c>, <c>ValueTask</c>, their generic forms, what <c>ConfigureAwait</c> returns, <c>Task.Yield()</c>'s
/// awaitable): getting its awaiter twice gives the same awaiter, so the fast path may test <c>IsCompleted</c> and, when
/// the awaitable is not complete, hand it to a method that awaits it, whose <c>await</c> is mapped to <see cref="Span"/>
/// (the template's await statement). <see cref="Number"/> names that method; the fast path that copies the code
/// numbers it (0 until then).
/// </summary>
internal sealed record FastAwaitPart(Code Operand, string AwaitableType, SourceSpan Span, int Number = 0) : CodePart
{
    public override IEnumerable<Code> Children() => new[] { Operand };

    public override CodePart RewriteChildren(Func<CodePart, CodePart?> rewrite) => this with { Operand = Operand.Rewrite(rewrite) };

    public override string ToString() => $"<fast await {Number} {Operand}>";
}

/// <summary>Used by <see cref="Code.Rewrite"/> to replace one part with several.</summary>
internal sealed record CodeSplice(Code Code) : CodePart
{
    public override bool CallFree => Code.CallFree;
}
