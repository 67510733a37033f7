using Gaze.Errors;
using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>A named 4-D tensor of a graph (a feature map): where class activation maps can be taken.</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="OpType">The op type of the node that produces it.</param>
/// <param name="NodeName">That node's name (empty if the exporter left it unnamed).</param>
/// <param name="Shape">Its shape in the probe run (batch 1).</param>
/// <param name="Order">Position in execution order among the layers (0-based).</param>
public sealed record LayerInfo(string Name, string OpType, string NodeName, IReadOnlyList<long> Shape, int Order)
{
    /// <summary>True when the tensor is laid out [N,H,W,C] (a Keras export's activations; see <see cref="OnnxGraph.IsChannelsLast"/>).</summary>
    public bool ChannelsLast { get; init; }

    /// <summary>Channels (the shape's second dimension, or its last for a channels-last tensor).</summary>
    public long Channels => Shape[ChannelsLast ? 3 : 1];

    /// <summary>Height of the feature map.</summary>
    public long Height => Shape[ChannelsLast ? 1 : 2];

    /// <summary>Width of the feature map.</summary>
    public long Width => Shape[ChannelsLast ? 2 : 3];

    /// <summary>"C x H x W" whatever the layout, e.g. "512x14x14".</summary>
    public string ChwText => $"{Channels}x{Height}x{Width}";
}

/// <summary>
/// The layers of a graph: every named 4-D tensor a node produces, with its op type and shape from a probe run; the
/// default layer for class activation maps; and module-path aliases (<c>layer4</c> = the last 4-D tensor produced
/// under <c>/layer4/</c>, as PyTorch exports name tensors after modules).
/// </summary>
public sealed class LayerTable
{
    private readonly string modelPath;
    private readonly Dictionary<string, LayerInfo> byName;
    private readonly IReadOnlyList<string> tensorNames;

    private LayerTable(string modelPath, IReadOnlyList<string> tensorNames, IReadOnlyList<LayerInfo> layers, int classCount,
        string? defaultCamLayer, bool camFromSidecar)
    {
        this.modelPath = modelPath;
        this.tensorNames = tensorNames;
        ClassCount = classCount;
        Layers = layers;
        byName = layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        DefaultCamLayer = defaultCamLayer;
        DefaultCamLayerFromSidecar = camFromSidecar;
    }

    /// <summary>The 4-D tensors in execution order.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>
    /// The layer class activation maps use by default: the sidecar's <c>layers.cam</c> when given, else the last
    /// 4-D tensor with spatial size above 1 that feeds global pooling or flattening on the way to the output, else
    /// the last 4-D tensor with spatial size above 1. Null for a graph without such tensors.
    /// </summary>
    public string? DefaultCamLayer { get; }

    /// <summary>How many classes the graph scores (the size of one sample's <see cref="OnnxGraph.ScoreName"/> tensor in the probe run).</summary>
    public int ClassCount { get; }

    /// <summary>4-D tensors of non-float values (masks, indices), which the table leaves out, with their types.</summary>
    private IReadOnlyDictionary<string, ScalarType> NotActivations { get; init; } = new Dictionary<string, ScalarType>();

    /// <summary>The score tensor's shape at batch 1 (see <see cref="OnnxGraph.ScoreName"/>).</summary>
    public IReadOnlyList<long> ScoreShape { get; private init; } = [];

    /// <summary>True when <see cref="DefaultCamLayer"/> came from the caller (the sidecar) rather than the rule.</summary>
    public bool DefaultCamLayerFromSidecar { get; }

    /// <summary>
    /// The estimated activation memory of one image: <paramref name="inputShapes"/> (at batch 1) and every layer of
    /// the table, in float32. Batch sizes are fitted to it (<see cref="Engine.BatchFit"/>); gradient methods and
    /// training keep about as much again, which the budget leaves room for.
    /// </summary>
    public long ActivationBytesPerImage(IEnumerable<IReadOnlyList<long>> inputShapes)
    {
        long elements = inputShapes.Sum(Elements) + Layers.Sum(layer => Elements(layer.Shape));
        return elements * sizeof(float);
    }

    /// <summary>
    /// <see cref="ActivationBytesPerImage"/> of <paramref name="graph"/>'s inputs and layers at <paramref name="size"/>
    /// (null: the declared size, else 224x224), from a probe run at batch 1.
    /// </summary>
    public static long EstimateActivationBytes(OnnxGraph graph, (int Height, int Width)? size)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Discover(graph, null, size).ActivationBytesPerImage(graph.Inputs.Select(input => (IReadOnlyList<long>)input.ConcreteShape(1, size)));
    }

    /// <summary>
    /// Refuses an input size whose activations for one image would exceed the budget, without running the model at
    /// that size: a size above <see cref="Engine.ResourceLimits.EstimateProbePixels"/> is probed at that area with the
    /// same aspect ratio, and the estimate scaled by area. A model that cannot run at the smaller size (a fixed-size
    /// dense head) is let through; its own probe reports what is wrong, if anything.
    /// </summary>
    /// <exception cref="ActivationBudgetException">One image at <paramref name="size"/> would exceed the budget.</exception>
    public static void RequireWithinBudget(OnnxGraph graph, (int Height, int Width) size, Engine.ResourceLimits limits)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(limits);
        long pixels = (long)size.Height * size.Width;
        if (pixels <= Engine.ResourceLimits.EstimateProbePixels) return;
        double scale = Math.Sqrt((double)Engine.ResourceLimits.EstimateProbePixels / pixels);
        var small = (Height: Math.Max(32, (int)(size.Height * scale)), Width: Math.Max(32, (int)(size.Width * scale)));
        long smallBytes;
        try
        {
            smallBytes = EstimateActivationBytes(graph, small);
        }
        catch (GazeException)
        {
            return;
        }
        long estimate = (long)(smallBytes * ((double)pixels / ((long)small.Height * small.Width)));
        if (estimate > limits.MaxBatchActivationBytes)
        {
            throw new ActivationBudgetException(graph.ModelPath,
                $"an input of {size.Height}x{size.Width} needs about {Engine.ResourceLimits.FormatBytes(estimate)} of activations per image, " +
                $"more than the {Engine.ResourceLimits.FormatBytes(limits.MaxBatchActivationBytes)} budget; choose a smaller input size " +
                "(--size or the sidecar's input.size)");
        }
    }

    private static long Elements(IReadOnlyList<long> shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Probes <paramref name="graph"/> and builds its layer table.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="camLayer">The default CAM layer from the model's sidecar (<c>layers.cam</c>), if any; it may be an alias.</param>
    /// <param name="size">Spatial size of the probe input for image models; null uses the declared size (else 224x224).</param>
    /// <exception cref="UnknownLayerException"><paramref name="camLayer"/> is not a layer of the graph.</exception>
    public static LayerTable Discover(OnnxGraph graph, string? camLayer = null, (int Height, int Width)? size = null)
    {
        var facts = graph.Probe(size);
        var layout = graph.Layout;
        var layers = new List<LayerInfo>();
        var notActivations = new Dictionary<string, ScalarType>(StringComparer.Ordinal);
        var orderOfSlot = new Dictionary<int, int>();
        foreach (var node in graph.Plan.Nodes)
        {
            foreach (int slot in node.Outputs)
            {
                if (slot < 0 || facts.Shape(slot) is not { Length: 4 } shape) continue;
                if (facts.Type(slot) is { } type && !is_floating_point(type))
                {
                    // A mask or index tensor (Dropout's mask output, ArgMax) has the shape of a layer but no activations.
                    notActivations[layout.SlotNames[slot]] = type;
                    continue;
                }
                orderOfSlot[slot] = layers.Count;
                string name = layout.SlotNames[slot];
                layers.Add(new LayerInfo(name, node.OpType, node.Proto.Name, shape, layers.Count) { ChannelsLast = graph.IsChannelsLast(name) });
            }
        }

        long[] scores = facts.Shape(graph.SlotOf(graph.ScoreName)) ?? [1];
        // Class scores are [N, K], possibly with trailing 1x1 spatial axes (a convolutional classifier); anything
        // else (an image, a 1-D vector without a batch axis) has no classes.
        bool classScores = scores.Length >= 2 && scores.Skip(2).All(d => d == 1);
        int classes = classScores ? (int)scores[1] : 0;
        var table = new LayerTable(graph.ModelPath, graph.TensorNames, layers, classes, null, false);
        if (camLayer is not null) return new LayerTable(graph.ModelPath, graph.TensorNames, layers, classes, table.Resolve(camLayer).Name, true) { ScoreShape = scores, NotActivations = notActivations };
        return new LayerTable(graph.ModelPath, graph.TensorNames, layers, classes, FindCamLayer(graph, facts, orderOfSlot, layers), false) { ScoreShape = scores, NotActivations = notActivations };
    }

    /// <summary>
    /// The layer named <paramref name="nameOrAlias"/>: an exact tensor name, else a module path such as
    /// <c>layer4</c> or <c>features.18</c> (the last layer produced under <c>/layer4/</c>).
    /// </summary>
    /// <exception cref="UnknownLayerException">No such layer; the message lists the nearest names.</exception>
    public LayerInfo Resolve(string nameOrAlias)
    {
        if (byName.TryGetValue(nameOrAlias, out var exact)) return exact;
        string trimmed = nameOrAlias.Trim('/');
        if (trimmed.Length > 0)
        {
            string inside = "/" + trimmed + "/";
            var match = Layers.LastOrDefault(l => l.Name.Contains(inside, StringComparison.Ordinal)
                || l.Name.StartsWith(trimmed + "/", StringComparison.Ordinal)
                || ("/" + l.NodeName).Contains(inside, StringComparison.Ordinal));
            if (match is not null) return match;
        }
        var candidates = Layers.Select(l => l.Name).Concat(ModuleAliases());
        throw new UnknownLayerException(modelPath, nameOrAlias, NameSuggestions.Nearest(nameOrAlias, candidates));
    }

    /// <summary>
    /// The layer named <paramref name="nameOrAlias"/> (see <see cref="Resolve"/>), or <see cref="DefaultCamLayer"/> when
    /// it is null, checked to be a feature map with height and width: what CAM methods and fine-tuning need.
    /// </summary>
    /// <param name="nameOrAlias">The requested layer, or null for the default.</param>
    /// <param name="option">The option that names the layer, for messages.</param>
    /// <exception cref="UnknownLayerException">No such tensor; the message lists the nearest names.</exception>
    /// <exception cref="UnsuitableLayerException">The tensor exists but is not 4-D or is 1x1.</exception>
    /// <exception cref="InvalidOptionException">No layer was named and the model has no default one.</exception>
    public LayerInfo ResolveSpatial(string? nameOrAlias, string option = "--layer")
    {
        if (nameOrAlias is null)
        {
            string layer = DefaultCamLayer
                ?? throw new InvalidOptionException(option, "the model has no layer with spatial dimensions to use by default; name one (see 'gaze layers')");
            return Resolve(layer);
        }
        LayerInfo info;
        try
        {
            info = Resolve(nameOrAlias);
        }
        catch (UnknownLayerException) when (NotActivations.TryGetValue(nameOrAlias, out ScalarType type))
        {
            throw new UnsuitableLayerException(modelPath, nameOrAlias, $"holds {type} values (a mask or indices), not activations; a floating-point [N,C,H,W] layer is needed");
        }
        catch (UnknownLayerException) when (tensorNames.Contains(nameOrAlias))
        {
            // The table lists only 4-D tensors: this one exists but has no height and width.
            throw new UnsuitableLayerException(modelPath, nameOrAlias, "has no spatial dimensions; a [N,C,H,W] layer is needed");
        }
        if (info.Height * info.Width < 2)
            throw new UnsuitableLayerException(modelPath, info.Name, $"has a 1x1 spatial size (shape [{string.Join(",", info.Shape)}]); a layer with height and width is needed");
        return info;
    }

    /// <summary>The module paths that can be used as aliases (each path prefix of the layers' names).</summary>
    public IReadOnlyList<string> ModuleAliases()
    {
        var aliases = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in Layers)
        {
            var parts = layer.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
            // The last part is the tensor's own name (e.g. Relu_output_0), not a module.
            for (int i = 0; i < parts.Length - 1; i++)
                if (seen.Add(parts[i])) aliases.Add(parts[i]);
        }
        return aliases;
    }

    private static string? FindCamLayer(OnnxGraph graph, TensorFacts facts, Dictionary<int, int> orderOfSlot, List<LayerInfo> layers)
    {
        var layout = graph.Layout;
        var onPath = AncestorsOfOutputs(graph);
        int best = -1;
        foreach (var node in graph.Plan.Nodes)
        {
            if (!onPath.Contains(node.LayoutIndex) || node.Inputs.Length == 0 || node.Inputs[0] < 0) continue;
            int source = node.Inputs[0];
            if (!orderOfSlot.TryGetValue(source, out int order) || !HasSpatialExtent(layers[order])) continue;
            long[]? outShape = node.Outputs.Length > 0 && node.Outputs[0] >= 0 ? facts.Shape(node.Outputs[0]) : null;
            // Keras' global pooling keeps the channels last: [N,1,1,C] with keepdims.
            bool lastLayout = layers[order].ChannelsLast && node.OpType is "ReduceMean" or "ReduceMax";
            bool collapses = node.OpType switch
            {
                "GlobalAveragePool" or "GlobalMaxPool" => true,
                "Flatten" or "Reshape" => outShape is { Length: <= 2 },
                "ReduceMean" or "ReduceMax" or "AveragePool" or "MaxPool" => outShape is not null
                    && (outShape.Length < 4 || (lastLayout ? outShape[1] * outShape[2] : outShape[^1] * outShape[^2]) == 1),
                _ => false,
            };
            if (collapses) best = Math.Max(best, order);
        }
        if (best >= 0) return BeforeLayoutTransposes(graph, layers[best], orderOfSlot, layers).Name;
        var outputs = layout.OutputSlots.Select(s => layout.SlotNames[s]).ToHashSet(StringComparer.Ordinal);
        return layers.LastOrDefault(l => HasSpatialExtent(l) && !outputs.Contains(l.Name))?.Name;
    }

    private static bool HasSpatialExtent(LayerInfo layer) => layer.Height * layer.Width > 1;

    /// <summary>
    /// The tensor that the Transposes between the two layouts producing <paramref name="layer"/> only rearrange: the
    /// same activations under the name of the layer that computed them (tf2onnx transposes a Keras block's output
    /// to channels last before the global pooling or Flatten).
    /// </summary>
    private static LayerInfo BeforeLayoutTransposes(OnnxGraph graph, LayerInfo layer, Dictionary<int, int> orderOfSlot, List<LayerInfo> layers)
    {
        var layout = graph.Layout;
        while (true)
        {
            int producer = layout.ProducerOf(graph.SlotOf(layer.Name));
            if (producer < 0 || ChannelsLastTensors.MovesChannelsLast(layout.Nodes[producer]) is null) return layer;
            int source = layout.NodeInputs[producer][0];
            if (!orderOfSlot.TryGetValue(source, out int order) || layers[order].ChannelsLast == layer.ChannelsLast) return layer;
            layer = layers[order];
        }
    }

    /// <summary>Layout indices of the nodes the outputs (and the scores) depend on.</summary>
    private static HashSet<int> AncestorsOfOutputs(OnnxGraph graph)
    {
        var layout = graph.Layout;
        var needed = new HashSet<int>(layout.OutputSlots) { graph.SlotOf(graph.ScoreName) };
        var nodes = new HashSet<int>();
        for (int n = layout.Nodes.Length - 1; n >= 0; n--)
        {
            if (!layout.NodeOutputs[n].Any(needed.Contains)) continue;
            nodes.Add(n);
            foreach (int s in layout.NodeInputs[n]) if (s >= 0) needed.Add(s);
        }
        return nodes;
    }
}
