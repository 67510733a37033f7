namespace Gaze.Imaging;

/// <summary>
/// An 8-bit RGB image in memory: <see cref="Pixels"/> holds R, G, B for each pixel, row by row from the top left.
/// The common currency between decoding, preprocessing, rendering and encoding.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Creates an image; without <paramref name="pixels"/> it is black.</summary>
    /// <exception cref="ArgumentException">A size is not positive or <paramref name="pixels"/> has the wrong length.</exception>
    public RgbImage(int width, int height, byte[]? pixels = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}x{height}");
        pixels ??= new byte[checked(width * height * 3)];
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"a {width}x{height} RGB image needs {width * height * 3} bytes, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB bytes, <c>3 * (y * Width + x)</c> is the red byte of pixel (x, y).</summary>
    public byte[] Pixels { get; }

    /// <summary>The colour of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int i = Index(x, y);
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
        set
        {
            int i = Index(x, y);
            (Pixels[i], Pixels[i + 1], Pixels[i + 2]) = value;
        }
    }

    /// <summary>The pixels as RGBA bytes with alpha 255, the layout SkiaSharp draws and encodes from.</summary>
    public byte[] ToOpaqueRgba()
    {
        var rgba = new byte[checked(Width * Height * 4)];
        for (int i = 0, o = 0; i < Pixels.Length; i += 3, o += 4)
        {
            rgba[o] = Pixels[i];
            rgba[o + 1] = Pixels[i + 1];
            rgba[o + 2] = Pixels[i + 2];
            rgba[o + 3] = 255;
        }
        return rgba;
    }

    /// <summary>An image from tightly packed RGBA bytes, dropping alpha (no compositing).</summary>
    public static RgbImage FromRgba(byte[] rgba, int width, int height)
    {
        var rgb = new byte[checked(width * height * 3)];
        for (int i = 0, o = 0; o < rgb.Length; i += 4, o += 3)
        {
            rgb[o] = rgba[i];
            rgb[o + 1] = rgba[i + 1];
            rgb[o + 2] = rgba[i + 2];
        }
        return new RgbImage(width, height, rgb);
    }

    private int Index(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"pixel ({x},{y}) is outside the {Width}x{Height} image");
        return 3 * (y * Width + x);
    }
}
