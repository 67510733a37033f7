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
    public override bool NeedsGradients => false;

    /// <inheritdoc />
    public override Tensor ChannelWeights(LayerSignals signals)
    {
        InputScoring scoring = signals.RequireScoring();
        Tensor activations = signals.Activations;
        long n = activations.shape[0], k = activations.shape[1];
        long height = scoring.Input.shape[2], width = scoring.Input.shape[3];
        var weights = new Tensor[n];
        using (no_grad())
        {
            for (long image = 0; image < n; image++)
            {
                var scores = new List<Tensor>();
                for (long start = 0; start < k; start += scoring.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    long count = Math.Min(scoring.BatchSize, k - start);
                    Tensor channels = activations[image].narrow(0, start, count).unsqueeze(1);          // [B,1,h,w]
                    Tensor masks = nn.functional.interpolate(channels, [height, width], mode: InterpolationMode.Bilinear, align_corners: true);
                    Tensor flat = masks.flatten(1);
                    Tensor low = flat.amin([1]).reshape(count, 1, 1, 1);
                    Tensor high = flat.amax([1]).reshape(count, 1, 1, 1);
                    masks = (masks - low) / (high - low + 1e-8);
                    Tensor masked = scoring.Input[image].unsqueeze(0) * masks;                            // [B,C,H,W]
                    scores.Add(scoring.Score(masked, scoring.Targets[(int)image]).MoveToOuterDisposeScope());
                }
                weights[image] = softmax(cat(scores), 0);
            }
        }
        return stack(weights);
    }
}
