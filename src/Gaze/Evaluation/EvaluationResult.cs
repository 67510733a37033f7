using Gaze.Evaluation.Sanity;

namespace Gaze.Evaluation;

/// <summary>What <see cref="EvaluationRun"/> measured.</summary>
/// <param name="Images">How many images were evaluated.</param>
/// <param name="Labelled">How many of them have a true class.</param>
/// <param name="Correct">How many labelled images the model classifies correctly.</param>
/// <param name="Methods">One row per method, in the order asked.</param>
/// <param name="Baselines">The random and centre-Gaussian heatmap rows.</param>
/// <param name="PerImage">Every image's figures.</param>
/// <param name="Options">The settings used.</param>
public sealed record EvaluationResult(
    int Images,
    int Labelled,
    int Correct,
    IReadOnlyList<ScoreRow> Methods,
    IReadOnlyList<ScoreRow> Baselines,
    IReadOnlyList<ImageScores> PerImage,
    EvaluationOptions Options)
{
    /// <summary>
    /// The methods' sanity checks (Adebayo et al. 2018), one per method in the order of <see cref="Methods"/>, or none
    /// when they were not run.
    /// </summary>
    public IReadOnlyList<SanityResult> Sanity { get; init; } = [];

    /// <summary>Top-1 accuracy over the labelled images, or null when none is labelled.</summary>
    public double? Accuracy => Labelled == 0 ? null : (double)Correct / Labelled;
}
