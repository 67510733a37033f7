using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// VarGrad (Adebayo, Gilmer, Goodfellow and Kim, "Local Explanation Methods for Deep Neural Networks Lack
/// Sensitivity to Parameter Values", ICLR Workshops 2018; also in "Sanity Checks for Saliency Maps", NeurIPS 2018): the
/// variance of the input gradients at SmoothGrad's noisy copies x + N(0, σ²), E[g²] − E[g]² per input value, as
/// Captum's <c>NoiseTunnel(nt_type="vargrad")</c> computes it.
/// </summary>
public sealed class VarGrad : NoisyGradients
{
    /// <summary>VarGrad with the defaults: 50 samples at noise level 0.15, seed 0.</summary>
    public VarGrad() : this(DefaultSamples, DefaultNoise, 0) { }

    private VarGrad(int samples, double noise, int seed) : base(samples, noise, seed) { }

    /// <inheritdoc />
    public override string Name => "vargrad";

    /// <inheritdoc />
    public override string Summary => "VarGrad: variance of the gradients over noisy copies of the input (Adebayo et al., 2018)";

    /// <summary>A variance needs two samples: one would give zero everywhere.</summary>
    private protected override int MinimumSamples => 2;

    private protected override NoisyGradients With(int samples, double noise, int seed) => new VarGrad(samples, noise, seed);

    private protected override Tensor Reduce(Tensor mean, Tensor variance) => variance;
}
