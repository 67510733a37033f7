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
    /// <summary>Scores <paramref name="map"/> against <paramref name="image"/>'s boxes and, if it has one, its mask.</summary>
    /// <param name="map">The heatmap carried back to the image's own pixels (same size as the image).</param>
    /// <param name="image">The image with its ground truth; it needs at least one box.</param>
    /// <param name="tolerance">The pointing game's tolerance in pixels (15 in Zhang et al. 2016).</param>
    /// <exception cref="ArgumentException">The map is not at the image's size, or the image has no boxes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public static LocalisationScores Measure(Heatmap map, LabelledImage image, int tolerance)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(image);
        if (map.Width != image.Image.Width || map.Height != image.Image.Height)
            throw new ArgumentException($"the heatmap is {map.Width}x{map.Height} but {image.Name} is {image.Image.Width}x{image.Image.Height}", nameof(map));
        if (image.Boxes.Count == 0) throw new ArgumentException($"{image.Name} has no boxes to measure against", nameof(image));
        BoundingBox? estimate = CamBoundingBox.Estimate(map);
        return new LocalisationScores(
            PointingGame.Hit(map, image.Boxes, tolerance),
            EnergyPointingGame.Share(map, image.Boxes),
            estimate is { } box ? CamBoundingBox.BestIou(box, image.Boxes) : 0,
            image.Mask is { } mask ? Localisation.MaskIou.Compute(map, mask) : null);
    }
}
