using Gaze.Datasets;
using Gaze.Imaging;

namespace Gaze.Evaluation.Localisation;

/// <summary>How well one image's heatmap locates its object, by each of the localisation metrics.</summary>
/// <param name="PointingHit">The pointing game (<see cref="PointingGame.Hit"/>): the maximum falls on a box.</param>
/// <param name="Energy">The energy-based pointing game (<see cref="EnergyPointingGame.Share"/>): the map's share inside the boxes.</param>
/// <param name="BoxIou">The best IoU of the CAM box (<see cref="CamBoundingBox.Estimate"/>) with a true box; 0 when the map has no positive value.</param>
/// <param name="MaskIou">IoU of the salient pixels with the object mask (<see cref="Localisation.MaskIou.Compute"/>); null without a mask.</param>
public sealed record LocalisationScores(bool PointingHit, double Energy, double BoxIou, double? MaskIou)
{
    /// <summary>Scores <paramref name="map"/> against an image's <paramref name="boxes"/> and, if it has one, its <paramref name="mask"/>.</summary>
    /// <param name="map">The heatmap carried back to the image's own pixels (same size as the image).</param>
    /// <param name="boxes">The image's ground-truth boxes; at least one.</param>
    /// <param name="mask">The object mask at the image's size, or null.</param>
    /// <param name="tolerance">The pointing game's tolerance in pixels (15 in Zhang et al. 2016).</param>
    /// <exception cref="ArgumentException">There are no boxes, or the mask is not at the map's size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public static LocalisationScores Measure(Heatmap map, IReadOnlyList<BoundingBox> boxes, GrayImage? mask, int tolerance)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(boxes);
        if (boxes.Count == 0) throw new ArgumentException("an image needs at least one box to measure against", nameof(boxes));
        BoundingBox? estimate = CamBoundingBox.Estimate(map);
        return new LocalisationScores(
            PointingGame.Hit(map, boxes, tolerance),
            EnergyPointingGame.Share(map, boxes),
            estimate is { } box ? CamBoundingBox.BestIou(box, boxes) : 0,
            mask is not null ? Localisation.MaskIou.Compute(map, mask) : null);
    }
}
