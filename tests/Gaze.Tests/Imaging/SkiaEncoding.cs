using System.Runtime.InteropServices;
using Gaze.Imaging;
using SkiaSharp;

namespace Gaze.Tests.Imaging;

/// <summary>Encodes test images with Skia (PNG, JPEG, WebP), independently of the decoder under test.</summary>
internal static class SkiaEncoding
{
    /// <summary>Encodes an opaque RGB image.</summary>
    public static byte[] Encode(RgbImage image, SKEncodedImageFormat format, int quality = 100)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int p = 0; p < image.Width * image.Height; p++)
        {
            rgba[4 * p] = image.Pixels[3 * p];
            rgba[4 * p + 1] = image.Pixels[3 * p + 1];
            rgba[4 * p + 2] = image.Pixels[3 * p + 2];
            rgba[4 * p + 3] = 255;
        }
        return EncodeRgba(rgba, image.Width, image.Height, format, quality);
    }

    /// <summary>Encodes unpremultiplied RGBA pixels.</summary>
    public static byte[] EncodeRgba(byte[] rgba, int width, int height, SKEncodedImageFormat format, int quality = 100)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        return EncodePixels(rgba, info, format, quality);
    }

    /// <summary>Encodes 8-bit gray pixels (a gray PNG stays gray: colour type 0).</summary>
    public static byte[] EncodeGray(byte[] gray, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        return EncodePixels(gray, info, SKEncodedImageFormat.Png, 100);
    }

    private static byte[] EncodePixels(byte[] pixels, SKImageInfo info, SKEncodedImageFormat format, int quality)
    {
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = pixmap.Encode(format, quality) ?? throw new InvalidOperationException($"Skia cannot encode {format}");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
