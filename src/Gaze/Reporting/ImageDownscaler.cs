using Gaze.Imaging;

namespace Gaze.Reporting;

/// <summary>Shrinks images for display in the report by averaging the source pixels under each output pixel.</summary>
internal static class ImageDownscaler
{
    /// <summary>The size that fits within <paramref name="maxSide"/> x <paramref name="maxSide"/> keeping the aspect ratio (never larger than the original).</summary>
    public static (int Width, int Height) Fit(int width, int height, int maxSide)
    {
        if (maxSide <= 0) throw new ArgumentOutOfRangeException(nameof(maxSide), maxSide, "must be positive");
        if (width <= maxSide && height <= maxSide) return (width, height);
        double scale = (double)maxSide / Math.Max(width, height);
        return (Math.Clamp((int)Math.Round(width * scale), 1, maxSide), Math.Clamp((int)Math.Round(height * scale), 1, maxSide));
    }

    /// <summary>
    /// <paramref name="image"/> reduced to <paramref name="width"/> x <paramref name="height"/> (each no larger than the
    /// original): every output pixel is the mean of the block of source pixels it covers, which avoids the aliasing
    /// of point sampling.
    /// </summary>
    public static RgbImage Shrink(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width <= 0 || height <= 0 || width > image.Width || height > image.Height)
            throw new ArgumentException($"cannot shrink a {image.Width}x{image.Height} image to {width}x{height}");
        if (width == image.Width && height == image.Height) return image;

        byte[] source = image.Pixels;
        var output = new byte[checked(width * height * 3)];
        for (int oy = 0; oy < height; oy++)
        {
            var (y0, y1) = Block(oy, height, image.Height);
            for (int ox = 0; ox < width; ox++)
            {
                var (x0, x1) = Block(ox, width, image.Width);
                long r = 0, g = 0, b = 0;
                for (int y = y0; y < y1; y++)
                {
                    for (int x = x0; x < x1; x++)
                    {
                        int i = 3 * (y * image.Width + x);
                        r += source[i];
                        g += source[i + 1];
                        b += source[i + 2];
                    }
                }
                long count = (long)(y1 - y0) * (x1 - x0);
                int o = 3 * (oy * width + ox);
                output[o] = (byte)((r + count / 2) / count);
                output[o + 1] = (byte)((g + count / 2) / count);
                output[o + 2] = (byte)((b + count / 2) / count);
            }
        }
        return new RgbImage(width, height, output);
    }

    /// <summary>The source range [start, end) that output index <paramref name="o"/> covers; never empty.</summary>
    private static (int Start, int End) Block(int o, int outSize, int inSize)
    {
        int start = (int)((long)o * inSize / outSize);
        int end = (int)((long)(o + 1) * inSize / outSize);
        return (start, Math.Max(end, start + 1));
    }
}
