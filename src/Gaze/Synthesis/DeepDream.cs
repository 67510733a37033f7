using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>
/// DeepDream (Mordvintsev, Olah and Tyka, "Inceptionism: Going Deeper into Neural Networks", 2015): gradient ascent
/// on the mean squared activation of one layer, so whatever the layer responds to in the picture grows. Steps are the
/// gradient over its mean magnitude, with random jitter; octaves dream first on a small copy and carry the detail
/// they add up to the next size, so patterns appear at several scales.
/// </summary>
public static class DeepDream
{
    /// <summary>Dreams on <paramref name="image"/> [1,C,H,W] (channels first); the result has its size.</summary>
    /// <exception cref="Errors.InvalidOptionException">An option out of range.</exception>
    /// <exception cref="Errors.UnknownLayerException">A layer the model does not have.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked before every step).</exception>
    public static SynthesisResult Run(SynthesisNetwork network, Tensor image, DeepDreamOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        InputSpace space = network.Space;
        var jitter = new Jitter(options.MaxJitter, new Random(options.Seed));
        double rate = options.LearningRate * space.Scale;
        int total = options.Iterations * options.Octaves;
        var trace = new List<double>();
        var snapshots = new List<Tensor>();
        using var scope = NewDisposeScope();
        long height = image.shape[2], width = image.shape[3];
        Tensor detail = zeros_like(image);
        Tensor x = image;
        for (int octave = 0; octave < options.Octaves; octave++)
        {
            double shrink = Math.Pow(options.OctaveScale, options.Octaves - 1 - octave);
            long[] size = [Math.Max(8, (long)Math.Round(height / shrink)), Math.Max(8, (long)Math.Round(width / shrink))];
            Tensor baseImage = Resized(image, size);
            x = baseImage + Resized(detail, size);
            for (int t = 0; t < options.Iterations; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var step = NewDisposeScope();
                var shift = jitter.Next();
                var (value, gradient, _) = network.Gradient(Jitter.Apply(x, shift), [options.Layer],
                    (run, _) => run.Captured[options.Layer].to(ScalarType.Float32).square().mean());
                Tensor moved = x + Jitter.Undo(gradient, shift) * (rate / (gradient.abs().mean().item<float>() + 1e-12));
                x = StepTensors.Replace(x, space.Clamp(moved));
                trace.Add(value);
                progress?.Report(new SynthesisProgress(octave * options.Iterations + t + 1, total, "mean activation²", value));
            }
            detail = x - baseImage;
            snapshots.Add(x.clone());
        }
        foreach (Tensor snapshot in snapshots) snapshot.MoveToOuterDisposeScope();
        return new SynthesisResult(x.MoveToOuterDisposeScope(), snapshots, trace, "mean activation²");
    }

    private static Tensor Resized(Tensor x, long[] size) =>
        x.shape[2] == size[0] && x.shape[3] == size[1] ? x : nn.functional.interpolate(x, size, mode: InterpolationMode.Bilinear, align_corners: false);
}
