using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// HiResCAM (Draelos and Carin, "Use HiResCAM instead of Grad-CAM for faithful explanations of convolutional
/// neural networks", 2020): map = ReLU(sum_k G_k * A_k), the gradient kept per position instead of averaged.
/// </summary>
public sealed class HiResCam : CamMethod
{
    /// <inheritdoc />
    public override string Name => "hirescam";

    /// <inheritdoc />
    protected override Tensor WeightedActivations(LayerSignals signals) => signals.RequireGradients() * signals.Activations;
}
