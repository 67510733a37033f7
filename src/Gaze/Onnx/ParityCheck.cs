using Gaze.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Gaze.Onnx;

/// <summary>Settings of a <see cref="ParityCheck"/>.</summary>
public sealed class ParityOptions
{
    /// <summary>Batch size of the random input.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Spatial size (height, width) of 4-D image inputs; null uses the declared size, else 224x224.</summary>
    public (int Height, int Width)? Size { get; init; }

    /// <summary>Seed of the random input, so runs are reproducible.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The range input values are drawn from uniformly: by default random pixels, 0 to 255. Null draws standard normal
    /// values instead. Near-constant inputs (such as small noise fed to a model that subtracts a pixel mean itself)
    /// are ill-conditioned for instance normalisation and exaggerate rounding differences between engines.
    /// </summary>
    public (float Min, float Max)? Range { get; init; } = (0f, 255f);

    /// <summary>Also check that the gradient of the top score with respect to the input is finite and non-zero.</summary>
    public bool CheckGradient { get; init; } = true;
}

/// <summary>How one output of Gaze compares with ONNX Runtime's.</summary>
/// <param name="Name">The output's tensor name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="MaxAbsDifference">max |gaze - reference|.</param>
/// <param name="MaxAbsReference">max |reference|.</param>
public sealed record OutputParity(string Name, long[] Shape, double MaxAbsDifference, double MaxAbsReference)
{
    /// <summary>max |gaze - reference| / max |reference| (the absolute difference when the reference is all zero).</summary>
    public double RelativeDifference => MaxAbsReference > 0 ? MaxAbsDifference / MaxAbsReference : MaxAbsDifference;
}

/// <summary>The result of a <see cref="ParityCheck"/>.</summary>
public sealed class ParityReport
{
    internal ParityReport(string modelPath, long[] inputShape, bool isFloat16, IReadOnlyList<OutputParity> outputs,
        bool? gradientFinite, bool? gradientNonZero, IReadOnlyList<string> notes)
    {
        ModelPath = modelPath;
        InputShape = inputShape;
        IsFloat16 = isFloat16;
        Outputs = outputs;
        GradientFinite = gradientFinite;
        GradientNonZero = gradientNonZero;
        Notes = notes;
    }

    /// <summary>The model checked.</summary>
    public string ModelPath { get; }

    /// <summary>Shape of the (first) random input.</summary>
    public long[] InputShape { get; }

    /// <summary>True for float16 models, which get the looser tolerance.</summary>
    public bool IsFloat16 { get; }

    /// <summary>The allowed relative difference: 1e-4 for float32 models, 2e-3 for float16 models.</summary>
    public double Tolerance => IsFloat16 ? 2e-3 : 1e-4;

    /// <summary>Per-output comparison.</summary>
    public IReadOnlyList<OutputParity> Outputs { get; }

    /// <summary>Whether the input gradient is finite everywhere (null when not checked).</summary>
    public bool? GradientFinite { get; }

    /// <summary>Whether the input gradient has a non-zero element (null when not checked).</summary>
    public bool? GradientNonZero { get; }

    /// <summary>How the reference run had to be adapted (per-sample runs for a fixed batch, relaxed input size ...).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>True when every output is within <see cref="Tolerance"/> and the gradient (if checked) is finite and non-zero.</summary>
    public bool Passed => Outputs.All(o => o.RelativeDifference <= Tolerance) && GradientFinite != false && GradientNonZero != false;
}

/// <summary>
/// Runs Gaze and ONNX Runtime on the same seeded random input and compares every output: the proof that the
/// import is exact (the <c>gaze check</c> command).
/// </summary>
public static class ParityCheck
{
    /// <summary>Loads <paramref name="modelPath"/> and checks it.</summary>
    public static ParityReport Run(string modelPath, ParityOptions? options = null)
    {
        using var graph = OnnxGraph.Load(modelPath);
        return Run(graph, options);
    }

    /// <summary>Checks an already loaded graph against ONNX Runtime on its model file.</summary>
    public static ParityReport Run(OnnxGraph graph, ParityOptions? options = null)
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
        List<Tensor> gazeOutputs;
        using (var run = graph.Run(gazeInputs))
            gazeOutputs = run.Outputs.Select(o => o.to(ScalarType.Float32).contiguous().alias()).ToList();

        var reference = ReferenceOutputs(graph, shapes, inputs, notes);
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
            using var run = graph.Run(gazeInputs, new RunOptions { InputGradient = true });
            var scores = run.Scores;
            // The top score of each sample, summed over the batch.
            var target = scores.max(1).values.sum();
            var gradient = Gradients.Of(target, run.Inputs[0]);
            finite = gradient.isfinite().all().item<bool>();
            nonZero = gradient.abs().sum().item<float>() > 0;
        }
        return new ParityReport(graph.ModelPath, shapes[0], graph.IsFloat16, outputs, finite, nonZero, notes);
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
        List<float[]> inputs, List<string> notes)
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
            RelaxSizes(model, graph);
            notes.Add("ONNX Runtime ran a copy of the model with symbolic input sizes (its declared size differs from the requested one)");
        }
        using var session = new InferenceSession(model.ToByteArray(), SessionOptionsFor());

        int batch = (int)shapes[0][0];
        int runs = fixedBatch ? batch : 1;
        if (fixedBatch) notes.Add($"the model declares a fixed batch of {graph.Inputs[0].Shape![0]}: ONNX Runtime ran {batch} single-sample runs");
        var parts = new List<(long[] Shape, float[] Values)>[graph.OutputNames.Count];
        for (int o = 0; o < parts.Length; o++) parts[o] = [];
        for (int r = 0; r < runs; r++)
        {
            var feeds = new List<NamedOnnxValue>();
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
            using var results = session.Run(feeds, graph.OutputNames);
            int o = 0;
            foreach (var result in results) parts[o++].Add(ReadFloats(result));
        }
        return parts.Select(Concatenate).ToList();
    }

    /// <summary>Full graph optimisation and the thread count of <see cref="Engine.EngineSettings.Threads"/>.</summary>
    internal static SessionOptions SessionOptionsFor()
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (Engine.EngineSettings.Threads is int threads) options.IntraOpNumThreads = threads;
        return options;
    }

    private static NamedOnnxValue Feed(GraphInput input, long[] shape, float[] values)
    {
        var dims = shape.Select(d => (int)d).ToArray();
        switch (input.ElementType)
        {
            case OnnxDataType.Float16:
                return NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<Float16>(values.Select(v => (Float16)v).ToArray(), dims));
            case OnnxDataType.Double:
                return NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<double>(values.Select(v => (double)v).ToArray(), dims));
            case OnnxDataType.Int64:
                return NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<long>(values.Select(v => (long)v).ToArray(), dims));
            case OnnxDataType.Int32:
                return NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<int>(values.Select(v => (int)v).ToArray(), dims));
            default:
                return NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(values, dims));
        }
    }

    private static (long[] Shape, float[] Values) ReadFloats(DisposableNamedOnnxValue value)
    {
        switch (value.Value)
        {
            case Tensor<float> f:
                return (f.Dimensions.ToArray().Select(d => (long)d).ToArray(), f.ToArray());
            case Tensor<Float16> h:
                return (h.Dimensions.ToArray().Select(d => (long)d).ToArray(), h.ToArray().Select(v => (float)v).ToArray());
            case Tensor<double> d:
                return (d.Dimensions.ToArray().Select(x => (long)x).ToArray(), d.ToArray().Select(v => (float)v).ToArray());
            case Tensor<long> l:
                return (l.Dimensions.ToArray().Select(x => (long)x).ToArray(), l.ToArray().Select(v => (float)v).ToArray());
            default:
                throw new NotSupportedException($"ONNX Runtime output '{value.Name}' has an element type the check cannot compare");
        }
    }

    private static (long[] Shape, float[] Values) Concatenate(List<(long[] Shape, float[] Values)> parts)
    {
        if (parts.Count == 1) return parts[0];
        var shape = (long[])parts[0].Shape.Clone();
        shape[0] = parts.Sum(p => p.Shape[0]);
        return (shape, parts.SelectMany(p => p.Values).ToArray());
    }

    /// <summary>
    /// Makes every non-batch input and output dimension symbolic and replaces output_shape of ConvTranspose nodes
    /// by the equivalent pads and output_padding, so ONNX Runtime accepts other input sizes.
    /// </summary>
    internal static void RelaxSizes(ModelProto model, OnnxGraph graph)
    {
        var inputNames = graph.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var value in model.Graph.Input.Where(v => inputNames.Contains(v.Name)).Concat(model.Graph.Output))
        {
            var dims = value.Type?.TensorType?.Shape?.Dim;
            if (dims is null) continue;
            bool isInput = inputNames.Contains(value.Name);
            for (int d = 1; d < dims.Count; d++)
            {
                if (isInput && dims.Count >= 3 && d == 1) continue; // an input's channel count stays fixed
                dims[d] = new TensorShapeProto.Types.Dimension { DimParam = $"{value.Name}_d{d}" };
            }
        }
        model.Graph.ValueInfo.Clear();
        foreach (var node in model.Graph.Node.Where(n => n.OpType == "ConvTranspose"))
        {
            var outputShape = node.Attribute.FirstOrDefault(a => a.Name == "output_shape");
            if (outputShape is null) continue;
            long[] kernel = node.Attribute.FirstOrDefault(a => a.Name == "kernel_shape")?.Ints.ToArray()
                ?? throw new NotSupportedException("ConvTranspose with output_shape but no kernel_shape");
            int n = kernel.Length;
            long[] Get(string name, long fallback) =>
                node.Attribute.FirstOrDefault(a => a.Name == name)?.Ints.ToArray() is { Length: > 0 } v ? v : Enumerable.Repeat(fallback, n).ToArray();
            long[] strides = Get("strides", 1), dilations = Get("dilations", 1), extra = Get("output_padding", 0);
            string autoPad = node.Attribute.FirstOrDefault(a => a.Name == "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
            var pads = new long[2 * n];
            var newExtra = new long[n];
            for (int i = 0; i < n; i++)
            {
                // The input size is irrelevant when output_shape does not fit it; use one that never fits.
                long total = Operators.ConvTransposeOperator.TotalPaddingForOutputShape(-1_000_000, outputShape.Ints[outputShape.Ints.Count - n + i],
                    kernel[i], strides[i], dilations[i], extra[i]);
                if (total < 0)
                {
                    newExtra[i] = extra[i] - total;
                    continue;
                }
                newExtra[i] = extra[i];
                long half = total / 2;
                (pads[i], pads[n + i]) = autoPad == "SAME_UPPER" ? (half, total - half) : (total - half, half);
            }
            foreach (var name in new[] { "output_shape", "pads", "output_padding", "auto_pad" })
            {
                var a = node.Attribute.FirstOrDefault(x => x.Name == name);
                if (a is not null) node.Attribute.Remove(a);
            }
            node.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { pads } });
            node.Attribute.Add(new AttributeProto { Name = "output_padding", Type = AttributeProto.Types.AttributeType.Ints, Ints = { newExtra } });
        }
    }
}
