using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>The maps of one CAM method for a batch of images and their targets.</summary>
public sealed class CamExplanation : IDisposable
{
    internal CamExplanation(IReadOnlyList<Tensor> rawMaps, Tensor heatmaps)
    {
        RawMaps = rawMaps;
        Heatmaps = heatmaps;
    }

    /// <summary>Per target layer, the raw maps [N,h,w] at the layer's resolution, after the method's ReLU.</summary>
    public IReadOnlyList<Tensor> RawMaps { get; }

    /// <summary>The heatmaps [N,H,W] in [0,1] at the input's spatial size.</summary>
    public Tensor Heatmaps { get; }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (Tensor raw in RawMaps) raw.Dispose();
        Heatmaps.Dispose();
    }
}
