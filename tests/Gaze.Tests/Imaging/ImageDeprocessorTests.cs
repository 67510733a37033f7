using Gaze.Imaging;
using Gaze.Models;
using TorchSharp;
using static Gaze.Tests.Imaging.TestPictures;

namespace Gaze.Tests.Imaging;

public class ImageDeprocessorTests
{
    public static TheoryData<string> Conventions => ["caffe", "torchvision", "torchvision-nhwc"];

    private static ModelInput Convention(string name) => name switch
    {
        "caffe" => new ModelInput { Channels = ChannelOrder.BGR, Range = 255, Mean = [104, 117, 123], Std = [1] },
        "torchvision" => ModelInput.Default,
        _ => ModelInput.Default with { Layout = TensorLayout.NHWC },
    } with
    {
        Resize = ResizeMode.Stretch,
    };

    private static int MaxDifference(RgbImage a, RgbImage b) =>
        a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Max();

    [Theory]
    [MemberData(nameof(Conventions))]
    public void Preprocess_then_deprocess_gives_the_image_back(string convention)
    {
        var input = Convention(convention);
        var image = Noise(224, 224, seed: 11);
        using var tensor = new ImagePreprocessor(input).Preprocess(image);
        var deprocessor = new ImageDeprocessor(input);

        var fromBatch = deprocessor.ToImage(tensor);
        using var unbatched = tensor.squeeze(0);
        var fromSingle = deprocessor.ToImage(unbatched);

        Assert.Equal((224, 224), (fromBatch.Width, fromBatch.Height));
        Assert.InRange(MaxDifference(image, fromBatch), 0, 1);
        Assert.Equal(fromBatch.Pixels, fromSingle.Pixels);
    }

    [Fact]
    public void Values_outside_the_pixel_range_are_clipped()
    {
        var input = ModelInput.Default with { Size = new InputSize(1, 2) };
        // Channel planes R, G, B of two pixels: far below and far above the range, NaN becomes 0.
        using var tensor = torch.tensor(new float[] { -100, 100, 100, -100, float.NaN, 0 }, [1, 3, 1, 2]);
        var image = new ImageDeprocessor(input).ToImage(tensor);
        Assert.Equal(((byte)0, (byte)255, (byte)0), image[0, 0]);
        Assert.Equal(((byte)255, (byte)0, (byte)Math.Round(0.406 * 255)), image[1, 0]);
    }

    [Fact]
    public void Gray_becomes_equal_red_green_and_blue()
    {
        var input = new ModelInput { Channels = ChannelOrder.GRAY, Range = 255, Mean = [0], Std = [1], Size = new InputSize(1, 2) };
        using var tensor = torch.tensor(new float[] { 12.4f, 200.6f }, [1, 1, 2]);
        var image = new ImageDeprocessor(input).ToImage(tensor);
        Assert.Equal(((byte)12, (byte)12, (byte)12), image[0, 0]);
        Assert.Equal(((byte)201, (byte)201, (byte)201), image[1, 0]);
    }

    [Fact]
    public void Batch_gives_one_image_each()
    {
        var input = ModelInput.Default with { Size = InputSize.Square(8), Resize = ResizeMode.Stretch };
        RgbImage[] images = [Noise(8, 8, 1), Solid(8, 8, Red)];
        using var batch = new ImagePreprocessor(input).Preprocess(images);
        var back = new ImageDeprocessor(input).ToImages(batch);
        Assert.Equal(2, back.Count);
        Assert.InRange(MaxDifference(images[0], back[0]), 0, 1);
        Assert.InRange(MaxDifference(images[1], back[1]), 0, 1);
    }

    [Fact]
    public void Wrong_channel_count_is_rejected()
    {
        using var tensor = torch.zeros(1, 1, 4, 4);
        Assert.Throws<ArgumentException>(() => new ImageDeprocessor(ModelInput.Default).ToImage(tensor));
    }
}
