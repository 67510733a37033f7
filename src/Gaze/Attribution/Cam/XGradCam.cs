using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// XGrad-CAM (Fu et al., "Axiom-based Grad-CAM: Towards Accurate Visualization and Explanation of CNNs",
/// BMVC 2020): w_k = sum_(h,w) G_k A_k / (sum_(h,w) A_k + 1e-7).
/// </summary>
public sealed class XGradCam : ChannelWeightedCam
{
    /// <inheritdoc />
    public override string Name => "xgradcam";

    /// <inheritdoc />
    public override Tensor ChannelWeights(LayerSignals signals)
    {
        using var scope = NewDisposeScope();
        Tensor a = signals.Activations;
        Tensor activationSums = a.sum([2, 3], keepdim: true);
        return (signals.RequireGradients() * a / (activationSums + 1e-7)).sum([2, 3]).MoveToOuterDisposeScope();
    }
}
