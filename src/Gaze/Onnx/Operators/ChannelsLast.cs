using static TorchSharp.torch;

namespace Gaze.Onnx.Operators;

/// <summary>
/// 2-D convolutions run on channels-last tensors: logically still [N,C,H,W], stored as [N,H,W,C]. oneDNN's CPU
/// convolutions work in that order natively, whereas a plain NCHW tensor is reordered into a blocked format and back
/// on every call (measured on SqueezeNet and MobileNetV2: most of the convolutions' time). Every libtorch operator
/// honours strides, so the values are the same and only the speed changes; element-wise operators, pooling and
/// concatenation keep the layout, so it flows from one convolution to the next. TorchSharp 0.107 has no
/// memory_format argument, so the layout is made by permuting to NHWC, copying, and permuting back.
/// </summary>
internal static class ChannelsLast
{
    /// <summary>True when <paramref name="x"/> is a 4-D tensor stored channels-last (or has a single channel).</summary>
    public static bool Is(Tensor x) => x.dim() == 4 && (x.shape[1] == 1 || x.stride(1) == 1);

    /// <summary><paramref name="x"/> itself when already channels-last or not 4-D, else a channels-last copy.</summary>
    public static Tensor Of(Tensor x) => x.dim() != 4 || Is(x) ? x : x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
