using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// EigenGrad-CAM (pytorch-grad-cam's class-discriminative Eigen-CAM): the first principal component of G * A.
/// </summary>
public sealed class EigenGradCam : CamMethod
{
    /// <inheritdoc />
    public override string Name => "eigengradcam";

    /// <inheritdoc />
    protected override bool AlwaysProjects => true;

    /// <inheritdoc />
    protected override Tensor WeightedActivations(LayerSignals signals) => signals.RequireGradients() * signals.Activations;
}
