using Gaze.Evaluation.Sanity;

namespace Gaze.Tests.Support;

/// <summary>The library's Pearson correlation for the float maps tests compare with reference arrays.</summary>
public static class Correlation
{
    /// <summary><see cref="PearsonCorrelation.Of"/> of two float series (0 when either is constant).</summary>
    public static double Pearson(float[] a, float[] b) =>
        PearsonCorrelation.Of(Array.ConvertAll(a, v => (double)v), Array.ConvertAll(b, v => (double)v));
}
