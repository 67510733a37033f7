using System.CommandLine;
using Gaze.Models;

namespace Gaze.Cli.Commands;

/// <summary>
/// Options that override the model's input convention from its <c>.gaze.json</c> sidecar
/// (<c>--size</c>, <c>--layout</c>, <c>--channels</c>, <c>--range</c>, <c>--mean</c>, <c>--std</c>, <c>--resize</c>).
/// </summary>
public sealed class InputOptions
{
    private readonly Option<string?> preset = new("--preset") { Description = $"Preprocessing of a model family: {InputPresets.NameList} (the other input options override it)" };
    private readonly Option<string?> size = new("--size") { Description = "Model input size: N or H,W (overrides the sidecar)", HelpName = "H,W" };
    private readonly Option<string?> layout = new("--layout") { Description = "NCHW or NHWC (overrides the sidecar)" };
    private readonly Option<string?> channels = new("--channels") { Description = "RGB, BGR or GRAY (overrides the sidecar)" };
    private readonly Option<string?> range = new("--range") { Description = "Pixel range before normalisation: 1 or 255 (overrides the sidecar)" };
    private readonly Option<string?> mean = new("--mean") { Description = "Per-channel mean, e.g. 104,117,123 (overrides the sidecar)" };
    private readonly Option<string?> std = new("--std") { Description = "Per-channel std, e.g. 0.229,0.224,0.225 (overrides the sidecar)" };
    private readonly Option<string?> resize = new("--resize") { Description = "stretch or center-crop (overrides the sidecar)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { preset, size, layout, channels, range, mean, std, resize }) command.Add(option);
    }

    /// <summary>The overrides the user gave (applied by <see cref="LoadedModel.Open"/>).</summary>
    public ModelInputOverrides Overrides(ParseResult parse) => new()
    {
        Preset = parse.GetValue(preset),
        Size = parse.GetValue(size),
        Layout = parse.GetValue(layout),
        Channels = parse.GetValue(channels),
        Range = parse.GetValue(range),
        Mean = parse.GetValue(mean),
        Std = parse.GetValue(std),
        Resize = parse.GetValue(resize),
    };
}
