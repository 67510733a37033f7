namespace Gaze.Reporting;

/// <summary>Display sizes of pictures in the report (they are shrunk with <see cref="Gaze.Imaging.ImageResampler"/>).</summary>
internal static class ReportImageSize
{
    /// <summary>The size that fits within <paramref name="maxSide"/> x <paramref name="maxSide"/> keeping the aspect ratio (never larger than the original).</summary>
    public static (int Width, int Height) Fit(int width, int height, int maxSide)
    {
        if (maxSide <= 0) throw new ArgumentOutOfRangeException(nameof(maxSide), maxSide, "must be positive");
        if (width <= maxSide && height <= maxSide) return (width, height);
        double scale = (double)maxSide / Math.Max(width, height);
        return (Math.Clamp((int)Math.Round(width * scale), 1, maxSide), Math.Clamp((int)Math.Round(height * scale), 1, maxSide));
    }
}
