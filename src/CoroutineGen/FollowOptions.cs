using System;
using System.Text;

namespace CoroutineGen;

/// <summary>
/// Options for the follow mode (<c>tail -f</c>) of
/// <see cref="Sources.Follow(string, ICoroutine{string}, FollowOptions?, System.Threading.CancellationToken)"/>.
/// </summary>
public sealed class FollowOptions
{
    private TimeSpan _pollInterval = DefaultPollInterval;

    /// <summary>The default <see cref="PollInterval"/>: 100 ms, as in Beazley's <c>follow</c>.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// <c>false</c> (the default): send the lines already in the file first, then the new ones. <c>true</c>: start
    /// at the current end, like Beazley's <c>follow</c> (which seeks to the end), and send only what is appended
    /// afterwards. If the file ends in the middle of a line at that moment, the rest of that line arrives as a line
    /// of its own.
    /// </summary>
    /// <remarks>A stream that cannot seek is always read from its current position.</remarks>
    public bool StartAtEnd { get; set; }

    /// <summary>How long to wait before looking again once everything written so far has been read. Default 100 ms.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero, a negative value, or more than
    /// <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan PollInterval
    {
        get => _pollInterval;
        set
        {
            if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, "The poll interval must be positive and at most int.MaxValue milliseconds.");
            }

            _pollInterval = value;
        }
    }

    /// <summary>
    /// The text encoding, or <c>null</c> (the default) for UTF-8. A byte order mark (U+FEFF in this encoding) at
    /// the start of the file is skipped; it does not select another encoding, so set this for UTF-16 files.
    /// </summary>
    public Encoding? Encoding { get; set; }
}
