using ScottPlot;

namespace Gaze.Rendering;

/// <summary>Several named curves on shared axes with a legend, as PNG bytes (deletion, insertion and ROAD curves).</summary>
public static class CurvePlot
{
    /// <summary>The plot of <paramref name="series"/>.</summary>
    /// <exception cref="ArgumentException">A series has different numbers of x and y values.</exception>
    public static byte[] Png(IReadOnlyList<CurveSeries> series, string title, string xLabel, string yLabel, int width = 860, int height = 440)
    {
        var plot = new Plot();
        if (PlotFonts.Typeface() is { } family) plot.Font.Set(family);
        foreach (CurveSeries line in series)
        {
            if (line.X.Count != line.Y.Count)
                throw new ArgumentException($"series '{line.Name}' has {line.X.Count} x and {line.Y.Count} y values", nameof(series));
            var scatter = plot.Add.Scatter(line.X.ToArray(), line.Y.ToArray());
            scatter.LegendText = line.Name;
            scatter.MarkerSize = 0;
            scatter.LineWidth = line.Dashed ? 1.5f : 2f;
            if (line.Dashed) scatter.LinePattern = LinePattern.Dashed;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        // Outside the axes: with a score of methods inside, the legend would hide the curves.
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
