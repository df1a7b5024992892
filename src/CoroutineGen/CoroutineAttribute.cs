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
}
