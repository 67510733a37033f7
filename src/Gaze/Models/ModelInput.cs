using System.Globalization;
using Gaze.Errors;

namespace Gaze.Models;

/// <summary>
/// What a model expects as its image input: size, tensor layout, channel order, pixel range, normalisation and how
/// images are resized. Immutable; derive variants with <c>with { ... }</c> (that is also how command-line options
/// override a sidecar, see <see cref="ModelInputOverrides"/>), then call <see cref="Validate"/>.
/// A pixel value v in 0..255 becomes <c>(v / 255 * Range - Mean[c]) / Std[c]</c>.
/// The defaults are the torchvision ImageNet convention: 224x224, NCHW, RGB, range 1, ImageNet mean and std, center-crop.
/// </summary>
public sealed record ModelInput
{
    private readonly double[] mean = [0.485, 0.456, 0.406];
    private readonly double[] std = [0.229, 0.224, 0.225];

    /// <summary>
    /// The largest accepted input side (<see cref="Engine.ResourceLimits.MaxInputSide"/>): beyond it a typo or a
    /// hostile sidecar is more likely than a model, and a batch of one would take gigabytes.
    /// </summary>
    public const int MaxSide = Engine.ResourceLimits.MaxInputSide;

    /// <summary>The torchvision ImageNet defaults.</summary>
    public static ModelInput Default { get; } = new();

    /// <summary>Input height and width in pixels.</summary>
    public InputSize Size { get; init; } = InputSize.Square(224);

    /// <summary>Tensor layout.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.NCHW;

    /// <summary>Channel order (or gray).</summary>
    public ChannelOrder Channels { get; init; } = ChannelOrder.RGB;

    /// <summary>The pixel range before normalisation: 1 (values 0..1) or 255 (values 0..255).</summary>
    public double Range { get; init; } = 1;

    /// <summary>Subtracted per channel, in units of <see cref="Range"/>; one value for all channels or one per channel.</summary>
    public IReadOnlyList<double> Mean
    {
        get => Array.AsReadOnly(mean);
        init => mean = (value ?? throw new ArgumentNullException(nameof(value))).ToArray();
    }

    /// <summary>Divides per channel after the mean is subtracted; one value for all channels or one per channel.</summary>
    public IReadOnlyList<double> Std
    {
        get => Array.AsReadOnly(std);
        init => std = (value ?? throw new ArgumentNullException(nameof(value))).ToArray();
    }

    /// <summary>How images are brought to <see cref="Size"/>.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.CenterCrop;

    /// <summary>1 for <see cref="ChannelOrder.GRAY"/>, else 3.</summary>
    public int ChannelCount => Channels == ChannelOrder.GRAY ? 1 : 3;

    /// <summary>The mean of model channel <paramref name="channel"/> (a single mean applies to every channel).</summary>
    public double MeanOf(int channel) => mean.Length == 1 ? mean[0] : mean[channel];

    /// <summary>The std of model channel <paramref name="channel"/> (a single std applies to every channel).</summary>
    public double StdOf(int channel) => std.Length == 1 ? std[0] : std[channel];

    /// <summary>
    /// The normalised values that pixel values 0 and 255 of model channel <paramref name="channel"/> become:
    /// the valid range to clamp a synthesised input to.
    /// </summary>
    public (double Min, double Max) ValueBounds(int channel) =>
        ((0 - MeanOf(channel)) / StdOf(channel), (Range - MeanOf(channel)) / StdOf(channel));

    /// <summary>The tensor shape for a batch of <paramref name="batch"/> images: [N,C,H,W] or [N,H,W,C].</summary>
    public long[] TensorShape(int batch) => Layout == TensorLayout.NCHW
        ? [batch, ChannelCount, Size.Height, Size.Width]
        : [batch, Size.Height, Size.Width, ChannelCount];

    /// <summary>
    /// Checks that every field is usable and returns this input.
    /// </summary>
    /// <param name="fieldPrefix">Put before the field name in errors: <c>input.</c> names sidecar fields
    /// (<c>input.mean</c>), <c>--</c> names command-line options (<c>--mean</c>).</param>
    /// <exception cref="InvalidOptionException">A field is invalid; the exception names it.</exception>
    public ModelInput Validate(string fieldPrefix = "input.")
    {
        if (FindProblem() is var (field, problem)) throw new InvalidOptionException(fieldPrefix + field, problem);
        return this;
    }

    /// <summary>The first invalid field (its sidecar name without <c>input.</c>) and what is wrong with it, or null.</summary>
    internal (string Field, string Problem)? FindProblem()
    {
        if (Size.Height <= 0 || Size.Width <= 0 || Size.Height > MaxSide || Size.Width > MaxSide)
            return ("size", $"height and width must be 1 to {MaxSide} pixels, got {Size}");
        if (!Enum.IsDefined(Layout)) return ("layout", $"must be {ModelInputNames.Layouts}");
        if (!Enum.IsDefined(Channels)) return ("channels", $"must be {ModelInputNames.ChannelOrders}");
        if (!Enum.IsDefined(Resize)) return ("resize", $"must be {ModelInputNames.ResizeModes}");
        if (Range != 1 && Range != 255) return ("range", $"must be 1 or 255, got {Format(Range)}");
        if (CountProblem(mean.Length) is { } meanCount) return ("mean", meanCount);
        if (mean.Any(m => !double.IsFinite(m))) return ("mean", $"values must be finite numbers, got {Format(mean)}");
        if (CountProblem(std.Length) is { } stdCount) return ("std", stdCount);
        if (std.Any(s => !double.IsFinite(s) || s <= 0)) return ("std", $"values must be positive numbers, got {Format(std)}");
        return null;
    }

    private string? CountProblem(int count) => count == 1 || count == ChannelCount ? null
        : ChannelCount == 1 ? $"needs 1 value for {Channels} input, got {count}"
        : $"needs 1 value or {ChannelCount} (one per {Channels} channel), got {count}";

    /// <summary>Equal when every field is equal (mean and std compared value by value).</summary>
    public bool Equals(ModelInput? other) =>
        other is not null && Size == other.Size && Layout == other.Layout && Channels == other.Channels
        && Range == other.Range && Resize == other.Resize && mean.AsSpan().SequenceEqual(other.mean) && std.AsSpan().SequenceEqual(other.std);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Size);
        hash.Add(Layout);
        hash.Add(Channels);
        hash.Add(Range);
        hash.Add(Resize);
        foreach (double m in mean) hash.Add(m);
        foreach (double s in std) hash.Add(s);
        return hash.ToHashCode();
    }

    /// <summary>One line in sidecar terms, e.g. <c>size [224, 224], NCHW, RGB, range 1, mean [...], std [...], center-crop</c>.</summary>
    public override string ToString() =>
        $"size {Size}, {ModelInputNames.Name(Layout)}, {ModelInputNames.Name(Channels)}, range {Format(Range)}, " +
        $"mean {Format(mean)}, std {Format(std)}, {ModelInputNames.Name(Resize)}";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(double[] values) => "[" + string.Join(", ", values.Select(Format)) + "]";
}
