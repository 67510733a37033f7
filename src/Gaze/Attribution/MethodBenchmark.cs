using Gaze.Engine;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Onnx.Runtime;
using static TorchSharp.torch;

namespace Gaze.Attribution;

/// <summary>What <see cref="MethodBenchmark"/> found, all times per batch and measured in one run.</summary>
/// <param name="Forward">Gaze's forward pass.</param>
/// <param name="ForwardBackward">Gaze's forward pass plus the backward pass of the target scores down to the input (no parameter gradients).</param>
/// <param name="Method">The method's whole computation, as <see cref="Explainer"/> runs it.</param>
/// <param name="OnnxRuntimeForward">ONNX Runtime's forward pass of the same batch (the yardstick of the engine's speed).</param>
/// <param name="RequiredRuns">
/// The network passes the method needs beyond its first forward pass, alone: for methods that state them
/// (<see cref="AttributionMethod.RunsPerImage"/>, e.g. occlusion's windows) those passes on copies of the input, in
/// the method's batches, forward only on the engine perturbations are scored with or forward and backward; for
/// methods that score perturbations of a layer's channels one forward run per channel on the whole network (input
/// scoring, Score-CAM) or on the part after the layer (layer scoring, Ablation-CAM); else null.
/// </param>
/// <param name="Channels">The first target layer's channel count, or null for methods without layers.</param>
public sealed record MethodBenchmarkResult(Timing Forward, Timing ForwardBackward, Timing Method, Timing OnnxRuntimeForward, Timing? RequiredRuns, long? Channels)
{
    /// <summary>The notes of the method's explanations (see <see cref="Explanation.Notes"/>), e.g. which engine ran which part.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The passes per image that <see cref="RequiredRuns"/> timed, for methods that state them; else null.</summary>
    public RequiredRuns? RunsPerImage { get; init; }
}

/// <summary>Times an explanation method against the network's own forward and backward passes.</summary>
public static class MethodBenchmark
{
    /// <summary>Whether <paramref name="method"/> scores many perturbations (and so deserves fewer timed rounds).</summary>
    public static bool IsPerturbation(AttributionMethod method) =>
        (method.Needs & (MethodNeeds.InputScoring | MethodNeeds.LayerScoring)) != 0;

    /// <summary>
    /// Measures <paramref name="method"/> on <paramref name="model"/> for a batch of copies of <paramref name="image"/>
    /// (default: seeded noise at the model's input size, so that runs are comparable).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="method">The method.</param>
    /// <param name="layers">Its target layers (ignored by methods without layers).</param>
    /// <param name="image">The picture to explain, or null for noise.</param>
    /// <param name="batch">Copies per batch.</param>
    /// <param name="iterations">Timed rounds after one warm-up round.</param>
    /// <param name="cancellationToken">Checked before every timed pass.</param>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is reported.</exception>
    public static MethodBenchmarkResult Measure(LoadedModel model, AttributionMethod method, IReadOnlyList<string> layers,
        RgbImage? image, int batch, int iterations, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        image ??= NoiseImage(model.Input.Size.Width, model.Input.Size.Height);
        Tensor input = new ImagePreprocessor(model.Input).Preprocess(Enumerable.Repeat(image, batch).ToList());
        using var explainer = new Explainer(model.Graph, layers, new AttributionOptions { InputLayout = model.Input.Layout, Input = model.Input });
        return Measure(explainer, method, input, iterations, cancellationToken);
    }

    /// <summary>
    /// Measures <paramref name="method"/> through <paramref name="explainer"/> on <paramref name="input"/> (a batch in
    /// the model's layout), explaining each image's top class.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (it is checked before every timed pass).</exception>
    public static MethodBenchmarkResult Measure(Explainer explainer, AttributionMethod method, Tensor input, int iterations,
        CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        AttributionContext context = explainer.Context;
        OnnxGraph graph = context.Graph;
        string? layer = method.UsesLayers ? context.Layers[0] : null;
        Tensor channelsFirst = context.ToChannelsFirst(input);
        int[] targets;
        Tensor? activations = null;
        using (GraphRun run = graph.Run(input, new RunOptions { Capture = layer is null ? [] : [layer] }))
        {
            targets = run.Scores.argmax(1).data<long>().Select(t => (int)t).ToArray();
            if (layer is not null) activations = graph.ChannelsFirst(layer, run.Captured[layer]).clone();
        }
        long? channels = activations?.shape[1];
        IReadOnlyList<string> notes = [];

        using var onnxRuntime = OnnxRuntimeForward.Create(graph, input);
        var actions = new List<Action>
        {
            () =>
            {
                using var inner = NewDisposeScope();
                using GraphRun run = graph.Run(input);
            },
            () =>
            {
                using var inner = NewDisposeScope();
                context.InputGradients(channelsFirst, TargetRequest.Classes(targets));
            },
            () =>
            {
                using var inner = NewDisposeScope();
                using Explanation explanation = explainer.Explain(method, input, targets);
                notes = explanation.Notes;
            },
            onnxRuntime.Run,
        };
        int batchSize = context.Options.BatchSize;
        RequiredRuns? runs = method.RunsPerImage(context, channelsFirst.shape[2], channelsFirst.shape[3]);
        if (runs is { Backward: true })
        {
            actions.Add(() => RunCopies(runs.Inputs, input.shape[0], runs.BatchSize,
                b => context.InputGradients(RepeatFirst(channelsFirst, b), TargetRequest.Classes(Enumerable.Repeat(targets[0], (int)b).ToArray()))));
        }
        else if (runs is not null)
        {
            actions.Add(() => RunCopies(runs.Inputs, input.shape[0], runs.BatchSize, b => context.InputScores(RepeatFirst(channelsFirst, b), targets[0])));
        }
        else if (channels is long k && method.Needs.HasFlag(MethodNeeds.InputScoring))
        {
            actions.Add(() => RunCopies(k, input.shape[0], batchSize, b => context.InputScores(RepeatFirst(channelsFirst, b), targets[0])));
        }
        else if (channels is long kl && activations is not null && method.Needs.HasFlag(MethodNeeds.LayerScoring))
        {
            var score = context.Scorers.LayerScore(layer!, channelsFirst);
            actions.Add(() => RunCopies(kl, input.shape[0], batchSize, b => score(0, RepeatFirst(activations, b), targets[0])));
        }
        Timing[] timings = Timing.Interleaved(iterations, [.. actions], cancellationToken);
        return new MethodBenchmarkResult(timings[0], timings[1], timings[2], timings[3], timings.Length > 4 ? timings[4] : null, channels)
        {
            Notes = notes,
            RunsPerImage = runs,
        };
    }

    /// <summary>Runs <paramref name="copies"/> copies per image, <paramref name="batchSize"/> at a time (the tensors a run returns are freed).</summary>
    private static void RunCopies(long copies, long images, int batchSize, Action<long> run)
    {
        for (long image = 0; image < images; image++)
        {
            for (long start = 0; start < copies; start += batchSize)
            {
                using var inner = NewDisposeScope();
                run(Math.Min(batchSize, copies - start));
            }
        }
    }

    /// <summary>Seeded noise, so runs without a picture are comparable.</summary>
    private static RgbImage NoiseImage(int width, int height)
    {
        var random = new Random(1);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    private static Tensor RepeatFirst(Tensor batch, long count) =>
        batch.narrow(0, 0, 1).expand([count, .. batch.shape[1..]]).contiguous();
}
