using Gaze.Attribution.Pixel;
using Gaze.Errors;

namespace Gaze.Evaluation;

/// <summary>How <see cref="EvaluationRun"/> scores the explanations.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The metric families (<see cref="EvaluationMetrics"/>); by default every faithfulness one.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [.. EvaluationMetrics.All.Except(EvaluationMetrics.Localisation)];

    /// <summary>The pointing game's tolerance in original-image pixels (15 in Zhang et al.; 0 counts the maximum pixel only).</summary>
    public int Tolerance { get; init; } = 15;

    /// <summary>Steps of the deletion and insertion curves (each removes or inserts 1/<see cref="Steps"/> of the pixels).</summary>
    public int Steps { get; init; } = 20;

    /// <summary>What deleted pixels become and what insertion starts from: <c>black</c>, <c>blur</c> or <c>mean</c>.</summary>
    public Baseline CurveBaseline { get; init; } = Baseline.Black;

    /// <summary>The percentiles of pixels ROAD imputes, most- and least-relevant first.</summary>
    public IReadOnlyList<int> RoadPercentiles { get; init; } = [10, 20, 30, 40, 50, 60, 70, 80, 90];

    /// <summary>
    /// ROAD only on the first this many images (null: all). ROAD solves two sparse systems per percentile and is by far
    /// the costliest metric; its mean over a prefix of a large set is still a fair comparison between methods.
    /// </summary>
    public int? RoadImages { get; init; }

    /// <summary>Seeds the random heatmap baseline and ROAD's imputation noise.</summary>
    public int Seed { get; init; }

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>How many of each method's worst images the report shows.</summary>
    public int WorstImages { get; init; } = 4;

    /// <summary>Whether <paramref name="metric"/> (a family of <see cref="EvaluationMetrics"/>) was chosen.</summary>
    public bool Measures(string metric) => Metrics.Contains(metric);

    /// <summary>Whether any localisation metric was chosen (they need boxes).</summary>
    public bool NeedsGroundTruth => Metrics.Any(EvaluationMetrics.Localisation.Contains);

    /// <summary>Checks the values, naming the command-line option of a bad one.</summary>
    /// <exception cref="InvalidOptionException">A value is out of range.</exception>
    public void Validate()
    {
        if (Tolerance < 0) throw new InvalidOptionException("--tolerance", $"must be 0 or more pixels, got {Tolerance}");
        if (Steps < 2) throw new InvalidOptionException("--steps", $"must be at least 2, got {Steps}");
        if (Metrics.Count == 0) throw new InvalidOptionException("--metrics", "name at least one metric");
        if (CurveBaseline != Baseline.Black && CurveBaseline != Baseline.Blur && CurveBaseline != Baseline.Mean)
            throw new InvalidOptionException("--baseline", $"must be black, blur or mean, got '{CurveBaseline}'");
        if (RoadImages is < 1) throw new InvalidOptionException("--road-images", $"must be at least 1, got {RoadImages}");
        if (RoadPercentiles.Count == 0 || RoadPercentiles.Any(p => p is <= 0 or >= 100))
            throw new InvalidOptionException("--road-percentiles", "needs percentiles between 1 and 99");
    }
}
