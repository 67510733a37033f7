using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Imaging;

/// <summary>A Gaussian blur of image tensors, for blurred baselines and the regularisation of synthesised images.</summary>
public static class GaussianBlur
{
    /// <summary>
    /// <paramref name="input"/> (NCHW) blurred per channel with a Gaussian of <paramref name="sigma"/> pixels, as two
    /// one-dimensional convolutions; the border is replicated, which works for inputs of any size (reflection needs
    /// the image to be wider than the kernel's radius).
    /// </summary>
    public static Tensor Apply(Tensor input, double sigma)
    {
        using var scope = NewDisposeScope();
        int radius = (int)Math.Ceiling(3 * sigma);
        double[] taps = Enumerable.Range(-radius, 2 * radius + 1).Select(i => Math.Exp(-0.5 * i * i / (sigma * sigma))).ToArray();
        double total = taps.Sum();
        long channels = input.shape[1];
        Tensor kernel = tensor(taps.Select(t => t / total).ToArray(), ScalarType.Float64).to(input.dtype);
        Tensor horizontal = kernel.view(1, 1, 1, -1).expand(channels, 1, 1, -1).contiguous();
        Tensor vertical = kernel.view(1, 1, -1, 1).expand(channels, 1, -1, 1).contiguous();
        Tensor padded = nn.functional.pad(input, [radius, radius, radius, radius], PaddingModes.Replicate);
        Tensor rows = nn.functional.conv2d(padded, horizontal, groups: channels);
        return nn.functional.conv2d(rows, vertical, groups: channels).MoveToOuterDisposeScope();
    }
}
