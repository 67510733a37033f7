using SkiaSharp;

namespace Gaze.Datasets;

/// <summary>
/// Colour arithmetic for the shapes generator. Brightness is measured as luma (Rec. 709 weights on the stored
/// 0..1 values), which is linear in the channels, so a colour can be brought to an exact luma by scaling it towards
/// black or blending it towards white.
/// </summary>
internal static class ShapeColours
{
    /// <summary>Luma of a colour, 0 (black) to 1 (white).</summary>
    public static double Luma(double r, double g, double b) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

    /// <summary>The colour for hue <paramref name="hue"/> (degrees), saturation and value in 0..1.</summary>
    public static (double R, double G, double B) FromHsv(double hue, double saturation, double value)
    {
        double h = (hue % 360 + 360) % 360 / 60;
        double c = value * saturation;
        double x = c * (1 - Math.Abs(h % 2 - 1));
        double m = value - c;
        var (r, g, b) = (int)h switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return (r + m, g + m, b + m);
    }

    /// <summary>
    /// A colour of hue <paramref name="hue"/> and saturation <paramref name="saturation"/> whose luma is exactly
    /// <paramref name="luma"/> (up to rounding): darker by scaling towards black, lighter by blending towards white.
    /// </summary>
    public static SKColor WithLuma(double hue, double saturation, double luma, byte alpha = 255)
    {
        var (r, g, b) = FromHsv(hue, saturation, 1);
        double current = Luma(r, g, b);
        if (luma <= current)
        {
            double scale = luma / current;
            (r, g, b) = (r * scale, g * scale, b * scale);
        }
        else
        {
            double t = (luma - current) / (1 - current);
            (r, g, b) = (r + (1 - r) * t, g + (1 - g) * t, b + (1 - b) * t);
        }
        return new SKColor(ToByte(r), ToByte(g), ToByte(b), alpha);
    }

    /// <summary>A random hue and saturation brought to <paramref name="luma"/>; <paramref name="maxSaturation"/> limits how vivid it is.</summary>
    public static SKColor RandomWithLuma(DeterministicRandom random, double luma, double maxSaturation, byte alpha = 255) =>
        WithLuma(random.Uniform(0, 360), random.Uniform(0, maxSaturation), luma, alpha);

    /// <summary>Euclidean distance between two colours in 0..255 RGB units (alpha ignored).</summary>
    public static double Distance(SKColor a, SKColor b)
    {
        double dr = a.Red - b.Red, dg = a.Green - b.Green, db = a.Blue - b.Blue;
        return Math.Sqrt(dr * dr + dg * dg + db * db);
    }

    /// <summary>Rounds a 0..1 channel value to a byte, clamping.</summary>
    public static byte ToByte(double value) => (byte)Math.Clamp(Math.Round(value * 255), 0, 255);
}
