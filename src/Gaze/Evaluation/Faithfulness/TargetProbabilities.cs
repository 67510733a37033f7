using static TorchSharp.torch;

namespace Gaze.Evaluation.Faithfulness;

/// <summary>
/// The target's softmax probability for a sequence of perturbed images, scored a batch at a time so that a whole
/// curve costs a few forward passes, while only one batch of images is held at once.
/// </summary>
internal static class TargetProbabilities
{
    /// <summary>
    /// The target's probability for each of <paramref name="count"/> images, which <paramref name="make"/>(start,
    /// length) builds as an NCHW batch; the softmax is taken in double precision so that small probabilities keep
    /// their digits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is not positive, or the target is not one of the scorer's classes.</exception>
    /// <exception cref="InvalidOperationException">The scorer returns another shape than [B, classes].</exception>
    public static double[] InBatches(Func<Tensor, Tensor> scores, int target, int count, int batchSize, Func<int, int, Tensor> make)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        using var noGrad = no_grad();
        var probabilities = new double[count];
        for (int start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int length = Math.Min(batchSize, count - start);
            Tensor batchScores = scores(make(start, length));
            if (batchScores.dim() != 2 || batchScores.shape[0] != length)
                throw new InvalidOperationException($"the scorer returned [{string.Join(",", batchScores.shape)}] for {length} image(s); expected [{length}, classes]");
            if (target >= batchScores.shape[1])
                throw new ArgumentOutOfRangeException(nameof(target), target, $"the model has {batchScores.shape[1]} classes");
            double[] batch = softmax(batchScores.to(ScalarType.Float64), 1).select(1, target).cpu().data<double>().ToArray();
            batch.CopyTo(probabilities, start);
        }
        return probabilities;
    }

    /// <summary>Each probability divided by the clean image's.</summary>
    /// <exception cref="ArgumentException">The clean probability is 0, so no ratio exists.</exception>
    public static double[] Normalised(IEnumerable<double> probabilities, double clean)
    {
        if (!(clean > 0)) throw new ArgumentException($"the target's probability on the clean image is {clean}; the curve is normalised by it", "target");
        return probabilities.Select(p => p / clean).ToArray();
    }
}
