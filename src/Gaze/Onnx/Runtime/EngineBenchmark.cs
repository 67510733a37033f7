using System.Diagnostics;
using Gaze.Onnx.Operators;
using Gaze.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Gaze.Onnx.Runtime;

/// <summary>
/// Measures forward latency of Gaze against ONNX Runtime in one process (figures vary between machines and runs;
/// compare ratios measured together) and the per-node overhead of Gaze's graph walk.
/// </summary>
public static class EngineBenchmark
{
    /// <summary>Measures <paramref name="modelPath"/> at <paramref name="batch"/> with random pixel input.</summary>
    /// <param name="modelPath">The model.</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="size">Spatial size for image inputs (null: declared, else 224x224).</param>
    /// <param name="iterations">Timed repetitions per engine (after two warm-up runs); the median is reported.</param>
    public static BenchmarkResult Measure(string modelPath, int batch, (int Height, int Width)? size = null, int iterations = 10)
    {
        using var graph = OnnxGraph.Load(modelPath);
        using var scope = torch.NewDisposeScope();
        var declared = graph.Inputs[0];
        long[] shape = declared.ConcreteShape(batch, size);
        var generator = new torch.Generator(1);
        var input = torch.rand(shape, generator: generator).mul(255);

        double gaze = Median(iterations, () =>
        {
            using var inner = torch.NewDisposeScope();
            using var run = graph.Run(input);
        });
        double walk = MeasureWalk(graph, input, iterations);
        var (ort, note) = MeasureOnnxRuntime(graph, input, iterations);
        return new BenchmarkResult(modelPath, batch, gaze, ort, graph.RuntimeNodeCount, walk, note);
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

    private static (double Milliseconds, string? Note) MeasureOnnxRuntime(OnnxGraph graph, Tensor input, int iterations)
    {
        var declared = graph.Inputs[0];
        long batch = input.shape[0];
        float[] values = input.contiguous().data<float>().ToArray();
        int[] dims = input.shape.Select(d => (int)d).ToArray();
        string? note = null;
        // Quiet logging: a failed whole-batch attempt is expected for models that hard-code their batch.
        using var options = RuntimeSessions.Options();
        options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;

        // Models that declare a fixed batch or size get a copy with symbolic sizes; if that copy cannot run the
        // batch (a hard-coded Reshape), samples run one by one.
        var model = graph.Model.Clone();
        bool relaxed = declared.Shape is { } s && s.Select((d, i) => d is long v && v != input.shape[i]).Any(x => x);
        if (relaxed)
        {
            foreach (var v in model.Graph.Input.Where(v => v.Name == declared.Name).Concat(model.Graph.Output))
            {
                var d = v.Type?.TensorType?.Shape?.Dim;
                if (d is { Count: > 0 }) d[0] = new TensorShapeProto.Types.Dimension { DimParam = "batch" };
            }
            RuntimeSessions.RelaxSizes(model, graph);
        }
        using var session = new InferenceSession(model.ToByteArray(), options);

        NamedOnnxValue Feed(float[] data, int[] shape) => declared.ElementType == OnnxDataType.Float16
            ? NamedOnnxValue.CreateFromTensor(declared.Name, new DenseTensor<Float16>(data.Select(x => (Float16)x).ToArray(), shape))
            : NamedOnnxValue.CreateFromTensor(declared.Name, new DenseTensor<float>(data, shape));

        var whole = new[] { Feed(values, dims) };
        try
        {
            using var probe = session.Run(whole);
        }
        catch (OnnxRuntimeException)
        {
            int[] one = (int[])dims.Clone();
            one[0] = 1;
            int per = values.Length / (int)batch;
            var samples = Enumerable.Range(0, (int)batch).Select(i => new[] { Feed(values.AsSpan(i * per, per).ToArray(), one) }).ToList();
            note = $"ONNX Runtime ran {batch} single-sample runs (the model hard-codes its batch)";
            return (Median(iterations, () => { foreach (var feed in samples) { using var r = session.Run(feed); } }), note);
        }
        if (relaxed) note = "ONNX Runtime ran a copy with a symbolic batch/size";
        return (Median(iterations, () => { using var r = session.Run(whole); }), note);
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
