using Gaze.Imaging;
using static TorchSharp.torch;

namespace Gaze.Attribution;

/// <summary>What one method found for a batch of images and their targets.</summary>
public sealed class Explanation : IDisposable
{
    /// <summary>Wraps the tensors (the explanation owns and frees them).</summary>
    /// <param name="heatmaps">[N,H,W] in [0,1] at the input's spatial size.</param>
    /// <param name="scores">[N,classes], the pre-softmax scores of the method's forward pass on the unmodified input.</param>
    /// <param name="targets">The class explained for each image.</param>
    public Explanation(Tensor heatmaps, Tensor scores, IReadOnlyList<int> targets)
    {
        if (heatmaps.dim() != 3) throw new ArgumentException("heatmaps must be [N,H,W]", nameof(heatmaps));
        if (scores.shape[0] != heatmaps.shape[0] || targets.Count != heatmaps.shape[0])
            throw new ArgumentException($"{heatmaps.shape[0]} heatmaps, {scores.shape[0]} score rows and {targets.Count} targets");
        Heatmaps = heatmaps;
        Scores = scores;
        Targets = targets;
    }

    /// <summary>The heatmaps [N,H,W] in [0,1] at the input's spatial size.</summary>
    public Tensor Heatmaps { get; }

    /// <summary>The pre-softmax scores [N,classes] of the method's forward pass on the unmodified input.</summary>
    public Tensor Scores { get; }

    /// <summary>The class explained for each image.</summary>
    public IReadOnlyList<int> Targets { get; }

    /// <summary>
    /// Per target layer, the raw maps [N,h,w] at the layer's resolution (CAM methods: after the method's ReLU; Guided
    /// Grad-CAM: its Grad-CAM maps); empty for others.
    /// </summary>
    public IReadOnlyList<Tensor> RawMaps { get; init; } = [];

    /// <summary>Full attributions [N,C,H,W] in the input's space, for pixel methods; null otherwise.</summary>
    public Tensor? Attributions { get; init; }

    /// <summary>Extra figures per image by name (e.g. a completeness gap), for reports.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Figures { get; init; } = new Dictionary<string, IReadOnlyList<double>>();

    /// <summary>
    /// How the explanation was computed where that can differ between runs, one sentence each (e.g. which engine ran
    /// which part of the network for the gradients, and why it fell back); shown by <c>gaze explain --verbose</c>.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Image <paramref name="index"/>'s heatmap carried back onto its source image (see <see cref="HeatmapProjection"/>).</summary>
    public Heatmap SourceHeatmap(int index, InputGeometry geometry) => HeatmapProjection.ToSource(Heatmap.FromTensor(Heatmaps[index]), geometry);

    /// <summary>Image <paramref name="index"/>'s raw map of layer <paramref name="layer"/>, at the layer's resolution.</summary>
    public Heatmap RawMap(int index, int layer = 0) => Heatmap.FromTensor(RawMaps[layer][index]);

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (Tensor raw in RawMaps) raw.Dispose();
        Attributions?.Dispose();
        Heatmaps.Dispose();
        Scores.Dispose();
    }
}
