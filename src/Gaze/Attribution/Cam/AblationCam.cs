using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Ablation-CAM (Desai and Ramaswamy, "Ablation-CAM: Visual Explanation for Deep Convolutional Network via
/// Gradient-free Localization", WACV 2020): w_k = (s - s_k) / s, where s is the target's score and s_k the score
/// with channel k ablated. Follows pytorch-grad-cam: the channel is set to 0 when the layer's minimum is 0, and
/// to (minimum - 1e7) otherwise. Only the network after the layer runs again, batched over channels.
/// </summary>
public sealed class AblationCam : ChannelWeightedCam
{
    private const double AblationOffset = 1e7;

    /// <inheritdoc />
    public override string Name => "ablationcam";

    /// <inheritdoc />
    public override CamSignals Needs => CamSignals.LayerScoring;

    /// <inheritdoc />
    public override Tensor ChannelWeights(LayerSignals signals)
    {
        LayerScoring scoring = signals.RequireLayerScoring();
        return PerImage(signals, (image, target) =>
        {
            Tensor original = scoring.OriginalScores[image];
            return (original - AblatedScores(signals.Activations[image], scoring, image, target)) / original;
        });
    }

    /// <summary>The target's score with each channel ablated in turn [K].</summary>
    private static Tensor AblatedScores(Tensor layer, LayerScoring scoring, int image, int target)
    {
        using var scope = NewDisposeScope();
        long k = layer.shape[0];
        float minimum = layer.min().item<float>();
        float ablationValue = minimum == 0 ? 0f : (float)(minimum - AblationOffset);
        var scores = new List<Tensor>();
        for (long start = 0; start < k; start += scoring.BatchSize)
        {
            using var batchScope = NewDisposeScope();
            long count = Math.Min(scoring.BatchSize, k - start);
            Tensor copies = layer.unsqueeze(0).repeat(count, 1, 1, 1);                       // [B,K,H,W]
            for (long b = 0; b < count; b++) copies[b, start + b].fill_(ablationValue); // copy b ablates channel start + b
            scores.Add(scoring.Score(image, copies, target).MoveToOuterDisposeScope());
        }
        return cat(scores).MoveToOuterDisposeScope();
    }
}
