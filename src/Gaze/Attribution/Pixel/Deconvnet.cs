using Gaze.Onnx.Operators;
using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// The deconvnet (Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014), as a
/// backward pass (Captum's <c>Deconvolution</c>): the input gradient of the target score with every ReLU's backward
/// pass replaced by a ReLU of the arriving gradient, whatever the sign of the ReLU's input in the forward pass.
/// Through ReLUs and convolutions the pass then no longer depends on the image; only the max-pooling switches (and
/// any other nonlinearity) still do. Hence its maps hardly depend on the target class: on SqueezeNet and
/// cat-and-dog.png the tabby's and the bull mastiff's put nearly the same shares on the cat and on the dog.
/// </summary>
/// <remarks>
/// The rule applies to every ONNX <c>Relu</c> and to every <c>Clip</c> whose lower bound is the constant 0 (ReLU6),
/// saturated or not; Captum hooks only <c>nn.ReLU</c> modules. LeakyRelu, PRelu and other activations keep their
/// ordinary backward pass.
/// </remarks>
public sealed class Deconvnet : AttributionMethod
{
    /// <inheritdoc />
    public override string Name => "deconvnet";

    /// <inheritdoc />
    public override string Summary => "Deconvnet: ReLUs pass the positive part of the gradient back (Zeiler and Fergus, ECCV 2014)";

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputGradients | MethodNeeds.ReluHooks;

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        var (scores, resolved, gradients) = context.InputGradients(input, targets, ReluBackward.Deconvnet);
        return PixelMaps.Explanation(gradients, scores, resolved);
    }
}
