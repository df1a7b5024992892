using System.Text;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// A <see cref="TextWriter"/> that collects written lines and can be read while another thread writes to it (the
/// <c>--follow</c> tests read the output of a pipeline that is still running).
/// </summary>
public sealed class LineCollector : TextWriter
{
    private readonly object _gate = new();
    private readonly List<string> _lines = new();
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The complete lines written so far, plus a last line without its newline, if any.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                var lines = new List<string>(_lines);
                if (_line.Length > 0)
                {
                    lines.Add(_line.ToString());
                }

                return lines;
            }
        }
    }

    /// <summary>Everything written, as one string with <c>\n</c> newlines.</summary>
    public string Text => string.Concat(Lines.Select(line => line + "\n"));

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Add(_line.ToString());
                _line.Clear();
                Monitor.PulseAll(_gate);
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }

    /// <summary>Waits until the complete lines satisfy <paramref name="condition"/>; fails the test after <paramref name="timeout"/>.</summary>
    public void WaitUntil(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (!condition(_lines))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}; output so far:\n{string.Join("\n", _lines)}");
                }

                Monitor.Wait(_gate, left);
            }
        }
    }
}
