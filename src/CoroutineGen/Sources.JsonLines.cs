using System;
using System.IO;
using System.Text.Json;
using System.Threading;

namespace CoroutineGen;

public static partial class Sources
{
    /// <summary>
    /// Reads <paramref name="reader"/> to its end, one JSON value per line (JSON Lines), sends each value to
    /// <paramref name="target"/>, then closes the target: the receiving end of a process bridge
    /// (<see cref="Sinks.ToChildProcess{T}"/>), where the child reads its standard input with
    /// <c>Sources.FromJsonLines(Console.In, target)</c>, and Beazley's <c>recvfrom</c>.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="reader">The input; not disposed. Lines end with <c>\n</c> or <c>\r\n</c>.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="options">How to read the JSON (property names, converters); <c>null</c> for the defaults of
    /// <see cref="JsonSerializer"/>. Use the same options as the writing side.</param>
    /// <param name="cancellationToken">Checked before each line is read and after each value is sent: when it is
    /// cancelled, the target is closed and <see cref="OperationCanceledException"/> is thrown, as by every source. A
    /// read that is waiting for its line (a pipe that stays open) is not interrupted.</param>
    /// <returns>The number of values the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="JsonException">A line is not valid JSON for <typeparamref name="T"/> (an empty line
    /// neither): the message names the line, and <see cref="JsonException.LineNumber"/> is its zero-based number.
    /// The values before it were sent, and the target is closed.</exception>
    /// <remarks>
    /// The end of the input is the end of the stream: the writer closed it (a parent closing the pipe, or exiting).
    /// A JSON <c>null</c> is sent as <c>null</c>, or is an error for a value type. See <see cref="Sources"/> for
    /// what happens when the target finishes early or throws.
    /// </remarks>
    public static long FromJsonLines<T>(TextReader reader, ICoroutine<T> target, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        options ??= JsonSerializerOptions.Default;
        long count = 0;
        try
        {
            long lineNumber = 0;
            string? line;
            cancellationToken.ThrowIfCancellationRequested();
            while ((line = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if (!Deliver(target, JsonLines.Deserialize<T>(line, lineNumber, options), ref count))
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (Exception failure)
        {
            Delivery.CloseAfterFailure(target, failure);
            throw;
        }

        target.Close();
        return count;
    }
}
