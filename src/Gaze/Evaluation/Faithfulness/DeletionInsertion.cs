using static TorchSharp.torch;

namespace Gaze.Evaluation.Faithfulness;

/// <summary>
/// The deletion and insertion metrics of Petsiuk, Das and Saenko ("RISE: Randomized Input Sampling for Explanation of
/// Black-box Models", BMVC 2018). The pixels are ranked by the heatmap, most relevant first (ties in
/// raster order); step k of <c>steps</c> has changed the top round(k · H · W / steps) pixels (halves rounded up),
/// all channels at once. Deletion replaces them, in the input, by the baseline's pixels: a faithful heatmap makes the
/// target's probability fall fast, so lower is better. Insertion starts from the baseline and puts the real pixels
/// back: the probability should rise fast, so higher is better. Each point is the target's softmax probability
/// divided by the clean image's (so both curves end at 1 on the clean image), and the score is the area under the
/// curve by the trapezoid rule. The paper takes raw probabilities, removes 224 pixels a step (224 steps on a 224 x 224
/// image), and uses a black image for deletion and a blurred one for insertion; here the caller chooses the
/// baseline and the number of steps.
/// </summary>
public static class DeletionInsertion
{
    /// <summary>The default number of steps (the paper takes H · W / 224; 20 keeps a curve to a few forward passes).</summary>
    public const int DefaultSteps = 20;

    /// <summary>The default number of perturbed images per forward pass.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>The deletion curve: the most relevant pixels replaced by the baseline's first. Lower area is better.</summary>
    /// <param name="scores">The model: an NCHW batch to its pre-softmax scores [B, classes] (e.g. <c>AttributionContext.Scores</c>).</param>
    /// <param name="input">One preprocessed image [1,C,H,W].</param>
    /// <param name="heatmap">The relevance of each pixel [H,W], higher is more relevant, any scale.</param>
    /// <param name="target">The class whose probability is followed.</param>
    /// <param name="baseline">What removed pixels become [1,C,H,W] (e.g. <c>Baseline.For</c>).</param>
    /// <param name="steps">The number of steps after the clean image (the curve has steps + 1 points).</param>
    /// <param name="batchSize">Perturbed images per forward pass.</param>
    /// <exception cref="ArgumentException">A shape does not fit, or the clean probability is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive, or the target is not a class of the model.</exception>
    public static FaithfulnessCurve Deletion(Func<Tensor, Tensor> scores, Tensor input, Tensor heatmap, int target, Tensor baseline,
        int steps = DefaultSteps, int batchSize = DefaultBatchSize) =>
        Curve(scores, input, heatmap, target, baseline, steps, batchSize, insertion: false);

    /// <summary>The insertion curve: from the baseline, the most relevant pixels of the input put back first. Higher area is better.</summary>
    /// <param name="scores">The model: an NCHW batch to its pre-softmax scores [B, classes] (e.g. <c>AttributionContext.Scores</c>).</param>
    /// <param name="input">One preprocessed image [1,C,H,W].</param>
    /// <param name="heatmap">The relevance of each pixel [H,W], higher is more relevant, any scale.</param>
    /// <param name="target">The class whose probability is followed.</param>
    /// <param name="baseline">Where the curve starts [1,C,H,W] (e.g. <c>Baseline.For</c>; the paper blurs the input).</param>
    /// <param name="steps">The number of steps before the clean image (the curve has steps + 1 points).</param>
    /// <param name="batchSize">Perturbed images per forward pass.</param>
    /// <exception cref="ArgumentException">A shape does not fit, or the clean probability is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive, or the target is not a class of the model.</exception>
    public static FaithfulnessCurve Insertion(Func<Tensor, Tensor> scores, Tensor input, Tensor heatmap, int target, Tensor baseline,
        int steps = DefaultSteps, int batchSize = DefaultBatchSize) =>
        Curve(scores, input, heatmap, target, baseline, steps, batchSize, insertion: true);

    /// <summary>How many pixels of <paramref name="pixels"/> step <paramref name="step"/> of <paramref name="steps"/> has changed.</summary>
    internal static int PixelsAtStep(int step, int steps, int pixels) =>
        (int)Math.Round((double)step * pixels / steps, MidpointRounding.AwayFromZero);

    private static FaithfulnessCurve Curve(Func<Tensor, Tensor> scores, Tensor input, Tensor heatmap, int target, Tensor baseline,
        int steps, int batchSize, bool insertion)
    {
        var (_, height, width) = FaithfulnessArguments.Check(input, heatmap, target, baseline);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        using var scope = NewDisposeScope();
        int pixels = height * width;
        long[] counts = Enumerable.Range(0, steps + 1).Select(k => (long)PixelsAtStep(k, steps, pixels)).ToArray();
        Tensor ranks = PixelRanking.Ranks(PixelRanking.Order(heatmap), height, width, input.device);
        Tensor background = baseline.to(input.dtype, input.device);
        double[] probabilities = TargetProbabilities.InBatches(scores, target, steps + 1, batchSize, (start, length) =>
        {
            // A pixel has changed at a step when its rank is below the step's count: masks [L,1,H,W] for the batch.
            Tensor changed = ranks.unsqueeze(0) < tensor(counts[start..(start + length)], [length, 1, 1]);
            Tensor mask = changed.unsqueeze(1);
            return insertion ? where(mask, input, background) : where(mask, background, input);
        });
        // The clean image is deletion's first point and insertion's last, scored in the same batches as the rest.
        double clean = insertion ? probabilities[steps] : probabilities[0];
        double[] fractions = counts.Select(c => (double)c / pixels).ToArray();
        return FaithfulnessCurve.Of(fractions, TargetProbabilities.Normalised(probabilities, clean));
    }
}
