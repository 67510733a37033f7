using System.Text.Json.Serialization;

namespace Gaze.Reporting;

/// <summary>The model a run explained (JSON <c>model</c>).</summary>
public sealed record ModelSummary
{
    /// <summary>The model file, relative to the output directory, with forward slashes.</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>Display name (from the sidecar, or the file name).</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>How images are turned into the model's input tensor.</summary>
    [JsonPropertyName("input")]
    public required InputConvention Input { get; init; }
}
