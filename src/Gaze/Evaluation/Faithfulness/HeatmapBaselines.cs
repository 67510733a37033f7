using Gaze.Datasets;
using static TorchSharp.torch;

namespace Gaze.Evaluation.Faithfulness;

/// <summary>
/// Heatmaps that know nothing of the model, the floors every faithfulness score is reported beside: a method is only
/// faithful where it beats them. A random map ranks the pixels by chance; a centred Gaussian encodes the photographer's
/// centre bias, which already scores well on data sets whose objects sit in the middle of the frame.
/// </summary>
public static class HeatmapBaselines
{
    /// <summary>
    /// Uniform noise in [0, 1) [H,W] (float32), row by row from <see cref="DeterministicRandom"/>, whose sequence is
    /// fixed by Gaze's own code: the same seed gives the same map on every machine and run.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive.</exception>
    public static Tensor Random(int height, int width, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var random = DeterministicRandom.ForItem(seed, 0);
        var values = new float[checked(height * width)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        return tensor(values, [height, width]);
    }

    /// <summary>
    /// exp(−d² / 2σ²) [H,W] (float32), d the distance of a pixel's centre from the image's centre ((H − 1)/2,
    /// (W − 1)/2) and σ a quarter of the smaller side: 1 at the centre, about 0.14 at the middle of the nearer edges.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive.</exception>
    public static Tensor CentreGaussian(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        double sigma = Math.Min(height, width) / 4.0, centreY = (height - 1) / 2.0, centreX = (width - 1) / 2.0;
        var values = new float[checked(height * width)];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double squared = (y - centreY) * (y - centreY) + (x - centreX) * (x - centreX);
                values[y * width + x] = (float)Math.Exp(-squared / (2 * sigma * sigma));
            }
        }
        return tensor(values, [height, width]);
    }
}
