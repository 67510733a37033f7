using System.Runtime.InteropServices;
using Gaze.IO;
using SkiaSharp;

namespace Gaze.Imaging;

/// <summary>
/// Writes a <see cref="GrayImage"/> as an 8-bit grayscale PNG (one channel, no alpha), atomically
/// (see <see cref="AtomicFile"/>). Used for masks, which <see cref="ImageEncoder"/> would triple into RGB.
/// </summary>
public static class GrayPngEncoder
{
    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> as PNG, whatever the extension; an existing file is replaced.</summary>
    /// <exception cref="Gaze.Errors.OutputFileException">The file cannot be written.</exception>
    public static void Write(string path, GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        AtomicFile.Write(path, stream => Encode(image, stream));
    }

    /// <summary>Encodes <paramref name="image"/> as PNG into <paramref name="destination"/>.</summary>
    public static void Encode(GrayImage image, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(image.Pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), image.Width);
            // In memory first: a failing write must not throw inside Skia's native callback (see ImageEncoder).
            using SKData encoded = pixmap.Encode(SKPngEncoderOptions.Default)
                ?? throw new InvalidOperationException($"SkiaSharp failed to encode a {image.Width}x{image.Height} gray PNG");
            destination.Write(encoded.AsSpan());
        }
        finally
        {
            handle.Free();
        }
    }
}
