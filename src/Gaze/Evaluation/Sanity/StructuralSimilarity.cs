using Gaze.Imaging;

namespace Gaze.Evaluation.Sanity;

/// <summary>
/// The structural similarity index (Wang, Bovik, Sheikh and Simoncelli, "Image Quality Assessment: From Error
/// Visibility to Structural Similarity", IEEE TIP 2004) of two maps with values in [0, 1], computed as
/// scikit-image's <c>structural_similarity</c> does by default: a 7x7 uniform window, sample (co)variances
/// (divided by 48), K1 = 0.01, K2 = 0.03, data range 1, and the mean over every window that lies inside the map.
/// </summary>
public static class StructuralSimilarity
{
    /// <summary>The side of the square uniform window.</summary>
    public const int Window = 7;

    private const double K1 = 0.01, K2 = 0.03;
    private const double C1 = K1 * K1, C2 = K2 * K2;

    /// <summary>The mean SSIM of <paramref name="a"/> and <paramref name="b"/> (1 for identical maps).</summary>
    /// <exception cref="ArgumentException">The maps differ in size or are smaller than the window.</exception>
    public static double Of(Heatmap a, Heatmap b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
            throw new ArgumentException($"maps of {a.Width}x{a.Height} and {b.Width}x{b.Height}");
        int side = Math.Min(Window, Math.Min(a.Width, a.Height));
        if (side < 2) throw new ArgumentException($"a {a.Width}x{a.Height} map is too small for SSIM");
        int w = a.Width;
        // Summed-area tables of a, b, a², b² and ab give every window's moments in constant time.
        var sums = new[] { new double[(a.Height + 1) * (w + 1)], new double[(a.Height + 1) * (w + 1)],
            new double[(a.Height + 1) * (w + 1)], new double[(a.Height + 1) * (w + 1)], new double[(a.Height + 1) * (w + 1)] };
        for (int y = 0; y < a.Height; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double va = a.Values[y * w + x], vb = b.Values[y * w + x];
                double[] terms = [va, vb, va * va, vb * vb, va * vb];
                int at = (y + 1) * (w + 1) + x + 1;
                for (int t = 0; t < terms.Length; t++)
                    sums[t][at] = terms[t] + sums[t][at - 1] + sums[t][at - (w + 1)] - sums[t][at - (w + 1) - 1];
            }
        }
        double n = side * side;
        double covarianceNorm = n / (n - 1);
        double total = 0;
        int windows = 0;
        for (int y = 0; y + side <= a.Height; y++)
        {
            for (int x = 0; x + side <= w; x++)
            {
                double Mean(double[] table) =>
                    (table[(y + side) * (w + 1) + x + side] - table[y * (w + 1) + x + side]
                     - table[(y + side) * (w + 1) + x] + table[y * (w + 1) + x]) / n;
                double meanA = Mean(sums[0]), meanB = Mean(sums[1]);
                double varianceA = covarianceNorm * (Mean(sums[2]) - meanA * meanA);
                double varianceB = covarianceNorm * (Mean(sums[3]) - meanB * meanB);
                double covariance = covarianceNorm * (Mean(sums[4]) - meanA * meanB);
                total += (2 * meanA * meanB + C1) * (2 * covariance + C2)
                    / ((meanA * meanA + meanB * meanB + C1) * (varianceA + varianceB + C2));
                windows++;
            }
        }
        return total / windows;
    }
}
