using System.Collections.Generic;
using System.Text;

namespace CoroutineGen.Generators.Emit;

/// <summary>A text writer that indents: the emitter writes lines, this keeps the braces lined up.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();

    public int Indent { get; set; }

    public string IndentText => Indentation(Indent);

    /// <summary>The indentations made so far, by level: one string per level, not one per line.</summary>
    private readonly List<string> _indentations = new();

    private string Indentation(int level)
    {
        while (_indentations.Count <= level)
        {
            _indentations.Add(new string(' ', _indentations.Count * 4));
        }

        return _indentations[level];
    }

    /// <summary>Set after a mapped user statement: the next generated line is preceded by <c>#line hidden</c>.</summary>
    public bool HidePending { get; set; }

    private void HideIfPending()
    {
        if (HidePending)
        {
            HidePending = false;
            _text.Append("#line hidden\n");
        }
    }

    public SourceWriter Line(string line = "")
    {
        HideIfPending();
        if (line.Length == 0)
        {
            _text.Append('\n');
        }
        else
        {
            _text.Append(IndentText).Append(line).Append('\n');
        }

        return this;
    }

    /// <summary>A preprocessor directive, always at column 0.</summary>
    public SourceWriter Directive(string directive)
    {
        if (directive.StartsWith("#line", System.StringComparison.Ordinal))
        {
            HidePending = false;
        }

        _text.Append(directive).Append('\n');
        return this;
    }

    /// <summary>Text whose first line is indented and whose other lines are written as they are (user code keeps its layout).</summary>
    public SourceWriter Raw(string text)
    {
        _text.Append(IndentText).Append(text.Replace("\r\n", "\n")).Append('\n');
        return this;
    }

    /// <summary>Generated multi-line text: every line indented.</summary>
    public SourceWriter Lines(string text)
    {
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    public SourceWriter Open(string line)
    {
        Line(line);
        Line("{");
        Indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        Indent--;
        Line("}" + suffix);
        return this;
    }

    public override string ToString() => _text.ToString();
}
