using Gaze.Datasets;
using Gaze.Models;
using static TorchSharp.torch;

namespace Gaze.Evaluation.Faithfulness;

/// <summary>
/// ROAD, RemOve And Debias (Rong, Leemann, Borisov, Kasneci and Kasneci, "A Consistent and Efficient Evaluation
/// Strategy for Attribution Methods", ICML 2022): remove a percentage of the pixels, ranked by the heatmap, and fill
/// them by <see cref="NoisyLinearImputation"/> instead of a constant, so that the shape of the removed region does not
/// itself tell the model what was removed; then score the target. Most relevant first (MoRF) should hurt the
/// probability, least relevant first (LeRF) should not. Percentage q removes round(q/100 · H · W) pixels (halves
/// rounded up), the top ones for MoRF and the bottom ones for LeRF in the heatmap's order (ties in raster order).
/// pytorch-grad-cam's single-threshold classes (pytorch_grad_cam/metrics/road.py) name the threshold percentile p
/// instead and remove the pixels at or above it, i.e. q = 100 − p; over its default, symmetric set {10, …, 90} the
/// averages are the same. Values are normalised by the clean probability; pytorch-grad-cam reports p − p_clean.
/// </summary>
public static class Road
{
    /// <summary>The default noise's standard deviation in input tensor units (pytorch-grad-cam's <c>NoisyLinearImputer</c>).</summary>
    public const double DefaultNoise = 0.01;

    /// <summary>The default number of perturbed images per forward pass.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>
    /// The spread of the pixel range that <see cref="DefaultNoise"/> is stated in: pytorch-grad-cam and ROAD's code
    /// impute ImageNet-normalised tensors, whose unit is a channel's std, about 0.226 of the pixel range.
    /// </summary>
    public const double ReferenceStd = 0.226;

    /// <summary>The default percentages removed: 10 to 90 in steps of 10 (pytorch-grad-cam's ROAD averages).</summary>
    public static IReadOnlyList<double> DefaultPercentages { get; } = [10, 20, 30, 40, 50, 60, 70, 80, 90];

    /// <summary>
    /// <see cref="DefaultNoise"/> carried to <paramref name="input"/>'s tensor units, so that the noise is the same
    /// fraction of the pixel range as in ROAD's ImageNet-normalised setting: 0.01 · 0.226 · range / mean std, i.e.
    /// 0.01 for ImageNet's normalisation and about 0.58 for a model fed mean-subtracted 0..255 pixels.
    /// </summary>
    public static double NoiseFor(ModelInput input)
    {
        double std = Enumerable.Range(0, input.ChannelCount).Average(input.StdOf);
        return DefaultNoise * ReferenceStd * input.Range / std;
    }

    /// <summary>ROAD's MoRF and LeRF values of <paramref name="heatmap"/> at each percentage.</summary>
    /// <param name="scores">The model: an NCHW batch to its pre-softmax scores [B, classes] (e.g. <c>AttributionContext.Scores</c>).</param>
    /// <param name="input">One preprocessed image [1,C,H,W].</param>
    /// <param name="heatmap">The relevance of each pixel [H,W], higher is more relevant, any scale.</param>
    /// <param name="target">The class whose probability is followed.</param>
    /// <param name="percentages">The percentages of the pixels to remove, each above 0 and below 100; null for <see cref="DefaultPercentages"/>.</param>
    /// <param name="noise">The imputation noise's standard deviation in input tensor units. The default suits inputs
    /// normalised as ImageNet models' are; <see cref="NoiseFor"/> gives the same noise for other preprocessing.</param>
    /// <param name="seed">The noise's seed: each perturbed image draws from its own stream of it.</param>
    /// <param name="batchSize">Perturbed images per forward pass.</param>
    /// <exception cref="ArgumentException">A shape does not fit, a percentage would remove every pixel, or the clean probability is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A percentage is outside (0, 100), the batch size is not positive, or the target is not a class of the model.</exception>
    public static RoadResult Evaluate(Func<Tensor, Tensor> scores, Tensor input, Tensor heatmap, int target,
        IReadOnlyList<double>? percentages = null, double noise = DefaultNoise, int seed = 0, int batchSize = DefaultBatchSize)
    {
        var (channels, height, width) = FaithfulnessArguments.Check(input, heatmap, target);
        double[] removedPercentages = (percentages ?? DefaultPercentages).ToArray();
        if (removedPercentages.Length == 0) throw new ArgumentException("no percentages to remove", nameof(percentages));
        foreach (double percentage in removedPercentages)
        {
            if (!(percentage > 0 && percentage < 100))
                throw new ArgumentOutOfRangeException(nameof(percentages), percentage, "expected percentages above 0 and below 100");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);

        int pixels = height * width, count = removedPercentages.Length;
        int[] order = PixelRanking.Order(heatmap);
        float[] clean = input.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        // Item 0 is the clean image, items 1..count remove the most relevant pixels, count+1..2·count the least; all
        // the perturbed images are imputed at once, in parallel.
        var masks = new bool[2 * count][];
        for (int item = 1; item <= 2 * count; item++)
        {
            bool mostRelevantFirst = item <= count;
            double percentage = removedPercentages[(item - 1) % count];
            int removedPixels = (int)Math.Round(percentage / 100 * pixels, MidpointRounding.AwayFromZero);
            if (removedPixels >= pixels)
                throw new ArgumentException($"removing {percentage}% of {pixels} pixels leaves none to impute from", nameof(percentages));
            var removed = new bool[pixels];
            for (int i = 0; i < removedPixels; i++) removed[order[mostRelevantFirst ? i : pixels - 1 - i]] = true;
            masks[item - 1] = removed;
        }
        DeterministicRandom[] randoms = Enumerable.Range(1, 2 * count).Select(item => DeterministicRandom.ForItem(seed, item)).ToArray();
        float[][] imputed = NoisyLinearImputation.ImputeMany(clean, channels, height, width, masks, noise, randoms);
        float[] Perturbed(int item) => item == 0 ? clean : imputed[item - 1];

        double[] probabilities = TargetProbabilities.InBatches(scores, target, 1 + 2 * count, batchSize, (start, length) =>
        {
            using var scope = NewDisposeScope();
            Tensor batch = stack(Enumerable.Range(start, length).Select(item => tensor(Perturbed(item), [channels, height, width])).ToArray());
            return batch.to(input.dtype, input.device).MoveToOuterDisposeScope();
        });
        double[] normalised = TargetProbabilities.Normalised(probabilities, probabilities[0]);
        return new RoadResult(removedPercentages, normalised[1..(count + 1)], normalised[(count + 1)..], probabilities[0]);
    }
}
