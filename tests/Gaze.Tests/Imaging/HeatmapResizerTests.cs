using Gaze.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Tests.Imaging;

public class HeatmapResizerTests
{
    [Fact]
    public void Upsampling_2x2_to_4x4_uses_half_pixel_centres()
    {
        // Output pixel o samples the input at (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1].
        var source = new Heatmap(2, 2, [0, 1, 2, 3]); // value = x + 2y
        var resized = HeatmapResizer.Resize(source, 4, 4);
        float[] weights = [0f, 0.25f, 0.75f, 1f];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                Assert.Equal(weights[x] + 2 * weights[y], resized[x, y], 6);
    }

    [Fact]
    public void Halving_averages_each_2x2_block()
    {
        var source = new Heatmap(4, 2, [1, 3, 10, 20, 5, 7, 30, 40]);
        var resized = source.Resize(2, 1);
        Assert.Equal(4f, resized[0, 0], 6);
        Assert.Equal(25f, resized[1, 0], 6);
    }

    [Fact]
    public void Same_size_is_an_exact_copy()
    {
        var source = new Heatmap(3, 2, [1, 2, 3, 4, 5, 6]);
        var resized = source.Resize(3, 2);
        Assert.Equal(source.Values, resized.Values);
        Assert.NotSame(source.Values, resized.Values);
    }

    [Fact]
    public void A_single_value_fills_any_size()
    {
        var resized = new Heatmap(1, 1, [0.7f]).Resize(5, 3);
        Assert.All(resized.Values, v => Assert.Equal(0.7f, v));
    }

    [Theory]
    [InlineData(7, 5, 23, 11)]
    [InlineData(7, 5, 3, 2)]
    [InlineData(13, 13, 224, 224)]
    [InlineData(6, 4, 6, 9)]
    public void Matches_torch_bilinear_interpolation_without_align_corners(int inWidth, int inHeight, int outWidth, int outHeight)
    {
        var random = new Random(inWidth * 100 + outWidth);
        var values = Enumerable.Range(0, inWidth * inHeight).Select(_ => (float)random.NextDouble()).ToArray();
        var resized = new Heatmap(inWidth, inHeight, values).Resize(outWidth, outHeight);

        using var scope = NewDisposeScope();
        var input = tensor(values).reshape(1, 1, inHeight, inWidth);
        var expected = nn.functional.interpolate(input, size: [outHeight, outWidth], mode: InterpolationMode.Bilinear, align_corners: false)
            .reshape(-1).data<float>().ToArray();

        Assert.Equal(expected.Length, resized.Values.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], resized.Values[i], 1e-6f);
    }

    [Fact]
    public void Target_size_must_be_positive()
    {
        Assert.Throws<ArgumentException>(() => new Heatmap(2, 2).Resize(0, 3));
    }
}
