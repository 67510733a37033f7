using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Grad-CAM++ (Chattopadhay et al., "Grad-CAM++: Improved Visual Explanations for Deep Convolutional
/// Networks", WACV 2018), in its closed form for an exponential score:
/// alpha = G^2 / (2 G^2 + sum_(h,w) A_k * G^3 + 1e-6) (0 where G = 0), w_k = sum_(h,w) ReLU(G) * alpha.
/// </summary>
public sealed class GradCamPlusPlus : ChannelWeightedCam
{
    /// <inheritdoc />
    public override string Name => "gradcam++";

    /// <inheritdoc />
    public override Tensor ChannelWeights(LayerSignals signals)
    {
        using var scope = NewDisposeScope();
        Tensor g = signals.RequireGradients();
        Tensor g2 = g.pow(2);
        Tensor g3 = g2 * g;
        Tensor activationSums = signals.Activations.sum([2, 3], keepdim: true);
        Tensor alpha = g2 / (2 * g2 + activationSums * g3 + 1e-6);
        alpha = where(g.ne(0), alpha, zeros_like(alpha));
        return (nn.functional.relu(g) * alpha).sum([2, 3]).MoveToOuterDisposeScope();
    }
}
