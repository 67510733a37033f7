using Gaze.Imaging;

namespace Gaze.Tests.Imaging;

/// <summary>Small synthetic images with known colours.</summary>
internal static class TestPictures
{
    public static readonly (byte R, byte G, byte B) Red = (220, 30, 40);
    public static readonly (byte R, byte G, byte B) Green = (20, 200, 60);
    public static readonly (byte R, byte G, byte B) Blue = (30, 50, 210);
    public static readonly (byte R, byte G, byte B) Yellow = (240, 220, 30);

    /// <summary>Four solid quadrants: red top left, green top right, blue bottom left, yellow bottom right.</summary>
    public static RgbImage Quadrants(int width, int height)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = (x < width / 2, y < height / 2) switch
                {
                    (true, true) => Red,
                    (false, true) => Green,
                    (true, false) => Blue,
                    _ => Yellow,
                };
        return image;
    }

    /// <summary>Every pixel an independent random colour.</summary>
    public static RgbImage Noise(int width, int height, int seed)
    {
        var image = new RgbImage(width, height);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }

    /// <summary>A solid image.</summary>
    public static RgbImage Solid(int width, int height, (byte R, byte G, byte B) colour)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = colour;
        return image;
    }

    /// <summary>Paints the rectangle [x0, x1) x [y0, y1).</summary>
    public static void Fill(RgbImage image, int x0, int y0, int x1, int y1, (byte R, byte G, byte B) colour)
    {
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                image[x, y] = colour;
    }

    /// <summary>The largest difference of any channel at the pixel.</summary>
    public static int Distance((byte R, byte G, byte B) a, (byte R, byte G, byte B) b) =>
        Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B)));
}
