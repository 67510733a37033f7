using Gaze.Onnx.Proto;

namespace Gaze.Onnx;

/// <summary>A tensor the caller gives to a graph: its name, declared element type and declared shape.</summary>
public sealed class GraphInput
{
    internal GraphInput(string name, int elementType, IReadOnlyList<long?>? shape, int slot, ImageInputLayout? layout)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        Slot = slot;
        Layout = layout;
    }

    /// <summary>The input's tensor name.</summary>
    public string Name { get; }

    /// <summary>ONNX element type number (1 float, 10 float16, 7 int64, ...).</summary>
    internal int ElementType { get; }

    /// <summary>The declared element type's name, e.g. "float" or "float16" (float16 inputs take float32 tensors).</summary>
    public string ElementTypeName => OnnxDataType.Name(ElementType);

    /// <summary>Declared dimensions (null entries are symbolic, such as a dynamic batch), or null if undeclared.</summary>
    public IReadOnlyList<long?>? Shape { get; }

    /// <summary>The declared rank, or null if undeclared.</summary>
    public int? Rank => Shape?.Count;

    internal int Slot { get; }

    /// <summary>For a 4-D image input, where its channels are and what in the graph says so; null when the graph does not tell.</summary>
    public ImageInputLayout? Layout { get; }

    /// <summary>True when the graph says the input is [N,H,W,C] (<see cref="Layout"/>).</summary>
    public bool ChannelsLast => Layout?.ChannelsLast == true;

    /// <summary>The axis of the channels: 3 for a channels-last 4-D input, else 1.</summary>
    public int ChannelAxis => ChannelsLast ? 3 : 1;

    /// <summary>The declared channel count, if fixed.</summary>
    public long? Channels => Shape is { Count: >= 3 } shape ? shape[ChannelAxis] : null;

    /// <summary>The declared (height, width) of a 4-D image input when both are fixed, else null.</summary>
    public (long Height, long Width)? FixedSize =>
        Shape is { Count: 4 } shape && shape[HeightAxis(ChannelsLast)] is long height && shape[HeightAxis(ChannelsLast) + 1] is long width
            ? (height, width)
            : null;

    /// <summary>
    /// A concrete shape for this input: <paramref name="batch"/> first, declared dimensions where fixed, and for 4-D
    /// image inputs the requested <paramref name="size"/> (else the declared size, else 224x224) on the spatial axes
    /// of its <see cref="Layout"/>; other symbolic dimensions become 1 (a symbolic channel axis 3).
    /// </summary>
    public long[] ConcreteShape(int batch, (int Height, int Width)? size = null)
    {
        var declared = Shape ?? [null, 3, null, null];
        var shape = new long[declared.Count];
        int heightAxis = HeightAxis(ChannelsLast);
        for (int d = 0; d < shape.Length; d++)
        {
            shape[d] = d == 0 ? batch : declared[d] ?? 1;
            if (shape.Length != 4) continue;
            if (d == heightAxis || d == heightAxis + 1)
                shape[d] = size is { } s ? (d == heightAxis ? s.Height : s.Width) : declared[d] ?? 224;
            else if (d == ChannelAxis && declared[d] is null) shape[d] = 3;
        }
        return shape;
    }

    /// <summary>
    /// Why a tensor of <paramref name="actual"/> shape cannot be this input, with the fix, or null when it fits: the rank,
    /// the channel count on the channel axis of <see cref="Layout"/>, and fixed batch-independent dimensions other
    /// than height and width (a fully convolutional model may run at another size; one that cannot fails in a node,
    /// and <see cref="SizeHint"/> explains that).
    /// </summary>
    public string? Mismatch(IReadOnlyList<long> actual)
    {
        if (Shape is not { } shape) return null;
        string got = $"the input tensor is [{string.Join(",", actual)}]";
        if (actual.Count != shape.Count) return $"'{Name}' needs rank {shape.Count} {Expectation}; {got}";
        if (shape.Count != 4)
        {
            for (int d = 1; d < shape.Count; d++)
                if (shape[d] is long fixedDim && actual[d] != fixedDim) return $"'{Name}' needs {Expectation}; {got}";
            return null;
        }
        if (Channels is not long channels || actual[ChannelAxis] == channels) return null;
        int otherAxis = ChannelsLast ? 1 : 3;
        string fix = actual[otherAxis] == channels
            ? $"pass --layout {(ChannelsLast ? "NHWC" : "NCHW")}{SizeFix(actual)} or add a sidecar with input.layout"
            : channels == 1 ? "pass --channels GRAY or add a sidecar with input.channels \"GRAY\""
            : channels == 3 ? "pass --channels RGB (or BGR) or set input.channels in a sidecar"
            : $"the model takes {channels} channels, not an image";
        return $"the model expects {Expectation}; {got}: {fix}";
    }

    /// <summary>
    /// A one-line explanation when a node failed on an input of <paramref name="actual"/> shape whose height and width
    /// differ from the fixed ones the graph declares (a dense layer after Flatten only takes one size), else null.
    /// </summary>
    public string? SizeHint(IReadOnlyList<long> actual)
    {
        if (FixedSize is not var (height, width) || actual.Count != 4) return null;
        int h = HeightAxis(ChannelsLast);
        if (actual[h] == height && actual[h + 1] == width) return null;
        return $"the model expects {Expectation}, the input is {actual[h]}x{actual[h + 1]}: pass --size {height},{width} or set input.size in a sidecar";
    }

    /// <summary>The declared shape with its layout in words, e.g. "NHWC [N,64,64,3]".</summary>
    public string Expectation => Shape is { Count: 4 } ? $"{(ChannelsLast ? "NHWC" : "NCHW")} {ShapeText}" : ShapeText;

    /// <summary>" --size H,W" when <paramref name="actual"/>, laid out the other way round, also has another size; else "".</summary>
    private string SizeFix(IReadOnlyList<long> actual)
    {
        if (FixedSize is not var (height, width)) return "";
        int h = HeightAxis(!ChannelsLast);
        return actual[h] == height && actual[h + 1] == width ? "" : $" --size {height},{width}";
    }

    /// <summary>The height axis of a 4-D tensor: 1 for [N,H,W,C], 2 for [N,C,H,W] (width follows it).</summary>
    private static int HeightAxis(bool channelsLast) => channelsLast ? 1 : 2;

    /// <summary>The shape as text, e.g. "[N,3,224,224]" with "N" for a symbolic dimension.</summary>
    public string ShapeText => Shape is null ? "[?]" : "[" + string.Join(",", Shape.Select((d, i) => d?.ToString() ?? (i == 0 ? "N" : "?"))) + "]";
}
