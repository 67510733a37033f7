using Gaze.Onnx.Proto;

namespace Gaze.Onnx;

/// <summary>
/// The part of a model before a <see cref="GraphCut"/> as a model of its own: the graph input, the prefix nodes and
/// the initializers they read, with the cut layers and the crossing tensors as outputs. It computes as Gaze does:
/// half-precision values become float32 (<see cref="HalfToFloat"/>), and initializers carry the graph's current
/// values in the file.
/// </summary>
internal static class PrefixSubgraph
{
    /// <summary>Builds the prefix model of <paramref name="graph"/> for <paramref name="cut"/> (which must have no <see cref="GraphCut.Problem"/>).</summary>
    public static ModelProto Extract(OnnxGraph graph, GraphCut cut)
    {
        if (cut.Problem is not null) throw new ArgumentException($"the graph cannot be cut there: {cut.Problem}", nameof(cut));
        var layout = graph.Layout;
        var model = graph.Model.Clone();
        var body = model.Graph;
        var nodes = cut.PrefixNodes.Select(n => layout.Nodes[n].Clone()).ToList();
        var read = nodes.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var initializers = body.Initializer.Where(t => read.Contains(t.Name)).Select(t => Current(graph, t)).ToList();
        var initializerNames = initializers.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        string inputName = graph.Inputs[0].Name;
        // Before IR version 4 initializers were also declared as inputs; those declarations stay for the kept ones.
        var inputs = body.Input.Where(i => i.Name == inputName || initializerNames.Contains(i.Name)).ToList();

        body.Node.Clear();
        body.Node.AddRange(nodes);
        body.Initializer.Clear();
        body.Initializer.AddRange(initializers);
        body.Input.Clear();
        body.Input.AddRange(inputs);
        body.Output.Clear();
        // No type or shape: ONNX Runtime infers them.
        foreach (string name in cut.Fed) body.Output.Add(new ValueInfoProto { Name = name });
        body.ValueInfo.Clear();
        HalfToFloat.Apply(model);
        return model;
    }

    /// <summary>
    /// A half-precision or externally stored initializer as the graph holds it now (float32 for half floats); any
    /// other initializer as it is.
    /// </summary>
    private static TensorProto Current(OnnxGraph graph, TensorProto initializer)
    {
        bool half = initializer.DataType is OnnxDataType.Float16 or OnnxDataType.BFloat16;
        if (!half && initializer.DataLocation != TensorProto.Types.DataLocation.External) return initializer;
        return TensorProtoConverter.FromTensor(graph.Initializer(initializer.Name), initializer.Name, half ? OnnxDataType.Float : initializer.DataType);
    }
}
