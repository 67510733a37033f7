using Gaze.Imaging;

namespace Gaze.Tests.Imaging;

public class HeatmapTests
{
    [Fact]
    public void Values_are_row_major()
    {
        var heatmap = new Heatmap(3, 2, [0, 1, 2, 10, 11, 12]);
        Assert.Equal(12f, heatmap[2, 1]);
        Assert.Equal(1f, heatmap[1, 0]);
        heatmap[0, 1] = 5;
        Assert.Equal(5f, heatmap.Values[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => heatmap[3, 0]);
    }

    [Fact]
    public void Sizes_must_agree()
    {
        Assert.Throws<ArgumentException>(() => new Heatmap(0, 2));
        Assert.Throws<ArgumentException>(() => new Heatmap(2, 2, new float[3]));
        Assert.Equal(new float[6], new Heatmap(3, 2).Values);
    }

    [Fact]
    public void Normalize_maps_min_to_0_and_max_to_1()
    {
        var heatmap = new Heatmap(2, 2, [-2, 0, 2, 6]);
        heatmap.Normalize();
        Assert.Equal([0f, 0.25f, 0.5f, 1f], heatmap.Values);
    }

    [Fact]
    public void Normalize_of_a_constant_map_is_all_zero()
    {
        var heatmap = new Heatmap(2, 1, [3, 3]);
        heatmap.Normalize();
        Assert.Equal([0f, 0f], heatmap.Values);
    }

    [Fact]
    public void Normalize_ignores_non_finite_values_for_the_range()
    {
        var heatmap = new Heatmap(5, 1, [1, float.NaN, 3, float.PositiveInfinity, float.NegativeInfinity]);
        heatmap.Normalize();
        Assert.Equal(0f, heatmap.Values[0]);
        Assert.True(float.IsNaN(heatmap.Values[1]));
        Assert.Equal(1f, heatmap.Values[2]);
        Assert.Equal(1f, heatmap.Values[3]);
        Assert.Equal(0f, heatmap.Values[4]);
    }
}
