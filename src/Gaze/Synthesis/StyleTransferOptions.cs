using Gaze.Errors;

namespace Gaze.Synthesis;

/// <summary>The optimiser of style transfer and feature inversion.</summary>
public enum StyleOptimizer
{
    /// <summary>Adam with CS231n's single rate decay.</summary>
    Adam,

    /// <summary>L-BFGS (Gatys et al.'s choice): one quasi-Newton step per iteration, the learning rate unused.</summary>
    Lbfgs,
}

/// <summary>
/// Settings of style transfer and feature inversion (the CS231n losses, REFERENCE.md section 5). Learning rates are
/// stated in torchvision's normalised units and scaled by <see cref="InputSpace.Scale"/>; the TV weight is divided by
/// its square, so one setting means the same on any preprocessing.
/// </summary>
public sealed record StyleTransferOptions
{
    /// <summary>The layer whose features the result must keep from the content image.</summary>
    public required string ContentLayer { get; init; }

    /// <summary>The content loss weight.</summary>
    public double ContentWeight { get; init; } = 5e-2;

    /// <summary>The layers whose Gram matrices the result must take from the style image (none for feature inversion).</summary>
    public IReadOnlyList<string> StyleLayers { get; init; } = [];

    /// <summary>One weight per style layer.</summary>
    public IReadOnlyList<double> StyleWeights { get; init; } = [];

    /// <summary>The total-variation weight.</summary>
    public double TvWeight { get; init; } = 5e-2;

    /// <summary>Optimisation steps.</summary>
    public int Iterations { get; init; } = 200;

    /// <summary>
    /// Adam's learning rate. CS231n uses 3.0; Gaze's default is 1.0, which lowered the total loss further on
    /// SqueezeNet (92% against 88% in 200 steps) and keeps more of the content.
    /// </summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>The learning rate after <see cref="DecayAt"/>.</summary>
    public double DecayedLearningRate { get; init; } = 0.1;

    /// <summary>The step from which <see cref="DecayedLearningRate"/> applies; null for 90% of <see cref="Iterations"/> (CS231n: 180 of 200).</summary>
    public int? DecayAt { get; init; }

    /// <summary>The optimiser.</summary>
    public StyleOptimizer Optimizer { get; init; } = StyleOptimizer.Adam;

    /// <summary>Start from seeded noise instead of the content image (feature inversion).</summary>
    public bool StartFromNoise { get; init; }

    /// <summary>The seed of the starting noise.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// CS231n's SqueezeNet settings by the Caffe2 file's tensor names (REFERENCE.md section 5): content
    /// <c>fire2/concat_1</c>, style <c>conv1_2</c>, <c>fire3/concat_1</c>, <c>fire4/concat_1</c>,
    /// <c>fire5/concat_1</c>, or null for a model without those tensors. CS231n's style weights (20000, 500, 12, 1)
    /// were set for torchvision's SqueezeNet; on this file, with features divided by the input scale, the style term
    /// comes out about 300 times weaker, so the weights are those times 300 to keep CS231n's balance.
    /// </summary>
    public static StyleTransferOptions? ForSqueezeNet(IReadOnlyCollection<string> tensorNames)
    {
        string[] style = ["conv1_2", "fire3/concat_1", "fire4/concat_1", "fire5/concat_1"];
        const string content = "fire2/concat_1";
        return style.Append(content).All(tensorNames.Contains)
            ? new StyleTransferOptions { ContentLayer = content, StyleLayers = style, StyleWeights = [6_000_000, 150_000, 3_600, 300] }
            : null;
    }

    /// <summary>The content layer and the style layers, each once.</summary>
    public IReadOnlyList<string> Layers() => [.. new[] { ContentLayer }.Concat(StyleLayers).Distinct()];

    /// <summary>The step at which the rate decays.</summary>
    public int DecayStep => DecayAt ?? (int)Math.Round(0.9 * Iterations);

    /// <summary>Checks every value.</summary>
    /// <exception cref="InvalidOptionException">A value out of range, naming its option.</exception>
    public StyleTransferOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(ContentLayer)) throw new InvalidOptionException("--content-layer", "no layer given");
        SynthesisChecks.NotNegative(ContentWeight, "--content-weight");
        if (StyleWeights.Count != StyleLayers.Count)
        {
            throw new InvalidOptionException("--style-weights", $"{StyleWeights.Count} weight(s) for {StyleLayers.Count} style layer(s); give one per layer");
        }
        foreach (double weight in StyleWeights) SynthesisChecks.NotNegative(weight, "--style-weights");
        SynthesisChecks.NotNegative(TvWeight, "--tv-weight");
        SynthesisChecks.Positive(Iterations, "--iterations");
        SynthesisChecks.Positive(LearningRate, "--learning-rate");
        SynthesisChecks.Positive(DecayedLearningRate, "--learning-rate");
        SynthesisChecks.NotNegative(Seed, "--seed");
        return this;
    }
}
