using Gaze.Errors;
using Gaze.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;
using OrtRunOptions = Microsoft.ML.OnnxRuntime.RunOptions;
using Tensor = TorchSharp.torch.Tensor;

namespace Gaze.Onnx.Runtime;

/// <summary>
/// Runs Gaze and ONNX Runtime on the same seeded random input and compares every output: the proof that the
/// import is exact (the <c>gaze check</c> command).
/// </summary>
public static class ParityCheck
{
    /// <summary>Loads <paramref name="modelPath"/> and checks it.</summary>
    public static ParityReport Run(string modelPath, ParityOptions? options = null)
    {
        using var graph = OnnxGraph.Load(modelPath, options?.Precision ?? Engine.Precision.Float32);
        return Run(graph, options);
    }

    /// <summary>Checks an already loaded graph against ONNX Runtime on its model file.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="options">Batch, size, seed and what to check.</param>
    /// <param name="cancellationToken">Checked between the passes (Gaze's, each of ONNX Runtime's, the gradient).</param>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is compared.</exception>
    public static ParityReport Run(OnnxGraph graph, ParityOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ParityOptions();
        if (options.Batch < 1) throw new ArgumentOutOfRangeException(nameof(options), "batch must be at least 1");
        using var scope = torch.NewDisposeScope();
        var notes = new List<string>();
        var random = new Random(options.Seed);
        var shapes = graph.Inputs.Select(i => i.ConcreteShape(options.Batch, options.Size)).ToList();
        var inputs = graph.Inputs.Select((input, k) => RandomValues(shapes[k], input.ElementType, options.Range, random)).ToList();

        var gazeInputs = inputs.Select((values, k) => torch.tensor(values, shapes[k])
            .to(OnnxDataType.ComputeType(graph.Inputs[k].ElementType) ?? ScalarType.Float32)).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        List<Tensor> gazeOutputs;
        using (var run = graph.Run(gazeInputs))
            gazeOutputs = run.Outputs.Select(o => o.to(ScalarType.Float32).contiguous().alias()).ToList();

        var reference = ReferenceOutputs(graph, shapes, inputs, notes, cancellationToken);
        var outputs = new List<OutputParity>();
        for (int i = 0; i < gazeOutputs.Count; i++)
        {
            var (refShape, refValues) = reference[i];
            var ours = gazeOutputs[i];
            if (!ours.shape.SequenceEqual(refShape))
            {
                outputs.Add(new OutputParity(graph.OutputNames[i], ours.shape, double.PositiveInfinity, 0));
                notes.Add($"output '{graph.OutputNames[i]}' has shape [{string.Join(",", ours.shape)}] but ONNX Runtime gives [{string.Join(",", refShape)}]");
                continue;
            }
            var expected = torch.tensor(refValues, refShape);
            double diff = (ours - expected).abs().max().item<float>();
            double scale = expected.abs().max().item<float>();
            outputs.Add(new OutputParity(graph.OutputNames[i], ours.shape, diff, scale));
        }

        bool? finite = null, nonZero = null;
        if (options.CheckGradient && gazeInputs.Count > 0 && gazeInputs[0].is_floating_point())
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var run = graph.Run(gazeInputs, new RunOptions { InputGradient = true });
            var scores = run.Scores;
            // The top score of each sample, summed over the batch.
            var target = scores.max(1).values.sum();
            var gradient = Gradients.Of(target, run.Inputs[0]);
            finite = gradient.isfinite().all().item<bool>();
            nonZero = gradient.abs().sum().item<float>() > 0;
        }
        return new ParityReport(graph.ModelPath, shapes[0], graph.IsFloat16, graph.Precision, outputs, finite, nonZero, notes);
    }

    /// <summary>
    /// Standard normal values, or uniform ones in <paramref name="range"/> (rounded to float16 for float16 inputs, so
    /// both engines see the same numbers).
    /// </summary>
    private static float[] RandomValues(long[] shape, int elementType, (float Min, float Max)? range, Random random)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            float v = range is { } r
                ? (float)(r.Min + (r.Max - r.Min) * u2)
                : (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            values[i] = elementType == OnnxDataType.Float16 ? (float)(Half)v : v;
        }
        return values;
    }

    /// <summary>
    /// ONNX Runtime's outputs. A model whose declared input size differs from the requested one gets a relaxed copy
    /// (symbolic input sizes, output_shape of transposed convolutions resolved as Gaze resolves it); a fixed batch
    /// that differs runs sample by sample.
    /// </summary>
    private static List<(long[] Shape, float[] Values)> ReferenceOutputs(OnnxGraph graph, List<long[]> shapes,
        List<float[]> inputs, List<string> notes, CancellationToken cancellationToken)
    {
        var model = graph.Model.Clone();
        bool fixedBatch = graph.Inputs.Any(i => i.Shape is { Count: > 0 } s && s[0] is long b && b != shapes[0][0]);
        bool relaxed = false;
        foreach (var (input, k) in graph.Inputs.Select((input, k) => (input, k)))
        {
            if (input.Shape is null) continue;
            for (int d = 1; d < input.Shape.Count; d++)
            {
                if (input.Shape[d] is long declared && declared != shapes[k][d]) relaxed = true;
            }
        }
        if (relaxed)
        {
            RuntimeSessions.RelaxSizes(model, graph);
            notes.Add("ONNX Runtime ran a copy of the model with symbolic input sizes (its declared size differs from the requested one)");
        }
        using var session = OpenReference(graph, model);
        using var runOptions = new OrtRunOptions();
        var inputNames = graph.Inputs.Select(i => i.Name).ToList();

        int batch = (int)shapes[0][0];
        int runs = fixedBatch ? batch : 1;
        if (fixedBatch) notes.Add($"the model declares a fixed batch of {graph.Inputs[0].Shape![0]}: ONNX Runtime ran {batch} single-sample runs");
        var parts = new List<(long[] Shape, float[] Values)>[graph.OutputNames.Count];
        for (int o = 0; o < parts.Length; o++) parts[o] = [];
        for (int r = 0; r < runs; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var feeds = new List<OrtValue>();
            try
            {
                for (int k = 0; k < graph.Inputs.Count; k++)
                {
                    long[] shape = (long[])shapes[k].Clone();
                    float[] values = inputs[k];
                    if (fixedBatch)
                    {
                        long per = values.Length / shape[0];
                        values = values.AsSpan((int)(r * per), (int)per).ToArray();
                        shape[0] = 1;
                    }
                    feeds.Add(Feed(graph.Inputs[k], shape, values));
                }
                using var results = session.Run(runOptions, inputNames, feeds, graph.OutputNames);
                for (int o = 0; o < parts.Length; o++)
                {
                    parts[o].Add(RuntimeSessions.ReadFloats(results[o])
                        ?? throw new NotSupportedException($"ONNX Runtime output '{graph.OutputNames[o]}' has an element type the check cannot compare"));
                }
            }
            finally
            {
                foreach (var feed in feeds) feed.Dispose();
            }
        }
        return parts.Select(Concatenate).ToList();
    }

    /// <summary>The values as an ONNX Runtime tensor of the input's element type (the caller disposes it).</summary>
    private static OrtValue Feed(GraphInput input, long[] shape, float[] values) => input.ElementType switch
    {
        OnnxDataType.Float16 => OrtValue.CreateTensorValueFromMemory(values.Select(v => (Float16)v).ToArray(), shape),
        OnnxDataType.Double => OrtValue.CreateTensorValueFromMemory(values.Select(v => (double)v).ToArray(), shape),
        OnnxDataType.Int64 => OrtValue.CreateTensorValueFromMemory(values.Select(v => (long)v).ToArray(), shape),
        OnnxDataType.Int32 => OrtValue.CreateTensorValueFromMemory(values.Select(v => (int)v).ToArray(), shape),
        _ => OrtValue.CreateTensorValueFromMemory(values, shape),
    };

    private static (long[] Shape, float[] Values) Concatenate(List<(long[] Shape, float[] Values)> parts)
    {
        if (parts.Count == 1) return parts[0];
        var shape = (long[])parts[0].Shape.Clone();
        shape[0] = parts.Sum(p => p.Shape[0]);
        return (shape, parts.SelectMany(p => p.Values).ToArray());
    }

    /// <summary>The reference session; a model ONNX Runtime refuses is a model error in one line, not its internals.</summary>
    private static InferenceSession OpenReference(OnnxGraph graph, ModelProto model)
    {
        try
        {
            return new InferenceSession(model.ToByteArray(), RuntimeSessions.Options());
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException(graph.ModelPath, $"ONNX Runtime cannot load it: {EngineMessage.Plain(e.Message)}", e);
        }
    }
}
