using Gaze.Onnx.Proto;
using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>
/// Which 4-D tensors of a graph hold their channels last ([N,H,W,C]). ONNX's convolutions and pools are channels
/// first, so a tf2onnx export of a Keras model transposes around them and keeps the rest (activations, padding,
/// concatenations, Keras' global average pooling as ReduceMean over axes 1 and 2) in NHWC. Tensors that an
/// element-wise operator, Pad, Cast or Concat connects share a layout; a class of such tensors is channels last when
/// something in it says so and nothing says otherwise:
/// <list type="bullet">
/// <item>the output of a Transpose with permutation [0,2,3,1], or the input of one with [0,3,1,2];</item>
/// <item>the input of a reduction over axes 1 and 2;</item>
/// <item>a Concat on axis 3 (or -1).</item>
/// </list>
/// The opposite evidence is a convolution, pool or normalisation, a Concat on axis 1 and the other side of those
/// Transposes. Everything else is taken to be channels first, as before.
/// </summary>
internal static class ChannelsLastTensors
{
    private static readonly long[] ToChannelsLast = [0, 2, 3, 1];
    private static readonly long[] ToChannelsFirst = [0, 3, 1, 2];

    private static readonly HashSet<string> SameLayout =
    [
        "Relu", "Clip", "LeakyRelu", "PRelu", "Elu", "Selu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Softplus",
        "Softsign", "Gelu", "Erf", "Exp", "Log", "Sqrt", "Reciprocal", "Neg", "Abs", "Floor", "Ceil",
        "Add", "Sub", "Mul", "Div", "Pow", "Sum", "Mean", "Max", "Min", "Where",
        "Identity", "Dropout", "Cast", "Pad", "Concat",
    ];

    /// <summary>Operators that only take (and give) channels-first tensors.</summary>
    internal static readonly HashSet<string> ChannelsFirstOperators =
    [
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization",
        "InstanceNormalization", "LRN",
    ];

    private static readonly HashSet<string> Reductions = ["ReduceMean", "ReduceMax", "ReduceSum", "ReduceMin"];

    /// <summary>
    /// False when no node of <paramref name="layout"/> says that any tensor is channels last (no Transpose between
    /// the layouts, no reduction over axes 1 and 2, no Concat on axis 3): then none is, without knowing ranks.
    /// </summary>
    public static bool HasEvidence(GraphLayout layout, Tensor?[] constants)
    {
        for (int n = 0; n < layout.Nodes.Length; n++)
        {
            NodeProto node = layout.Nodes[n];
            int[] inputs = layout.NodeInputs[n];
            if (MovesChannelsLast(node) is not null) return true;
            if (node.OpType == "Concat" && Axis(node) is 3 or -1) return true;
            if (Reductions.Contains(node.OpType)
                && ReducedAxes(node, i => i < inputs.Length && inputs[i] >= 0 ? constants[inputs[i]] : null) is { } axes && axes.SetEquals([1L, 2L]))
                return true;
        }
        return false;
    }

    /// <summary>The slots of <paramref name="layout"/> that hold channels-last 4-D tensors.</summary>
    /// <param name="layout">The graph's structure.</param>
    /// <param name="constants">Values known at load time, by slot (reduction axes given as inputs).</param>
    /// <param name="rank">The rank of a slot's tensor, or null when unknown.</param>
    /// <param name="channelsLastInputs">Graph input slots known to be channels last (<see cref="ImageInputLayout"/>).</param>
    public static HashSet<int> Find(GraphLayout layout, Tensor?[] constants, Func<int, int?> rank, IEnumerable<int> channelsLastInputs)
    {
        int slots = layout.SlotNames.Length;
        var parent = Enumerable.Range(0, slots).ToArray();
        int Root(int s)
        {
            while (parent[s] != s) s = parent[s] = parent[parent[s]];
            return s;
        }
        bool IsImage(int s) => s >= 0 && rank(s) == 4;

        var last = new List<int>(channelsLastInputs);
        var first = new List<int>();
        for (int n = 0; n < layout.Nodes.Length; n++)
        {
            NodeProto node = layout.Nodes[n];
            int[] inputs = layout.NodeInputs[n], outputs = layout.NodeOutputs[n];
            int input = inputs.Length > 0 ? inputs[0] : -1, output = outputs.Length > 0 ? outputs[0] : -1;
            if (SameLayout.Contains(node.OpType) && IsImage(output))
            {
                foreach (int s in inputs.Where(IsImage)) parent[Root(s)] = Root(output);
                long? axis = node.OpType == "Concat" ? Axis(node) : null;
                if (axis is 3 or -1) last.Add(output);
                else if (axis is 1 or -3) first.Add(output);
            }
            else if (IsImage(input) && MovesChannelsLast(node) is bool toLast)
            {
                (toLast ? first : last).Add(input);
                (toLast ? last : first).Add(output);
            }
            else if (Reductions.Contains(node.OpType) && IsImage(input)
                && ReducedAxes(node, i => i < inputs.Length && inputs[i] >= 0 ? constants[inputs[i]] : null) is { } axes)
            {
                if (axes.SetEquals([1L, 2L])) last.Add(input);
                else if (axes.SetEquals([2L, 3L])) first.Add(input);
            }
            else if (ChannelsFirstOperators.Contains(node.OpType))
            {
                if (IsImage(input)) first.Add(input);
                if (IsImage(output)) first.Add(output);
            }
        }

        var lastRoots = last.Select(Root).ToHashSet();
        var firstRoots = first.Select(Root).ToHashSet();
        // Contradictory evidence (a square tensor that only looks transposed) leaves a class channels first.
        lastRoots.ExceptWith(firstRoots);
        return Enumerable.Range(0, slots).Where(s => IsImage(s) && lastRoots.Contains(Root(s))).ToHashSet();
    }

    /// <summary>
    /// For a Transpose between the two layouts: true when it moves the channels last ([0,2,3,1]), false when it moves
    /// them first ([0,3,1,2]); null for any other node.
    /// </summary>
    internal static bool? MovesChannelsLast(NodeProto node)
    {
        if (node.OpType != "Transpose" || Ints(node, "perm") is not { } perm) return null;
        if (perm.SequenceEqual(ToChannelsLast)) return true;
        if (perm.SequenceEqual(ToChannelsFirst)) return false;
        return null;
    }

    /// <summary>
    /// The axes a reduction of a 4-D tensor reduces (negative ones made positive): its <c>axes</c> attribute, else
    /// its second input when <paramref name="constantInput"/> knows it (opset 18); null when neither says.
    /// </summary>
    internal static HashSet<long>? ReducedAxes(NodeProto node, Func<int, Tensor?> constantInput)
    {
        long[]? axes = Ints(node, "axes");
        if (axes is null && node.Input.Count > 1 && constantInput(1) is { } given)
            axes = given.to(ScalarType.Int64).data<long>().ToArray();
        return axes?.Select(a => a < 0 ? a + 4 : a).ToHashSet();
    }

    private static long? Axis(NodeProto node) => node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I;

    private static long[]? Ints(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Ints.ToArray() : null;
}
