using Gaze.Onnx;
using Gaze.Onnx.Proto;

namespace Gaze.Evaluation.Sanity;

/// <summary>
/// Finds the layers a model-parameter randomisation test (Adebayo et al., "Sanity Checks for Saliency Maps",
/// NeurIPS 2018) re-initialises: Conv, Gemm and MatMul nodes whose weight is an initializer, ordered from the output
/// backwards (the order of the cascading test). BatchNormalization scales and shifts are not layers here and keep
/// their trained values, as do the biases a MatMul gets from a separate Add.
/// </summary>
public static class WeightedLayers
{
    /// <summary>The weighted layers of <paramref name="graph"/>, the one nearest the output first.</summary>
    public static IReadOnlyList<WeightedLayer> Of(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var initializers = graph.Model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var layers = new List<WeightedLayer>();
        // ONNX stores nodes in topological order, so walking them backwards starts at the output.
        foreach (NodeProto node in graph.Model.Graph.Node.Reverse())
        {
            if (Describe(node, initializers) is { } layer) layers.Add(layer);
        }
        return layers;
    }

    private static WeightedLayer? Describe(NodeProto node, Dictionary<string, TensorProto> initializers)
    {
        if (node.OpType is not ("Conv" or "Gemm" or "MatMul") || node.Input.Count < 2 || node.Output.Count == 0) return null;
        if (!initializers.TryGetValue(node.Input[1], out TensorProto? weight) || !OnnxDataType.IsFloatingPoint(weight.DataType)) return null;
        long[] dims = [.. weight.Dims];
        long fanIn = node.OpType switch
        {
            // Conv: [out, in/groups, k1, k2, ...].
            "Conv" when dims.Length >= 2 => dims.Skip(1).Aggregate(1L, (a, b) => a * b),
            // Gemm: B is [K, N], or [N, K] with transB.
            "Gemm" when dims.Length == 2 => TransposesB(node) ? dims[1] : dims[0],
            // MatMul: B is [..., K, N].
            "MatMul" when dims.Length >= 2 => dims[^2],
            _ => 0,
        };
        if (fanIn <= 0) return null;
        string? bias = node.OpType != "MatMul" && node.Input.Count > 2 && initializers.ContainsKey(node.Input[2]) ? node.Input[2] : null;
        string name = string.IsNullOrEmpty(node.Output[0]) ? node.Name : node.Output[0];
        return new WeightedLayer(name, node.OpType, weight.Name, bias, fanIn);
    }

    private static bool TransposesB(NodeProto node) =>
        node.Attribute.FirstOrDefault(a => a.Name == "transB") is { } transB && transB.I != 0;
}
