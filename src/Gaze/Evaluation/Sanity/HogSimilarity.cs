using Gaze.Imaging;

namespace Gaze.Evaluation.Sanity;

/// <summary>
/// How alike the edge structure of two maps is: the Pearson correlation of their HOG feature vectors
/// (<see cref="HogDescriptor"/>), the HOG similarity of Adebayo et al. (NeurIPS 2018).
/// </summary>
public static class HogSimilarity
{
    /// <summary>The correlation in [-1, 1] (1 for identical maps; 0 when either map is flat or too small for one block).</summary>
    /// <exception cref="ArgumentException">The maps differ in size.</exception>
    public static double Of(Heatmap a, Heatmap b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
            throw new ArgumentException($"maps of {a.Width}x{a.Height} and {b.Width}x{b.Height}");
        return PearsonCorrelation.Of(HogDescriptor.Features(a), HogDescriptor.Features(b));
    }
}
