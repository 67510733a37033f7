using Gaze.Datasets;
using Gaze.Imaging;

namespace Gaze.Evaluation.Localisation;

/// <summary>
/// The pointing game of Zhang et al., "Top-down Neural Attention by Excitation Backprop", ECCV 2016: a heatmap
/// "points" at the object when its maximum falls on a ground-truth box, allowing a tolerance of a few pixels (15 in
/// the paper) because the maximum of a coarse map is only approximately placed.
/// </summary>
public static class PointingGame
{
    /// <summary>
    /// True when the map's maximum lies within <paramref name="tolerance"/> pixels (Euclidean distance from the
    /// maximum's pixel to the nearest pixel of the box) of any of <paramref name="boxes"/>. Of several equal maxima the
    /// first in row-major order counts; NaN values are ignored. No boxes: false, there is nothing to point at.
    /// </summary>
    /// <param name="map">The heatmap, at the size of the image the boxes are measured in.</param>
    /// <param name="boxes">The object's boxes.</param>
    /// <param name="tolerance">Pixels the maximum may lie outside a box; 0 means inside it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public static bool Hit(Heatmap map, IReadOnlyList<BoundingBox> boxes, int tolerance)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        (int x, int y) = MaximumOf(map);
        long allowed = (long)tolerance * tolerance;
        foreach (BoundingBox box in boxes)
        {
            if (SquaredDistance(box, x, y) <= allowed) return true;
        }
        return false;
    }

    /// <summary>Column and row of the first largest value in row-major order (pixel (0, 0) when all are NaN).</summary>
    internal static (int X, int Y) MaximumOf(Heatmap map)
    {
        float[] values = map.Values;
        int peak = 0;
        float best = float.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
        {
            // Strictly greater: the first of equal maxima wins, as Array.IndexOf(values, max) did before.
            if (values[i] > best)
            {
                best = values[i];
                peak = i;
            }
        }
        return (peak % map.Width, peak / map.Width);
    }

    /// <summary>Squared distance from pixel (x, y) to the nearest pixel of <paramref name="box"/> (0 inside it).</summary>
    private static long SquaredDistance(BoundingBox box, int x, int y)
    {
        // The box's last pixel is X1 - 1 (half-open).
        long dx = Math.Max(0, Math.Max(box.X0 - x, x - (box.X1 - 1)));
        long dy = Math.Max(0, Math.Max(box.Y0 - y, y - (box.Y1 - 1)));
        return dx * dx + dy * dy;
    }
}
