using System.Text.Json.Serialization;

namespace Gaze.Reporting;

/// <summary>
/// One input image in <c>results.json</c>: its size, the model's top predictions and the explanations written for
/// it, or the error that stopped it (then <see cref="Width"/> and <see cref="Height"/> may be null and the lists empty).
/// </summary>
public sealed record ImageResult
{
    /// <summary>The input image file, relative to the output directory, with forward slashes.</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>The image's width in pixels; null when it could not be decoded.</summary>
    [JsonPropertyName("width")]
    public required int? Width { get; init; }

    /// <summary>The image's height in pixels; null when it could not be decoded.</summary>
    [JsonPropertyName("height")]
    public required int? Height { get; init; }

    /// <summary>
    /// The heatmaps' and overlays' width as a fraction of the image's: 1, or less for an image larger than
    /// <see cref="Engine.ResourceLimits.MaxOutputPixels"/>, whose maps are written at a bounded size with the same
    /// aspect ratio. Omitted when the image could not be decoded.
    /// </summary>
    [JsonPropertyName("output_scale")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OutputScale { get; init; }

    /// <summary>The model's best classes for this image, most probable first (usually five).</summary>
    [JsonPropertyName("predictions")]
    public required IReadOnlyList<Prediction> Predictions { get; init; }

    /// <summary>One entry per target and method, in the order they were computed.</summary>
    [JsonPropertyName("explanations")]
    public required IReadOnlyList<ExplanationResult> Explanations { get; init; }

    /// <summary>Why the image was not (fully) explained, as a one-line message; omitted from the JSON when null.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
