using System.Text.Json.Serialization;

namespace Gaze.Reporting;

/// <summary>One method's explanation of one target class for one image, and the files that hold it.</summary>
public sealed record ExplanationResult
{
    /// <summary>The method's command-line name, e.g. <c>gradcam</c>.</summary>
    [JsonPropertyName("method")]
    public required string Method { get; init; }

    /// <summary>The explained class index.</summary>
    [JsonPropertyName("target")]
    public required int Target { get; init; }

    /// <summary>The explained class's label.</summary>
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    /// <summary>The layers whose maps were averaged.</summary>
    [JsonPropertyName("layers")]
    public required IReadOnlyList<string> Layers { get; init; }

    /// <summary>The normalised heatmap (<c>.npy</c>, float32, image height x width, values in [0, 1]).</summary>
    [JsonPropertyName("heatmap")]
    public required string Heatmap { get; init; }

    /// <summary>The raw map (<c>.npy</c>, float32, the layer's resolution); null when several layers were averaged.</summary>
    [JsonPropertyName("raw")]
    public required string? Raw { get; init; }

    /// <summary>The heatmap over the image (PNG, the image's size).</summary>
    [JsonPropertyName("overlay")]
    public required string Overlay { get; init; }

    /// <summary>
    /// Pixel methods: the attribution in the model's input tensor space (<c>.npy</c>, float32, [C,H,W], unnormalised);
    /// omitted for CAMs.
    /// </summary>
    [JsonPropertyName("attribution")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Attribution { get; init; }

    /// <summary>Gradient-like pixel methods: the signed gradient picture (PNG, the model's input size); omitted otherwise.</summary>
    [JsonPropertyName("gradient")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gradient { get; init; }

    /// <summary>Method figures by name, written as fields of their own (e.g. <c>completeness_gap</c>, <c>delta</c>).</summary>
    [JsonExtensionData]
    public Dictionary<string, object>? Figures { get; init; }

    /// <summary>How long the method took for this image and target, in milliseconds.</summary>
    [JsonPropertyName("milliseconds")]
    public required double Milliseconds { get; init; }
}
