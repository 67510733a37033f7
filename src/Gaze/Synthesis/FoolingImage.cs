using Gaze.Imaging;
using Gaze.Models;
using static TorchSharp.torch;

namespace Gaze.Synthesis;

/// <summary>What <see cref="FoolingImage.Run"/> made.</summary>
/// <param name="Image">The fooling image at the original picture's size, 8-bit, as it will be saved.</param>
/// <param name="Fooled">Whether <paramref name="Image"/> itself, preprocessed as any input, is classified as wanted.</param>
/// <param name="Iterations">Gradient steps taken.</param>
/// <param name="OriginalClass">The original picture's top class.</param>
/// <param name="FinalClass">The top class of <paramref name="Image"/>.</param>
/// <param name="FinalProbability">Its probability.</param>
/// <param name="Distortion">L2 and L∞ distance of <paramref name="Image"/> from the original, in pixel levels.</param>
/// <param name="Trace">Per step, the probability the attack drives (of the target; of the original class when untargeted).</param>
/// <param name="FloatFooledAt">
/// The first step after which the unquantised input was classified as wanted (gradient ascent; null if never): when it
/// is below <paramref name="Iterations"/>, the 8-bit picture needed more steps than the float one.
/// </param>
public sealed record FoolingResult(RgbImage Image, bool Fooled, int Iterations, int OriginalClass, int FinalClass, double FinalProbability,
    (double L2, double LInfinity) Distortion, IReadOnlyList<double> Trace, int? FloatFooledAt = null);

/// <summary>
/// Fooling images (Szegedy et al., "Intriguing properties of neural networks", ICLR 2014; the CS231n network
/// visualisation assignment): change a picture imperceptibly until the network takes it for another class. Gradient
/// ascent repeats x ← x + lr · g / ‖g‖₂ with g the gradient of the target's score (of minus the original class's
/// score when untargeted) and stops only when the picture <em>as it will be saved</em>, 8-bit at the original size,
/// is classified as wanted. FGSM and PGD are the bounded attacks of Goodfellow et al. (2015) and Madry et al. (2018)
/// on the cross-entropy, with an L∞ budget in pixel levels.
/// </summary>
public static class FoolingImage
{
    /// <summary>Makes a fooling image of <paramref name="original"/>.</summary>
    /// <param name="network">The network and its input space.</param>
    /// <param name="original">The picture, at any size.</param>
    /// <param name="options">The attack and its settings.</param>
    /// <param name="progress">Told after every step, or null.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <exception cref="Errors.InvalidOptionException">An option out of range, or a target the model does not have.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static FoolingResult Run(SynthesisNetwork network, RgbImage original, FoolingOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        using var scope = NewDisposeScope();
        InputSpace space = network.Space;
        var preprocessor = new ImagePreprocessor(space.Input with { Layout = TensorLayout.NCHW });
        InputGeometry geometry = preprocessor.GeometryFor(original);
        Tensor start = preprocessor.Preprocess(original);
        Tensor startScores = network.Scores(start);
        int originalClass = (int)startScores.argmax(1).item<long>();
        if (options.Target is int t && (t < 0 || t >= startScores.shape[1]))
        {
            throw new Errors.InvalidOptionException("--target", $"class {t} is out of range; the model has classes 0..{startScores.shape[1] - 1}");
        }
        bool targeted = options.Target is not null;
        int goal = options.Target ?? originalClass;
        bool Wanted(int predicted) => targeted ? predicted == goal : predicted != originalClass;

        // The picture as it will be saved for input x, and what the network makes of that picture read back.
        Tensor startLevels = space.ToLevels(start);
        RgbImage Saved(Tensor x) => PerturbedImage.Apply(original, space.ToLevels(x) - startLevels, geometry, space.Input.Channels);
        (int Class, double Probability) Classify(RgbImage image)
        {
            using var inner = NewDisposeScope();
            Tensor probabilities = softmax(network.Scores(preprocessor.Preprocess(image)), 1)[0];
            int best = (int)probabilities.argmax().item<long>();
            return (best, probabilities[best].item<float>());
        }

        var trace = new List<double>();
        Tensor x = start.clone();
        int iterations = 0;
        int? floatFooledAt = null;
        RgbImage? result = null;
        (int Class, double Probability) verdict = default;
        if (options.Attack == FoolingAttack.GradientAscent)
        {
            double rate = space.StepLength(options.LearningRate, start.numel());
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var step = NewDisposeScope();
                var (_, gradient, scores) = network.Gradient(x, [], (run, _) => run.Scores[0, goal] * (targeted ? 1 : -1));
                double probability = softmax(scores, 1)[0, goal].item<float>();
                trace.Add(probability);
                progress?.Report(new SynthesisProgress(iterations, options.MaxIterations, targeted ? "p(target)" : "p(original)", probability));
                // The float image is a cheap gate; the saved picture decides.
                if (Wanted((int)scores.argmax(1).item<long>()))
                {
                    floatFooledAt ??= iterations;
                    RgbImage candidate = Saved(x);
                    verdict = Classify(candidate);
                    if (Wanted(verdict.Class))
                    {
                        result = candidate;
                        break;
                    }
                }
                if (iterations == options.MaxIterations) break;
                x = StepTensors.Replace(x, space.Clamp(x + gradient * (rate / gradient.norm().item<float>())));
                iterations++;
            }
        }
        else
        {
            Tensor epsilon = space.LevelStep(options.Epsilon);
            Tensor stepSize = options.Attack == FoolingAttack.Fgsm ? epsilon : space.LevelStep(options.Step);
            int steps = options.Attack == FoolingAttack.Fgsm ? 1 : options.Iterations;
            if (options.Attack == FoolingAttack.Pgd)
            {
                // Madry et al. start at a random point of the box, so that restarts with other seeds explore it.
                using var generator = new Generator((ulong)options.Seed);
                x = StepTensors.Replace(x, space.Clamp(start + (rand(start.shape, generator: generator) * 2 - 1) * epsilon));
            }
            for (; iterations < steps; iterations++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var step = NewDisposeScope();
                // Raise the cross-entropy of the original class, or lower that of the target.
                var (_, gradient, scores) = network.Gradient(x, [], (run, _) => -nn.functional.log_softmax(run.Scores, 1)[0, goal] * (targeted ? -1 : 1));
                double probability = softmax(scores, 1)[0, goal].item<float>();
                trace.Add(probability);
                progress?.Report(new SynthesisProgress(iterations, steps, targeted ? "p(target)" : "p(original)", probability));
                Tensor moved = x + gradient.sign() * stepSize;
                Tensor projected = minimum(maximum(moved, start - epsilon), start + epsilon);
                x = StepTensors.Replace(x, space.Clamp(projected));
            }
        }
        if (result is null)
        {
            result = Saved(x);
            verdict = Classify(result);
        }
        var (finalClass, finalProbability) = verdict;
        return new FoolingResult(result, Wanted(finalClass), iterations, originalClass, finalClass, finalProbability,
            PerturbedImage.Distortion(original, result), trace, floatFooledAt);
    }
}
