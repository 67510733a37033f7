using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Eigen-CAM (Muhammad and Yeasin, "Eigen-CAM: Class Activation Map using Principal Components", IJCNN 2020):
/// the activations projected onto their first principal component; class-agnostic and gradient-free.
/// </summary>
public sealed class EigenCam : CamMethod
{
    /// <inheritdoc />
    public override string Name => "eigencam";

    /// <inheritdoc />
    public override CamSignals Needs => CamSignals.None;

    /// <inheritdoc />
    protected override bool AlwaysProjects => true;

    /// <inheritdoc />
    protected override Tensor WeightedActivations(LayerSignals signals) => signals.Activations;
}
