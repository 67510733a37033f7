using Gaze.Imaging;

namespace Gaze.Evaluation.Sanity;

/// <summary>
/// How alike a method's map on the randomised model is to its map on the original, by the four measures of Adebayo et
/// al. (NeurIPS 2018). Spearman compares the raw maps (pixel methods: the signed attribution summed over channels; CAM
/// methods: the heatmap), SpearmanAbs their absolute values. SSIM and HOG compare the absolute maps min-max rescaled
/// to [0, 1] (what a heatmap shows; a flat map becomes all zeros).
/// </summary>
/// <param name="Spearman">Rank correlation of the raw maps.</param>
/// <param name="SpearmanAbs">Rank correlation of the absolute values.</param>
/// <param name="Ssim">Structural similarity of the rescaled absolute maps (<see cref="StructuralSimilarity"/>).</param>
/// <param name="Hog">Correlation of the rescaled absolute maps' HOG features (<see cref="HogSimilarity"/>).</param>
public sealed record MapSimilarity(double Spearman, double SpearmanAbs, double Ssim, double Hog)
{
    /// <summary>The four measures between the raw maps <paramref name="original"/> and <paramref name="randomised"/>.</summary>
    /// <exception cref="ArgumentException">The maps differ in size or hold a value that is not finite.</exception>
    public static MapSimilarity Between(Heatmap original, Heatmap randomised)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(randomised);
        if (original.Width != randomised.Width || original.Height != randomised.Height)
            throw new ArgumentException($"maps of {original.Width}x{original.Height} and {randomised.Width}x{randomised.Height}");
        Heatmap absOriginal = Absolute(original), absRandomised = Absolute(randomised);
        double spearman = SpearmanCorrelation.Of(original.Values, randomised.Values);
        double spearmanAbs = SpearmanCorrelation.Of(absOriginal.Values, absRandomised.Values);
        absOriginal.Normalize();
        absRandomised.Normalize();
        return new MapSimilarity(spearman, spearmanAbs, StructuralSimilarity.Of(absOriginal, absRandomised), HogSimilarity.Of(absOriginal, absRandomised));
    }

    /// <summary>The mean of each measure over <paramref name="similarities"/> (one per image).</summary>
    /// <exception cref="ArgumentException">None given.</exception>
    public static MapSimilarity Mean(IReadOnlyCollection<MapSimilarity> similarities)
    {
        if (similarities.Count == 0) throw new ArgumentException("no similarities to average", nameof(similarities));
        return new MapSimilarity(similarities.Average(s => s.Spearman), similarities.Average(s => s.SpearmanAbs),
            similarities.Average(s => s.Ssim), similarities.Average(s => s.Hog));
    }

    private static Heatmap Absolute(Heatmap map) => new(map.Width, map.Height, map.Values.Select(Math.Abs).ToArray());
}
