using Gaze.Rendering;
using ScottPlot;

namespace Gaze.Evaluation.Sanity;

/// <summary>
/// The cascading randomisation curves of one method as PNG bytes, drawn as Adebayo et al. (NeurIPS 2018) draw them:
/// rank correlation (raw and absolute), SSIM and HOG similarity with the original map against the cascade step, the
/// original model first and each step labelled with the layer randomised last.
/// </summary>
public static class SanityPlot
{
    /// <summary>The plot of <paramref name="result"/>'s cascade.</summary>
    public static byte[] Png(SanityResult result, int width = 900, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(result);
        // Deep models have many steps: each gets room for its rotated label.
        width = Math.Max(width, 160 + 36 * result.Cascade.Count);
        var plot = new Plot();
        if (PlotFonts.Typeface() is { } family) plot.Font.Set(family);
        int steps = result.Cascade.Count;
        double[] xs = Enumerable.Range(0, steps + 1).Select(i => (double)i).ToArray();
        // Step 0 is the original model, identical to itself by every measure.
        // The raw Spearman line is wider, so it still shows where the absolute one covers it (CAMs: the same map).
        (string Name, Func<SanityStep, double> Value, Color Colour, float Width)[] series =
        [
            ("Spearman", s => s.Spearman, Colors.Blue, 5),
            ("Spearman (abs)", s => s.SpearmanAbs, Colors.Red, 2),
            ("SSIM", s => s.Ssim, Colors.Green, 2),
            ("HOG", s => s.Hog, Colors.Orange, 2),
        ];
        foreach (var (name, value, colour, lineWidth) in series)
        {
            var line = plot.Add.Scatter(xs, [1.0, .. result.Cascade.Select(value)]);
            line.LegendText = name;
            line.Color = colour;
            line.LineWidth = lineWidth;
            line.MarkerSize = 6;
        }
        var threshold = plot.Add.HorizontalLine(SanityResult.Threshold);
        threshold.Color = Colors.Gray;
        threshold.LinePattern = LinePattern.Dashed;
        var verdictStep = plot.Add.VerticalLine(result.VerdictStep);
        verdictStep.Color = Colors.Gray;
        verdictStep.LinePattern = LinePattern.Dotted;

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        ticks.AddMajor(0, "original");
        for (int i = 0; i < steps; i++) ticks.AddMajor(i + 1, Shorten(result.Cascade[i].Layer));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 20 + 7 * Math.Min(28, result.Cascade.Max(s => Shorten(s.Layer).Length));
        // The last rotated label runs to the right of its tick.
        plot.Axes.Right.MinimumSize = 75;
        plot.Axes.SetLimitsX(-0.3, steps + 0.3);
        plot.Axes.SetLimitsY(-1.05, 1.05);
        plot.Title($"{result.Method}: {result.Verdict.ToString().ToLowerInvariant()} " +
            $"(abs Spearman {result.Cascade[result.VerdictStep - 1].SpearmanAbs:F2} with the top {result.VerdictStep} layers randomised)");
        plot.XLabel("cascading randomisation, from the output (layer randomised last)");
        plot.YLabel("similarity to the original map");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static string Shorten(string layer) => layer.Length <= 28 ? layer : "…" + layer[^27..];
}
