using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// Saliency (Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks", ICLR Workshops 2014): the
/// magnitude of the target score's gradient with respect to the input, |dS/dx| (Captum's <c>Saliency(abs=True)</c>).
/// The heatmap is the largest magnitude over colour channels, as in CS231n.
/// </summary>
public sealed class Saliency : AttributionMethod
{
    /// <inheritdoc />
    public override string Name => "saliency";

    /// <inheritdoc />
    public override string Summary => "Saliency: |dScore/dinput|, max over channels (Simonyan et al., ICLRW 2014)";

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputGradients;

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        var (scores, resolved, gradients) = context.InputGradients(input, targets);
        using (gradients) return PixelMaps.Explanation(gradients.abs(), scores, resolved);
    }
}
