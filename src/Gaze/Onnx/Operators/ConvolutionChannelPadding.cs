using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// Works around wrong input gradients from libtorch's oneDNN convolutions. When a convolution's output channel
/// count is not a multiple of 16 (the channel block of oneDNN's AVX-512 kernels), its backward pass reads memory it
/// never wrote, presumably the block's padding lanes, so the input gradient picks up whatever freed memory held:
/// NaN or silently wrong values, differing from run to run (seen with libtorch 2.10 on an AVX-512 CPU for 3x3 and
/// 5x5 kernels, e.g. the MNIST model's 8-channel first layer). The forward pass is not affected. In runs that record
/// gradients, the weights get zero output channels up to a multiple of 16 and the extra outputs are cut off again;
/// the zero channels' gradient is zero, so the result is exactly the convolution's gradient.
/// </summary>
internal static class ConvolutionChannelPadding
{
    /// <summary>The widest channel block of oneDNN's float32 CPU kernels; smaller blocks divide it.</summary>
    private const long Block = 16;

    /// <summary>
    /// True when the convolution will be differentiated through and its output channels do not fill whole blocks.
    /// Grouped convolutions are left alone: none of the tested grouped or depthwise shapes showed the fault.
    /// </summary>
    public static bool Needed(Tensor x, Tensor w, long groups) =>
        groups == 1 && w.shape[0] % Block != 0 && is_grad_enabled() && (x.requires_grad || w.requires_grad);

    /// <summary>Weights [O,...] and bias [O] with zero output channels appended up to a multiple of the block.</summary>
    public static (Tensor Weight, Tensor? Bias) Pad(Tensor w, Tensor? b)
    {
        long extra = Block - w.shape[0] % Block;
        var weightShape = (long[])w.shape.Clone();
        weightShape[0] = extra;
        var weight = cat([w, zeros(weightShape, w.dtype, w.device)], 0);
        var bias = b is null ? null : cat([b, zeros([extra], b.dtype, b.device)], 0);
        return (weight, bias);
    }
}
