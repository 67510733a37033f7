using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// ReLU (or Clip(0, upper)) as a custom autograd function whose backward pass is a caller's
/// <see cref="ReluBackwardHook"/>. Used only in runs that set a hook and need gradients; otherwise the plain
/// libtorch op runs.
/// </summary>
internal sealed class HookedRelu : autograd.SingleTensorFunction<HookedRelu>
{
    /// <inheritdoc />
    public override string Name => "GazeHookedRelu";

    /// <summary>Applies the unit to <paramref name="x"/> with <paramref name="hook"/> as its backward pass.</summary>
    public static Tensor Apply(Tensor x, ReluBackwardHook hook, double upper)
    {
        // The shipped rules take shorter routes over the same arithmetic: guided backpropagation through a plain ReLU
        // is that ReLU's own backward of the rectified gradient, and the deconvnet rule never needs the input.
        if (ReferenceEquals(hook, ReluBackward.Guided) && double.IsPositiveInfinity(upper)) return RectifiedGradient.Apply(x.relu());
        return apply(x, hook, upper);
    }

    /// <inheritdoc />
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        double upper = (double)vars[2];
        ctx.save_for_backward([x]);
        ctx.save_data("hook", vars[1]);
        ctx.save_data("upper", upper);
        return double.IsPositiveInfinity(upper) ? x.relu() : x.clamp(0, upper);
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var hook = (ReluBackwardHook)ctx.get_data("hook");
        if (ReferenceEquals(hook, ReluBackward.Deconvnet)) return [grad_output.clamp_min(0), null!, null!];
        var x = ctx.get_saved_variables()[0];
        double upper = (double)ctx.get_data("upper");
        var active = x.gt(0);
        if (!double.IsPositiveInfinity(upper)) active.logical_and_(x.lt(upper));
        var standard = grad_output.mul(active);
        var gradInput = hook(x, grad_output, standard);
        // One entry per forward argument; the hook and the bound are not tensors.
        return [gradInput, null!, null!];
    }
}
