using Gaze.Imaging;
using Gaze.Models;
using TorchSharp;
using static Gaze.Tests.Imaging.TestPictures;

namespace Gaze.Tests.Imaging;

public class ImagePreprocessorTests
{
    private static readonly ModelInput Torchvision = ModelInput.Default;

    private static readonly ModelInput Caffe = ModelInput.Default with
    {
        Channels = ChannelOrder.BGR,
        Range = 255,
        Mean = [104, 117, 123],
        Std = [1],
        Resize = ResizeMode.Stretch,
    };

    private static float[] Values(torch.Tensor tensor) => tensor.data<float>().ToArray();

    // Python's int(round(x)): halves go to the even neighbour.
    private static int PythonRound(double x) => (int)Math.Round(x, MidpointRounding.ToEven);

    [Fact]
    public void Center_crop_geometry_is_torchvision_resize_256_then_center_crop_224()
    {
        // torchvision: the shorter side 300 becomes 256, the longer int(256 * 400 / 300) = 341;
        // crop top round((256 - 224) / 2) = 16, left round((341 - 224) / 2) = round(58.5) = 58 (half to even).
        int resizedWidth = (int)(256.0 * 400 / 300);
        int left = PythonRound((resizedWidth - 224) / 2.0), top = PythonRound((256 - 224) / 2.0);
        Assert.Equal((341, 58, 16), (resizedWidth, left, top));

        var landscape = InputGeometry.For(Torchvision, 400, 300);
        Assert.Equal(new InputGeometry(400, 300, 341, 256, 58, 16, 224, 224), landscape);
        var portrait = InputGeometry.For(Torchvision, 300, 400);
        Assert.Equal(new InputGeometry(300, 400, 256, 341, 16, 58, 224, 224), portrait);
        var square = InputGeometry.For(Torchvision, 500, 500);
        Assert.Equal(new InputGeometry(500, 500, 256, 256, 16, 16, 224, 224), square);
        // 299 / 0.875 = 341.7 rounds down to 341; the crop offset 21 is exact.
        var inception = InputGeometry.For(Torchvision with { Size = InputSize.Square(299) }, 640, 480);
        Assert.Equal((454, 341, 78, 21), (inception.ResizedWidth, inception.ResizedHeight, inception.CropLeft, inception.CropTop));
    }

    [Fact]
    public void Geometry_maps_points_both_ways()
    {
        var geometry = InputGeometry.For(Torchvision, 400, 300);
        var (sx, sy) = geometry.ToSource(100.5, 7.25);
        var (ix, iy) = geometry.ToInput(sx, sy);
        Assert.Equal(100.5, ix, 9);
        Assert.Equal(7.25, iy, 9);
        Assert.Equal((0.0, 0.0), geometry.ToInput(geometry.SourceRegion.Left, geometry.SourceRegion.Top));
        Assert.Equal(58 * 400 / 341.0, geometry.SourceRegion.Left, 9);
        Assert.Equal(224 * 300 / 256.0, geometry.SourceRegion.Height, 9);

        var stretched = InputGeometry.For(Caffe, 448, 112);
        Assert.Equal((0.5, 2.0), (stretched.ScaleX, stretched.ScaleY));
        Assert.Equal((448.0, 112.0), stretched.ToSource(224, 224));
    }

    [Fact]
    public void Center_crop_puts_marker_blocks_where_torchvision_puts_them()
    {
        // 400x300 white image with three 30x30 blocks inside the crop and a black one left of it.
        var image = Solid(400, 300, (255, 255, 255));
        Fill(image, 95, 45, 125, 75, (255, 0, 0));
        Fill(image, 185, 135, 215, 165, (0, 0, 255));
        Fill(image, 275, 225, 305, 255, (0, 255, 0));
        Fill(image, 10, 130, 40, 160, (0, 0, 0));

        var preprocessor = new ImagePreprocessor(Torchvision);
        using var tensor = preprocessor.Preprocess(image);
        Assert.Equal(new long[] { 1, 3, 224, 224 }, tensor.shape);
        var pixels = ToPixels(Values(tensor), Torchvision);

        // Block centre in the input = centre in the original * (341 / 400, 256 / 300) - (58, 16).
        double scaleX = 341.0 / 400, scaleY = 256.0 / 300;
        AssertBlockCentre(pixels, (r, g, b) => r - g, 110 * scaleX - 58, 60 * scaleY - 16);
        AssertBlockCentre(pixels, (r, g, b) => b - r, 200 * scaleX - 58, 150 * scaleY - 16);
        AssertBlockCentre(pixels, (r, g, b) => g - r, 290 * scaleX - 58, 240 * scaleY - 16);
        // The black block lies left of the crop: nothing dark reaches the input.
        Assert.DoesNotContain(pixels.Cast<(double R, double G, double B)>(), p => p.R < 100 && p.G < 100 && p.B < 100);
    }

    /// <summary>The pixel colours (0..255) of a [1,3,H,W] RGB tensor, undoing the normalisation by hand.</summary>
    private static (double R, double G, double B)[,] ToPixels(float[] values, ModelInput input)
    {
        int height = input.Size.Height, width = input.Size.Width, plane = height * width;
        var pixels = new (double, double, double)[height, width];
        double Level(int c, int index) => (values[c * plane + index] * input.StdOf(c) + input.MeanOf(c)) * 255 / input.Range;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixels[y, x] = (Level(0, y * width + x), Level(1, y * width + x), Level(2, y * width + x));
        return pixels;
    }

    /// <summary>
    /// The centroid of a colour weight (e.g. red minus green, zero on white) in a window around the expected centre
    /// matches it to within half a pixel: a one-pixel error in scale or crop shows.
    /// </summary>
    private static void AssertBlockCentre((double R, double G, double B)[,] pixels, Func<double, double, double, double> weight,
        double expectedX, double expectedY)
    {
        double sum = 0, sumX = 0, sumY = 0;
        for (int y = Math.Max(0, (int)expectedY - 25); y < Math.Min(pixels.GetLength(0), (int)expectedY + 25); y++)
        {
            for (int x = Math.Max(0, (int)expectedX - 25); x < Math.Min(pixels.GetLength(1), (int)expectedX + 25); x++)
            {
                var (r, g, b) = pixels[y, x];
                double w = Math.Max(0, weight(r, g, b));
                sum += w;
                sumX += w * (x + 0.5);
                sumY += w * (y + 0.5);
            }
        }
        Assert.True(sum > 255 * 100, $"block near ({expectedX:F1}, {expectedY:F1}) not found");
        Assert.InRange(sumX / sum, expectedX - 0.5, expectedX + 0.5);
        Assert.InRange(sumY / sum, expectedY - 0.5, expectedY + 0.5);
        // The block's middle is solid colour: it was not blurred away.
        var (cr, cg, cb) = pixels[(int)expectedY, (int)expectedX];
        Assert.InRange(weight(cr, cg, cb), 240, 256);
    }

    [Fact]
    public void Caffe_convention_is_bgr_minus_mean_in_pixel_units()
    {
        var image = Solid(4, 2, (10, 20, 30));
        image[3, 1] = (255, 128, 0);
        var input = Caffe with { Size = new InputSize(2, 4) };
        using var tensor = new ImagePreprocessor(input).Preprocess(image);
        var v = Values(tensor);
        // Channel planes of 8 values: B, G, R.
        Assert.Equal(30f - 104, v[0]);
        Assert.Equal(20f - 117, v[8]);
        Assert.Equal(10f - 123, v[16]);
        Assert.Equal(0f - 104, v[7]);
        Assert.Equal(128f - 117, v[15]);
        Assert.Equal(255f - 123, v[23]);
    }

    [Fact]
    public void Torchvision_convention_scales_to_one_and_normalises_per_channel()
    {
        var image = Solid(3, 3, (255, 0, 51));
        using var tensor = new ImagePreprocessor(Torchvision with { Size = InputSize.Square(3), Resize = ResizeMode.Stretch }).Preprocess(image);
        var v = Values(tensor);
        Assert.Equal((1 - 0.485) / 0.229, v[0], 5);
        Assert.Equal((0 - 0.456) / 0.224, v[9], 5);
        Assert.Equal((0.2 - 0.406) / 0.225, v[18], 5);
    }

    [Fact]
    public void Nhwc_layout_holds_the_same_values_with_channels_last()
    {
        var image = Noise(50, 40, seed: 7);
        var nchwInput = Torchvision with { Size = new InputSize(24, 32) };
        using var nchw = new ImagePreprocessor(nchwInput).Preprocess(image);
        using var nhwc = new ImagePreprocessor(nchwInput with { Layout = TensorLayout.NHWC }).Preprocess(image);
        Assert.Equal(new long[] { 1, 24, 32, 3 }, nhwc.shape);
        using var permuted = nchw.permute(0, 2, 3, 1).contiguous();
        Assert.Equal(Values(permuted), Values(nhwc));
    }

    [Fact]
    public void Gray_channel_is_bt601_luma()
    {
        var image = new RgbImage(3, 1);
        image[0, 0] = (255, 0, 0);
        image[1, 0] = (0, 255, 0);
        image[2, 0] = (10, 100, 200);
        var input = new ModelInput
        {
            Size = new InputSize(1, 3), Channels = ChannelOrder.GRAY, Range = 255, Mean = [0], Std = [1], Resize = ResizeMode.Stretch,
        };
        using var tensor = new ImagePreprocessor(input).Preprocess(image);
        Assert.Equal(new long[] { 1, 1, 1, 3 }, tensor.shape);
        var v = Values(tensor);
        Assert.Equal(0.299 * 255, v[0], 3);
        Assert.Equal(0.587 * 255, v[1], 3);
        Assert.Equal(0.299 * 10 + 0.587 * 100 + 0.114 * 200, v[2], 3);
    }

    [Fact]
    public void Batch_of_differing_sizes_stacks_each_image_preprocessed_alone()
    {
        RgbImage[] images = [Noise(300, 200, 1), Quadrants(224, 224), Noise(100, 500, 2)];
        var preprocessor = new ImagePreprocessor(Torchvision with { Size = InputSize.Square(64) });
        using var batch = preprocessor.Preprocess(images);
        Assert.Equal(new long[] { 3, 3, 64, 64 }, batch.shape);
        for (int n = 0; n < images.Length; n++)
        {
            using var single = preprocessor.Preprocess(images[n]);
            using var slice = batch[n].unsqueeze(0);
            Assert.Equal(Values(single), Values(slice.contiguous()));
        }
        Assert.Equal(torch.ScalarType.Float32, batch.dtype);
    }

    [Fact]
    public void Shrinking_averages_fine_detail_instead_of_aliasing()
    {
        // One-pixel black and white stripes shrunk by 3: plain bilinear would sample single stripes (0 or 255).
        var stripes = new RgbImage(300, 300);
        for (int y = 0; y < 300; y++)
            for (int x = 0; x < 300; x += 2)
                stripes[x, y] = (255, 255, 255);
        var shrunk = ImageResampler.Resize(stripes, 100, 100);
        Assert.InRange(shrunk.Pixels.Min(), 64, 192);
        Assert.InRange(shrunk.Pixels.Max(), 64, 192);
    }

    [Fact]
    public void Image_at_input_size_with_stretch_is_not_resampled()
    {
        var image = Noise(32, 16, seed: 9);
        var view = new ImagePreprocessor(Torchvision with { Size = new InputSize(16, 32), Resize = ResizeMode.Stretch }).ResizeToInput(image);
        Assert.Equal(image.Pixels, view.Pixels);
        Assert.NotSame(image.Pixels, view.Pixels);
    }
}
