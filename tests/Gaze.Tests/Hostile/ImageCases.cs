using System.Text.Json;
using Gaze.Tests.Imaging;
using Gaze.Tests.Support;
using SkiaSharp;

namespace Gaze.Tests.Hostile;

/// <summary>
/// Hostile and unusual image files, each met by <c>explain IMAGE --out DIR</c> on the built-in model: refused in one
/// line (exit 2) with nothing written, or explained (exit 0) when the file is odd but valid.
/// </summary>
internal static class ImageCases
{
    public static IEnumerable<HostileCase> All =>
    [
        Explain("image-truncated-png", "a PNG cut in the middle of its pixel data", 2, s => s.Write("cut.png", Half(HostilePng.Rgb(48, 48))), "truncated"),
        Explain("image-truncated-jpeg", "a JPEG cut in the middle of its scan", 2, s => s.Write("cut.jpg", Half(Jpeg(48, 48))), "truncated"),
        Explain("image-truncated-gif", "a GIF cut in the middle of its LZW data", 2, s => s.Write("cut.gif", Half(Gif(48, 48, frames: 1))), "truncated"),
        Explain("image-zero-bytes", "an empty file named .png", 2, s => s.Write("empty.png", []), "empty file"),
        Explain("image-text-as-png", "a text file named .png", 2, s => s.WriteText("notes.png", "just some notes\n"), "not a supported image"),
        Explain("image-html-as-jpg", "an HTML page named .jpg", 2, s => s.WriteText("page.jpg", "<!DOCTYPE html><html><body>hi</body></html>\n"), "not a supported image"),
        Explain("image-png-named-jpg", "a valid PNG named .jpg", 0, s => s.Write("really-png.jpg", HostilePng.Rgb(16, 16))),
        Explain("image-bomb-png", "a PNG header declaring 16384x16384", 2, s => s.Write("bomb.png", HostileImages.Png(16384)), "image declares 16384x16384 pixels"),
        Explain("image-bomb-jpeg", "a JPEG frame declaring 16000x16000", 2, s => s.Write("bomb.jpg", HostileImages.Jpeg(16000)), "image declares 16000x16000 pixels"),
        Explain("image-bomb-gif", "a GIF screen declaring 16000x16000", 2, s => s.Write("bomb.gif", HostileImages.Gif(16000)), "image declares 16000x16000 pixels"),
        Explain("image-bomb-bmp", "a BMP header declaring 16000x16000", 2, s => s.Write("bomb.bmp", HostileImages.Bmp(16000)), "image declares 16000x16000 pixels"),
        Explain("image-bomb-webp", "a WebP header declaring 16000x16000", 2, s => s.Write("bomb.webp", HostileImages.WebP(16000)), "image declares 16000x16000 pixels"),
        Explain("image-zero-size", "a PNG header declaring 0x0", 2, s => s.Write("nothing.png", HostileImages.Png(0)), "corrupt"),
        Explain("image-lying-chunk-length", "a PNG chunk claiming 2 GB that is not there", 2,
            s => s.Write("liar.png", HostilePng.Rgb(8, 8, [0x7F, 0xFF, 0xFF, 0xF0, (byte)'i', (byte)'T', (byte)'X', (byte)'t'])), "corrupt"),
        Explain("image-metadata-bomb", "a 4 KB iCCP profile inflating to 4 MB", 0,
            s => s.Write("profile.png", HostilePng.Rgb(8, 8, HostilePng.Chunk("iCCP", [.. "icc"u8, 0, 0, .. HostilePng.Deflate(new byte[4 << 20])])))),
        Explain("image-bad-checksum", "a PNG whose header checksum is wrong", 2, s => s.Write("crc.png", FlipHeaderChecksum(HostilePng.Rgb(8, 8))), "corrupt"),
        Explain("image-animated-gif", "a GIF of three frames (the first is used)", 0, s => s.Write("anim.gif", Gif(24, 16, frames: 3))) with
        {
            Then = (s, _) => Assert.Equal((24, 16), RecordedSize(s)),
        },
        Explain("image-palette-transparency", "a palette PNG with see-through entries (tRNS)", 0, s => s.Write("palette.png", HostilePng.PaletteWithTransparency(16, 16))),
        Explain("image-gray-png", "an 8-bit gray PNG", 0, s => s.Write("gray.png", HostilePng.Gray(16, 16, 8))),
        Explain("image-16-bit-png", "a 16-bit gray PNG", 0, s => s.Write("deep.png", HostilePng.Gray(16, 16, 16))),
        Explain("image-one-pixel", "a 1x1 PNG", 0, s => s.Write("dot.png", HostilePng.Rgb(1, 1))),
        Explain("image-exif-rotated-jpeg", "a 32x16 JPEG with EXIF orientation 6 (turn 90 degrees)", 0,
            s => s.Write("rotated.jpg", ExifJpeg.WithOrientation(Jpeg(32, 16), 6))) with
        {
            Then = (s, _) => Assert.Equal((16, 32), RecordedSize(s)),
        },
        Explain("image-cmyk-jpeg", "a CMYK JPEG (Adobe APP14)", 0, s => s.Write("cmyk.jpg", CmykJpeg.Flat(40, 200, 100, 10))) with
        {
            Then = (s, _) => Assert.Equal((8, 8), RecordedSize(s)),
        },
        Explain("image-directory-named-png", "an empty directory named x.png", 2, s => Directory.CreateDirectory(s.Subject = s.File("x.png")).FullName,
            "directory holds no images"),
        Explain("image-fifo", "a named pipe called x.png", 2, s => Fifo(s, "x.png"), "is a FIFO (named pipe)"),
        Explain("image-dev-zero", "/dev/zero (an endless device)", 2, s => s.Subject = "/dev/zero", "is a character device"),
        Explain("image-symlink-loop", "a link to a link to itself", 2, s => SymlinkLoop(s, "loop.png"), "cannot read"),
        Explain("image-unreadable", "a link named .png to /proc/sys/vm/drop_caches, which no one may read (not even root)", 2,
            s => Link(s, "locked.png", "/proc/sys/vm/drop_caches"), "cannot read"),
        Explain("image-missing", "a file that does not exist", 2, s => s.Subject = s.File("absent.png"), "no such file"),
        Explain("image-over-512mb", "a sparse 600 MB file starting like a PNG", 2, s => Sparse(s, "huge.png", HostilePng.Rgb(8, 8), 600L << 20),
            "more than the 512 MB an image may have"),
        Explain("image-long-name", "a valid PNG whose name is 250 characters", 0, s => s.Write(new string('n', 246) + ".png", HostilePng.Rgb(16, 16))),
        Explain("image-unicode-name", "a valid PNG named with spaces and non-ASCII letters", 0, s => s.Write("chat noir été 猫.png", HostilePng.Rgb(16, 16))),
        Explain("image-newline-name", "a broken image whose name holds a line break", 2, s => s.WriteText("two\nlines.png", "not an image"), "not a supported image") with
        {
            Names = s => s.File("two\\nlines.png"),
        },
        new HostileCase("image-one-bad-of-two", "a valid image and a truncated one", 4,
            s => ["explain", s.GoodImage(), s.Write("cut.png", Half(HostilePng.Rgb(48, 48))), "--out", s.Out])
        {
            Says = "truncated",
            Then = (s, _) => Assert.Equal(2, FromResults(s, root => root.GetProperty("images").GetArrayLength())),
        },
    ];

    private static HostileCase Explain(string id, string input, int exitCode, Func<HostileScene, string> image, string? says = null) =>
        new(id, input, exitCode, s => ["explain", image(s), "--out", s.Out]) { Says = says };

    private static byte[] Half(byte[] bytes) => bytes[..(bytes.Length / 2)];

    private static byte[] Jpeg(int width, int height) =>
        SkiaEncoding.Encode(TestPictures.Quadrants(width, height), SKEncodedImageFormat.Jpeg, quality: 90);

    private static byte[] Gif(int width, int height, int frames)
    {
        var gif = new GifWriter(width, height);
        for (int i = 0; i < frames; i++) gif.AddFrame(i % 2 == 0 ? TestPictures.Quadrants(width, height) : TestPictures.Solid(width, height, TestPictures.Blue));
        return gif.ToArray();
    }

    private static byte[] FlipHeaderChecksum(byte[] png)
    {
        png[29] ^= 0xFF; // signature (8), IHDR length and type (8), data (13): its CRC starts at 29
        return png;
    }

    private static string Fifo(HostileScene scene, string name)
    {
        ImageLimitTests.MakeFifo(scene.File(name));
        return scene.Subject = scene.File(name);
    }

    private static string SymlinkLoop(HostileScene scene, string name)
    {
        File.CreateSymbolicLink(scene.File("other-" + name), scene.File(name));
        File.CreateSymbolicLink(scene.File(name), scene.File("other-" + name));
        return scene.Subject = scene.File(name);
    }

    private static string Link(HostileScene scene, string name, string target)
    {
        File.CreateSymbolicLink(scene.File(name), target);
        return scene.Subject = scene.File(name);
    }

    private static string Sparse(HostileScene scene, string name, byte[] head, long length)
    {
        string path = scene.Write(name, head);
        using var file = new FileStream(path, FileMode.Open);
        file.SetLength(length); // no disk used
        return path;
    }

    /// <summary>The first image's width and height as results.json records them.</summary>
    private static (int Width, int Height) RecordedSize(HostileScene scene) => FromResults(scene, root =>
    {
        JsonElement image = root.GetProperty("images")[0];
        return (image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32());
    });

    private static T FromResults<T>(HostileScene scene, Func<JsonElement, T> read)
    {
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(scene.Out, "results.json")));
        return read(results.RootElement);
    }
}
