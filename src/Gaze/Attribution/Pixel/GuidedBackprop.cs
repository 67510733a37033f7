using Gaze.Onnx.Operators;
using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// Guided Backpropagation (Springenberg, Dosovitskiy, Brox and Riedmiller, "Striving for Simplicity: The All
/// Convolutional Net", ICLR Workshops 2015): the input gradient of the target score, with every ReLU's backward pass
/// letting through only positive gradients, and only where the ReLU's input was positive (Captum's
/// <c>GuidedBackprop</c>). Masking negative gradients keeps only what excites the target, which gives sharper
/// pictures than the plain gradient.
/// </summary>
/// <remarks>
/// The rule applies to every ONNX <c>Relu</c> and to every <c>Clip</c> whose lower bound is the constant 0 (ReLU6 and
/// friends), where "active" also requires the input to be below the upper bound. Captum hooks only <c>nn.ReLU</c>
/// modules, so on a network with ReLU6 the two differ. LeakyRelu, PRelu and other activations keep their ordinary
/// backward pass, as in Captum.
/// </remarks>
public sealed class GuidedBackprop : AttributionMethod
{
    /// <inheritdoc />
    public override string Name => "guided-backprop";

    /// <inheritdoc />
    public override string Summary => "Guided Backprop: only positive gradients through active ReLUs (Springenberg et al., ICLRW 2015)";

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputGradients | MethodNeeds.ReluHooks;

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        var (scores, resolved, gradients) = context.InputGradients(input, targets, ReluBackward.Guided);
        return PixelMaps.Explanation(gradients, scores, resolved);
    }
}
