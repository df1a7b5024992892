using System.Globalization;

namespace CoroutineGen.LspCheck;

/// <summary>One row of the result table.</summary>
internal sealed record Row(string Check, bool Passed, string Time, string Detail);

/// <summary>The rows so far, printed as a Markdown table (to paste into docs/contributing/tests.md).</summary>
internal sealed class Report
{
    private readonly List<Row> _rows = [];

    public IReadOnlyList<Row> Rows => _rows;

    public bool AllPassed => _rows.All(r => r.Passed);

    public Row Add(Row row)
    {
        _rows.Add(row);
        Console.WriteLine($"  {(row.Passed ? "PASS" : "FAIL")}  {row.Check}  ({row.Time})");
        if (!row.Passed)
        {
            Console.WriteLine($"        {row.Detail.Replace("\n", "\n        ", StringComparison.Ordinal)}");
        }

        return row;
    }

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s";

    public void Print(TextWriter output)
    {
        output.WriteLine("| check | result | time |");
        output.WriteLine("| --- | --- | --- |");
        foreach (var row in _rows)
        {
            output.WriteLine($"| {Cell(row.Check)} | {(row.Passed ? "pass" : "**FAIL**")} | {Cell(row.Time)} |");
        }

        output.WriteLine();
        output.WriteLine("Details:");
        foreach (var row in _rows)
        {
            output.WriteLine($"* {row.Check}: {row.Detail.Replace("\n", "\n  ", StringComparison.Ordinal)}");
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
