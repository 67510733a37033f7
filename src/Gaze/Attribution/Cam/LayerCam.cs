using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// LayerCAM (Jiang et al., "LayerCAM: Exploring Hierarchical Class Activation Maps for Localization",
/// IEEE TIP 2021): map = ReLU(sum_k ReLU(G_k) * A_k), position-wise weights from positive gradients only.
/// </summary>
public sealed class LayerCam : CamMethod
{
    /// <inheritdoc />
    public override string Name => "layercam";

    /// <inheritdoc />
    protected override Tensor WeightedActivations(LayerSignals signals) =>
        nn.functional.relu(signals.RequireGradients()) * signals.Activations;
}
