using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// SmoothGrad (Smilkov, Thorat, Kim, Viégas and Wattenberg, "SmoothGrad: removing noise by adding noise", 2017): the
/// mean of the input gradients at noisy copies x + N(0, σ²) of the image, σ = noise level × (max(x) − min(x));
/// averaging removes the gradient's sharp local fluctuations that make plain saliency maps speckled. Captum's
/// <c>NoiseTunnel(Saliency, nt_type="smoothgrad")</c> with signed gradients; the heatmap is the largest magnitude over
/// channels.
/// </summary>
public sealed class SmoothGrad : NoisyGradients
{
    /// <summary>SmoothGrad with the defaults: 50 samples at noise level 0.15, seed 0.</summary>
    public SmoothGrad() : this(DefaultSamples, DefaultNoise, 0) { }

    private SmoothGrad(int samples, double noise, int seed) : base(samples, noise, seed) { }

    /// <inheritdoc />
    public override string Name => "smoothgrad";

    /// <inheritdoc />
    public override string Summary => "SmoothGrad: gradients averaged over noisy copies of the input (Smilkov et al., 2017)";

    private protected override NoisyGradients With(int samples, double noise, int seed) => new SmoothGrad(samples, noise, seed);

    private protected override Tensor Reduce(Tensor mean, Tensor variance) => mean;
}
