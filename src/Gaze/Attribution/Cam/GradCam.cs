using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Grad-CAM (Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
/// Localization", ICCV 2017): w_k = mean over (h,w) of G_k.
/// </summary>
public sealed class GradCam : ChannelWeightedCam
{
    /// <inheritdoc />
    public override string Name => "gradcam";

    /// <inheritdoc />
    public override Tensor ChannelWeights(LayerSignals signals) => signals.RequireGradients().mean([2, 3]);
}
