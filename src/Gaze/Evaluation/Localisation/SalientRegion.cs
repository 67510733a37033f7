using Gaze.Imaging;

namespace Gaze.Evaluation.Localisation;

/// <summary>
/// The pixels a heatmap singles out: those at or above a fraction of its maximum, the thresholding of Zhou et al.,
/// "Learning Deep Features for Discriminative Localization", CVPR 2016 (20 % of the maximum).
/// </summary>
internal static class SalientRegion
{
    /// <summary>
    /// One flag per pixel, row-major: value ≥ <paramref name="threshold"/> × maximum. Null when the map has no
    /// positive value, since then nothing stands out (and every pixel would pass a threshold of zero).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is not in [0, 1].</exception>
    public static bool[]? Of(Heatmap map, double threshold)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!(threshold >= 0 && threshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the threshold is a fraction of the maximum, from 0 to 1");
        float[] values = map.Values;
        float peak = Peak(values);
        if (!(peak > 0)) return null;
        // Compared in double so that threshold 1 keeps exactly the maximum.
        double cut = threshold * peak;
        var region = new bool[values.Length];
        for (int i = 0; i < values.Length; i++) region[i] = values[i] >= cut;
        return region;
    }

    /// <summary>The largest value, NaN ignored; negative infinity when there is none.</summary>
    public static float Peak(float[] values)
    {
        float peak = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (v > peak) peak = v;
        }
        return peak;
    }
}
