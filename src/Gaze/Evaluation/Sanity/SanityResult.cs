namespace Gaze.Evaluation.Sanity;

/// <summary>The model-parameter randomisation test of one method (Adebayo et al., NeurIPS 2018).</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Cascade">Step k randomises the k weighted layers nearest the output (k = 1 .. layers).</param>
/// <param name="Independent">Each weighted layer randomised alone, from the output backwards.</param>
public sealed record SanityResult(string Method, IReadOnlyList<SanityStep> Cascade, IReadOnlyList<SanityStep> Independent)
{
    /// <summary>The mean absolute-value Spearman correlation below which the maps count as changed.</summary>
    public const double Threshold = 0.5;

    /// <summary>The cascade step the verdict is read at: the top three weighted layers randomised.</summary>
    public const int VerdictLayers = 3;

    /// <summary>
    /// The cascade step (1-based) the verdict reads: <see cref="VerdictLayers"/>, or the last step for a model with
    /// fewer weighted layers.
    /// </summary>
    public int VerdictStep => Math.Min(VerdictLayers, Cascade.Count);

    /// <summary>
    /// <see cref="SanityVerdict.Pass"/> when the mean absolute-value Spearman correlation with the original maps is
    /// below <see cref="Threshold"/> at <see cref="VerdictStep"/>, else <see cref="SanityVerdict.Fail"/>.
    /// </summary>
    public SanityVerdict Verdict =>
        Cascade.Count > 0 && Cascade[VerdictStep - 1].SpearmanAbs < Threshold ? SanityVerdict.Pass : SanityVerdict.Fail;
}
