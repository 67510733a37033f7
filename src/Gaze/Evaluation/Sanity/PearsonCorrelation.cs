namespace Gaze.Evaluation.Sanity;

/// <summary>The Pearson correlation of two equally long series, the core of the rank and HOG similarities.</summary>
public static class PearsonCorrelation
{
    /// <summary>
    /// The correlation of <paramref name="a"/> and <paramref name="b"/> in [-1, 1]. It is undefined when either series
    /// is constant; that counts as 0, no association (a randomised model whose map went flat keeps nothing of the
    /// original's ordering).
    /// </summary>
    /// <exception cref="ArgumentException">The series differ in length.</exception>
    public static double Of(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"series of {a.Length} and {b.Length} values");
        if (a.Length == 0) return 0;
        double meanA = 0, meanB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            meanA += a[i];
            meanB += b[i];
        }
        meanA /= a.Length;
        meanB /= b.Length;
        double covariance = 0, varianceA = 0, varianceB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - meanA, db = b[i] - meanB;
            covariance += da * db;
            varianceA += da * da;
            varianceB += db * db;
        }
        if (varianceA <= 0 || varianceB <= 0) return 0;
        return Math.Clamp(covariance / Math.Sqrt(varianceA * varianceB), -1, 1);
    }
}
