using System;
using System.IO;
using System.Text.Json;

namespace CoroutineGen;

public static partial class Sinks
{
    /// <summary>
    /// Creates a sink that writes each value to <paramref name="writer"/> as one line of JSON (JSON Lines), for a
    /// program at the other end of a file, pipe or socket to read back with
    /// <see cref="Sources.FromJsonLines{T}"/> (Beazley's <c>sendto</c>, with JSON instead of pickle).
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="writer">Where the lines go. Each line ends with <c>\n</c> and is flushed at once, so the reader
    /// gets each value as soon as it is sent.</param>
    /// <param name="options">How to write the JSON (property names, converters); <c>null</c> for the defaults of
    /// <see cref="JsonSerializer"/>.</param>
    /// <param name="leaveOpen">Whether closing the sink leaves <paramref name="writer"/> open. By default closing
    /// the sink disposes the writer, so that the reader sees the end of its input.</param>
    /// <returns>A primed (<see cref="CoroutineState.Suspended"/>) sink.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <c>null</c>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has <c>WriteIndented</c> set: a value would
    /// not fit on one line.</exception>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description><c>Send(v)</c> writes <c>v</c>'s JSON and <c>\n</c>, and flushes. An exception from the
    /// serializer (a type it cannot write) or from the writer finishes the sink and propagates; the writer is then
    /// disposed (unless <paramref name="leaveOpen"/>).</description></item>
    /// <item><description><c>Close()</c> flushes and disposes the writer (unless
    /// <paramref name="leaveOpen"/>).</description></item>
    /// <item><description><c>Throw(e)</c> is not handled, as for every sink: <c>e</c> propagates and the sink is
    /// finished. The writer is disposed all the same (unless <paramref name="leaveOpen"/>).</description></item>
    /// </list>
    /// </remarks>
    public static ICoroutine<T> ToJsonLines<T>(TextWriter writer, JsonSerializerOptions? options = null, bool leaveOpen = false)
    {
        if (writer is null)
        {
            throw new ArgumentNullException(nameof(writer));
        }

        return new JsonLinesSink<T>(writer, JsonLines.ForWriting(options, nameof(options)), leaveOpen);
    }

    private sealed class JsonLinesSink<T> : PushCoroutine<T>
    {
        private readonly TextWriter _writer;
        private readonly JsonSerializerOptions _options;
        private readonly bool _leaveOpen;

        public JsonLinesSink(TextWriter writer, JsonSerializerOptions options, bool leaveOpen)
        {
            _writer = writer;
            _options = options;
            _leaveOpen = leaveOpen;
        }

        protected override void OnSend(T value)
        {
            try
            {
                _writer.Write(JsonLines.Serialize(value, _options));
                _writer.Write('\n');
                _writer.Flush();
            }
            catch
            {
                Release(failed: true);
                throw;
            }
        }

        protected override void OnThrow(Exception exception)
        {
            Release(failed: false);
            base.OnThrow(exception);
        }

        protected override void OnClose()
        {
            _writer.Flush();
            Release(failed: false);
        }

        private void Release(bool failed)
        {
            if (_leaveOpen)
            {
                return;
            }

            try
            {
                _writer.Dispose();
            }
            catch (Exception) when (failed)
            {
                // Disposing flushes what the failed write left in the buffer, and fails the same way: the error that
                // is propagating already says so.
            }
        }
    }
}
