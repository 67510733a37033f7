using Gaze.Imaging;
using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// Class visualisation (Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks", ICLR Workshop 2014;
/// Yosinski et al., "Understanding Neural Networks Through Deep Visualization", 2015; the CS231n assignment): from
/// seeded noise, gradient ascent on S_target(x) − λ‖x‖², with normalised steps, random jitter, clamping to the valid
/// range and a periodic Gaussian blur as the image priors. With octaves the image grows between rounds, so larger
/// pictures keep the structure found at the model's own size. The result is the final octave's step with the highest
/// target probability (the image a step started from, measured under that step's jitter).
/// </summary>
public static class ClassVisualization
{
    /// <summary>Grows an image of <see cref="ClassVisualizationOptions.Target"/>.</summary>
    /// <exception cref="Errors.InvalidOptionException">An option out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked before every step).</exception>
    public static SynthesisResult Run(SynthesisNetwork network, ClassVisualizationOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        InputSpace space = network.Space;
        var random = new Random(options.Seed);
        // CS231n's jitter is for 224-pixel inputs; smaller inputs shift proportionally less.
        var jitter = new Jitter((int)Math.Round(options.MaxJitter * Math.Min(space.Input.Size.Height, space.Input.Size.Width) / 224.0), random);
        var (height, width) = (space.Input.Size.Height, space.Input.Size.Width);
        double l2 = options.L2Weight / (space.Scale * space.Scale);
        int total = options.Iterations * options.Octaves;
        var trace = new List<double>();
        var snapshots = new List<Tensor>();
        var schedule = new SnapshotSchedule(total);
        Tensor? best = null;
        double bestProbability = -1;

        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)options.Seed);
        // CS231n's "small random noise": unit normal in torchvision's space.
        Tensor x = randn([1, space.Channels, OctaveSide(height, options, 0), OctaveSide(width, options, 0)], generator: generator) * space.Scale;
        for (int octave = 0; octave < options.Octaves; octave++)
        {
            if (octave > 0)
            {
                long[] size = [OctaveSide(height, options, octave), OctaveSide(width, options, octave)];
                x = StepTensors.Replace(x, nn.functional.interpolate(x, size, mode: InterpolationMode.Bilinear, align_corners: false));
            }
            for (int t = 0; t < options.Iterations; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var step = NewDisposeScope();
                var shift = jitter.Next();
                Tensor shifted = Jitter.Apply(x, shift);
                var (_, gradient, scores) = network.Gradient(shifted, [],
                    (run, input) => run.Scores[0, options.Target] - l2 * input.square().sum());
                double probability = softmax(scores, 1)[0, options.Target].item<float>();
                trace.Add(probability);
                if (octave == options.Octaves - 1 && probability >= bestProbability)
                {
                    best?.Dispose();
                    best = x.clone().MoveToOuterDisposeScope();
                    bestProbability = probability;
                }
                double rate = space.StepLength(options.LearningRate, x.numel());
                Tensor moved = Jitter.Undo(shifted + gradient * (rate / gradient.norm().item<float>()), shift);
                Tensor next = space.Clamp(moved);
                if (t % options.BlurEvery == 0 && options.BlurSigma > 0) next = GaussianBlur.Apply(next, options.BlurSigma);
                x = StepTensors.Replace(x, next);
                int done = octave * options.Iterations + t + 1;
                progress?.Report(new SynthesisProgress(done, total, "p(target)", probability));
                if (schedule.Due(done, snapshots.Count)) snapshots.Add(x.clone().MoveToOuterDisposeScope());
            }
        }
        foreach (Tensor snapshot in snapshots) snapshot.MoveToOuterDisposeScope();
        // The image kept is the last octave's step the network liked best: once an image saturates, a small network
        // can tip over into a neighbouring class while the target's score still grows.
        return new SynthesisResult(best!.MoveToOuterDisposeScope(), snapshots, trace, "p(target)");
    }

    /// <summary>The side at octave <paramref name="octave"/>: the model's size grown <paramref name="octave"/> times by the octave scale.</summary>
    private static long OctaveSide(int side, ClassVisualizationOptions options, int octave) =>
        (long)Math.Round(side * Math.Pow(options.OctaveScale, octave));
}
