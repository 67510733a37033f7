using System.Diagnostics;
using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>Median and spread of repeated timings, in milliseconds.</summary>
/// <param name="Median">The median.</param>
/// <param name="Min">The fastest run.</param>
/// <param name="Max">The slowest run.</param>
public sealed record Timing(double Median, double Min, double Max)
{
    /// <summary>
    /// Times several actions in interleaved rounds, so that a machine's changing load affects them alike: one
    /// warm-up round, then <paramref name="iterations"/> timed rounds.
    /// </summary>
    public static Timing[] Interleaved(int iterations, params Action[] actions)
    {
        var times = actions.Select(_ => new double[Math.Max(1, iterations)]).ToArray();
        for (int round = -1; round < times[0].Length; round++)
        {
            for (int a = 0; a < actions.Length; a++)
            {
                var clock = Stopwatch.StartNew();
                actions[a]();
                if (round >= 0) times[a][round] = clock.Elapsed.TotalMilliseconds;
            }
        }
        return times.Select(Summarize).ToArray();
    }

    private static Timing Summarize(double[] times)
    {
        Array.Sort(times);
        double median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
        return new Timing(median, times[0], times[^1]);
    }
}

/// <summary>What <see cref="CamBenchmark.Measure"/> found, all times per batch and measured in one run.</summary>
/// <param name="Forward">Gaze's forward pass.</param>
/// <param name="ForwardBackward">Gaze's forward pass plus the backward pass of the target scores down to the input (no parameter gradients).</param>
/// <param name="Method">The method's whole computation (forward, backward or perturbations, map), as <see cref="CamExplainer"/> runs it.</param>
/// <param name="RequiredRuns">
/// For perturbation methods, the forward runs the method needs on the engine it scores with: one per channel on the
/// whole network (Score-CAM) or on the part after the layer (Ablation-CAM), in the method's batches; else null.
/// </param>
/// <param name="Channels">The layer's channel count.</param>
public sealed record CamBenchmarkResult(Timing Forward, Timing ForwardBackward, Timing Method, Timing? RequiredRuns, long Channels);

/// <summary>Times a CAM method against the network's own forward and backward passes.</summary>
public static class CamBenchmark
{
    /// <summary>Measures <paramref name="method"/> on <paramref name="input"/> (a batch in the model's layout), explaining each image's top class.</summary>
    public static CamBenchmarkResult Measure(OnnxGraph graph, string layer, CamMethod method, Tensor input, int iterations, CamOptions? options = null)
    {
        options ??= CamOptions.Default;
        using var scope = NewDisposeScope();
        using var explainer = new CamExplainer(graph, [layer], options);
        using var scorers = new PerturbationScorers(graph, options);
        Tensor channelsFirst = scorers.ToChannelsFirst(input);
        int[] targets;
        long channels;
        using (GraphRun run = graph.Run(input, new RunOptions { Capture = [layer] }))
        {
            targets = run.Scores.argmax(1).data<long>().Select(t => (int)t).ToArray();
            channels = run.Captured[layer].shape[1];
        }

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
            using GraphRun run = graph.Run(input, new RunOptions { InputGradient = true });
            Tensor index = tensor(targets.Select(t => (long)t).ToArray()).unsqueeze(1);
                Gradients.Of(run.Scores.gather(1, index).sum(), run.Inputs);
            },
            () =>
            {
                using var inner = NewDisposeScope();
                using CamExplanation explanation = explainer.Explain(input, targets, method);
            },
        };
        if (method.Needs.HasFlag(CamSignals.InputScoring))
            actions.Add(() => ScoreCopies(channels, input.shape[0], options.BatchSize, b => scorers.InputScore(RepeatFirst(channelsFirst, b), targets[0])));
        else if (method.Needs.HasFlag(CamSignals.LayerScoring))
        {
            Tensor activations;
            using (GraphRun run = graph.Run(input, new RunOptions { Capture = [layer] })) activations = run.Captured[layer].clone();
            var score = scorers.LayerScore(layer, channelsFirst);
            actions.Add(() => ScoreCopies(channels, input.shape[0], options.BatchSize, b => score(0, RepeatFirst(activations, b), targets[0])));
        }
        Timing[] timings = Timing.Interleaved(iterations, [.. actions]);
        return new CamBenchmarkResult(timings[0], timings[1], timings[2], timings.Length > 3 ? timings[3] : null, channels);
    }

    /// <summary>Scores <paramref name="channels"/> copies per image, <paramref name="batchSize"/> at a time.</summary>
    private static void ScoreCopies(long channels, long images, int batchSize, Func<long, Tensor> score)
    {
        for (long image = 0; image < images; image++)
        {
            for (long start = 0; start < channels; start += batchSize)
            {
                using var inner = NewDisposeScope();
                score(Math.Min(batchSize, channels - start));
            }
        }
    }

    private static Tensor RepeatFirst(Tensor batch, long count) =>
        batch.narrow(0, 0, 1).expand([count, .. batch.shape[1..]]).contiguous();
}
