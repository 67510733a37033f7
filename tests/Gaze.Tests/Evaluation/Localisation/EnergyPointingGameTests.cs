using Gaze.Datasets;
using Gaze.Evaluation.Localisation;
using Gaze.Imaging;

namespace Gaze.Tests.Evaluation.Localisation;

public class EnergyPointingGameTests
{
    [Fact]
    public void The_share_is_the_mass_inside_the_box_over_the_positive_mass()
    {
        var map = new Heatmap(10, 10);
        map[1, 1] = 3; // inside [0, 0, 5, 5)
        map[2, 2] = 1; // inside
        map[8, 8] = 4; // outside
        map[9, 0] = -5; // negative: counts as 0, not against the total

        Assert.Equal(0.5, EnergyPointingGame.Share(map, [new BoundingBox(0, 0, 5, 5)]), 12);
    }

    [Fact]
    public void Overlapping_boxes_count_their_common_pixels_once()
    {
        var map = new Heatmap(10, 10);
        map[3, 3] = 2; // in both boxes
        map[5, 5] = 1; // in the second only
        map[0, 0] = 1; // in the first only
        map[9, 9] = 4; // in neither

        // (2 + 1 + 1) / 8; counting (3, 3) twice would give 6 / 8.
        double share = EnergyPointingGame.Share(map, [new BoundingBox(0, 0, 4, 4), new BoundingBox(2, 2, 6, 6)]);

        Assert.Equal(0.5, share, 12);
    }

    [Fact]
    public void The_box_edge_is_half_open()
    {
        var map = new Heatmap(4, 1, [1, 1, 1, 1]);

        // Columns 1 and 2 of four equal values.
        Assert.Equal(0.5, EnergyPointingGame.Share(map, [new BoundingBox(1, 0, 3, 1)]), 12);
    }

    [Fact]
    public void A_map_without_positive_values_or_without_boxes_gives_zero()
    {
        var box = new BoundingBox(0, 0, 2, 2);

        Assert.Equal(0, EnergyPointingGame.Share(new Heatmap(4, 4), [box]));
        Assert.Equal(0, EnergyPointingGame.Share(new Heatmap(2, 1, [-1, -2]), [box]));
        Assert.Equal(0, EnergyPointingGame.Share(new Heatmap(2, 1, [1, 2]), []));
    }

    [Fact]
    public void A_box_reaching_past_the_map_covers_only_the_map()
    {
        var map = new Heatmap(3, 3, [1, 1, 1, 1, 1, 1, 1, 1, 1]);

        // Columns 2.. of a 3-wide map: one column of three.
        Assert.Equal(1.0 / 3, EnergyPointingGame.Share(map, [new BoundingBox(2, 0, 50, 50)]), 12);
    }
}
