using static TorchSharp.torch;

namespace Gaze.Evaluation.Faithfulness;

/// <summary>The checks every faithfulness metric makes of its image, heatmap and options before any forward pass.</summary>
internal static class FaithfulnessArguments
{
    /// <summary>
    /// The channels, height and width of <paramref name="input"/>, one image [1,C,H,W], after checking that
    /// <paramref name="heatmap"/> is [H,W] and <paramref name="baseline"/> (when given) has the input's shape.
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The target is negative.</exception>
    public static (int Channels, int Height, int Width) Check(Tensor input, Tensor heatmap, int target, Tensor? baseline = null)
    {
        if (input.dim() != 4 || input.shape[0] != 1)
            throw new ArgumentException($"expected one image [1,C,H,W], got [{string.Join(",", input.shape)}]", nameof(input));
        long height = input.shape[2], width = input.shape[3];
        if (heatmap.dim() != 2 || heatmap.shape[0] != height || heatmap.shape[1] != width)
            throw new ArgumentException($"expected a heatmap [{height},{width}] at the input's size, got [{string.Join(",", heatmap.shape)}]", nameof(heatmap));
        if (baseline is not null && !baseline.shape.SequenceEqual(input.shape))
            throw new ArgumentException($"expected a baseline of the input's shape [{string.Join(",", input.shape)}], got [{string.Join(",", baseline.shape)}]", nameof(baseline));
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        return ((int)input.shape[1], (int)height, (int)width);
    }
}
