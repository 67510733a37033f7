using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// The signed gradient of the target score with respect to the input, dS/dx (Simonyan et al., ICLR Workshops 2014):
/// the raw signal saliency takes the magnitude of.
/// </summary>
public sealed class Gradient : AttributionMethod
{
    /// <inheritdoc />
    public override string Name => "gradient";

    /// <inheritdoc />
    public override string Summary => "Gradient: the signed dScore/dinput (Simonyan et al., ICLRW 2014)";

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputGradients;

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        var (scores, resolved, gradients) = context.InputGradients(input, targets);
        return PixelMaps.Explanation(gradients, scores, resolved);
    }
}
