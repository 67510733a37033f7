using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Score-CAM (Wang et al., "Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural Networks",
/// CVPR Workshops 2020): each channel, upsampled to the input size and min-max normalised, masks the input; the
/// target's scores of the masked inputs, softmaxed over channels, are the channel weights. Gradient-free.
/// Follows pytorch-grad-cam: corner-aligned bilinear upsampling, the normalised input tensor is masked.
/// </summary>
public sealed class ScoreCam : ChannelWeightedCam
{
    /// <inheritdoc />
    public override string Name => "scorecam";

    /// <inheritdoc />
    public override CamSignals Needs => CamSignals.InputScoring;

    /// <inheritdoc />
    public override Tensor ChannelWeights(LayerSignals signals)
    {
        InputScoring scoring = signals.RequireInputScoring();
        return PerImage(signals, (image, target) => softmax(MaskedScores(signals.Activations[image], scoring, image, target), 0));
    }

    /// <summary>The target's score of the input masked by each channel [K].</summary>
    private static Tensor MaskedScores(Tensor channels, InputScoring scoring, long image, int target)
    {
        using var scope = NewDisposeScope();
        long k = channels.shape[0], height = scoring.Input.shape[2], width = scoring.Input.shape[3];
        Tensor input = scoring.Input[image].unsqueeze(0);
        // A constant channel normalises to an all-zero mask, so all of them share the score of a zero input:
        // scoring it once is exact and skips the (often many) dead channels of a ReLU layer.
        Tensor flat = channels.flatten(1);
        Tensor varying = (flat.amax([1]) > flat.amin([1])).nonzero().squeeze(1);
        Tensor scores = scoring.Score(zeros_like(input), target).expand(k).clone();
        for (long start = 0; start < varying.shape[0]; start += scoring.BatchSize)
        {
            using var batchScope = NewDisposeScope();
            Tensor index = varying.narrow(0, start, Math.Min(scoring.BatchSize, varying.shape[0] - start));
            Tensor masks = nn.functional.interpolate(channels.index_select(0, index).unsqueeze(1), [height, width],
                mode: InterpolationMode.Bilinear, align_corners: true);                                    // [B,1,H,W]
            Tensor maskFlat = masks.flatten(1);
            Tensor low = maskFlat.amin([1]).reshape(-1, 1, 1, 1);
            Tensor high = maskFlat.amax([1]).reshape(-1, 1, 1, 1);
            masks = (masks - low) / (high - low + 1e-8);
            scores.index_copy_(0, index, scoring.Score(input * masks, target));
        }
        return scores.MoveToOuterDisposeScope();
    }
}
