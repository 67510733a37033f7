using Gaze.Onnx.Proto;
using Google.Protobuf;

namespace Gaze.Onnx;

/// <summary>
/// Saves an <see cref="OnnxGraph"/> as an ONNX model: the original graph with the current values of its
/// initializers (for example after training), optionally exposing intermediate tensors as extra outputs.
/// The file is written to a temporary name beside the target and renamed, so a failed write leaves no partial file.
/// </summary>
public static class OnnxWriter
{
    /// <summary>Writes <paramref name="graph"/> to <paramref name="path"/>.</summary>
    /// <param name="graph">The graph whose current weights are saved.</param>
    /// <param name="path">The model file to write (replaced if it exists).</param>
    /// <param name="extraOutputs">Tensor names to add as graph outputs (for example to compare an intermediate
    /// tensor with another runtime).</param>
    /// <exception cref="Errors.UnknownLayerException">An extra output is not a tensor of the graph.</exception>
    public static void Save(OnnxGraph graph, string path, IEnumerable<string>? extraOutputs = null)
    {
        var model = ToModel(graph, extraOutputs);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = File.Create(temporary))
            {
                model.WriteTo(stream);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>The model that <see cref="Save"/> writes.</summary>
    internal static ModelProto ToModel(OnnxGraph graph, IEnumerable<string>? extraOutputs = null)
    {
        var model = graph.Model.Clone();
        var initializers = model.Graph.Initializer;
        for (int i = 0; i < initializers.Count; i++)
        {
            var original = initializers[i];
            var current = TensorProtoConverter.FromTensor(graph.Initializer(original.Name), original.Name, original.DataType);
            current.DocString = original.DocString;
            initializers[i] = current;
        }

        var extra = extraOutputs?.Where(name => !model.Graph.Output.Any(o => o.Name == name)).Distinct().ToList() ?? [];
        if (extra.Count > 0)
        {
            foreach (string name in extra) graph.SlotOf(name);
            var declared = DeclaredTypes(model.Graph);
            TensorFacts? facts = null;
            foreach (string name in extra)
            {
                if (!declared.TryGetValue(name, out int type))
                {
                    facts ??= graph.Probe();
                    var observed = facts.Type(graph.SlotOf(name)) ?? TorchSharp.torch.ScalarType.Float32;
                    type = OnnxDataType.FromScalarType(observed);
                    // Float16 models compute in float32 here but in float16 in the file.
                    if (type == OnnxDataType.Float && graph.IsFloat16) type = OnnxDataType.Float16;
                }
                model.Graph.Output.Add(new ValueInfoProto
                {
                    Name = name,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type } },
                });
            }
        }
        return model;
    }

    private static Dictionary<string, int> DeclaredTypes(GraphProto graph)
    {
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in graph.ValueInfo.Concat(graph.Input).Concat(graph.Output))
            if (v.Type?.TensorType is { ElemType: > 0 } t) types[v.Name] = t.ElemType;
        foreach (var t in graph.Initializer) types[t.Name] = t.DataType;
        return types;
    }
}
