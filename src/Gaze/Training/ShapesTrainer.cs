using System.Diagnostics;
using Gaze.Datasets;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Gaze.Training;

/// <summary>
/// Trains <see cref="ShapesNetwork"/> on procedurally generated shapes with the engine's own graph (position, scale,
/// rotation, colour and background vary per image), with random horizontal flips and brightness/contrast jitter on
/// every pass. Seeded and reproducible up to floating-point summation order.
/// </summary>
public sealed class ShapesTrainer(ShapesTrainingOptions options)
{
    /// <summary>The class labels, in the order of the network's outputs.</summary>
    public static IReadOnlyList<string> Labels => ShapeClassNames.AllNames;

    /// <summary>The sidecar of a network trained with <paramref name="options"/>.</summary>
    public static ModelMetadata Metadata(ShapesTrainingOptions options) => ModelMetadata.None with
    {
        Name = $"Gaze shapes CNN ({options.Size}x{options.Size}, {Labels.Count} classes, seed {options.Seed})",
        Input = ShapesNetwork.InputConvention(options.Size),
        Labels = Labels,
        CamLayer = ShapesNetwork.CamLayer,
    };

    /// <summary>Trains a new network and writes it to <paramref name="path"/> (ONNX) with its sidecar beside it.</summary>
    /// <param name="path">The model file; it must end in .onnx.</param>
    /// <param name="epochDone">Told after each epoch.</param>
    /// <param name="stepDone">Told after each optimisation step.</param>
    /// <param name="cancellation">Stops between steps; nothing is written then.</param>
    /// <exception cref="InvalidOptionException">The path does not end in .onnx.</exception>
    public void TrainTo(string path, Action<EpochResult>? epochDone = null, Action? stepDone = null, CancellationToken cancellation = default)
    {
        if (!path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) throw new InvalidOptionException("--out", $"'{path}' should end in .onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using OnnxGraph graph = Train(epochDone, stepDone, cancellation);
        OnnxWriter.Save(graph, path);
        ModelMetadataWriter.WriteFor(path, Metadata(options));
    }

    /// <summary>Trains a new network and returns it (the caller disposes it).</summary>
    /// <param name="epochDone">Told after each epoch.</param>
    /// <param name="stepDone">Told after each optimisation step.</param>
    /// <param name="cancellation">Stops between steps.</param>
    public OnnxGraph Train(Action<EpochResult>? epochDone = null, Action? stepDone = null, CancellationToken cancellation = default)
    {
        var preprocessor = new ImagePreprocessor(ShapesNetwork.InputConvention(options.Size));
        OnnxGraph graph = ShapesNetwork.Create(Labels.Count, options.Size, options.Seed);
        try
        {
            using var images = new DisposableTensors();
            var (validationInput, validationLabels) = images.Keep(Batch(new ShapesGenerator(options.Seed + 1), 0, options.ValidationImages, preprocessor));
            cancellation.ThrowIfCancellationRequested();
            var (trainInput, trainLabels) = images.Keep(Batch(new ShapesGenerator(options.Seed), 0, options.TrainingImages, preprocessor));
            using var optimizer = optim.Adam(graph.MakeTrainable(), options.LearningRate);
            var augmentation = new Generator((ulong)options.Seed + 7);
            int stepsPerEpoch = (options.TrainingImages + options.BatchSize - 1) / options.BatchSize;
            int totalSteps = stepsPerEpoch * options.Epochs, step = 0;
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                double lossSum = 0;
                long correct = 0, seen = 0;
                using Tensor order = randperm(options.TrainingImages, generator: augmentation);
                for (int s = 0; s < stepsPerEpoch; s++, step++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    int first = s * options.BatchSize, count = Math.Min(options.BatchSize, options.TrainingImages - first);
                    Tensor chosen = order.narrow(0, first, count);
                    Tensor input = Augment(trainInput.index_select(0, chosen), augmentation);
                    Tensor labels = trainLabels.index_select(0, chosen);
                    SetLearningRate(optimizer, LearningRate(step, totalSteps));

                    using GraphRun run = graph.Run(input, new RunOptions { Gradients = true });
                    Tensor loss = nn.functional.cross_entropy(run.Scores, labels);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>() * count;
                    correct += run.Scores.argmax(1).eq(labels).sum().item<long>();
                    seen += count;
                    stepDone?.Invoke();
                }
                double validation = Accuracy(graph, validationInput, validationLabels);
                epochDone?.Invoke(new EpochResult(epoch + 1, options.Epochs, lossSum / seen, (double)correct / seen, null, validation, epochClock.Elapsed.TotalSeconds));
            }
            return graph;
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>The share of <paramref name="input"/> classified as <paramref name="labels"/>, in batches.</summary>
    public static double Accuracy(OnnxGraph graph, Tensor input, Tensor labels, int batchSize = 100)
    {
        long correct = 0;
        for (long start = 0; start < input.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(batchSize, input.shape[0] - start);
            correct += graph.Scores(input.narrow(0, start, count)).argmax(1).eq(labels.narrow(0, start, count)).sum().item<long>();
        }
        return (double)correct / input.shape[0];
    }

    /// <summary>Generated images <paramref name="first"/>.. as a preprocessed batch and their class indices.</summary>
    public static (Tensor Input, Tensor Labels) Batch(ShapesGenerator generator, int first, int count, ImagePreprocessor preprocessor)
    {
        // Preprocessed in chunks, so the full-size images need not all be in memory at once.
        const int chunk = 256;
        var parts = new List<Tensor>();
        var labels = new long[count];
        for (int start = 0; start < count; start += chunk)
        {
            var images = new RgbImage[Math.Min(chunk, count - start)];
            Parallel.For(0, images.Length, i =>
            {
                ShapeSample sample = generator.Generate(first + start + i);
                images[i] = sample.Image;
                labels[start + i] = sample.ClassIndex;
            });
            parts.Add(preprocessor.Preprocess(images));
        }
        return (cat(parts), tensor(labels));
    }

    /// <summary>Random horizontal flips and brightness/contrast jitter, per image.</summary>
    private static Tensor Augment(Tensor input, Generator random)
    {
        long n = input.shape[0];
        Tensor flip = rand([n, 1, 1, 1], generator: random) < 0.5;
        Tensor flipped = where(flip, input.flip(3), input);
        Tensor contrast = rand([n, 1, 1, 1], generator: random) * 0.4 + 0.8;
        Tensor brightness = rand([n, 1, 1, 1], generator: random) * 0.8 - 0.4;
        return flipped * contrast + brightness;
    }

    /// <summary>Linear warm-up (early large steps kill ReLUs in this small network), then cosine decay.</summary>
    private double LearningRate(int step, int totalSteps)
    {
        const int warmUp = 200;
        if (step < warmUp) return options.LearningRate * (step + 1) / warmUp;
        return options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * (step - warmUp) / Math.Max(1, totalSteps - warmUp)));
    }

    private static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }
}
