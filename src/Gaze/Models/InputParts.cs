namespace Gaze.Models;

/// <summary>
/// The parts of an input convention that one source (graph, sidecar, options) can give; each part is taken from the
/// strongest source that gives it (<see cref="LoadedModel.InputSources"/>).
/// </summary>
[Flags]
public enum InputParts
{
    /// <summary>No part.</summary>
    None = 0,

    /// <summary>Height and width.</summary>
    Size = 1,

    /// <summary>NCHW or NHWC.</summary>
    Layout = 2,

    /// <summary>Channel order (RGB, BGR, GRAY).</summary>
    Channels = 4,

    /// <summary>Pixel range, mean and std.</summary>
    Normalisation = 8,

    /// <summary>How images are brought to the size.</summary>
    Resize = 16,

    /// <summary>What a preset sets (<see cref="InputPresets"/>).</summary>
    Preset = Channels | Normalisation | Resize,

    /// <summary>Every part.</summary>
    All = Size | Layout | Channels | Normalisation | Resize,
}
