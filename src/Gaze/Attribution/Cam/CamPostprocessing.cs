using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Turns raw CAM maps into heatmaps the way pytorch-grad-cam does: per image, subtract the minimum and divide by
/// (maximum + 1e-7); resize bilinearly (half-pixel centres) to the input size; then the layers' maps (one or
/// more) are averaged and normalised again.
/// </summary>
public static class CamPostprocessing
{
    private const double Epsilon = 1e-7;

    /// <summary>Scales each map of [N,H,W] to [0,1].</summary>
    public static Tensor Normalize(Tensor maps)
    {
        using var scope = NewDisposeScope();
        Tensor flat = maps.flatten(1);
        Tensor shifted = flat - flat.amin([1], keepdim: true);
        return (shifted / (shifted.amax([1], keepdim: true) + Epsilon)).reshape(maps.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Bilinear resize of [N,h,w] maps to [N,height,width].</summary>
    public static Tensor Resize(Tensor maps, long height, long width)
    {
        if (maps.shape[1] == height && maps.shape[2] == width) return maps.alias();
        using var scope = NewDisposeScope();
        return nn.functional.interpolate(maps.unsqueeze(1), [height, width], mode: InterpolationMode.Bilinear, align_corners: false)
            .squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The heatmaps [N,height,width] in [0,1] from the raw maps of one or several layers (each [N,h_l,w_l]).
    /// </summary>
    public static Tensor Heatmaps(IReadOnlyList<Tensor> rawMapsPerLayer, long height, long width)
    {
        if (rawMapsPerLayer.Count == 0) throw new ArgumentException("at least one layer's map is needed", nameof(rawMapsPerLayer));
        using var scope = NewDisposeScope();
        Tensor[] scaled = rawMapsPerLayer
            .Select(raw => Resize(Normalize(nn.functional.relu(raw)), height, width))
            .ToArray();
        // Like the reference, normalise again after averaging, even for one layer (resizing moves the extremes).
        return Normalize(nn.functional.relu(stack(scaled).mean([0]))).MoveToOuterDisposeScope();
    }
}
