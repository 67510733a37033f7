using static TorchSharp.torch;

namespace Gaze.Evaluation.Faithfulness;

/// <summary>
/// The change in the target's confidence when the input is multiplied by the heatmap: p(x ⊙ h) − p(x), the heatmap
/// broadcast over the channels and taken as given (pytorch-grad-cam's <c>CamMultImageConfidenceChange</c>, in
/// pytorch_grad_cam/metrics/cam_mult_image.py, whose CAMs lie in [0, 1]). The product is taken in the model's input
/// tensor space, so a heatmap of 0 moves a pixel to the value the preprocessing maps to zero (the dataset mean for
/// mean-subtracted inputs). p is the target's softmax probability: pytorch-grad-cam leaves the choice to its
/// <c>targets</c> argument, and its README and metrics tutorial pass <c>ClassifierOutputSoftmaxTarget</c>. A heatmap that
/// keeps what the model relies on loses little confidence, so values nearer 0 (or above) are better.
/// </summary>
public static class ConfidenceChange
{
    /// <summary>p(x ⊙ h) − p(x) for the target's softmax probability p, from one forward pass of two images.</summary>
    /// <param name="scores">The model: an NCHW batch to its pre-softmax scores [B, classes] (e.g. <c>AttributionContext.Scores</c>).</param>
    /// <param name="input">One preprocessed image [1,C,H,W].</param>
    /// <param name="heatmap">The heatmap [H,W] the input is multiplied by, normally in [0, 1].</param>
    /// <param name="target">The class whose probability is compared.</param>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The target is not a class of the model.</exception>
    public static double Of(Func<Tensor, Tensor> scores, Tensor input, Tensor heatmap, int target)
    {
        FaithfulnessArguments.Check(input, heatmap, target);
        using var scope = NewDisposeScope();
        Tensor weighted = input * heatmap.to(input.dtype, input.device);
        double[] probabilities = TargetProbabilities.InBatches(scores, target, 2, 2, (_, _) => cat([input, weighted]));
        return probabilities[1] - probabilities[0];
    }
}
