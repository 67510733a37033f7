namespace Gaze.Imaging;

/// <summary>
/// An 8-bit single-channel image in memory, for example an object mask: <see cref="Pixels"/> holds one byte per
/// pixel, row by row from the top left.
/// </summary>
public sealed class GrayImage
{
    /// <summary>Creates an image; without <paramref name="pixels"/> it is black.</summary>
    /// <exception cref="ArgumentException">A size is not positive or <paramref name="pixels"/> has the wrong length.</exception>
    public GrayImage(int width, int height, byte[]? pixels = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}x{height}");
        pixels ??= new byte[checked(width * height)];
        if (pixels.Length != width * height)
            throw new ArgumentException($"a {width}x{height} gray image needs {width * height} bytes, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>One byte per pixel; <c>y * Width + x</c> is pixel (x, y).</summary>
    public byte[] Pixels { get; }

    /// <summary>The value of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public byte this[int x, int y]
    {
        get => Pixels[Index(x, y)];
        set => Pixels[Index(x, y)] = value;
    }

    private int Index(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"pixel ({x},{y}) is outside the {Width}x{Height} image");
        return y * Width + x;
    }
}
