using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Runs a <see cref="CamMethod"/> on an <see cref="OnnxGraph"/>: one forward pass that captures the target layers,
/// and, for gradient methods, the backward pass of the target scores down to those layers only (no parameter or
/// input gradients).
/// </summary>
public sealed class CamExplainer
{
    private readonly OnnxGraph graph;
    private readonly IReadOnlyList<string> layers;

    /// <summary>Creates an explainer for <paramref name="layers"/> (tensor names of <paramref name="graph"/>).</summary>
    public CamExplainer(OnnxGraph graph, IReadOnlyList<string> layers)
    {
        if (layers.Count == 0) throw new ArgumentException("at least one target layer is needed", nameof(layers));
        this.graph = graph;
        this.layers = layers;
    }

    /// <summary>
    /// Raw maps per layer ([N,h,w] each, after the method's ReLU) for <paramref name="input"/> [N,...] and one
    /// target class per image.
    /// </summary>
    public IReadOnlyList<Tensor> RawMaps(Tensor input, IReadOnlyList<int> targets, CamMethod method, bool eigenSmooth = false)
    {
        if (targets.Count != input.shape[0])
            throw new ArgumentException($"{targets.Count} targets for a batch of {input.shape[0]}", nameof(targets));
        using var scope = NewDisposeScope();
        using GraphRun run = graph.Run(input, new RunOptions { Capture = layers, Gradients = method.NeedsGradients });
        Tensor[] activations = layers.Select(l => run.Captured[l]).ToArray();
        Tensor[]? gradients = null;
        if (method.NeedsGradients)
        {
            // Summing over the batch keeps each image's gradient its own: image i's score depends on image i only.
            Tensor index = tensor(targets.Select(t => (long)t).ToArray()).unsqueeze(1);
            Tensor score = run.Scores.gather(1, index).sum();
            gradients = Gradients.Of(score, activations);
        }
        var scoring = new InputScoring(input, targets, ScoreBatch);
        var maps = new Tensor[layers.Count];
        for (int i = 0; i < maps.Length; i++)
        {
            var signals = new LayerSignals(activations[i].detach(), gradients?[i].detach(), scoring);
            maps[i] = method.RawMap(signals, eigenSmooth).MoveToOuterDisposeScope();
        }
        return maps;
    }

    private Tensor ScoreBatch(Tensor inputs, int target)
    {
        using var scope = NewDisposeScope();
        using GraphRun run = graph.Run(inputs);
        return run.Scores.select(1, target).MoveToOuterDisposeScope();
    }

    /// <summary>Heatmaps [N,H,W] in [0,1] at the input's spatial size (NCHW input).</summary>
    public Tensor Heatmaps(Tensor input, IReadOnlyList<int> targets, CamMethod method, bool eigenSmooth = false)
    {
        using var scope = NewDisposeScope();
        IReadOnlyList<Tensor> raw = RawMaps(input, targets, method, eigenSmooth);
        return CamPostprocessing.Heatmaps(raw, input.shape[2], input.shape[3]).MoveToOuterDisposeScope();
    }
}
