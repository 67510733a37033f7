using System.Diagnostics;
using Gaze.Engine;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Tests.Support;

namespace Gaze.Tests.Imaging;

/// <summary>The decoder refuses hostile files before they cost memory or time: bombs, devices, pipes, huge files.</summary>
public sealed class ImageLimitTests
{
    public static TheoryData<string, int> Bombs => new()
    {
        { "png", 16384 },
        { "jpg", 16000 },
        { "gif", 16000 },
        { "bmp", 16000 },
        { "webp", 16000 },
    };

    /// <summary>Writes a bomb of the given extension into <paramref name="dir"/>.</summary>
    internal static string WriteBomb(TempDirectory dir, string extension, int side)
    {
        byte[] bytes = extension switch
        {
            "png" => HostileImages.Png(side),
            "jpg" => HostileImages.Jpeg(side),
            "gif" => HostileImages.Gif(side),
            "bmp" => HostileImages.Bmp(side),
            "webp" => HostileImages.WebP(side),
            _ => throw new ArgumentException(extension),
        };
        string path = dir.File($"bomb-{side}.{extension}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [MemberData(nameof(Bombs))]
    public void An_image_declaring_too_many_pixels_is_refused_from_its_header(string extension, int side)
    {
        using var dir = new TempDirectory();
        string path = WriteBomb(dir, extension, side);
        Assert.True(new FileInfo(path).Length < 2000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        string megapixels = FormattableString.Invariant($"{side * (long)side / 1e6:0.#}");
        Assert.Equal($"{path}: image declares {side}x{side} pixels ({megapixels} megapixels), more than the limit of 40,000,000 pixels", error.Message);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_smaller_pixel_limit_refuses_an_ordinary_image_and_a_larger_one_admits_it()
    {
        using var dir = new TempDirectory();
        string path = dir.File("small.png");
        File.WriteAllBytes(path, SkiaEncoding.Encode(TestPictures.Quadrants(40, 30), SkiaSharp.SKEncodedImageFormat.Png));

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path, new ResourceLimits { MaxImagePixels = 1000 }));
        Assert.Contains("declares 40x30 pixels", error.Message);
        Assert.Equal(40, ImageDecoder.Load(path, new ResourceLimits { MaxImagePixels = 1200 }).Width);
    }

    [Fact]
    public async Task A_fifo_named_like_an_image_is_refused_at_once()
    {
        using var dir = new TempDirectory();
        string fifo = dir.File("x.png");
        MakeFifo(fifo);

        var load = Task.Run(() => ImageDecoder.Load(fifo));
        // Opening a FIFO blocks until a writer comes; generous time for a loaded test machine, far from forever.
        bool finished = await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(10))) == load;
        if (!finished)
        {
            // Release the blocked reader so the test process does not keep a stuck thread.
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
        }
        Assert.True(finished, "loading a FIFO blocked");
        var error = await Assert.ThrowsAsync<ImageDecodeException>(() => load);
        Assert.Equal($"{fifo}: is a FIFO (named pipe), not an image file", error.Message);
    }

    [Fact]
    public void A_character_device_is_refused_without_reading_it()
    {
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load("/dev/zero"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal("/dev/zero: is a character device, not an image file", error.Message);
    }

    [Fact]
    public void A_large_non_image_is_refused_after_its_first_bytes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("zeros.png");
        using (var file = new FileStream(path, FileMode.CreateNew)) file.SetLength(50L * 1024 * 1024);

        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes: the file was read whole");
        Assert.Equal($"{path}: not a supported image ({ImageDecoder.SupportedFormats})", error.Message);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        using var dir = new TempDirectory();
        string path = dir.File("huge.png");
        byte[] png = HostileImages.Png(16);
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.Write(png);
            file.SetLength(600L * 1024 * 1024); // sparse: no disk used
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
        Assert.Equal($"{path}: file is 600 MB, more than the 512 MB an image may have", error.Message);
    }

    [Fact]
    public void A_directory_is_refused_as_one()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(dir.Path));
        Assert.Equal($"{dir.Path}: is a directory, not an image file", error.Message);
    }

    /// <summary>Makes a named pipe with mkfifo(1), which .NET has no call for.</summary>
    internal static void MakeFifo(string path)
    {
        using var process = Process.Start("mkfifo", [path]);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
