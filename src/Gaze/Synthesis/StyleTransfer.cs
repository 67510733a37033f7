using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// Neural style transfer (Gatys, Ecker and Bethge, CVPR 2016) as the CS231n assignment sets it up: from the content
/// image, Adam minimises the content loss at one layer, the Gram-matrix style loss at several and the total variation,
/// clamping to the valid range after every step; the learning rate drops once near the end. With no style layers and
/// a noisy start it is feature inversion (Mahendran and Vedaldi, CVPR 2015; see <see cref="FeatureInversion"/>).
/// </summary>
public static class StyleTransfer
{
    /// <summary>Repaints <paramref name="content"/> [1,C,H,W] in the style of <paramref name="style"/> (any size; null without style layers).</summary>
    /// <exception cref="Errors.InvalidOptionException">An option out of range.</exception>
    /// <exception cref="Errors.UnknownLayerException">A layer the model does not have.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked before every step).</exception>
    public static SynthesisResult Run(SynthesisNetwork network, Tensor content, Tensor? style, StyleTransferOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var objective = new StyleObjective(network, content, style, options);
        return Run(network, objective, content, progress, cancellationToken);
    }

    /// <summary>
    /// Minimises <paramref name="objective"/> (with its <see cref="StyleObjective.Options"/>) from
    /// <paramref name="content"/> [1,C,H,W], or from noise of its shape; a caller that also measures the result with
    /// the objective computes its targets once.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled (checked before every step).</exception>
    public static SynthesisResult Run(SynthesisNetwork network, StyleObjective objective, Tensor content,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        StyleTransferOptions options = objective.Options;
        InputSpace space = network.Space;
        using var scope = NewDisposeScope();
        Tensor x;
        if (options.StartFromNoise)
        {
            using var generator = new Generator((ulong)options.Seed);
            // CS231n's start: uniform noise in [0, 1) of torchvision's space, around the mean image.
            x = (rand(content.shape, generator: generator) * space.Scale).to(content.dtype);
        }
        else
        {
            x = content.clone();
        }
        using AdamSteps? adam = options.Optimizer == StyleOptimizer.Adam ? new AdamSteps(x) : null;
        using LbfgsSteps? lbfgs = options.Optimizer == StyleOptimizer.Lbfgs ? new LbfgsSteps() : null;
        var trace = new List<double>();
        var snapshots = new List<Tensor>();
        var schedule = new SnapshotSchedule(options.Iterations);
        for (int t = 0; t < options.Iterations; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var (loss, gradient, _) = network.Gradient(x, objective.Layers, objective.Loss);
            Tensor next = lbfgs?.Step(x, gradient)
                ?? adam!.Step(x, gradient, (t < options.DecayStep ? options.LearningRate : options.DecayedLearningRate) * space.Scale);
            x = StepTensors.Replace(x, space.Clamp(next));
            trace.Add(loss);
            progress?.Report(new SynthesisProgress(t + 1, options.Iterations, "loss", loss));
            if (schedule.Due(t + 1, snapshots.Count)) snapshots.Add(x.clone().MoveToOuterDisposeScope());
        }
        foreach (Tensor snapshot in snapshots) snapshot.MoveToOuterDisposeScope();
        return new SynthesisResult(x.MoveToOuterDisposeScope(), snapshots, trace, "loss");
    }
}
