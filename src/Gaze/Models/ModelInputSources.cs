namespace Gaze.Models;

/// <summary>
/// Where each part of a model's input convention came from (<see cref="LoadedModel.InputSources"/>): shown by
/// <c>gaze layers</c> and recorded in results.json, so that an inferred layout or size is never a surprise.
/// </summary>
public sealed record ModelInputSources
{
    /// <summary>Nothing inferred or given: every part is the default.</summary>
    public static ModelInputSources Defaults { get; } = new();

    /// <summary>Source of the input size.</summary>
    public InputSource Size { get; init; }

    /// <summary>Source of the tensor layout.</summary>
    public InputSource Layout { get; init; }

    /// <summary>Source of the channel order.</summary>
    public InputSource Channels { get; init; }

    /// <summary>Source of the pixel range, mean and std.</summary>
    public InputSource Normalisation { get; init; }

    /// <summary>Source of the resize mode.</summary>
    public InputSource Resize { get; init; }

    /// <summary>The preset the convention starts from (<see cref="InputPresets"/>), or null.</summary>
    public string? Preset { get; init; }

    /// <summary>Where <see cref="Preset"/> was named: the sidecar's <c>input.preset</c> or an option.</summary>
    public InputSource PresetSource { get; init; }

    /// <summary>What in the graph decided the layout, when <see cref="Layout"/> is <see cref="InputSource.Graph"/>.</summary>
    public string? LayoutEvidence { get; init; }

    /// <summary>The source of each part by its sidecar field name (size, layout, channels, normalisation, resize).</summary>
    public IReadOnlyDictionary<string, InputSource> ByField => new Dictionary<string, InputSource>
    {
        ["size"] = Size,
        ["layout"] = Layout,
        ["channels"] = Channels,
        ["normalisation"] = Normalisation,
        ["resize"] = Resize,
    };

    /// <summary>A source's lower-case name as results.json and <c>gaze layers</c> write it.</summary>
    public static string Name(InputSource source) => source.ToString().ToLowerInvariant();
}
