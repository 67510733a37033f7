using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>A CAM whose map is sum_k w_k A_k with one weight per channel and image.</summary>
public abstract class ChannelWeightedCam : CamMethod
{
    /// <summary>The channel weights w [N,K].</summary>
    public abstract Tensor ChannelWeights(LayerSignals signals);

    /// <inheritdoc />
    protected override Tensor WeightedActivations(LayerSignals signals) =>
        ChannelWeights(signals).unsqueeze(-1).unsqueeze(-1) * signals.Activations;
}
