namespace Gaze.Evaluation;

/// <summary>
/// Running means of one row's figures and curves, and its worst images so far: what a long evaluation keeps in
/// memory instead of every map, so that 10,000 images cost no more than 1,000.
/// </summary>
internal sealed class RowAccumulator(string name, bool isBaseline, int worstCapacity)
{
    private readonly Dictionary<string, (double Sum, int Count)> figures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> curveSums = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> curveCounts = new(StringComparer.Ordinal);
    private readonly List<WorstImage> worst = [];
    private double milliseconds;
    private int timedImages;

    public string Name => name;

    public bool IsBaseline => isBaseline;

    public void AddFigure(string figure, double value)
    {
        if (!double.IsFinite(value)) return;
        figures.TryGetValue(figure, out var total);
        figures[figure] = (total.Sum + value, total.Count + 1);
    }

    public void AddCurve(string curve, IReadOnlyList<double> values)
    {
        if (!curveSums.TryGetValue(curve, out double[]? sums))
        {
            sums = new double[values.Count];
            curveSums[curve] = sums;
            curveCounts[curve] = 0;
        }
        for (int i = 0; i < sums.Length; i++) sums[i] += values[i];
        curveCounts[curve]++;
    }

    public void AddTime(double totalMilliseconds, int images)
    {
        milliseconds += totalMilliseconds;
        timedImages += images;
    }

    /// <summary>Whether an image with this figure value would enter the worst list (so its overlay is worth drawing).</summary>
    public bool WouldKeep(string figure, double value) =>
        worst.Count < worstCapacity || IsWorse(figure, value, worst[^1].Value);

    public void OfferWorst(WorstImage image)
    {
        if (!WouldKeep(image.Figure, image.Value)) return;
        int at = worst.FindIndex(w => IsWorse(image.Figure, image.Value, w.Value));
        worst.Insert(at < 0 ? worst.Count : at, image);
        if (worst.Count > worstCapacity) worst.RemoveAt(worst.Count - 1);
    }

    public ScoreRow ToRow() => new(
        name,
        isBaseline,
        figures.ToDictionary(f => f.Key, f => f.Value.Sum / f.Value.Count, StringComparer.Ordinal),
        isBaseline || timedImages == 0 ? null : milliseconds / timedImages,
        new MeanCurves(Mean(Curves.Deletion), Mean(Curves.Insertion), Mean(Curves.RoadMostRelevant), Mean(Curves.RoadLeastRelevant)),
        [.. worst]);

    private double[] Mean(string curve) =>
        curveSums.TryGetValue(curve, out double[]? sums) ? sums.Select(s => s / curveCounts[curve]).ToArray() : [];

    private static bool IsWorse(string figure, double value, double than) =>
        EvaluationMetrics.HigherIsBetter(figure) ? value < than : value > than;

    /// <summary>The names of the curves a row keeps.</summary>
    public static class Curves
    {
        public const string Deletion = "deletion";
        public const string Insertion = "insertion";
        public const string RoadMostRelevant = "road_morf";
        public const string RoadLeastRelevant = "road_lerf";
    }
}
