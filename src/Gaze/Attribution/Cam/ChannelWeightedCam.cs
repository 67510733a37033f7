using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>A CAM whose map is sum_k w_k A_k with one weight per channel and image.</summary>
public abstract class ChannelWeightedCam : CamMethod
{
    /// <summary>The channel weights w [N,K].</summary>
    public abstract Tensor ChannelWeights(LayerSignals signals);

    /// <summary>
    /// Weights computed one image at a time without gradients, for perturbation methods whose cost is per image:
    /// <paramref name="weightsOf"/> gets the image's index and target class and returns its weights [K].
    /// </summary>
    protected static Tensor PerImage(LayerSignals signals, Func<int, int, Tensor> weightsOf)
    {
        using var noGrad = no_grad();
        long n = signals.Activations.shape[0];
        var weights = new Tensor[n];
        for (int image = 0; image < n; image++) weights[image] = weightsOf(image, signals.Targets[image]);
        return stack(weights);
    }

    /// <inheritdoc />
    protected override Tensor WeightedActivations(LayerSignals signals) =>
        ChannelWeights(signals).unsqueeze(-1).unsqueeze(-1) * signals.Activations;
}
