namespace CoroutineGen.Samples.Bridges;

/// <summary>
/// One request of the access log: what Python's <c>log_to_dicts</c> puts in a dict (the course's
/// <c>buses_to_dicts</c> makes one per bus). It is what crosses the bridges, and, as JSON, the process boundary.
/// </summary>
/// <param name="Host">The client's address.</param>
/// <param name="Time">The time of the request, as the log writes it.</param>
/// <param name="Method">GET, POST, HEAD, ...</param>
/// <param name="Path">The requested path.</param>
/// <param name="Status">The HTTP status code of the answer.</param>
/// <param name="Bytes">The size of the answer (0 where the log says <c>-</c>).</param>
public sealed record LogEntry(string Host, string Time, string Method, string Path, int Status, long Bytes);
