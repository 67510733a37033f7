using Gaze.Errors;
using SkiaSharp;

namespace Gaze.Imaging;

/// <summary>
/// Turns image files into <see cref="RgbImage"/>s: JPEG (including JFIF), PNG, BMP, GIF (first frame) and WebP.
/// The EXIF orientation is applied, transparency is composited onto white and gray becomes RGB. Pixel values are
/// taken as stored (no colour-profile conversion), as PIL and OpenCV do, so tensors match Python pipelines.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The formats, for messages.</summary>
    public const string SupportedFormats = "JPEG, PNG, BMP, GIF, WebP";

    // Far beyond any photo; stops a corrupt header from asking for gigabytes.
    private const long MaxPixels = 256L * 1024 * 1024;

    private static readonly SKEncodedImageFormat[] DecodableFormats =
    [
        SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Bmp,
        SKEncodedImageFormat.Gif, SKEncodedImageFormat.Webp,
    ];

    /// <summary>File extensions (lower case, with the dot) of the supported formats; directories are searched for these.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } =
        Array.AsReadOnly([".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".bmp", ".gif", ".webp"]);

    /// <summary>True when <paramref name="path"/> ends in one of <see cref="SupportedExtensions"/> (any case).</summary>
    public static bool HasSupportedExtension(string path) =>
        SupportedExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Reads and decodes the image file at <paramref name="path"/>.</summary>
    /// <exception cref="InputFileNotFoundException">There is no such file.</exception>
    /// <exception cref="ImageDecodeException">The file is empty, truncated, corrupt or not a supported image.</exception>
    /// <exception cref="GazeFileException">The file cannot be read.</exception>
    public static RgbImage Load(string path)
    {
        if (Directory.Exists(path)) throw new ImageDecodeException(path, "is a directory, not an image");
        if (!File.Exists(path)) throw new InputFileNotFoundException(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GazeFileException(path, $"cannot read: {e.Message}", e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes an encoded image held in memory.</summary>
    /// <param name="bytes">The file's content.</param>
    /// <param name="nameForErrors">The file name or path that errors report.</param>
    /// <exception cref="ImageDecodeException">The data is empty, truncated, corrupt or not a supported image.</exception>
    public static RgbImage Decode(byte[] bytes, string nameForErrors)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) throw new ImageDecodeException(nameForErrors, "empty file");

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            // Skia gives no reason; a known signature means the format is right but the data is not.
            throw new ImageDecodeException(nameForErrors, ImageSignature.Recognise(bytes) is { } format
                ? $"truncated or corrupt {format} data"
                : $"not a supported image ({SupportedFormats})");
        }
        if (!DecodableFormats.Contains(codec.EncodedFormat))
            throw new ImageDecodeException(nameForErrors, $"{codec.EncodedFormat} images are not supported ({SupportedFormats})");

        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
            throw new ImageDecodeException(nameForErrors, $"unusable image size {width}x{height}");

        // Unpremultiplied RGBA with no colour space: the stored values, alpha kept apart for compositing.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var result = codec.GetPixels(info, rgba);
        // IncompleteInput still fills the missing rows (with grey): that is an error, not an image.
        if (result != SKCodecResult.Success)
        {
            throw new ImageDecodeException(nameForErrors, result switch
            {
                SKCodecResult.IncompleteInput => "truncated image data",
                SKCodecResult.ErrorInInput => "corrupt image data",
                _ => $"cannot decode {codec.EncodedFormat} image ({result})",
            });
        }
        var image = CompositeOnWhite(rgba, width, height);
        return ExifOrientation.Apply(image, codec.EncodedOrigin);
    }

    /// <summary>Drops alpha by blending each pixel over white: out = (c a + 255 (255 - a)) / 255, rounded.</summary>
    private static RgbImage CompositeOnWhite(byte[] rgba, int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (int pixel = 0, i = 0, o = 0; pixel < width * height; pixel++, i += 4, o += 3)
        {
            int alpha = rgba[i + 3];
            if (alpha == 255)
            {
                rgb[o] = rgba[i];
                rgb[o + 1] = rgba[i + 1];
                rgb[o + 2] = rgba[i + 2];
            }
            else
            {
                int white = 255 * (255 - alpha);
                rgb[o] = (byte)((rgba[i] * alpha + white + 127) / 255);
                rgb[o + 1] = (byte)((rgba[i + 1] * alpha + white + 127) / 255);
                rgb[o + 2] = (byte)((rgba[i + 2] * alpha + white + 127) / 255);
            }
        }
        return new RgbImage(width, height, rgb);
    }
}
