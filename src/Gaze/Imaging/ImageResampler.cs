using System.Runtime.InteropServices;
using SkiaSharp;

namespace Gaze.Imaging;

/// <summary>Resizes <see cref="RgbImage"/>s with Skia: bilinear, with linear mipmaps so that shrinking averages instead of aliasing.</summary>
public static class ImageResampler
{
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    /// <summary>
    /// <paramref name="image"/> scaled to <paramref name="width"/> x <paramref name="height"/>; a new image even when
    /// the size is unchanged (then an exact copy).
    /// </summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"target size must be positive, got {width}x{height}");
        if (width == image.Width && height == image.Height) return new RgbImage(width, height, (byte[])image.Pixels.Clone());

        byte[] source = image.ToOpaqueRgba(), target = new byte[width * height * 4];
        var sourceInfo = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var targetInfo = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var sourceHandle = GCHandle.Alloc(source, GCHandleType.Pinned);
        var targetHandle = GCHandle.Alloc(target, GCHandleType.Pinned);
        try
        {
            using var sourcePixmap = new SKPixmap(sourceInfo, sourceHandle.AddrOfPinnedObject(), sourceInfo.RowBytes);
            using var targetPixmap = new SKPixmap(targetInfo, targetHandle.AddrOfPinnedObject(), targetInfo.RowBytes);
            if (!sourcePixmap.ScalePixels(targetPixmap, Sampling))
                throw new InvalidOperationException($"Skia could not scale {image.Width}x{image.Height} to {width}x{height}");
        }
        finally
        {
            sourceHandle.Free();
            targetHandle.Free();
        }
        return RgbImage.FromRgba(target, width, height);
    }

    /// <summary>The part of <paramref name="image"/> at (<paramref name="left"/>, <paramref name="top"/>) of the given size.</summary>
    public static RgbImage Crop(RgbImage image, int left, int top, int width, int height)
    {
        if (left < 0 || top < 0 || width <= 0 || height <= 0 || left + width > image.Width || top + height > image.Height)
            throw new ArgumentException($"crop {width}x{height} at ({left},{top}) does not fit in {image.Width}x{image.Height}");
        var cropped = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
            Array.Copy(image.Pixels, 3 * ((top + y) * image.Width + left), cropped.Pixels, 3 * y * width, 3 * width);
        return cropped;
    }
}
