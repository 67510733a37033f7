using System.Buffers;
using Gaze.Datasets;
using Gaze.Imaging;

namespace Gaze.Evaluation.Localisation;

/// <summary>
/// Weakly supervised localisation as in Zhou et al., "Learning Deep Features for Discriminative Localization",
/// CVPR 2016: keep the pixels at or above 20 % of the map's maximum, take the largest connected component and draw
/// its box. Compared with the ground truth by intersection over union; ImageNet counts a localisation as correct at
/// IoU ≥ 0.5 with any of the object's boxes.
/// </summary>
public static class CamBoundingBox
{
    /// <summary>The threshold of the paper: 20 % of the maximum.</summary>
    public const double DefaultThreshold = 0.2;

    /// <summary>
    /// The tight box around the largest 8-connected component of the pixels ≥ <paramref name="threshold"/> × the
    /// map's maximum; of equally large components the first in row-major order wins. Null when the map has no
    /// positive value.
    /// </summary>
    /// <param name="map">The heatmap, values ≥ 0, any scale.</param>
    /// <param name="threshold">The fraction of the maximum a pixel needs, 0 to 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is not in [0, 1].</exception>
    public static BoundingBox? Estimate(Heatmap map, double threshold = DefaultThreshold)
    {
        bool[]? region = SalientRegion.Of(map, threshold);
        if (region is null) return null;
        int width = map.Width, height = map.Height;
        // An explicit stack instead of recursion: a component can cover the whole map, far deeper than the call
        // stack allows. Every pixel is pushed at most once (it leaves the region when pushed), so n slots suffice.
        int[] stack = ArrayPool<int>.Shared.Rent(region.Length);
        try
        {
            BoundingBox? best = null;
            int bestSize = 0;
            for (int start = 0; start < region.Length; start++)
            {
                if (!region[start]) continue;
                region[start] = false;
                stack[0] = start;
                int top = 1, size = 0;
                int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
                while (top > 0)
                {
                    int pixel = stack[--top];
                    int x = pixel % width, y = pixel / width;
                    size++;
                    x0 = Math.Min(x0, x);
                    x1 = Math.Max(x1, x);
                    y0 = Math.Min(y0, y);
                    y1 = Math.Max(y1, y);
                    for (int ny = Math.Max(0, y - 1); ny <= Math.Min(height - 1, y + 1); ny++)
                    {
                        for (int nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
                        {
                            int neighbour = ny * width + nx;
                            if (!region[neighbour]) continue;
                            region[neighbour] = false;
                            stack[top++] = neighbour;
                        }
                    }
                }
                if (size > bestSize)
                {
                    bestSize = size;
                    best = new BoundingBox(x0, y0, x1 + 1, y1 + 1);
                }
            }
            return best;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(stack);
        }
    }

    /// <summary>Intersection over union of the pixels of two boxes, from 0 (disjoint) to 1 (equal).</summary>
    public static double Iou(BoundingBox a, BoundingBox b)
    {
        long overlapWidth = Math.Max(0, Math.Min(a.X1, b.X1) - Math.Max(a.X0, b.X0));
        long overlapHeight = Math.Max(0, Math.Min(a.Y1, b.Y1) - Math.Max(a.Y0, b.Y0));
        long intersection = overlapWidth * overlapHeight;
        long union = (long)a.Width * a.Height + (long)b.Width * b.Height - intersection;
        return (double)intersection / union;
    }

    /// <summary>
    /// The best IoU of <paramref name="estimate"/> with any of the <paramref name="truth"/> boxes (the ImageNet
    /// convention: an object with several instances is found when any one is); 0 without boxes.
    /// </summary>
    public static double BestIou(BoundingBox estimate, IReadOnlyList<BoundingBox> truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        double best = 0;
        foreach (BoundingBox box in truth) best = Math.Max(best, Iou(estimate, box));
        return best;
    }
}
