using System.Diagnostics;
using Gaze.Engine;
using Gaze.Onnx.Operators;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Gaze.Onnx.Runtime;

/// <summary>
/// Measures Gaze's forward and forward+backward passes against ONNX Runtime's forward pass in one process, in
/// interleaved rounds so that a shared machine's changing load affects all three alike (compare the ratios; absolute
/// figures vary between runs), and the per-node overhead of Gaze's graph walk.
/// </summary>
public static class EngineBenchmark
{
    /// <summary>Measures <paramref name="modelPath"/> at <paramref name="batch"/> with random pixel input.</summary>
    /// <param name="modelPath">The model.</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="size">Spatial size for image inputs (null: declared, else 224x224).</param>
    /// <param name="iterations">Timed rounds (after one warm-up round); medians are reported.</param>
    /// <param name="precision">The number format of Gaze's convolutions and matrix products.</param>
    public static BenchmarkResult Measure(string modelPath, int batch, (int Height, int Width)? size = null, int iterations = 10,
        Precision precision = Precision.Float32)
    {
        using var graph = OnnxGraph.Load(modelPath, precision);
        return Measure(graph, batch, size, iterations);
    }

    /// <summary>
    /// Measures a loaded <paramref name="graph"/> (see <see cref="Measure(string, int, ValueTuple{int, int}?, int, Precision)"/>).
    /// A bfloat16 graph is also compared with a float32 copy of itself in the same rounds: the forward+backward
    /// speed-up and how closely its input gradients follow float32's.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="size">Spatial size for image inputs (null: declared, else 224x224).</param>
    /// <param name="iterations">Timed rounds (after one warm-up round); medians are reported.</param>
    /// <param name="cancellationToken">Checked before every timed pass.</param>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is reported.</exception>
    public static BenchmarkResult Measure(OnnxGraph graph, int batch, (int Height, int Width)? size, int iterations,
        CancellationToken cancellationToken = default)
    {
        using var scope = torch.NewDisposeScope();
        var input = RandomInput(graph, batch, size);
        using var onnxRuntime = OnnxRuntimeForward.Create(graph, input);
        using var float32 = graph.Precision == Precision.Float32 ? null : OnnxGraph.Load(graph.ModelPath);
        var actions = new List<Action>
        {
            () =>
            {
                using var inner = torch.NewDisposeScope();
                using var run = graph.Run(input);
            },
            onnxRuntime.Run,
            () =>
            {
                using var inner = torch.NewDisposeScope();
                InputGradient(graph, input);
            },
        };
        if (float32 is not null)
        {
            actions.Add(() =>
            {
                using var inner = torch.NewDisposeScope();
                InputGradient(float32, input);
            });
        }
        Timing[] timings = Timing.Interleaved(iterations, [.. actions], cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        double walk = MeasureWalk(graph, input, iterations);
        cancellationToken.ThrowIfCancellationRequested();
        return new BenchmarkResult(graph.ModelPath, batch, timings[0].Median, timings[1].Median, graph.RuntimeNodeCount, walk, onnxRuntime.Note)
        {
            ForwardBackwardMilliseconds = timings[2].Median,
            Float32Comparison = float32 is null ? null : CompareWithFloat32(graph, float32, input, timings[3].Median),
        };
    }

    /// <summary>The gradient of each sample's top score with respect to the input, in float32.</summary>
    private static Tensor InputGradient(OnnxGraph graph, Tensor input)
    {
        using var run = graph.Run(input, new RunOptions { InputGradient = true });
        return Gradients.Of(run.Scores.max(1).values.sum(), run.Inputs[0]).to(ScalarType.Float32);
    }

    private static PrecisionComparison CompareWithFloat32(OnnxGraph graph, OnnxGraph float32, Tensor input, double float32Milliseconds)
    {
        using var scope = torch.NewDisposeScope();
        using var reference = float32.Run(input, new RunOptions { InputGradient = true });
        using var reduced = graph.Run(input, new RunOptions { InputGradient = true });
        // Both explain float32's top class, so that the gradients answer the same question.
        var top = reference.Scores.argmax(1, keepdim: true);
        var theirs = Gradients.Of(reference.Scores.gather(1, top).sum(), reference.Inputs[0]).flatten(1);
        var ours = Gradients.Of(reduced.Scores.gather(1, top).sum(), reduced.Inputs[0]).to(ScalarType.Float32).flatten(1);
        double overall = torch.corrcoef(torch.stack([ours.flatten(), theirs.flatten()]))[0, 1].item<float>();
        double worst = Enumerable.Range(0, (int)ours.shape[0])
            .Min(i => (double)torch.corrcoef(torch.stack([ours[i], theirs[i]]))[0, 1].item<float>());
        return new PrecisionComparison(float32Milliseconds, overall, worst);
    }

    /// <summary>Seeded uniform noise in [0, 255) of the graph's first input shape, so that runs are comparable.</summary>
    public static Tensor RandomInput(OnnxGraph graph, int batch, (int Height, int Width)? size)
    {
        long[] shape = graph.Inputs[0].ConcreteShape(batch, size);
        var generator = new torch.Generator(1);
        return torch.rand(shape, generator: generator).mul(255);
    }

    /// <summary>Times a run whose operators only hand back results stored from a real run.</summary>
    private static double MeasureWalk(OnnxGraph graph, Tensor input, int iterations)
    {
        int slots = graph.Layout.SlotNames.Length;
        var stored = (Tensor?[])graph.Plan.Constants.Clone();
        stored[graph.Inputs[0].Slot] = input;
        using (var noGrad = torch.no_grad())
        {
            graph.Plan.Execute(stored, new RunContext(graph.ModelPath, null), null, null, null, null, new bool[slots]);
        }
        var replay = graph.Plan.WithOperators(node => new ReplayOperator(node.Outputs.Select(s => s >= 0 ? stored[s] : null).ToArray()));
        // The whole public run path (input checks, scopes, freeing, result collection) with trivial operators.
        return graph.WithPlan(replay, () => Median(iterations * 5, () =>
        {
            using var inner = torch.NewDisposeScope();
            using var run = graph.Run(input);
        }));
    }

    private static double Median(int iterations, Action action)
    {
        action();
        action();
        var times = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[iterations / 2];
    }

    /// <summary>An operator that hands back stored results (as new tensor handles, like a real operator would).</summary>
    private sealed class ReplayOperator(Tensor?[] results) : OnnxOperator
    {
        public override void Run(in OperatorIO io)
        {
            for (int i = 0; i < results.Length; i++)
                if (results[i] is { } r) io.SetOutput(i, r.alias());
        }
    }
}
