using Gaze.Attribution;
using Gaze.Engine;
using Gaze.Rendering;

namespace Gaze.Explaining;

/// <summary>What an <see cref="ExplanationRun"/> explains and how, as a user states it (names and texts, resolved and checked by the run).</summary>
public sealed record ExplanationRequest
{
    /// <summary>The methods, each run for every image and target.</summary>
    public required IReadOnlyList<AttributionMethod> Methods { get; init; }

    /// <summary>Which classes to explain: <c>top1</c>, <c>topK</c>, a class index or a label.</summary>
    public string Target { get; init; } = "top1";

    /// <summary>Comma-separated target layers (tensor names or aliases), or null for the model's default CAM layer.</summary>
    public string? Layers { get; init; }

    /// <summary>CAM methods: average over flips and brightness (see <see cref="AttributionOptions.AugSmooth"/>).</summary>
    public bool AugSmooth { get; init; }

    /// <summary>CAM methods: first principal component instead of the channel sum (see <see cref="AttributionOptions.EigenSmooth"/>).</summary>
    public bool EigenSmooth { get; init; }

    /// <summary>The overlay colormap by name (see <see cref="Colormap.FromName"/>).</summary>
    public string Colormap { get; init; } = "jet";

    /// <summary>The overlay's heatmap weight, 0 to 1.</summary>
    public double Opacity { get; init; } = HeatmapRenderer.DefaultOpacity;

    /// <summary>
    /// How many images are preprocessed and explained together; reduced to what <see cref="Limits"/> allows (see
    /// <see cref="ExplanationRun.BatchSize"/>).
    /// </summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>The limits on image files and batch memory.</summary>
    public ResourceLimits Limits { get; init; } = ResourceLimits.Default;

    /// <summary>The output directory, or null for a fresh folder under <c>gaze-out/</c>.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Write into a non-empty <see cref="OutputDirectory"/>.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Values of the methods' own options (<c>--steps</c>, <c>--baseline</c>, ...), read by the methods that take them.</summary>
    public MethodSettings Settings { get; init; } = MethodSettings.None;

    /// <summary>The method-specific options the request sets, by command-line name, for the applicability check.</summary>
    public IEnumerable<string> GivenMethodOptions()
    {
        if (Layers is not null) yield return MethodOption.Layer.Name;
        if (AugSmooth) yield return MethodOption.AugSmooth.Name;
        if (EigenSmooth) yield return MethodOption.EigenSmooth.Name;
        foreach (string name in Settings.Names) yield return name;
    }
}
