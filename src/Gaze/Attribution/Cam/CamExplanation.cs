using Gaze.Imaging;
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

    /// <summary>Image <paramref name="index"/>'s heatmap carried back onto its source image (see <see cref="HeatmapProjection"/>).</summary>
    public Heatmap SourceHeatmap(int index, InputGeometry geometry) => HeatmapProjection.ToSource(ToHeatmap(Heatmaps[index]), geometry);

    /// <summary>Image <paramref name="index"/>'s raw map of layer <paramref name="layer"/>, at the layer's resolution.</summary>
    public Heatmap RawMap(int index, int layer = 0) => ToHeatmap(RawMaps[layer][index]);

    private static Heatmap ToHeatmap(Tensor map) =>
        new((int)map.shape[1], (int)map.shape[0], map.to(ScalarType.Float32).contiguous().data<float>().ToArray());

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (Tensor raw in RawMaps) raw.Dispose();
        Heatmaps.Dispose();
    }
}
