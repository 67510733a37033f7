using Gaze.Datasets;
using Gaze.Evaluation.Localisation;
using Gaze.Imaging;

namespace Gaze.Tests.Evaluation.Localisation;

public class LocalisationScoresTests
{
    private static readonly BoundingBox Box = new(0, 0, 5, 5);

    /// <summary>A 20x10 map: a diagonal pair at 6 on the box, a 2 far from it.</summary>
    private static Heatmap Map()
    {
        var map = new Heatmap(20, 10);
        map[1, 1] = 6;
        map[2, 2] = 6;
        map[15, 5] = 2;
        return map;
    }

    [Fact]
    public void Every_metric_is_measured_on_the_image()
    {
        var mask = new GrayImage(20, 10);
        for (int i = 1; i <= 3; i++) mask[i, i] = 255;
        LocalisationScores scores = LocalisationScores.Measure(Map(), [Box], mask, tolerance: 0);

        Assert.True(scores.PointingHit);                // the first maximum, (1, 1), is in the box
        Assert.Equal(12.0 / 14, scores.Energy, 12);     // 6 + 6 of 14
        Assert.Equal(4.0 / 25, scores.BoxIou, 12);      // CAM box [1, 1, 3, 3) inside the 5x5 box
        Assert.Equal(0.5, scores.MaskIou!.Value, 12);   // salient {(1,1), (2,2), (15,5)}, mask {(1,1), (2,2), (3,3)}: 2 / 4
    }

    [Fact]
    public void Without_a_mask_there_is_no_mask_iou()
    {
        LocalisationScores scores = LocalisationScores.Measure(Map(), [new BoundingBox(10, 0, 20, 10)], null, tolerance: 0);

        Assert.False(scores.PointingHit);
        Assert.Equal(2.0 / 14, scores.Energy, 12);
        Assert.Equal(0.0, scores.BoxIou); // the CAM box is the diagonal pair, outside this box
        Assert.Null(scores.MaskIou);
    }

    [Fact]
    public void An_image_needs_a_box_and_a_mask_at_the_maps_size()
    {
        Assert.Throws<ArgumentException>(() => LocalisationScores.Measure(Map(), [], null, 0));
        Assert.Throws<ArgumentException>(() => LocalisationScores.Measure(Map(), [Box], new GrayImage(10, 10), 0));
    }
}
