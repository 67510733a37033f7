using Gaze.Onnx.Operators;
using Gaze.Onnx.Proto;
using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>
/// Load-time folding of the Reshape target that tf2onnx writes for tf.reshape with a dynamic batch (Keras Flatten,
/// Reshape layers): <c>Reshape(x, Concat(batch, constants...))</c> where <c>batch</c> is element 0 of <c>Shape(t)</c>,
/// read as <c>Gather(index 0)</c> then <c>Unsqueeze([0])</c>, as <c>Slice(0:1)</c>, or as <c>Shape(end=1)</c>
/// (integer Casts, Identity and <c>Squeeze([0])</c> may sit in between).
/// <para>
/// The rule: when <c>t</c> has the same dimension 0 as <c>x</c>, the batch element is always x's dimension 0, which
/// ONNX's Reshape writes as 0 ("copy this dimension from the input", allowzero=0) at position 0. The target is then
/// the constant <c>[0, constants...]</c> and the Shape/Gather/Unsqueeze/Concat nodes need not run.
/// </para>
/// <para>
/// Safety: <c>t</c> has x's dimension 0 when it is <c>x</c> itself or is reached from <c>x</c> backwards through
/// operators that keep dimension 0 whatever the ranks (element-wise unary operators, Conv, pooling, normalization,
/// Transpose with perm[0] = 0, Flatten(axis 1), Pad not padding axis 0, arithmetic with a one-element constant). Only
/// index 0 of the shape is accepted, only as the Concat's first part, and only without allowzero=1 (where 0 means an
/// empty dimension). Anything else is not folded and runs as written.
/// </para>
/// <para>
/// The shape tensors whose only reader was a folded target are no longer computed, so a run cannot capture them.
/// </para>
/// </summary>
internal sealed class ReshapeFolding
{
    /// <summary>Operators whose output 0 has the shape of (or at least the dimension 0 of) their input 0, for any rank.</summary>
    private static readonly HashSet<string> KeepDimensionZero = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "Tanh", "Elu", "Selu", "HardSigmoid", "HardSwish", "Softplus",
        "Softsign", "Gelu", "Erf", "Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Identity",
        "Dropout", "Cast", "Softmax", "LogSoftmax", "Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool",
        "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization", "InstanceNormalization", "LayerNormalization", "LRN",
    };

    private readonly GraphLayout layout;
    private readonly int opset;
    private readonly int[] producer;

    /// <summary>Prepares the producer lookup for <paramref name="layout"/>.</summary>
    public ReshapeFolding(GraphLayout layout, int opset)
    {
        this.layout = layout;
        this.opset = opset;
        producer = new int[layout.SlotNames.Length];
        Array.Fill(producer, -1);
        for (int n = 0; n < layout.Nodes.Length; n++)
            foreach (int s in layout.NodeOutputs[n]) if (s >= 0) producer[s] = n;
    }

    /// <summary>
    /// The constant target (with 0 for the batch) that Reshape node <paramref name="node"/> can use instead of its
    /// computed shape input, or null when the rule does not apply. <paramref name="values"/> holds the values known at
    /// load (initializers and folded results) by slot.
    /// </summary>
    public long[]? ConstantTarget(int node, Tensor?[] values)
    {
        var reshape = layout.Nodes[node];
        int[] inputs = layout.NodeInputs[node];
        if (reshape.OpType != "Reshape" || opset < 5 || IntAttribute(reshape, "allowzero") is not (null or 0)) return null;
        if (inputs.Length < 2 || inputs[0] < 0 || inputs[1] < 0 || values[inputs[1]] is not null) return null;

        int shapeProducer = producer[inputs[1]];
        int[] parts = shapeProducer >= 0 && layout.Nodes[shapeProducer] is { OpType: "Concat" } concat
            && IntAttribute(concat, "axis") is 0 or -1
            ? layout.NodeInputs[shapeProducer]
            : [inputs[1]];

        var target = new List<long>();
        for (int i = 0; i < parts.Length; i++)
        {
            int part = parts[i];
            if (part < 0) return null;
            if (values[part] is { } constant)
            {
                if (constant.dim() != 1 || constant.is_floating_point()) return null;
                target.AddRange(Values.Longs(constant));
            }
            else if (i == 0 && BatchVectorOf(part, values) is int t && SameDimensionZero(t, inputs[0], values))
            {
                target.Add(0);
            }
            else
            {
                return null;
            }
        }
        return target.ToArray();
    }

    /// <summary>
    /// The tensor t when <paramref name="slot"/> is [dim 0 of t] (a one-element vector), else null.
    /// </summary>
    private int? BatchVectorOf(int slot, Tensor?[] values)
    {
        int p = producer[slot];
        if (p < 0) return null;
        var node = layout.Nodes[p];
        int[] inputs = layout.NodeInputs[p];
        switch (node.OpType)
        {
            case "Shape":
                return ShapeStartsAtZero(node) && IntAttribute(node, "end") == 1 ? inputs[0] : null;
            case "Slice":
                return IsSliceZeroToOne(node, inputs, values) ? ShapeVectorOf(inputs[0]) : null;
            case "Gather":
                return IsIndexZero(node, inputs, values, scalar: false) ? ShapeVectorOf(inputs[0]) : null;
            case "Unsqueeze":
                return AxesAreZero(node, inputs, values, attributeBefore: 13) ? BatchScalarOf(inputs[0], values) : null;
            case "Cast" when IsIntegerCast(node):
            case "Identity":
                return BatchVectorOf(inputs[0], values);
            default:
                return null;
        }
    }

    /// <summary>The tensor t when <paramref name="slot"/> is dim 0 of t as a scalar, else null.</summary>
    private int? BatchScalarOf(int slot, Tensor?[] values)
    {
        int p = producer[slot];
        if (p < 0) return null;
        var node = layout.Nodes[p];
        int[] inputs = layout.NodeInputs[p];
        switch (node.OpType)
        {
            case "Gather":
                return IsIndexZero(node, inputs, values, scalar: true) ? ShapeVectorOf(inputs[0]) : null;
            case "Squeeze":
                return AxesAreZero(node, inputs, values, attributeBefore: 13) ? BatchVectorOf(inputs[0], values) : null;
            case "Cast" when IsIntegerCast(node):
            case "Identity":
                return BatchScalarOf(inputs[0], values);
            default:
                return null;
        }
    }

    /// <summary>The tensor t when <paramref name="slot"/> is a shape vector whose element 0 is dim 0 of t, else null.</summary>
    private int? ShapeVectorOf(int slot)
    {
        int p = producer[slot];
        if (p < 0) return null;
        var node = layout.Nodes[p];
        int[] inputs = layout.NodeInputs[p];
        return node.OpType switch
        {
            "Shape" when ShapeStartsAtZero(node) && IntAttribute(node, "end") is null or >= 1 => inputs[0],
            "Cast" when IsIntegerCast(node) => ShapeVectorOf(inputs[0]),
            "Identity" => ShapeVectorOf(inputs[0]),
            _ => null,
        };
    }

    /// <summary>
    /// True when <paramref name="source"/> is <paramref name="data"/> or is reached from it backwards through
    /// operators that keep dimension 0.
    /// </summary>
    private bool SameDimensionZero(int source, int data, Tensor?[] values)
    {
        int slot = data;
        for (int hops = 0; hops < layout.Nodes.Length + 1; hops++)
        {
            if (slot == source) return true;
            int p = producer[slot];
            if (p < 0 || layout.NodeOutputs[p][0] != slot) return false;
            int? next = KeptFrom(p, values);
            if (next is not int n || n < 0) return false;
            slot = n;
        }
        return false;
    }

    /// <summary>The input whose dimension 0 node <paramref name="p"/>'s output 0 keeps, or null.</summary>
    private int? KeptFrom(int p, Tensor?[] values)
    {
        var node = layout.Nodes[p];
        int[] inputs = layout.NodeInputs[p];
        if (inputs.Length == 0) return null;
        if (KeepDimensionZero.Contains(node.OpType)) return inputs[0];
        switch (node.OpType)
        {
            case "Transpose":
                return IntsAttribute(node, "perm") is [0, ..] ? inputs[0] : null;
            case "Flatten":
                return (IntAttribute(node, "axis") ?? 1) == 1 ? inputs[0] : null;
            case "Pad":
                long[]? pads = opset >= 11
                    ? inputs.Length > 1 && inputs[1] >= 0 && values[inputs[1]] is { } p1 && (inputs.Length < 4 || inputs[3] < 0) ? Values.Longs(p1) : null
                    : IntsAttribute(node, "pads") ?? IntsAttribute(node, "paddings");
                return pads is { Length: > 0 } && pads.Length % 2 == 0 && pads[0] == 0 && pads[pads.Length / 2] == 0 ? inputs[0] : null;
            case "Add" or "Sub" or "Mul" or "Div" when inputs.Length == 2 && inputs[0] >= 0 && inputs[1] >= 0:
                // Broadcasting with a one-element constant keeps the other operand's shape.
                if (values[inputs[1]] is { } right && right.numel() == 1 && values[inputs[0]] is null) return inputs[0];
                if (values[inputs[0]] is { } left && left.numel() == 1 && values[inputs[1]] is null) return inputs[1];
                return null;
            default:
                return null;
        }
    }

    private static bool ShapeStartsAtZero(NodeProto shape) => IntAttribute(shape, "start") is null or 0;

    private static bool IsIntegerCast(NodeProto cast) => IntAttribute(cast, "to") is OnnxDataType.Int64 or OnnxDataType.Int32;

    /// <summary>Slice of a vector taking [0:1]: starts 0, ends 1, axis 0 (or none), step 1 (or none).</summary>
    private bool IsSliceZeroToOne(NodeProto slice, int[] inputs, Tensor?[] values)
    {
        long[]? starts, ends, axes, steps = null;
        if (opset < 10)
        {
            starts = IntsAttribute(slice, "starts");
            ends = IntsAttribute(slice, "ends");
            axes = IntsAttribute(slice, "axes");
        }
        else
        {
            long[]? Constant(int index, out bool present)
            {
                present = index < inputs.Length && inputs[index] >= 0;
                return present && values[inputs[index]] is { } t ? Values.Longs(t) : null;
            }
            starts = Constant(1, out _);
            ends = Constant(2, out _);
            axes = Constant(3, out bool axesGiven);
            steps = Constant(4, out bool stepsGiven);
            if ((axesGiven && axes is null) || (stepsGiven && steps is null)) return false;
        }
        return starts is [0] && ends is [1] && axes is null or [0] or [-1] && steps is null or [1];
    }

    /// <summary>Gather on axis 0 of a vector with the constant index 0 (a scalar index, or a one-element vector).</summary>
    private static bool IsIndexZero(NodeProto gather, int[] inputs, Tensor?[] values, bool scalar)
    {
        if (IntAttribute(gather, "axis") is not (null or 0 or -1)) return false;
        if (inputs.Length < 2 || inputs[1] < 0 || values[inputs[1]] is not { } indices) return false;
        if (indices.dim() != (scalar ? 0 : 1) || indices.is_floating_point()) return false;
        return Values.Longs(indices) is [0];
    }

    /// <summary>Squeeze/Unsqueeze axes (attribute before <paramref name="attributeBefore"/>, constant input after) are exactly [0] (or [-1], the same axis here).</summary>
    private bool AxesAreZero(NodeProto node, int[] inputs, Tensor?[] values, int attributeBefore)
    {
        long[]? axes = opset < attributeBefore
            ? IntsAttribute(node, "axes")
            : inputs.Length > 1 && inputs[1] >= 0 && values[inputs[1]] is { } t ? Values.Longs(t) : null;
        return axes is [0] or [-1];
    }

    private static long? IntAttribute(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : null;

    private static long[]? IntsAttribute(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Ints.ToArray() : null;
}
