using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace CoroutineGen;

// The sources whose target is an IAsyncCoroutine<T> (an async template, or Coroutines.ToAsync of a synchronous one).
// They follow the rules of every source (see the Sources class), awaiting each SendAsync.
public static partial class Sources
{
    /// <summary>
    /// Sends every item of <paramref name="items"/> to the asynchronous <paramref name="target"/> as it arrives,
    /// awaiting each <see cref="IAsyncCoroutine{T}.SendAsync"/>, then closes the target.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="items">The input; its enumerator gets <paramref name="cancellationToken"/> and is disposed.</param>
    /// <param name="target">The first stage of the pipeline. It gets one item at a time: the next is sent once the
    /// previous <c>SendAsync</c> has completed.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and the task ends cancelled
    /// (<see cref="OperationCanceledException"/>). Checked before each send; each <c>SendAsync</c> gets it too (the
    /// target's <c>inbox.CancellationToken</c>).</param>
    /// <returns>The number of items the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <remarks>See <see cref="Sources"/> for what happens when the target finishes early or something throws.</remarks>
    public static Task<long> FromEnumerableAsync<T>(IAsyncEnumerable<T> items, IAsyncCoroutine<T> target, CancellationToken cancellationToken = default)
    {
        if (items is null)
        {
            throw new ArgumentNullException(nameof(items));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return DriveAsync(target, cancellationToken, async sender =>
        {
            await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (!await sender.DeliverAsync(item).ConfigureAwait(false))
                {
                    break;
                }
            }
        });
    }

    /// <summary>
    /// Sends every item of <paramref name="items"/> to the asynchronous <paramref name="target"/>, awaiting each
    /// <see cref="IAsyncCoroutine{T}.SendAsync"/>, then closes the target: <see cref="FromEnumerable{T}"/> for an
    /// <c>async</c> pipeline.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="items">The input, enumerated on the thread where each send completes; its enumerator is
    /// disposed.</param>
    /// <param name="target">The first stage of the pipeline. It gets one item at a time.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and the task ends cancelled
    /// (<see cref="OperationCanceledException"/>). Checked before each item is taken and before it is sent; each
    /// <c>SendAsync</c> gets it too.</param>
    /// <returns>The number of items the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <remarks>
    /// While the target completes its sends synchronously, the whole run is synchronous (the returned task is already
    /// complete). See <see cref="Sources"/> for what happens when the target finishes early or something throws.
    /// </remarks>
    public static Task<long> FromEnumerableAsync<T>(IEnumerable<T> items, IAsyncCoroutine<T> target, CancellationToken cancellationToken = default)
    {
        if (items is null)
        {
            throw new ArgumentNullException(nameof(items));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return DriveAsync(target, cancellationToken, async sender =>
        {
            using var enumerator = items.GetEnumerator();
            while (enumerator.MoveNext())
            {
                if (!await sender.DeliverAsync(enumerator.Current).ConfigureAwait(false))
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        });
    }

    /// <summary>
    /// Reads <paramref name="reader"/> until the channel is completed and empty, sending each item to the
    /// asynchronous <paramref name="target"/> and awaiting it, then closes the target.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="reader">The channel's reader.</param>
    /// <param name="target">The first stage of the pipeline. It gets one item at a time (never concurrently), so
    /// several producers can share one pipeline through the channel.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and the task ends cancelled
    /// (<see cref="OperationCanceledException"/>), also while waiting for the next item. Each <c>SendAsync</c> gets
    /// it too.</param>
    /// <returns>The number of items the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <remarks>
    /// A channel completed with an error (<c>writer.Complete(e)</c>) is an input error: after the items written
    /// before it, the target is closed and <c>e</c> propagates. See <see cref="Sources"/> for the other rules.
    /// </remarks>
    public static Task<long> FromChannelAsync<T>(ChannelReader<T> reader, IAsyncCoroutine<T> target, CancellationToken cancellationToken = default)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return DriveAsync(target, cancellationToken, async sender =>
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    if (!await sender.DeliverAsync(item).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
        });
    }

    /// <summary>
    /// Reads <paramref name="reader"/> to its end, sends each line (without its line terminator) to the
    /// asynchronous <paramref name="target"/>, awaiting each send, then closes the target: what
    /// <see cref="Follow(TextReader, ICoroutine{string}, CancellationToken)"/> does for a synchronous target.
    /// </summary>
    /// <param name="reader">The input; not disposed. Lines end with <c>\n</c>, <c>\r\n</c> or <c>\r</c>
    /// (<see cref="TextReader.ReadLineAsync()"/>); a last line without a terminator is sent too.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="cancellationToken">Aborts: the target is closed and the task ends cancelled
    /// (<see cref="OperationCanceledException"/>). Checked before each line is read and before it is sent; on .NET 8
    /// and later the read gets it too. Each <c>SendAsync</c> gets it.</param>
    /// <returns>The number of lines the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <remarks>See <see cref="Sources"/> for what happens when the target finishes early or something throws.</remarks>
    public static Task<long> FromLinesAsync(TextReader reader, IAsyncCoroutine<string> target, CancellationToken cancellationToken = default)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return DriveAsync(target, cancellationToken, sender => SendLinesAsync(reader, sender));
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end as text, sends each line (without its line terminator) to the
    /// asynchronous <paramref name="target"/>, awaiting each send, then closes the target.
    /// </summary>
    /// <param name="stream">The input; not disposed. It is decoded as UTF-8 unless it starts with a byte order mark
    /// of another Unicode encoding (UTF-16, UTF-32); the byte order mark is not sent. Lines end as for
    /// <see cref="FromLinesAsync(TextReader, IAsyncCoroutine{string}, CancellationToken)"/>.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="cancellationToken">Aborts, as for the <see cref="TextReader"/> overload.</param>
    /// <returns>The number of lines the target received.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read (thrown synchronously).</exception>
    /// <remarks>See <see cref="Sources"/> for what happens when the target finishes early or something throws.</remarks>
    public static Task<long> FromLinesAsync(Stream stream, IAsyncCoroutine<string> target, CancellationToken cancellationToken = default)
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

        return DriveAsync(target, cancellationToken, async sender =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: CharBufferSize, leaveOpen: true);
            await SendLinesAsync(reader, sender).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Follows a growing file like <c>tail -f</c>, without blocking a thread: sends each complete line to the
    /// asynchronous <paramref name="target"/>, awaiting each send, and waits with <see cref="Task.Delay(TimeSpan, CancellationToken)"/>
    /// between polls, until <paramref name="cancellationToken"/> is cancelled (then it closes the target and the task
    /// ends cancelled) or the target finishes (then it returns the count).
    /// </summary>
    /// <param name="path">The file. It is opened with <see cref="FileShare.ReadWrite"/> and
    /// <see cref="FileShare.Delete"/> before this method returns (so, with <see cref="FollowOptions.StartAtEnd"/>,
    /// every line appended after the call is sent), and closed when following ends.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="options">Where to start, poll interval and encoding; <c>null</c> for the defaults (all existing
    /// lines first, 100 ms, UTF-8).</param>
    /// <param name="cancellationToken">Stops following: the only way to stop it other than the target finishing.
    /// It also interrupts the wait between polls, and each <c>SendAsync</c> gets it.</param>
    /// <returns>The number of lines the target received, when the target finished.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <remarks>
    /// The same lines as <see cref="Follow(string, ICoroutine{string}, FollowOptions?, CancellationToken)"/>: a
    /// line ends with <c>\n</c> (a <c>\r</c> before it is removed); a partial last line is sent once its <c>\n</c>
    /// arrives, and dropped when following stops; a byte order mark at the start is skipped; a character whose
    /// bytes arrive in two writes is decoded correctly; a file that shrinks is read again from its start. A file
    /// that does not exist ends the task with <see cref="FileNotFoundException"/>, after the target was closed. See
    /// <see cref="Sources"/> for the other rules.
    /// </remarks>
    public static Task<long> FollowAsync(string path, IAsyncCoroutine<string> target, FollowOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return DriveAsync(target, cancellationToken, async sender =>
        {
            using var stream = new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, ByteBufferSize, useAsync: true);
            await FollowStreamAsync(stream, sender, options).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Follows a growing stream like <c>tail -f</c>, without blocking a thread: the same as
    /// <see cref="FollowAsync(string, IAsyncCoroutine{string}, FollowOptions?, CancellationToken)"/>, for a stream
    /// you opened.
    /// </summary>
    /// <param name="stream">The input; not disposed. Reading starts at its current position (or, with
    /// <see cref="FollowOptions.StartAtEnd"/>, at its end as it is when this method returns, if it can seek). It
    /// must return 0 from <c>ReadAsync</c> when it has nothing more for now, as a file does. Each read gets
    /// <paramref name="cancellationToken"/>.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="options">Where to start, poll interval and encoding; <c>null</c> for the defaults.</param>
    /// <param name="cancellationToken">Stops following (see the <c>path</c> overload).</param>
    /// <returns>The number of lines the target received, when the target finished.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read (thrown synchronously).</exception>
    public static Task<long> FollowAsync(Stream stream, IAsyncCoroutine<string> target, FollowOptions? options = null, CancellationToken cancellationToken = default)
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

        return DriveAsync(target, cancellationToken, sender => FollowStreamAsync(stream, sender, options));
    }

    /// <summary>
    /// Follows a growing text like <c>tail -f</c>, without blocking a thread: sends each complete line of
    /// <paramref name="reader"/> to the asynchronous <paramref name="target"/>, and when the reader has nothing more
    /// for now (its <c>ReadAsync</c> returns 0), waits <see cref="FollowOptions.PollInterval"/> and reads again,
    /// until <paramref name="cancellationToken"/> is cancelled or the target finishes.
    /// </summary>
    /// <param name="reader">The input; not disposed. A <see cref="StreamReader"/> over a growing file works; a
    /// reader whose end is final (a <see cref="StringReader"/>, a closed pipe) is polled until cancellation: read
    /// those to their end with <see cref="FromLinesAsync(TextReader, IAsyncCoroutine{string}, CancellationToken)"/>.
    /// On .NET 8 and later each read gets <paramref name="cancellationToken"/>.</param>
    /// <param name="target">The first stage of the pipeline.</param>
    /// <param name="options">The poll interval; <c>null</c> for the default (100 ms).
    /// <see cref="FollowOptions.StartAtEnd"/> and <see cref="FollowOptions.Encoding"/> do not apply: a reader cannot
    /// seek, and it decodes the text itself.</param>
    /// <param name="cancellationToken">Stops following: the target is closed and the task ends cancelled. It also
    /// interrupts the wait between polls, and each <c>SendAsync</c> gets it.</param>
    /// <returns>The number of lines the target received, when the target finished.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="target"/> is <c>null</c>
    /// (thrown synchronously).</exception>
    /// <remarks>
    /// Lines are those of the <c>path</c> overload: a line ends with <c>\n</c> (a <c>\r</c> before it is removed),
    /// and a partial last line is sent only once its <c>\n</c> arrives (it is dropped when following stops). Since
    /// the reader decodes, a character split between two writes is only decoded correctly if the reader handles that
    /// (<see cref="StreamReader"/> may not, at the end of a stream: prefer the <see cref="Stream"/> overload for
    /// files). A shrinking input cannot be detected through a reader.
    /// </remarks>
    public static Task<long> FollowAsync(TextReader reader, IAsyncCoroutine<string> target, FollowOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (reader is null)
        {
            throw new ArgumentNullException(nameof(reader));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return DriveAsync(target, cancellationToken, sender => FollowReaderAsync(reader, sender, options));
    }

    /// <summary>
    /// The frame of every source with an asynchronous target: checks the token, runs <paramref name="produce"/>
    /// (which returns at the end of its input or when the target finished), closes the target after a failure or at
    /// the end, and returns the count. The close gets no token: it is the clean-up, and must run even after
    /// cancellation.
    /// </summary>
    private static async Task<long> DriveAsync<T>(IAsyncCoroutine<T> target, CancellationToken cancellationToken, Func<AsyncSender<T>, Task> produce)
    {
        var sender = new AsyncSender<T>(target, cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await produce(sender).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            await AsyncDelivery.CloseAfterFailureAsync(target, failure).ConfigureAwait(false);
            throw;
        }

        await target.CloseAsync().ConfigureAwait(false);
        return sender.Count;
    }

    private static async Task SendLinesAsync(TextReader reader, AsyncSender<string> sender)
    {
        var cancellationToken = sender.CancellationToken;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
#if NET8_0_OR_GREATER
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
#else
            var line = await reader.ReadLineAsync().ConfigureAwait(false);
#endif
            if (line is null || !await sender.DeliverAsync(line).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>The polling loop of <c>FollowAsync</c> on a stream: returns when the target finished, throws on cancellation.</summary>
    /// <remarks>Decodes with its own decoder, never flushed, as the synchronous <c>FollowStream</c> does.</remarks>
    private static async Task FollowStreamAsync(Stream stream, AsyncSender<string> sender, FollowOptions? options)
    {
        options ??= new FollowOptions();
        if (options.StartAtEnd && stream.CanSeek)
        {
            stream.Seek(0, SeekOrigin.End);
        }

        var cancellationToken = sender.CancellationToken;
        var decoder = (options.Encoding ?? Encoding.UTF8).GetDecoder();
        var bytes = new byte[ByteBufferSize];
        var chars = new char[CharBufferSize];
        var lines = new LineSplitter(skipByteOrderMark: !stream.CanSeek || stream.Position == 0);

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
#if NET8_0_OR_GREATER
            int read = await stream.ReadAsync(bytes.AsMemory(), cancellationToken).ConfigureAwait(false);
#else
            int read = await stream.ReadAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
#endif
            if (read == 0)
            {
                if (stream.CanSeek && stream.Length < stream.Position)
                {
                    // Truncated: start again from the top, as tail -f does.
                    stream.Seek(0, SeekOrigin.Begin);
                    decoder.Reset();
                    lines.Restart(skipByteOrderMark: true);
                    continue;
                }

                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            int byteIndex = 0;
            while (byteIndex < read)
            {
                decoder.Convert(bytes, byteIndex, read - byteIndex, chars, 0, chars.Length, flush: false, out int bytesUsed, out int charsUsed, out _);
                byteIndex += bytesUsed;
                if (!await sender.DeliverAllAsync(lines.Split(chars, charsUsed)).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    /// <summary>The polling loop of <c>FollowAsync</c> on a reader: returns when the target finished, throws on cancellation.</summary>
    private static async Task FollowReaderAsync(TextReader reader, AsyncSender<string> sender, FollowOptions? options)
    {
        var pollInterval = options?.PollInterval ?? FollowOptions.DefaultPollInterval;
        var cancellationToken = sender.CancellationToken;
        var chars = new char[CharBufferSize];
        var lines = new LineSplitter(skipByteOrderMark: false);

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
#if NET8_0_OR_GREATER
            int read = await reader.ReadAsync(chars.AsMemory(), cancellationToken).ConfigureAwait(false);
#else
            int read = await reader.ReadAsync(chars, 0, chars.Length).ConfigureAwait(false);
#endif
            if (read == 0)
            {
                await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!await sender.DeliverAllAsync(lines.Split(chars, read)).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Sends to an asynchronous target for a source, and counts what it received.</summary>
    private sealed class AsyncSender<T>
    {
        private readonly IAsyncCoroutine<T> _target;

        public AsyncSender(IAsyncCoroutine<T> target, CancellationToken cancellationToken)
        {
            _target = target;
            CancellationToken = cancellationToken;
        }

        public CancellationToken CancellationToken { get; }

        /// <summary>The number of values the target received (including the one during which it finished).</summary>
        public long Count { get; private set; }

        /// <summary>
        /// Checks the token, then sends <paramref name="value"/> and awaits it; returns <c>false</c> when the source
        /// should stop because the target is finished.
        /// </summary>
        public async ValueTask<bool> DeliverAsync(T value)
        {
            CancellationToken.ThrowIfCancellationRequested();
            var result = await AsyncDelivery.SendAsync(_target, value, CancellationToken).ConfigureAwait(false);
            if (result != DeliveryResult.TargetFinished)
            {
                Count++;
            }

            return result == DeliveryResult.Delivered;
        }

        /// <summary>Delivers <paramref name="values"/> in order, until the target finishes (then <c>false</c>).</summary>
        public async ValueTask<bool> DeliverAllAsync(List<T> values)
        {
            foreach (var value in values)
            {
                if (!await DeliverAsync(value).ConfigureAwait(false))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Cuts the text of a followed input into complete lines: a line ends with <c>\n</c> and loses a <c>\r</c>
    /// before it; the text after the last <c>\n</c> waits for the rest of its line.
    /// </summary>
    private sealed class LineSplitter
    {
        private readonly StringBuilder _pending = new();
        private readonly List<string> _lines = new();
        private bool _skipByteOrderMark;

        public LineSplitter(bool skipByteOrderMark) => _skipByteOrderMark = skipByteOrderMark;

        /// <summary>Forgets the partial line: the input starts again (after a truncation).</summary>
        public void Restart(bool skipByteOrderMark)
        {
            _pending.Clear();
            _skipByteOrderMark = skipByteOrderMark;
        }

        /// <summary>
        /// Adds the first <paramref name="count"/> characters of <paramref name="chars"/> and returns the lines they
        /// complete, in order (the list is reused by the next call).
        /// </summary>
        public List<string> Split(char[] chars, int count)
        {
            _lines.Clear();
            int start = 0;
            if (_skipByteOrderMark && count > 0)
            {
                _skipByteOrderMark = false;
                if (chars[0] == '\uFEFF')
                {
                    start = 1;
                }
            }

            for (int i = start; i < count; i++)
            {
                if (chars[i] != '\n')
                {
                    continue;
                }

                _pending.Append(chars, start, i - start);
                start = i + 1;
                int length = _pending.Length;
                if (length > 0 && _pending[length - 1] == '\r')
                {
                    length--;
                }

                _lines.Add(_pending.ToString(0, length));
                _pending.Clear();
            }

            _pending.Append(chars, start, count - start);
            return _lines;
        }
    }
}
