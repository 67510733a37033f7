using SkiaSharp;

namespace Gaze.Imaging;

/// <summary>
/// Turns stored pixels upright according to the EXIF orientation. The names say where the stored first row and first
/// column end up: <see cref="SKEncodedOrigin.RightTop"/> (EXIF 6) puts the first row on the right and the first
/// column at the top, i.e. a quarter turn clockwise.
/// </summary>
internal static class ExifOrientation
{
    /// <summary>The upright image; <paramref name="image"/> itself when nothing needs to change.</summary>
    public static RgbImage Apply(RgbImage image, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft || !Enum.IsDefined(origin)) return image;
        int w = image.Width, h = image.Height;
        bool swapsAxes = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var upright = swapsAxes ? new RgbImage(h, w) : new RgbImage(w, h);
        byte[] source = image.Pixels, target = upright.Pixels;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                // Where stored pixel (x, y) is shown.
                (int ux, int uy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),              // 2: mirrored left-right
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),   // 3: half turn
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),            // 4: mirrored top-bottom
                    SKEncodedOrigin.LeftTop => (y, x),                       // 5: transposed
                    SKEncodedOrigin.RightTop => (h - 1 - y, x),              // 6: quarter turn clockwise
                    SKEncodedOrigin.RightBottom => (h - 1 - y, w - 1 - x),   // 7: transposed across the other diagonal
                    _ => (y, w - 1 - x),                                     // 8 LeftBottom: quarter turn anticlockwise
                };
                int from = 3 * (y * w + x), to = 3 * (uy * upright.Width + ux);
                target[to] = source[from];
                target[to + 1] = source[from + 1];
                target[to + 2] = source[from + 2];
            }
        }
        return upright;
    }
}
