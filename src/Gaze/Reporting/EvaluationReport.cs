using System.Globalization;
using System.Text;
using Gaze.Evaluation;

namespace Gaze.Reporting;

/// <summary>
/// The HTML page of <c>gaze evaluate</c>: the table of methods and baselines, the mean curves, and the images each
/// method explains worst. Self-contained: pictures are embedded as data URIs.
/// </summary>
public static class EvaluationReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The report as a string.</summary>
    /// <param name="result">What was measured.</param>
    /// <param name="title">The subtitle: the model and the data.</param>
    /// <param name="plots">The plots to show, by file name.</param>
    public static string Render(EvaluationResult result, string title, IReadOnlyList<(string File, byte[] Png)> plots)
    {
        ArgumentNullException.ThrowIfNull(result);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append($"<title>Gaze evaluation: {HtmlReport.Escape(title)}</title>\n<style>\n{HtmlReport.Style}{Style}</style>\n</head>\n<body>\n");
        html.Append($"<header>\n<h1>Gaze evaluation</h1>\n<p class=\"subtitle\">{HtmlReport.Escape(title)} &middot; {result.Images} images");
        if (result.Accuracy is double accuracy) html.Append(Invariant, $" &middot; accuracy {accuracy:P1}");
        html.Append($" &middot; Gaze {HtmlReport.Escape(GazeVersion.Current)}</p>\n</header>\n");
        WriteTable(html, result);
        WritePlots(html, plots);
        WriteWorst(html, result);
        html.Append("<footer>Written by Gaze. Every figure with its per-image values is in evaluation.json beside this file.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void WriteTable(StringBuilder html, EvaluationResult result)
    {
        EvaluationTable table = EvaluationTable.Of(result);
        html.Append("<section id=\"table\">\n<h2>Methods and baselines</h2>\n<div class=\"grid-wrap\"><table class=\"timings scores\">\n<thead><tr>");
        foreach (string header in table.Headers) html.Append($"<th>{HtmlReport.Escape(header)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var (row, cells) in table.Rows)
        {
            html.Append(row.IsBaseline ? "<tr class=\"baseline\">" : "<tr>");
            html.Append($"<th>{HtmlReport.Escape(cells[0])}</th>");
            for (int i = 1; i < cells.Count; i++)
            {
                bool best = i <= table.Figures.Count && EvaluationTable.IsBest(result.Methods, row, table.Figures[i - 1]);
                html.Append(best ? $"<td class=\"best\">{HtmlReport.Escape(cells[i])}</td>" : $"<td>{HtmlReport.Escape(cells[i])}</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table></div>\n<p class=\"muted\">Arrows: which direction is better; the best method in each column is marked. " +
            "The baselines are heatmaps that know nothing about the model (seeded noise, a centred Gaussian): a method is informative only where it beats both.");
        if (result.Sanity.Count > 0)
            html.Append(" Sanity: the verdict of the weight-randomisation test (Adebayo et al. 2018) with the absolute Spearman correlation once the top layers are randomised; pass below 0.5.");
        html.Append("</p>\n</section>\n");
    }

    private static void WritePlots(StringBuilder html, IReadOnlyList<(string File, byte[] Png)> plots)
    {
        if (plots.Count == 0) return;
        html.Append("<section id=\"curves\">\n<h2>Mean curves</h2>\n<div class=\"plots\">\n");
        foreach (var (file, png) in plots)
            html.Append($"<figure><img class=\"plot\" alt=\"{HtmlReport.Escape(file)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{HtmlReport.Escape(file)}</figcaption></figure>\n");
        html.Append("</div>\n</section>\n");
    }

    private static void WriteWorst(StringBuilder html, EvaluationResult result)
    {
        if (result.Methods.All(m => m.Worst.Count == 0)) return;
        html.Append("<section id=\"worst\">\n<h2>Worst images per method</h2>\n<table class=\"grid\">\n");
        foreach (ScoreRow row in result.Methods.Where(m => m.Worst.Count > 0))
        {
            html.Append($"<tr><th class=\"image\">{HtmlReport.Escape(row.Name)}<div class=\"muted\">by {HtmlReport.Escape(row.Worst[0].Figure)}</div></th>");
            foreach (WorstImage image in row.Worst)
            {
                html.Append($"<td><figure><img class=\"thumbnail\" alt=\"{HtmlReport.Escape(image.Name)}\" src=\"data:image/png;base64,{Convert.ToBase64String(image.OverlayPng)}\">");
                html.Append($"<figcaption><span class=\"path\">{HtmlReport.Escape(image.Name)}</span><br>{HtmlReport.Escape(image.Figure)} {image.Value.ToString("F3", Invariant)}</figcaption></figure></td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n</section>\n");
    }

    private const string Style = """
        table.scores th { text-align: left; }
        table.scores tr.baseline th, table.scores tr.baseline td { color: var(--muted); background: var(--panel); }
        td.best { font-weight: 700; background: var(--mark); }
        .plots { display: flex; flex-wrap: wrap; gap: 16px; }
        img.plot { display: block; width: 560px; max-width: 100%; height: auto; }

        """;
}
