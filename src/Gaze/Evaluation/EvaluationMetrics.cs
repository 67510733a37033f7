using Gaze.Errors;

namespace Gaze.Evaluation;

/// <summary>
/// The metric families of <c>gaze evaluate --metrics</c>, and the names under which their figures are reported.
/// Localisation needs ground truth (boxes or masks); faithfulness needs only the model.
/// </summary>
public static class EvaluationMetrics
{
    /// <summary>Pointing game (Zhang et al., ECCV 2016): reported as <see cref="PointingFigure"/>.</summary>
    public const string Pointing = "pointing";

    /// <summary>Energy-based pointing game (Wang et al., CVPRW 2020, Score-CAM).</summary>
    public const string Energy = "energy";

    /// <summary>The CAM paper's box (Zhou et al., CVPR 2016) against the ground truth, and the mask IoU when masks exist.</summary>
    public const string BoxIou = "box-iou";

    /// <summary>Deletion curve (Petsiuk et al., BMVC 2018, RISE).</summary>
    public const string Deletion = "deletion";

    /// <summary>Insertion curve (Petsiuk et al., BMVC 2018, RISE).</summary>
    public const string Insertion = "insertion";

    /// <summary>pytorch-grad-cam's confidence change when the input is multiplied by the heatmap.</summary>
    public const string Confidence = "confidence";

    /// <summary>ROAD (Rong et al., ICML 2022), most- and least-relevant first with noisy linear imputation.</summary>
    public const string Road = "road";

    /// <summary>Every metric family, in the order tables show them.</summary>
    public static IReadOnlyList<string> All { get; } = [Pointing, Energy, BoxIou, Deletion, Insertion, Confidence, Road];

    /// <summary>The families that compare the heatmap with ground-truth boxes or masks.</summary>
    public static IReadOnlyList<string> Localisation { get; } = [Pointing, Energy, BoxIou];

    /// <summary>Figure: share of images whose heatmap maximum points into a box (within the tolerance).</summary>
    public const string PointingFigure = "pointing";

    /// <summary>Figure: mean share of the heatmap's mass inside the boxes.</summary>
    public const string EnergyFigure = "energy";

    /// <summary>Figure: mean IoU of the CAM box with the best-matching ground-truth box.</summary>
    public const string BoxIouFigure = "box_iou";

    /// <summary>Figure: share of images whose CAM box has IoU ≥ 0.5 (the CAM paper's localisation accuracy).</summary>
    public const string BoxLocalisationFigure = "box_localisation";

    /// <summary>Figure: mean IoU of the thresholded heatmap with the object mask.</summary>
    public const string MaskIouFigure = "mask_iou";

    /// <summary>Figure: mean area under the deletion curve (lower is better).</summary>
    public const string DeletionFigure = "deletion_auc";

    /// <summary>Figure: mean area under the insertion curve (higher is better).</summary>
    public const string InsertionFigure = "insertion_auc";

    /// <summary>Figure: mean change of the target probability when the input is multiplied by the heatmap (higher is better).</summary>
    public const string ConfidenceFigure = "confidence_change";

    /// <summary>Figure: mean normalised probability with the most relevant pixels imputed (lower is better).</summary>
    public const string RoadMostRelevantFigure = "road_morf";

    /// <summary>Figure: mean normalised probability with the least relevant pixels imputed (higher is better).</summary>
    public const string RoadLeastRelevantFigure = "road_lerf";

    /// <summary>Figure: <see cref="RoadLeastRelevantFigure"/> minus <see cref="RoadMostRelevantFigure"/> (higher is better).</summary>
    public const string RoadFigure = "road";

    /// <summary>Every figure, in the order tables show them.</summary>
    public static IReadOnlyList<string> Figures { get; } =
    [
        PointingFigure, EnergyFigure, BoxIouFigure, BoxLocalisationFigure, MaskIouFigure, DeletionFigure, InsertionFigure,
        ConfidenceFigure, RoadMostRelevantFigure, RoadLeastRelevantFigure, RoadFigure,
    ];

    /// <summary>
    /// Whether a higher value of <paramref name="figure"/> is better (pointing, energy, IoU, insertion, confidence,
    /// ROAD LeRF and combined) or a lower one (deletion, ROAD MoRF).
    /// </summary>
    public static bool HigherIsBetter(string figure) => figure is not (DeletionFigure or RoadMostRelevantFigure);

    /// <summary>
    /// Parses <c>--metrics</c>: comma-separated families, or <c>all</c> (every family; the localisation ones only
    /// when <paramref name="hasGroundTruth"/>).
    /// </summary>
    /// <exception cref="InvalidOptionException">An unknown name, an empty list, or a localisation metric without ground truth.</exception>
    public static IReadOnlyList<string> Parse(string text, bool hasGroundTruth, string option = "--metrics")
    {
        string[] names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new InvalidOptionException(option, $"name at least one metric: {string.Join(", ", All)} or all");
        if (names.Length == 1 && names[0].Equals("all", StringComparison.OrdinalIgnoreCase))
            return hasGroundTruth ? All : All.Except(Localisation).ToArray();
        var chosen = new List<string>();
        foreach (string name in names)
        {
            string? known = All.FirstOrDefault(m => m.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                throw new InvalidOptionException(option, $"unknown metric '{name}'; choose from {string.Join(", ", All)} or all");
            if (!hasGroundTruth && Localisation.Contains(known))
                throw new InvalidOptionException(option, $"'{known}' needs ground truth: give --boxes FILE or a shapes folder with annotations.json");
            if (!chosen.Contains(known)) chosen.Add(known);
        }
        return All.Where(chosen.Contains).ToArray();
    }
}
