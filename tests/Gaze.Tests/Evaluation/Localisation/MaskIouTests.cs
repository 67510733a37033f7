using Gaze.Evaluation.Localisation;
using Gaze.Imaging;

namespace Gaze.Tests.Evaluation.Localisation;

public class MaskIouTests
{
    // Salient at 20 % of 10: (0,0), (1,0), (0,1); the 1 at (1,1) is below 2.
    private static Heatmap Map() => new(4, 4,
    [
        10, 10, 0, 0,
        10, 1, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0,
    ]);

    // The object: (1,0), (0,1), (1,1), (2,2).
    private static GrayImage Mask() => new(4, 4,
    [
        0, 255, 0, 0,
        255, 1, 0, 0,
        0, 0, 255, 0,
        0, 0, 0, 0,
    ]);

    [Fact]
    public void Iou_counts_the_salient_pixels_against_the_object_pixels()
    {
        // Intersection (1,0), (0,1): 2; union 3 + 4 - 2 = 5.
        Assert.Equal(0.4, MaskIou.Compute(Map(), Mask()), 12);
    }

    [Fact]
    public void A_lower_threshold_takes_in_weaker_pixels()
    {
        // At 5 % of 10 the 1 at (1,1) is salient too: intersection 3, union 4 + 4 - 3 = 5.
        Assert.Equal(0.6, MaskIou.Compute(Map(), Mask(), threshold: 0.05), 12);
    }

    [Fact]
    public void A_map_without_positive_values_selects_nothing()
    {
        Assert.Equal(0.0, MaskIou.Compute(new Heatmap(4, 4), Mask()));
        Assert.Equal(0.0, MaskIou.Compute(new Heatmap(4, 4), new GrayImage(4, 4)));
    }

    [Fact]
    public void The_mask_must_have_the_maps_size()
    {
        Assert.Throws<ArgumentException>(() => MaskIou.Compute(Map(), new GrayImage(4, 5)));
    }
}
