using ScottPlot;

namespace Gaze.Rendering;

/// <summary>The typeface Gaze's plots draw their text with.</summary>
internal static class PlotFonts
{
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

    /// <summary>The family to set on a plot's fonts, or null to keep ScottPlot's default.</summary>
    public static string? Typeface() => Registered.Value;
}
