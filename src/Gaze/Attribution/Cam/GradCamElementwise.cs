using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Grad-CAM element-wise (pytorch-grad-cam's variant of HiResCAM): map = sum_k ReLU(G_k * A_k), so channels
/// with negative evidence at a position cannot cancel positive ones.
/// </summary>
public sealed class GradCamElementwise : CamMethod
{
    /// <inheritdoc />
    public override string Name => "gradcam-elementwise";

    /// <inheritdoc />
    protected override Tensor WeightedActivations(LayerSignals signals) =>
        nn.functional.relu(signals.RequireGradients() * signals.Activations);
}
