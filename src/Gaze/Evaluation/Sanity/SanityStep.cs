namespace Gaze.Evaluation.Sanity;

/// <summary>
/// One randomisation of a sanity check and how much the method's maps kept, averaged over the images: in the cascading
/// test every layer from the output down to <paramref name="Layer"/> is randomised; in the independent test
/// <paramref name="Layer"/> alone.
/// </summary>
/// <param name="Layer">The weighted layer (its output tensor) randomised last, or alone.</param>
/// <param name="Spearman">Mean rank correlation of the raw maps with the original's.</param>
/// <param name="SpearmanAbs">Mean rank correlation of the absolute maps with the original's.</param>
/// <param name="Ssim">Mean structural similarity with the original's.</param>
/// <param name="Hog">Mean HOG similarity with the original's.</param>
public sealed record SanityStep(string Layer, double Spearman, double SpearmanAbs, double Ssim, double Hog)
{
    /// <summary>The step of <paramref name="layer"/> with the measures of <paramref name="similarity"/>.</summary>
    public static SanityStep Of(string layer, MapSimilarity similarity) =>
        new(layer, similarity.Spearman, similarity.SpearmanAbs, similarity.Ssim, similarity.Hog);
}
