using Gaze.Errors;
using Gaze.Imaging;

namespace Gaze.Rendering;

/// <summary>
/// Turns heatmaps into pictures: coloured with a <see cref="Colormap"/>, alone or laid over the image they explain.
/// </summary>
public static class HeatmapRenderer
{
    /// <summary>The heatmap's share of each overlay pixel unless the user chooses another.</summary>
    public const double DefaultOpacity = 0.5;

    /// <summary>The heatmap coloured pixel by pixel, at its own size. Values are expected in [0, 1].</summary>
    public static RgbImage Colorize(Heatmap heatmap, Colormap colormap)
    {
        ArgumentNullException.ThrowIfNull(heatmap);
        ArgumentNullException.ThrowIfNull(colormap);
        var image = new RgbImage(heatmap.Width, heatmap.Height);
        Span<byte> pixels = image.Pixels;
        float[] values = heatmap.Values;
        for (int i = 0; i < values.Length; i++) colormap.MapInto(values[i], pixels.Slice(3 * i, 3));
        return image;
    }

    /// <summary>
    /// The heatmap coloured and blended over <paramref name="image"/> at the image's size (a heatmap of another
    /// size is first resized bilinearly): out = (1 - opacity) * image + opacity * colour, rounded to the nearest
    /// byte with halves rounded up.
    /// </summary>
    /// <exception cref="InvalidOptionException"><paramref name="opacity"/> is not a number in [0, 1] (names <c>--opacity</c>).</exception>
    public static RgbImage Overlay(RgbImage image, Heatmap heatmap, Colormap colormap, double opacity = DefaultOpacity)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(heatmap);
        ArgumentNullException.ThrowIfNull(colormap);
        ValidateOpacity(opacity);

        var fitted = heatmap.Width == image.Width && heatmap.Height == image.Height
            ? heatmap
            : HeatmapResizer.Resize(heatmap, image.Width, image.Height);
        byte[] colours = Colorize(fitted, colormap).Pixels;
        byte[] original = image.Pixels;
        var blended = new byte[original.Length];
        double keep = 1 - opacity;
        for (int i = 0; i < blended.Length; i++)
        {
            double value = keep * original[i] + opacity * colours[i];
            blended[i] = (byte)Math.Min(Math.Floor(value + 0.5), 255.0);
        }
        return new RgbImage(image.Width, image.Height, blended);
    }

    /// <summary>Checks an overlay opacity: a number from 0 (image only) to 1 (heatmap only).</summary>
    /// <exception cref="InvalidOptionException">It is not (names <c>--opacity</c>).</exception>
    public static void ValidateOpacity(double opacity)
    {
        if (!(opacity >= 0 && opacity <= 1))
            throw new InvalidOptionException("--opacity", $"must be a number from 0 to 1, got {opacity.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }
}
