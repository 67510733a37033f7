using System.Text.Json.Serialization;

namespace Gaze.Reporting;

/// <summary>
/// The model's input convention as reported in <c>results.json</c> (JSON <c>model.input</c>): plain values the
/// caller copies from the model description, with the names and meanings of the <c>.gaze.json</c> sidecar.
/// </summary>
public sealed record InputConvention
{
    /// <summary>Input size as [height, width].</summary>
    [JsonPropertyName("size")]
    public required IReadOnlyList<int> Size { get; init; }

    /// <summary>Tensor layout, <c>NCHW</c> or <c>NHWC</c>.</summary>
    [JsonPropertyName("layout")]
    public required string Layout { get; init; }

    /// <summary>Channel order, <c>RGB</c>, <c>BGR</c> or <c>GRAY</c>.</summary>
    [JsonPropertyName("channels")]
    public required string Channels { get; init; }

    /// <summary>Pixel range before normalisation: 1 (values 0..1) or 255 (values 0..255).</summary>
    [JsonPropertyName("range")]
    public required double Range { get; init; }

    /// <summary>Per-channel mean subtracted, in the pixel range.</summary>
    [JsonPropertyName("mean")]
    public required IReadOnlyList<double> Mean { get; init; }

    /// <summary>Per-channel standard deviation divided by, in the pixel range (all 1 when the model uses none).</summary>
    [JsonPropertyName("std")]
    public required IReadOnlyList<double> Std { get; init; }

    /// <summary>How images are brought to <see cref="Size"/>: <c>stretch</c> or <c>center-crop</c>.</summary>
    [JsonPropertyName("resize")]
    public required string Resize { get; init; }

    /// <summary>
    /// Where each part came from: <c>default</c>, <c>graph</c>, <c>sidecar</c> or <c>option</c>, by part (<c>size</c>,
    /// <c>layout</c>, <c>channels</c>, <c>normalisation</c>, <c>resize</c>).
    /// </summary>
    [JsonPropertyName("sources")]
    public IReadOnlyDictionary<string, string> Sources { get; init; } = SourceNames(Models.ModelInputSources.Defaults);

    /// <summary>The preset the convention starts from (<c>keras-caffe</c>, <c>keras-tf</c>, ...), or null.</summary>
    [JsonPropertyName("preset")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Preset { get; init; }

    /// <summary>What in the graph decided the layout, when the graph did.</summary>
    [JsonPropertyName("layout_evidence")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LayoutEvidence { get; init; }

    /// <summary>The convention of <paramref name="input"/> and where its parts came from, as results.json records it.</summary>
    public static InputConvention From(Models.ModelInput input, Models.ModelInputSources sources) => new()
    {
        Sources = SourceNames(sources),
        Preset = sources.Preset,
        LayoutEvidence = sources.LayoutEvidence,
        Size = [input.Size.Height, input.Size.Width],
        Layout = input.Layout.ToString(),
        Channels = input.Channels.ToString(),
        Range = input.Range,
        Mean = [.. input.Mean],
        Std = [.. input.Std],
        Resize = input.Resize == Models.ResizeMode.Stretch ? "stretch" : "center-crop",
    };

    private static Dictionary<string, string> SourceNames(Models.ModelInputSources sources) =>
        sources.ByField.ToDictionary(p => p.Key, p => Models.ModelInputSources.Name(p.Value));
}
