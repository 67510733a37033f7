using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using static TorchSharp.torch;

namespace Gaze.Attribution;

/// <summary>
/// The forward passes of layer methods: the target layers' activations and the scores, and for gradient methods the
/// autograd graph from the layers to the scores. With <see cref="AttributionOptions.GradientsFromOnnxRuntimePrefix"/>
/// a gradient pass runs the network before the layers on ONNX Runtime, forward only (faster than libtorch), and only
/// the part after them on Gaze's graph, with the activations as autograd leaves: the backward pass to the layers
/// needs nothing else, so the gradients and maps are those of a whole-graph pass. Tensors from before the layers
/// that the part after them also reads (a skip connection crossing the cut) come from ONNX Runtime too. Where the
/// model cannot be cut that way Gaze's graph runs it all, and <see cref="LayerRun.Note"/> says why. When the single
/// target layer feeds a <see cref="ConvolutionalHead"/>, ONNX Runtime runs the whole network (scores included) and
/// the target scores are recomputed from the layer through the head's target channels only. The ONNX Runtime
/// session is opened on the first gradient pass, once per model and set of layers.
/// </summary>
internal sealed class LayerRuns(OnnxGraph graph, IReadOnlyList<string> layers, AttributionOptions options) : IDisposable
{
    private RuntimePrefix? prefix;
    private ConvolutionalHead? head;
    private string? unavailable;
    private bool opened;

    /// <summary>The split gradient passes use, once the first one opened it; null before, or when the model cannot be cut.</summary>
    public GraphCut? Cut => prefix?.Cut;

    /// <summary>One pass over <paramref name="input"/> (a batch in the model's layout).</summary>
    /// <param name="input">The batch.</param>
    /// <param name="gradients">Record the autograd graph from the layers' activations to the scores.</param>
    public LayerRun Run(Tensor input, bool gradients)
    {
        string? why = null;
        if (gradients && Prefix(out why) is { } runtime && runtime.TryRun(input, out why) is { } fed)
            return runtime.Cut.Scores is null ? Suffix(input, runtime.Cut, fed) : Head(runtime.Cut, fed);
        GraphRun run = graph.Run(input, new RunOptions { Capture = layers, Gradients = gradients });
        var activations = layers.Select(l => run.Captured[l]).ToList();
        return new LayerRun(run, activations, gradients ? $"activations and gradients from Gaze's whole graph ({why})" : null);
    }

    /// <summary>Frees the ONNX Runtime session and the head's weights.</summary>
    public void Dispose()
    {
        prefix?.Dispose();
        head?.Dispose();
    }

    private RuntimePrefix? Prefix(out string? why)
    {
        if (!options.GradientsFromOnnxRuntimePrefix)
        {
            why = "AttributionOptions.GradientsFromOnnxRuntimePrefix is off";
            return null;
        }
        if (!opened)
        {
            opened = true;
            var distinct = layers.Distinct().ToList();
            head = distinct.Count == 1 && ConvolutionalHead.Find(graph) is { } found && found.Inputs.Contains(distinct[0]) ? found : null;
            prefix = RuntimePrefix.TryOpen(graph, GraphCut.Before(graph, layers, withScores: head is not null), out unavailable);
        }
        why = unavailable;
        return prefix;
    }

    /// <summary>The whole network's scores and the layer from ONNX Runtime; the target scores from the layer through the head.</summary>
    private LayerRun Head(GraphCut cut, IReadOnlyDictionary<string, Tensor> fed)
    {
        Tensor leaf = fed[cut.Cut[0]].requires_grad_(true);
        Tensor scores = GraphRun.AsScores(fed[cut.Scores!]);
        string note = $"activations of {cut.Cut[0]} and the scores from ONNX Runtime (the whole network), "
            + "gradients through the target channels of the classifier convolution after the layer";
        return new LayerRun(scores, layers.Select(_ => leaf).ToList(), targets => head!.TargetScores(leaf, targets), note);
    }

    /// <summary>Gaze's graph after the cut, fed the prefix's tensors; the cut layers' activations are the leaves.</summary>
    private LayerRun Suffix(Tensor input, GraphCut cut, IReadOnlyDictionary<string, Tensor> fed)
    {
        var leaves = cut.Cut.ToDictionary(name => name, name => fed[name].requires_grad_(true), StringComparer.Ordinal);
        var replace = new Dictionary<string, Tensor>(leaves, StringComparer.Ordinal);
        foreach (string name in cut.Crossing) replace[name] = fed[name];
        // Layers computed from another target layer are captured after the cut, so gradients flow through them.
        var later = layers.Where(l => !leaves.ContainsKey(l)).Distinct().ToList();
        GraphRun run = graph.Run(input, new RunOptions { Gradients = true, Capture = later, Replace = replace });
        var activations = layers.Select(l => leaves.TryGetValue(l, out Tensor? leaf) ? leaf : run.Captured[l]).ToList();
        string crossing = cut.Crossing.Count == 0 ? "" : $"; also fed from ONNX Runtime, read after the cut: {string.Join(", ", cut.Crossing)}";
        string note = $"activations of {string.Join(", ", cut.Cut)} from ONNX Runtime ({cut.PrefixNodes.Count} nodes before the cut), "
            + $"gradients from Gaze's graph after it ({run.ExecutedNodeCount} nodes){crossing}";
        return new LayerRun(run, activations, note);
    }
}
