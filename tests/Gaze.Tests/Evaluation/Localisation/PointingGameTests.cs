using Gaze.Datasets;
using Gaze.Evaluation.Localisation;
using Gaze.Imaging;

namespace Gaze.Tests.Evaluation.Localisation;

public class PointingGameTests
{
    // Columns 40..59, rows 20..39 (half-open).
    private static readonly BoundingBox Box = new(40, 20, 60, 40);

    /// <summary>A 100x60 map of small values with its single maximum at (x, y).</summary>
    private static Heatmap PeakAt(int x, int y)
    {
        var map = new Heatmap(100, 60);
        Array.Fill(map.Values, 0.1f);
        map[x, y] = 1f;
        return map;
    }

    [Theory]
    [InlineData(40, 20, true)]  // the box's first pixel
    [InlineData(59, 39, true)]  // its last pixel
    [InlineData(60, 30, false)] // x1 is exclusive
    [InlineData(50, 40, false)] // y1 is exclusive
    [InlineData(39, 30, false)]
    public void Without_tolerance_the_maximum_must_lie_inside_the_box(int x, int y, bool hit)
    {
        Assert.Equal(hit, PointingGame.Hit(PeakAt(x, y), [Box], tolerance: 0));
    }

    [Fact]
    public void A_maximum_10_pixels_outside_hits_at_tolerance_15_but_not_at_0()
    {
        // Column 69 is 10 pixels right of the box's last column, 59.
        Heatmap map = PeakAt(69, 30);

        Assert.True(PointingGame.Hit(map, [Box], tolerance: 15));
        Assert.True(PointingGame.Hit(map, [Box], tolerance: 10));
        Assert.False(PointingGame.Hit(map, [Box], tolerance: 9));
        Assert.False(PointingGame.Hit(map, [Box], tolerance: 0));
    }

    [Fact]
    public void A_maximum_20_pixels_away_misses_at_tolerance_15()
    {
        Assert.False(PointingGame.Hit(PeakAt(79, 30), [Box], tolerance: 15));
        Assert.False(PointingGame.Hit(PeakAt(50, 59), [Box], tolerance: 15)); // 20 rows below the last row, 39
    }

    [Fact]
    public void The_distance_to_a_corner_is_euclidean()
    {
        // 9 columns and 9 rows past the corner (59, 39): sqrt(162) = 12.73 pixels away.
        Heatmap map = PeakAt(68, 48);

        Assert.True(PointingGame.Hit(map, [Box], tolerance: 13));
        Assert.False(PointingGame.Hit(map, [Box], tolerance: 12));
    }

    [Fact]
    public void Any_of_several_boxes_can_be_hit()
    {
        var far = new BoundingBox(0, 0, 5, 5);

        Assert.True(PointingGame.Hit(PeakAt(3, 3), [Box, far], tolerance: 0));
        Assert.False(PointingGame.Hit(PeakAt(20, 10), [Box, far], tolerance: 0));
        Assert.False(PointingGame.Hit(PeakAt(50, 30), [], tolerance: 15));
    }

    [Fact]
    public void Of_equal_maxima_the_first_in_row_major_order_counts()
    {
        var inFirst = new Heatmap(100, 60);
        inFirst[45, 25] = 1;
        inFirst[5, 50] = 1;
        var outFirst = new Heatmap(100, 60);
        outFirst[5, 10] = 1;
        outFirst[45, 25] = 1;

        Assert.True(PointingGame.Hit(inFirst, [Box], tolerance: 0));
        Assert.False(PointingGame.Hit(outFirst, [Box], tolerance: 0));
    }

    [Fact]
    public void A_negative_tolerance_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PointingGame.Hit(PeakAt(50, 30), [Box], tolerance: -1));
    }
}
