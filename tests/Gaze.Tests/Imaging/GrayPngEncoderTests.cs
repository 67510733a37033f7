using Gaze.Imaging;
using Gaze.Tests.Support;
using SkiaSharp;

namespace Gaze.Tests.Imaging;

public class GrayPngEncoderTests
{
    [Fact]
    public void Writes_an_8_bit_grayscale_png_that_round_trips()
    {
        using var directory = new TempDirectory();
        var image = new GrayImage(21, 13);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                image[x, y] = (byte)((x * 37 + y * 11) % 256);
        string path = directory.File("mask.png");
        GrayPngEncoder.Write(path, image);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        // IHDR follows the 8-byte signature and 8-byte chunk header: width, height, bit depth, colour type.
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(8, bytes[24]); // bits per sample
        Assert.Equal(0, bytes[25]); // colour type 0: grayscale, no alpha

        using var decoded = SKBitmap.Decode(path, new SKImageInfo(21, 13, SKColorType.Gray8, SKAlphaType.Opaque));
        Assert.NotNull(decoded);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                Assert.Equal(image[x, y], decoded.GetPixelSpan()[y * decoded.RowBytes + x]);
        Assert.Empty(Directory.GetFiles(directory.Path, ".*")); // no temporary file left behind
    }

    [Fact]
    public void Gray_image_checks_its_size_and_pixel_access()
    {
        Assert.Throws<ArgumentException>(() => new GrayImage(0, 3));
        Assert.Throws<ArgumentException>(() => new GrayImage(2, 2, new byte[3]));
        var image = new GrayImage(3, 2);
        image[2, 1] = 7;
        Assert.Equal(7, image.Pixels[5]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[3, 0]);
    }
}
