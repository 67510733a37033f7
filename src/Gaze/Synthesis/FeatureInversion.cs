using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// Feature inversion (Mahendran and Vedaldi, "Understanding Deep Image Representations by Inverting Them", CVPR 2015):
/// the image, grown from noise, whose features at one layer match the original's, under a total-variation prior;
/// <see cref="StyleTransfer"/> without style layers.
/// </summary>
public static class FeatureInversion
{
    /// <summary>Reconstructs <paramref name="image"/> [1,C,H,W] from its features at <see cref="StyleTransferOptions.ContentLayer"/>.</summary>
    /// <exception cref="Errors.InvalidOptionException">An option out of range.</exception>
    /// <exception cref="Errors.UnknownLayerException">A layer the model does not have.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static SynthesisResult Run(SynthesisNetwork network, Tensor image, StyleTransferOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default) =>
        StyleTransfer.Run(network, image, null, options with { StyleLayers = [], StyleWeights = [], StartFromNoise = true }, progress, cancellationToken);

    /// <summary>‖F(x) − F(original)‖ / ‖F(original)‖ at <paramref name="layer"/>: how well x reproduces the features.</summary>
    public static double RelativeFeatureError(SynthesisNetwork network, Tensor x, Tensor original, string layer)
    {
        using var scope = NewDisposeScope();
        Tensor a = network.Features(x, [layer])[layer], b = network.Features(original, [layer])[layer];
        return ((a - b).norm() / b.norm()).to(ScalarType.Float64).item<double>();
    }
}
