using System.Globalization;
using Gaze.Evaluation;

namespace Gaze.Reporting;

/// <summary>
/// The methods-by-metrics table of an evaluation as text cells: one model for the terminal table, the HTML report
/// and <c>evaluation.md</c>. Methods come first, then the baselines; a figure's header carries an arrow saying which
/// direction is better; the sanity verdict and the time per image close each row.
/// </summary>
/// <param name="Figures">The figures shown, in order.</param>
/// <param name="Headers">Column headers: the row name, the figures, then "sanity" (if checked) and "ms/image".</param>
/// <param name="Rows">Each row with its cells (the name first), methods before baselines.</param>
public sealed record EvaluationTable(IReadOnlyList<string> Figures, IReadOnlyList<string> Headers, IReadOnlyList<(ScoreRow Row, IReadOnlyList<string> Cells)> Rows)
{
    /// <summary>The table of <paramref name="result"/>, limited to <paramref name="figures"/> (default: every measured one).</summary>
    public static EvaluationTable Of(EvaluationResult result, IReadOnlyList<string>? figures = null)
    {
        var rows = result.Methods.Concat(result.Baselines).ToList();
        var shown = (figures ?? EvaluationMetrics.Figures).Where(f => rows.Any(r => r.Figures.ContainsKey(f))).ToList();
        bool sanity = result.Sanity.Count > 0;
        var headers = new List<string> { "method" };
        headers.AddRange(shown.Select(f => $"{f} {(EvaluationMetrics.HigherIsBetter(f) ? "↑" : "↓")}"));
        if (sanity) headers.Add("sanity");
        headers.Add("ms/image");
        var cells = rows.Select((row, index) =>
        {
            var line = new List<string> { row.IsBaseline ? $"{row.Name} (baseline)" : row.Name };
            line.AddRange(shown.Select(f => row.Figures.TryGetValue(f, out double v) ? v.ToString("F3", CultureInfo.InvariantCulture) : ""));
            if (sanity)
            {
                line.Add(index < result.Sanity.Count
                    ? $"{result.Sanity[index].Verdict.ToString().ToLowerInvariant()} ({result.Sanity[index].Cascade[result.Sanity[index].VerdictStep - 1].SpearmanAbs.ToString("F2", CultureInfo.InvariantCulture)})"
                    : "");
            }
            line.Add(row.Milliseconds is double ms ? ms.ToString("F1", CultureInfo.InvariantCulture) : "");
            return (row, (IReadOnlyList<string>)line);
        }).ToList();
        return new EvaluationTable(shown, headers, cells);
    }

    /// <summary>The table in GitHub Markdown, the best method of each figure in bold.</summary>
    public string ToMarkdown(IReadOnlyList<ScoreRow> methods)
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", Headers) + " |",
            "| " + string.Join(" | ", Headers.Select((_, i) => i == 0 ? "---" : "---:")) + " |",
        };
        foreach (var (row, cells) in Rows)
        {
            var shown = cells.Select((cell, i) => i >= 1 && i <= Figures.Count && IsBest(methods, row, Figures[i - 1]) ? $"**{cell}**" : cell);
            lines.Add("| " + string.Join(" | ", shown) + " |");
        }
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Whether <paramref name="row"/> is a method with the best value of <paramref name="figure"/> among <paramref name="methods"/>.</summary>
    public static bool IsBest(IReadOnlyList<ScoreRow> methods, ScoreRow row, string figure)
    {
        if (row.IsBaseline || methods.Count < 2 || !row.Figures.TryGetValue(figure, out double value)) return false;
        var values = methods.Where(m => m.Figures.ContainsKey(figure)).Select(m => m.Figures[figure]).ToList();
        return EvaluationMetrics.HigherIsBetter(figure) ? value >= values.Max() : value <= values.Min();
    }
}
