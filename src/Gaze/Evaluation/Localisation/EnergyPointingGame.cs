using Gaze.Datasets;
using Gaze.Imaging;

namespace Gaze.Evaluation.Localisation;

/// <summary>
/// The energy-based pointing game of Wang et al., "Score-CAM: Score-Weighted Visual Explanations for Convolutional
/// Neural Networks", CVPR Workshops 2020: instead of the maximum alone, how much of the map's mass lies on the object.
/// </summary>
public static class EnergyPointingGame
{
    /// <summary>
    /// Σ map inside the union of <paramref name="boxes"/> / Σ map, from 0 to 1. Negative and non-finite values count
    /// as 0, so that negative evidence does not cancel positive; a map with no positive value, or no boxes, gives 0.
    /// Parts of boxes beyond the map are ignored.
    /// </summary>
    /// <param name="map">The heatmap, at the size of the image the boxes are measured in; any scale.</param>
    /// <param name="boxes">The object's boxes; overlaps count once.</param>
    public static double Share(Heatmap map, IReadOnlyList<BoundingBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(boxes);
        bool[] inside = BoxUnion(map.Width, map.Height, boxes);
        float[] values = map.Values;
        double total = 0, onObject = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!(v > 0) || !float.IsFinite(v)) continue;
            total += v;
            if (inside[i]) onObject += v;
        }
        return total > 0 ? onObject / total : 0;
    }

    /// <summary>One flag per pixel of a width × height grid: inside at least one box.</summary>
    internal static bool[] BoxUnion(int width, int height, IReadOnlyList<BoundingBox> boxes)
    {
        var inside = new bool[width * height];
        foreach (BoundingBox box in boxes)
        {
            int x1 = Math.Min(box.X1, width), y1 = Math.Min(box.Y1, height);
            for (int y = box.Y0; y < y1; y++)
            {
                if (box.X0 < x1) Array.Fill(inside, true, y * width + box.X0, x1 - box.X0);
            }
        }
        return inside;
    }
}
