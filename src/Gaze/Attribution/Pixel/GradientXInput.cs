using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// Gradient x Input (Shrikumar et al., "Not Just a Black Box", 2016): x * dS/dx, each input value's first-order
/// contribution to the score (Captum's <c>InputXGradient</c>). For a linear model it is exactly each term of the sum.
/// </summary>
public sealed class GradientXInput : AttributionMethod
{
    /// <inheritdoc />
    public override string Name => "gradient-x-input";

    /// <inheritdoc />
    public override string Summary => "Gradient x Input: input times dScore/dinput (Shrikumar et al., 2016)";

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputGradients;

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        var (scores, resolved, gradients) = context.InputGradients(input, targets);
        using (gradients) return PixelMaps.Explanation(gradients * input, scores, resolved);
    }
}
