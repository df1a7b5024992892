using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace CoroutineGen.Generators.Tests.Robustness.Harness;

/// <summary>A generator bug the harness finds that is being fixed: its id, what goes wrong, and which inputs and failures it covers.</summary>
public sealed record KnownFailure(string Id, string Description, Func<HarnessInput, HarnessFailure, bool> Matches);

/// <summary>
/// THE list of known failures of the robustness harness: the one place that keeps the CI slice green while these
/// generator bugs are open (they are being fixed on another branch). Each entry matches a failure only for inputs
/// that contain the construct of the bug, and only the failure kinds that bug causes, so an unrelated failure of
/// the same kind still fails. Empty this list as the fixes are merged: the bug's inputs are then checked like any
/// other. <c>COROUTINEGEN_HARNESS_STRICT=1</c> ignores the list. The summary says which entry each failure matched.
/// </summary>
public static class KnownFailures
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    private static readonly Regex Spread = new(@"[\[,]\s*\.\.(?:[^;\]]|\[\])*\.(Receive|Yield)\(", Options);
    private static readonly Regex GluedKeyword = new(@"\)(is|as|switch|with)\b", Options);
    private static readonly Regex EscapedTypeName = new(@"\b(class|struct|record|interface)\s+@(\w+)", Options);
    private static readonly Regex RefLocal = new(@"\bref\s+[\w<>\[\]?.]+\s+(\w+)\s*=\s*ref\b", Options);
    private static readonly Regex ConstAfterSuspension = new(@"\.(Receive|Yield)\([^;]*\)\s*const\b", Options);
    private static readonly Regex CastOfThrow = new(@"\)\s*throw\b", Options);
    private static readonly Regex ExtensionBlock = new(@"\bextension\s*(<[^>]*>)?\s*\(", Options);
    private static readonly Regex Directive = new(@"^\s*#\s*(region|endregion|if|elif|else|endif)\b", Options | RegexOptions.Multiline);

    private static bool Is(HarnessFailure f, params string[] kinds) => kinds.Contains(f.Kind);

    private static bool DoesNotBuild(HarnessFailure f) => Is(f, FailureKinds.DoesNotCompile, FailureKinds.OutputDoesNotParse);

    public static IReadOnlyList<KnownFailure> All { get; } =
    [
        new("hint-name-collision",
            "Two templates whose hint names differ only in case or collide after sanitising (Echo/echo in one class, types Host/HOST, M<T>/M_1, C<T>/C_1, Me+U+0301/Me_) make AddSource throw: the generator fails (CS8785) and generates nothing.",
            (i, f) => Is(f, FailureKinds.GeneratorException, FailureKinds.GeneratorDiagnostic) && f.Detail.Contains("hintName", StringComparison.Ordinal)),
        new("receive-in-spread",
            "A receive inside a collection-expression spread ([.. new[] { inbox.Receive() }]) is copied unlowered: the generated code names 'inbox' (CS0103).",
            (i, f) => DoesNotBuild(f) && Spread.IsMatch(i.Text)),
        new("glued-is-not",
            "A receive glued to a following keyword (log.Add(inbox.Receive()is not null);) is spilled without a space: the generated code reads 'valueis not null' (CS1003, CS0103).",
            (i, f) => DoesNotBuild(f) && GluedKeyword.IsMatch(i.Text)),
        new("goto-label-in-moved-handler",
            "A goto to a label inside a finally or catch (GeneratorExitException) whose try contains a receive: the handler is moved out of the try but the label is not found (CS0159).",
            (i, f) => Is(f, FailureKinds.DoesNotCompile) && f.Key == "CS0159" && i.Text.Contains("goto ", StringComparison.Ordinal)),
        new("directive-around-receive",
            "#region/#endregion or #if/#endif around a statement with a receive: the generated file loses the closing directive and does not parse (CS1038 #endregion expected, CS1027 #endif expected).",
            (i, f) => DoesNotBuild(f) && f.Key is "CS1027" or "CS1028" or "CS1038" && Directive.IsMatch(i.Text)),
        new("escaped-keyword-type-name",
            "partial class @class (a keyword escaped with @ as a type name): the generated partial declaration is written without the @ and does not parse (CS1001, CS0260), so the class has no factory either (silent-drop).",
            (i, f) => (DoesNotBuild(f) || Is(f, FailureKinds.SilentDrop)) && EscapedTypeName.Matches(i.Text).Any(m => SyntaxFacts.GetKeywordKind(m.Groups[2].Value) != SyntaxKind.None)),
        new("dynamic-inbox",
            "Inbox<dynamic>: the generated class implements ICoroutine<dynamic>, which C# forbids (CS1966).",
            (i, f) => Is(f, FailureKinds.DoesNotCompile) && i.Text.Contains("Inbox<dynamic", StringComparison.Ordinal)),
        new("line-over-65535-chars",
            "A template line over 65,535 characters: the generated #line directive's column is out of range (CS8938).",
            (i, f) => i.Text.Split('\n').Any(l => l.Length > 65_535) && !Is(f, FailureKinds.GeneratorException, FailureKinds.AnalyzerException)),
        new("ref-local-from-receive",
            "A ref or scoped ref local assigned from a receive (ref int r = ref a[0]; r = inbox.Receive();): the generated code reads it unassigned (CS0165).",
            (i, f) => Is(f, FailureKinds.DoesNotCompile) && RefLocal.Matches(i.Text).Any(m => Regex.IsMatch(i.Text, $@"\b{Regex.Escape(m.Groups[1].Value)}\s*=\s*\w+\.(Receive|Yield)\(", Options))),
        new("const-after-receive",
            "inbox.Receive() const; gives an internal error (CORO0010, a NullReferenceException in the generator) instead of only the compiler's syntax error.",
            (i, f) => Is(f, FailureKinds.InternalError, FailureKinds.ErrorDirective) && ConstAfterSuspension.IsMatch(i.Text)),
        new("cast-of-throw-expression",
            "var d = (IDisposable) throw new Exception(inbox.Receive()); is an internal error (CORO0010, and an #error file).",
            (i, f) => Is(f, FailureKinds.InternalError, FailureKinds.ErrorDirective) && CastOfThrow.IsMatch(i.Text)),
        new("extension-block-dropped",
            "[Coroutine] inside a C# 14 extension(...) block: nothing is generated and nothing is reported.",
            (i, f) => Is(f, FailureKinds.SilentDrop) && ExtensionBlock.IsMatch(i.Text)),
        new("coro-error-in-line-hidden",
            "A CORO error in a file with #line hidden is filtered out (the analyzer skips generated code, Roslyn takes #line hidden code for generated, and with roslyn#68275 also the code before the first #line hidden), so the template is dropped with no diagnostic the user can see.",
            (i, f) => Is(f, FailureKinds.SilentDrop) && i.Text.Contains("#line hidden", StringComparison.Ordinal)),
        new("long-else-if-chain-slow",
            "A 2,000-branch else-if chain with receives takes far longer than compiling the output.",
            (i, f) => Is(f, FailureKinds.TooSlow) && Regex.Count(i.Text, @"\belse if\b", Options) >= 1_000),
        new("long-constant-sum-slow",
            "5,000 constants added before a receive take far longer than compiling the output.",
            (i, f) => Is(f, FailureKinds.TooSlow) && Regex.Count(i.Text, @"\d\s*\+\s*\d", Options) >= 1_000),
    ];

    /// <summary>The entry that covers <paramref name="failure"/> of <paramref name="input"/>, or null.</summary>
    public static KnownFailure? Match(HarnessInput input, HarnessFailure failure) =>
        HarnessRunner.Strict ? null : All.FirstOrDefault(k => k.Matches(input, failure));
}
