using System.Text.Json.Serialization;

namespace Gaze.Reporting;

/// <summary>One of the model's top classes for an image.</summary>
public sealed record Prediction
{
    /// <summary>The class index.</summary>
    [JsonPropertyName("index")]
    public required int Index { get; init; }

    /// <summary>The class label (the index as text when the model has no labels).</summary>
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    /// <summary>The softmax probability, from 0 to 1.</summary>
    [JsonPropertyName("probability")]
    public required double Probability { get; init; }

    /// <summary>The pre-softmax score.</summary>
    [JsonPropertyName("logit")]
    public required double Logit { get; init; }
}
