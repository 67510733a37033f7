using Gaze.Onnx.Proto;

namespace Gaze.Onnx;

/// <summary>
/// Where the channels of a 4-D image input are, read from the graph alone: tf2onnx exports of Keras models take
/// NHWC images and transpose them to channels first before the first convolution, PyTorch exports take NCHW.
/// </summary>
/// <param name="ChannelsLast">True for [N,H,W,C], false for [N,C,H,W].</param>
/// <param name="Evidence">What in the graph says so, for <c>gaze layers</c> and messages.</param>
public sealed record ImageInputLayout(bool ChannelsLast, string Evidence)
{
    // Operators that keep their input's layout: a Keras model's own preprocessing (Rescaling as Mul and Add, padding)
    // may come between the input and the Transpose.
    private static readonly HashSet<string> SameLayout = ["Pad", "Cast", "Identity", "Mul", "Add", "Sub", "Div"];

    /// <summary>
    /// The layout of graph input <paramref name="name"/> with declared <paramref name="shape"/>, or null when it is not
    /// a 4-D input or nothing decides it. A Transpose after the input (directly or through element-wise operators and
    /// padding) decides first, since its permutation says where the channels were; then an operator that only takes
    /// channels-first tensors; then the dimensions: a fixed 1 or 3 on exactly one of the two candidate channel axes.
    /// </summary>
    internal static ImageInputLayout? Infer(string name, IReadOnlyList<long?>? shape, IReadOnlyList<NodeProto> nodes)
    {
        if (shape is not { Count: 4 }) return null;
        var consumers = new List<NodeProto>();
        var reached = new Queue<string>([name]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { name };
        while (reached.TryDequeue(out string? tensor) && consumers.Count < 64)
        {
            foreach (var node in nodes.Where(n => n.Input.Count > 0 && n.Input.Contains(tensor)))
            {
                consumers.Add(node);
                if (SameLayout.Contains(node.OpType) && node.Output.Count > 0 && seen.Add(node.Output[0])) reached.Enqueue(node.Output[0]);
            }
        }
        foreach (var node in consumers)
        {
            // A Transpose that moves the channels first says they were last, and the other way round.
            if (ChannelsLastTensors.MovesChannelsLast(node) is bool toLast)
                return new(!toLast, $"a Transpose to channels {(toLast ? "last" : "first")} follows the input");
        }
        if (consumers.FirstOrDefault(n => ChannelsLastTensors.ChannelsFirstOperators.Contains(n.OpType)) is { } direct)
            return new(false, $"the input reaches {direct.OpType}, which takes channels first, without a Transpose");
        bool second = shape[1] is 1 or 3, last = shape[3] is 1 or 3;
        if (second && !last) return new(false, $"dimension 1 of {Text(shape)} holds the channels");
        if (last && !second) return new(true, $"the last dimension of {Text(shape)} holds the channels");
        return null;
    }

    private static string Text(IReadOnlyList<long?> shape) =>
        "[" + string.Join(",", shape.Select((d, i) => d?.ToString() ?? (i == 0 ? "N" : "?"))) + "]";
}
