using Gaze.Errors;
using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// The plumbing of the CAM family: runs a <see cref="CamMethod"/> on an <see cref="OnnxGraph"/> with one forward pass
/// that captures the target layers; for gradient methods, the backward pass of the target scores down to those layers
/// only (no parameter or input gradients), with the part of the network before the layers run on ONNX Runtime where
/// it can (<see cref="AttributionOptions.GradientsFromOnnxRuntimePrefix"/>); for perturbation methods, forward-only
/// scoring of masked inputs (Score-CAM) or of the part of the network after the layer (Ablation-CAM).
/// </summary>
public sealed class CamExplainer : IDisposable
{
    private readonly OnnxGraph graph;
    private readonly IReadOnlyList<string> layers;
    private readonly PerturbationScorers scorers;
    private readonly LayerRuns layerRuns;
    private readonly bool ownsPlumbing;

    /// <summary>Creates an explainer for <paramref name="layers"/> (tensor names of <paramref name="graph"/>).</summary>
    public CamExplainer(OnnxGraph graph, IReadOnlyList<string> layers, AttributionOptions? options = null)
        : this(graph, layers, options ?? AttributionOptions.Default, null, null)
    {
    }

    /// <summary>An explainer on a context's layers that shares its ONNX Runtime sessions.</summary>
    internal CamExplainer(AttributionContext context)
        : this(context.Graph, context.Layers, context.Options, context.Scorers, context.LayerRuns)
    {
    }

    private CamExplainer(OnnxGraph graph, IReadOnlyList<string> layers, AttributionOptions options, PerturbationScorers? scorers, LayerRuns? layerRuns)
    {
        if (layers.Count == 0) throw new ArgumentException("at least one target layer is needed", nameof(layers));
        this.graph = graph;
        this.layers = layers;
        Options = options;
        ownsPlumbing = scorers is null;
        this.scorers = scorers ?? new PerturbationScorers(graph, options);
        this.layerRuns = layerRuns ?? new LayerRuns(graph, layers, options);
    }

    /// <summary>The options the maps are computed with.</summary>
    public AttributionOptions Options { get; }

    /// <summary>
    /// How the last gradient pass was computed (ONNX Runtime before the layers and Gaze's graph after them, or Gaze's
    /// whole graph and why), or null before any; <see cref="Explanation.Notes"/> carries it too.
    /// </summary>
    public string? LastGradientPath { get; private set; }

    /// <summary>The split of the graph gradient passes use, once one has run with it; null otherwise.</summary>
    internal GraphCut? GradientCut => layerRuns.Cut;

    /// <summary>
    /// The raw maps and heatmaps of <paramref name="method"/> for <paramref name="input"/> (a preprocessed batch in
    /// the model's layout, <see cref="AttributionOptions.InputLayout"/>) and one target class per image, with the
    /// smoothing of <see cref="Options"/>.
    /// </summary>
    /// <exception cref="UnsuitableLayerException">A layer has no spatial size, or lacks what the method needs.</exception>
    public Explanation Explain(Tensor input, IReadOnlyList<int> targets, CamMethod method) =>
        ExplainChannelsFirst(scorers.ToChannelsFirst(input), TargetRequest.Classes(targets), method);

    /// <summary>Heatmaps [N,H,W] in [0,1] at the input's spatial size.</summary>
    public Tensor Heatmaps(Tensor input, IReadOnlyList<int> targets, CamMethod method)
    {
        using Explanation explanation = Explain(input, targets, method);
        return explanation.Heatmaps.alias();
    }

    /// <summary>
    /// Like <see cref="Explain(Tensor, IReadOnlyList{int}, CamMethod)"/> for an NCHW batch, with the targets picked
    /// from the scores of the unmodified input's forward pass.
    /// </summary>
    /// <param name="input">The batch, channels first.</param>
    /// <param name="targets">Which class to explain for each image.</param>
    /// <param name="method">The CAM.</param>
    /// <param name="smoothing">False ignores the eigen and augmentation smoothing of <see cref="Options"/>: options
    /// apply only to the methods that take them, and a method built on a CAM may not (Guided Grad-CAM).</param>
    internal Explanation ExplainChannelsFirst(Tensor input, TargetRequest targets, CamMethod method, bool smoothing = true)
    {
        using var scope = NewDisposeScope();
        IReadOnlyList<Tensor> raw;
        Tensor heatmaps;
        Tensor scores;
        IReadOnlyList<int> resolved;
        LastGradientPath = null;
        if (!smoothing || !Options.AugSmooth)
        {
            (raw, scores, resolved) = ChannelsFirstRawMaps(input, targets, method, smoothing && Options.EigenSmooth);
            heatmaps = CamPostprocessing.Heatmaps(raw, input.shape[2], input.shape[3]);
        }
        else
        {
            (raw, heatmaps, scores, resolved) = AugmentedMaps(input, targets, method);
        }
        foreach (Tensor map in raw) map.MoveToOuterDisposeScope();
        return new Explanation(heatmaps.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope(), resolved)
        {
            RawMaps = raw,
            Notes = LastGradientPath is { } path ? [$"{method.Name}: {path}"] : [],
        };
    }

    /// <summary>
    /// Raw maps per layer ([N,h,w] each, after the method's ReLU) for <paramref name="input"/> (in the model's
    /// layout) and one target class per image (eigen smoothing applies; augmentation smoothing does not).
    /// </summary>
    /// <exception cref="UnsuitableLayerException">A layer has no spatial size, or lacks what the method needs.</exception>
    public IReadOnlyList<Tensor> RawMaps(Tensor input, IReadOnlyList<int> targets, CamMethod method)
    {
        using var scope = NewDisposeScope();
        var (raw, _, _) = ChannelsFirstRawMaps(scorers.ToChannelsFirst(input), TargetRequest.Classes(targets), method, Options.EigenSmooth);
        foreach (Tensor map in raw) map.MoveToOuterDisposeScope();
        return raw;
    }

    private (IReadOnlyList<Tensor> Raw, Tensor Scores, IReadOnlyList<int> Targets) ChannelsFirstRawMaps(Tensor input, TargetRequest targets, CamMethod method, bool eigenSmooth)
    {
        using var scope = NewDisposeScope();
        using LayerRun run = layerRuns.Run(scorers.ToModelLayout(input), method.NeedsGradients);
        if (run.Note is not null) LastGradientPath = run.Note;
        Tensor[] activations = [.. run.Activations];
        for (int i = 0; i < layers.Count; i++)
        {
            if (activations[i].dim() != 4)
                throw new UnsuitableLayerException(graph.ModelPath, layers[i],
                    $"has no spatial dimensions (shape [{string.Join(",", activations[i].shape)}]); CAM methods need a [N,C,H,W] layer");
        }
        IReadOnlyList<int> resolved = targets.Resolve(run.Scores);
        Tensor targetScores = run.TargetScores(resolved);
        Tensor[]? gradients = method.NeedsGradients
            // Summing over the batch keeps each image's gradient its own: image i's score depends on image i only.
            ? Gradients.Of(targetScores.sum(), activations)
            : null;

        var maps = new Tensor[layers.Count];
        for (int i = 0; i < maps.Length; i++)
        {
            // Methods read [N,K,H,W]; a channels-last layer (a Keras export) is viewed that way, gradients alike.
            Tensor a = graph.ChannelsFirst(layers[i], activations[i].detach());
            Tensor? g = gradients is null ? null : graph.ChannelsFirst(layers[i], gradients[i].detach());
            var signals = new LayerSignals(a, g)
            {
                Targets = resolved,
                InputScoring = method.Needs.HasFlag(CamSignals.InputScoring)
                    ? new InputScoring(input, scorers.InputScore, Options.BatchSize) : null,
                LayerScoring = method.Needs.HasFlag(CamSignals.LayerScoring)
                    ? new LayerScoring(targetScores.detach(), scorers.LayerScore(layers[i], input), Options.BatchSize) : null,
                ClassifierWeights = method.Needs.HasFlag(CamSignals.ClassifierWeights)
                    ? ClassifierHead.WeightsAfter(graph, layers[i]) : null,
            };
            maps[i] = method.RawMap(signals, eigenSmooth).MoveToOuterDisposeScope();
        }
        return (maps, run.Scores.detach().MoveToOuterDisposeScope(), resolved);
    }

    /// <summary>
    /// pytorch-grad-cam's aug_smooth: the mean of the heatmaps of six augmented inputs (horizontal flip or not, times
    /// brightness 0.9, 1.0, 1.1 applied to the preprocessed tensor), each flipped back; not normalised again. The
    /// raw maps are averaged the same way at the layer's resolution. The targets come from the unmodified input,
    /// whose maps are the (no flip, brightness 1.0) augmentation's.
    /// </summary>
    private (IReadOnlyList<Tensor> Raw, Tensor Heatmaps, Tensor Scores, IReadOnlyList<int> Targets) AugmentedMaps(
        Tensor input, TargetRequest targets, CamMethod method)
    {
        (bool Flip, double Brightness)[] augmentations = [(false, 0.9), (false, 1.0), (false, 1.1), (true, 0.9), (true, 1.0), (true, 1.1)];
        var (unmodified, scores, resolved) = ChannelsFirstRawMaps(input, targets, method, Options.EigenSmooth);
        TargetRequest fixedTargets = TargetRequest.Classes(resolved);
        var rawSums = new Tensor?[layers.Count];
        Tensor? heatSum = null;
        foreach (var (flip, brightness) in augmentations)
        {
            Tensor augmented = input * brightness;
            if (flip) augmented = augmented.flip(3);
            IReadOnlyList<Tensor> raw = (flip, brightness) == (false, 1.0)
                ? unmodified
                : ChannelsFirstRawMaps(augmented, fixedTargets, method, Options.EigenSmooth).Raw;
            Tensor heat = CamPostprocessing.Heatmaps(raw, input.shape[2], input.shape[3]);
            if (flip)
            {
                raw = raw.Select(r => r.flip(2)).ToList();
                heat = heat.flip(2);
            }
            for (int l = 0; l < raw.Count; l++) rawSums[l] = rawSums[l] is null ? raw[l] : rawSums[l]! + raw[l];
            heatSum = heatSum is null ? heat : heatSum + heat;
        }
        return (rawSums.Select(s => s! / augmentations.Length).ToList(), heatSum! / augmentations.Length, scores, resolved);
    }

    /// <summary>Frees the ONNX Runtime sessions the explainer opened for scoring and gradient passes.</summary>
    public void Dispose()
    {
        if (!ownsPlumbing) return;
        scorers.Dispose();
        layerRuns.Dispose();
    }
}
