using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Rendering;

namespace Gaze.Tests.Rendering;

public class HeatmapRendererTests
{
    private static RgbImage RandomImage(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    private static Heatmap RandomHeatmap(int width, int height, int seed)
    {
        var random = new Random(seed);
        return new Heatmap(width, height, Enumerable.Range(0, width * height).Select(_ => (float)random.NextDouble()).ToArray());
    }

    [Fact]
    public void Colorize_maps_every_value_through_the_colormap()
    {
        var heatmap = RandomHeatmap(5, 4, 1);
        var image = HeatmapRenderer.Colorize(heatmap, Colormap.Viridis);
        Assert.Equal((5, 4), (image.Width, image.Height));
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 5; x++)
                Assert.Equal(Colormap.Viridis.Map(heatmap[x, y]), image[x, y]);
    }

    [Fact]
    public void Opacity_0_leaves_the_image_unchanged()
    {
        var image = RandomImage(20, 10, 2);
        var overlay = HeatmapRenderer.Overlay(image, RandomHeatmap(20, 10, 3), Colormap.Jet, opacity: 0);
        Assert.Equal(image.Pixels, overlay.Pixels);
        Assert.NotSame(image.Pixels, overlay.Pixels);
    }

    [Fact]
    public void Opacity_1_shows_only_the_colormap()
    {
        var image = RandomImage(20, 10, 4);
        var heatmap = RandomHeatmap(20, 10, 5);
        var overlay = HeatmapRenderer.Overlay(image, heatmap, Colormap.Turbo, opacity: 1);
        Assert.Equal(HeatmapRenderer.Colorize(heatmap, Colormap.Turbo).Pixels, overlay.Pixels);
    }

    [Fact]
    public void Default_opacity_is_an_even_blend_rounded_half_up()
    {
        var image = RandomImage(16, 12, 6);
        var heatmap = RandomHeatmap(16, 12, 7);
        var overlay = HeatmapRenderer.Overlay(image, heatmap, Colormap.Jet);
        var colours = HeatmapRenderer.Colorize(heatmap, Colormap.Jet).Pixels;
        for (int i = 0; i < overlay.Pixels.Length; i++)
            Assert.Equal((image.Pixels[i] + colours[i] + 1) / 2, overlay.Pixels[i]);
    }

    [Fact]
    public void Other_opacities_blend_proportionally()
    {
        var image = new RgbImage(1, 1, [200, 100, 0]);
        var heatmap = new Heatmap(1, 1, [0f]); // jet entry 0 = (0, 0, 128)
        var overlay = HeatmapRenderer.Overlay(image, heatmap, Colormap.Jet, opacity: 0.25);
        Assert.Equal(((byte)150, (byte)75, (byte)32), overlay[0, 0]);
    }

    [Fact]
    public void A_small_heatmap_is_stretched_over_the_whole_image()
    {
        var image = new RgbImage(64, 48); // black
        var heatmap = new Heatmap(2, 2, [0, 0, 0, 1]); // hot bottom-right corner
        var overlay = HeatmapRenderer.Overlay(image, heatmap, Colormap.Jet, opacity: 1);

        Assert.Equal((64, 48), (overlay.Width, overlay.Height));
        // Each heatmap cell covers a 32x24 quarter; its centre sits at pixel 16 (x) and 12 (y) of that quarter.
        // Left of the first centres the sample clamps to the cold cells, right of the last ones to the hot cell.
        for (int y = 0; y < 48; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                if (x < 16 || y < 12) Assert.Equal(Colormap.Jet.Map(0f), overlay[x, y]);
                else if (x >= 48 && y >= 36) Assert.Equal(Colormap.Jet.Map(1f), overlay[x, y]);
            }
        }
        // In between the heat rises smoothly: half way along the diagonal it is neither end of the scale.
        var middle = overlay[32, 24];
        Assert.NotEqual(Colormap.Jet.Map(0f), middle);
        Assert.NotEqual(Colormap.Jet.Map(1f), middle);
    }

    [Fact]
    public void The_overlay_at_half_opacity_darkens_the_cold_corner_blue()
    {
        var image = new RgbImage(64, 48, Enumerable.Repeat((byte)200, 64 * 48 * 3).ToArray());
        var overlay = HeatmapRenderer.Overlay(image, new Heatmap(2, 2, [0, 0, 0, 1]), Colormap.Jet);
        Assert.Equal(((byte)100, (byte)100, (byte)164), overlay[0, 0]); // (200 + (0, 0, 128)) / 2
        Assert.Equal(((byte)164, (byte)100, (byte)100), overlay[63, 47]); // (200 + (128, 0, 0)) / 2
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Opacity_outside_0_to_1_is_an_option_error(double opacity)
    {
        var error = Assert.Throws<InvalidOptionException>(() =>
            HeatmapRenderer.Overlay(new RgbImage(2, 2), new Heatmap(2, 2), Colormap.Jet, opacity));
        Assert.Equal("--opacity", error.Option);
    }
}
