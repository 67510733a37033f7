using System.Text;
using System.Text.Json;
using Gaze.Evaluation;
using Gaze.Evaluation.Sanity;
using Gaze.IO;
using Gaze.Rendering;

namespace Gaze.Reporting;

/// <summary>
/// Writes what <c>gaze evaluate</c> measured: <c>evaluation.json</c>, the table as <c>evaluation.md</c>, the mean
/// curves as PNG plots (<c>deletion.png</c>, <c>insertion.png</c>, <c>road-morf.png</c>, <c>road-lerf.png</c>) and <c>report.html</c>, each to a
/// temporary name and renamed.
/// </summary>
public static class EvaluationWriter
{
    /// <summary>The document's file name.</summary>
    public const string DocumentFile = "evaluation.json";

    /// <summary>The table in Markdown, to paste into documentation.</summary>
    public const string MarkdownFile = "evaluation.md";

    /// <summary>The report's file name.</summary>
    public const string ReportFile = "report.html";

    /// <summary>
    /// The <c>evaluation.json</c> document: <c>gaze</c>, <c>model</c>, <c>data</c>, <c>images</c>, <c>accuracy</c>,
    /// <c>settings</c>, <c>methods</c> (<c>method</c>, <c>metrics</c>, <c>milliseconds</c>, <c>curves</c>),
    /// <c>baselines</c> (<c>name</c>, <c>metrics</c>, <c>curves</c>), <c>plots</c> and <c>per_image</c>.
    /// </summary>
    /// <param name="result">What was measured.</param>
    /// <param name="model">The model file.</param>
    /// <param name="data">Where the images came from.</param>
    /// <param name="layers">The methods' target layers.</param>
    public static IReadOnlyDictionary<string, object?> Document(EvaluationResult result, string model, string data, IReadOnlyList<string> layers)
    {
        EvaluationOptions options = result.Options;
        return new Dictionary<string, object?>
        {
            ["gaze"] = GazeVersion.Current,
            ["model"] = model,
            ["data"] = data,
            ["images"] = result.Images,
            ["accuracy"] = result.Accuracy,
            ["settings"] = new Dictionary<string, object?>
            {
                ["metrics"] = options.Metrics,
                ["layers"] = layers,
                ["tolerance"] = options.Tolerance,
                ["steps"] = options.Steps,
                ["baseline"] = options.CurveBaseline.Text,
                ["road_percentiles"] = options.RoadPercentiles,
                ["road_images"] = options.RoadImages,
                ["seed"] = options.Seed,
            },
            ["methods"] = result.Methods.Select((row, i) => new Dictionary<string, object?>
            {
                ["method"] = row.Name,
                ["metrics"] = row.Figures,
                ["milliseconds"] = row.Milliseconds,
                ["sanity"] = i < result.Sanity.Count ? Sanity(result.Sanity[i]) : null,
                ["curves"] = Curves(row.Curves),
            }).ToList(),
            ["baselines"] = result.Baselines.Select(row => new Dictionary<string, object?>
            {
                ["name"] = row.Name,
                ["metrics"] = row.Figures,
                ["curves"] = Curves(row.Curves),
            }).ToList(),
            ["plots"] = PlannedPlots(result).Select(p => p.File).ToList(),
            ["per_image"] = result.PerImage.Select(image => new Dictionary<string, object?>
            {
                ["image"] = image.Name,
                ["class"] = image.Class,
                ["predicted"] = image.Predicted,
                ["target"] = image.Target,
                ["methods"] = result.Methods.ToDictionary(m => m.Name, m => image.Rows[m.Name]),
                ["baselines"] = result.Baselines.ToDictionary(b => b.Name, b => image.Rows[b.Name]),
            }).ToList(),
        };
    }

    /// <summary>The document as JSON text.</summary>
    public static string Serialize(IReadOnlyDictionary<string, object?> document) =>
        JsonSerializer.Serialize(document, SynthesisWriter.JsonOptions);

    /// <summary>Writes the document, the plots and the report into <paramref name="directory"/>.</summary>
    /// <param name="directory">An existing folder.</param>
    /// <param name="result">What was measured.</param>
    /// <param name="document">The document from <see cref="Document"/>.</param>
    /// <param name="title">The report's subtitle (the model and the data).</param>
    /// <exception cref="Errors.OutputFileException">A file cannot be written.</exception>
    public static void Write(string directory, EvaluationResult result, IReadOnlyDictionary<string, object?> document, string title)
    {
        var plots = PlannedPlots(result).Select(p => (p.File, Png: p.Render())).ToList();
        foreach (var (file, png) in plots) AtomicFile.WriteAllBytes(Path.Combine(directory, file), png);
        AtomicFile.WriteAllBytes(Path.Combine(directory, DocumentFile), Encoding.UTF8.GetBytes(Serialize(document)));
        AtomicFile.WriteAllBytes(Path.Combine(directory, MarkdownFile), Encoding.UTF8.GetBytes(EvaluationTable.Of(result).ToMarkdown()));
        string html = EvaluationReport.Render(result, title, plots);
        AtomicFile.WriteAllBytes(Path.Combine(directory, ReportFile), Encoding.UTF8.GetBytes(html));
    }

    /// <summary>
    /// The mean-curve plots of the measured curves, by file name, each rendered only when asked: the document lists
    /// the names, <see cref="Write"/> renders them once.
    /// </summary>
    private static IReadOnlyList<(string File, Func<byte[]> Render)> PlannedPlots(EvaluationResult result)
    {
        var rows = result.Methods.Concat(result.Baselines).ToList();
        var plots = new List<(string, Func<byte[]>)>();
        if (rows.Any(r => r.Curves.Deletion.Count > 0))
            plots.Add(("deletion.png", () => FractionPlot(rows, r => r.Curves.Deletion, "Deletion: probability as the most relevant pixels go")));
        if (rows.Any(r => r.Curves.Insertion.Count > 0))
            plots.Add(("insertion.png", () => FractionPlot(rows, r => r.Curves.Insertion, "Insertion: probability as the most relevant pixels return")));
        if (rows.Any(r => r.Curves.RoadMostRelevant.Count > 0))
        {
            double[] percentiles = result.Options.RoadPercentiles.Select(p => (double)p).ToArray();
            plots.Add(("road-morf.png", () => CurvePlot.Png(rows.Select(r => new CurveSeries(r.Name, percentiles, r.Curves.RoadMostRelevant, r.IsBaseline)).ToList(),
                "ROAD, most relevant first: probability as the top pixels are imputed", "imputed pixels (%)", "probability / clean probability")));
            plots.Add(("road-lerf.png", () => CurvePlot.Png(rows.Select(r => new CurveSeries(r.Name, percentiles, r.Curves.RoadLeastRelevant, r.IsBaseline)).ToList(),
                "ROAD, least relevant first: probability as the bottom pixels are imputed", "imputed pixels (%)", "probability / clean probability")));
        }
        return plots;
    }

    private static byte[] FractionPlot(IReadOnlyList<ScoreRow> rows, Func<ScoreRow, IReadOnlyList<double>> curve, string title)
    {
        var series = rows.Where(r => curve(r).Count > 0).Select(r =>
        {
            IReadOnlyList<double> values = curve(r);
            double[] fractions = Enumerable.Range(0, values.Count).Select(i => 100.0 * i / (values.Count - 1)).ToArray();
            return new CurveSeries(r.Name, fractions, values, r.IsBaseline);
        }).ToList();
        return CurvePlot.Png(series, title, "pixels (%)", "probability / clean probability");
    }

    private static Dictionary<string, object?> Sanity(SanityResult sanity) => new()
    {
        ["verdict"] = sanity.Verdict.ToString().ToLowerInvariant(),
        ["spearman_abs"] = sanity.Cascade[sanity.VerdictStep - 1].SpearmanAbs,
        ["layers_randomised"] = sanity.VerdictStep,
    };

    private static Dictionary<string, IReadOnlyList<double>> Curves(MeanCurves curves)
    {
        var all = new Dictionary<string, IReadOnlyList<double>>
        {
            ["deletion"] = curves.Deletion,
            ["insertion"] = curves.Insertion,
            ["road_morf"] = curves.RoadMostRelevant,
            ["road_lerf"] = curves.RoadLeastRelevant,
        };
        return all.Where(c => c.Value.Count > 0).ToDictionary(c => c.Key, c => c.Value);
    }
}
