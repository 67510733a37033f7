using Gaze.Onnx.Proto;
using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>
/// A classifier that ends in a 1x1 convolution with one output channel per class, then optionally ReLU, then global
/// average pooling and reshapes, as in SqueezeNet and Network in Network. Class c's score depends on output channel
/// c alone: s_c = mean over pixels of relu(W[c]·A + b[c]), where A is the convolution's input. The gradient of each
/// image's target score with respect to A then needs one channel of the convolution instead of all of them; for
/// SqueezeNet that is most of the cost of a gradient pass after its last Fire module.
/// </summary>
internal sealed class ConvolutionalHead : IDisposable
{
    private readonly Tensor weight;
    private readonly Tensor? bias;
    private readonly bool relu;

    private ConvolutionalHead(IReadOnlyList<string> inputs, Tensor weight, Tensor? bias, bool relu)
    {
        Inputs = inputs;
        this.weight = weight;
        this.bias = bias;
        this.relu = relu;
    }

    /// <summary>The tensors the head's convolution reads: its input, and the tensors that reach it through Dropout or Identity.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>The head of <paramref name="graph"/>, walking back from its scores, or null when it does not end this way.</summary>
    public static ConvolutionalHead? Find(OnnxGraph graph)
    {
        var layout = graph.Layout;
        var constants = graph.Plan.Constants;
        int slot = graph.SlotOf(graph.ScoreName);
        int node = layout.ProducerOf(slot);
        while (node >= 0 && layout.Nodes[node].OpType is "Flatten" or "Reshape" or "Squeeze" or "Identity")
            node = layout.ProducerOf(layout.NodeInputs[node][0]);
        if (node < 0 || !IsGlobalAverage(layout.Nodes[node], graph)) return null;
        node = layout.ProducerOf(layout.NodeInputs[node][0]);
        bool relu = node >= 0 && layout.Nodes[node].OpType == "Relu";
        if (relu) node = layout.ProducerOf(layout.NodeInputs[node][0]);
        if (node < 0 || layout.Nodes[node].OpType != "Conv" || !IsPlainPointwise(layout.Nodes[node])) return null;

        int[] convInputs = layout.NodeInputs[node];
        if (constants[convInputs[1]] is not { } w || w.dim() != 4 || w.shape[2] != 1 || w.shape[3] != 1 || !w.is_floating_point()) return null;
        Tensor? b = convInputs.Length > 2 && convInputs[2] >= 0 ? constants[convInputs[2]] : null;
        if (convInputs.Length > 2 && convInputs[2] >= 0 && b is null) return null;

        var inputs = new List<string>();
        int input = convInputs[0];
        while (true)
        {
            inputs.Add(layout.SlotNames[input]);
            int producer = layout.ProducerOf(input);
            if (producer < 0 || layout.Nodes[producer].OpType is not ("Dropout" or "Identity")) break;
            input = layout.NodeInputs[producer][0];
        }
        using var noGrad = no_grad();
        var flatWeight = w.to(ScalarType.Float32).flatten(1).contiguous().DetachFromDisposeScope();
        var flatBias = b?.to(ScalarType.Float32).contiguous().DetachFromDisposeScope();
        return new ConvolutionalHead(inputs, flatWeight, flatBias, relu);
    }

    /// <summary>
    /// Each image's score for its target, [N], computed from the head's input <paramref name="activations"/> [N,C,H,W]
    /// (differentiable with respect to them).
    /// </summary>
    public Tensor TargetScores(Tensor activations, IReadOnlyList<int> targets)
    {
        var index = tensor(targets.Select(t => (long)t).ToArray());
        // y_i = W[c_i]·A_i (+ b[c_i]) at every pixel: [N,H,W].
        var y = einsum("nchw,nc->nhw", activations.to(ScalarType.Float32), weight.index_select(0, index));
        if (bias is not null) y = y + bias.index_select(0, index).view(-1, 1, 1);
        if (relu) y = y.relu();
        return y.mean([1, 2]);
    }

    /// <summary>Frees the head's weights.</summary>
    public void Dispose()
    {
        weight.Dispose();
        bias?.Dispose();
    }

    private static bool IsGlobalAverage(NodeProto node, OnnxGraph graph)
    {
        if (node.OpType == "GlobalAveragePool") return true;
        if (node.OpType != "ReduceMean") return false;
        var axes = node.Attribute.FirstOrDefault(a => a.Name == "axes")?.Ints.ToArray();
        return axes is { Length: 2 } && axes.All(a => a is 2 or 3 or -1 or -2) && axes[0] != axes[1] && graph.OpsetVersion < 18;
    }

    private static bool IsPlainPointwise(NodeProto node)
    {
        foreach (var a in node.Attribute)
        {
            bool plain = a.Name switch
            {
                "group" => a.I == 1,
                "strides" or "dilations" => a.Ints.All(v => v == 1),
                "pads" => a.Ints.All(v => v == 0),
                "auto_pad" => a.S.ToStringUtf8() is "NOTSET" or "VALID",
                "kernel_shape" => a.Ints.All(v => v == 1),
                _ => false,
            };
            if (!plain) return false;
        }
        return true;
    }
}
