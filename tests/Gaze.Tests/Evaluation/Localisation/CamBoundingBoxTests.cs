using Gaze.Datasets;
using Gaze.Evaluation.Localisation;
using Gaze.Imaging;

namespace Gaze.Tests.Evaluation.Localisation;

public class CamBoundingBoxTests
{
    [Fact]
    public void The_largest_8_connected_component_gives_the_box()
    {
        var map = new Heatmap(20, 12);
        // Blob A: four pixels touching only at corners, one component with 8-connectivity.
        for (int i = 2; i <= 5; i++) map[i, i] = 10;
        // Blob B: three pixels in a row. With 4-connectivity A would be four single pixels and B would win.
        for (int x = 10; x <= 12; x++) map[x, 8] = 5;

        Assert.Equal(new BoundingBox(2, 2, 6, 6), CamBoundingBox.Estimate(map));
    }

    [Fact]
    public void Pixels_at_20_percent_of_the_maximum_belong_and_those_below_do_not()
    {
        var map = new Heatmap(20, 12);
        for (int i = 2; i <= 5; i++) map[i, i] = 10;
        map[6, 6] = 2f;     // exactly 0.2 x 10: joins the diagonal
        map[7, 7] = 1.9f;   // below: the box stops at column and row 6
        map[15, 1] = 1.9f;  // below: not a component of its own

        Assert.Equal(new BoundingBox(2, 2, 7, 7), CamBoundingBox.Estimate(map));
        // A higher threshold drops the 2 as well.
        Assert.Equal(new BoundingBox(2, 2, 6, 6), CamBoundingBox.Estimate(map, threshold: 0.5));
    }

    [Fact]
    public void A_large_weak_blob_beats_a_small_strong_peak()
    {
        var map = new Heatmap(30, 30);
        map[25, 3] = 100; // the maximum, alone
        for (int y = 10; y < 12; y++)
            for (int x = 4; x < 7; x++) map[x, y] = 30; // six pixels at 30 % of it

        Assert.Equal(new BoundingBox(4, 10, 7, 12), CamBoundingBox.Estimate(map));
    }

    [Fact]
    public void A_map_without_positive_values_has_no_box()
    {
        Assert.Null(CamBoundingBox.Estimate(new Heatmap(8, 8)));
        Assert.Null(CamBoundingBox.Estimate(new Heatmap(2, 1, [-1, -3])));
    }

    [Fact]
    public void A_map_covered_by_one_component_is_walked_without_recursion()
    {
        // 224x224 pixels in one component: a recursive flood fill this deep would overflow the stack.
        var map = new Heatmap(224, 224);
        Array.Fill(map.Values, 1f);

        Assert.Equal(new BoundingBox(0, 0, 224, 224), CamBoundingBox.Estimate(map));
    }

    [Fact]
    public void A_threshold_outside_0_to_1_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CamBoundingBox.Estimate(new Heatmap(2, 2), threshold: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => CamBoundingBox.Estimate(new Heatmap(2, 2), threshold: double.NaN));
    }

    [Fact]
    public void Iou_of_two_boxes_overlapping_in_one_pixel_is_one_seventh()
    {
        // Areas 4 and 4, intersection 1 pixel: 1 / (4 + 4 - 1).
        Assert.Equal(1.0 / 7, CamBoundingBox.Iou(new BoundingBox(0, 0, 2, 2), new BoundingBox(1, 1, 3, 3)), 12);
    }

    [Fact]
    public void Iou_is_one_for_equal_boxes_and_zero_for_boxes_that_only_touch()
    {
        var box = new BoundingBox(3, 4, 10, 9);

        Assert.Equal(1.0, CamBoundingBox.Iou(box, box));
        Assert.Equal(0.0, CamBoundingBox.Iou(new BoundingBox(0, 0, 2, 2), new BoundingBox(2, 0, 4, 2)));
        // A box inside another: 2x2 of 4x4.
        Assert.Equal(0.25, CamBoundingBox.Iou(new BoundingBox(0, 0, 4, 4), new BoundingBox(1, 1, 3, 3)), 12);
    }

    [Fact]
    public void Best_iou_takes_the_closest_true_box()
    {
        var estimate = new BoundingBox(0, 0, 2, 2);

        Assert.Equal(1.0 / 7, CamBoundingBox.BestIou(estimate, [new BoundingBox(50, 50, 60, 60), new BoundingBox(1, 1, 3, 3)]), 12);
        Assert.Equal(1.0, CamBoundingBox.BestIou(estimate, [new BoundingBox(1, 1, 3, 3), estimate]));
        Assert.Equal(0.0, CamBoundingBox.BestIou(estimate, []));
    }
}
