using Gaze.Imaging;
using Gaze.IO;
using Gaze.Rendering;

namespace Gaze.Reporting;

/// <summary>
/// Writes the explanations of one image into its folder of the output directory; obtained from
/// <see cref="ExplanationWriter.AddImage"/>.
/// </summary>
public sealed class ImageExplanationWriter
{
    private readonly ExplanationWriter run;
    private readonly ExplanationWriter.ImageState state;
    private readonly RgbImage image;

    internal ImageExplanationWriter(ExplanationWriter run, ExplanationWriter.ImageState state, RgbImage image)
    {
        this.run = run;
        this.state = state;
        this.image = image;
    }

    /// <summary>The folder (relative to the output directory) that holds this image's files.</summary>
    public string Folder => state.Folder!;

    /// <summary>
    /// Writes one method's explanation of one target: <c>&lt;folder&gt;/&lt;method&gt;-&lt;target&gt;-heatmap.npy</c>
    /// (float32, height x width of the image as registered, values in [0, 1]), <c>-raw.npy</c> (float32, the raw map's
    /// height x width) when <paramref name="raw"/> is given, and <c>-overlay.png</c> (the heatmap in the run's colormap
    /// over the image, at the same size). A repeated method and target gets <c>-2</c>, <c>-3</c> ... after the target.
    /// </summary>
    /// <param name="method">The method's command-line name, e.g. <c>gradcam</c>.</param>
    /// <param name="target">The explained class index.</param>
    /// <param name="label">The explained class's label.</param>
    /// <param name="layers">The layers whose maps were averaged.</param>
    /// <param name="heatmap">The normalised map, values in [0, 1], covering the whole image; another size than the image's is resized bilinearly.</param>
    /// <param name="raw">The raw map at the layer's resolution, or null (e.g. when several layers were averaged).</param>
    /// <param name="milliseconds">The method's time for this image and target.</param>
    /// <param name="attribution">A pixel method's attribution, written as <c>-attribution.npy</c> (and its gradient picture as <c>-gradient.png</c>), or null.</param>
    /// <returns>The entry as it will appear in <c>results.json</c>.</returns>
    /// <exception cref="ArgumentException">The heatmap has a value outside [0, 1] (or NaN), the target is negative or the time is not a finite, non-negative number.</exception>
    /// <exception cref="Errors.OutputFileException">A file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">The run was finished already.</exception>
    public ExplanationResult Add(string method, int target, string label, IReadOnlyList<string> layers,
        Heatmap heatmap, Heatmap? raw, double milliseconds, InputAttribution? attribution = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(heatmap);
        if (!double.IsFinite(milliseconds) || milliseconds < 0)
            throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "must be a finite, non-negative time");
        RequireUnitRange(heatmap);

        // Bilinear weights are convex, so the resized map stays within [0, 1].
        var fitted = heatmap.Width == image.Width && heatmap.Height == image.Height
            ? heatmap
            : heatmap.Resize(image.Width, image.Height);

        string stem = $"{Folder}/{run.ClaimStem(state, $"{method}-{target}")}";
        string heatmapPath = stem + "-heatmap.npy";
        string? rawPath = raw is null ? null : stem + "-raw.npy";
        string overlayPath = stem + "-overlay.png";

        NpyFile.Write(FullPath(heatmapPath), fitted.Values, fitted.Height, fitted.Width);
        if (raw is not null) NpyFile.Write(FullPath(rawPath!), raw.Values, raw.Height, raw.Width);
        var overlay = HeatmapRenderer.Overlay(image, fitted, run.Colormap, run.Settings.Opacity);
        ImageEncoder.Write(FullPath(overlayPath), overlay);
        string? attributionPath = attribution is null ? null : stem + "-attribution.npy";
        string? gradientPath = attribution?.GradientPicture is null ? null : stem + "-gradient.png";
        if (attribution is not null)
        {
            NpyFile.Write(FullPath(attributionPath!), attribution.Values, [attribution.Channels, attribution.Height, attribution.Width]);
            if (attribution.GradientPicture is { } gradient) ImageEncoder.Write(FullPath(gradientPath!), gradient);
        }

        // Small overlays go into the report as the very file; large ones as a shrunk copy kept in memory.
        var (width, height) = ReportImageSize.Fit(overlay.Width, overlay.Height, HtmlReport.OverlayMaxSide);
        var picture = width == overlay.Width && height == overlay.Height
            ? EmbeddedImage.FromFile("image/png", width, height, FullPath(overlayPath))
            : EmbeddedImage.EncodeToFile(overlay, HtmlReport.OverlayMaxSide, run.PictureCachePath(stem));

        var explanation = new ExplanationResult
        {
            Method = method,
            Target = target,
            Label = label,
            Layers = [.. layers],
            Heatmap = heatmapPath,
            Raw = rawPath,
            Overlay = overlayPath,
            Attribution = attributionPath,
            Gradient = gradientPath,
            Figures = attribution is { Figures.Count: > 0 } ? attribution.Figures.ToDictionary(f => f.Key, f => (object)f.Value) : null,
            Milliseconds = milliseconds,
        };
        EmbeddedImage? gradientPicture = gradientPath is null
            ? null
            : EmbeddedImage.FromFile("image/png", attribution!.Width, attribution.Height, FullPath(gradientPath));
        run.Record(state, explanation, picture, gradientPicture);
        return explanation;
    }

    /// <summary>
    /// Records an error for this image (e.g. one method failed on it) while keeping what was written; it appears in
    /// <c>results.json</c> and the report. Several errors are joined with <c>; </c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run was finished already.</exception>
    public void Fail(string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        run.RecordError(state, error);
    }

    private string FullPath(string relative) => Path.Combine(run.OutputDirectory, relative);

    private static void RequireUnitRange(Heatmap heatmap)
    {
        float[] values = heatmap.Values;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!(v >= 0f && v <= 1f))
                throw new ArgumentException(
                    $"heatmap values must lie in [0, 1]; position ({i % heatmap.Width},{i / heatmap.Width}) holds {v}", nameof(heatmap));
        }
    }
}
