using Gaze.Imaging;

namespace Gaze.Rendering;

/// <summary>A row of pictures side by side (e.g. an optimisation's intermediate images), each scaled to one height.</summary>
public static class ContactSheet
{
    /// <summary>The pictures scaled to <paramref name="height"/> pixels and placed left to right with a white gap.</summary>
    /// <exception cref="ArgumentException">No pictures, or a non-positive height.</exception>
    public static RgbImage Of(IReadOnlyList<RgbImage> pictures, int height = 160, int gap = 4)
    {
        if (pictures.Count == 0) throw new ArgumentException("a contact sheet needs at least one picture", nameof(pictures));
        if (height <= 0) throw new ArgumentException($"height must be positive, got {height}", nameof(height));
        var scaled = pictures.Select(p => ImageResampler.Resize(p, Math.Max(1, (int)Math.Round((double)p.Width * height / p.Height)), height)).ToList();
        int width = scaled.Sum(p => p.Width) + gap * (scaled.Count - 1);
        var sheet = new RgbImage(width, height);
        Array.Fill(sheet.Pixels, (byte)255);
        int left = 0;
        foreach (RgbImage picture in scaled)
        {
            for (int y = 0; y < height; y++)
            {
                Array.Copy(picture.Pixels, 3 * y * picture.Width, sheet.Pixels, 3 * (y * width + left), 3 * picture.Width);
            }
            left += picture.Width + gap;
        }
        return sheet;
    }
}
