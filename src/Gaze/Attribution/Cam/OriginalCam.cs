using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// CAM (Zhou et al., "Learning Deep Features for Discriminative Localization", CVPR 2016): the map of class c is
/// sum_k W[c,k] A_k, where W is the linear classifier that follows global average pooling of the layer. Needs a
/// network built that way (or a 1x1 convolution then pooling, as in SqueezeNet); neither gradients nor extra runs.
/// </summary>
public sealed class OriginalCam : ChannelWeightedCam
{
    /// <inheritdoc />
    public override string Name => "cam";

    /// <inheritdoc />
    public override CamSignals Needs => CamSignals.ClassifierWeights;

    /// <inheritdoc />
    public override Tensor ChannelWeights(LayerSignals signals)
    {
        Tensor weights = signals.RequireClassifierWeights();
        Tensor targets = tensor(signals.Targets.Select(t => (long)t).ToArray());
        return weights.index_select(0, targets);
    }
}
