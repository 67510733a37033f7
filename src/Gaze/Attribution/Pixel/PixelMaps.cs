using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// What pixel methods share after their math: turning attributions [N,C,H,W] into heatmaps [N,H,W] in [0,1] and
/// wrapping both into an <see cref="Explanation"/>.
/// </summary>
public static class PixelMaps
{
    /// <summary>
    /// The share of pixels below the value a heatmap is scaled by: pixel attributions are spiky, and scaling by the
    /// maximum would leave all but a few pixels black (Captum's visualiser clips 2% for the same reason).
    /// </summary>
    public const double ClipQuantile = 0.995;

    /// <summary>Per pixel the largest magnitude over channels (the saliency map of Simonyan et al.), scaled into [0,1].</summary>
    public static Tensor Magnitude(Tensor attributions)
    {
        using var scope = NewDisposeScope();
        return Scale(attributions.abs().amax([1])).MoveToOuterDisposeScope();
    }

    /// <summary>Per pixel the positive part of the mean over channels (score drops, mask weights), scaled into [0,1].</summary>
    public static Tensor Positive(Tensor attributions)
    {
        using var scope = NewDisposeScope();
        return Scale(attributions.mean([1]).clamp_min(0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Per pixel the mean over channels above the image's smallest, scaled into [0,1]: for maps that are positive
    /// everywhere with a floor that carries no information (RISE's expected score of masks that keep a pixel by
    /// chance), shown from their minimum as the RISE paper shows its maps.
    /// </summary>
    public static Tensor AboveFloor(Tensor attributions)
    {
        using var scope = NewDisposeScope();
        Tensor maps = attributions.mean([1]);
        return Scale(maps - maps.flatten(1).amin([1]).reshape(-1, 1, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>The explanation of a pixel method whose heatmaps are <see cref="Magnitude"/> of its attributions.</summary>
    /// <param name="attributions">[N,C,H,W] in the input tensor's space; the explanation takes them over.</param>
    /// <param name="scores">[N,classes] of the forward pass on the unmodified input; taken over.</param>
    /// <param name="targets">The class explained for each image.</param>
    /// <param name="figures">Per-image figures (e.g. Integrated Gradients' completeness gap), or null.</param>
    /// <param name="heatmaps">The heatmaps when not <see cref="Magnitude"/>; taken over.</param>
    public static Explanation Explanation(Tensor attributions, Tensor scores, IReadOnlyList<int> targets,
        IReadOnlyDictionary<string, IReadOnlyList<double>>? figures = null, Tensor? heatmaps = null) =>
        new(heatmaps ?? Magnitude(attributions), scores, targets)
        {
            Attributions = attributions,
            Figures = figures ?? new Dictionary<string, IReadOnlyList<double>>(),
        };

    /// <summary>Divides each non-negative map [N,H,W] by its <see cref="ClipQuantile"/> quantile and clips to [0,1].</summary>
    private static Tensor Scale(Tensor maps)
    {
        Tensor flat = maps.flatten(1);
        long k = Math.Max(1, (long)Math.Ceiling(ClipQuantile * flat.shape[1]));
        // The k-th smallest value as the smallest of the top n - k + 1: libtorch's topk is ten times faster than its
        // kthvalue here, and this runs for every image of every pixel method.
        Tensor high = flat.topk((int)(flat.shape[1] - k + 1), 1).values.amin([1]).clamp_min(1e-30).reshape(-1, 1, 1);
        return (maps / high).clamp(0, 1);
    }
}
