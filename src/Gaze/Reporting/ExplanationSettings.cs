using System.Text.Json.Serialization;

namespace Gaze.Reporting;

/// <summary>The options of an explanation run (JSON <c>settings</c>), as the user chose or defaulted them.</summary>
public sealed record ExplanationSettings
{
    /// <summary>The methods' command-line names, in the order they ran, e.g. <c>gradcam</c>.</summary>
    [JsonPropertyName("methods")]
    public required IReadOnlyList<string> Methods { get; init; }

    /// <summary>The target specification as given: <c>top1</c>, <c>top3</c>, a class index or a label.</summary>
    [JsonPropertyName("target")]
    public required string Target { get; init; }

    /// <summary>The target layers' names (their maps are averaged when there are several).</summary>
    [JsonPropertyName("layers")]
    public required IReadOnlyList<string> Layers { get; init; }

    /// <summary>The colormap's name (see <see cref="Rendering.Colormap.FromName"/>).</summary>
    [JsonPropertyName("colormap")]
    public required string Colormap { get; init; }

    /// <summary>The heatmap's share of each overlay pixel, from 0 to 1.</summary>
    [JsonPropertyName("opacity")]
    public required double Opacity { get; init; }

    /// <summary>Whether test-time augmentation smoothing was on.</summary>
    [JsonPropertyName("aug_smooth")]
    public required bool AugSmooth { get; init; }

    /// <summary>Whether maps were the first principal component instead of the channel sum.</summary>
    [JsonPropertyName("eigen_smooth")]
    public required bool EigenSmooth { get; init; }

    /// <summary>CPU threads the engine used.</summary>
    [JsonPropertyName("threads")]
    public required int Threads { get; init; }

    /// <summary>The number format of the engine's convolutions and matrix products: fp32 or bf16.</summary>
    [JsonPropertyName("precision")]
    public string Precision { get; init; } = "fp32";
}
