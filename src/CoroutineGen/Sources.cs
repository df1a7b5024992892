using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace CoroutineGen;

/// <summary>
/// Sources: plain methods (not coroutines) that drive a pipeline by sending values into its first stage, as the
/// sources in Beazley's course do.
/// </summary>
/// <remarks>
/// <para>Every source follows the same rules:</para>
/// <list type="bullet">
/// <item><description>It <b>closes its target</b> when it stops (end of input, cancellation, or an error), as a
/// source should (Beazley's slide 36), so sinks run their <c>catch (GeneratorExitException)</c> clean-up.</description></item>
/// <item><description>Every source takes an optional <see cref="CancellationToken"/>, its last parameter.
/// <b>Cancellation is an abort</b>, as everywhere in .NET: the source sends nothing more (not even a value it has
/// already read), closes the target, and throws <see cref="OperationCanceledException"/> carrying the token (a
/// task-returning source ends <see cref="TaskStatus.Canceled"/>). A token that is already cancelled reads
/// nothing. The token is checked before each value is sent, so cancellation works even when the input ignores
/// it; a read that blocks (a pipe, a console) is not interrupted.</description></item>
/// <item><description>It <b>stops early, without an error, when the target finishes</b> (the target's <c>Send</c>
/// throws <see cref="StopIterationException"/> because its body returned): the consumer has had enough, like
/// <c>head</c> at the end of a shell pipeline. Nothing more is read.</description></item>
/// <item><description>It returns the number of values the target received (including the one during which the
/// target finished).</description></item>
/// <item><description>An exception from the input or from the target (or the cancellation) propagates unchanged,
/// after the target was closed. A target whose <c>Send</c> threw is already finished, so that close does nothing;
/// an input failure (say an <see cref="IOException"/>) leaves a live target, and closing it lets the pipeline
/// clean up. If that
/// close fails too, both errors leave together as an <see cref="AggregateException"/> (input error first). A
/// target that is running (the source was called from inside it) cannot be closed and is left alone.</description></item>
/// <item><description>Invalid arguments (<see cref="ArgumentNullException"/>) are reported before anything happens:
/// the target is not closed then.</description></item>
/// <item><description>Sources do not own their input: readers, streams and enumerables are not disposed
/// (enumerators are, and so is a file a source opens from a path).</description></item>
/// <item><description>The target may be any <see cref="ICoroutine{T}"/>, a two-way
/// <see cref="ICoroutine{TIn, TOut}"/> included: the values it yields back are ignored.</description></item>
/// <item><description>The overloads whose target is an <see cref="IAsyncCoroutine{T}"/> (an <c>async</c>
/// template, or <see cref="Coroutines.ToAsync{T}"/> of a synchronous one) return a task and follow the same rules,
/// awaiting each <c>SendAsync</c> before the next, so the target gets one value at a time. Each <c>SendAsync</c>
/// gets the source's token (the target's <c>inbox.CancellationToken</c>); the final <c>CloseAsync</c> gets none, so
/// that the target's clean-up runs even after cancellation.</description></item>
/// </list>
/// </remarks>
public static partial class Sources
{
    private const int ByteBufferSize = 4096;
    private const int CharBufferSize = 4096;

    /// <summary>
    /// Reads <paramref name="reader"/> to its end, sends each line (without its line terminator) to
    /// <paramref name="target"/>, then closes the target.
    /// </summary>
    /// <param name="reader">The input; not disposed. Lines end with <c>\n</c>, <c>\r\n</c> or <c>\r</c>
    /// (<see cref="TextReader.ReadLine"/>); a last line without a terminator is sent too.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and <see cref="OperationCanceledException"/>
    /// is thrown. Checked before each line is read and before it is sent; a <c>ReadLine</c> that blocks is not
    /// interrupted.</param>
    /// <returns>The number of lines the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the target
    /// is closed first).</exception>
    /// <remarks>See <see cref="Sources"/> for what happens when the target finishes early or something throws.</remarks>
    public static long Follow(TextReader reader, ICoroutine<string> target, CancellationToken cancellationToken = default)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        long count = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var line = reader.ReadLine();
                if (line is null)
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (!Deliver(target, line, ref count))
                {
                    break;
                }
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

    /// <summary>
    /// Follows a growing file like <c>tail -f</c>: sends each complete line to <paramref name="target"/>, polling
    /// for new ones, until <paramref name="cancellationToken"/> is cancelled (then it closes the target and throws
    /// <see cref="OperationCanceledException"/>) or the target finishes (then it closes nothing more and returns).
    /// Blocks the calling thread.
    /// </summary>
    /// <param name="path">The file. It is opened with <see cref="FileShare.ReadWrite"/> and
    /// <see cref="FileShare.Delete"/>, so writers can keep appending (and rotate it) while it is followed; it is
    /// closed when the method ends.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="options">Where to start, poll interval and encoding; <c>null</c> for the defaults (all existing
    /// lines first, 100 ms, UTF-8).</param>
    /// <param name="cancellationToken">Stops following: the only way to stop it other than the target finishing
    /// (with the default token it follows until then). A token that is already cancelled reads nothing.</param>
    /// <returns>The number of lines the target received, when it returns because the target finished.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist (the target is closed first).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled: the normal
    /// way a follow ends (the target is closed first).</exception>
    /// <remarks>
    /// <para>A line ends with <c>\n</c>; a <c>\r</c> before it is removed (<c>\r\n</c> files work). A partial last
    /// line is sent only once its <c>\n</c> arrives; when following stops (cancellation, or the target finished)
    /// a partial line still waiting for its <c>\n</c> is dropped, since the writer may be in the middle of writing
    /// it. After cancellation is requested no further line is sent, even one already read.</para>
    /// <para>If the file shrinks (truncated by a log rotation that copies and truncates), reading starts again at
    /// its beginning, as <c>tail -f</c> does. A file that is renamed and replaced is not reopened: like
    /// <c>tail -f</c> (not <c>tail -F</c>), this follows the file it opened.</para>
    /// <para>A console program stops it with Ctrl+C like this:</para>
    /// <code>
    /// using var cts = new CancellationTokenSource();
    /// Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
    /// try
    /// {
    ///     Sources.Follow("access.log", LogPipelines.Grep("python", printer), cancellationToken: cts.Token);
    /// }
    /// catch (OperationCanceledException) when (cts.IsCancellationRequested)
    /// {
    ///     // Ctrl+C: grep was closed
    /// }
    /// </code>
    /// </remarks>
    public static long Follow(string path, ICoroutine<string> target, FollowOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        long count;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stream = new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 4096);
            count = FollowStream(stream, target, cancellationToken, options);
        }
        catch (Exception failure)
        {
            Delivery.CloseAfterFailure(target, failure);
            throw;
        }

        target.Close();
        return count;
    }

    /// <summary>
    /// Follows a growing stream like <c>tail -f</c>: the same as
    /// <see cref="Follow(string, ICoroutine{string}, FollowOptions?, CancellationToken)"/>, for a stream you opened
    /// (say a <see cref="FileStream"/> with your own sharing options).
    /// </summary>
    /// <param name="stream">The input; not disposed. Reading starts at its current position (or at its end with
    /// <see cref="FollowOptions.StartAtEnd"/>, if it can seek). It must return 0 from <c>Read</c> when it has
    /// nothing more for now, as a file does; a stream whose <c>Read</c> blocks (a pipe, a socket) only notices
    /// cancellation when data arrives: read such streams with
    /// <see cref="Follow(TextReader, ICoroutine{string}, CancellationToken)"/>.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="options">Where to start, poll interval and encoding; <c>null</c> for the defaults.</param>
    /// <param name="cancellationToken">Stops following (see the <c>path</c> overload).</param>
    /// <returns>The number of lines the target received, when it returns because the target finished.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the target
    /// is closed first).</exception>
    public static long Follow(Stream stream, ICoroutine<string> target, FollowOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        long count;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            count = FollowStream(stream, target, cancellationToken, options);
        }
        catch (Exception failure)
        {
            Delivery.CloseAfterFailure(target, failure);
            throw;
        }

        target.Close();
        return count;
    }

    /// <summary>Sends every item of <paramref name="items"/> to <paramref name="target"/>, then closes the target.</summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="items">The input; its enumerator is disposed.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and <see cref="OperationCanceledException"/>
    /// is thrown. Checked before each item is taken and before it is sent.</param>
    /// <returns>The number of items the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="target"/> is <c>null</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the target
    /// is closed first).</exception>
    /// <remarks>See <see cref="Sources"/> for what happens when the target finishes early or something throws.</remarks>
    public static long FromEnumerable<T>(IEnumerable<T> items, ICoroutine<T> target, CancellationToken cancellationToken = default)
    {
        if (items is null)
        {
            throw new ArgumentNullException(nameof(items));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        long count = 0;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var enumerator = items.GetEnumerator();
            while (enumerator.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!Deliver(target, enumerator.Current, ref count))
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

    /// <summary>
    /// Sends every item of <paramref name="items"/> to <paramref name="target"/> as it arrives, then closes the
    /// target: the asynchronous counterpart of <see cref="FromEnumerable{T}"/>.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="items">The input; its enumerator gets <paramref name="cancellationToken"/> and is disposed.</param>
    /// <param name="target">The first stage of the pipeline. It is sent to from whatever thread the enumerator
    /// resumes on, one item at a time (never concurrently).</param>
    /// <param name="cancellationToken">Aborts: the target is closed and the task ends cancelled
    /// (<see cref="OperationCanceledException"/>). It is also checked before each send, so an enumerator that
    /// ignores it still stops.</param>
    /// <returns>The number of items the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <remarks>See <see cref="Sources"/> for what happens when the target finishes early or something throws.</remarks>
    public static Task<long> FromEnumerableAsync<T>(IAsyncEnumerable<T> items, ICoroutine<T> target, CancellationToken cancellationToken = default)
    {
        if (items is null)
        {
            throw new ArgumentNullException(nameof(items));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return FromEnumerableCoreAsync(items, target, cancellationToken);
    }

    /// <summary>
    /// Reads <paramref name="reader"/> until the channel is completed and empty, sending each item to
    /// <paramref name="target"/>, then closes the target: the receiving end of a bridge from other threads or
    /// <c>async</c> producers into a synchronous pipeline, which then runs on one thread at a time.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="reader">The channel's reader.</param>
    /// <param name="target">The first stage of the pipeline. It is sent to from whatever thread the read resumes
    /// on, one item at a time (never concurrently), so several producers can share one pipeline safely through the
    /// channel (sending to it directly from several threads would fail with "coroutine is already running").</param>
    /// <param name="cancellationToken">Aborts: the target is closed and the task ends cancelled
    /// (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The number of items the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <remarks>
    /// A channel completed with an error (<c>writer.Complete(e)</c>) is an input error: after the items written
    /// before it, the target is closed and <c>e</c> propagates. See <see cref="Sources"/> for the other rules.
    /// </remarks>
    public static Task<long> FromChannelAsync<T>(ChannelReader<T> reader, ICoroutine<T> target, CancellationToken cancellationToken = default)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return FromChannelCoreAsync(reader, target, cancellationToken);
    }

    private static async Task<long> FromEnumerableCoreAsync<T>(IAsyncEnumerable<T> items, ICoroutine<T> target, CancellationToken cancellationToken)
    {
        long count = 0;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!Deliver(target, item, ref count))
                {
                    break;
                }
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

    private static async Task<long> FromChannelCoreAsync<T>(ChannelReader<T> reader, ICoroutine<T> target, CancellationToken cancellationToken)
    {
        long count = 0;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more = true;
            while (more && await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!Deliver(target, item, ref count))
                    {
                        more = false;
                        break;
                    }
                }
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

    /// <summary>Sends one value; returns <c>false</c> when the source should stop because the target is finished.</summary>
    private static bool Deliver<T>(ICoroutine<T> target, T value, ref long count)
    {
        switch (Delivery.Send(target, value))
        {
            case DeliveryResult.Delivered:
                count++;
                return true;
            case DeliveryResult.DeliveredAndFinished:
                count++;
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// The polling loop of the follow mode: runs until the target finishes (returns the count) or until
    /// cancellation (throws <see cref="OperationCanceledException"/>).
    /// </summary>
    /// <remarks>
    /// It decodes with its own <see cref="Decoder"/> that is never flushed: <see cref="StreamReader"/> flushes its
    /// decoder whenever the stream reports its end, which would turn a character whose bytes arrive in two writes
    /// into U+FFFD.
    /// </remarks>
    private static long FollowStream(Stream stream, ICoroutine<string> target, CancellationToken cancellationToken, FollowOptions? options)
    {
        options ??= new FollowOptions();
        if (options.StartAtEnd && stream.CanSeek)
        {
            stream.Seek(0, SeekOrigin.End);
        }

        var decoder = (options.Encoding ?? Encoding.UTF8).GetDecoder();
        var bytes = new byte[ByteBufferSize];
        var chars = new char[CharBufferSize];
        var pending = new StringBuilder();
        int pollMilliseconds = (int)Math.Ceiling(options.PollInterval.TotalMilliseconds);
        bool atStartOfData = !stream.CanSeek || stream.Position == 0;
        long count = 0;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int read = stream.Read(bytes, 0, bytes.Length);
            if (read == 0)
            {
                if (stream.CanSeek && stream.Length < stream.Position)
                {
                    // Truncated: start again from the top, as tail -f does.
                    stream.Seek(0, SeekOrigin.Begin);
                    decoder.Reset();
                    pending.Clear();
                    atStartOfData = true;
                    continue;
                }

                // Woken early by cancellation; the check at the top of the loop throws.
                cancellationToken.WaitHandle.WaitOne(pollMilliseconds);
                continue;
            }

            int byteIndex = 0;
            while (byteIndex < read)
            {
                decoder.Convert(bytes, byteIndex, read - byteIndex, chars, 0, chars.Length, flush: false, out int bytesUsed, out int charsUsed, out _);
                byteIndex += bytesUsed;
                int start = 0;
                if (atStartOfData && charsUsed > 0)
                {
                    atStartOfData = false;
                    if (chars[0] == '\uFEFF')
                    {
                        start = 1; // byte order mark
                    }
                }

                for (int i = start; i < charsUsed; i++)
                {
                    if (chars[i] != '\n')
                    {
                        continue;
                    }

                    pending.Append(chars, start, i - start);
                    start = i + 1;
                    int length = pending.Length;
                    if (length > 0 && pending[length - 1] == '\r')
                    {
                        length--;
                    }

                    string line = pending.ToString(0, length);
                    pending.Clear();
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!Deliver(target, line, ref count))
                    {
                        return count;
                    }
                }

                pending.Append(chars, start, charsUsed - start);
            }
        }
    }
}
