namespace Gaze.Models;

/// <summary>
/// What a model's <c>.gaze.json</c> sidecar says about it. Every field is null when the sidecar does not give it
/// (or there is no sidecar); callers fall back to defaults or to what the model file itself reveals.
/// Read with <see cref="ModelMetadataReader"/>.
/// </summary>
public sealed record ModelMetadata
{
    /// <summary>No sidecar: nothing known.</summary>
    public static ModelMetadata None { get; } = new();

    /// <summary>The sidecar the metadata came from, or null when there was none.</summary>
    public string? SidecarPath { get; init; }

    /// <summary>Display name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The input convention (<c>input</c>); fields the sidecar leaves out keep the <see cref="ModelInput.Default"/> values,
    /// except that a GRAY input without mean and std gets mean 0 and std 1.
    /// Null when the sidecar has no <c>input</c> object.
    /// </summary>
    public ModelInput? Input { get; init; }

    /// <summary>
    /// The parts of <see cref="Input"/> the sidecar gives (directly or through its preset); the others are defaults
    /// that the graph may override (<see cref="LoadedModel"/>). Null without an <c>input</c> object.
    /// </summary>
    public InputParts? InputParts { get; init; }

    /// <summary>The sidecar's <c>input.preset</c>, if any.</summary>
    public string? InputPreset { get; init; }

    /// <summary>Class names, index = class (<c>labels</c>, read from the file it names or given inline).</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>The tensor CAM methods use by default (<c>layers.cam</c>).</summary>
    public string? CamLayer { get; init; }
}
