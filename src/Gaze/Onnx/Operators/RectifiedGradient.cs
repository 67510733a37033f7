using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// The identity, whose backward pass keeps only the positive part of the gradient. Put after a plain ReLU it makes
/// guided backpropagation in two passes over the gradient (this one and libtorch's fused ReLU backward), where a
/// general <see cref="HookedRelu"/> needs four.
/// </summary>
internal sealed class RectifiedGradient : autograd.SingleTensorFunction<RectifiedGradient>
{
    /// <inheritdoc />
    public override string Name => "GazeRectifiedGradient";

    /// <summary><paramref name="x"/>, unchanged; its gradient comes back rectified.</summary>
    public static Tensor Apply(Tensor x) => apply(x);

    /// <inheritdoc />
    // The same storage, returned detached: an alias would be an autograd view, which libtorch tracks at a cost that
    // doubled the whole pass at batch 1.
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).detach();

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) => [grad_output.clamp_min(0)];
}
