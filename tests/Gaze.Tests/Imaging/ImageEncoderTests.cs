using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Tests.Support;
using SkiaSharp;

namespace Gaze.Tests.Imaging;

public class ImageEncoderTests
{
    /// <summary>A smooth gradient with a few sharp details: realistic for JPEG, distinctive for PNG.</summary>
    private static RgbImage TestImage(int width = 40, int height = 30)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = ((byte)(x * 255 / (width - 1)), (byte)(y * 255 / (height - 1)), (byte)((x + y) % 7 * 30));
        return image;
    }

    private static SKBitmap Decode(string path) =>
        SKBitmap.Decode(path) ?? throw new InvalidOperationException($"SkiaSharp could not decode {path}");

    [Theory]
    [InlineData("out.png")]
    [InlineData("OUT.PNG")]
    public void Png_round_trips_exact_pixels(string name)
    {
        using var directory = new TempDirectory();
        var image = TestImage();
        string path = directory.File(name);
        ImageEncoder.Write(path, image);

        using var decoded = Decode(path);
        Assert.Equal((image.Width, image.Height), (decoded.Width, decoded.Height));
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                SKColor colour = decoded.GetPixel(x, y);
                Assert.Equal(image[x, y], (colour.Red, colour.Green, colour.Blue));
                Assert.Equal(255, colour.Alpha);
            }
        }
    }

    [Theory]
    [InlineData("out.jpg")]
    [InlineData("out.jpeg")]
    [InlineData("out.JPG")]
    public void Jpeg_is_close_to_the_original(string name)
    {
        using var directory = new TempDirectory();
        var image = TestImage(64, 48);
        string path = directory.File(name);
        ImageEncoder.Write(path, image);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([0xFF, 0xD8], bytes[..2]); // JPEG start-of-image marker
        using var decoded = Decode(path);
        Assert.Equal((image.Width, image.Height), (decoded.Width, decoded.Height));
        double totalError = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                SKColor colour = decoded.GetPixel(x, y);
                var (r, g, b) = image[x, y];
                totalError += Math.Abs(colour.Red - r) + Math.Abs(colour.Green - g) + Math.Abs(colour.Blue - b);
            }
        }
        double meanError = totalError / (image.Width * image.Height * 3);
        Assert.True(meanError < 4, $"mean absolute error {meanError:F2} per channel is too large for quality 95");
    }

    [Fact]
    public void Lower_jpeg_quality_gives_a_smaller_file()
    {
        using var directory = new TempDirectory();
        var image = TestImage(64, 48);
        ImageEncoder.Write(directory.File("high.jpg"), image);
        ImageEncoder.Write(directory.File("low.jpg"), image, jpegQuality: 20);
        Assert.True(new FileInfo(directory.File("low.jpg")).Length < new FileInfo(directory.File("high.jpg")).Length);
    }

    [Fact]
    public void Writing_leaves_only_the_output_and_replaces_an_existing_file()
    {
        using var directory = new TempDirectory();
        string path = directory.File("heatmap.png");
        File.WriteAllText(path, "old content");
        ImageEncoder.Write(path, TestImage());
        ImageEncoder.Write(directory.File("heatmap.jpg"), TestImage());

        Assert.Equal(["heatmap.jpg", "heatmap.png"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
        using var decoded = Decode(path);
        Assert.Equal(40, decoded.Width);
    }

    [Theory]
    [InlineData("out.bmp")]
    [InlineData("out")]
    [InlineData("out.png.txt")]
    public void Unsupported_extension_is_an_option_error_and_writes_nothing(string name)
    {
        using var directory = new TempDirectory();
        string path = directory.File(name);
        var error = Assert.Throws<InvalidOptionException>(() => ImageEncoder.Write(path, TestImage()));
        Assert.Equal("--output", error.Option);
        Assert.Contains(".png, .jpg or .jpeg", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void Format_follows_the_extension()
    {
        Assert.Equal(ImageFileFormat.Png, ImageEncoder.FormatFromPath("a/b.Png"));
        Assert.Equal(ImageFileFormat.Jpeg, ImageEncoder.FormatFromPath("b.jpeg"));
        Assert.Equal("-o", Assert.Throws<InvalidOptionException>(() => ImageEncoder.FormatFromPath("x.gif", "-o")).Option);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Jpeg_quality_must_be_1_to_100(int quality)
    {
        using var directory = new TempDirectory();
        var error = Assert.Throws<InvalidOptionException>(() => ImageEncoder.Write(directory.File("x.jpg"), TestImage(), quality));
        Assert.Equal("--quality", error.Option);
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void Missing_directory_is_an_output_file_error_naming_the_path()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "no-such-dir", "out.png");
        var error = Assert.Throws<OutputFileException>(() => ImageEncoder.Write(path, TestImage()));
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void Encode_writes_to_a_stream()
    {
        using var stream = new MemoryStream();
        ImageEncoder.Encode(TestImage(), ImageFileFormat.Png, ImageEncoder.DefaultJpegQuality, stream);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], stream.ToArray()[..4]);
    }
}
