using System;
using System.Diagnostics;

namespace CoroutineGen;

/// <summary>
/// Marks a method as a coroutine <em>template</em>: the CoroutineGen source generator lowers its body into a
/// push-style state machine (a nested <c>&lt;Name&gt;Coroutine</c> class) and adds a factory overload with the
/// same name that creates, primes and returns it.
/// </summary>
/// <remarks>
/// <para>The template's first parameter is the inbox, <see cref="Inbox{T}"/> or <see cref="Inbox{TIn, TOut}"/>;
/// every enclosing type must be <c>partial</c>. The template itself is never executed: its body is the
/// specification the generator compiles, so it stays ordinary, type-checked C#.</para>
/// <para>The attribute is <see cref="ConditionalAttribute">conditional</see>, so it does not end up in the
/// compiled assembly's metadata.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
[Conditional("COROUTINEGEN_KEEP_ATTRIBUTES")]
public sealed class CoroutineAttribute : Attribute
{
    /// <summary>
    /// Whether the generated factory primes the coroutine: runs its body up to the first suspension point before
    /// returning it, as Python's <c>@coroutine</c> decorator does. <c>true</c> by default.
    /// </summary>
    /// <remarks>
    /// With <c>Prime = false</c> the factory returns the coroutine <see cref="CoroutineState.Created"/>, like a Python
    /// generator before its first <c>next()</c>: nothing of the body has run. <c>Send(default)</c> starts it (Python's
    /// <c>send(None)</c>) and runs it to its first suspension point; a <c>Send</c> of any other value throws
    /// <see cref="ArgumentException"/> and leaves it created; <c>Close()</c> closes it without running the body;
    /// <c>Throw(e)</c> closes it and throws <c>e</c>. Schedulers need this: a task's body must not run before the
    /// scheduler runs it.
    /// </remarks>
    public bool Prime { get; set; } = true;

    /// <summary>
    /// The accessibility of the generated factory and coroutine class. By default they have the template's. Callers
    /// should meet the factory, never the template (which only the generator reads): make the template
    /// <c>private</c> and ask for the accessibility callers need, e.g.
    /// <c>[Coroutine(Accessibility = CoroutineAccessibility.Public)] private static void Grep(Inbox&lt;string&gt; inbox, ...)</c>:
    /// then completion and hover outside the type show only the factory.
    /// </summary>
    public CoroutineAccessibility Accessibility { get; set; }
}

/// <summary>The accessibility of a template's generated factory and class (<see cref="CoroutineAttribute.Accessibility"/>).</summary>
public enum CoroutineAccessibility
{
    /// <summary>The template's own accessibility (the default).</summary>
    AsTemplate,

    /// <summary><c>public</c>.</summary>
    Public,

    /// <summary><c>internal</c>.</summary>
    Internal,

    /// <summary><c>protected internal</c>.</summary>
    ProtectedInternal,

    /// <summary><c>protected</c>.</summary>
    Protected,

    /// <summary><c>private protected</c>.</summary>
    PrivateProtected,

    /// <summary><c>private</c>.</summary>
    Private,
}
