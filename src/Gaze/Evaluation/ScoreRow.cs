namespace Gaze.Evaluation;

/// <summary>
/// One row of an evaluation table: a method, or a baseline heatmap (random, centre) that gives each figure its floor.
/// </summary>
/// <param name="Name">The method's registry name, or the baseline's name.</param>
/// <param name="IsBaseline">True for a baseline heatmap.</param>
/// <param name="Figures">Each figure's mean over the images (see <see cref="EvaluationMetrics"/> for the names).</param>
/// <param name="Milliseconds">The method's mean time per image, or null for a baseline.</param>
/// <param name="Curves">The mean curves behind the areas and ROAD figures.</param>
/// <param name="Worst">The images this row explains worst, worst first (methods only).</param>
public sealed record ScoreRow(
    string Name,
    bool IsBaseline,
    IReadOnlyDictionary<string, double> Figures,
    double? Milliseconds,
    MeanCurves Curves,
    IReadOnlyList<WorstImage> Worst);
