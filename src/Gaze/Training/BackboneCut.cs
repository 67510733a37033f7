using Gaze.Errors;
using Gaze.Onnx;
using Gaze.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Training;

/// <summary>
/// A backbone cut at a feature map with a new classifier on top, as an ONNX model: the backbone's nodes that the
/// layer needs, then <c>GlobalAveragePool -> Flatten -> Gemm(transB=1)</c> producing the class scores, the model's
/// only output (for a channels-last layer of a Keras backbone, <c>ReduceMean(axes 1,2) -> Gemm</c>). Everything
/// after the layer, the old outputs and the initializers nothing uses any more are dropped. The head is exactly what CAM expects after its layer (global average pooling, one linear layer), and
/// its weights are stored in the backbone's float type (float16 for a float16 backbone) so that the file stays a
/// valid model for other runtimes.
/// </summary>
public sealed class BackboneCut
{
    private readonly IReadOnlyList<NodeProto> backboneNodes;
    private readonly HashSet<string> statistics;

    private BackboneCut(ModelProto model, LayerInfo layer, string weightName, string biasName, IReadOnlyList<NodeProto> backboneNodes)
    {
        Model = model;
        Layer = layer.Name;
        WeightName = weightName;
        BiasName = biasName;
        this.backboneNodes = backboneNodes;
        statistics = backboneNodes.Where(n => n.OpType == "BatchNormalization")
            .SelectMany(n => n.Input.Skip(3).Take(2)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The feature map the head pools (a tensor name of the backbone).</summary>
    public string Layer { get; }

    /// <summary>The head's weight initializer, [classes, channels of <see cref="Layer"/>] (Gemm with transB=1).</summary>
    public string WeightName { get; }

    /// <summary>The head's bias initializer, [classes].</summary>
    public string BiasName { get; }

    internal ModelProto Model { get; }

    /// <summary>
    /// Builds the cut of <paramref name="backbone"/> at <paramref name="layer"/> with a head for
    /// <paramref name="classes"/> classes, initialised as PyTorch initialises a linear layer
    /// (uniform in ±1/sqrt(channels)), from <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="UnsuitableLayerException">The layer is a graph input or initializer, not something the backbone computes.</exception>
    public static BackboneCut Create(OnnxGraph backbone, LayerInfo layer, int classes, int seed)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        var source = backbone.Model;
        var layout = backbone.Layout;

        // Walk back from the layer: the nodes it depends on, in the backbone's execution order.
        var needed = new HashSet<string>(StringComparer.Ordinal) { layer.Name };
        var kept = new List<NodeProto>();
        for (int n = layout.Nodes.Length - 1; n >= 0; n--)
        {
            var node = layout.Nodes[n];
            if (!node.Output.Any(needed.Contains)) continue;
            kept.Add(node);
            foreach (string input in node.Input) if (input.Length > 0) needed.Add(input);
        }
        kept.Reverse();
        if (kept.Count == 0)
            throw new UnsuitableLayerException(backbone.ModelPath, layer.Name, "is not computed by any node; choose a layer inside the network");

        var taken = new HashSet<string>(layout.SlotNames, StringComparer.Ordinal);
        foreach (var node in source.Graph.Node) if (node.Name.Length > 0) taken.Add(node.Name);
        string Fresh(string name)
        {
            string candidate = name;
            for (int i = 1; !taken.Add(candidate); i++) candidate = $"{name}_{i}";
            return candidate;
        }
        string features = Fresh("head/features"), logits = Fresh("logits");
        string weightName = Fresh("head.weight"), biasName = Fresh("head.bias");

        int floatType = FloatTypeOf(source.Graph, layer.Name, kept);
        var graph = new GraphProto { Name = source.Graph.Name, DocString = source.Graph.DocString };
        graph.Node.AddRange(kept.Select(n => n.Clone()));
        graph.Initializer.AddRange(source.Graph.Initializer.Where(t => needed.Contains(t.Name)).Select(t => t.Clone()));
        if (layer.ChannelsLast)
        {
            // A Keras backbone keeps its convention: global average pooling over the NHWC axes, as Keras exports it.
            int opset = backbone.OpsetVersion;
            if (opset >= 18)
            {
                string axes = Fresh("head/axes");
                graph.Initializer.Add(new TensorProto { Name = axes, DataType = OnnxDataType.Int64, Dims = { 2 }, Int64Data = { 1, 2 } });
                graph.Node.Add(OnnxNodes.Create("ReduceMean", Fresh("head/ReduceMean"), [layer.Name, axes], features, ("keepdims", 0L)));
            }
            else
            {
                graph.Node.Add(OnnxNodes.Create("ReduceMean", Fresh("head/ReduceMean"), [layer.Name], features, ("axes", new long[] { 1, 2 }), ("keepdims", 0L)));
            }
        }
        else
        {
            string pooled = Fresh("head/pooled");
            graph.Node.Add(OnnxNodes.Create("GlobalAveragePool", Fresh("head/GlobalAveragePool"), [layer.Name], pooled));
            graph.Node.Add(OnnxNodes.Create("Flatten", Fresh("head/Flatten"), [pooled], features, ("axis", 1L)));
        }
        graph.Node.Add(OnnxNodes.Create("Gemm", Fresh("head/Gemm"), [features, weightName, biasName], logits, ("transB", 1L)));

        using (var scope = torch.NewDisposeScope())
        {
            var generator = new Generator((ulong)(uint)seed);
            double bound = 1 / Math.Sqrt(layer.Channels);
            var weight = torch.rand([classes, layer.Channels], generator: generator).mul(2 * bound).sub(bound);
            var bias = torch.rand([classes], generator: generator).mul(2 * bound).sub(bound);
            graph.Initializer.Add(TensorProtoConverter.FromTensor(weight, weightName, floatType));
            graph.Initializer.Add(TensorProtoConverter.FromTensor(bias, biasName, floatType));
        }

        // Before IR version 4 initializers were also declared as inputs: keep only those still used.
        graph.Input.AddRange(source.Graph.Input.Where(i => needed.Contains(i.Name)).Select(i => i.Clone()));
        graph.ValueInfo.AddRange(source.Graph.ValueInfo.Where(v => needed.Contains(v.Name)).Select(v => v.Clone()));
        graph.Output.Add(new ValueInfoProto
        {
            Name = logits,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = floatType,
                    Shape = new TensorShapeProto { Dim = { BatchDimension(source.Graph, backbone), new TensorShapeProto.Types.Dimension { DimValue = classes } } },
                },
            },
        });

        var model = new ModelProto
        {
            IrVersion = source.IrVersion,
            ProducerName = "gaze finetune",
            ProducerVersion = GazeVersion.Current,
            Domain = source.Domain,
            ModelVersion = source.ModelVersion,
            DocString = $"{Path.GetFileName(backbone.ModelPath)} cut at '{layer.Name}' with a new {classes}-class head",
            Graph = graph,
        };
        model.OpsetImport.AddRange(source.OpsetImport.Select(o => o.Clone()));
        return new BackboneCut(model, layer, weightName, biasName, kept);
    }

    /// <summary>
    /// The initializers of the last <paramref name="count"/> backbone nodes that have weights (convolutions, linear
    /// layers, normalisations ...), nearest the layer first: what <c>--unfreeze-last</c> trains besides the head.
    /// Batch-norm running statistics stay fixed.
    /// </summary>
    /// <exception cref="InvalidOptionException">The backbone has fewer such nodes (names <c>--unfreeze-last</c>).</exception>
    public IReadOnlyList<string> LastWeightedNodeInitializers(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var floatInitializers = Model.Graph.Initializer
            .Where(t => OnnxDataType.IsFloatingPoint(t.DataType) && !statistics.Contains(t.Name))
            .Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        floatInitializers.Remove(WeightName);
        floatInitializers.Remove(BiasName);
        var weighted = backboneNodes.Reverse()
            .Select(n => n.Input.Where(floatInitializers.Contains).ToList())
            .Where(names => names.Count > 0)
            .ToList();
        if (count > weighted.Count)
            throw new InvalidOptionException("--unfreeze-last", $"the backbone has only {weighted.Count} nodes with weights up to layer '{Layer}', asked for {count}");
        return weighted.Take(count).SelectMany(names => names).Distinct().ToList();
    }

    /// <summary>
    /// The element type of the layer in the file: as declared if it is, else the float type of the weights that
    /// compute it (float16 for a float16 backbone), else of the graph input, else float.
    /// </summary>
    private static int FloatTypeOf(GraphProto graph, string layer, IReadOnlyList<NodeProto> kept)
    {
        var declared = graph.ValueInfo.Concat(graph.Output).FirstOrDefault(v => v.Name == layer)?.Type?.TensorType?.ElemType ?? 0;
        if (OnnxDataType.IsFloatingPoint(declared)) return declared;
        var used = kept.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var weightTypes = graph.Initializer.Where(t => used.Contains(t.Name) && OnnxDataType.IsFloatingPoint(t.DataType))
            .Select(t => t.DataType).Distinct().ToList();
        if (weightTypes.Count == 1) return weightTypes[0];
        var inputType = graph.Input.Select(i => i.Type?.TensorType?.ElemType ?? 0).FirstOrDefault(OnnxDataType.IsFloatingPoint);
        return inputType != 0 ? inputType : OnnxDataType.Float;
    }

    /// <summary>The output's batch dimension: the image input's, so a fixed batch of one stays declared as such.</summary>
    private static TensorShapeProto.Types.Dimension BatchDimension(GraphProto graph, OnnxGraph backbone)
    {
        var first = graph.Input.FirstOrDefault(i => i.Name == backbone.Inputs[0].Name)?.Type?.TensorType?.Shape?.Dim.FirstOrDefault();
        return first is { ValueCase: TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue } fixedBatch
            ? new TensorShapeProto.Types.Dimension { DimValue = fixedBatch.DimValue }
            : new TensorShapeProto.Types.Dimension { DimParam = first?.DimParam is { Length: > 0 } p ? p : "N" };
    }
}
