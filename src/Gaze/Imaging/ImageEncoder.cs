using System.Globalization;
using System.Runtime.InteropServices;
using Gaze.Errors;
using Gaze.IO;
using SkiaSharp;

namespace Gaze.Imaging;

/// <summary>
/// Writes an <see cref="RgbImage"/> as PNG or JPEG, the format chosen by the file's extension, atomically
/// (see <see cref="AtomicFile"/>).
/// </summary>
public static class ImageEncoder
{
    /// <summary>JPEG quality used unless the caller chooses another (as cv2.imwrite does).</summary>
    public const int DefaultJpegQuality = 95;

    /// <summary>
    /// The format <paramref name="path"/>'s extension asks for: <c>.png</c>, or <c>.jpg</c>/<c>.jpeg</c> (any case).
    /// Callers can check an output path with this before doing the work that produces the image.
    /// </summary>
    /// <param name="path">The output path.</param>
    /// <param name="option">The option that named the path, for the error message.</param>
    /// <exception cref="InvalidOptionException">Any other extension.</exception>
    public static ImageFileFormat FormatFromPath(string path, string option = "--output")
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".png" => ImageFileFormat.Png,
            ".jpg" or ".jpeg" => ImageFileFormat.Jpeg,
            _ => throw new InvalidOptionException(option,
                $"cannot write '{path}': unsupported image extension '{extension}'; use .png, .jpg or .jpeg"),
        };
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> as PNG or JPEG according to its extension.</summary>
    /// <param name="path">Output file; an existing file is replaced.</param>
    /// <param name="image">The pixels.</param>
    /// <param name="jpegQuality">JPEG quality from 1 to 100 (ignored for PNG).</param>
    /// <exception cref="InvalidOptionException">Unsupported extension (<c>--output</c>) or quality outside 1..100 (<c>--quality</c>).</exception>
    /// <exception cref="OutputFileException">The file cannot be written.</exception>
    public static void Write(string path, RgbImage image, int jpegQuality = DefaultJpegQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        var format = FormatFromPath(path);
        ValidateQuality(jpegQuality);
        AtomicFile.Write(path, stream => Encode(image, format, jpegQuality, stream));
    }

    /// <summary>Encodes <paramref name="image"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidOptionException">Quality outside 1..100 (<c>--quality</c>).</exception>
    public static void Encode(RgbImage image, ImageFileFormat format, int jpegQuality, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        ValidateQuality(jpegQuality);

        byte[] rgba = image.ToOpaqueRgba();
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            // Encoded in memory, then written: a failing write (a full disk) must not throw inside Skia's native
            // callback into the stream, which would abort the process.
            using SKData? encoded = format switch
            {
                ImageFileFormat.Png => pixmap.Encode(SKPngEncoderOptions.Default),
                // 4:4:4 keeps the heatmap's colour edges sharp; the default 4:2:0 halves colour resolution.
                ImageFileFormat.Jpeg => pixmap.Encode(
                    new SKJpegEncoderOptions(jpegQuality, SKJpegEncoderDownsample.Downsample444, SKJpegEncoderAlphaOption.Ignore)),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image format"),
            };
            if (encoded is null) throw new InvalidOperationException($"SkiaSharp failed to encode a {image.Width}x{image.Height} {format} image");
            destination.Write(encoded.AsSpan());
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>Checks a JPEG quality: an integer from 1 to 100.</summary>
    /// <exception cref="InvalidOptionException">It is not (names <c>--quality</c>).</exception>
    public static void ValidateQuality(int quality)
    {
        if (quality is < 1 or > 100)
            throw new InvalidOptionException("--quality", $"must be an integer from 1 to 100, got {quality.ToString(CultureInfo.InvariantCulture)}");
    }
}
