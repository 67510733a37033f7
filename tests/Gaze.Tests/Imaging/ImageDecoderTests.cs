using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Tests.Support;
using SkiaSharp;
using static Gaze.Tests.Imaging.TestPictures;

namespace Gaze.Tests.Imaging;

public class ImageDecoderTests
{
    private static RgbImage WriteAndLoad(TempDirectory temp, string name, byte[] bytes)
    {
        string path = temp.File(name);
        File.WriteAllBytes(path, bytes);
        return ImageDecoder.Load(path);
    }

    private static void AssertQuadrants(RgbImage image, int width, int height, int tolerance)
    {
        Assert.Equal((width, height), (image.Width, image.Height));
        // Quadrant centres, away from the edges where lossy codecs bleed.
        Assert.InRange(Distance(image[width / 4, height / 4], Red), 0, tolerance);
        Assert.InRange(Distance(image[3 * width / 4, height / 4], Green), 0, tolerance);
        Assert.InRange(Distance(image[width / 4, 3 * height / 4], Blue), 0, tolerance);
        Assert.InRange(Distance(image[3 * width / 4, 3 * height / 4], Yellow), 0, tolerance);
    }

    [Fact]
    public void Png_is_decoded_exactly()
    {
        using var temp = new TempDirectory();
        var original = Noise(37, 23, seed: 1);
        var decoded = WriteAndLoad(temp, "noise.png", SkiaEncoding.Encode(original, SKEncodedImageFormat.Png));
        Assert.Equal((37, 23), (decoded.Width, decoded.Height));
        Assert.Equal(original.Pixels, decoded.Pixels);
    }

    [Theory]
    [InlineData("photo.jpg")]
    [InlineData("photo.jfif")]
    public void Jpeg_is_decoded_within_compression_error(string name)
    {
        using var temp = new TempDirectory();
        var decoded = WriteAndLoad(temp, name, SkiaEncoding.Encode(Quadrants(64, 48), SKEncodedImageFormat.Jpeg, 95));
        AssertQuadrants(decoded, 64, 48, tolerance: 12);
    }

    [Fact]
    public void Webp_is_decoded_within_compression_error()
    {
        using var temp = new TempDirectory();
        byte[] webp = SkiaEncoding.Encode(Quadrants(64, 48), SKEncodedImageFormat.Webp, 90);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(webp, 0, 4));
        var decoded = WriteAndLoad(temp, "picture.webp", webp);
        AssertQuadrants(decoded, 64, 48, tolerance: 12);
    }

    [Fact]
    public void Bmp_written_byte_by_byte_is_decoded_exactly()
    {
        using var temp = new TempDirectory();
        // Width 37: rows need padding to a multiple of 4 bytes.
        var original = Noise(37, 11, seed: 2);
        var decoded = WriteAndLoad(temp, "noise.bmp", BmpWriter.Write(original));
        Assert.Equal((37, 11), (decoded.Width, decoded.Height));
        Assert.Equal(original.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Gif_first_frame_is_decoded_exactly()
    {
        using var temp = new TempDirectory();
        // Random pixels from 6 colours: the LZW table grows through several code widths.
        var colours = new[] { Red, Green, Blue, Yellow, ((byte)0, (byte)0, (byte)0), ((byte)255, (byte)255, (byte)255) };
        var random = new Random(3);
        var first = new RgbImage(40, 30);
        for (int y = 0; y < 30; y++)
            for (int x = 0; x < 40; x++)
                first[x, y] = colours[random.Next(colours.Length)];
        var second = Solid(40, 30, Blue);
        byte[] gif = new GifWriter(40, 30).AddFrame(first).AddFrame(second).ToArray();

        var decoded = WriteAndLoad(temp, "animation.gif", gif);

        Assert.Equal((40, 30), (decoded.Width, decoded.Height));
        Assert.Equal(first.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Gif_transparent_colour_becomes_white()
    {
        using var temp = new TempDirectory();
        var image = Quadrants(8, 8);
        byte[] gif = new GifWriter(8, 8).AddFrame(image, transparent: Green).ToArray();
        var decoded = WriteAndLoad(temp, "clear.gif", gif);
        Assert.Equal(((byte)255, (byte)255, (byte)255), decoded[6, 1]);
        Assert.Equal(Red, decoded[1, 1]);
    }

    [Fact]
    public void Transparency_is_composited_onto_white()
    {
        using var temp = new TempDirectory();
        // Unpremultiplied RGBA: opaque red, half-transparent red, fully transparent blue, quarter-opaque black.
        byte[] rgba = [255, 0, 0, 255, 255, 0, 0, 128, 0, 0, 255, 0, 0, 0, 0, 64];
        var decoded = WriteAndLoad(temp, "alpha.png", SkiaEncoding.EncodeRgba(rgba, 4, 1, SKEncodedImageFormat.Png));

        Assert.Equal(((byte)255, (byte)0, (byte)0), decoded[0, 0]);
        // c a + 255 (255 - a), over 255: 0 * 128 + 255 * 127 -> 127.
        Assert.Equal(((byte)255, (byte)127, (byte)127), decoded[1, 0]);
        Assert.Equal(((byte)255, (byte)255, (byte)255), decoded[2, 0]);
        Assert.Equal(((byte)191, (byte)191, (byte)191), decoded[3, 0]);
    }

    [Fact]
    public void Grayscale_png_becomes_rgb()
    {
        using var temp = new TempDirectory();
        byte[] gray = [0, 50, 128, 255, 7, 200];
        byte[] png = SkiaEncoding.EncodeGray(gray, 3, 2);
        Assert.Equal(0, png[25]); // IHDR colour type 0: the file really is gray
        var decoded = WriteAndLoad(temp, "gray.png", png);
        Assert.Equal((3, 2), (decoded.Width, decoded.Height));
        for (int i = 0; i < gray.Length; i++)
            Assert.Equal((gray[i], gray[i], gray[i]), decoded[i % 3, i / 3]);
    }

    // Where the red block in the stored top-left corner and the blue block in the stored top-right corner are shown,
    // per the EXIF definition "stored row 0 is at ..., stored column 0 is at ...".
    [Theory]
    [InlineData(1, "TL", "TR")]
    [InlineData(2, "TR", "TL")]
    [InlineData(3, "BR", "BL")]
    [InlineData(4, "BL", "BR")]
    [InlineData(5, "TL", "BL")]
    [InlineData(6, "TR", "BR")]
    [InlineData(7, "BR", "TR")]
    [InlineData(8, "BL", "TL")]
    public void Exif_orientation_turns_the_image_upright(int orientation, string redCorner, string blueCorner)
    {
        using var temp = new TempDirectory();
        const int width = 64, height = 32, block = 16;
        var stored = Solid(width, height, (128, 128, 128));
        Fill(stored, 0, 0, block, block, Red);
        Fill(stored, width - block, 0, width, block, Blue);
        byte[] jpeg = ExifJpeg.WithOrientation(SkiaEncoding.Encode(stored, SKEncodedImageFormat.Jpeg, 95), orientation);

        var shown = WriteAndLoad(temp, $"exif{orientation}.jpg", jpeg);

        bool swapped = orientation >= 5;
        Assert.Equal(swapped ? (height, width) : (width, height), (shown.Width, shown.Height));
        (int, int) Centre(string corner) => corner switch
        {
            "TL" => (block / 2, block / 2),
            "TR" => (shown.Width - block / 2, block / 2),
            "BL" => (block / 2, shown.Height - block / 2),
            _ => (shown.Width - block / 2, shown.Height - block / 2),
        };
        var (rx, ry) = Centre(redCorner);
        var (bx, by) = Centre(blueCorner);
        Assert.InRange(Distance(shown[rx, ry], Red), 0, 16);
        Assert.InRange(Distance(shown[bx, by], Blue), 0, 16);
    }

    [Fact]
    public void Shared_photos_decode_at_their_documented_sizes()
    {
        var jfif = ImageDecoder.Load(SharedData.Require("images/puppy-and-kitten.jfif"));
        Assert.Equal((284, 177), (jfif.Width, jfif.Height));
        var png = ImageDecoder.Load(SharedData.Require("images/cat-and-dog.png"));
        Assert.Equal((224, 224), (png.Width, png.Height));
    }

    [Fact]
    public void Missing_file_is_reported_as_not_found()
    {
        using var temp = new TempDirectory();
        string path = temp.File("absent.png");
        var error = Assert.Throws<InputFileNotFoundException>(() => ImageDecoder.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Empty_file_is_a_decode_error()
    {
        using var temp = new TempDirectory();
        string path = temp.File("empty.jpg");
        File.WriteAllBytes(path, []);
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("empty", error.Problem);
    }

    [Fact]
    public void Jpeg_cut_in_half_is_a_decode_error_not_a_grey_image()
    {
        using var temp = new TempDirectory();
        byte[] jpeg = SkiaEncoding.Encode(Noise(128, 128, seed: 4), SKEncodedImageFormat.Jpeg, 90);
        string path = temp.File("cut.jpg");
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Problem);
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_a_decode_error()
    {
        byte[] jpeg = SkiaEncoding.Encode(Noise(16, 16, seed: 5), SKEncodedImageFormat.Jpeg, 90);
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg[..20], "head.jpg"));
        Assert.Contains("head.jpg", error.Message);
        Assert.Contains("JPEG", error.Problem);
    }

    [Fact]
    public void Text_file_named_png_is_not_an_image()
    {
        using var temp = new TempDirectory();
        string path = temp.File("notes.png");
        File.WriteAllText(path, "these are my notes, not a picture\n");
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not a supported image", error.Problem);
    }

    [Fact]
    public void Formats_skia_knows_but_gaze_does_not_support_are_rejected()
    {
        using var temp = new TempDirectory();
        // An ICO file holding a PNG: Skia decodes it, Gaze promises only JPEG, PNG, BMP, GIF and WebP.
        byte[] png = SkiaEncoding.Encode(Solid(16, 16, Red), SKEncodedImageFormat.Png);
        byte[] ico = [0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0,
            (byte)png.Length, (byte)(png.Length >> 8), (byte)(png.Length >> 16), 0, 22, 0, 0, 0, .. png];
        string path = temp.File("icon.ico");
        File.WriteAllBytes(path, ico);
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path));
        Assert.Contains(path, error.Message);
        // Refused by its first bytes, before the rest is read.
        Assert.Contains("not a supported image", error.Problem);
    }

    [Fact]
    public void Directory_is_not_an_image()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(temp.Path));
        Assert.Contains(temp.Path, error.Message);
    }

    [Theory]
    [InlineData("a.JPG", true)]
    [InlineData("a.jpeg", true)]
    [InlineData("a.jfif", true)]
    [InlineData("a.webp", true)]
    [InlineData("a.gif", true)]
    [InlineData("a.bmp", true)]
    [InlineData("a.png", true)]
    [InlineData("a.txt", false)]
    [InlineData("png", false)]
    public void Supported_extensions_are_recognised(string name, bool supported) =>
        Assert.Equal(supported, ImageDecoder.HasSupportedExtension(name));
}
