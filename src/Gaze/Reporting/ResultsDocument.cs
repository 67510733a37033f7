using System.Text.Json.Serialization;

namespace Gaze.Reporting;

/// <summary>
/// Everything one explanation run produced, as <c>results.json</c> holds it: the Gaze version, the model, the
/// settings and, per input image, its predictions and explanation files. File paths are relative to the output
/// directory and use forward slashes.
/// </summary>
public sealed record ResultsDocument
{
    /// <summary>The Gaze version that wrote the results (JSON <c>gaze</c>).</summary>
    [JsonPropertyName("gaze")]
    public required string Gaze { get; init; }

    /// <summary>The model that was explained.</summary>
    [JsonPropertyName("model")]
    public required ModelSummary Model { get; init; }

    /// <summary>The options the run used.</summary>
    [JsonPropertyName("settings")]
    public required ExplanationSettings Settings { get; init; }

    /// <summary>One entry per input image, in input order, including images that failed.</summary>
    [JsonPropertyName("images")]
    public required IReadOnlyList<ImageResult> Images { get; init; }

    /// <summary>
    /// False when the run was interrupted (JSON <c>complete</c>): <see cref="Images"/> then lists only the images
    /// finished before the interruption. Files written before this field existed lack it and read as true.
    /// </summary>
    [JsonPropertyName("complete")]
    public bool Complete { get; init; } = true;

    /// <summary>How many input images an interrupted run did not reach (JSON <c>images_left</c>); 0 when complete.</summary>
    [JsonPropertyName("images_left")]
    public int ImagesLeft { get; init; }
}
