using System.Globalization;
using Gaze.Engine;
using Gaze.Errors;
using Gaze.IO;
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

    // Enough for every signature ImageSignature knows.
    private const int SignatureBytes = 16;

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

    /// <summary>
    /// Reads and decodes the image file at <paramref name="path"/> within <paramref name="limits"/>: only a regular
    /// file is opened, a file over the size limit is refused unread, a non-image after its first bytes, and an
    /// image declaring more pixels than allowed after its header, before any pixel is decoded.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="limits">The limits; null for <see cref="ResourceLimits.Default"/>.</param>
    /// <exception cref="InputFileNotFoundException">There is no such file.</exception>
    /// <exception cref="ImageDecodeException">The file is empty, truncated, corrupt, too large, not a regular file or
    /// not a supported image.</exception>
    /// <exception cref="GazeFileException">The file cannot be read.</exception>
    public static RgbImage Load(string path, ResourceLimits? limits = null)
    {
        limits ??= ResourceLimits.Default;
        if (FileKind.NonRegular(path) is { } kind) throw new ImageDecodeException(path, $"is {kind}, not an image file");
        if (!File.Exists(path)) throw new InputFileNotFoundException(path);
        byte[] bytes;
        try
        {
            bytes = ReadBounded(path, limits.MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GazeFileException(path, $"cannot read: {e.Message}", e);
        }
        return Decode(bytes, path, limits);
    }

    /// <summary>
    /// The file's bytes, read in pieces: the size is checked before reading and the type from the first bytes, so
    /// that neither a huge file nor a non-image is read whole.
    /// </summary>
    private static byte[] ReadBounded(string path, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length == 0) throw new ImageDecodeException(path, "empty file");
        if (length > maxBytes)
        {
            throw new ImageDecodeException(path,
                $"file is {ResourceLimits.FormatBytes(length)}, more than the {ResourceLimits.FormatBytes(maxBytes)} an image may have");
        }
        // The head alone first: a non-image costs a few bytes, not a buffer of its size.
        var head = new byte[(int)Math.Min(length, SignatureBytes)];
        int headRead = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (ImageSignature.Recognise(head.AsSpan(0, headRead)) is null)
            throw new ImageDecodeException(path, $"not a supported image ({SupportedFormats})");
        var bytes = new byte[length];
        head.AsSpan(0, headRead).CopyTo(bytes);
        int read = headRead + stream.ReadAtLeast(bytes.AsSpan(headRead), bytes.Length - headRead, throwOnEndOfStream: false);
        // A file that shrank while being read keeps what it had; one that grew is cut at its size when opened.
        return read == bytes.Length ? bytes : bytes[..read];
    }

    /// <summary>Decodes an encoded image held in memory.</summary>
    /// <param name="bytes">The file's content.</param>
    /// <param name="nameForErrors">The file name or path that errors report.</param>
    /// <param name="limits">The limits; null for <see cref="ResourceLimits.Default"/>.</param>
    /// <exception cref="ImageDecodeException">The data is empty, truncated, corrupt, declares too many pixels or is not a
    /// supported image.</exception>
    public static RgbImage Decode(byte[] bytes, string nameForErrors, ResourceLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        limits ??= ResourceLimits.Default;
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

        // The codec has read only the header: the size is known before any pixel memory is asked for.
        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0) throw new ImageDecodeException(nameForErrors, $"unusable image size {width}x{height}");
        if ((long)width * height > limits.MaxImagePixels)
        {
            throw new ImageDecodeException(nameForErrors,
                $"image declares {width}x{height} pixels ({Megapixels((long)width * height)} megapixels), more than the limit of {limits.MaxImagePixels.ToString("N0", CultureInfo.InvariantCulture)} pixels");
        }

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

    private static string Megapixels(long pixels) => FormattableString.Invariant($"{pixels / 1e6:0.#}");

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
