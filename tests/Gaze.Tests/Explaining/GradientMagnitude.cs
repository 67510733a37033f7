using Gaze.Attribution;
using static TorchSharp.torch;

namespace Gaze.Tests.Explaining;

/// <summary>
/// The example of "a new method is one file plus one registry line" (test-only, not shipped): the largest absolute
/// input gradient over channels, min-max normalised, as in Simonyan et al., "Deep Inside Convolutional Networks",
/// ICLR Workshops 2014.
/// </summary>
public sealed class GradientMagnitude : AttributionMethod
{
    /// <inheritdoc />
    public override string Name => "gradient-magnitude";

    /// <inheritdoc />
    public override string Summary => "Example: max over channels of |dScore/dx| (Simonyan et al., 2014)";

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputGradients;

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        using var scope = NewDisposeScope();
        var (scores, resolved, gradients) = context.InputGradients(input, targets);
        Tensor map = gradients.abs().amax([1]);
        Tensor flat = map.flatten(1);
        Tensor low = flat.amin([1]).reshape(-1, 1, 1);
        Tensor high = flat.amax([1]).reshape(-1, 1, 1);
        Tensor heatmaps = (map - low) / (high - low + 1e-7);
        return new Explanation(heatmaps.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope(), resolved)
        {
            Attributions = gradients.MoveToOuterDisposeScope(),
        };
    }
}
