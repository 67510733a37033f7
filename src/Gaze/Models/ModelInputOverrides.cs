using System.Globalization;
using Gaze.Errors;

namespace Gaze.Models;

/// <summary>
/// Input settings typed on the command line, as text, each null when not given. <see cref="ApplyTo"/> parses the
/// given ones over a sidecar's (or the default) <see cref="ModelInput"/>, so options always win over the sidecar.
/// Errors name the option (<c>--mean</c>, ...).
/// </summary>
public sealed record ModelInputOverrides
{
    /// <summary><c>--preset</c>: a named convention (<see cref="InputPresets"/>), applied before the other settings.</summary>
    public string? Preset { get; init; }

    /// <summary><c>--size</c>: one number for a square input, or <c>height,width</c>.</summary>
    public string? Size { get; init; }

    /// <summary><c>--layout</c>: NCHW or NHWC.</summary>
    public string? Layout { get; init; }

    /// <summary><c>--channels</c>: RGB, BGR or GRAY.</summary>
    public string? Channels { get; init; }

    /// <summary><c>--range</c>: 1 or 255.</summary>
    public string? Range { get; init; }

    /// <summary><c>--mean</c>: numbers separated by commas or spaces, e.g. <c>104,117,123</c>.</summary>
    public string? Mean { get; init; }

    /// <summary><c>--std</c>: numbers separated by commas or spaces.</summary>
    public string? Std { get; init; }

    /// <summary><c>--resize</c>: stretch or center-crop.</summary>
    public string? Resize { get; init; }

    /// <summary>True when no setting is given.</summary>
    public bool IsEmpty => Preset is null && Size is null && Layout is null && Channels is null && Range is null
        && Mean is null && Std is null && Resize is null;

    /// <summary>The parts of the convention these settings give.</summary>
    public InputParts Parts =>
        (Preset is not null ? InputParts.Preset : InputParts.None)
        | (Size is not null ? InputParts.Size : InputParts.None)
        | (Layout is not null ? InputParts.Layout : InputParts.None)
        | (Channels is not null ? InputParts.Channels : InputParts.None)
        | (Range is not null || Mean is not null || Std is not null ? InputParts.Normalisation : InputParts.None)
        | (Resize is not null ? InputParts.Resize : InputParts.None);

    /// <summary>
    /// <paramref name="input"/> with every given setting replaced, validated.
    /// </summary>
    /// <param name="input">What the sidecar says, or <see cref="ModelInput.Default"/>.</param>
    /// <param name="optionPrefix">Put before the setting's name in errors.</param>
    /// <exception cref="InvalidOptionException">A setting cannot be read, or the combination is invalid.</exception>
    public ModelInput ApplyTo(ModelInput input, string optionPrefix = "--")
    {
        var result = input;
        if (Preset is not null)
        {
            string name = InputPresets.Find(Preset)
                ?? throw new InvalidOptionException(optionPrefix + "preset", $"must be {InputPresets.NameList}, got '{Preset}'");
            result = InputPresets.Apply(name, result);
        }
        if (Size is not null) result = result with { Size = ParseSize(Size, optionPrefix + "size") };
        if (Layout is not null)
        {
            if (!ModelInputNames.TryParseLayout(Layout, out var layout))
                throw new InvalidOptionException(optionPrefix + "layout", $"must be {ModelInputNames.Layouts}, got '{Layout}'");
            result = result with { Layout = layout };
        }
        if (Channels is not null)
        {
            if (!ModelInputNames.TryParseChannels(Channels, out var channels))
                throw new InvalidOptionException(optionPrefix + "channels", $"must be {ModelInputNames.ChannelOrders}, got '{Channels}'");
            result = result with { Channels = channels };
        }
        if (Range is not null) result = result with { Range = ParseNumbers(Range, optionPrefix + "range", single: true)[0] };
        if (Mean is not null) result = result with { Mean = ParseNumbers(Mean, optionPrefix + "mean", single: false) };
        if (Std is not null) result = result with { Std = ParseNumbers(Std, optionPrefix + "std", single: false) };
        if (Resize is not null)
        {
            if (!ModelInputNames.TryParseResize(Resize, out var resize))
                throw new InvalidOptionException(optionPrefix + "resize", $"must be {ModelInputNames.ResizeModes}, got '{Resize}'");
            result = result with { Resize = resize };
        }
        // A new channel order can leave the sidecar's per-channel mean or std with the wrong count: that is the
        // --channels option's doing, not a --mean the user never gave.
        if (Channels is not null && result.FindProblem() is ("mean" or "std", var problem) field && (field.Field == "mean" ? Mean : Std) is null)
        {
            throw new InvalidOptionException(optionPrefix + "channels",
                $"{field.Field} of the model's input convention {problem}; give {optionPrefix}mean and {optionPrefix}std for {Channels} input too");
        }
        return result.Validate(optionPrefix);
    }

    private static InputSize ParseSize(string text, string option)
    {
        var parts = Split(text);
        var sides = new int[parts.Length];
        bool allWhole = parts.Length is 1 or 2;
        for (int i = 0; i < parts.Length && allWhole; i++)
            allWhole = int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sides[i]);
        if (!allWhole) throw new InvalidOptionException(option, $"must be one whole number or height,width, got '{text}'");
        return sides.Length == 1 ? InputSize.Square(sides[0]) : new InputSize(sides[0], sides[1]);
    }

    private static double[] ParseNumbers(string text, string option, bool single)
    {
        var parts = Split(text);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new InvalidOptionException(option, $"'{parts[i]}' is not a number");
        }
        if (values.Length == 0 || (single && values.Length != 1))
            throw new InvalidOptionException(option, single ? $"must be one number, got '{text}'" : $"must be numbers separated by commas, got '{text}'");
        return values;
    }

    // Accepts "1,2,3", "1 2 3" and "[1, 2, 3]".
    private static string[] Split(string text) =>
        text.Trim().TrimStart('[').TrimEnd(']').Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
