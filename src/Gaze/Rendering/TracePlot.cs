using ScottPlot;

namespace Gaze.Rendering;

/// <summary>A line plot of a per-step measure (loss, probability) against the step, as PNG bytes.</summary>
public static class TracePlot
{
    /// <summary>The plot of <paramref name="values"/> (before the first step first) titled <paramref name="title"/>.</summary>
    public static byte[] Png(IReadOnlyList<double> values, string measure, string title, int width = 640, int height = 400)
    {
        var plot = new Plot();
        if (PlotFonts.Typeface() is { } family) plot.Font.Set(family);
        double[] steps = Enumerable.Range(0, values.Count).Select(i => (double)i).ToArray();
        plot.Add.Scatter(steps, values.ToArray());
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(measure);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
