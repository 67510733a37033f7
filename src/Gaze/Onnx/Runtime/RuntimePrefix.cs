using Gaze.Errors;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using OrtRunOptions = Microsoft.ML.OnnxRuntime.RunOptions;
using Tensor = TorchSharp.torch.Tensor;

namespace Gaze.Onnx.Runtime;

/// <summary>
/// The part of a model before a <see cref="GraphCut"/> on ONNX Runtime, forward only: a batch of inputs in, the cut
/// layers' activations and the crossing tensors out, as Gaze's own graph computes them (float32 for float16
/// models, see <see cref="HalfToFloat"/>). Gradient CAMs feed them to the rest of the network on Gaze's graph,
/// because ONNX Runtime runs the convolutions before the layer faster than libtorch.
/// </summary>
/// <remarks>
/// A model that declares a fixed batch gets a symbolic one; the first batch of another size is checked once against
/// a run of its first image alone, and if the batched run fails or differs, only the declared batch size runs here
/// (as Gaze's own graph relaxes old exports' hard-coded batch, which ONNX Runtime does not). Not for concurrent use.
/// </remarks>
internal sealed class RuntimePrefix : IDisposable
{
    private static readonly HashSet<TensorElementType> Readable =
    [
        TensorElementType.Float, TensorElementType.Float16, TensorElementType.Double, TensorElementType.Int64,
        TensorElementType.Int32, TensorElementType.UInt8, TensorElementType.Bool,
    ];

    private readonly InferenceSession session;
    private readonly OrtRunOptions runOptions = new();
    private readonly string[] feedNames;
    private readonly string[] outputNames;
    private readonly long? declaredBatch;
    private bool? batchesVerified;
    private float[] feed = [];
    private bool disposed;

    private RuntimePrefix(InferenceSession session, string feedName, GraphCut cut, long? declaredBatch)
    {
        this.session = session;
        feedNames = [feedName];
        outputNames = [.. cut.Fed];
        this.declaredBatch = declaredBatch;
        Cut = cut;
    }

    /// <summary>The split the prefix ends at.</summary>
    public GraphCut Cut { get; }

    /// <summary>
    /// Opens a session on the prefix of <paramref name="graph"/> before <paramref name="cut"/>, or returns null and
    /// says why in <paramref name="problem"/> (ONNX Runtime rejects the model, or an output holds values Gaze cannot
    /// take over).
    /// </summary>
    public static RuntimePrefix? TryOpen(OnnxGraph graph, GraphCut cut, out string? problem)
    {
        problem = cut.Problem;
        if (problem is not null) return null;
        var input = graph.Inputs[0];
        InferenceSession? session = null;
        try
        {
            var model = PrefixSubgraph.Extract(graph, cut);
            RuntimeSessions.RelaxSizes(model, graph);
            long? declaredBatch = input.Shape is { Count: > 0 } shape ? shape[0] : null;
            if (declaredBatch is not null)
            {
                var declared = model.Graph.Input.First(i => i.Name == input.Name).Type.TensorType.Shape.Dim;
                declared[0] = new Proto.TensorShapeProto.Types.Dimension { DimParam = "batch" };
            }
            int elementType = model.Graph.Input.First(i => i.Name == input.Name).Type?.TensorType?.ElemType ?? Proto.OnnxDataType.Float;
            string feedName = RuntimeSessions.FeedFloats(model, input.Name, elementType, graph.ModelPath);
            using var options = RuntimeSessions.Options();
            options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            session = new InferenceSession(model.ToByteArray(), options);
            foreach (string name in cut.Fed)
            {
                var type = session.OutputMetadata[name].ElementDataType;
                bool layer = cut.Cut.Contains(name);
                if (!Readable.Contains(type) || (layer && type is not (TensorElementType.Float or TensorElementType.Float16 or TensorElementType.Double)))
                {
                    problem = $"'{name}' holds {type} values on ONNX Runtime";
                    session.Dispose();
                    return null;
                }
            }
            return new RuntimePrefix(session, feedName, cut, declaredBatch);
        }
        catch (OnnxRuntimeException e)
        {
            session?.Dispose();
            problem = $"ONNX Runtime cannot open the part before the layer ({EngineMessage.Plain(e.Message, 200)})";
            return null;
        }
    }

    /// <summary>
    /// The cut layers' and crossing tensors' values for <paramref name="input"/> (a batch in the model's layout) by
    /// name, as new tensors in the current dispose scope; or null with the reason in <paramref name="problem"/>
    /// (a batch size the model fixes otherwise, or ONNX Runtime failing on the batch).
    /// </summary>
    public IReadOnlyDictionary<string, Tensor>? TryRun(Tensor input, out string? problem)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        problem = null;
        if (!input.is_floating_point() || input.dim() == 0)
        {
            problem = $"the input is {input.dtype} of shape [{string.Join(",", input.shape)}]";
            return null;
        }
        bool otherBatch = declaredBatch is long declared && input.shape[0] != declared;
        if (otherBatch && batchesVerified == false)
        {
            problem = $"the model declares a batch of {declaredBatch}, which its part before the layer needs on ONNX Runtime";
            return null;
        }
        using var noGrad = torch.no_grad();
        RuntimeSessions.CopyToFeed(input, ref feed);
        try
        {
            var outputs = Run(input.shape[0], input.shape);
            if (otherBatch && batchesVerified is null) batchesVerified = SameAsFirstAlone(outputs, input.shape);
            if (!otherBatch || batchesVerified == true) return outputs;
        }
        catch (OnnxRuntimeException e)
        {
            if (!otherBatch || batchesVerified == true)
            {
                problem = $"ONNX Runtime failed on the batch ({EngineMessage.Plain(e.Message, 200)})";
                return null;
            }
            batchesVerified = false;
        }
        problem = $"the model declares a batch of {declaredBatch}, which its part before the layer needs on ONNX Runtime";
        return null;
    }

    /// <summary>Frees the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        session.Dispose();
        runOptions.Dispose();
    }

    /// <summary>One session run on the first <paramref name="images"/> images of the feed (a batch of <paramref name="shape"/>).</summary>
    private Dictionary<string, Tensor> Run(long images, long[] shape)
    {
        long[] runShape = [images, .. shape[1..]];
        long count = runShape.Aggregate(1L, (a, b) => a * b);
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(feed, 0, (int)count), runShape);
        using var results = session.Run(runOptions, feedNames, [value], outputNames);
        var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < outputNames.Length; i++) outputs[outputNames[i]] = ToTorch(results[i]);
        return outputs;
    }

    /// <summary>
    /// Whether a batched run of a model that declares another batch gave its first image what a run of that image
    /// alone gives: a hard-coded batch inside the prefix would mix or misplace images.
    /// </summary>
    private bool SameAsFirstAlone(Dictionary<string, Tensor> batched, long[] shape)
    {
        var alone = Run(1, shape);
        foreach (string name in Cut.Cut)
        {
            Tensor whole = batched[name], single = alone[name];
            if (whole.dim() == 0 || whole.shape[0] != shape[0] || !whole.shape[1..].SequenceEqual(single.shape[1..])) return false;
            double scale = single.abs().max().item<float>();
            double difference = (whole.narrow(0, 0, 1) - single).abs().max().item<float>();
            if (difference > 1e-5 * Math.Max(scale, 1e-12)) return false;
        }
        return true;
    }

    /// <summary>An ONNX Runtime tensor as a new TorchSharp tensor of the type Gaze computes it in.</summary>
    private static Tensor ToTorch(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        long[] shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => torch.tensor(value.GetTensorDataAsSpan<float>().ToArray(), shape),
            TensorElementType.Double => torch.tensor(value.GetTensorDataAsSpan<double>().ToArray(), shape),
            TensorElementType.Int64 => torch.tensor(value.GetTensorDataAsSpan<long>().ToArray(), shape),
            TensorElementType.Int32 => torch.tensor(value.GetTensorDataAsSpan<int>().ToArray(), shape),
            TensorElementType.UInt8 => torch.tensor(value.GetTensorDataAsSpan<byte>().ToArray(), shape),
            TensorElementType.Bool => torch.tensor(value.GetTensorDataAsSpan<bool>().ToArray(), shape),
            TensorElementType.Float16 => torch.tensor(RuntimeSessions.ReadFloats(value)!.Value.Values, shape),
            var other => throw new NotSupportedException($"ONNX Runtime tensor of {other} values"),
        };
    }

}
