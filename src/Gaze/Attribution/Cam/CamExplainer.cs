using Gaze.Errors;
using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Runs a <see cref="CamMethod"/> on an <see cref="OnnxGraph"/>: one forward pass that captures the target layers;
/// for gradient methods, the backward pass of the target scores down to those layers only (no parameter or input
/// gradients); for perturbation methods, forward-only scoring of masked inputs (Score-CAM) or of the part of the
/// network after the layer (Ablation-CAM).
/// </summary>
public sealed class CamExplainer : IDisposable
{
    private readonly OnnxGraph graph;
    private readonly IReadOnlyList<string> layers;
    private readonly PerturbationScorers scorers;

    /// <summary>Creates an explainer for <paramref name="layers"/> (tensor names of <paramref name="graph"/>).</summary>
    public CamExplainer(OnnxGraph graph, IReadOnlyList<string> layers, CamOptions? options = null)
    {
        if (layers.Count == 0) throw new ArgumentException("at least one target layer is needed", nameof(layers));
        this.graph = graph;
        this.layers = layers;
        Options = options ?? CamOptions.Default;
        scorers = new PerturbationScorers(graph, Options);
    }

    /// <summary>The options the maps are computed with.</summary>
    public CamOptions Options { get; }

    /// <summary>
    /// The raw maps and heatmaps of <paramref name="method"/> for <paramref name="input"/> (a preprocessed batch in
    /// the model's layout, <see cref="CamOptions.InputLayout"/>) and one target class per image, with the smoothing
    /// of <see cref="Options"/>.
    /// </summary>
    /// <exception cref="UnsuitableLayerException">A layer has no spatial size, or lacks what the method needs.</exception>
    public CamExplanation Explain(Tensor input, IReadOnlyList<int> targets, CamMethod method)
    {
        using var scope = NewDisposeScope();
        // Smoothing, masks and heatmaps work on NCHW; the graph gets its own layout back in every run.
        input = scorers.ToChannelsFirst(input);
        IReadOnlyList<Tensor> raw;
        Tensor heatmaps;
        if (!Options.AugSmooth)
        {
            raw = ChannelsFirstRawMaps(input, targets, method);
            heatmaps = CamPostprocessing.Heatmaps(raw, input.shape[2], input.shape[3]);
        }
        else
        {
            (raw, heatmaps) = AugmentedMaps(input, targets, method);
        }
        foreach (Tensor map in raw) map.MoveToOuterDisposeScope();
        return new CamExplanation(raw, heatmaps.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Raw maps per layer ([N,h,w] each, after the method's ReLU) for <paramref name="input"/> (in the model's
    /// layout) and one target class per image (eigen smoothing applies; augmentation smoothing does not).
    /// </summary>
    /// <exception cref="UnsuitableLayerException">A layer has no spatial size, or lacks what the method needs.</exception>
    public IReadOnlyList<Tensor> RawMaps(Tensor input, IReadOnlyList<int> targets, CamMethod method) =>
        ChannelsFirstRawMaps(scorers.ToChannelsFirst(input), targets, method);

    private IReadOnlyList<Tensor> ChannelsFirstRawMaps(Tensor input, IReadOnlyList<int> targets, CamMethod method)
    {
        if (targets.Count != input.shape[0])
            throw new ArgumentException($"{targets.Count} targets for a batch of {input.shape[0]}", nameof(targets));
        using var scope = NewDisposeScope();
        using GraphRun run = graph.Run(scorers.ToModelLayout(input), new RunOptions { Capture = layers, Gradients = method.NeedsGradients });
        Tensor[] activations = layers.Select(l => run.Captured[l]).ToArray();
        for (int i = 0; i < layers.Count; i++)
        {
            if (activations[i].dim() != 4)
                throw new UnsuitableLayerException(graph.ModelPath, layers[i],
                    $"has no spatial dimensions (shape [{string.Join(",", activations[i].shape)}]); CAM methods need a [N,C,H,W] layer");
        }
        Tensor targetIndex = tensor(targets.Select(t => (long)t).ToArray()).unsqueeze(1);
        Tensor targetScores = run.Scores.gather(1, targetIndex).squeeze(1);
        Tensor[]? gradients = method.NeedsGradients
            // Summing over the batch keeps each image's gradient its own: image i's score depends on image i only.
            ? Gradients.Of(targetScores.sum(), activations)
            : null;

        var maps = new Tensor[layers.Count];
        for (int i = 0; i < maps.Length; i++)
        {
            var signals = new LayerSignals(activations[i].detach(), gradients?[i].detach())
            {
                Targets = targets,
                InputScoring = method.Needs.HasFlag(CamSignals.InputScoring)
                    ? new InputScoring(input, scorers.InputScore, Options.BatchSize) : null,
                LayerScoring = method.Needs.HasFlag(CamSignals.LayerScoring)
                    ? new LayerScoring(targetScores.detach(), scorers.LayerScore(layers[i], input), Options.BatchSize) : null,
                ClassifierWeights = method.Needs.HasFlag(CamSignals.ClassifierWeights)
                    ? ClassifierHead.WeightsAfter(graph, layers[i]) : null,
            };
            maps[i] = method.RawMap(signals, Options.EigenSmooth).MoveToOuterDisposeScope();
        }
        return maps;
    }

    /// <summary>Heatmaps [N,H,W] in [0,1] at the input's spatial size.</summary>
    public Tensor Heatmaps(Tensor input, IReadOnlyList<int> targets, CamMethod method)
    {
        using CamExplanation explanation = Explain(input, targets, method);
        return explanation.Heatmaps.alias();
    }

    /// <summary>
    /// pytorch-grad-cam's aug_smooth: the mean of the heatmaps of six augmented inputs (horizontal flip or not, times
    /// brightness 0.9, 1.0, 1.1 applied to the preprocessed tensor), each flipped back; not normalised again. The
    /// raw maps are averaged the same way at the layer's resolution.
    /// </summary>
    private (IReadOnlyList<Tensor> Raw, Tensor Heatmaps) AugmentedMaps(Tensor input, IReadOnlyList<int> targets, CamMethod method)
    {
        var rawSums = new Tensor?[layers.Count];
        Tensor? heatSum = null;
        int count = 0;
        foreach (bool flip in new[] { false, true })
        {
            foreach (double brightness in new[] { 0.9, 1.0, 1.1 })
            {
                Tensor augmented = input * brightness;
                if (flip) augmented = augmented.flip(3);
                IReadOnlyList<Tensor> raw = ChannelsFirstRawMaps(augmented, targets, method);
                Tensor heat = CamPostprocessing.Heatmaps(raw, input.shape[2], input.shape[3]);
                if (flip)
                {
                    raw = raw.Select(r => r.flip(2)).ToList();
                    heat = heat.flip(2);
                }
                for (int l = 0; l < raw.Count; l++) rawSums[l] = rawSums[l] is null ? raw[l] : rawSums[l]! + raw[l];
                heatSum = heatSum is null ? heat : heatSum + heat;
                count++;
            }
        }
        return (rawSums.Select(s => s! / count).ToList(), heatSum! / count);
    }

    /// <summary>Frees the ONNX Runtime sessions the explainer opened for perturbation scoring.</summary>
    public void Dispose() => scorers.Dispose();
}
