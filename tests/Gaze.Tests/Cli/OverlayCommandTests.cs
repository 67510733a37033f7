using Gaze.Imaging;
using Gaze.IO;
using Gaze.Tests.Support;
using SkiaSharp;

namespace Gaze.Tests.Cli;

/// <summary><c>gaze overlay</c>, and through it the CLI's mapping of bad input files to exit code 2.</summary>
public class OverlayCommandTests
{
    private static string WritePng(TempDirectory dir, string name, int width, int height)
    {
        var image = new RgbImage(width, height);
        for (int i = 0; i < image.Pixels.Length; i++) image.Pixels[i] = 100;
        string path = dir.File(name);
        ImageEncoder.Write(path, image);
        return path;
    }

    [Fact]
    public void Draws_the_heatmap_at_the_image_size()
    {
        using var dir = new TempDirectory();
        string image = WritePng(dir, "gray.png", 40, 30);
        string heatmap = dir.File("heat.npy");
        NpyFile.Write(heatmap, new float[] { 0, 0, 0, 1 }, 2, 2); // hot bottom-right corner
        string output = dir.File("overlay.png");

        var result = CliRunner.Run("overlay", image, heatmap, "--out", output, "--opacity", "1");

        Assert.Equal(0, result.ExitCode);
        using var written = SKBitmap.Decode(output);
        Assert.Equal(40, written.Width);
        Assert.Equal(30, written.Height);
        // Opacity 1 shows the colormap alone: jet's 0 is dark blue, its 1 dark red.
        Assert.Equal(new SKColor(0, 0, 128), written.GetPixel(0, 0));
        Assert.Equal(new SKColor(128, 0, 0), written.GetPixel(39, 29));
    }

    public static TheoryData<string, byte[]> BadImages() => new()
    {
        { "empty.jpg", [] },
        { "truncated.jpg", TruncatedJpeg() },
        { "text.png", "this is not a picture"u8.ToArray() },
    };

    private static byte[] TruncatedJpeg()
    {
        using var bitmap = new SKBitmap(64, 64);
        bitmap.Erase(SKColors.Orange);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        byte[] whole = data.ToArray();
        return whole[..(whole.Length / 2)];
    }

    [Theory]
    [MemberData(nameof(BadImages))]
    public void Bad_images_exit_two_with_one_line_naming_the_file(string name, byte[] content)
    {
        using var dir = new TempDirectory();
        string image = dir.File(name);
        File.WriteAllBytes(image, content);
        string heatmap = dir.File("heat.npy");
        NpyFile.Write(heatmap, new float[] { 0, 1, 1, 0 }, 2, 2);
        string output = dir.File("overlay.png");

        var result = CliRunner.Run("overlay", image, heatmap, "--out", output);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(image, line);
        Assert.False(File.Exists(output));
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length); // the image and the heatmap: nothing partial
    }

    [Fact]
    public void Missing_files_and_bad_options_exit_two()
    {
        using var dir = new TempDirectory();
        string image = WritePng(dir, "a.png", 8, 8);
        string heatmap = dir.File("heat.npy");
        NpyFile.Write(heatmap, new float[] { 0, 1, 1, 0 }, 2, 2);
        string output = dir.File("o.png");

        var missing = CliRunner.Run("overlay", dir.File("nope.png"), heatmap, "--out", output);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.png", missing.Error);

        var colormap = CliRunner.Run("overlay", image, heatmap, "--out", output, "--colormap", "rainbow");
        Assert.Equal(2, colormap.ExitCode);
        Assert.Contains("--colormap", colormap.Error);

        var opacity = CliRunner.Run("overlay", image, heatmap, "--out", output, "--opacity", "1.5");
        Assert.Equal(2, opacity.ExitCode);
        Assert.Contains("--opacity", opacity.Error);

        var extension = CliRunner.Run("overlay", image, heatmap, "--out", dir.File("o.tiff"));
        Assert.Equal(2, extension.ExitCode);
        Assert.Contains("--out", extension.Error);

        string cube = dir.File("cube.npy");
        NpyFile.Write(cube, new float[8], 2, 2, 2);
        var shape = CliRunner.Run("overlay", image, cube, "--out", output);
        Assert.Equal(2, shape.ExitCode);
        Assert.Contains("cube.npy", shape.Error);
        Assert.False(File.Exists(output));
    }
}
