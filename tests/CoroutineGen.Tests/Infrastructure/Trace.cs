namespace CoroutineGen.Tests.Infrastructure;

/// <summary>
/// The C# side of a twin test: a list of printed lines, with the same helpers as the Python prelude
/// (<c>describe</c>, <c>state</c>, <c>attempt</c>) so that both sides print the same thing for the same event.
/// </summary>
public sealed class Trace
{
    private readonly List<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>A <see cref="TextWriter"/> that appends each written line to the trace (for templates that print).</summary>
    public TextWriter Writer => new LineWriter(this);

    public void Print(string line) => _lines.Add(line);

    public void Print(object? value) => _lines.Add(Format(value));

    /// <summary>Calls <paramref name="action"/> and prints "label: ok" or "label: &lt;exception&gt;".</summary>
    public void Attempt(string label, Action action)
    {
        try
        {
            action();
            Print($"{label}: ok");
        }
        catch (Exception e)
        {
            Print($"{label}: {Describe(e)}");
        }
    }

    /// <summary>Calls <paramref name="func"/> and prints "label: ok result" or "label: &lt;exception&gt;".</summary>
    public void Attempt<T>(string label, Func<T> func)
    {
        try
        {
            var result = func();
            Print(result is null ? $"{label}: ok" : $"{label}: ok {Format(result)}");
        }
        catch (Exception e)
        {
            Print($"{label}: {Describe(e)}");
        }
    }

    /// <summary>
    /// Awaits what <paramref name="func"/> returns and prints "label: ok" or "label: &lt;exception&gt;" (an exception thrown
    /// before the task is returned counts too): the prelude's <c>aattempt</c>, for async coroutines.
    /// </summary>
    public async Task AttemptAsync(string label, Func<Task> func)
    {
        try
        {
            await func();
            Print($"{label}: ok");
        }
        catch (Exception e)
        {
            Print($"{label}: {Describe(e)}");
        }
    }

    /// <inheritdoc cref="AttemptAsync(string, Func{Task})"/>
    public Task AttemptAsync(string label, Func<ValueTask> func) => AttemptAsync(label, () => func().AsTask());

    /// <summary>
    /// Awaits what <paramref name="func"/> returns and prints "label: ok result" or "label: &lt;exception&gt;" (an async
    /// lambda that returns a value binds here).
    /// </summary>
    public async Task AttemptAsync<T>(string label, Func<ValueTask<T>> func)
    {
        try
        {
            var result = await func();
            Print(result is null ? $"{label}: ok" : $"{label}: ok {Format(result)}");
        }
        catch (Exception e)
        {
            Print($"{label}: {Describe(e)}");
        }
    }

    /// <summary>An exception as the Python prelude's <c>describe</c> writes it.</summary>
    public static string Describe(Exception e) => e switch
    {
        StopIterationException { Value: null } => "StopIteration",
        StopIterationException stop => $"StopIteration({Format(stop.Value)})",
        GeneratorExitException => "GeneratorExit",
        InvalidOperationException { Message: "coroutine ignored GeneratorExit" } => "RuntimeError: coroutine ignored GeneratorExit",
        InvalidOperationException { Message: "coroutine raised StopIteration", InnerException: { } inner } => $"RuntimeError: coroutine raised StopIteration (inner: {Describe(inner)})",
        InvalidOperationException { Message: "coroutine is already running" } => "ValueError: coroutine is already running",
        OperationCanceledException => "CancelledError",
        ArgumentException { ParamName: "value" } when e.Message.StartsWith("can't send a non-default value to a just-started coroutine", StringComparison.Ordinal)
            => "TypeError: can't send non-None value to a just-started generator",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    public static string State(CoroutineState state) => state.ToString();

    /// <summary>Values as Python's print writes them (True/False/None, floats like Python's repr where it matters).</summary>
    public static string Format(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        double d => FormatDouble(d),
        _ => value.ToString() ?? "None",
    };

    private static string FormatDouble(double d)
    {
        if (d == Math.Floor(d) && Math.Abs(d) < 1e16)
        {
            return d.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        }

        return d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class LineWriter : TextWriter
    {
        private readonly Trace _trace;
        private readonly System.Text.StringBuilder _line = new();

        public LineWriter(Trace trace) => _trace = trace;

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                _trace.Print(_line.ToString());
                _line.Clear();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }
}

/// <summary>Exceptions named like Python's, so that both traces describe them alike.</summary>
public sealed class ValueError(string message) : Exception(message);

public sealed class KeyError(string message) : Exception(message);

public sealed class TypeError(string message) : Exception(message);
