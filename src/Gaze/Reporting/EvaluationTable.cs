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
    /// <param name="result">What was measured.</param>
    /// <param name="figures">The figures to show, or null for all.</param>
    /// <param name="compact">Short headers and two decimals, for a terminal.</param>
    public static EvaluationTable Of(EvaluationResult result, IReadOnlyList<string>? figures = null, bool compact = false)
    {
        string format = compact ? "F2" : "F3";
        var rows = result.Methods.Concat(result.Baselines).ToList();
        var shown = (figures ?? EvaluationMetrics.Figures).Where(f => rows.Any(r => r.Figures.ContainsKey(f))).ToList();
        bool sanity = result.Sanity.Count > 0;
        var headers = new List<string> { "method" };
        headers.AddRange(shown.Select(f => $"{(compact ? ShortNames.GetValueOrDefault(f, f) : f)} {(EvaluationMetrics.HigherIsBetter(f) ? "↑" : "↓")}"));
        if (sanity) headers.Add("sanity");
        headers.Add(compact ? "ms" : "ms/image");
        var cells = rows.Select((row, index) =>
        {
            var line = new List<string> { row.IsBaseline && !compact ? $"{row.Name} (baseline)" : row.Name };
            line.AddRange(shown.Select(f => row.Figures.TryGetValue(f, out double v) ? v.ToString(format, CultureInfo.InvariantCulture) : ""));
            if (sanity)
            {
                line.Add(index >= result.Sanity.Count ? ""
                    : compact ? Verdict(result.Sanity[index])
                    : $"{Verdict(result.Sanity[index])} ({result.Sanity[index].Cascade[result.Sanity[index].VerdictStep - 1].SpearmanAbs.ToString("F2", CultureInfo.InvariantCulture)})");
            }
            line.Add(row.Milliseconds is double ms ? ms.ToString("F1", CultureInfo.InvariantCulture) : "");
            return (row, (IReadOnlyList<string>)line);
        }).ToList();
        return new EvaluationTable(shown, headers, cells);
    }

    private static string Verdict(Evaluation.Sanity.SanityResult sanity) => sanity.Verdict.ToString().ToLowerInvariant();

    /// <summary>The figures a terminal has room for; the others are in the report, evaluation.json and evaluation.md.</summary>
    public static IReadOnlyList<string> TerminalFigures { get; } =
    [
        EvaluationMetrics.PointingFigure, EvaluationMetrics.EnergyFigure, EvaluationMetrics.BoxIouFigure,
        EvaluationMetrics.DeletionFigure, EvaluationMetrics.InsertionFigure, EvaluationMetrics.RoadFigure,
    ];

    private static readonly Dictionary<string, string> ShortNames = new()
    {
        [EvaluationMetrics.PointingFigure] = "point",
        [EvaluationMetrics.BoxIouFigure] = "IoU",
        [EvaluationMetrics.BoxLocalisationFigure] = "IoU≥.5",
        [EvaluationMetrics.MaskIouFigure] = "mask",
        [EvaluationMetrics.DeletionFigure] = "del",
        [EvaluationMetrics.InsertionFigure] = "ins",
        [EvaluationMetrics.ConfidenceFigure] = "conf",
        [EvaluationMetrics.RoadMostRelevantFigure] = "MoRF",
        [EvaluationMetrics.RoadLeastRelevantFigure] = "LeRF",
        [EvaluationMetrics.RoadFigure] = "ROAD",
    };

    /// <summary>The table in GitHub Markdown, the best method of each figure in bold.</summary>
    public string ToMarkdown()
    {
        var methods = Rows.Select(r => r.Row).Where(r => !r.IsBaseline).ToList();
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
