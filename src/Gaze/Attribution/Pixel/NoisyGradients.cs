using static TorchSharp.torch;

namespace Gaze.Attribution.Pixel;

/// <summary>
/// What SmoothGrad and VarGrad share: the input gradients at noisy copies x + N(0, σ²) of each image, with σ =
/// noise level × (max(x) − min(x)) per image (Smilkov et al. 2017), reduced to their mean or their variance. The
/// copies run through the network <see cref="AttributionOptions.BatchSize"/> at a time and only running sums are
/// kept, so memory does not grow with the number of samples. Each image draws its noise from its own generator
/// seeded with <see cref="Seed"/>, so an image's map depends on the seed alone, not on the batch it came in.
/// </summary>
public abstract class NoisyGradients : AttributionMethod
{
    /// <summary>The default number of noisy copies (Smilkov et al. find 50 enough).</summary>
    public const int DefaultSamples = 50;

    /// <summary>The default noise level (the paper's 10% to 20%).</summary>
    public const double DefaultNoise = 0.15;

    /// <summary>The most samples accepted.</summary>
    public const int MaxSamples = 10_000;

    /// <summary>A method of <paramref name="samples"/> copies at noise level <paramref name="noise"/>.</summary>
    private protected NoisyGradients(int samples, double noise, int seed)
    {
        Samples = samples;
        Noise = noise;
        Seed = seed;
    }

    /// <summary>The noisy copies per image.</summary>
    public int Samples { get; }

    /// <summary>The noise sigma as a fraction of each image's value range.</summary>
    public double Noise { get; }

    /// <summary>The seed of the noise.</summary>
    public int Seed { get; }

    /// <inheritdoc />
    public override MethodNeeds Needs => MethodNeeds.InputGradients;

    /// <inheritdoc />
    public override IReadOnlyList<MethodOption> Options => [MethodOption.Samples, MethodOption.Noise, MethodOption.Seed];

    /// <summary>
    /// <see cref="Samples"/> forward and backward passes, in batches of <see cref="AttributionOptions.BatchSize"/> (the
    /// default 32 here: the method meets its context only when it runs); one forward pass of the input comes on top.
    /// </summary>
    public override RequiredRuns? RunsPerImage(AttributionContext context, long height, long width) =>
        new(Samples, context.Options.BatchSize, Backward: true);

    /// <summary>The fewest samples the method's statistic needs.</summary>
    private protected virtual int MinimumSamples => 1;

    /// <inheritdoc />
    public override AttributionMethod Configure(MethodSettings settings) => With(
        settings.Int(MethodOption.Samples, DefaultSamples, min: MinimumSamples, max: MaxSamples),
        settings.Double(MethodOption.Noise, DefaultNoise, min: 0, max: 1),
        settings.Int(MethodOption.Seed, 0, min: 0));

    /// <inheritdoc />
    public override Explanation Explain(AttributionContext context, Tensor input, TargetRequest targets)
    {
        // The explanation is made outside the scope of the work, which would free the heatmaps it makes.
        var (attributions, scores, resolved) = Sample(context, input, targets);
        return PixelMaps.Explanation(attributions, scores, resolved);
    }

    /// <summary>The attributions, the scores of the unmodified input and the targets.</summary>
    private (Tensor Attributions, Tensor Scores, IReadOnlyList<int> Targets) Sample(AttributionContext context, Tensor input, TargetRequest targets)
    {
        using var scope = NewDisposeScope();
        Tensor scores = context.GraphScores(input);
        IReadOnlyList<int> resolved = targets.Resolve(scores);
        long images = input.shape[0];
        long[] imageShape = input.shape[1..];
        Tensor flat = input.flatten(1);
        Tensor sigma = ((flat.amax([1]) - flat.amin([1])) * Noise).view(-1, 1, 1, 1);
        Generator[] generators = Enumerable.Range(0, (int)images).Select(_ => new Generator((ulong)Seed)).ToArray();
        try
        {
            // Per image, the running mean and sum of squared deviations of the gradients, in double precision.
            Tensor mean = zeros(input.shape, ScalarType.Float64);
            Tensor deviations = zeros(input.shape, ScalarType.Float64);
            long copies = images * Samples;
            int batch = context.Options.BatchSize;
            for (long start = 0; start < copies; start += batch)
            {
                using var inner = NewDisposeScope();
                // Copy k is sample k mod Samples of image k div Samples: a batch may span images.
                long[] owners = Enumerable.Range(0, (int)Math.Min(batch, copies - start)).Select(j => (start + j) / Samples).ToArray();
                Tensor image = tensor(owners);
                // One draw per copy from its image's generator, so the noise does not depend on the batch size.
                Tensor noise = empty([owners.Length, .. imageShape], input.dtype);
                for (int j = 0; j < owners.Length; j++) noise[j].normal_(generator: generators[owners[j]]);
                Tensor noisy = input.index_select(0, image).addcmul_(sigma.index_select(0, image), noise, 1);
                var (_, _, gradients) = context.InputGradients(noisy, TargetRequest.Classes(owners.Select(i => resolved[(int)i]).ToArray()));
                foreach (var (owner, first, count) in Segments(owners))
                {
                    Merge(mean[owner], deviations[owner], (start + first) - owner * Samples, gradients.narrow(0, first, count));
                }
            }
            // Population variance, as Captum's NoiseTunnel computes VarGrad.
            Tensor attributions = Reduce(mean, deviations / Samples).to(input.dtype);
            return (attributions.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope(), resolved);
        }
        finally
        {
            foreach (Generator generator in generators) generator.Dispose();
        }
    }

    /// <summary>
    /// Folds one batch's gradients of an image into its running mean and sum of squared deviations (Chan, Golub and
    /// LeVeque's pairwise update). The batch is reduced in single precision and only its [C,H,W] summary is widened, so
    /// no gradient is copied to double, and the variance never comes from subtracting two large sums.
    /// </summary>
    private static void Merge(Tensor mean, Tensor deviations, long seen, Tensor gradients)
    {
        long count = gradients.shape[0];
        Tensor batchMean = gradients.mean([0]);
        Tensor batchDeviations = (gradients - batchMean).pow_(2).sum([0]).to(ScalarType.Float64);
        Tensor delta = batchMean.to(ScalarType.Float64) - mean;
        double total = seen + count;
        mean.add_(delta, alpha: count / total);
        deviations.add_(batchDeviations).add_(delta.pow_(2), alpha: seen * count / total);
    }

    /// <summary>The runs of equal owners in <paramref name="owners"/> (sorted): owner, first index, length.</summary>
    private static IEnumerable<(long Owner, long First, long Count)> Segments(long[] owners)
    {
        for (int first = 0; first < owners.Length;)
        {
            int end = first;
            while (end < owners.Length && owners[end] == owners[first]) end++;
            yield return (owners[first], first, end - first);
            first = end;
        }
    }

    /// <summary>This method with other settings.</summary>
    private protected abstract NoisyGradients With(int samples, double noise, int seed);

    /// <summary>The attribution from the mean and the variance [N,C,H,W] of the noisy gradients.</summary>
    private protected abstract Tensor Reduce(Tensor mean, Tensor variance);
}
