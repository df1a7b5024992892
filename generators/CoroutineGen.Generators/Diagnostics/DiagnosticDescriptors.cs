using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CoroutineGen.Generators.Diagnostics;

/// <summary>Every diagnostic CoroutineGen reports, in one table. Ids are never reused.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "CoroutineGen";

    /// <summary>
    /// The page of diagnostic <paramref name="id"/> online: <c>$(RepositoryUrl)/blob/main/docs/diagnostics/{id}.md</c>.
    /// The base is a constant the build writes from <c>RepositoryUrl</c> in Directory.Build.props; the same pages
    /// are in the package, under <c>docs/diagnostics/</c>, for reading offline.
    /// </summary>
    private static string HelpLink(string id) => BuildProperties.DiagnosticsUrl + "/" + id + ".md";

    /// <summary>CORO0001: <c>The type '{0}' must be partial: it contains the coroutine template '{1}' ...; add the 'partial' modifier</c>.</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = new(
        id: "CORO0001",
        title: "Every type enclosing a coroutine template must be partial",
        messageFormat: "The type '{0}' must be partial: it contains the coroutine template '{1}', and the generator adds the coroutine class and factory to it; add the 'partial' modifier",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator adds a factory method and a nested <Name>Coroutine class to the type that declares the template, so that type and every type around it must be declared partial.",
        helpLinkUri: HelpLink("CORO0001"));

    /// <summary>CORO0002: <c>Coroutine template '{0}' has an invalid signature: {1}</c>.</summary>
    public static readonly DiagnosticDescriptor InvalidSignature = new(
        id: "CORO0002",
        title: "Invalid coroutine template signature",
        messageFormat: "Coroutine template '{0}' has an invalid signature: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A template takes its inbox (Inbox<T> or Inbox<TIn, TOut>) as its first parameter and no other inbox; it has a body, is not an iterator, not abstract, extern or partial, and its other parameters are passed by value. An async template returns Task, ValueTask, Task<R> or ValueTask<R> (not void): its coroutine's calls return tasks.",
        helpLinkUri: HelpLink("CORO0002"));

    /// <summary>CORO0003: <c>'{0}' can only be called on the template's own inbox, directly in the template body: {1}</c>.</summary>
    public static readonly DiagnosticDescriptor SuspensionOutsideTemplate = new(
        id: "CORO0003",
        title: "Receive/Yield outside the template's own statements",
        messageFormat: "'{0}' can only be called on the template's own inbox parameter, directly in the template body: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Receive() and Yield() are suspension points of one coroutine. They are only meaningful in the body of that coroutine's [Coroutine] template, called on its inbox parameter; a lambda, a local function or another method runs outside the state machine and cannot suspend it.",
        helpLinkUri: HelpLink("CORO0003"));

    /// <summary>CORO0004: <c>Coroutine template '{0}' cannot be lowered: {1}</c>.</summary>
    public static readonly DiagnosticDescriptor UnsupportedConstruct = new(
        id: "CORO0004",
        title: "Suspension in an unsupported position",
        messageFormat: "Coroutine template '{0}' cannot be lowered: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator rewrites the template into a state machine and knows how to do that for an allow-list of statements and expressions. A suspension point inside something it cannot rewrite is reported instead of being compiled wrongly.",
        helpLinkUri: HelpLink("CORO0004"));

    /// <summary>CORO0005: <c>The inbox '{0}' escapes the template: {1}; only call Receive() or Yield() on it</c>.</summary>
    public static readonly DiagnosticDescriptor InboxEscapes = new(
        id: "CORO0005",
        title: "The inbox escapes the template",
        messageFormat: "The inbox '{0}' escapes the template: {1}; only call Receive() or Yield() on it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The inbox parameter does not exist at run time: the generated state machine has no inbox object. It can only be used to call Receive() or Yield(), never passed, stored, compared or captured.",
        helpLinkUri: HelpLink("CORO0005"));

    /// <summary>CORO0006: <c>Coroutine template '{0}' never suspends: ...</c>.</summary>
    public static readonly DiagnosticDescriptor NeverSuspends = new(
        id: "CORO0006",
        title: "Coroutine template never suspends",
        messageFormat: "Coroutine template '{0}' never suspends: {1}, and every Send() after that throws StopIterationException; call inbox.Receive() where it should wait for a value, or remove [Coroutine]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A void template without a Receive(), Yield() or YieldFrom() call finishes as soon as it starts, so nobody can send to it and it returns nothing. A template that returns a value is not reported: it is a subroutine that YieldFrom can call.",
        helpLinkUri: HelpLink("CORO0006"));

    /// <summary>
    /// CORO0007: <c>This catch (GeneratorExitException) handler can suspend again: {0} 'coroutine ignored GeneratorExit'; clean up and finish instead</c>,
    /// where {0} is <c>Close() will then throw</c>, or <c>CloseAsync() will then fail with</c> in an async template.
    /// </summary>
    public static readonly DiagnosticDescriptor GeneratorExitHandlerSuspends = new(
        id: "CORO0007",
        title: "A GeneratorExitException handler suspends again",
        messageFormat: "This catch (GeneratorExitException) handler can suspend again: {0} 'coroutine ignored GeneratorExit'; clean up and finish instead",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Close() (CloseAsync() for an async template) raises GeneratorExitException at the suspension point so that the coroutine can clean up and finish. If it suspends again instead (in the handler, or after it, when the handler ends and a loop brings the body back to a Receive()), Close() fails with 'coroutine ignored GeneratorExit' (CloseAsync() through its task), as Python's close() raises RuntimeError.",
        helpLinkUri: HelpLink("CORO0007"));

    /// <summary>CORO0008: <c>Coroutine template '{0}': the generated {1} collides with {2}; rename ...</c>.</summary>
    public static readonly DiagnosticDescriptor NameCollision = new(
        id: "CORO0008",
        title: "Generated member collides with an existing one",
        messageFormat: "Coroutine template '{0}': the generated {1} collides with {2}; rename the template or the other member",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "For a template Name the generator adds a factory overload Name(...) without the inbox parameter and a nested class NameCoroutine. Neither may already exist in the type.",
        helpLinkUri: HelpLink("CORO0008"));

    /// <summary>
    /// CORO0009: <c>'{0}' was closed on line {1}: this {2} will {3}; {4} before closing it, or create a new coroutine</c>:
    /// {2} is the call (<c>Send()</c>, <c>Throw()</c>, <c>SendAsync()</c>, <c>ThrowAsync()</c>), {3} what it will do
    /// (<c>throw StopIterationException</c>, ...), {4} <c>send</c> or <c>throw</c>.
    /// </summary>
    public static readonly DiagnosticDescriptor SendAfterClose = new(
        id: "CORO0009",
        title: "Send to a closed coroutine",
        messageFormat: "'{0}' was closed on line {1}: this {2} will {3}; {4} before closing it, or create a new coroutine",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Once Close() (or Dispose()) has run, the coroutine is finished: every Send() throws StopIterationException and every Throw(e) throws e. The same holds for an async coroutine after CloseAsync() (or DisposeAsync()): SendAsync() fails with StopIterationException, ThrowAsync(e) with e.",
        helpLinkUri: HelpLink("CORO0009"));

    /// <summary>CORO0010: <c>Coroutine template '{0}' could not be compiled: {1}</c>.</summary>
    public static readonly DiagnosticDescriptor InternalError = new(
        id: "CORO0010",
        title: "CoroutineGen internal error",
        messageFormat: "Coroutine template '{0}' could not be compiled because of an internal error in CoroutineGen ({1}); please report it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator met something it did not expect. It generated nothing for this template rather than guessing.",
        helpLinkUri: HelpLink("CORO0010"));

    /// <summary>CORO0011: <c>This call binds to the coroutine template '{0}', not to its factory: {1}</c>.</summary>
    public static readonly DiagnosticDescriptor TemplateCalled = new(
        id: "CORO0011",
        title: "A call binds to a coroutine template instead of its factory",
        messageFormat: "This call binds to the coroutine template '{0}', not to its factory: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A template is the specification the generator compiles; it never runs (its Receive() throws). Callers call its factory, the overload without the inbox. A call binds to the template when it passes an inbox argument, or when the factory is missing because the template has an error.",
        helpLinkUri: HelpLink("CORO0011"));

    /// <summary>
    /// CORO0012: <c>{0}: {1}</c>, where {0} says which task (<c>The task that 'SendAsync()' returns is discarded</c>,
    /// <c>The task that 'Printer()' returns is discarded</c>, <c>This ValueTask&lt;PrinterCoroutine&gt; is not the
    /// coroutine</c>) and {1} what that costs and what to do.
    /// </summary>
    public static readonly DiagnosticDescriptor SendAsyncNotAwaited = new(
        id: "CORO0012",
        title: "The task of an async coroutine's call or factory is not awaited",
        messageFormat: "{0}: {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An IAsyncCoroutine runs one call at a time and reports every error, StopIterationException included, through the ValueTask that SendAsync, ThrowAsync, CloseAsync and DisposeAsync return. A call whose task is dropped (an expression statement, or assigned to the discard '_') loses those errors, and the next call, made before it has completed, fails with InvalidOperationException ('coroutine is already running'). The factory of an async template returns a ValueTask of the coroutine: dropping it leaves a primed coroutine nobody can close, and using a member of the coroutine on the task (Stages.Printer().SendAsync(...)) is the compiler's CS1061; await the task and keep the coroutine.",
        helpLinkUri: HelpLink("CORO0012"));

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = new()
    {
        [TypeNotPartial.Id] = TypeNotPartial,
        [InvalidSignature.Id] = InvalidSignature,
        [SuspensionOutsideTemplate.Id] = SuspensionOutsideTemplate,
        [UnsupportedConstruct.Id] = UnsupportedConstruct,
        [InboxEscapes.Id] = InboxEscapes,
        [NeverSuspends.Id] = NeverSuspends,
        [GeneratorExitHandlerSuspends.Id] = GeneratorExitHandlerSuspends,
        [NameCollision.Id] = NameCollision,
        [SendAfterClose.Id] = SendAfterClose,
        [InternalError.Id] = InternalError,
        [TemplateCalled.Id] = TemplateCalled,
        [SendAsyncNotAwaited.Id] = SendAsyncNotAwaited,
    };

    public static IEnumerable<DiagnosticDescriptor> All => ById.Values;

    public static DiagnosticDescriptor Get(string id) => ById[id];

    public static bool IsError(string id) => ById.TryGetValue(id, out var d) && d.DefaultSeverity == DiagnosticSeverity.Error;
}
