namespace CoroutineGen;

/// <summary>The life cycle of a coroutine, as Python's <c>inspect.getgeneratorstate</c> reports it.</summary>
public enum CoroutineState
{
    /// <summary>Created but not yet started (<c>GEN_CREATED</c>). Factories prime their coroutines, so user code rarely sees it.</summary>
    Created = 0,

    /// <summary>The body is executing (<c>GEN_RUNNING</c>): observable only from code the body calls.</summary>
    Running = 1,

    /// <summary>Parked at a suspension point, waiting for <c>Send</c>, <c>Throw</c> or <c>Close</c> (<c>GEN_SUSPENDED</c>).</summary>
    Suspended = 2,

    /// <summary>Finished: the body returned, an exception escaped it, or it was closed (<c>GEN_CLOSED</c>).</summary>
    Closed = 3,
}
