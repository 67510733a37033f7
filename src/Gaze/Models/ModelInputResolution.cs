using Gaze.Onnx;

namespace Gaze.Models;

/// <summary>
/// Decides a model's input convention part by part, each from the strongest source that gives it: options over the
/// sidecar over the graph over the defaults. The graph gives the size when its input's height and width are fixed,
/// the layout when <see cref="ImageInputLayout"/> can tell (a Keras export transposes its NHWC input to channels
/// first), and one gray channel, plain 0..1, when its input has a single channel.
/// </summary>
internal static class ModelInputResolution
{
    /// <summary>The convention of <paramref name="graph"/> with <paramref name="metadata"/> and <paramref name="overrides"/>, and where each part came from.</summary>
    /// <exception cref="Errors.InvalidOptionException">An override is invalid, or the parts do not fit together.</exception>
    public static (ModelInput Input, ModelInputSources Sources) Resolve(OnnxGraph graph, ModelMetadata metadata, ModelInputOverrides? overrides)
    {
        var (input, sources) = FromGraph(graph);
        if (metadata.Input is { } sidecar)
        {
            var parts = metadata.InputParts ?? InputParts.All;
            input = Take(input, sidecar, parts);
            if (metadata.InputPreset is { } preset) sources = sources with { Preset = preset, PresetSource = InputSource.Sidecar };
            sources = Mark(sources, parts, InputSource.Sidecar);
        }
        if (overrides is { IsEmpty: false })
        {
            RequireChannelCount(graph, overrides);
            input = overrides.ApplyTo(input);
            if (overrides.Preset is { } preset) sources = sources with { Preset = InputPresets.Find(preset), PresetSource = InputSource.Option };
            sources = Mark(sources, overrides.Parts, InputSource.Option);
        }
        return (input.Validate(), sources);
    }

    /// <summary>A <c>--channels</c> whose channel count the graph's input cannot take is that option's error, with the fix.</summary>
    private static void RequireChannelCount(OnnxGraph graph, ModelInputOverrides overrides)
    {
        if (overrides.Channels is not { } text || !ModelInputNames.TryParseChannels(text, out var channels)) return;
        if (graph.Inputs is not [{ Rank: 4, Channels: long declared } input]) return;
        int count = channels == ChannelOrder.GRAY ? 1 : 3;
        if (count == declared) return;
        string fix = declared == 1 ? "pass --channels GRAY" : declared == 3 ? "pass --channels RGB or BGR" : "the model does not take images";
        throw new Errors.InvalidOptionException("--channels", $"{text} gives {count} channel(s) but the model expects {input.Expectation} with {declared}; {fix}");
    }

    private static (ModelInput, ModelInputSources) FromGraph(OnnxGraph graph)
    {
        var input = ModelInput.Default;
        var sources = ModelInputSources.Defaults;
        if (graph.Inputs is not [{ Rank: 4 } declared]) return (input, sources);
        if (declared.Layout is { } layout)
        {
            input = input with { Layout = layout.ChannelsLast ? TensorLayout.NHWC : TensorLayout.NCHW };
            sources = sources with { Layout = InputSource.Graph, LayoutEvidence = layout.Evidence };
        }
        if (declared.FixedSize is var (height, width) && height <= ModelInput.MaxSide && width <= ModelInput.MaxSide)
        {
            input = input with { Size = new InputSize((int)height, (int)width) };
            sources = sources with { Size = InputSource.Graph };
        }
        if (declared.Channels == 1)
        {
            input = input with { Channels = ChannelOrder.GRAY, Mean = [0], Std = [1] };
            sources = sources with { Channels = InputSource.Graph, Normalisation = InputSource.Graph };
        }
        return (input, sources);
    }

    /// <summary><paramref name="input"/> with the <paramref name="parts"/> of <paramref name="given"/>.</summary>
    private static ModelInput Take(ModelInput input, ModelInput given, InputParts parts) => input with
    {
        Size = parts.HasFlag(InputParts.Size) ? given.Size : input.Size,
        Layout = parts.HasFlag(InputParts.Layout) ? given.Layout : input.Layout,
        Channels = parts.HasFlag(InputParts.Channels) ? given.Channels : input.Channels,
        Range = parts.HasFlag(InputParts.Normalisation) ? given.Range : input.Range,
        Mean = parts.HasFlag(InputParts.Normalisation) ? given.Mean : input.Mean,
        Std = parts.HasFlag(InputParts.Normalisation) ? given.Std : input.Std,
        Resize = parts.HasFlag(InputParts.Resize) ? given.Resize : input.Resize,
    };

    private static ModelInputSources Mark(ModelInputSources sources, InputParts parts, InputSource source) => sources with
    {
        Size = parts.HasFlag(InputParts.Size) ? source : sources.Size,
        Layout = parts.HasFlag(InputParts.Layout) ? source : sources.Layout,
        LayoutEvidence = parts.HasFlag(InputParts.Layout) ? null : sources.LayoutEvidence,
        Channels = parts.HasFlag(InputParts.Channels) ? source : sources.Channels,
        Normalisation = parts.HasFlag(InputParts.Normalisation) ? source : sources.Normalisation,
        Resize = parts.HasFlag(InputParts.Resize) ? source : sources.Resize,
    };
}
