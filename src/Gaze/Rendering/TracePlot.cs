using ScottPlot;

namespace Gaze.Rendering;

/// <summary>A line plot of a per-step measure (loss, probability) against the step, as PNG bytes.</summary>
public static class TracePlot
{
    /// <summary>The plot of <paramref name="values"/> (before the first step first) titled <paramref name="title"/>.</summary>
    public static byte[] Png(IReadOnlyList<double> values, string measure, string title, int width = 640, int height = 400)
    {
        var plot = new Plot();
        if (Typeface() is { } family) plot.Font.Set(family);
        double[] steps = Enumerable.Range(0, values.Count).Select(i => (double)i).ToArray();
        plot.Add.Scatter(steps, values.ToArray());
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(measure);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    // SkiaSharp's dependency-free native build does not ask fontconfig for fonts, so without a typeface registered
    // by file the plot would have no text at all. DejaVu Sans ships with most Linux systems; elsewhere the default stays.
    private static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ];

    private static readonly Lazy<string?> Registered = new(() =>
    {
        string? file = FontFiles.FirstOrDefault(File.Exists);
        if (file is null) return null;
        Fonts.AddFontFile("DejaVu Sans", file);
        return "DejaVu Sans";
    });

    /// <summary>The registered font family, or null to keep ScottPlot's default (shared by every Gaze plot).</summary>
    internal static string? Typeface() => Registered.Value;
}
