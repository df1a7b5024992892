using System;

namespace CoroutineGen;

/// <summary>The exceptions the runtime throws, with their messages in one place.</summary>
internal static class CoroutineErrors
{
    public static InvalidOperationException TemplateOnly(string method) => new(
        $"Inbox.{method} was used at run time. A [Coroutine] template is never executed: only the code CoroutineGen " +
        "generates from it can suspend. Call the generated factory (the overload without the inbox parameter) instead " +
        "of the template, and make sure the CoroutineGen generator runs in this project.");

    public static InvalidOperationException AlreadyRunning() => new("coroutine is already running");

    public static ArgumentException NonDefaultStartValue(object? value) => new(
        $"can't send a non-default value to a just-started coroutine (got '{value}'); send default to start it", "value");

    public static InvalidOperationException IgnoredGeneratorExit() => new("coroutine ignored GeneratorExit");

    public static InvalidOperationException RaisedStopIteration(StopIterationException inner) =>
        new("coroutine raised StopIteration", inner);
}
