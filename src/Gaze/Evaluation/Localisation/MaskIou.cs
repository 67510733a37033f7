using Gaze.Imaging;

namespace Gaze.Evaluation.Localisation;

/// <summary>
/// How well a heatmap's salient region covers the object's pixel mask: the intersection over union of the pixels
/// ≥ a fraction of the maximum (20 %, the threshold of Zhou et al., CVPR 2016) with the mask's object pixels. A
/// stricter test than a box, which also counts the background in its corners.
/// </summary>
public static class MaskIou
{
    /// <summary>
    /// |salient ∩ object| / |salient ∪ object|, where salient = {map ≥ <paramref name="threshold"/> × max} and
    /// object = {mask ≠ 0}. A map with no positive value has no salient pixels; 0 when both sets are empty.
    /// </summary>
    /// <param name="map">The heatmap, values ≥ 0, any scale.</param>
    /// <param name="mask">The object mask, non-zero on the object, at the map's size.</param>
    /// <param name="threshold">The fraction of the maximum a pixel needs, 0 to 1.</param>
    /// <exception cref="ArgumentException">The sizes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is not in [0, 1].</exception>
    public static double Compute(Heatmap map, GrayImage mask, double threshold = CamBoundingBox.DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(mask);
        if (map.Width != mask.Width || map.Height != mask.Height)
            throw new ArgumentException($"the mask is {mask.Width}x{mask.Height} but the heatmap {map.Width}x{map.Height}", nameof(mask));
        bool[]? salient = SalientRegion.Of(map, threshold);
        byte[] objectPixels = mask.Pixels;
        long intersection = 0, union = 0;
        for (int i = 0; i < objectPixels.Length; i++)
        {
            bool onObject = objectPixels[i] != 0, picked = salient is not null && salient[i];
            if (onObject && picked) intersection++;
            if (onObject || picked) union++;
        }
        return union == 0 ? 0 : (double)intersection / union;
    }
}
